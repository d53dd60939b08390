// The aura.db inspector: Overview (size, WAL, free pages, schema state, tables), Browse (paged
// rows, sort, filter, ready views), SQL (read-only console, history, saved, export, plan) and
// Health (quick/integrity check with progress and cancel, online backup with sha256).
import { useCallback, useEffect, useState } from 'react';
import type {
  BackupResult,
  CheckResult,
  DbOverview,
  FilterOp,
  HistoryEntry,
  JobProgress,
  PlanStep,
  QueryResult,
  ReadyView,
  RowsPage,
  SavedQuery,
} from '../../../../shared/contract/database';
import { filterOps } from '../../../../shared/contract/database';
import { formatBytes } from '../../format';
import { api, ApiError } from '../../transport';
import { download, toCsv, toJson } from './export';
import ResultTable from './ResultTable';
import './database.css';

type Tab = 'overview' | 'browse' | 'sql' | 'health';
/** Rows per page in the browser: a screenful or two, well under the service's cap. */
const PAGE_ROWS = 100;

function ErrorBox({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div className="db-error" role="alert">
      <strong>{error.message}</strong>
      {error.detail && <div>{error.detail}</div>}
    </div>
  );
}

function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError({ code: 'internal', message: String(err) });
}

function newId(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

function Overview({ data, onCount }: { data: DbOverview; onCount: (table: string) => void }) {
  return (
    <div className="db-overview">
      <dl className="db-facts">
        <dt>File</dt>
        <dd className="db-mono">{data.dbPath}{data.access === 'snapshot' ? ' (private snapshot)' : ''}</dd>
        <dt>Size</dt>
        <dd>{formatBytes(data.sizeBytes)} ({data.pageCount} pages × {data.pageSize} B)</dd>
        <dt>-wal / -shm</dt>
        <dd>{data.wal.exists ? formatBytes(data.wal.size) : 'none'} / {data.shm.exists ? formatBytes(data.shm.size) : 'none'}</dd>
        <dt>Journal mode</dt>
        <dd>{data.journalMode}</dd>
        <dt>Free pages</dt>
        <dd className={data.vacuumCandidate ? 'db-warn' : undefined}>
          {data.freelistPages} ({(data.freeRatio * 100).toFixed(1)}%){data.vacuumCandidate ? ` — VACUUM candidate (over ${data.vacuumThreshold * 100}%)` : ''}
        </dd>
        <dt>Last modified</dt>
        <dd>{data.file.mtime ?? '?'}{data.wal.mtime ? ` (-wal ${data.wal.mtime})` : ''}</dd>
        <dt>Schema</dt>
        <dd className={data.schema.state === 'current' ? 'db-ok' : 'db-warn'}>
          {data.schema.state}: {data.schema.summary}
          {data.schema.lastApplied && <div className="db-mono">last applied {data.schema.lastApplied}</div>}
        </dd>
        <dt>SQLite</dt>
        <dd>{data.sqliteVersion} · overview in {data.elapsedMs} ms</dd>
      </dl>
      {data.notes.map((n) => (
        <div key={n} className="db-note">{n}</div>
      ))}
      <table className="db-grid db-tables">
        <thead>
          <tr><th>Table</th><th>Rows</th><th>Columns</th><th>Indexes</th></tr>
        </thead>
        <tbody>
          {data.tables.map((t) => (
            <tr key={t.name}>
              <td>{t.name}{t.type === 'view' ? ' (view)' : ''}</td>
              <td>
                {t.countError ? <span className="db-err-text">{t.countError}</span> : t.rowCount === null ? '–' : `${t.capped ? '> ' : ''}${t.rowCount}`}
                {t.capped && <button className="db-more" onClick={() => onCount(t.name)}>exact</button>}
              </td>
              <td>{t.columns.length}</td>
              <td className="db-mono">{data.indexes.filter((i) => i.table === t.name).map((i) => `${i.name}(${i.columns.join(',')})`).join(' ')}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

function Browse({ overview }: { overview: DbOverview | null }) {
  const [source, setSource] = useState<string>('');
  const [views, setViews] = useState<ReadyView[]>([]);
  const [page, setPage] = useState<RowsPage | null>(null);
  const [offset, setOffset] = useState(0);
  const [sort, setSort] = useState<{ column: string; dir: 'asc' | 'desc' } | undefined>();
  const [filter, setFilter] = useState<{ column: string; op: FilterOp; value: string }>({ column: '', op: '=', value: '' });
  const [applied, setApplied] = useState<{ column: string; op: FilterOp; value: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    api.invoke('db:views', {}).then(setViews, (e) => setError(toApiError(e)));
  }, [overview]);

  const load = useCallback(async () => {
    if (!source) return;
    const requestId = newId('rows');
    setBusy(requestId);
    setError(null);
    try {
      if (source.startsWith('view:')) {
        setPage(await api.invoke('db:view', { id: source.slice(5), offset, limit: PAGE_ROWS, requestId }));
      } else {
        const filters = applied && applied.column ? [{ column: applied.column, op: applied.op, value: applied.value }] : [];
        setPage(await api.invoke('db:rows', { table: source, offset, limit: PAGE_ROWS, sort, filters, requestId }));
      }
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  }, [source, offset, sort, applied]);

  useEffect(() => {
    void load();
  }, [load]);

  const table = overview?.tables.find((t) => t.name === source);
  return (
    <div className="db-browse">
      <div className="db-toolbar">
        <select value={source} onChange={(e) => { setSource(e.target.value); setOffset(0); setSort(undefined); setApplied(null); }}>
          <option value="">Choose a table or view…</option>
          <optgroup label="Ready views">
            {views.map((v) => (
              <option key={v.id} value={`view:${v.id}`} disabled={!v.available} title={v.reason ?? v.description}>
                {v.title}{v.available ? '' : ' (unavailable)'}
              </option>
            ))}
          </optgroup>
          <optgroup label="Tables">
            {overview?.tables.map((t) => <option key={t.name} value={t.name}>{t.name}</option>)}
          </optgroup>
        </select>
        {table && (
          <>
            <select value={filter.column} onChange={(e) => setFilter({ ...filter, column: e.target.value })}>
              <option value="">filter column…</option>
              {table.columns.map((c) => <option key={c.name} value={c.name}>{c.name}</option>)}
            </select>
            <select value={filter.op} onChange={(e) => setFilter({ ...filter, op: e.target.value as FilterOp })}>
              {filterOps.map((o) => <option key={o} value={o}>{o}</option>)}
            </select>
            <input value={filter.value} onChange={(e) => setFilter({ ...filter, value: e.target.value })} placeholder="value" />
            <button onClick={() => { setApplied(filter.column ? filter : null); setOffset(0); }}>Apply</button>
          </>
        )}
        <button disabled={offset === 0} onClick={() => setOffset(Math.max(0, offset - PAGE_ROWS))}>◀</button>
        <span>{page ? `rows ${offset + 1}–${offset + page.rows.length}` : ''}</span>
        <button disabled={!page?.hasMore} onClick={() => setOffset(offset + PAGE_ROWS)}>▶</button>
        {busy && <button onClick={() => api.invoke('db:cancel', { requestId: busy })}>Cancel</button>}
        {page && <span className="db-dim">{page.elapsedMs} ms</span>}
      </div>
      {source.startsWith('view:') && <div className="db-dim">{views.find((v) => `view:${v.id}` === source)?.description}</div>}
      <ErrorBox error={error} />
      {page && (
        <ResultTable
          columns={page.columns}
          rows={page.rows}
          sort={sort}
          onSort={source.startsWith('view:') ? undefined : (column) => { setSort(sort?.column === column && sort.dir === 'asc' ? { column, dir: 'desc' } : { column, dir: 'asc' }); setOffset(0); }}
        />
      )}
    </div>
  );
}

function Sql() {
  const [sql, setSql] = useState('SELECT * FROM "JobQueue" ORDER BY "UpdatedAt" DESC');
  const [result, setResult] = useState<QueryResult | null>(null);
  const [plan, setPlan] = useState<PlanStep[] | null>(null);
  const [history, setHistory] = useState<HistoryEntry[]>([]);
  const [saved, setSaved] = useState<SavedQuery[]>([]);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  const refreshLists = useCallback(() => {
    api.invoke('db:history', {}).then(setHistory, (e) => setError(toApiError(e)));
    api.invoke('db:saved-queries', {}).then(setSaved, (e) => setError(toApiError(e)));
  }, []);
  useEffect(refreshLists, [refreshLists]);

  const run = async () => {
    const requestId = newId('sql');
    setBusy(requestId);
    setError(null);
    setPlan(null);
    try {
      setResult(await api.invoke('db:query', { sql, requestId }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
      refreshLists();
    }
  };
  const explain = async () => {
    setError(null);
    try {
      setPlan(await api.invoke('db:explain', { sql }));
    } catch (e) {
      setError(toApiError(e));
    }
  };
  const save = async () => {
    const name = window.prompt('Name for this query');
    if (!name) return;
    try {
      setSaved(await api.invoke('db:save-query', { name, sql }));
    } catch (e) {
      setError(toApiError(e));
    }
  };

  return (
    <div className="db-sql">
      <div className="db-sql-main">
        <textarea
          className="db-editor"
          value={sql}
          spellCheck={false}
          onChange={(e) => setSql(e.target.value)}
          onKeyDown={(e) => { if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') void run(); }}
        />
        <div className="db-toolbar">
          <button onClick={run} disabled={!!busy}>Run (Ctrl+Enter)</button>
          {busy && <button onClick={() => api.invoke('db:cancel', { requestId: busy })}>Cancel</button>}
          <button onClick={explain}>Explain plan</button>
          <button onClick={save}>Save…</button>
          {result && (
            <>
              <button onClick={() => download('result.csv', toCsv(result.columns, result.rows), 'text/csv')}>Export CSV</button>
              <button onClick={() => download('result.json', toJson(result.columns, result.rows), 'application/json')}>Export JSON</button>
              <span className="db-dim">
                {result.rows.length} rows{result.hasMore ? ` (capped at ${result.limit}; add LIMIT/OFFSET for more)` : ''} · {result.elapsedMs} ms
              </span>
            </>
          )}
        </div>
        <div className="db-dim">Read-only: statements that would change aura.db are refused. One statement at a time, 5 s limit.</div>
        <ErrorBox error={error} />
        {plan && (
          <ul className="db-plan">
            {plan.map((s) => <li key={s.id} style={{ marginLeft: `${(s.parent ? 1 : 0) * 1.5}em` }}>{s.detail}</li>)}
          </ul>
        )}
        {result && <ResultTable columns={result.columns} rows={result.rows} />}
      </div>
      <aside className="db-side">
        <h4>Saved</h4>
        {saved.map((q) => (
          <div key={q.name} className="db-side-item">
            <button className="db-link" onClick={() => setSql(q.sql)}>{q.name}</button>
            <button className="db-more" onClick={() => api.invoke('db:delete-query', { name: q.name }).then(setSaved, (e) => setError(toApiError(e)))}>✕</button>
          </div>
        ))}
        <h4>History</h4>
        {history.slice(0, 50).map((h) => (
          <button key={h.id} className={`db-link db-side-item ${h.ok ? '' : 'db-err-text'}`} title={h.error ?? h.at} onClick={() => setSql(h.sql)}>
            {h.sql.slice(0, 80)}
          </button>
        ))}
      </aside>
    </div>
  );
}

function Health() {
  const [job, setJob] = useState<{ id: string; what: string } | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [backup, setBackup] = useState<BackupResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    const a = api.on('db:check-progress', (p) => setProgress(p));
    const b = api.on('db:backup-progress', (p) => setProgress(p));
    return () => { a(); b(); };
  }, []);

  const runCheck = async (kind: 'quick' | 'integrity') => {
    const id = newId('check');
    setJob({ id, what: `${kind} check` });
    setError(null);
    setCheck(null);
    setProgress(null);
    try {
      setCheck(await api.invoke('db:check', { kind, jobId: id }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setJob(null);
    }
  };
  const runBackup = async () => {
    const id = newId('backup');
    setJob({ id, what: 'backup' });
    setError(null);
    setBackup(null);
    setProgress(null);
    try {
      setBackup(await api.invoke('db:backup', { jobId: id }));
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setJob(null);
    }
  };

  const pct = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="db-health">
      <div className="db-toolbar">
        <button disabled={!!job} onClick={() => runCheck('quick')}>Quick check</button>
        <button disabled={!!job} onClick={() => runCheck('integrity')}>Integrity check</button>
        <button disabled={!!job} onClick={runBackup}>Back up now</button>
        {job && <button onClick={() => api.invoke('db:cancel', { requestId: job.id })}>Cancel {job.what}</button>}
      </div>
      <div className="db-dim">
        Checks run table by table in a separate process; the backup uses SQLite&apos;s backup API (safe while Aura writes) into the console&apos;s data folder. Neither writes aura.db.
      </div>
      {job && progress?.jobId === job.id && (
        <div className="db-progress">
          <div className="db-bar" style={{ width: `${pct}%` }} />
          <span>{job.what}: {progress.done}/{progress.total}{progress.current ? ` · ${progress.current}` : ''}</span>
        </div>
      )}
      <ErrorBox error={error} />
      {check && (
        <div className={check.ok ? 'db-ok' : 'db-err-text'}>
          {check.ok ? `OK: ${check.kind} check of ${check.tablesChecked} tables in ${check.elapsedMs} ms.` : `${check.problems.length} problem(s) found:`}
          {!check.ok && <pre className="db-pre">{check.problems.join('\n')}</pre>}
        </div>
      )}
      {backup && (
        <dl className="db-facts">
          <dt>Backup</dt><dd className="db-mono">{backup.file}</dd>
          <dt>Size</dt><dd>{formatBytes(backup.size)} ({backup.pages} pages) in {backup.elapsedMs} ms</dd>
          <dt>sha256</dt><dd className="db-mono">{backup.sha256}</dd>
        </dl>
      )}
    </div>
  );
}

export default function DatabasePanel({ active = true }: { active?: boolean }) {
  const [tab, setTab] = useState<Tab>('overview');
  const [overview, setOverview] = useState<DbOverview | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [loading, setLoading] = useState(false);

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
      setOverview((o) => o && { ...o, tables: o.tables.map((t) => (t.name === table ? { ...t, rowCount: r.count, capped: false } : t)) });
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
        <button className="db-tab" onClick={load} disabled={loading}>{loading ? 'Loading…' : 'Refresh'}</button>
      </div>
      <ErrorBox error={error} />
      <div className="db-body">
        {tab === 'overview' && overview && <Overview data={overview} onCount={exactCount} />}
        {tab === 'browse' && <Browse overview={overview} />}
        {tab === 'sql' && <Sql />}
        {tab === 'health' && <Health />}
      </div>
    </div>
  );
}
