// What a caller of the inspector gets on an Aura-shaped aura.db: overview facts, paged/sorted/
// filtered rows, the guarded console with history, ready views, checks with progress, the backup.
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { schemaState, AURA_MIGRATIONS } from './aura-schema';
import { dbCommand } from './cli';
import { DatabaseService } from './service';
import { buildRowsQuery, guardStatement } from './sql-build';
import { makeAuraDb, tempDir } from './test-fixtures';

let dir: string;
let dataDir: string;
let dbPath: string;
let svc: DatabaseService;
const events: { event: string; payload: unknown }[] = [];

beforeAll(() => {
  dir = tempDir();
  dataDir = tempDir();
  dbPath = path.join(dir, 'aura.db');
  makeAuraDb(dbPath, { journal: 'delete', bulkJobs: 12_000, migrations: AURA_MIGRATIONS.slice(0, 6) });
  const db = new Database(dbPath);
  db.prepare(
    `INSERT INTO "Settings" ("Id","CreatedAt","IsEncrypted","SettingsJson","UpdatedAt","Version") VALUES (?,?,?,?,?,?)`,
  ).run('s1', '2025-01-01', 0, JSON.stringify({ long: 'y'.repeat(40_000) }), '2025-01-01', '1');
  db.close();
  svc = new DatabaseService({
    dataDir,
    dbPath: () => dbPath,
    emit: (event, payload) => events.push({ event, payload }),
  });
});

afterAll(async () => {
  await svc.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
  fs.rmSync(dataDir, { recursive: true, force: true });
});

describe('overview', () => {
  test('reports size as page_count x page_size, capped counts, indexes and a schema that is behind', async () => {
    const o = await svc.overview();
    expect(o.sizeBytes).toBe(o.pageCount * o.pageSize);
    expect(o.sizeBytes).toBe(fs.statSync(dbPath).size);
    expect(o.journalMode).toBe('delete');
    const jobs = o.tables.find((t) => t.name === 'JobQueue');
    expect(jobs).toMatchObject({ rowCount: o.countCap, capped: true });
    expect(o.tables.find((t) => t.name === 'ProjectStates')).toMatchObject({ rowCount: 3, capped: false });
    expect(o.indexes.some((i) => i.table === 'JobQueue' && i.columns.includes('Status'))).toBe(true);
    expect(o.schema.state).toBe('behind');
    expect(o.schema.missing).toEqual(AURA_MIGRATIONS.slice(6));
    expect(o.vacuumCandidate).toBe(false);
  });

  test('exact count on demand', async () => {
    expect((await svc.count('JobQueue')).count).toBe(12_004);
    await expect(svc.count('NoSuchTable')).rejects.toMatchObject({ code: 'not-found' });
  });

  test('schema states', () => {
    expect(schemaState([...AURA_MIGRATIONS]).state).toBe('current');
    expect(schemaState([...AURA_MIGRATIONS, '20260101000000_Future']).state).toBe('ahead');
    expect(schemaState(['20250110000000_InitialCreate']).state).toBe('diverged');
    expect(schemaState(null).state).toBe('no-history');
  });
});

describe('browser', () => {
  test('pages, sorts and filters with parameters', async () => {
    const p1 = await svc.rows({ table: 'JobQueue', limit: 2, sort: { column: 'JobId', dir: 'asc' } });
    expect(p1.rows.map((r) => r[0])).toEqual(['bulk-0', 'bulk-1']);
    expect(p1.hasMore).toBe(true);
    const p2 = await svc.rows({
      table: 'JobQueue',
      limit: 2,
      offset: 2,
      sort: { column: 'JobId', dir: 'asc' },
    });
    expect(p2.rows.map((r) => r[0])).toEqual(['bulk-10', 'bulk-100']);
    const failed = await svc.rows({
      table: 'JobQueue',
      filters: [{ column: 'Status', op: '=', value: 'Failed' }],
    });
    expect(failed.rows.length).toBe(1);
    expect(failed.hasMore).toBe(false);
    const jobIdCol = failed.columns.findIndex((c) => c.name === 'JobId');
    expect(failed.rows[0][jobIdCol]).toBe('job-failed-1');
    expect(failed.columns.find((c) => c.name === 'Priority')?.declaredType).toBe('INTEGER');
    // A value that looks like SQL stays a value.
    const none = await svc.rows({
      table: 'JobQueue',
      filters: [{ column: 'Status', op: 'contains', value: "x' OR 1=1 --" }],
    });
    expect(none.rows.length).toBe(0);
    await expect(
      svc.rows({ table: 'JobQueue', sort: { column: 'Nope" --', dir: 'asc' } }),
    ).rejects.toMatchObject({ code: 'bad-request' });
  });

  test('long text comes back as a long-text cell with its full length', async () => {
    const r = await svc.rows({ table: 'Settings' });
    const cell = r.rows[0][r.columns.findIndex((c) => c.name === 'SettingsJson')];
    expect(cell).toMatchObject({ kind: 'long-text', length: 40_000 + '{"long":""}'.length });
  });

  test('ready views answer the runbook questions', async () => {
    const views = await svc.views();
    expect(views.filter((v) => v.available).map((v) => v.id)).toEqual([
      'failed-jobs',
      'stuck-jobs',
      'projects-by-status',
      'audit-failures',
      'growth-by-table',
    ]);
    expect((await svc.view({ id: 'failed-jobs' })).rows.map((r) => [r[0], r[2]])).toEqual([
      ['job-failed-1', 'FFmpeg exited with code 1'],
    ]);
    expect((await svc.view({ id: 'stuck-jobs' })).rows.map((r) => r[0])).toEqual(['job-stuck-1']);
    expect((await svc.view({ id: 'stuck-jobs', olderThanMinutes: 100_000 })).rows).toEqual([]);
    const projects = await svc.view({ id: 'projects-by-status' });
    expect(projects.rows.find((r) => r[0] === 'Failed')?.slice(1, 3)).toEqual([1, 1]);
    expect((await svc.view({ id: 'audit-failures' })).rows.map((r) => r[6])).toEqual(['bad password']);
    const growth = await svc.view({ id: 'growth-by-table' });
    expect(growth.rows[0][0]).toBe('JobQueue');
  });
});

describe('SQL console', () => {
  test('runs read-only statements, caps rows and records history', async () => {
    const r = await svc.query({ sql: 'SELECT JobId FROM JobQueue ORDER BY JobId', limit: 5 });
    expect(r.rows.length).toBe(5);
    expect(r.hasMore).toBe(true);
    const h = await svc.history();
    expect(h[0]).toMatchObject({ sql: 'SELECT JobId FROM JobQueue ORDER BY JobId', ok: true, rows: 5 });
  });

  test('writes and connection-changing statements are refused with a read-only message', async () => {
    for (const sql of [
      'DELETE FROM JobQueue',
      'CREATE TEMP TABLE t(a)',
      "ATTACH 'x.db' AS x",
      'BEGIN',
      'PRAGMA journal_mode = DELETE',
      'PRAGMA wal_checkpoint',
      `VACUUM INTO '${path.join(dataDir, 'v.db')}'`,
    ]) {
      await expect(svc.query({ sql, record: false }), sql).rejects.toMatchObject({ code: 'read-only' });
    }
    expect(fs.existsSync(path.join(dataDir, 'v.db'))).toBe(false);
    expect((await svc.count('JobQueue')).count).toBe(12_004);
    await expect(svc.query({ sql: 'SELECT 1; SELECT 2' })).rejects.toMatchObject({ code: 'bad-request' });
    const failed = await svc.history();
    expect(failed[0]).toMatchObject({ sql: 'SELECT 1; SELECT 2', ok: false });
    expect(failed[0].error).toMatch(/more than one statement/);
  });

  test('read forms of PRAGMAs run; refusals say why (issue 14, item 9)', async () => {
    for (const sql of ['PRAGMA journal_mode', 'pragma main.journal_mode;', '  PRAGMA Journal_Mode  ']) {
      const r = await svc.query({ sql, record: false });
      expect({ sql, rows: r.rows }).toEqual({ sql, rows: [['delete']] });
    }
    const refused = async (sql: string) => {
      try {
        await svc.query({ sql, record: false });
      } catch (err) {
        return err as { code: string; message: string; detail?: string };
      }
      throw new Error(`${sql} ran`);
    };
    for (const sql of [
      'PRAGMA journal_mode = WAL',
      'PRAGMA journal_mode(wal)',
      'PRAGMA main.journal_mode=wal',
    ]) {
      const e = await refused(sql);
      expect(e.code).toBe('read-only');
      expect(e.message).toMatch(
        /PRAGMA journal_mode with a value (or an argument )?sets .*only (its|a) read form \(PRAGMA journal_mode/,
      );
    }
    expect((await refused('DELETE FROM JobQueue')).message).toMatch(
      /SQLite reports that this statement can write/,
    );
    expect((await refused('PRAGMA wal_checkpoint')).message).toMatch(
      /not on the console's list of PRAGMAs that only read: it could change aura\.db/,
    );
    const ext = await refused("SELECT load_extension('/tmp/evil.so')");
    expect(ext.code).toBe('read-only');
    expect(ext.message).toMatch(/load_extension\(\) is disabled: an extension is native code/);
    expect(ext.message).not.toBe('not authorized');
    // The file is still in rollback-journal mode: nothing was switched.
    const check = new Database(dbPath, { readonly: true });
    expect(check.pragma('journal_mode', { simple: true })).toBe('delete');
    check.close();
  });

  test('EXPLAIN QUERY PLAN shows index use', async () => {
    const plan = await svc.explain('SELECT * FROM JobQueue WHERE Status = ?');
    expect(plan.map((s) => s.detail).join(' ')).toMatch(/USING INDEX IX_JobQueue_Status/);
  });

  test('saved queries persist in ops.db in the data dir', async () => {
    await svc.saveQuery('failed', "SELECT * FROM JobQueue WHERE Status = 'Failed'");
    const other = new DatabaseService({ dataDir, dbPath: () => dbPath, emit: () => undefined });
    try {
      expect((await other.savedQueries()).map((q) => q.name)).toEqual(['failed']);
      expect(await other.deleteQuery('failed')).toEqual([]);
      await expect(other.deleteQuery('failed')).rejects.toMatchObject({ code: 'not-found' });
    } finally {
      await other.dispose();
    }
  });

  test('sql-build quotes identifiers and the guard allows reads', () => {
    const q = buildRowsQuery({
      table: 'we"ird',
      columns: [{ name: 'a"b', type: 'TEXT', notNull: false, pk: 0 }],
      filters: [{ column: 'a"b', op: 'starts-with', value: '50%_' }],
      limit: 10,
      offset: 20,
    });
    expect(q.sql).toBe(`SELECT * FROM "we""ird" WHERE "a""b" LIKE ? ESCAPE '\\' LIMIT 11 OFFSET 20`);
    expect(q.params).toEqual(['50\\%\\_%']);
    expect(() => guardStatement('/* c */ -- x\n  select 1')).not.toThrow();
    expect(() => guardStatement('PRAGMA table_info(JobQueue)')).not.toThrow();
    expect(() => guardStatement('pragma main.user_version = 3')).toThrow(
      /PRAGMA user_version with a value sets it.*only its read form/,
    );
  });
});

describe('health', () => {
  test('integrity check reports progress per table and passes on a healthy file', async () => {
    events.length = 0;
    const r = await svc.check('integrity', 'job-1');
    expect(r.ok).toBe(true);
    const progress = events
      .filter((e) => e.event === 'db:check-progress')
      .map((e) => e.payload as { jobId: string; done: number; total: number });
    expect(progress.every((p) => p.jobId === 'job-1')).toBe(true);
    expect(progress.at(-1)).toMatchObject({ done: r.tablesChecked, total: r.tablesChecked });
    expect(progress.length).toBeGreaterThan(r.tablesChecked);
  });

  test('backup writes a new file in the data dir with its sha256, and never overwrites', async () => {
    const b = await svc.backup({ name: 'nightly.db', jobId: 'b1' });
    expect(b.file).toBe(path.join(dataDir, 'backups', 'nightly.db'));
    expect(b.sha256).toBe(createHash('sha256').update(fs.readFileSync(b.file)).digest('hex'));
    expect(b.size).toBe(fs.statSync(b.file).size);
    const copy = new Database(b.file, { readonly: true });
    expect(copy.prepare('SELECT count(*) FROM JobQueue').pluck().get()).toBe(12_004);
    copy.close();
    await expect(svc.backup({ name: 'nightly.db' })).rejects.toMatchObject({ code: 'bad-request' });
    await expect(svc.backup({ out: dbPath })).rejects.toMatchObject({ code: 'forbidden-path' });
    await expect(svc.backup({ out: `${dbPath}-journal` })).rejects.toMatchObject({ code: 'forbidden-path' });
    expect(fs.readdirSync(path.join(dataDir, 'backups'))).toEqual(['nightly.db']);
    // Owner-only, like aura.db's data deserves (issue 14, item 8).
    expect(fs.statSync(b.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(dataDir, 'backups')).mode & 0o777).toBe(0o700);
    const out = path.join(tempDir(), 'cli-copy.db');
    expect(fs.statSync((await svc.backup({ out })).file).mode & 0o777).toBe(0o600);
  });
});

describe('cli', () => {
  function io() {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t: string) => out.push(t), err: (t: string) => err.push(t) } };
  }

  test('overview --json and query text output', async () => {
    const a = io();
    expect(await dbCommand(['overview', '--db', dbPath, '--json'], a.io)).toBe(0);
    expect(JSON.parse(a.out.join('\n'))).toMatchObject({
      journalMode: 'delete',
      schema: { state: 'behind' },
    });
    const b = io();
    expect(
      await dbCommand(
        ['query', "SELECT JobId, Status FROM JobQueue WHERE Status = 'Failed'", '--db', dbPath],
        b.io,
      ),
    ).toBe(0);
    expect(b.out.join('\n')).toMatch(/job-failed-1\s+Failed/);
  });

  test('errors and usage have exit codes', async () => {
    const a = io();
    expect(await dbCommand(['query', 'DROP TABLE JobQueue', '--db', dbPath], a.io)).toBe(1);
    expect(a.err.join('\n')).toMatch(/read-only/);
    const b = io();
    expect(await dbCommand(['overview', '--db', path.join(dir, 'nope.db'), '--json'], b.io)).toBe(1);
    expect(JSON.parse(b.err[0])).toMatchObject({ code: 'not-found' });
    const c = io();
    expect(await dbCommand(['--help'], c.io)).toBe(0);
    expect(c.out[0]).toMatch(/Usage: aura-ops db/);
    const d = io();
    expect(await dbCommand(['backup', '--db', dbPath], d.io)).toBe(1);
    expect(d.err[0]).toMatch(/--out/);
  });
});
