// The aura.db executor: a child process that owns one read-only better-sqlite3 connection. A
// process, not a worker_thread, because a thread stuck inside sqlite3_step cannot be terminated
// (verified); killing a process always works and the OS releases its file locks. Its messages are
// protocol.ts's types. Built as out/main/db-worker.cjs; from sources worker-script.ts compiles it.
import crypto from 'node:crypto';
import fs from 'node:fs';
import type BetterSqlite3 from 'better-sqlite3';
import type { Cell, ColumnInfo } from '../../../shared/contract/database';
import type {
  RawValue,
  StmtItem,
  StmtResult,
  WorkerError,
  WorkerMessage,
  WorkerRequest,
  WorkerResults,
} from './protocol';

type Database = BetterSqlite3.Database;
type DatabaseCtor = typeof BetterSqlite3;
type Statement = BetterSqlite3.Statement<unknown[], unknown>;

/** A request as the executor posts it: the protocol's request plus its id. */
type Request = WorkerRequest & { id: number };
type Op = WorkerRequest['op'];
type RequestOf<K extends Op> = Extract<WorkerRequest, { op: K }> & { id: number };

/** Bound on the NULLs bound for placeholders without a value (EXPLAIN of a parameterised statement). */
const MAX_PADDED_PARAMS = 100;
/** Size counted for a cell that is not text (numbers, nulls) when a page's byte budget is summed. */
const SCALAR_CELL_BYTES = 8;
/** Size counted for an object cell (blob, bigint, long text) besides its text. */
const OBJECT_CELL_BYTES = 64;
/** Bytes of a blob shown as hex. */
const BLOB_PREVIEW_BYTES = 32;

let db: Database | null = null;
/** The driver and binding of the last open, for opening a backup copy to check it. */
let driver: { Database: DatabaseCtor; nativeBinding: string | undefined } | null = null;

/** Electron's utilityProcess port (process.parentPort): messages arrive as `{ data }`. */
interface ParentPort {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
}

// Under Electron with the RunAsNode fuse off this runs as a utilityProcess (messages through
// process.parentPort); under Node it is a forked child (process.send / 'message').
const parentPort: ParentPort | null =
  (process as NodeJS.Process & { parentPort?: ParentPort }).parentPort ?? null;

function send(msg: WorkerMessage): void {
  if (parentPort) parentPort.postMessage(msg);
  else if (process.send) process.send(msg);
}

/** An error with a code the service maps (SQLITE_*, AURA_OPS_*). */
function codedError(code: string, message: string): Error & { code: string } {
  return Object.assign(new Error(message), { code });
}

function errorOf(err: unknown): WorkerError {
  const e = err as { code?: unknown; message?: unknown } | null;
  const code = e && typeof e.code === 'string' ? e.code : 'ERROR';
  const message = e && typeof e.message === 'string' ? e.message : String(err);
  return { code, message };
}

function loadDriver(): DatabaseCtor {
  // Required lazily so a bad binding is reported as an error of `open`, not a crash at start.
  return require('better-sqlite3') as DatabaseCtor;
}

function convertCell(v: unknown, maxText: number): Cell {
  if (v === null || v === undefined) return null;
  if (typeof v === 'bigint') {
    if (v <= BigInt(Number.MAX_SAFE_INTEGER) && v >= BigInt(Number.MIN_SAFE_INTEGER)) return Number(v);
    return { kind: 'bigint', value: v.toString() };
  }
  if (typeof v === 'number') return v;
  if (typeof v === 'string') {
    if (v.length > maxText) return { kind: 'long-text', text: v.slice(0, maxText), length: v.length };
    return v;
  }
  if (v instanceof Uint8Array) {
    const b = Buffer.from(v.buffer, v.byteOffset, v.byteLength);
    return { kind: 'blob', bytes: b.length, hex: b.subarray(0, BLOB_PREVIEW_BYTES).toString('hex') };
  }
  return String(v);
}

/**
 * PRAGMAs whose bare read form SQLite still marks as possibly writing (sqlite3_stmt_readonly is
 * false because the same statement with a value changes the file). Read, they only report.
 */
const READ_FORM_PRAGMAS = new Set(['journal_mode']);
/** `PRAGMA [schema.]name` with no value and no argument, optionally ending in `;`. */
const BARE_PRAGMA_RE = /^\s*PRAGMA\s+(?:[A-Za-z_]\w*\s*\.\s*)?([A-Za-z_]\w*)\s*;?\s*$/i;
/** `PRAGMA [schema.]name` followed by `=` or `(`: a value or an argument. */
const PRAGMA_WITH_VALUE_RE = /^\s*PRAGMA\s+(?:[A-Za-z_]\w*\s*\.\s*)?([A-Za-z_]\w*)\s*[=(]/i;

/** Why a statement SQLite calls writing is refused, in words an operator can act on. */
function writeRefusal(sql: string): string {
  const valued = PRAGMA_WITH_VALUE_RE.exec(sql);
  if (valued)
    return `PRAGMA ${valued[1]} with a value or an argument sets or runs something in aura.db; only a read form (PRAGMA ${valued[1]}, without "=") runs here.`;
  const bare = BARE_PRAGMA_RE.exec(sql);
  if (bare)
    return `PRAGMA ${bare[1]} writes to aura.db even without a value (a checkpoint, vacuum or optimize step).`;
  return 'SQLite reports that this statement can write to aura.db (an INSERT, UPDATE, DELETE, CREATE, DROP, ALTER or a writing function).';
}

function openDb(): Database {
  if (!db) throw codedError('AURA_OPS_NOT_OPEN', 'no database is open in the executor');
  return db;
}

function runItem(item: StmtItem): StmtResult {
  try {
    return runGuardedItem(item);
  } catch (err) {
    // SQLite's authorizer answers a load_extension() call with a bare "not authorized".
    if (err instanceof Error && err.message === 'not authorized' && /load_extension/i.test(item.sql)) {
      throw codedError(
        'AURA_OPS_NO_EXTENSION',
        'load_extension() is disabled: an extension is native code that could read, write or run anything, so the inspector never loads one into its reader.',
      );
    }
    throw err;
  }
}

function runGuardedItem(item: StmtItem): StmtResult {
  const stmt = openDb().prepare(item.sql);
  if (item.guard && !stmt.readonly) {
    const bare = BARE_PRAGMA_RE.exec(item.sql);
    if (!(bare && READ_FORM_PRAGMAS.has(bare[1].toLowerCase()) && stmt.reader))
      throw codedError('AURA_OPS_READONLY', writeRefusal(item.sql));
  }
  const params: unknown[] = Array.isArray(item.params) ? item.params.slice() : [];
  if (item.padParams) {
    // EXPLAIN of a statement with ? placeholders: bind NULLs for the ones not given.
    for (let i = 0; i < MAX_PADDED_PARAMS; i++) {
      try {
        stmt.bind(...params);
        break;
      } catch (err) {
        if (!(err instanceof RangeError) || !/Too few/.test(err.message)) throw err;
        params.push(null);
      }
    }
    return collect(stmt, [], item);
  }
  if (!stmt.reader) {
    stmt.run(...params);
    return { columns: [], rows: [], hasMore: false };
  }
  return collect(stmt, params, item);
}

function cellBytes(c: Cell): number {
  if (typeof c === 'string') return c.length;
  if (c !== null && typeof c === 'object') return OBJECT_CELL_BYTES + ('text' in c ? c.text.length : 0);
  return SCALAR_CELL_BYTES;
}

function collect(stmt: Statement, params: unknown[], item: StmtItem): StmtResult {
  stmt.safeIntegers(true);
  stmt.raw(true);
  // Keyset paging appends hidden key columns: strip them, keep the raw key of the first/last row.
  const keyCols = item.keyCols !== undefined && item.keyCols > 0 ? item.keyCols : 0;
  const all = stmt.columns();
  const columns: ColumnInfo[] = all
    .slice(0, all.length - keyCols)
    .map((c) => ({ name: c.name, declaredType: c.type ?? null }));
  const rows: Cell[][] = [];
  let hasMore = false;
  let bytes = 0;
  let firstKey: RawValue[] | null = null;
  let lastKey: RawValue[] | null = null;
  const it = stmt.iterate(...params) as IterableIterator<unknown[]>;
  try {
    for (const row of it) {
      // Stop at the row cap, or early when a page of huge cells would flood the UI.
      if (rows.length >= item.maxRows || bytes > item.maxBytes) {
        hasMore = true;
        break;
      }
      const visible = keyCols ? row.slice(0, row.length - keyCols) : row;
      if (keyCols) {
        lastKey = row.slice(row.length - keyCols) as RawValue[];
        if (!firstKey) firstKey = lastKey;
      }
      const cells = visible.map((v) => convertCell(v, item.maxText));
      for (const c of cells) bytes += cellBytes(c);
      rows.push(cells);
    }
  } finally {
    // Ends the statement, which ends its read transaction: no lock is held between requests.
    if (typeof it.return === 'function') it.return();
  }
  return keyCols
    ? { columns, rows, hasMore, keys: { first: firstKey, last: lastKey } }
    : { columns, rows, hasMore };
}

function endStrayTransaction(): void {
  if (db && db.inTransaction) db.exec('ROLLBACK');
}

/**
 * PRAGMA quick_check of the finished copy, through its own read-only connection: the copy holds the
 * pages aura.db had, so this says whether the backup is good without reading aura.db again.
 * A copy too damaged to open is a result (not ok), not a failed backup: the evidence is kept.
 */
function verifyCopy(req: RequestOf<'backup'>): { ok: boolean; problems: string[] } {
  send({ type: 'progress', id: req.id, progress: { done: 0, total: 1, current: 'quick_check of the copy' } });
  let copy: Database | null = null;
  try {
    if (!driver) throw codedError('AURA_OPS_NOT_OPEN', 'no database driver is loaded in the executor');
    const opts: BetterSqlite3.Options = { readonly: true, fileMustExist: true };
    if (driver.nativeBinding) opts.nativeBinding = driver.nativeBinding;
    copy = new driver.Database(req.dest, opts);
    copy.pragma('query_only = 1');
    const lines = copy
      .prepare(`PRAGMA quick_check(${Math.floor(req.verifyRows)})`)
      .pluck()
      .all() as unknown[];
    const problems = lines.filter((l) => l !== 'ok').map(String);
    return { ok: problems.length === 0 && lines.length > 0, problems };
  } catch (err) {
    const e = errorOf(err);
    return { ok: false, problems: [`${e.code}: ${e.message}`] };
  } finally {
    if (copy) copy.close();
    send({ type: 'progress', id: req.id, progress: { done: 1, total: 1, current: null } });
  }
}

const handlers: { [K in Op]: (req: RequestOf<K>) => WorkerResults[K] | Promise<WorkerResults[K]> } = {
  open(req) {
    if (db) {
      db.close();
      db = null;
    }
    const Database = loadDriver();
    driver = { Database, nativeBinding: req.nativeBinding };
    const opts: BetterSqlite3.Options = { readonly: true, fileMustExist: true, timeout: req.busyTimeoutMs };
    if (req.nativeBinding) opts.nativeBinding = req.nativeBinding;
    const opened = new Database(req.file, opts);
    db = opened;
    // Defence in depth on top of the read-only open: no statement may write, even to temp tables.
    opened.pragma('query_only = 1');
    // Touch the schema now so "not a database" and "locked" surface at open, not at the first query.
    opened.prepare('SELECT count(*) FROM sqlite_schema').get();
    return { sqliteVersion: String(opened.prepare('SELECT sqlite_version()').pluck().get()) };
  },

  run(req) {
    const results: WorkerResults['run'] = [];
    for (const item of req.items) {
      try {
        results.push({ ok: true, value: runItem(item) });
      } catch (err) {
        if (req.stopOnError) throw err;
        results.push({ ok: false, error: errorOf(err) });
      } finally {
        endStrayTransaction();
      }
    }
    return results;
  },

  check(req) {
    const problems: string[] = [];
    let done = 0;
    const total = req.tables.length;
    for (const table of req.tables) {
      send({ type: 'progress', id: req.id, progress: { done, total, current: table } });
      const quoted = "'" + table.replace(/'/g, "''") + "'";
      const lines = openDb().prepare(`PRAGMA ${req.kind}(${quoted})`).pluck().all() as unknown[];
      for (const line of lines) if (line !== 'ok') problems.push(`${table}: ${String(line)}`);
      done += 1;
    }
    send({ type: 'progress', id: req.id, progress: { done, total, current: null } });
    return { problems, tablesChecked: done };
  },

  async backup(req) {
    const conn = openDb();
    // With a read transaction held, every backup step copies the same WAL snapshot, so writes by
    // Aura meanwhile neither restart the backup nor are blocked by it (WAL readers never block).
    if (req.holdSnapshot) {
      conn.exec('BEGIN');
      conn.prepare('SELECT count(*) FROM sqlite_schema').get();
    }
    let last = { totalPages: 0, remainingPages: 0 };
    const t0 = performance.now();
    try {
      last = await conn.backup(req.dest, {
        progress(p) {
          last = p;
          send({
            type: 'progress',
            id: req.id,
            progress: { done: p.totalPages - p.remainingPages, total: p.totalPages, current: null },
          });
          return req.pagesPerStep;
        },
      });
    } finally {
      if (conn.inTransaction) conn.exec('ROLLBACK');
    }
    const copyMs = performance.now() - t0;
    const hash = crypto.createHash('sha256');
    await new Promise<void>((resolve, reject) => {
      fs.createReadStream(req.dest)
        .on('data', (chunk) => hash.update(chunk))
        .on('end', resolve)
        .on('error', reject);
    });
    const hashMs = performance.now() - t0 - copyMs;
    const quickCheck = req.verifyRows > 0 ? verifyCopy(req) : null;
    return {
      pages: last.totalPages,
      size: fs.statSync(req.dest).size,
      sha256: hash.digest('hex'),
      copyMs,
      hashMs,
      quickCheck,
    };
  },

  close() {
    if (db) db.close();
    db = null;
    return null;
  },
};

function isRequest(v: unknown): v is Request {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { op?: unknown }).op === 'string' &&
    typeof (v as { id?: unknown }).id === 'number'
  );
}

async function onRequest(raw: unknown): Promise<void> {
  if (!isRequest(raw)) {
    const id = typeof (raw as { id?: unknown } | null)?.id === 'number' ? (raw as { id: number }).id : -1;
    send({
      type: 'result',
      id,
      ok: false,
      error: { code: 'AURA_OPS_PROTOCOL', message: 'a request needs a numeric id and an op' },
    });
    return;
  }
  const req = raw;
  if (!Object.prototype.hasOwnProperty.call(handlers, req.op)) {
    send({
      type: 'result',
      id: req.id,
      ok: false,
      error: { code: 'AURA_OPS_PROTOCOL', message: `unknown op ${String(req.op)}` },
    });
    return;
  }
  const handler = handlers[req.op] as (r: Request) => unknown;
  try {
    if (req.op !== 'open' && req.op !== 'close' && !db)
      throw codedError('AURA_OPS_NOT_OPEN', 'no database is open in the executor');
    const value = await handler(req);
    send({ type: 'result', id: req.id, ok: true, value });
  } catch (err) {
    try {
      endStrayTransaction();
    } catch (rollbackErr) {
      send({ type: 'log', message: `rollback after error failed: ${errorOf(rollbackErr).message}` });
    }
    send({ type: 'result', id: req.id, ok: false, error: errorOf(err) });
  }
}

if (parentPort) parentPort.on('message', (e) => void onRequest(e.data));
else process.on('message', (req) => void onRequest(req));

process.on('disconnect', () => {
  // The console went away: close cleanly (releases locks) and exit.
  try {
    if (db) db.close();
  } finally {
    process.exit(0);
  }
});

// A utilityProcess has no IPC disconnect: Electron ends it with the app (and the executor kills it).
send({ type: 'ready' });
