// The aura.db inspector: overview, paged browser, read-only SQL console, ready views, checks and the
// online backup. All SQLite work runs in executor processes (executor.ts) with a time limit and a
// row cap; this module decides how to open the file safely and turns failures into clear errors.
import { electronNativeBinding } from '../store/native';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';
import type {
  BackupResult,
  Cell,
  CheckResult,
  DbOverview,
  FilterOp,
  HistoryEntry,
  IndexSummary,
  JobProgress,
  PagingInfo,
  PlanStep,
  QueryResult,
  ReadyView,
  RowsPage,
  SavedQuery,
  TableSummary,
} from '../../../shared/contract/database';
import type { ServiceContext } from '../context';
import {
  GROWTH_DBSTAT_SQL,
  GROWTH_VIEW_ID,
  MIGRATIONS_TABLE,
  READY_VIEWS,
  STUCK_JOB_MINUTES,
  schemaState,
} from './aura-schema';
import { Executor, WorkerFailure, type RunOptions } from './executor';
import {
  buildKeysetQuery,
  decodeCursor,
  encodeCursor,
  listingShape,
  planPaging,
  type PageParam,
  type SourceDef,
} from './paging';
import type { ItemOutcome, RawValue, StmtItem, StmtResult } from './protocol';
import { QueryStore, type OpsStoreLike } from './query-store';
import { OpsStore } from '../store/store';
import { buildRowsQuery, guardStatement, quoteIdent } from './sql-build';
import { makePrivateDir, touchPrivateFile } from '../store/private-files';
import { inspectFile, mapSqliteError, type FileInspection } from './sqlite-file';
import { lockFilesOf, sharedLockWatch } from './lock-state';
import { nowMs } from '../../../shared/clock';
import type { DbLockState } from '../../../shared/contract/database';
import { defaultWorkerScript } from './worker-script';

/** Default time limit of one query: long enough for an indexed lookup on a big DB, short enough to feel stuck. */
export const QUERY_TIMEOUT_MS = 5_000;
/** Default row cap of one page or console result (Datasette uses 1,000 too). */
export const ROW_CAP = 1_000;
/** Overview row counts stop here, so opening never scans a huge table; exact counts are on demand. */
export const COUNT_CAP = 10_000;
/** How long a read waits for a rollback-journal writer before reporting "locked". */
export const BUSY_TIMEOUT_MS = 1_000;
/** Checks and backups of a multi-GB file take minutes; they stay cancellable. */
export const JOB_TIMEOUT_MS = 60 * 60_000;
/** Text longer than this comes back as a 'long-text' cell (JSON blobs in Aura are a few KB). */
export const CELL_TEXT_MAX = 16 * 1024;
/** A page stops early past this many characters so a table of huge cells cannot flood the UI. */
export const PAGE_CHARS_MAX = 8 * 1024 * 1024;
/** Free pages above this share of the file make VACUUM worth it (the handbook's rule of thumb). */
export const VACUUM_FREE_RATIO = 0.25;
/** A WAL bigger than this share of the DB means checkpoints are starved (a long reader somewhere). */
export const WAL_LARGE_RATIO = 0.5;
/** Pages copied per backup step: ~16 MB at Aura's 4 KiB pages, few event-loop hops, small steps. */
export const BACKUP_PAGES_PER_STEP = 4096;
/** Problems quick_check lists for a backup copy: enough to see what is hit, short enough to read. */
export const BACKUP_CHECK_ROWS = 20;
/** Snapshot copies need this much more free temp space than the file itself. */
const SNAPSHOT_SPACE_MARGIN = 1.1;

export interface DatabaseServiceOptions {
  nativeBinding?: string;
  workerScript?: string;
  execPath?: string;
  queryTimeoutMs?: number;
  rowCap?: number;
  countCap?: number;
  busyTimeoutMs?: number;
}

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

interface Target {
  insp: FileInspection;
  /** The file the executor opens: aura.db itself or a private snapshot copy. */
  openFile: string;
  key: string;
}

interface SchemaCache {
  key: string;
  tables: Map<string, SourceDef>;
}

/** Tables and views with their columns and whether they are WITHOUT ROWID, one row per column. */
const SCHEMA_SQL = `SELECT m.name, m.type, p.name, p.type, p."notnull", p.pk,
         (SELECT l.wr FROM pragma_table_list(m.name) AS l WHERE l.schema = 'main')
       FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p
       WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       ORDER BY m.name, p.cid`;

function parseSchema(rows: Cell[][]): Map<string, SourceDef> {
  const tables = new Map<string, SourceDef>();
  for (const r of rows) {
    const name = str(r[0]);
    let t = tables.get(name);
    if (!t) {
      t = { type: str(r[1]) === 'view' ? 'view' : 'table', columns: [], withoutRowid: num(r[6]) === 1 };
      tables.set(name, t);
    }
    t.columns.push({ name: str(r[2]), type: str(r[3]), notNull: num(r[4]) !== 0, pk: num(r[5]) });
  }
  return tables;
}

function elapsedSince(t0: number): number {
  return Math.round((performance.now() - t0) * 10) / 10;
}

function num(c: Cell | undefined): number {
  if (typeof c === 'number') return c;
  if (c && typeof c === 'object' && c.kind === 'bigint') return Number(c.value);
  return 0;
}

function str(c: Cell | undefined): string {
  if (typeof c === 'string') return c;
  if (c === null || c === undefined) return '';
  if (typeof c === 'number') return String(c);
  return c.kind === 'long-text' ? c.text : c.kind === 'bigint' ? c.value : '';
}

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `<base>.db`, or `<base>-2.db`, ... when two backups start within the same second. */
function freeName(dir: string, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base}.db` : `${base}-${n}.db`;
    if (!fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(dir, `${name}.partial`)))
      return name;
  }
}

export class DatabaseService {
  private readonly interactive: Executor;
  private readonly jobs: Executor;
  private queryStore: QueryStore | null = null;
  /** ops.db opened by this service (no store was given); closed on dispose. */
  private ownStore: OpsStore | null = null;
  private readonly queryTimeoutMs: number;
  private readonly rowCap: number;
  private readonly countCap: number;
  private readonly busyTimeoutMs: number;
  private schema: SchemaCache | null = null;
  private snapshot: { key: string; dir: string; file: string } | null = null;
  private snapshotPending: Promise<{ key: string; dir: string; file: string }> | null = null;
  private oldSnapshotDirs: string[] = [];

  constructor(
    private readonly deps: DatabaseDeps,
    options: DatabaseServiceOptions = {},
  ) {
    const execOpts = {
      workerScript: options.workerScript ?? defaultWorkerScript(),
      // The CLI makes its own service: under Electron it needs the Electron-ABI build too.
      nativeBinding: options.nativeBinding ?? electronNativeBinding(),
      execPath: options.execPath,
    };
    this.interactive = new Executor('interactive', execOpts);
    this.jobs = new Executor('jobs', execOpts);
    this.queryTimeoutMs = options.queryTimeoutMs ?? QUERY_TIMEOUT_MS;
    this.rowCap = options.rowCap ?? ROW_CAP;
    this.countCap = options.countCap ?? COUNT_CAP;
    this.busyTimeoutMs = options.busyTimeoutMs ?? BUSY_TIMEOUT_MS;
  }

  /**
   * Wires the service to a host's context: aura.db of the attached install, events, disposal, and
   * the console's store (`store`, for the SQL history and saved queries).
   */
  static fromContext(
    ctx: ServiceContext,
    options: DatabaseServiceOptions & { store?: OpsStoreLike } = {},
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
    return this.interactive.prewarm();
  }

  /** Pid of the interactive executor (tests use it to see a timed-out executor replaced). */
  get executorPid(): number | null {
    return this.interactive.pid;
  }

  async dispose(): Promise<void> {
    await Promise.all([this.interactive.dispose(), this.jobs.dispose()]);
    this.queryStore = null;
    this.ownStore?.close();
    this.ownStore = null;
    const dirs = [...this.oldSnapshotDirs, ...(this.snapshot ? [this.snapshot.dir] : [])];
    this.snapshot = null;
    this.oldSnapshotDirs = [];
    await Promise.all(dirs.map((d) => fs.promises.rm(d, { recursive: true, force: true })));
  }

  // ---------------------------------------------------------------- opening

  private async target(): Promise<Target> {
    const dbPath = this.deps.dbPath();
    if (!dbPath) {
      throw new OpsError(
        'not-found',
        'No Aura install is attached, so there is no aura.db to inspect',
        'Attach an install first (Install panel, or --db FILE on the command line).',
      );
    }
    const insp = await inspectFile(path.resolve(dbPath));
    // The identity covers aura.db, -wal and -shm: any change reopens the readers (executor.ts).
    if (insp.access === 'in-place') {
      return { insp, openFile: insp.path, key: `in-place|${insp.path}|${insp.identity}` };
    }
    const key = `snapshot|${insp.path}|${insp.identity}`;
    const snap = await this.ensureSnapshot(key, insp);
    return { insp, openFile: snap.file, key };
  }

  /**
   * A WAL-mode aura.db with no -wal/-shm (Aura stopped) cannot be opened read-only in place without
   * SQLite creating both files next to it, so we read a private copy (a reflink where supported).
   */
  private async ensureSnapshot(
    key: string,
    insp: FileInspection,
  ): Promise<{ key: string; dir: string; file: string }> {
    if (this.snapshot?.key === key) return this.snapshot;
    if (this.snapshotPending) {
      const s = await this.snapshotPending;
      if (s.key === key) return s;
    }
    this.snapshotPending = (async () => {
      const tmp = os.tmpdir();
      const need = (insp.file.size + insp.walFile.size) * SNAPSHOT_SPACE_MARGIN;
      const sfs = await fs.promises.statfs(tmp);
      if (sfs.bavail * sfs.bsize < need) {
        throw new OpsError(
          'unavailable',
          `Not enough free space in ${tmp} for a private snapshot of aura.db (${Math.ceil(need / 1e6)} MB needed)`,
          'aura.db is in WAL mode and Aura is stopped; reading it in place would create -wal/-shm files. Free temp space, or start Aura and retry.',
        );
      }
      const dir = await fs.promises.mkdtemp(path.join(tmp, 'aura-ops-db-'));
      const file = path.join(dir, path.basename(insp.path));
      await fs.promises.copyFile(insp.path, file, fs.constants.COPYFILE_FICLONE);
      if (insp.walFile.exists)
        await fs.promises.copyFile(insp.walFile.path, `${file}-wal`, fs.constants.COPYFILE_FICLONE);
      if (this.snapshot) this.oldSnapshotDirs.push(this.snapshot.dir);
      this.snapshot = { key, dir, file };
      return this.snapshot;
    })();
    try {
      return await this.snapshotPending;
    } finally {
      this.snapshotPending = null;
    }
  }

  private async exec(
    lane: Executor,
    items: StmtItem[],
    opts: { timeoutMs?: number; requestId?: string; stopOnError?: boolean } = {},
  ): Promise<{ target: Target; results: ItemOutcome[] }> {
    const target = await this.target();
    const runOpts: RunOptions = {
      timeoutMs: opts.timeoutMs ?? this.queryTimeoutMs,
      requestId: opts.requestId,
      open: { key: target.key, file: target.openFile, busyTimeoutMs: this.busyTimeoutMs },
    };
    try {
      const results = await lane.run({ op: 'run', items, stopOnError: opts.stopOnError ?? false }, runOpts);
      return { target, results };
    } catch (err) {
      throw this.mapError(err, target);
    }
  }

  private mapError(err: unknown, target: Target): unknown {
    if (err instanceof WorkerFailure) return mapSqliteError(err.code, err.message, target.insp.path);
    return err;
  }

  private item(
    sql: string,
    params: (string | number | null)[] = [],
    maxRows = this.rowCap,
    guard = false,
  ): StmtItem {
    return { sql, params, maxRows, maxText: CELL_TEXT_MAX, maxBytes: PAGE_CHARS_MAX, guard };
  }

  private unwrap(outcome: ItemOutcome, target: Target): StmtResult {
    if (outcome.ok) return outcome.value;
    throw mapSqliteError(outcome.error.code, outcome.error.message, target.insp.path);
  }

  /** Tables and columns of the open file; cached per file identity, reloaded on demand. */
  private async loadSchema(force = false): Promise<SchemaCache> {
    if (!force && this.schema) {
      const target = await this.target();
      if (this.schema.key === target.key) return this.schema;
    }
    const { target, results } = await this.exec(this.interactive, [this.item(SCHEMA_SQL, [], 1_000_000)]);
    this.schema = { key: target.key, tables: parseSchema(this.unwrap(results[0], target).rows) };
    return this.schema;
  }

  private async tableDef(name: string): Promise<SourceDef> {
    let def = (await this.loadSchema()).tables.get(name);
    // Aura may have migrated since the cache was filled.
    if (!def) def = (await this.loadSchema(true)).tables.get(name);
    if (!def)
      throw new OpsError(
        'not-found',
        `aura.db has no table or view named ${name}`,
        'Pick one from the table list.',
      );
    return def;
  }

  // ---------------------------------------------------------------- lock state

  /** Who holds a write lock on aura.db now; no SQLite open, no lock taken. */
  async lockState(): Promise<DbLockState> {
    const dbPath = this.deps.dbPath();
    if (!dbPath) {
      throw new OpsError(
        'not-found',
        'No Aura install is attached, so there is no aura.db to inspect',
        'Attach an install first (Install panel, or --db FILE on the command line).',
      );
    }
    let real = path.resolve(dbPath);
    try {
      real = await fs.promises.realpath(real);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT')
        throw new OpsError(
          'unavailable',
          `Cannot read ${real}: ${(err as Error).message}`,
          'Check the file permissions.',
        );
    }
    return sharedLockWatch.observe(lockFilesOf(real));
  }

  // ---------------------------------------------------------------- overview

  async overview(): Promise<DbOverview> {
    const t0 = performance.now();
    const { target, results } = await this.exec(this.interactive, [
      this.item(
        `SELECT (SELECT page_count FROM pragma_page_count()), (SELECT page_size FROM pragma_page_size()),
                (SELECT freelist_count FROM pragma_freelist_count()), (SELECT journal_mode FROM pragma_journal_mode()),
                sqlite_version()`,
      ),
      this.item(SCHEMA_SQL, [], 1_000_000),
      this.item(
        `SELECT m.name, il.name, il."unique", il.origin, ii.name
         FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS il JOIN pragma_index_info(il.name) AS ii
         WHERE m.type = 'table' ORDER BY m.name, il.name, ii.seqno`,
        [],
        1_000_000,
      ),
    ]);
    const head = this.unwrap(results[0], target).rows[0] ?? [];
    const pageCount = num(head[0]);
    const pageSize = num(head[1]);
    const freelistPages = num(head[2]);
    const tables = parseSchema(this.unwrap(results[1], target).rows);
    this.schema = { key: target.key, tables };
    const indexes = new Map<string, IndexSummary>();
    for (const r of this.unwrap(results[2], target).rows) {
      const name = str(r[1]);
      let ix = indexes.get(name);
      if (!ix)
        indexes.set(
          name,
          (ix = { name, table: str(r[0]), unique: num(r[2]) !== 0, origin: str(r[3]), columns: [] }),
        );
      ix.columns.push(str(r[4]));
    }

    // Second round: capped counts (never a full scan of a huge table) and the migration history.
    const names = [...tables.entries()].filter(([, t]) => t.type === 'table').map(([n]) => n);
    const hasHistory = tables.has(MIGRATIONS_TABLE);
    const second = await this.exec(this.interactive, [
      ...names.map((n) =>
        this.item(`SELECT count(*) FROM (SELECT 1 FROM ${quoteIdent(n)} LIMIT ${this.countCap + 1})`),
      ),
      ...(hasHistory
        ? [
            this.item(
              `SELECT "MigrationId" FROM ${quoteIdent(MIGRATIONS_TABLE)} ORDER BY "MigrationId"`,
              [],
              10_000,
            ),
          ]
        : []),
    ]);
    const notes: string[] = [];
    const summaries: TableSummary[] = [];
    for (const [name, t] of tables) {
      const idx = names.indexOf(name);
      const s: TableSummary = { name, type: t.type, columns: t.columns, rowCount: null, capped: false };
      if (idx >= 0) {
        const o = second.results[idx];
        if (o.ok) {
          const n = num(o.value.rows[0]?.[0]);
          s.rowCount = Math.min(n, this.countCap);
          s.capped = n > this.countCap;
        } else {
          s.countError = mapSqliteError(o.error.code, o.error.message, target.insp.path).message;
          notes.push(`Counting ${name} failed: ${o.error.message}`);
        }
      }
      summaries.push(s);
    }
    let applied: string[] | null = null;
    let schema = schemaState(null);
    if (hasHistory) {
      const o = second.results[names.length];
      if (o.ok) {
        applied = o.value.rows.map((r) => str(r[0]));
        schema = schemaState(applied);
      } else {
        schema = {
          ...schemaState(null),
          state: 'unreadable',
          summary: `__EFMigrationsHistory could not be read: ${o.error.message}`,
        };
      }
    }

    const { insp } = target;
    const lock = await this.lockState();
    if (insp.linkedFrom)
      notes.push(`${insp.linkedFrom} is a symbolic link: reading its target, ${insp.path}.`);
    const freeRatio = pageCount > 0 ? freelistPages / pageCount : 0;
    const vacuumCandidate = freeRatio > VACUUM_FREE_RATIO;
    if (target.openFile !== insp.path) {
      notes.push(
        'aura.db is in WAL mode but has no -wal/-shm files (Aura is stopped): reading a private snapshot copy, because opening it in place would create those files next to it.',
      );
    }
    if (vacuumCandidate) {
      notes.push(
        `${Math.round(freeRatio * 100)}% of the file is free pages: a VACUUM candidate (with Aura stopped, on a backup first).`,
      );
    }
    const sizeBytes = pageCount * pageSize;
    if (insp.wal && insp.walFile.size > sizeBytes * WAL_LARGE_RATIO && insp.walFile.size > 16 * 1024 * 1024) {
      notes.push(
        'The -wal file is large compared with the database: checkpoints are not keeping up (a long-lived reader, or Aura under heavy write load).',
      );
    }
    return {
      dbPath: insp.path,
      ...(insp.linkedFrom ? { linkedFrom: insp.linkedFrom } : {}),
      lock,
      access: target.openFile === insp.path ? 'in-place' : 'snapshot',
      file: insp.file,
      wal: insp.walFile,
      shm: insp.shmFile,
      journalMode: str(head[3]),
      pageSize,
      pageCount,
      sizeBytes,
      freelistPages,
      freeRatio,
      vacuumCandidate,
      vacuumThreshold: VACUUM_FREE_RATIO,
      sqliteVersion: str(head[4]),
      schema,
      tables: summaries,
      indexes: [...indexes.values()],
      countCap: this.countCap,
      notes,
      elapsedMs: elapsedSince(t0),
    };
  }

  async tables(): Promise<TableSummary[]> {
    return (await this.overview()).tables;
  }

  async count(
    table: string,
    opts: { requestId?: string; timeoutMs?: number } = {},
  ): Promise<{ table: string; count: number; elapsedMs: number }> {
    const t0 = performance.now();
    await this.tableDef(table);
    const { target, results } = await this.exec(
      this.interactive,
      [this.item(`SELECT count(*) FROM ${quoteIdent(table)}`)],
      opts,
    );
    return { table, count: num(this.unwrap(results[0], target).rows[0]?.[0]), elapsedMs: elapsedSince(t0) };
  }

  // ---------------------------------------------------------------- browser and console

  /**
   * One page of a table or view. Tables page by key (paging.ts): `cursor` (a page's next/prev
   * cursor) seeks straight to the neighbouring page; `offset` alone jumps to a row position by
   * finding the key there with a key-only scan (an index when one covers it). Views, and tables
   * without a usable key, page with OFFSET; `paging.reason` says so.
   */
  async rows(p: {
    table: string;
    offset?: number;
    cursor?: string;
    limit?: number;
    sort?: { column: string; dir: 'asc' | 'desc' };
    filters?: { column: string; op: FilterOp; value?: string | number | null }[];
    requestId?: string;
    timeoutMs?: number;
  }): Promise<RowsPage> {
    const t0 = performance.now();
    const def = await this.tableDef(p.table);
    const limit = Math.min(p.limit ?? this.rowCap, this.rowCap);
    const filters = p.filters ?? [];
    const plan = planPaging(p.table, def, p.sort);
    const shape = listingShape(p.table, p.sort, filters, plan);
    const cursor = p.cursor ? decodeCursor(shape, p.cursor) : null;
    const types = new Map(def.columns.map((c) => [c.name, c.type]));
    const page = (r: StmtResult, offset: number, sql: string, paging: PagingInfo): RowsPage => ({
      columns: r.columns.map((c) => ({
        name: c.name,
        declaredType: c.declaredType ?? types.get(c.name) ?? null,
      })),
      rows: r.rows,
      offset,
      limit,
      hasMore: r.hasMore,
      elapsedMs: elapsedSince(t0),
      sql,
      paging,
    });
    const run = async (
      q: { sql: string; params: PageParam[]; keyCols?: number },
      maxRows = limit,
    ): Promise<StmtResult> => {
      const { target, results } = await this.exec(
        this.interactive,
        [{ ...this.item(q.sql, [], maxRows), params: q.params, keyCols: q.keyCols }],
        p,
      );
      return this.unwrap(results[0], target);
    };

    if (plan.mode === 'offset') {
      const offset = cursor ? cursor.position : (p.offset ?? 0);
      const q = buildRowsQuery({
        table: p.table,
        columns: def.columns,
        sort: p.sort,
        filters,
        limit,
        offset,
      });
      const r = await run(q);
      return page(r, offset, q.sql, {
        mode: 'offset',
        order: plan.order,
        reason: plan.reason,
        nextCursor: r.hasMore
          ? encodeCursor(shape, { mode: 'offset', position: offset + r.rows.length })
          : null,
        prevCursor:
          offset > 0 ? encodeCursor(shape, { mode: 'offset', position: Math.max(0, offset - limit) }) : null,
      });
    }

    const base = { table: p.table, columns: def.columns, filters, keys: plan.keys, limit };
    const order = plan.keys.map((k) => k.label);
    const keysetPaging = (
      next: RawValue[] | null,
      prev: RawValue[] | null,
      position: number,
      rowCount: number,
    ): PagingInfo => ({
      mode: 'keyset',
      order,
      nextCursor: next
        ? encodeCursor(shape, { mode: 'keyset', dir: 'after', key: next, position: position + rowCount })
        : null,
      prevCursor: prev
        ? encodeCursor(shape, { mode: 'keyset', dir: 'before', key: prev, position: position - limit })
        : null,
    });
    const forward = async (after: RawValue[] | undefined, position: number): Promise<RowsPage> => {
      const q = buildKeysetQuery({ ...base, after });
      if (!q)
        return page(
          { columns: [], rows: [], hasMore: false },
          position,
          '',
          keysetPaging(null, null, position, 0),
        );
      const r = await run(q);
      const keys = r.keys ?? { first: null, last: null };
      return page(
        r,
        position,
        q.sql,
        keysetPaging(r.hasMore ? keys.last : null, position > 0 ? keys.first : null, position, r.rows.length),
      );
    };

    if (cursor?.mode === 'keyset' && cursor.dir === 'before') {
      const q = buildKeysetQuery({ ...base, after: cursor.key, reverse: true });
      const r = q ? await run(q) : null;
      // Reached the start with a short page: show the first full page instead.
      if (!q || !r || (!r.hasMore && r.rows.length < limit)) return forward(undefined, 0);
      const keys = r.keys ?? { first: null, last: null };
      const position = r.hasMore ? Math.max(0, cursor.position) : 0;
      const reversed: StmtResult = { columns: r.columns, rows: [...r.rows].reverse(), hasMore: true };
      // Fetched backwards: the page's last row is the first fetched, its first row the last fetched.
      return page(
        reversed,
        position,
        q.sql,
        keysetPaging(keys.first, r.hasMore ? keys.last : null, position, r.rows.length),
      );
    }
    if (cursor?.mode === 'keyset') return forward(cursor.key, cursor.position);
    const jump = cursor ? cursor.position : (p.offset ?? 0);
    if (jump === 0) return forward(undefined, 0);
    // A jump: the key of the row just before the target position, read from the keys alone.
    const anchorQ = buildKeysetQuery({ ...base, limit: 0, keysOnly: true, offset: jump - 1 });
    const anchor = anchorQ ? await run(anchorQ, 1) : null;
    const key = anchor?.keys?.first;
    if (!key)
      return page(
        { columns: [], rows: [], hasMore: false },
        jump,
        anchorQ?.sql ?? '',
        keysetPaging(null, null, jump, 0),
      );
    return forward(key, jump);
  }

  async query(p: {
    sql: string;
    params?: (string | number | null)[];
    limit?: number;
    requestId?: string;
    timeoutMs?: number;
    record?: boolean;
  }): Promise<QueryResult> {
    const t0 = performance.now();
    const limit = Math.min(p.limit ?? this.rowCap, this.rowCap);
    const record = p.record ?? true;
    try {
      guardStatement(p.sql);
      const { target, results } = await this.exec(
        this.interactive,
        [this.item(p.sql, p.params ?? [], limit, true)],
        p,
      );
      const r = this.unwrap(results[0], target);
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
      ...this.item(`EXPLAIN QUERY PLAN ${sql}`, params, 10_000, true),
      padParams: params.length === 0,
    };
    const { target, results } = await this.exec(this.interactive, [item]);
    return this.unwrap(results[0], target).rows.map((r) => ({
      id: num(r[0]),
      parent: num(r[1]),
      detail: str(r[3]),
    }));
  }

  /** True while the request is being executed by the interactive reader process (not queued). */
  isExecuting(requestId: string): boolean {
    return this.interactive.runningRequestId === requestId;
  }

  cancel(requestId?: string): { cancelled: number } {
    return { cancelled: this.interactive.cancel(requestId) + this.jobs.cancel(requestId) };
  }

  // ---------------------------------------------------------------- ready views

  async views(): Promise<ReadyView[]> {
    const schema = await this.loadSchema();
    const out: ReadyView[] = READY_VIEWS.map((v) => {
      const missing: string[] = [];
      for (const [table, cols] of Object.entries(v.needs)) {
        const def = schema.tables.get(table);
        if (!def) missing.push(`table ${table}`);
        else {
          const have = new Set(def.columns.map((c) => c.name));
          for (const c of cols) if (!have.has(c)) missing.push(`${table}.${c}`);
        }
      }
      const view: ReadyView = {
        id: v.id,
        title: v.title,
        description: v.description,
        available: missing.length === 0,
      };
      if (missing.length) view.reason = `aura.db lacks ${missing.join(', ')}`;
      return view;
    });
    const { target, results } = await this.exec(this.interactive, [
      this.item(`SELECT count(*) FROM pragma_compile_options WHERE compile_options = 'ENABLE_DBSTAT_VTAB'`),
    ]);
    const dbstat = num(this.unwrap(results[0], target).rows[0]?.[0]) > 0;
    const growth: ReadyView = {
      id: GROWTH_VIEW_ID,
      title: 'DB growth by table',
      description:
        'Bytes and pages each table and index takes (dbstat; reads every page, so it takes a while on a big file).',
      available: dbstat,
    };
    if (!dbstat) growth.reason = 'This SQLite build has no dbstat; use the overview row counts instead.';
    out.push(growth);
    return out;
  }

  async view(p: {
    id: string;
    offset?: number;
    limit?: number;
    olderThanMinutes?: number;
    requestId?: string;
    timeoutMs?: number;
  }): Promise<RowsPage> {
    const t0 = performance.now();
    const limit = Math.min(p.limit ?? this.rowCap, this.rowCap);
    const offset = p.offset ?? 0;
    let sql: string;
    let params: (string | number)[];
    if (p.id === GROWTH_VIEW_ID) {
      sql = GROWTH_DBSTAT_SQL;
      params = [];
    } else {
      const def = READY_VIEWS.find((v) => v.id === p.id);
      if (!def)
        throw new OpsError(
          'not-found',
          `No ready view named ${p.id}`,
          `Views: ${[...READY_VIEWS.map((v) => v.id), GROWTH_VIEW_ID].join(', ')}.`,
        );
      const available = (await this.views()).find((v) => v.id === p.id);
      if (available && !available.available)
        throw new OpsError(
          'not-found',
          `${def.title} is not available: ${available.reason}`,
          'This aura.db has an older or different schema; see the overview.',
        );
      sql = def.sql;
      params = def.params({ olderThanMinutes: p.olderThanMinutes ?? STUCK_JOB_MINUTES });
    }
    const full = `${sql}\nLIMIT ${limit + 1} OFFSET ${offset}`;
    const { target, results } = await this.exec(this.interactive, [this.item(full, params, limit, true)], p);
    const r = this.unwrap(results[0], target);
    return { ...r, offset, limit, elapsedMs: elapsedSince(t0), sql: full };
  }

  // ---------------------------------------------------------------- health

  async check(kind: 'quick' | 'integrity', jobId: string): Promise<CheckResult> {
    const t0 = performance.now();
    const target = await this.target();
    const tables = ['sqlite_schema', ...(await this.btreeTables())];
    const emit = (p: { done: number; total: number; current: string | null }) => {
      const payload: JobProgress = { jobId, ...p };
      this.deps.emit('db:check-progress', payload);
    };
    try {
      const r = await this.jobs.run(
        { op: 'check', kind: kind === 'quick' ? 'quick_check' : 'integrity_check', tables },
        {
          timeoutMs: JOB_TIMEOUT_MS,
          requestId: jobId,
          onProgress: emit,
          open: { key: target.key, file: target.openFile, busyTimeoutMs: this.busyTimeoutMs },
        },
      );
      return {
        kind,
        ok: r.problems.length === 0,
        problems: r.problems,
        tablesChecked: r.tablesChecked,
        elapsedMs: elapsedSince(t0),
        scope: 'per-table',
      };
    } catch (err) {
      const mapped = this.mapError(err, target);
      // A check that finds the file too damaged to even read is a result, not a failure of the check.
      if (mapped instanceof OpsError && mapped.code === 'corrupt') {
        return {
          kind,
          ok: false,
          problems: [mapped.message],
          tablesChecked: 0,
          elapsedMs: elapsedSince(t0),
          scope: 'per-table',
        };
      }
      throw mapped;
    }
  }

  private async btreeTables(): Promise<string[]> {
    const { target, results } = await this.exec(this.interactive, [
      this.item(
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name`,
        [],
        1_000_000,
      ),
    ]);
    return this.unwrap(results[0], target).rows.map((r) => str(r[0]));
  }

  /**
   * Online backup with SQLite's backup API into a new file: `out` (CLI) or <dataDir>/backups/<name>.
   * Never overwrites, never writes aura.db or its sidecars; a partial file is removed on failure.
   */
  async backup(p: { jobId?: string; out?: string; name?: string }): Promise<BackupResult> {
    const t0 = performance.now();
    const stamp = timestamp();
    const target = await this.target();
    const dbPath = target.insp.path;
    let dest: string;
    if (p.out) {
      dest = path.resolve(p.out);
      const dir = path.dirname(dest);
      if (!fs.existsSync(dir))
        throw new OpsError(
          'not-found',
          `The folder ${dir} does not exist`,
          'Create it first or choose another --out.',
        );
    } else {
      const dir = path.join(this.deps.dataDir, 'backups');
      makePrivateDir(dir);
      dest = path.join(dir, p.name ?? freeName(dir, `aura-${stamp}`));
    }
    const forbidden = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`];
    let realDest = dest;
    try {
      realDest = path.join(fs.realpathSync(path.dirname(dest)), path.basename(dest));
    } catch (err) {
      throw new OpsError(
        'not-found',
        `Cannot resolve ${path.dirname(dest)}: ${(err as Error).message}`,
        'Choose an existing folder.',
      );
    }
    const realDb = fs.realpathSync(dbPath);
    if (
      forbidden.includes(dest) ||
      [realDb, `${realDb}-wal`, `${realDb}-shm`, `${realDb}-journal`].includes(realDest)
    ) {
      throw new OpsError(
        'forbidden-path',
        'The backup cannot be written over aura.db or its -wal/-shm/-journal',
        'Choose a new file name.',
      );
    }
    if (fs.existsSync(dest))
      throw new OpsError(
        'bad-request',
        `${dest} already exists`,
        'Backups never overwrite a file; choose a new name.',
      );
    const partial = `${dest}.partial`;
    const jobId = p.jobId ?? `backup-${Date.now()}`;
    const cleanup = () =>
      Promise.all(
        [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`].map((f) =>
          fs.promises.rm(f, { force: true }),
        ),
      );
    try {
      // A copy of aura.db is as private as the original: owner-only before a page is written.
      touchPrivateFile(partial);
      const r = await this.jobs.run(
        {
          op: 'backup',
          dest: partial,
          holdSnapshot: target.insp.wal,
          pagesPerStep: BACKUP_PAGES_PER_STEP,
          verifyRows: BACKUP_CHECK_ROWS,
        },
        {
          timeoutMs: JOB_TIMEOUT_MS,
          requestId: jobId,
          onProgress: (pr) => this.deps.emit('db:backup-progress', { jobId, ...pr } satisfies JobProgress),
          open: { key: target.key, file: target.openFile, busyTimeoutMs: this.busyTimeoutMs },
        },
      );
      // The check opened the copy read-only; SQLite may have made -wal/-shm for it (the copy is WAL too).
      await Promise.all([`${partial}-wal`, `${partial}-shm`].map((f) => fs.promises.rm(f, { force: true })));
      const quickCheck = r.quickCheck ?? { ok: false, problems: ['the copy was not checked'] };
      let damaged: BackupResult['damaged'];
      if (!quickCheck.ok) {
        // An auto-named backup says so in its name; a chosen name is kept, and the sidecar says it.
        if (!p.out && !p.name)
          dest = path.join(path.dirname(dest), freeName(path.dirname(dest), `aura-${stamp}-DAMAGED`));
        if (fs.existsSync(dest))
          throw new OpsError(
            'bad-request',
            `${dest} already exists`,
            'Backups never overwrite a file; choose a new name.',
          );
        const sidecar = `${dest}.DAMAGED.txt`;
        const warning =
          `aura.db fails quick_check, so this backup holds the same damage (${quickCheck.problems.length} problem${quickCheck.problems.length === 1 ? '' : 's'} listed in ${path.basename(sidecar)}). ` +
          'Keep it as evidence, but do not restore from it: restore from an older backup that passes quick_check (Database Issues, Backup and Restore).';
        fs.writeFileSync(
          sidecar,
          [
            `DAMAGED BACKUP: ${path.basename(dest)}`,
            `Copied from ${dbPath} at ${new Date(nowMs()).toISOString()}; sha256 ${r.sha256}.`,
            'PRAGMA quick_check of the copy (the same pages aura.db had) reported:',
            ...quickCheck.problems.map((l) => `  ${l}`),
            '',
            warning,
            '',
          ].join('\n'),
          { mode: 0o600, flag: 'wx' },
        );
        damaged = { warning, sidecar };
      }
      await fs.promises.rename(partial, dest);
      const ms = (n: number) => Math.round(n * 10) / 10;
      return {
        file: dest,
        size: r.size,
        sha256: r.sha256,
        pages: r.pages,
        elapsedMs: elapsedSince(t0),
        copyMs: ms(r.copyMs),
        hashMs: ms(r.hashMs),
        quickCheck,
        ...(damaged ? { damaged } : {}),
      };
    } catch (err) {
      await cleanup();
      throw this.mapError(err, target);
    }
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
