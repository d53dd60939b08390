// The SQL console's history and saved queries in ops.db (store migration 4): they survive a restart,
// stay bounded, and an old db-console.json is imported exactly once.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, test } from 'vitest';
import { OpsStore } from '../store/store';
import { HISTORY_MAX, LEGACY_FILE, QueryStore } from './query-store';
import { DatabaseService } from './service';
import { tempDir } from './test-fixtures';

const dirs: string[] = [];
function dataDir(): string {
  const d = tempDir('aura-ops-qstore-');
  dirs.push(d);
  return d;
}
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function writeLegacy(dir: string, body: string): string {
  const file = path.join(dir, LEGACY_FILE);
  fs.writeFileSync(file, body);
  return file;
}

describe('query store in ops.db', () => {
  test('history and saved queries survive reopening ops.db, newest first, bounded', () => {
    const dir = dataDir();
    const a = OpsStore.open(dir);
    const qs = new QueryStore(a);
    for (let i = 0; i < HISTORY_MAX + 5; i++)
      qs.record({ sql: `SELECT ${i}`, ok: i % 2 === 0, rows: 1, elapsedMs: 1.5 });
    qs.record({ sql: 'SELEC 1', ok: false, error: 'near "SELEC": syntax error' });
    qs.save('failed jobs', "SELECT * FROM JobQueue WHERE Status = 'Failed'");
    qs.save('Alpha', 'SELECT 1');
    qs.save('failed jobs', "SELECT JobId FROM JobQueue WHERE Status = 'Failed'");
    a.close();

    const b = OpsStore.open(dir);
    try {
      const again = new QueryStore(b);
      const h = again.history();
      expect(h.length).toBe(HISTORY_MAX);
      expect(h[0]).toMatchObject({ sql: 'SELEC 1', ok: false, error: 'near "SELEC": syntax error' });
      expect(h[0].rows).toBeUndefined();
      expect(h[1]).toMatchObject({ sql: `SELECT ${HISTORY_MAX + 4}`, ok: true, rows: 1, elapsedMs: 1.5 });
      expect(h.at(-1)!.sql).toBe('SELECT 6');
      expect(again.saved().map((q) => [q.name, q.sql])).toEqual([
        ['Alpha', 'SELECT 1'],
        ['failed jobs', "SELECT JobId FROM JobQueue WHERE Status = 'Failed'"],
      ]);
      expect(again.remove('Alpha').map((q) => q.name)).toEqual(['failed jobs']);
      expect(() => again.remove('Alpha')).toThrow(/No saved query named "Alpha"/);
      expect(again.clearHistory()).toEqual([]);
      expect(again.history()).toEqual([]);
    } finally {
      b.close();
    }
  });

  test('a store opened without its migrations is refused with what to do', () => {
    const dir = dataDir();
    const db = new Database(path.join(dir, 'ops.db'));
    try {
      expect(() => new QueryStore({ db })).toThrow(/no SQL console tables/);
    } finally {
      db.close();
    }
  });

  test('an old db-console.json is imported once, in order, then renamed', async () => {
    const dir = dataDir();
    const file = writeLegacy(
      dir,
      JSON.stringify({
        version: 1,
        history: [
          { id: 'h2', sql: 'SELECT 2', at: '2025-12-02T10:00:00.000Z', ok: false, error: 'boom' },
          { id: 'h1', sql: 'SELECT 1', at: '2025-12-01T10:00:00.000Z', ok: true, rows: 1, elapsedMs: 3 },
          { bogus: true },
        ],
        saved: [{ name: 'stuck', sql: 'SELECT * FROM JobQueue', savedAt: '2025-11-30T00:00:00.000Z' }],
      }),
    );
    const store = OpsStore.open(dir);
    const notices: unknown[] = [];
    const svc = new DatabaseService({
      dataDir: dir,
      store,
      dbPath: () => null,
      emit: (e, p) => e === 'app:notice' && notices.push(p),
    });
    try {
      expect((await svc.history()).map((h) => [h.id, h.ok])).toEqual([
        ['h2', false],
        ['h1', true],
      ]);
      expect(await svc.savedQueries()).toEqual([
        { name: 'stuck', sql: 'SELECT * FROM JobQueue', savedAt: '2025-11-30T00:00:00.000Z' },
      ]);
      expect(fs.existsSync(file)).toBe(false);
      expect(fs.existsSync(`${file}.imported`)).toBe(true);
      expect(notices).toEqual([
        { level: 'info', message: expect.stringMatching(/history \(2\) and saved queries \(1\)/) },
      ]);
      // A second import of the same file (say the rename was undone) adds nothing.
      fs.renameSync(`${file}.imported`, file);
      expect(new QueryStore(store).importLegacy(dir)).toMatchObject({ history: 0, saved: 0 });
      expect((await svc.history()).length).toBe(2);
    } finally {
      await svc.dispose();
      store.close();
    }
  });

  test('a damaged db-console.json is left in place, the operator is told, history still works', async () => {
    const dir = dataDir();
    const file = writeLegacy(dir, '{"history": [');
    const notices: { level: string; message: string }[] = [];
    // No store given: the service opens <dataDir>/ops.db itself (the CLI path and tests).
    const svc = new DatabaseService({
      dataDir: dir,
      dbPath: () => null,
      emit: (e, p) => e === 'app:notice' && notices.push(p as { level: string; message: string }),
    });
    try {
      expect(await svc.history()).toEqual([]);
      expect(notices).toHaveLength(1);
      expect(notices[0]).toMatchObject({
        level: 'warning',
        message: expect.stringMatching(/not valid JSON.*Move the file aside/),
      });
      expect(fs.existsSync(file)).toBe(true);
      expect(await svc.saveQuery('x', 'SELECT 1')).toHaveLength(1);
      expect(fs.existsSync(path.join(dir, 'ops.db'))).toBe(true);
    } finally {
      await svc.dispose();
    }
  });
});
