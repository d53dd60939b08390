// Contract domain "database": the read-only aura.db inspector (overview, browser, SQL console,
// ready views, health checks and the online backup). Channels are named `db:<verb>`.
import { z } from 'zod';
import { event, request } from './define';

/** One cell as it crosses the boundary: JSON-safe, big values summarised. */
export type Cell =
  | null
  | number
  | string
  | { kind: 'bigint'; value: string }
  | { kind: 'blob'; bytes: number; hex: string }
  | { kind: 'long-text'; text: string; length: number };

export interface ColumnInfo {
  name: string;
  /** Declared type from the schema (null for expressions). */
  declaredType: string | null;
}

/** How the browser pages a table, and the cursors to the neighbouring pages. */
export interface PagingInfo {
  /** 'keyset': seeks by the row key (fast at any depth); 'offset': reads every row before the page. */
  mode: 'keyset' | 'offset';
  /** The order rows come in, e.g. ["JobId", "rowid"] (empty: unspecified, offset mode only). */
  order: string[];
  /** Pass as `cursor` to get the next page; null on the last page. */
  nextCursor: string | null;
  /** Pass as `cursor` to get the previous page; null on the first page. */
  prevCursor: string | null;
  /** Why OFFSET paging is used (offset mode). */
  reason?: string;
}

export interface RowsPage {
  columns: ColumnInfo[];
  rows: Cell[][];
  /** Position of the first row (0-based; approximate after concurrent writes in keyset mode). */
  offset: number;
  limit: number;
  /** More rows exist after this page. */
  hasMore: boolean;
  elapsedMs: number;
  /** The SQL that ran (identifiers quoted, values as ? parameters). */
  sql: string;
  /** Set by db:rows (the table browser). */
  paging?: PagingInfo;
}

export interface ColumnDetail {
  name: string;
  type: string;
  notNull: boolean;
  /** 1-based position in the primary key, 0 when not part of it. */
  pk: number;
}

export interface TableSummary {
  name: string;
  type: 'table' | 'view';
  columns: ColumnDetail[];
  /** Row count, capped at `countCap` unless `exact`. */
  rowCount: number | null;
  /** True when the table has more rows than rowCount (ask db:count for the exact number). */
  capped: boolean;
  countError?: string;
}

export interface IndexSummary {
  name: string;
  table: string;
  unique: boolean;
  /** 'c' CREATE INDEX, 'pk' primary key, 'u' UNIQUE constraint. */
  origin: string;
  columns: string[];
}

export type SchemaStateKind = 'current' | 'behind' | 'ahead' | 'diverged' | 'no-history' | 'unreadable';

export interface SchemaState {
  state: SchemaStateKind;
  /** Migration ids found in __EFMigrationsHistory, oldest first. */
  applied: string[];
  lastApplied: string | null;
  /** The newest migration this Aura version ships (FACTS §3). */
  expectedLast: string;
  /** Shipped migrations not applied. */
  missing: string[];
  /** Applied migrations this console does not know. */
  unknown: string[];
  summary: string;
}

export interface SideFile {
  path: string;
  exists: boolean;
  size: number;
  mtime: string | null;
}

/** Which SQLite lock a holder has (os_unix.c): WAL locks live in -shm, rollback locks in aura.db. */
export type DbLockKind =
  'wal-write' | 'wal-checkpoint' | 'wal-recovery' | 'reserved' | 'pending' | 'exclusive';

export interface DbLockHolder {
  pid: number | null;
  /** Its program name (never its arguments, which may hold secrets), when the console may read it. */
  command: string | null;
  kind: DbLockKind;
  /** The file the lock is on (aura.db or aura.db-shm). */
  file: string;
}

/** Whether another process holds a write-type lock on aura.db, read without taking any lock. */
export interface DbLockState {
  /** 'unknown': this system does not tell (no /proc/locks). */
  state: 'locked' | 'free' | 'unknown';
  holders: DbLockHolder[];
  /** When the console first saw the current holder(s) (epoch ms); at least this long. */
  since: number | null;
  checkedAt: number;
  /** What is locked, by whom. */
  summary: string;
  /** What it means for Aura (null when free or unknown). */
  impact: string | null;
  /** The shell command that shows the same. */
  howToCheck: string;
}

export interface DbOverview {
  dbPath: string;
  /** Set when the configured path is a symbolic link: the link as configured (dbPath is its target). */
  linkedFrom?: string;
  /** Write locks on aura.db at the time of the overview. */
  lock: DbLockState;
  /** 'in-place': read where it lies; 'snapshot': a private copy (opening in place would create files). */
  access: 'in-place' | 'snapshot';
  file: SideFile;
  wal: SideFile;
  shm: SideFile;
  journalMode: string;
  pageSize: number;
  pageCount: number;
  /** page_count x page_size, as the handbook measures it. */
  sizeBytes: number;
  freelistPages: number;
  freeRatio: number;
  vacuumCandidate: boolean;
  vacuumThreshold: number;
  sqliteVersion: string;
  schema: SchemaState;
  tables: TableSummary[];
  indexes: IndexSummary[];
  countCap: number;
  /** Things the operator should know (snapshot access, unknown tables...). */
  notes: string[];
  elapsedMs: number;
}

export interface QueryResult extends RowsPage {
  /** Set when the statement was recorded in the history. */
  historyId?: string;
}

export interface PlanStep {
  id: number;
  parent: number;
  detail: string;
}

export interface ReadyView {
  id: string;
  title: string;
  description: string;
  /** False when the tables it needs are missing from this aura.db. */
  available: boolean;
  reason?: string;
}

export interface CheckResult {
  kind: 'quick' | 'integrity';
  ok: boolean;
  problems: string[];
  tablesChecked: number;
  elapsedMs: number;
  /** Checks run table by table (for progress); page-level freelist accounting is not covered. */
  scope: 'per-table';
}

export interface BackupResult {
  file: string;
  size: number;
  sha256: string;
  pages: number;
  elapsedMs: number;
  /** Of elapsedMs: the SQLite backup itself, and hashing the copy. */
  copyMs: number;
  hashMs: number;
  /** PRAGMA quick_check of the copy (the same pages aura.db had): a damaged source gives a damaged copy. */
  quickCheck: { ok: boolean; problems: string[] };
  /** Set when the copy failed quick_check: the warning to show, and the sidecar that says so next to it. */
  damaged?: { warning: string; sidecar: string };
}

export interface HistoryEntry {
  id: string;
  sql: string;
  at: string;
  ok: boolean;
  rows?: number;
  elapsedMs?: number;
  error?: string;
}

export interface SavedQuery {
  name: string;
  sql: string;
  savedAt: string;
}

export interface JobProgress {
  jobId: string;
  done: number;
  total: number;
  /** The table being checked, when relevant. */
  current: string | null;
}

const identifier = z.string().min(1).max(256);
const requestId = z.string().min(1).max(100).optional();
const timeoutMs = z.number().int().min(100).max(600_000).optional();
const pageLimit = z.number().int().min(1).max(10_000).optional();
const sqlValue = z.union([z.string().max(100_000), z.number(), z.null()]);

export const filterOps = [
  '=',
  '!=',
  '<',
  '<=',
  '>',
  '>=',
  'contains',
  'starts-with',
  'is-null',
  'not-null',
] as const;
export type FilterOp = (typeof filterOps)[number];

const filterSchema = z
  .object({ column: identifier, op: z.enum(filterOps), value: sqlValue.optional() })
  .strict();

export const databaseChannels = {
  'db:overview': request<DbOverview>()(z.object({}).strict()),
  'db:tables': request<TableSummary[]>()(z.object({}).strict()),
  /** Who holds a write lock on aura.db now (cheap: no SQLite open; polled by the Database tab). */
  'db:lock': request<DbLockState>()(z.object({}).strict()),
  /** Exact count(*) of one table, in the executor, with the query time limit. */
  'db:count': request<{ table: string; count: number; elapsedMs: number }>()(
    z.object({ table: identifier, requestId, timeoutMs }).strict(),
  ),
  'db:rows': request<RowsPage>()(
    z
      .object({
        table: identifier,
        /** Jump to this row position (ignored when `cursor` is given). */
        offset: z.number().int().min(0).default(0),
        /** A page's nextCursor/prevCursor: the page after/before it, at any depth. */
        cursor: z.string().min(1).max(400_000).optional(),
        limit: pageLimit,
        sort: z
          .object({ column: identifier, dir: z.enum(['asc', 'desc']) })
          .strict()
          .optional(),
        filters: z.array(filterSchema).max(20).default([]),
        requestId,
        timeoutMs,
      })
      .strict(),
  ),
  'db:query': request<QueryResult>()(
    z
      .object({
        sql: z.string().min(1).max(100_000),
        params: z.array(sqlValue).max(100).default([]),
        limit: pageLimit,
        requestId,
        timeoutMs,
        /** Record in the history (the console does; paging a result does not). */
        record: z.boolean().default(true),
      })
      .strict(),
  ),
  /** Stop a running request (kills its executor and starts a fresh one); all when no id. */
  'db:cancel': request<{ cancelled: number }>()(z.object({ requestId }).strict()),
  'db:explain': request<PlanStep[]>()(
    z
      .object({ sql: z.string().min(1).max(100_000), params: z.array(sqlValue).max(100).default([]) })
      .strict(),
  ),
  'db:views': request<ReadyView[]>()(z.object({}).strict()),
  'db:view': request<RowsPage>()(
    z
      .object({
        id: z.string().min(1).max(100),
        offset: z.number().int().min(0).default(0),
        limit: pageLimit,
        /** For the stuck-jobs view: how old UpdatedAt must be. */
        olderThanMinutes: z.number().int().min(1).max(100_000).optional(),
        requestId,
        timeoutMs,
      })
      .strict(),
  ),
  'db:check': request<CheckResult>()(
    z.object({ kind: z.enum(['quick', 'integrity']), jobId: z.string().min(1).max(100) }).strict(),
  ),
  /** Online backup into the console's data dir (`name` is a file name, not a path). */
  'db:backup': request<BackupResult>()(
    z
      .object({
        jobId: z.string().min(1).max(100),
        name: z
          .string()
          .regex(/^[\w.-]{1,120}$/, 'a plain file name (letters, digits, . _ -)')
          .optional(),
      })
      .strict(),
  ),
  'db:history': request<HistoryEntry[]>()(z.object({}).strict()),
  'db:clear-history': request<HistoryEntry[]>()(z.object({}).strict()),
  'db:saved-queries': request<SavedQuery[]>()(z.object({}).strict()),
  'db:save-query': request<SavedQuery[]>()(
    z.object({ name: z.string().min(1).max(200), sql: z.string().min(1).max(100_000) }).strict(),
  ),
  'db:delete-query': request<SavedQuery[]>()(z.object({ name: z.string().min(1).max(200) }).strict()),
} as const;

export const databaseEvents = {
  'db:check-progress': event<JobProgress>(),
  'db:backup-progress': event<JobProgress>(),
} as const;
