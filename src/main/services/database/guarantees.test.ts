// The inspector's guarantees (issue 6), each on real files: nothing created or changed next to a
// rollback-journal DB, a WAL writer in another process never gets SQLITE_BUSY from us and our reads
// are consistent, a runaway query is stopped and the executor replaced, bad files get clear errors.
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from 'vitest';
import { damageTablePage, errorOf, listDir, makeAuraDb, serviceRig } from './test-fixtures';

const FIXTURES = path.join(__dirname, 'fixtures');
const { freshDir, service, disposeServices, removeDirs } = serviceRig();
const children: ChildProcess[] = [];

function startChild(script: string, args: string[]): Promise<ChildProcess> {
  const child = fork(path.join(FIXTURES, script), args, {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    execArgv: [],
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    child.once('message', () => resolve(child));
    child.once('exit', (code) => reject(new Error(`${script} exited early (${code})`)));
  });
}

/** Waits (bounded) until a pid no longer exists; SIGKILL is immediate but reaping is asynchronous. */
async function processGone(pid: number): Promise<boolean> {
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
    } catch {
      return true; // ESRCH: no such process
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return false;
}

afterEach(() => disposeServices());

afterAll(() => {
  for (const c of children) if (c.exitCode === null) c.kill('SIGKILL');
  removeDirs();
});

describe('rollback-journal aura.db', () => {
  test('the inspector creates no file next to it and leaves its mtime unchanged', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const past = new Date(Date.now() - 3_600_000);
    fs.utimesSync(db, past, past);
    const before = { names: listDir(dir), mtime: fs.statSync(db).mtimeMs, size: fs.statSync(db).size };

    const svc = service(db);
    const o = await svc.overview();
    expect(o.journalMode).toBe('delete');
    expect(o.access).toBe('in-place');
    await svc.rows({ table: 'JobQueue', sort: { column: 'UpdatedAt', dir: 'desc' } });
    await svc.query({ sql: 'SELECT count(*) FROM JobQueue', record: false });
    await expect(svc.query({ sql: "UPDATE JobQueue SET Status = 'x'", record: false })).rejects.toMatchObject(
      { code: 'read-only' },
    );
    expect((await svc.check('integrity', 'j1')).ok).toBe(true);
    const backupOut = path.join(freshDir(), 'copy.db');
    await svc.backup({ out: backupOut });
    // Checked while the connections are still open, and again after they closed.
    expect(listDir(dir)).toEqual(before.names);
    await svc.dispose();
    expect(listDir(dir)).toEqual(before.names);
    expect(fs.statSync(db).mtimeMs).toBe(before.mtime);
    expect(fs.statSync(db).size).toBe(before.size);
  });

  test('a writer holding an exclusive lock gives a clear "busy" error, and reads work once it lets go', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const locker = await startChild('locker.cjs', [db]);
    const svc = service(db, { busyTimeoutMs: 200 });
    const err = await errorOf(svc.overview());
    expect(err.code).toBe('busy');
    expect(err.message).toMatch(/locked by a writer/);
    expect(err.detail).toMatch(/Retry/);
    const exited = new Promise((r) => locker.once('exit', r));
    locker.send('stop');
    await exited;
    expect((await svc.overview()).tables.find((t) => t.name === 'audit_logs')?.rowCount).toBe(2);
  });
});

describe('WAL aura.db', () => {
  test('a writer in another process never gets SQLITE_BUSY from our reads, and each read is a consistent snapshot', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    const writer = await startChild('wal-writer.cjs', [db, 'init']);
    const svc = service(db);
    // Reads of every kind while the writer commits as fast as it can.
    let reads = 0;
    const seen: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await svc.query({
        sql: 'SELECT (SELECT count(*) FROM ledger), (SELECT n FROM tally)',
        record: false,
      });
      const [count, tally] = r.rows[0] as number[];
      expect(count).toBe(tally);
      seen.push(count);
      if (i % 10 === 0) {
        await svc.overview();
        await svc.rows({ table: 'ledger', sort: { column: 'id', dir: 'desc' }, limit: 50 });
      }
      reads += 1;
    }
    const check = await svc.check('quick', 'wal-check');
    expect(check.ok).toBe(true);
    const backup = await svc.backup({ out: path.join(freshDir(), 'wal-backup.db') });
    expect(backup.size).toBeGreaterThan(0);

    const done = new Promise<{ writes: number; busy: number; errors: string[] }>((resolve) =>
      writer.on('message', (m: { type: string; writes: number; busy: number; errors: string[] }) => {
        if (m.type === 'done') resolve(m);
      }),
    );
    writer.send('stop');
    const result = await done;
    expect(reads).toBe(40);
    expect(result.errors).toEqual([]);
    expect(result.busy).toBe(0);
    expect(result.writes).toBeGreaterThan(0);
    // The writer really wrote while we read: we saw the count move.
    expect(new Set(seen).size).toBeGreaterThan(1);
  });

  test('with Aura stopped (no -wal/-shm) it reads a private snapshot and creates nothing next to aura.db', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'wal' });
    const before = { names: listDir(dir), mtime: fs.statSync(db).mtimeMs };
    expect(before.names).toEqual(['aura.db']);
    const svc = service(db);
    const o = await svc.overview();
    expect(o.access).toBe('snapshot');
    expect(o.journalMode).toBe('wal');
    expect(o.schema.state).toBe('current');
    expect((await svc.view({ id: 'failed-jobs' })).rows.map((r) => r[0])).toEqual(['job-failed-1']);
    await svc.dispose();
    expect(listDir(dir)).toEqual(before.names);
    expect(fs.statSync(db).mtimeMs).toBe(before.mtime);
  });
});

describe('time limit and cancel', () => {
  test('a runaway query hits the time limit, the executor is replaced and the next query works', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const svc = service(db, { queryTimeoutMs: 800 });
    await svc.query({ sql: 'SELECT 1', record: false });
    const firstPid = svc.executorPid;
    expect(firstPid).not.toBeNull();
    const err = await errorOf(
      svc.query({
        sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
        record: false,
      }),
    );
    expect(err.code).toBe('timeout');
    expect(err.message).toMatch(/time limit \(800 ms\)/);
    // The stuck process is gone (killed and reaped), not left running.
    expect(await processGone(firstPid as number)).toBe(true);
    const next = await svc.query({ sql: 'SELECT count(*) FROM JobQueue', record: false });
    expect(next.rows[0][0]).toBe(4);
    expect(svc.executorPid).not.toBe(firstPid);
  });

  test('cancel stops a running request by id and the service keeps working', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const svc = service(db, { queryTimeoutMs: 60_000 });
    await svc.query({ sql: 'SELECT 1', record: false });
    const running = svc.query({
      sql: 'WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c) SELECT count(*) FROM c',
      requestId: 'runaway',
      record: false,
    });
    const caught = errorOf(running);
    // Cancel the query the reader is running (killing the process), not one still in the queue.
    const until = Date.now() + 10_000;
    while (!svc.isExecuting('runaway')) {
      if (Date.now() > until) throw new Error('the runaway query never reached the reader');
      await new Promise((r) => setTimeout(r, 10));
    }
    const readerPid = svc.executorPid;
    expect(readerPid).not.toBeNull();
    expect(svc.cancel('runaway').cancelled).toBe(1);
    expect((await caught).code).toBe('cancelled');
    expect(await processGone(readerPid as number)).toBe(true);
    expect((await svc.query({ sql: 'SELECT 2', record: false })).rows[0][0]).toBe(2);
  });
});

describe('bad files', () => {
  let dir: string;
  beforeAll(() => {
    dir = freshDir();
  });

  test('missing file: not-found, and nothing is created', async () => {
    const db = path.join(dir, 'missing', 'aura.db');
    const err = await errorOf(service(db).overview());
    expect(err.code).toBe('not-found');
    expect(err.message).toMatch(/not found/);
    expect(fs.existsSync(path.dirname(db))).toBe(false);
  });

  test('random bytes: corrupt, "not an SQLite database"', async () => {
    const db = path.join(dir, 'random.db');
    fs.writeFileSync(db, Buffer.from(Array.from({ length: 8192 }, (_, i) => (i * 7919) % 251)));
    const err = await errorOf(service(db).overview());
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/not an SQLite database/);
  });

  test('truncated file: corrupt, "truncated"', async () => {
    const db = path.join(dir, 'truncated.db');
    makeAuraDb(db, { journal: 'delete', bulkJobs: 2000 });
    fs.truncateSync(db, Math.floor(fs.statSync(db).size / 2));
    const err = await errorOf(service(db).overview());
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/truncated/);
    expect(err.detail).toMatch(/backup/);
  });

  test('a damaged table page: reads of that table say corrupt; the check names the table', async () => {
    const db = path.join(dir, 'damaged.db');
    makeAuraDb(db, { journal: 'delete', bulkJobs: 300 });
    damageTablePage(db, 'ProjectStates');
    const svc = service(db);
    const err = await errorOf(svc.rows({ table: 'ProjectStates' }));
    expect(err.code).toBe('corrupt');
    expect(err.detail).toMatch(/integrity check/);
    // The rest of the database stays usable.
    expect((await svc.rows({ table: 'audit_logs' })).rows.length).toBe(2);
    const check = await svc.check('integrity', 'damaged');
    expect(check.ok).toBe(false);
    expect(check.problems.some((p) => p.startsWith('ProjectStates:'))).toBe(true);
  });

  test('an empty file: corrupt, with what to do', async () => {
    const db = path.join(dir, 'empty.db');
    fs.writeFileSync(db, '');
    const err = await errorOf(service(db).overview());
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/empty/);
  });
});
