// The real processes a sandbox runs beside its API: a redis-server (when one is on PATH) and a
// sqlite3 shell that holds aura.db's write lock for the db-locked scenario. Each ends with stop()
// or when the parent exits (exit hook; the lock holder also ends when its stdin closes).
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { openDatabase } from '../services/store/native';

/** How long a freshly spawned redis-server may take to answer PING. */
const REDIS_START_TIMEOUT_MS = 5000;
/** How long to wait for the sqlite3 shell to report that it holds the lock. */
const LOCK_TIMEOUT_MS = 5000;
/** Socket timeout for one RESP round trip: Redis on loopback answers in well under this. */
const RESP_TIMEOUT_MS = 500;

const live = new Set<ChildProcess>();
let hooked = false;
function track(child: ChildProcess): void {
  live.add(child);
  child.once('exit', () => live.delete(child));
  if (!hooked) {
    hooked = true;
    // Synchronous kill on any exit path Node runs handlers for (normal exit, uncaught error).
    process.once('exit', () => {
      for (const c of live) c.kill('SIGKILL');
    });
  }
}

/** Absolute path of an executable on PATH, or null. */
export function which(cmd: string): string | null {
  const exts = process.platform === 'win32' ? ['.exe', '.cmd', ''] : [''];
  for (const dir of (process.env.PATH ?? '').split(path.delimiter)) {
    if (!dir) continue;
    for (const ext of exts) {
      const p = path.join(dir, cmd + ext);
      try {
        fs.accessSync(p, fs.constants.X_OK);
        if (fs.statSync(p).isFile()) return p;
      } catch {
        // not here: keep looking along PATH
      }
    }
  }
  return null;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

function encodeResp(args: string[]): string {
  return `*${args.length}\r\n` + args.map((a) => `$${Buffer.byteLength(a)}\r\n${a}\r\n`).join('');
}

/**
 * One Redis command over a fresh TCP connection (what a cache call costs when the pool is gone).
 * Resolves with the raw reply; rejects with the socket error (ECONNREFUSED when Redis is down).
 */
export function redisCommand(port: number, args: string[], host = '127.0.0.1'): Promise<string> {
  return new Promise((resolve, reject) => {
    const sock = net.createConnection({ host, port });
    let buf = '';
    sock.setTimeout(RESP_TIMEOUT_MS, () =>
      sock.destroy(new Error(`Redis at ${host}:${port} did not answer in ${RESP_TIMEOUT_MS} ms`)),
    );
    sock.once('error', reject);
    sock.on('data', (d) => {
      buf += d.toString('utf8');
      if (buf.endsWith('\r\n')) {
        sock.end();
        if (buf.startsWith('-')) reject(new Error(buf.slice(1).trim()));
        else resolve(buf);
      }
    });
    sock.write(encodeResp(args));
  });
}

/** sh script: run "$0" "$@" (redis-server) in the background; kill it on stdin EOF or TERM/INT. */
const REDIS_WATCHDOG =
  '"$0" "$@" & p=$!; trap \'kill $p 2>/dev/null; wait $p; exit 0\' TERM INT; read _ ; kill $p 2>/dev/null; wait $p';

export class RedisChild {
  private child: ChildProcess | null = null;

  constructor(
    readonly bin: string,
    readonly port: number,
    readonly dataDir: string,
  ) {}

  get running(): boolean {
    return this.child !== null && this.child.exitCode === null && this.child.signalCode === null;
  }

  /** Pid of the process we spawned (the sh watchdog on POSIX). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  async start(): Promise<void> {
    if (this.running) return;
    fs.mkdirSync(this.dataDir, { recursive: true });
    const args = [
      '--port',
      String(this.port),
      '--bind',
      '127.0.0.1',
      '--dir',
      this.dataDir,
      '--save',
      '',
      '--appendonly',
      'no',
      '--daemonize',
      'no',
      '--loglevel',
      'warning',
    ];
    // On POSIX a tiny sh watchdog owns redis-server and kills it when our end of its stdin closes,
    // which also happens when this process dies without running exit handlers (SIGKILL, crash).
    const child =
      process.platform === 'win32'
        ? spawn(this.bin, args, { stdio: ['ignore', 'ignore', 'pipe'] })
        : spawn('/bin/sh', ['-c', REDIS_WATCHDOG, this.bin, ...args], { stdio: ['pipe', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()));
    track(child);
    this.child = child;
    const deadline = Date.now() + REDIS_START_TIMEOUT_MS;
    for (;;) {
      if (!this.running) throw new Error(`redis-server exited at start: ${stderr.trim() || 'no output'}`);
      try {
        await redisCommand(this.port, ['PING']);
        return;
      } catch (err) {
        if (Date.now() > deadline) {
          await this.stop();
          throw new Error(
            `redis-server did not answer PING on port ${this.port} within ${REDIS_START_TIMEOUT_MS} ms: ${(err as Error).message}`,
          );
        }
        await new Promise((r) => setTimeout(r, 50));
      }
    }
  }

  async stop(): Promise<void> {
    const child = this.child;
    this.child = null;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      if (child.stdin) child.stdin.end();
      else child.kill('SIGTERM');
    });
  }
}

/** Something holding aura.db's write lock until release(). */
export interface LockHolder {
  readonly kind: 'sqlite3-process' | 'connection';
  readonly pid: number | null;
  release(): Promise<void>;
}

/**
 * Take the write lock the way a stuck writer does: an open `BEGIN IMMEDIATE` transaction with a
 * pending UPDATE. Uses a separate sqlite3 shell process when one is on PATH (what another tool
 * would be), else a second connection in this process.
 */
export async function holdWriteLock(dbPath: string): Promise<LockHolder> {
  const bin = which('sqlite3');
  const sql =
    'UPDATE "JobQueue" SET "UpdatedAt" = "UpdatedAt" WHERE rowid = (SELECT min(rowid) FROM "JobQueue");';
  if (!bin) {
    const db = openDatabase(dbPath, { timeout: LOCK_TIMEOUT_MS });
    db.exec('BEGIN IMMEDIATE');
    db.exec(sql);
    return {
      kind: 'connection',
      pid: process.pid,
      async release() {
        if (db.inTransaction) db.exec('ROLLBACK');
        db.close();
      },
    };
  }
  const child = spawn(bin, ['-batch', dbPath], { stdio: ['pipe', 'pipe', 'pipe'] });
  track(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin?.write(`.timeout ${LOCK_TIMEOUT_MS}\nBEGIN IMMEDIATE;\n${sql}\nSELECT 'sandbox-lock-held';\n`);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`sqlite3 did not take the write lock within ${LOCK_TIMEOUT_MS} ms: ${err.trim()}`));
    }, LOCK_TIMEOUT_MS + 1000);
    const check = (): void => {
      if (out.includes('sandbox-lock-held')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on('data', check);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`sqlite3 exited (${code}) before holding the lock: ${err.trim()}`));
    });
  });
  return {
    kind: 'sqlite3-process',
    pid: child.pid ?? null,
    async release() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      await new Promise<void>((resolve) => {
        child.once('exit', () => resolve());
        child.stdin?.end('ROLLBACK;\n.quit\n');
        setTimeout(() => child.kill('SIGKILL'), 2000).unref();
      });
    },
  };
}

/**
 * Damage aura.db the way a torn write does: after a full checkpoint, overwrite the header of the
 * root page of ProjectStates, so queries on it fail with SQLITE_CORRUPT and integrity_check reports
 * the pages. Returns the damaged page numbers. The caller must have closed its own connections.
 */
export function corruptDatabase(dbPath: string): number[] {
  const db = openDatabase(dbPath);
  let roots: number[];
  let pageSize: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    // The table and its indexes: COUNT(*) may be answered from an index alone.
    roots = (
      db
        .prepare("SELECT rootpage FROM sqlite_master WHERE tbl_name = 'ProjectStates' AND rootpage > 0")
        .all() as { rootpage: number }[]
    ).map((r) => r.rootpage);
    pageSize = Number(db.pragma('page_size', { simple: true }));
  } finally {
    db.close();
  }
  const fd = fs.openSync(dbPath, 'r+');
  try {
    // Byte 0 of a b-tree page is its type (2, 5, 10 or 13); 0x00 plus a bogus cell count is invalid.
    for (const root of roots) {
      fs.writeSync(
        fd,
        Buffer.from([0x00, 0xde, 0xad, 0xbe, 0xef, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0x00]),
        0,
        12,
        (root - 1) * pageSize,
      );
    }
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
  return roots;
}

/** Copy the DB (after a checkpoint, without -wal/-shm) as the pristine file to restore later. */
export function savePristine(dbPath: string, pristinePath: string): void {
  const db = openDatabase(dbPath);
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    db.close();
  }
  fs.copyFileSync(dbPath, pristinePath);
}

/** Put the pristine copy back (the caller has closed its connections) and drop the sidecars. */
export function restorePristine(dbPath: string, pristinePath: string): void {
  fs.copyFileSync(pristinePath, dbPath);
  fs.rmSync(dbPath + '-wal', { force: true });
  fs.rmSync(dbPath + '-shm', { force: true });
  fs.rmSync(pristinePath, { force: true });
}
