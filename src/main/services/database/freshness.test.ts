// What the inspector reads is the file as it is now (issue 16): a replaced, restored or repaired
// aura.db (and new -wal/-shm) reopens the readers; hostile replacements get clear errors; a held
// write lock is reported with its holder; a backup of a damaged file is labelled. All on real files.
import Database from 'better-sqlite3';
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, test } from 'vitest';
import { dbCommand } from './cli';
import { devParts, LockWatch, lockFilesOf, parseProcLocks } from './lock-state';
import { DatabaseService } from './service';
import { damageTablePage, errorOf, listDir, makeAuraDb, serviceRig } from './test-fixtures';

const { freshDir, service, disposeServices, removeDirs } = serviceRig();
const holders: ChildProcess[] = [];
/** How long a lock holder (the sqlite3 shell) may take to start and report, on a loaded machine. */
const HOLDER_START_MS = 15_000;

/** Reads every cell of the table (count(*) could be answered from an index or a page header). */
const PROJECTS_SQL = 'SELECT count("Title") FROM "ProjectStates" NOT INDEXED';
const countProjects = (svc: DatabaseService) => svc.query({ sql: PROJECTS_SQL, record: false });

/** A live WAL writer, as Aura is: its connection keeps aura.db-wal and -shm in place. */
function openWriter(db: string): Database.Database {
  const w = new Database(db);
  w.pragma('journal_mode = wal');
  w.prepare('UPDATE "JobQueue" SET "UpdatedAt" = "UpdatedAt" WHERE rowid = 1').run();
  return w;
}

/** A sqlite3 shell holding an open write transaction; resolves once it holds it. */
async function holdLock(db: string): Promise<ChildProcess> {
  const child = spawn('sqlite3', ['-batch', db], { stdio: ['pipe', 'pipe', 'pipe'] });
  holders.push(child);
  let out = '';
  let err = '';
  child.stdout?.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
  child.stdin?.write(
    `BEGIN IMMEDIATE;\nUPDATE "JobQueue" SET "UpdatedAt" = "UpdatedAt" WHERE rowid = 1;\nSELECT 'lock-held';\n`,
  );
  const deadline = Date.now() + HOLDER_START_MS;
  while (!out.includes('lock-held')) {
    if (child.exitCode !== null || Date.now() > deadline)
      throw new Error(`sqlite3 did not take the lock: ${err}`);
    await new Promise((r) => setTimeout(r, 20));
  }
  return child;
}

async function release(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  await new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.stdin?.end('ROLLBACK;\n.quit\n');
  });
}

afterEach(async () => {
  await disposeServices();
  for (const h of holders.splice(0)) if (h.exitCode === null) h.kill('SIGKILL');
});

afterAll(() => removeDirs());

describe('a changed file reopens the readers', () => {
  test('damaged, then restored with fresh -wal/-shm (the db-corrupt scenario and back): the next read is ok', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    const pristine = path.join(freshDir(), 'pristine.db');
    makeAuraDb(db, { journal: 'wal', bulkJobs: 200 });
    fs.copyFileSync(db, pristine);
    damageTablePage(db, 'ProjectStates');
    let writer = openWriter(db);
    const svc = service(db);
    expect((await errorOf(countProjects(svc))).code).toBe('corrupt');
    expect((await svc.check('quick', 'c1')).ok).toBe(false);
    const inode = fs.statSync(db).ino;

    // What the sandbox (and an operator restoring a backup) does: the good file copied over the
    // same inode, the sidecars deleted, Aura started again (new -wal/-shm).
    writer.close();
    fs.copyFileSync(pristine, db);
    fs.rmSync(`${db}-wal`, { force: true });
    fs.rmSync(`${db}-shm`, { force: true });
    writer = openWriter(db);
    try {
      expect(fs.statSync(db).ino).toBe(inode);
      expect((await countProjects(svc)).rows).toEqual([[3]]);
      const o = await svc.overview();
      expect(o.tables.filter((t) => t.countError)).toEqual([]);
      expect(o.access).toBe('in-place');
      const check = await svc.check('quick', 'c2');
      expect(check).toMatchObject({ ok: true, problems: [] });
    } finally {
      writer.close();
    }
  });

  test('aura.db replaced by another file (rename over it) while a reader has it open', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const svc = service(db);
    expect((await countProjects(svc)).rows).toEqual([[3]]);
    const next = path.join(dir, 'next.db');
    makeAuraDb(next, { journal: 'delete' });
    const w = new Database(next);
    w.prepare(`DELETE FROM "ProjectStates" WHERE "Id" = 'p3'`).run();
    w.close();
    fs.renameSync(next, db);
    expect((await countProjects(svc)).rows).toEqual([[2]]);
  });
});

describe('hostile replacements', () => {
  test('replaced by a directory: a clear error, then reads again when the file is back', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const keep = path.join(freshDir(), 'keep.db');
    fs.copyFileSync(db, keep);
    const svc = service(db);
    await countProjects(svc);
    fs.rmSync(db);
    fs.mkdirSync(db);
    const err = await errorOf(countProjects(svc));
    expect(err.code).toBe('not-found');
    expect(err.message).toMatch(/is not a file/);
    fs.rmdirSync(db);
    fs.copyFileSync(keep, db);
    expect((await countProjects(svc)).rows).toEqual([[3]]);
  });

  test('a symlink: its target is read (and named); retargeted, the new target is read; dangling, a clear error', async () => {
    const dir = freshDir();
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    makeAuraDb(a, { journal: 'delete' });
    makeAuraDb(b, { journal: 'delete' });
    const w = new Database(b);
    w.prepare(`DELETE FROM "ProjectStates"`).run();
    w.close();
    const link = path.join(dir, 'aura.db');
    fs.symlinkSync(a, link);
    const svc = service(link);
    const o = await svc.overview();
    expect(o.dbPath).toBe(fs.realpathSync(a));
    expect(o.linkedFrom).toBe(link);
    expect(o.notes.join(' ')).toMatch(/symbolic link/);
    expect((await countProjects(svc)).rows).toEqual([[3]]);
    fs.rmSync(link);
    fs.symlinkSync(b, link);
    expect((await countProjects(svc)).rows).toEqual([[0]]);
    fs.rmSync(link);
    fs.symlinkSync(path.join(dir, 'gone.db'), link);
    const err = await errorOf(countProjects(svc));
    expect(err.code).toBe('not-found');
    expect(err.message).toMatch(/symbolic link to a file that does not exist/);
  });

  test('truncated to 0 bytes under an open reader: "empty", never the old rows from a cache', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const svc = service(db);
    expect((await countProjects(svc)).rows).toEqual([[3]]);
    fs.truncateSync(db, 0);
    const err = await errorOf(countProjects(svc));
    expect(err.code).toBe('corrupt');
    expect(err.message).toMatch(/empty \(0 bytes\)/);
  });

  test('permission denied: a clear "cannot read" error', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    fs.chmodSync(db, 0o000);
    // Root reads a mode-000 file anyway, so under root the reader is run as nobody.
    const asRoot = process.getuid?.() === 0;
    if (!asRoot) {
      const err = await errorOf(service(db).overview());
      expect(err.code).toBe('unavailable');
      expect(err.message).toMatch(/Cannot read .*permission denied/i);
      return;
    }
    fs.chmodSync(dir, 0o755);
    const script = `import('${path.join(__dirname, 'sqlite-file.ts').replace(/'/g, "\\'")}').then((m) => (m.inspectFile ?? m.default.inspectFile)(${JSON.stringify(db)})).then(() => console.log('READ'), (e) => console.log(JSON.stringify({ code: e.code, message: e.message })))`;
    const tsx = path.join(process.cwd(), 'node_modules', 'tsx', 'dist', 'loader.mjs');
    expect(fs.existsSync(tsx)).toBe(true);
    const out = await new Promise<string>((resolve, reject) => {
      // tsx keeps a cache in TMPDIR, and npm test's TMPDIR is root's own (mode 700): nobody gets /tmp.
      const env = { ...process.env, TMPDIR: '/tmp' };
      const child = spawn(process.execPath, ['--import', tsx, '-e', script], {
        uid: 65534,
        gid: 65534,
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      let o = '';
      let e = '';
      child.stdout.on('data', (d: Buffer) => (o += d.toString()));
      child.stderr.on('data', (d: Buffer) => (e += d.toString()));
      child.on('error', reject);
      child.on('exit', () => (o.trim() ? resolve(o.trim()) : reject(new Error(e))));
    });
    const parsed = JSON.parse(out.split('\n').pop() ?? '') as { code: string; message: string };
    expect(out).not.toBe('READ');
    expect(parsed.code).toBe('unavailable');
    expect(parsed.message).toMatch(/Cannot read .*permission denied/i);
  });

  test('a garbage -wal next to a WAL aura.db: the good pages are read, nothing next to aura.db changes', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'wal' });
    const garbage = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 131 + 7) % 256));
    fs.writeFileSync(`${db}-wal`, garbage);
    const before = { names: listDir(dir), db: fs.readFileSync(db) };
    const svc = service(db);
    expect((await countProjects(svc)).rows).toEqual([[3]]);
    expect((await svc.check('quick', 'g')).ok).toBe(true);
    await svc.dispose();
    expect(listDir(dir)).toEqual(before.names);
    expect(fs.readFileSync(db).equals(before.db)).toBe(true);
    expect(fs.readFileSync(`${db}-wal`).equals(garbage)).toBe(true);
  });

  test('a -shm that is a symbolic link, or a -wal that is a folder: refused with a clear error, the target untouched', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'wal' });
    const victim = path.join(freshDir(), 'victim.txt');
    fs.writeFileSync(victim, 'precious');
    fs.writeFileSync(`${db}-wal`, '');
    fs.symlinkSync(victim, `${db}-shm`);
    const svc = service(db);
    const err = await errorOf(countProjects(svc));
    expect(err.code).toBe('forbidden-path');
    expect(err.message).toMatch(/aura\.db-shm is a symbolic link/);
    expect(fs.readFileSync(victim, 'utf8')).toBe('precious');
    fs.rmSync(`${db}-shm`);
    fs.rmSync(`${db}-wal`);
    fs.mkdirSync(`${db}-wal`);
    const err2 = await errorOf(countProjects(svc));
    expect(err2.code).toBe('corrupt');
    expect(err2.message).toMatch(/aura\.db-wal is not a file/);
  });

  test('garbage -wal and -shm (read in place): the good pages are read, aura.db and -wal stay as they were', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'wal' });
    const garbage = Buffer.from(Array.from({ length: 64 * 1024 }, (_, i) => (i * 131 + 7) % 256));
    fs.writeFileSync(`${db}-wal`, garbage);
    fs.writeFileSync(
      `${db}-shm`,
      Buffer.from(Array.from({ length: 32 * 1024 }, (_, i) => (i * 17 + 3) % 256)),
    );
    const before = fs.readFileSync(db);
    const svc = service(db);
    const o = await svc.overview();
    expect(o.access).toBe('in-place');
    expect((await countProjects(svc)).rows).toEqual([[3]]);
    await svc.dispose();
    expect(fs.readFileSync(db).equals(before)).toBe(true);
    expect(fs.readFileSync(`${db}-wal`).equals(garbage)).toBe(true);
  });
});

describe('lock state', () => {
  test('parses /proc/locks: only held WRITE locks; waiters and garbage lines are ignored', () => {
    const text = [
      '1: POSIX  ADVISORY  WRITE 29461 fe:00:2228694 120 120',
      '2: POSIX  ADVISORY  READ 29461 fe:00:2228694 123 123',
      '3: -> POSIX  ADVISORY  WRITE 777 fe:00:2228694 120 120',
      '4: OFDLCK ADVISORY  WRITE -1 08:01:99 1073741825 1073741825',
      '5: FLOCK  ADVISORY  WRITE 12 08:01:5 0 EOF',
      'garbage line; rm -rf /',
      '6: POSIX  ADVISORY  WRITE 1 zz:00:1 0 0',
      '',
    ].join('\n');
    const locks = parseProcLocks(text);
    expect(locks.map((l) => [l.pid, l.major, l.minor, l.inode, l.start])).toEqual([
      [29461, 0xfe, 0, 2228694n, 120],
      [null, 8, 1, 99n, 1073741825],
    ]);
  });

  test('device numbers decode as the kernel prints them (major 254, minor 0; and a big minor)', () => {
    expect(devParts(0xfe00n)).toEqual({ major: 254, minor: 0 });
    // glibc's makedev: the low 8 bits of minor, 12 of major, then the high bits of each.
    const makedev = (major: bigint, minor: bigint) =>
      ((major & 0xfffn) << 8n) | ((major & ~0xfffn) << 32n) | (minor & 0xffn) | ((minor & ~0xffn) << 12n);
    expect(devParts(makedev(259n, 0x12305n))).toEqual({ major: 259, minor: 0x12305 });
    expect(devParts(makedev(0x1234n, 7n))).toEqual({ major: 0x1234, minor: 7 });
  });

  test('where /proc/locks is missing (macOS, Windows): "unknown", with the command that tells', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const l = await new LockWatch(path.join(dir, 'no-proc-locks')).observe(lockFilesOf(db));
    expect(l).toMatchObject({ state: 'unknown', holders: [], since: null });
    expect(l.summary).toMatch(/only Linux/);
    expect(l.howToCheck).toMatch(/lsof/);
  });

  test('one watch for two aura.db files: looking at one never resets the "since" of the other', async () => {
    const dir = freshDir();
    const a = path.join(dir, 'a.db');
    const b = path.join(dir, 'b.db');
    makeAuraDb(a, { journal: 'delete' });
    makeAuraDb(b, { journal: 'delete' });
    const line = (n: number, pid: number, file: string, start: number) => {
      const st = fs.statSync(file, { bigint: true });
      const { major, minor } = devParts(st.dev);
      return `${n}: POSIX  ADVISORY  WRITE ${pid} ${major.toString(16).padStart(2, '0')}:${minor.toString(16).padStart(2, '0')}:${st.ino} ${start} ${start}`;
    };
    // Pids above any pid_max: no such process, so no command line to find.
    const RESERVED = 0x40000001;
    const table = path.join(dir, 'locks');
    fs.writeFileSync(
      table,
      [line(1, 99999991, a, RESERVED), line(2, 99999992, b, RESERVED)].join('\n') + '\n',
    );
    const watch = new LockWatch(table);
    const first = await watch.observe(lockFilesOf(a), 0);
    expect(first.holders).toEqual([{ pid: 99999991, command: null, kind: 'reserved', file: a }]);
    expect((await watch.observe(lockFilesOf(b), 0)).holders.map((h) => h.pid)).toEqual([99999992]);
    expect((await watch.observe(lockFilesOf(a), 0)).since).toBe(first.since);
    // a's holder let go: a is free, b keeps its holder.
    fs.writeFileSync(table, line(2, 99999992, b, RESERVED) + '\n');
    expect((await watch.observe(lockFilesOf(a), 0)).state).toBe('free');
    expect((await watch.observe(lockFilesOf(b), 0)).state).toBe('locked');
  });

  test('a WAL writer holding its transaction: locked, by whom, since when, what it means; free once it lets go', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'wal' });
    const aura = openWriter(db); // Aura itself, idle: its connection holds no write lock
    try {
      const svc = service(db);
      expect((await svc.lockState()).state).toBe('free');
      const holder = await holdLock(db);
      const l1 = await svc.lockState();
      expect(l1.state).toBe('locked');
      expect(l1.holders).toEqual([
        expect.objectContaining({ pid: holder.pid, kind: 'wal-write', file: `${db}-shm` }),
      ]);
      expect(l1.holders[0].command).toBe('sqlite3'); // the program, never its arguments (the path of aura.db here)
      expect(l1.summary).toMatch(new RegExp(`sqlite3 \\(pid ${holder.pid}\\) holds the WAL write lock`));
      expect(l1.impact).toMatch(/Aura cannot write.*database is locked/);
      expect(l1.since).not.toBeNull();
      const l2 = await svc.lockState();
      expect(l2.since).toBe(l1.since);
      // Readers are not blocked in WAL mode: the inspector still reads, and says it is locked.
      const o = await svc.overview();
      expect(o.lock.state).toBe('locked');
      const out: string[] = [];
      expect(
        await dbCommand(['overview', '--db', db], { out: (t) => out.push(t), err: (t) => out.push(t) }),
      ).toBe(0);
      expect(out.join('\n')).toMatch(
        /^write lock {3}aura\.db is locked: sqlite3 \(pid \d+\) holds the WAL write lock\. Aura cannot write/m,
      );
      await release(holder);
      expect((await svc.lockState()).state).toBe('free');
    } finally {
      aura.close();
    }
  });

  test('a rollback-journal writer in a transaction: a RESERVED lock on aura.db', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete' });
    const svc = service(db);
    const holder = await holdLock(db);
    const l = await svc.lockState();
    expect(l.state).toBe('locked');
    expect(l.holders).toEqual([expect.objectContaining({ pid: holder.pid, kind: 'reserved', file: db })]);
    await release(holder);
    expect((await svc.lockState()).state).toBe('free');
  });
});

describe('backup of a damaged aura.db', () => {
  test('still succeeds, named DAMAGED, with a sidecar and a warning; a good one says quick_check ok', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete', bulkJobs: 300 });
    const svc = service(db);
    const good = await svc.backup({});
    expect(good.quickCheck).toEqual({ ok: true, problems: [] });
    expect(good.damaged).toBeUndefined();
    expect(path.basename(good.file)).not.toMatch(/DAMAGED/);

    damageTablePage(db, 'ProjectStates');
    const bad = await svc.backup({});
    expect(bad.quickCheck.ok).toBe(false);
    expect(bad.quickCheck.problems.length).toBeGreaterThan(0);
    expect(path.basename(bad.file)).toMatch(/^aura-\d{8}-\d{6}-DAMAGED(-\d+)?\.db$/);
    expect(fs.existsSync(bad.file)).toBe(true);
    expect(bad.damaged?.warning).toMatch(/fails quick_check.*do not restore from it/);
    const sidecar = fs.readFileSync(bad.damaged?.sidecar ?? '', 'utf8');
    expect(sidecar).toContain(`DAMAGED BACKUP: ${path.basename(bad.file)}`);
    expect(sidecar).toContain(bad.sha256);
    // The copy is the evidence: byte-identical pages, so the same damage.
    const copy = new Database(bad.file, { readonly: true });
    try {
      expect(() => copy.prepare(PROJECTS_SQL).get()).toThrow(/malformed/);
    } finally {
      copy.close();
    }
    // Nothing left behind from checking the copy.
    expect(listDir(path.dirname(bad.file)).filter((n) => /partial|-wal|-shm/.test(n))).toEqual([]);
  });

  test('the CLI prints FAILED and a warning, keeps the chosen name, exits 0', async () => {
    const dir = freshDir();
    const db = path.join(dir, 'aura.db');
    makeAuraDb(db, { journal: 'delete', bulkJobs: 300 });
    damageTablePage(db, 'ProjectStates');
    const out: string[] = [];
    const err: string[] = [];
    const dest = path.join(freshDir(), 'evidence.db');
    const code = await dbCommand(['backup', '--db', db, '--out', dest], {
      out: (t) => out.push(t),
      err: (t) => err.push(t),
    });
    expect(code).toBe(0);
    expect(out.join('\n')).toMatch(/quick_check of the copy: FAILED/);
    expect(err.join('\n')).toMatch(/^WARNING: damaged backup\..*do not restore from it/s);
    expect(fs.existsSync(dest)).toBe(true);
    expect(fs.existsSync(`${dest}.DAMAGED.txt`)).toBe(true);
  });
});
