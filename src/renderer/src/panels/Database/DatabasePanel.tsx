// The aura.db inspector: Overview (size, WAL, free pages, schema state, tables), Browse (paged
// rows, sort, filter, ready views), SQL (read-only console, history, saved, export, plan) and
// Health (quick/integrity check with progress and cancel, online backup with sha256). This
// component holds the tabs, the overview they share and the jobs the command palette asks for.
import { useCallback, useEffect, useState } from 'react';
import type { DbOverview } from '../../../../shared/contract/database';
import { databaseRequests } from '../../state/ui-bus';
import { api, type ApiError } from '../../transport';
import BrowseTab from './BrowseTab';
import { ErrorBox, toApiError } from './db-common';
import HealthTab, { type JobRequest } from './HealthTab';
import LockBanner from './LockBanner';
import OverviewTab from './OverviewTab';
import SqlTab from './SqlTab';
import './database.css';

type Tab = 'overview' | 'browse' | 'sql' | 'health';

export default function DatabasePanel({ active = true }: { active?: boolean }) {
  const [tab, setTab] = useState<Tab>('overview');
  const [overview, setOverview] = useState<DbOverview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);
  const [jobRequest, setJobRequest] = useState<JobRequest>(null);
  useEffect(
    () =>
      databaseRequests.listen((job) => {
        setTab('health');
        setJobRequest(job);
      }),
    [],
  );

  const load = useCallback(async () => {
    setLoading(true);
    setError(null);
    try {
      setOverview(await api.invoke('db:overview', {}));
    } catch (e) {
      setOverview(null);
      setError(toApiError(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    if (active) void load();
  }, [active, load]);
  useEffect(() => api.on('install:changed', () => void load()), [load]);

  const exactCount = async (table: string) => {
    try {
      const r = await api.invoke('db:count', { table });
      setOverview(
        (o) =>
          o && {
            ...o,
            tables: o.tables.map((t) => (t.name === table ? { ...t, rowCount: r.count, capped: false } : t)),
          },
      );
    } catch (e) {
      setError(toApiError(e));
    }
  };

  return (
    <div className="db-panel">
      <div className="db-tabs">
        {(['overview', 'browse', 'sql', 'health'] as Tab[]).map((t) => (
          <button key={t} className={tab === t ? 'db-tab db-tab-on' : 'db-tab'} onClick={() => setTab(t)}>
            {t === 'sql' ? 'SQL' : t[0].toUpperCase() + t.slice(1)}
          </button>
        ))}
        <button className="db-tab" onClick={load} disabled={loading}>
          {loading ? 'Loading…' : 'Refresh'}
        </button>
      </div>
      <LockBanner active={active} seed={overview?.lock ?? null} />
      <ErrorBox error={error} />
      <div className="db-body">
        {tab === 'overview' && overview && <OverviewTab data={overview} onCount={exactCount} />}
        {tab === 'browse' && <BrowseTab overview={overview} />}
        {tab === 'sql' && <SqlTab />}
        {tab === 'health' && <HealthTab request={jobRequest} onTaken={() => setJobRequest(null)} />}
      </div>
    </div>
  );
}
