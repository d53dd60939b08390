// The message protocol between the service and its executor process (db-worker.ts, built as
// db-worker.cjs): both sides are typed from here, so a change that one side misses does not compile.
import type { Cell, ColumnInfo } from '../../../shared/contract/database';

/** A raw key value: integers as bigint (safe integers), blobs as bytes. */
export type RawValue = null | number | bigint | string | Uint8Array;

export interface StmtItem {
  sql: string;
  /** bigint for 64-bit integers taken from a row key. */
  params: (string | number | bigint | null)[];
  /** Rows to return at most; one more is read to learn whether more exist. */
  maxRows: number;
  /** Longest text returned whole; longer text comes back as a 'long-text' cell. */
  maxText: number;
  /** Approximate size budget of one page: reading stops (hasMore) once it is exceeded. */
  maxBytes: number;
  /** Refuse statements that are not read-only (sqlite3_stmt_readonly). */
  guard: boolean;
  /** Bind NULL for placeholders without a value (EXPLAIN QUERY PLAN of a parameterised statement). */
  padParams?: boolean;
  /**
   * The last `keyCols` result columns are a hidden row key (keyset paging): they are left out of
   * columns and rows, and the raw key of the first and last returned row comes back in `keys`.
   */
  keyCols?: number;
}

export interface StmtResult {
  columns: ColumnInfo[];
  rows: Cell[][];
  hasMore: boolean;
  /** With keyCols: the raw key of the first and last row returned (null when no rows). */
  keys?: { first: RawValue[] | null; last: RawValue[] | null };
}

export interface WorkerError {
  /** SQLite extended code (SQLITE_BUSY, SQLITE_CORRUPT...), a Node code, or AURA_OPS_*. */
  code: string;
  message: string;
}

export type ItemOutcome = { ok: true; value: StmtResult } | { ok: false; error: WorkerError };

export type WorkerRequest =
  | { op: 'open'; file: string; nativeBinding?: string; busyTimeoutMs: number }
  | { op: 'run'; items: StmtItem[]; stopOnError: boolean }
  | { op: 'check'; kind: 'quick_check' | 'integrity_check'; tables: string[] }
  | {
      op: 'backup';
      dest: string;
      holdSnapshot: boolean;
      pagesPerStep: number;
      /** quick_check rows of the copy (0: no check). */ verifyRows: number;
    }
  | { op: 'close' };

export interface WorkerResults {
  open: { sqliteVersion: string };
  run: ItemOutcome[];
  check: { problems: string[]; tablesChecked: number };
  backup: {
    pages: number;
    size: number;
    sha256: string;
    copyMs: number;
    hashMs: number;
    quickCheck: { ok: boolean; problems: string[] } | null;
  };
  close: null;
}

export interface WorkerProgress {
  done: number;
  total: number;
  current: string | null;
}

export type WorkerMessage =
  | { type: 'ready' }
  | { type: 'log'; message: string }
  | { type: 'progress'; id: number; progress: WorkerProgress }
  | { type: 'result'; id: number; ok: true; value: unknown }
  | { type: 'result'; id: number; ok: false; error: WorkerError };
