// The aura.db inspector: overview, paged browser, read-only SQL console, ready views, checks and the
// online backup. All SQLite work runs in executor processes (reader.ts, executor.ts) with a time
// limit and a row cap; this module wires the parts together and keeps the console's history.
import { OpsError } from '../../../shared/errors';
import type {
  BackupResult,
  CheckResult,
  DbLockState,
  DbOverview,
  HistoryEntry,
  PlanStep,
  QueryResult,
  ReadyView,
  RowsPage,
  SavedQuery,
  TableSummary,
} from '../../../shared/contract/database';
import type { ServiceContext } from '../context';
import { readRows, readView, readyViews, type RowsRequest, type ViewRequest } from './browse';
import { elapsedSince, num, str } from './cells';
import { runBackup, runCheck } from './health';
import { exactCount, readOverview } from './overview';
import { QueryStore, type OpsStoreLike } from './query-store';
import { DbReader, type ReaderOptions } from './reader';
import { OpsStore } from '../store/store';
import { guardStatement } from './sql-build';

export interface DatabaseDeps {
  /** The console's own data dir: backups, and the legacy db-console.json imported once. */
  dataDir: string;
  /**
   * The console's store (ops.db) for the SQL history and saved queries. Without it the service
   * opens <dataDir>/ops.db itself on first use of the history (the CLI never does).
   */
  store?: OpsStoreLike;
  /** aura.db of the attached install, or null when none is attached. */
  dbPath: () => string | null;
  emit: (event: string, payload: unknown) => void;
}

export class DatabaseService {
  private readonly reader: DbReader;
  private queryStore: QueryStore | null = null;
  /** ops.db opened by this service (no store was given); closed on dispose. */
  private ownStore: OpsStore | null = null;

  constructor(
    private readonly deps: DatabaseDeps,
    options: ReaderOptions = {},
  ) {
    this.reader = new DbReader(deps.dbPath, options);
  }

  /**
   * Wires the service to a host's context: aura.db of the attached install, events, disposal, and
   * the console's store (`store`, for the SQL history and saved queries).
   */
  static fromContext(
    ctx: ServiceContext,
    options: ReaderOptions & { store?: OpsStoreLike } = {},
  ): DatabaseService {
    const { store, ...rest } = options;
    const svc = new DatabaseService(
      {
        dataDir: ctx.dataDir,
        store,
        dbPath: () => ctx.getInstall()?.paths.dbPath ?? null,
        emit: (e, p) => ctx.emit(e, p),
      },
      rest,
    );
    ctx.onDispose(() => svc.dispose());
    return svc;
  }

  /** Starts the interactive executor now, so the first overview does not pay for a process start. */
  prewarm(): Promise<void> {
    return this.reader.interactive.prewarm();
  }

  /** Pid of the interactive executor (tests use it to see a timed-out executor replaced). */
  get executorPid(): number | null {
    return this.reader.interactive.pid;
  }

  async dispose(): Promise<void> {
    await this.reader.dispose();
    this.queryStore = null;
    this.ownStore?.close();
    this.ownStore = null;
  }

  /** Who holds a write lock on aura.db now; no SQLite open, no lock taken. */
  lockState(): Promise<DbLockState> {
    return this.reader.lockState();
  }

  overview(): Promise<DbOverview> {
    return readOverview(this.reader);
  }

  async tables(): Promise<TableSummary[]> {
    return (await this.overview()).tables;
  }

  count(
    table: string,
    opts: { requestId?: string; timeoutMs?: number } = {},
  ): Promise<{ table: string; count: number; elapsedMs: number }> {
    return exactCount(this.reader, table, opts);
  }

  /** One page of a table or view (browse.ts says how it pages). */
  rows(p: RowsRequest): Promise<RowsPage> {
    return readRows(this.reader, p);
  }

  views(): Promise<ReadyView[]> {
    return readyViews(this.reader);
  }

  view(p: ViewRequest): Promise<RowsPage> {
    return readView(this.reader, p);
  }

  check(kind: 'quick' | 'integrity', jobId: string): Promise<CheckResult> {
    return runCheck(this.reader, this.deps.emit, kind, jobId);
  }

  /**
   * Online backup with SQLite's backup API into a new file: `out` (CLI) or <dataDir>/backups/<name>.
   * Never overwrites, never writes aura.db or its sidecars; a partial file is removed on failure.
   */
  backup(p: { jobId?: string; out?: string; name?: string }): Promise<BackupResult> {
    return runBackup(this.reader, this.deps, p);
  }

  // ---------------------------------------------------------------- console

  async query(p: {
    sql: string;
    params?: (string | number | null)[];
    limit?: number;
    requestId?: string;
    timeoutMs?: number;
    record?: boolean;
  }): Promise<QueryResult> {
    const t0 = performance.now();
    const limit = Math.min(p.limit ?? this.reader.rowCap, this.reader.rowCap);
    const record = p.record ?? true;
    try {
      guardStatement(p.sql);
      const { target, results } = await this.reader.exec(
        this.reader.interactive,
        [this.reader.item(p.sql, p.params ?? [], limit, true)],
        p,
      );
      const r = this.reader.unwrap(results[0], target);
      const result: QueryResult = { ...r, offset: 0, limit, elapsedMs: elapsedSince(t0), sql: p.sql };
      if (record)
        result.historyId = this.record({
          sql: p.sql,
          ok: true,
          rows: r.rows.length,
          elapsedMs: result.elapsedMs,
        }).id;
      return result;
    } catch (err) {
      if (record)
        this.record({ sql: p.sql, ok: false, error: err instanceof Error ? err.message : String(err) });
      throw err;
    }
  }

  async explain(sql: string, params: (string | number | null)[] = []): Promise<PlanStep[]> {
    guardStatement(sql);
    const item = {
      ...this.reader.item(`EXPLAIN QUERY PLAN ${sql}`, params, 10_000, true),
      padParams: params.length === 0,
    };
    const { target, results } = await this.reader.exec(this.reader.interactive, [item]);
    return this.reader.unwrap(results[0], target).rows.map((r) => ({
      id: num(r[0]),
      parent: num(r[1]),
      detail: str(r[3]),
    }));
  }

  /** True while the request is being executed by the interactive reader process (not queued). */
  isExecuting(requestId: string): boolean {
    return this.reader.interactive.runningRequestId === requestId;
  }

  cancel(requestId?: string): { cancelled: number } {
    return { cancelled: this.reader.interactive.cancel(requestId) + this.reader.jobs.cancel(requestId) };
  }

  // ---------------------------------------------------------------- history and saved queries

  /** The history store, made on first use; imports a legacy db-console.json once. */
  private history$(): QueryStore {
    if (this.queryStore) return this.queryStore;
    let store = this.deps.store;
    if (!store) {
      this.ownStore = OpsStore.open(this.deps.dataDir);
      store = this.ownStore;
    }
    const qs = new QueryStore(store);
    this.queryStore = qs;
    try {
      const imported = qs.importLegacy(this.deps.dataDir);
      if (imported.file && imported.history + imported.saved > 0) {
        this.deps.emit('app:notice', {
          level: 'info',
          message: `Moved the SQL console's history (${imported.history}) and saved queries (${imported.saved}) from ${imported.file} into ops.db.`,
        });
      }
    } catch (err) {
      // The history in ops.db still works; the operator learns why the old entries are missing.
      this.deps.emit('app:notice', {
        level: 'warning',
        message: `${(err as Error).message}. ${(err as OpsError).detail ?? ''}`.trim(),
      });
    }
    return qs;
  }

  private record(entry: Omit<HistoryEntry, 'id' | 'at'>): HistoryEntry {
    return this.history$().record(entry);
  }

  async history(): Promise<HistoryEntry[]> {
    return this.history$().history();
  }

  async clearHistory(): Promise<HistoryEntry[]> {
    return this.history$().clearHistory();
  }

  async savedQueries(): Promise<SavedQuery[]> {
    return this.history$().saved();
  }

  async saveQuery(name: string, sql: string): Promise<SavedQuery[]> {
    return this.history$().save(name, sql);
  }

  async deleteQuery(name: string): Promise<SavedQuery[]> {
    return this.history$().remove(name);
  }
}
