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
import { databaseRequests } from '../../state/ui-bus';
import { api, ApiError } from '../../transport';
import { download, toCsv, toJson } from './export';
import ResultTable from './ResultTable';
import LockBanner from './LockBanner';
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

/** An ISO time as the operator's local "YYYY-MM-DD HH:MM:SS" (what the logs show). */
function localTime(iso: string | null): string {
  if (!iso) return '?';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function newId(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}

function Overview({ data, onCount }: { data: DbOverview; onCount: (table: string) => void }) {
  return (
    <div className="db-overview">
      <dl className="db-facts">
        <dt>File</dt>
        <dd className="db-mono">
          {data.dbPath}
          {data.access === 'snapshot' ? ' (private snapshot)' : ''}
        </dd>
        <dt>Size</dt>
        <dd>
          {formatBytes(data.sizeBytes)} ({data.pageCount} pages × {data.pageSize} B)
        </dd>
        <dt>-wal / -shm</dt>
        <dd>
          {data.wal.exists ? formatBytes(data.wal.size) : 'none'} /{' '}
          {data.shm.exists ? formatBytes(data.shm.size) : 'none'}
        </dd>
        <dt>Journal mode</dt>
        <dd>{data.journalMode}</dd>
        <dt>Write lock</dt>
        <dd
          className={
            data.lock.state === 'locked' ? 'db-warn' : data.lock.state === 'free' ? undefined : 'db-dim'
          }
          data-testid="db-lock-fact"
        >
          {data.lock.state === 'free' ? 'none (no process holds one)' : data.lock.summary}
        </dd>
        <dt>Free pages</dt>
        <dd className={data.vacuumCandidate ? 'db-warn' : undefined}>
          {data.freelistPages} ({(data.freeRatio * 100).toFixed(1)}%)
          {data.vacuumCandidate ? ` — VACUUM candidate (over ${data.vacuumThreshold * 100}%)` : ''}
        </dd>
        <dt>Last modified</dt>
        <dd>
          {localTime(data.file.mtime)}
          {data.wal.mtime ? ` (-wal ${localTime(data.wal.mtime)})` : ''}
        </dd>
        <dt>Schema</dt>
        <dd className={data.schema.state === 'current' ? 'db-ok' : 'db-warn'}>
          {data.schema.state}: {data.schema.summary}
          {data.schema.lastApplied && !data.schema.summary.includes(data.schema.lastApplied) && (
            <div className="db-mono">last applied {data.schema.lastApplied}</div>
          )}
        </dd>
        <dt>SQLite</dt>
        <dd>
          {data.sqliteVersion} · overview in {data.elapsedMs} ms
        </dd>
      </dl>
      {data.notes.map((n) => (
        <div key={n} className="db-note">
          {n}
        </div>
      ))}
      <table className="db-grid db-tables">
        <thead>
          <tr>
            <th>Table</th>
            <th>Rows</th>
            <th title="Columns">Cols</th>
            <th title="Indexes">Idx</th>
          </tr>
        </thead>
        <tbody>
          {data.tables.map((t) => {
            const idx = data.indexes.filter((i) => i.table === t.name);
            return (
              <tr key={t.name} data-table={t.name}>
                <td className="db-name" title={t.name}>
                  {t.name}
                  {t.type === 'view' ? ' (view)' : ''}
                </td>
                <td>
                  {t.countError ? (
                    <span className="db-err-text">{t.countError}</span>
                  ) : t.rowCount === null ? (
                    '–'
                  ) : (
                    `${t.capped ? '> ' : ''}${t.rowCount.toLocaleString()}`
                  )}
                  {t.capped && (
                    <button className="db-more" onClick={() => onCount(t.name)}>
                      exact
                    </button>
                  )}
                </td>
                <td>{t.columns.length}</td>
                <td title={idx.map((i) => `${i.name}(${i.columns.join(', ')})`).join('\n')}>
                  {idx.length || ''}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <details className="db-indexes">
        <summary>
          Indexes ({data.indexes.filter((i) => i.origin === 'c').length} created,{' '}
          {data.indexes.filter((i) => i.origin !== 'c').length} from keys)
        </summary>
        <ul>
          {data.indexes
            .filter((i) => i.origin === 'c')
            .map((i) => (
              <li key={i.name} className="db-mono">
                {i.name} on {i.table}({i.columns.join(', ')}){i.unique ? ' unique' : ''}
              </li>
            ))}
        </ul>
      </details>
    </div>
  );
}

/** Where the next page comes from: a cursor of the shown page, or a row position (a jump). */
type PageRequest = { cursor: string; offset?: undefined } | { cursor?: undefined; offset: number };

function Browse({ overview }: { overview: DbOverview | null }) {
  const [source, setSource] = useState<string>('');
  const [views, setViews] = useState<ReadyView[]>([]);
  const [page, setPage] = useState<RowsPage | null>(null);
  const [request, setRequest] = useState<PageRequest>({ offset: 0 });
  const [jumpTo, setJumpTo] = useState('');
  const [sort, setSort] = useState<{ column: string; dir: 'asc' | 'desc' } | undefined>();
  const [filter, setFilter] = useState<{ column: string; op: FilterOp; value: string }>({
    column: '',
    op: '=',
    value: '',
  });
  const [applied, setApplied] = useState<{ column: string; op: FilterOp; value: string } | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    api.invoke('db:views', {}).then(setViews, (e) => setError(toApiError(e)));
  }, [overview]);

  const isView = source.startsWith('view:');
  const load = useCallback(async () => {
    if (!source) return;
    const requestId = newId('rows');
    setBusy(requestId);
    setError(null);
    try {
      if (source.startsWith('view:')) {
        setPage(
          await api.invoke('db:view', {
            id: source.slice(5),
            offset: request.offset ?? 0,
            limit: PAGE_ROWS,
            requestId,
          }),
        );
      } else {
        const filters =
          applied && applied.column ? [{ column: applied.column, op: applied.op, value: applied.value }] : [];
        const at = request.cursor ? { cursor: request.cursor } : { offset: request.offset ?? 0 };
        setPage(
          await api.invoke('db:rows', { table: source, ...at, limit: PAGE_ROWS, sort, filters, requestId }),
        );
      }
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  }, [source, request, sort, applied]);

  useEffect(() => {
    void load();
  }, [load]);

  const first = () => setRequest({ offset: 0 });
  // Ready views page by position; tables by the cursors the page carries (fast at any depth).
  const prev = () => {
    if (isView) setRequest({ offset: Math.max(0, (page?.offset ?? 0) - PAGE_ROWS) });
    else if (page?.paging?.prevCursor) setRequest({ cursor: page.paging.prevCursor });
  };
  const next = () => {
    if (isView) setRequest({ offset: (page?.offset ?? 0) + PAGE_ROWS });
    else if (page?.paging?.nextCursor) setRequest({ cursor: page.paging.nextCursor });
  };
  const jump = () => {
    const row = Number(jumpTo.replace(/[\s,_]/g, ''));
    if (!Number.isInteger(row) || row < 1) {
      setError(
        new ApiError({
          code: 'bad-request',
          message: `"${jumpTo}" is not a row number`,
          detail: 'Type a whole number from 1.',
        }),
      );
      return;
    }
    setRequest({ offset: row - 1 });
  };
  const hasPrev = isView ? (page?.offset ?? 0) > 0 : !!page?.paging?.prevCursor;
  const hasNext = isView ? !!page?.hasMore : !!page?.paging?.nextCursor;
  const table = overview?.tables.find((t) => t.name === source);
  const resetTo = (s: string) => {
    setSource(s);
    setPage(null);
    setRequest({ offset: 0 });
    setSort(undefined);
    setApplied(null);
    setFilter({ column: '', op: '=', value: '' });
  };
  return (
    <div className="db-browse">
      <div className="db-toolbar">
        <select
          aria-label="Table or view"
          className="db-source"
          value={source}
          onChange={(e) => resetTo(e.target.value)}
        >
          <option value="">Choose a table or view…</option>
          <optgroup label="Ready views">
            {views.map((v) => (
              <option
                key={v.id}
                value={`view:${v.id}`}
                disabled={!v.available}
                title={v.reason ?? v.description}
              >
                {v.title}
                {v.available ? '' : ' (unavailable)'}
              </option>
            ))}
          </optgroup>
          <optgroup label="Tables">
            {overview?.tables.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
                {t.type === 'view' ? ' (view)' : ''}
              </option>
            ))}
          </optgroup>
        </select>
        {busy && <button onClick={() => api.invoke('db:cancel', { requestId: busy })}>Cancel</button>}
      </div>
      {table && (
        <form
          className="db-toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(filter.column ? filter : null);
            setRequest({ offset: 0 });
          }}
        >
          <select
            aria-label="Filter column"
            value={filter.column}
            onChange={(e) => setFilter({ ...filter, column: e.target.value })}
          >
            <option value="">filter column…</option>
            {table.columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter operator"
            value={filter.op}
            onChange={(e) => setFilter({ ...filter, op: e.target.value as FilterOp })}
          >
            {filterOps.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          {filter.op !== 'is-null' && filter.op !== 'not-null' && (
            <input
              aria-label="Filter value"
              className="db-filter-value"
              value={filter.value}
              onChange={(e) => setFilter({ ...filter, value: e.target.value })}
              placeholder="value"
            />
          )}
          <button type="submit">{filter.column ? 'Apply' : applied ? 'Clear filter' : 'Apply'}</button>
        </form>
      )}
      {source && (
        <div className="db-toolbar db-pager">
          <button title="First page" aria-label="First page" disabled={!hasPrev} onClick={first}>
            «
          </button>
          <button title="Previous page" aria-label="Previous page" disabled={!hasPrev} onClick={prev}>
            ◀
          </button>
          <span className="db-range">
            {page
              ? page.rows.length
                ? `rows ${(page.offset + 1).toLocaleString()}–${(page.offset + page.rows.length).toLocaleString()}`
                : 'no rows here'
              : ''}
          </span>
          <button title="Next page" aria-label="Next page" disabled={!hasNext} onClick={next}>
            ▶
          </button>
          {!isView && (
            <form
              className="db-jump"
              onSubmit={(e) => {
                e.preventDefault();
                jump();
              }}
            >
              <input
                aria-label="Go to row"
                inputMode="numeric"
                placeholder="row #"
                value={jumpTo}
                onChange={(e) => setJumpTo(e.target.value)}
              />
              <button type="submit">Go</button>
            </form>
          )}
          {page && <span className="db-dim">{page.elapsedMs} ms</span>}
        </div>
      )}
      {isView && <div className="db-dim">{views.find((v) => `view:${v.id}` === source)?.description}</div>}
      {page?.paging?.mode === 'offset' && (
        <div className="db-note" role="note">
          {page.paging.reason}
        </div>
      )}
      {page?.paging?.mode === 'keyset' && page.paging.order.length > 0 && (
        <div className="db-dim">
          ordered by {page.paging.order.join(', ')}
          {sort ? '' : ' (click a column to sort)'}
        </div>
      )}
      <ErrorBox error={error} />
      {page && (
        <ResultTable
          columns={page.columns}
          rows={page.rows}
          sort={sort}
          onSort={
            isView
              ? undefined
              : (column) => {
                  setSort(
                    sort?.column === column && sort.dir === 'asc'
                      ? { column, dir: 'desc' }
                      : { column, dir: 'asc' },
                  );
                  setRequest({ offset: 0 });
                }
          }
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

/** A job the command palette asked for, until the Health tab takes it. */
type JobRequest = 'backup' | 'integrity' | null;

function Health({ request, onTaken }: { request: JobRequest; onTaken: () => void }) {
  const [job, setJob] = useState<{ id: string; what: string } | null>(null);
  const [progress, setProgress] = useState<JobProgress | null>(null);
  const [check, setCheck] = useState<CheckResult | null>(null);
  const [backup, setBackup] = useState<BackupResult | null>(null);
  const [error, setError] = useState<ApiError | null>(null);

  useEffect(() => {
    const a = api.on('db:check-progress', (p) => setProgress(p));
    const b = api.on('db:backup-progress', (p) => setProgress(p));
    return () => {
      a();
      b();
    };
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

  useEffect(() => {
    if (!request || job) return;
    onTaken();
    void (request === 'backup' ? runBackup() : runCheck('integrity'));
  });

  const pct = progress && progress.total > 0 ? Math.round((progress.done / progress.total) * 100) : 0;
  return (
    <div className="db-health">
      <div className="db-toolbar">
        <button disabled={!!job} onClick={() => runCheck('quick')}>
          Quick check
        </button>
        <button disabled={!!job} onClick={() => runCheck('integrity')}>
          Integrity check
        </button>
        <button disabled={!!job} onClick={runBackup}>
          Back up now
        </button>
        {job && (
          <button onClick={() => api.invoke('db:cancel', { requestId: job.id })}>Cancel {job.what}</button>
        )}
      </div>
      <div className="db-dim">
        Checks run table by table in a separate process; the backup uses SQLite&apos;s backup API (safe while
        Aura writes) into the console&apos;s data folder. Neither writes aura.db.
      </div>
      {job && progress?.jobId === job.id && (
        <div className="db-progress">
          <div className="db-bar" style={{ width: `${pct}%` }} />
          <span>
            {job.what}: {progress.done}/{progress.total}
            {progress.current ? ` · ${progress.current}` : ''}
          </span>
        </div>
      )}
      <ErrorBox error={error} />
      {check && (
        <div className={check.ok ? 'db-ok' : 'db-err-text'}>
          {check.ok
            ? `OK: ${check.kind} check of ${check.tablesChecked} tables in ${check.elapsedMs} ms.`
            : `${check.problems.length} problem(s) found:`}
          {!check.ok && <pre className="db-pre">{check.problems.join('\n')}</pre>}
        </div>
      )}
      {backup?.damaged && (
        <div className="db-backup-damaged" role="alert" data-testid="db-backup-damaged">
          <strong>Damaged backup: saved, but do not restore from it.</strong>
          <div>{backup.damaged.warning}</div>
          <div className="db-dim db-mono">{backup.damaged.sidecar}</div>
        </div>
      )}
      {backup && (
        <dl className="db-facts">
          <dt>Backup</dt>
          <dd className="db-mono">{backup.file}</dd>
          <dt>quick_check</dt>
          <dd className={backup.quickCheck.ok ? 'db-ok' : 'db-err-text'}>
            {backup.quickCheck.ok
              ? 'ok (the copy is sound)'
              : `FAILED: ${backup.quickCheck.problems.slice(0, 3).join('; ')}`}
          </dd>
          <dt>Size</dt>
          <dd>
            {formatBytes(backup.size)} ({backup.pages} pages) in {backup.elapsedMs} ms
          </dd>
          <dt>sha256</dt>
          <dd className="db-mono">{backup.sha256}</dd>
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
        {tab === 'overview' && overview && <Overview data={overview} onCount={exactCount} />}
        {tab === 'browse' && <Browse overview={overview} />}
        {tab === 'sql' && <Sql />}
        {tab === 'health' && <Health request={jobRequest} onTaken={() => setJobRequest(null)} />}
      </div>
    </div>
  );
}
