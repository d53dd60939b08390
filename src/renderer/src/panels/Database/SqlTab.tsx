// The SQL tab: the read-only console with its saved queries and history, CSV/JSON export of the
// result and the query plan.
import { useCallback, useEffect, useState } from 'react';
import type { HistoryEntry, PlanStep, QueryResult, SavedQuery } from '../../../../shared/contract/database';
import { api, type ApiError } from '../../transport';
import { ErrorBox, newId, toApiError } from './db-common';
import { download } from '../../download';
import { toCsv, toJson } from './export';
import ResultTable from './ResultTable';

export default function SqlTab() {
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
          onKeyDown={(e) => {
            if ((e.ctrlKey || e.metaKey) && e.key === 'Enter') void run();
          }}
        />
        <div className="db-toolbar">
          <button onClick={run} disabled={!!busy}>
            Run (Ctrl+Enter)
          </button>
          {busy && <button onClick={() => api.invoke('db:cancel', { requestId: busy })}>Cancel</button>}
          <button onClick={explain}>Explain plan</button>
          <button onClick={save}>Save…</button>
          {result && (
            <>
              <button onClick={() => download('result.csv', toCsv(result.columns, result.rows), 'text/csv')}>
                Export CSV
              </button>
              <button
                onClick={() =>
                  download('result.json', toJson(result.columns, result.rows), 'application/json')
                }
              >
                Export JSON
              </button>
              <span className="db-dim">
                {result.rows.length} rows
                {result.hasMore ? ` (capped at ${result.limit}; add LIMIT/OFFSET for more)` : ''} ·{' '}
                {result.elapsedMs} ms
              </span>
            </>
          )}
        </div>
        <div className="db-dim">
          Read-only: statements that would change aura.db are refused. One statement at a time, 5 s limit.
        </div>
        <details className="db-lists">
          <summary>
            Saved ({saved.length}) · History ({history.length})
          </summary>
          <h4>Saved</h4>
          {saved.length === 0 && (
            <div className="db-dim">None yet: Save… keeps the query above under a name.</div>
          )}
          {saved.map((q) => (
            <div key={q.name} className="db-side-item">
              <button className="db-link" title={q.sql} onClick={() => setSql(q.sql)}>
                {q.name}
              </button>
              <button
                className="db-more"
                aria-label={`Delete saved query ${q.name}`}
                onClick={() =>
                  api
                    .invoke('db:delete-query', { name: q.name })
                    .then(setSaved, (e) => setError(toApiError(e)))
                }
              >
                ✕
              </button>
            </div>
          ))}
          <h4>History</h4>
          {history.slice(0, 50).map((h) => (
            <button
              key={h.id}
              className={`db-link db-side-item ${h.ok ? '' : 'db-err-text'}`}
              title={h.error ?? h.at}
              onClick={() => setSql(h.sql)}
            >
              {h.sql.slice(0, 200)}
            </button>
          ))}
        </details>
        <ErrorBox error={error} />
        {plan && (
          <ul className="db-plan">
            {plan.map((s) => (
              <li key={s.id} style={{ marginLeft: `${(s.parent ? 1 : 0) * 1.5}em` }}>
                {s.detail}
              </li>
            ))}
          </ul>
        )}
        {result && <ResultTable columns={result.columns} rows={result.rows} />}
      </div>
    </div>
  );
}
