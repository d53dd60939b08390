// How the inspector reaches aura.db: in place or through a private snapshot copy, statement batches
// in the interactive and jobs executors (executor.ts) with a time limit and a row cap, failures
// turned into clear errors, the schema cache, and who holds the write lock.
import { electronNativeBinding } from '../store/native';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';
import type { Cell, DbLockState } from '../../../shared/contract/database';
import { Executor, WorkerFailure, type RunOptions } from './executor';
import type { SourceDef } from './paging';
import type { ItemOutcome, StmtItem, StmtResult } from './protocol';
import { inspectFile, mapSqliteError, type FileInspection } from './sqlite-file';
import { lockFilesOf, sharedLockWatch } from './lock-state';
import { defaultWorkerScript } from './worker-script';
import { num, str } from './cells';

/** Default time limit of one query: long enough for an indexed lookup on a big DB, short enough to feel stuck. */
export const QUERY_TIMEOUT_MS = 5_000;
/** Default row cap of one page or console result (Datasette uses 1,000 too). */
export const ROW_CAP = 1_000;
/** Overview row counts stop here, so opening never scans a huge table; exact counts are on demand. */
export const COUNT_CAP = 10_000;
/** How long a read waits for a rollback-journal writer before reporting "locked". */
export const BUSY_TIMEOUT_MS = 1_000;
/** Text longer than this comes back as a 'long-text' cell (JSON blobs in Aura are a few KB). */
export const CELL_TEXT_MAX = 16 * 1024;
/** A page stops early past this many characters so a table of huge cells cannot flood the UI. */
export const PAGE_CHARS_MAX = 8 * 1024 * 1024;
/** Snapshot copies need this much more free temp space than the file itself. */
const SNAPSHOT_SPACE_MARGIN = 1.1;

export interface ReaderOptions {
  nativeBinding?: string;
  workerScript?: string;
  execPath?: string;
  queryTimeoutMs?: number;
  rowCap?: number;
  countCap?: number;
  busyTimeoutMs?: number;
}

export interface Target {
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
export const SCHEMA_SQL = `SELECT m.name, m.type, p.name, p.type, p."notnull", p.pk,
         (SELECT l.wr FROM pragma_table_list(m.name) AS l WHERE l.schema = 'main')
       FROM sqlite_schema AS m JOIN pragma_table_info(m.name) AS p
       WHERE m.type IN ('table', 'view') AND m.name NOT LIKE 'sqlite\\_%' ESCAPE '\\'
       ORDER BY m.name, p.cid`;

export function parseSchema(rows: Cell[][]): Map<string, SourceDef> {
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

export class DbReader {
  /** Overview, browser, console and views: one request at a time, replaced when one times out. */
  readonly interactive: Executor;
  /** Checks and backups, so a long job never blocks the browser. */
  readonly jobs: Executor;
  readonly queryTimeoutMs: number;
  readonly rowCap: number;
  readonly countCap: number;
  readonly busyTimeoutMs: number;
  private schema: SchemaCache | null = null;
  private snapshot: { key: string; dir: string; file: string } | null = null;
  private snapshotPending: Promise<{ key: string; dir: string; file: string }> | null = null;
  private oldSnapshotDirs: string[] = [];

  constructor(
    /** aura.db of the attached install, or null when none is attached. */
    private readonly dbPath: () => string | null,
    options: ReaderOptions = {},
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

  /** Stops both executors, then removes the snapshot copies. */
  async dispose(): Promise<void> {
    await Promise.all([this.interactive.dispose(), this.jobs.dispose()]);
    const dirs = [...this.oldSnapshotDirs, ...(this.snapshot ? [this.snapshot.dir] : [])];
    this.snapshot = null;
    this.oldSnapshotDirs = [];
    await Promise.all(dirs.map((d) => fs.promises.rm(d, { recursive: true, force: true })));
  }

  // ---------------------------------------------------------------- opening

  private attachedDbPath(): string {
    const dbPath = this.dbPath();
    if (!dbPath) {
      throw new OpsError(
        'not-found',
        'No Aura install is attached, so there is no aura.db to inspect',
        'Attach an install first (Install panel, or --db FILE on the command line).',
      );
    }
    return dbPath;
  }

  async target(): Promise<Target> {
    const insp = await inspectFile(path.resolve(this.attachedDbPath()));
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

  /** What an executor must have open to run a request against the target. */
  openSpec(target: Target): NonNullable<RunOptions['open']> {
    return { key: target.key, file: target.openFile, busyTimeoutMs: this.busyTimeoutMs };
  }

  async exec(
    lane: Executor,
    items: StmtItem[],
    opts: { timeoutMs?: number; requestId?: string; stopOnError?: boolean } = {},
  ): Promise<{ target: Target; results: ItemOutcome[] }> {
    const target = await this.target();
    const runOpts: RunOptions = {
      timeoutMs: opts.timeoutMs ?? this.queryTimeoutMs,
      requestId: opts.requestId,
      open: this.openSpec(target),
    };
    try {
      const results = await lane.run({ op: 'run', items, stopOnError: opts.stopOnError ?? false }, runOpts);
      return { target, results };
    } catch (err) {
      throw this.mapError(err, target);
    }
  }

  mapError(err: unknown, target: Target): unknown {
    if (err instanceof WorkerFailure) return mapSqliteError(err.code, err.message, target.insp.path);
    return err;
  }

  item(sql: string, params: (string | number | null)[] = [], maxRows = this.rowCap, guard = false): StmtItem {
    return { sql, params, maxRows, maxText: CELL_TEXT_MAX, maxBytes: PAGE_CHARS_MAX, guard };
  }

  unwrap(outcome: ItemOutcome, target: Target): StmtResult {
    if (outcome.ok) return outcome.value;
    throw mapSqliteError(outcome.error.code, outcome.error.message, target.insp.path);
  }

  // ---------------------------------------------------------------- schema

  /** Tables and columns of the open file; cached per file identity, reloaded on demand. */
  async loadSchema(force = false): Promise<SchemaCache> {
    if (!force && this.schema) {
      const target = await this.target();
      if (this.schema.key === target.key) return this.schema;
    }
    const { target, results } = await this.exec(this.interactive, [this.item(SCHEMA_SQL, [], 1_000_000)]);
    this.schema = { key: target.key, tables: parseSchema(this.unwrap(results[0], target).rows) };
    return this.schema;
  }

  /** The schema another read (the overview) got for the file `key` names. */
  rememberSchema(key: string, tables: Map<string, SourceDef>): void {
    this.schema = { key, tables };
  }

  async tableDef(name: string): Promise<SourceDef> {
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
    let real = path.resolve(this.attachedDbPath());
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
}
