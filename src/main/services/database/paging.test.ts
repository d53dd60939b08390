// Keyset paging on real SQLite files: walking every page forwards and backwards, and jumping to a
// row position, gives exactly the rows of one ORDER BY over the whole table (NULLs, ties, mixed
// types, NOCASE, composite WITHOUT ROWID keys, filters); views fall back to OFFSET and say why.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { Cell, RowsPage } from '../../../shared/contract/database';
import { buildKeysetQuery, planPaging } from './paging';
import { DatabaseService } from './service';
import { tempDir } from './test-fixtures';

let dir: string;
let dbPath: string;
let svc: DatabaseService;
const ROWS = 57;

beforeAll(() => {
  dir = tempDir();
  dbPath = path.join(dir, 'aura.db');
  const db = new Database(dbPath);
  db.exec(`
    CREATE TABLE t (name TEXT COLLATE NOCASE, score, tag TEXT NOT NULL);
    CREATE INDEX t_score ON t (score);
    CREATE TABLE kv (a TEXT NOT NULL, b INTEGER NOT NULL, v TEXT, PRIMARY KEY (a, b)) WITHOUT ROWID;
    CREATE TABLE jobs (JobId TEXT NOT NULL PRIMARY KEY, Status TEXT);
    CREATE TABLE shadow (rowid TEXT, _rowid_ TEXT, oid TEXT);
    CREATE VIEW v_t AS SELECT name, score FROM t;
  `);
  const ins = db.prepare('INSERT INTO t (name, score, tag) VALUES (?, ?, ?)');
  const names = ['alpha', 'Alpha', 'beta', null, 'gamma', 'BETA', null];
  // Mixed storage classes in one column (NULL, integers, reals, text, blobs) with many ties.
  const scores: unknown[] = [null, 3, 3, 2.5, 'x', 'X', Buffer.from([1, 2]), 10, -1, 3];
  for (let i = 0; i < ROWS; i++)
    ins.run(names[i % names.length], scores[(i * 7) % scores.length], i % 3 === 0 ? 'even' : 'odd');
  const kv = db.prepare('INSERT INTO kv VALUES (?, ?, ?)');
  for (let i = 0; i < 23; i++) kv.run(`k${i % 4}`, (i * 5) % 11, `v${i}`);
  const jobs = db.prepare('INSERT INTO jobs VALUES (?, ?)');
  for (let i = 0; i < 31; i++)
    jobs.run(`job-${String((i * 13) % 31).padStart(3, '0')}`, i % 5 ? 'Completed' : 'Failed');
  db.prepare('INSERT INTO shadow VALUES (?, ?, ?)').run('a', 'b', 'c');
  db.close();
  svc = new DatabaseService({ dataDir: dir, dbPath: () => dbPath, emit: () => undefined });
});

afterAll(async () => {
  await svc.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** The reference: one ORDER BY over the whole table, read with the same driver. */
function reference(sql: string): unknown[][] {
  const db = new Database(dbPath, { readonly: true });
  try {
    return db.prepare(sql).raw(true).all() as unknown[][];
  } finally {
    db.close();
  }
}

function plain(c: Cell): unknown {
  if (c && typeof c === 'object' && c.kind === 'blob') return `blob:${c.hex}`;
  return c;
}
function plainRef(v: unknown): unknown {
  return Buffer.isBuffer(v) ? `blob:${v.toString('hex')}` : v;
}

type RowsArgs = Parameters<DatabaseService['rows']>[0];

async function walk(args: RowsArgs): Promise<{ pages: RowsPage[]; rows: unknown[][] }> {
  const pages: RowsPage[] = [await svc.rows(args)];
  while (pages.at(-1)!.paging!.nextCursor) {
    pages.push(await svc.rows({ ...args, cursor: pages.at(-1)!.paging!.nextCursor! }));
    expect(pages.length).toBeLessThan(100);
  }
  return { pages, rows: pages.flatMap((p) => p.rows.map((r) => r.map(plain))) };
}

describe('keyset paging', () => {
  test.each([
    ['no sort (rowid order)', undefined, 'SELECT * FROM t ORDER BY rowid'],
    [
      'NOCASE text with NULLs, ascending',
      { column: 'name', dir: 'asc' as const },
      'SELECT * FROM t ORDER BY name, rowid',
    ],
    [
      'NOCASE text with NULLs, descending',
      { column: 'name', dir: 'desc' as const },
      'SELECT * FROM t ORDER BY name DESC, rowid DESC',
    ],
    [
      'mixed types, ascending',
      { column: 'score', dir: 'asc' as const },
      'SELECT * FROM t ORDER BY score, rowid',
    ],
    [
      'mixed types, descending',
      { column: 'score', dir: 'desc' as const },
      'SELECT * FROM t ORDER BY score DESC, rowid DESC',
    ],
  ])('%s: all pages forwards, then backwards, equal one ORDER BY', async (_label, sort, sql) => {
    const expected = reference(sql).map((r) => r.map(plainRef));
    const { pages, rows } = await walk({ table: 't', limit: 5, sort });
    expect(rows).toEqual(expected);
    expect(pages.map((p) => p.offset)).toEqual(pages.map((_, i) => i * 5));
    expect(pages.every((p) => p.paging?.mode === 'keyset')).toBe(true);
    expect(pages[0].paging?.prevCursor).toBeNull();
    // Backwards from the last page reproduces every page.
    let back = pages.at(-1)!;
    for (let i = pages.length - 2; i >= 0; i--) {
      back = await svc.rows({ table: 't', limit: 5, sort, cursor: back.paging!.prevCursor! });
      expect(
        back.rows.map((r) => r.map(plain)),
        `page ${i}`,
      ).toEqual(pages[i].rows.map((r) => r.map(plain)));
      expect(back.offset).toBe(i * 5);
    }
    expect(back.paging?.prevCursor).toBeNull();
  });

  test('filters apply on every page', async () => {
    const expected = reference(`SELECT * FROM t WHERE tag = 'even' ORDER BY score DESC, rowid DESC`).map(
      (r) => r.map(plainRef),
    );
    const { rows } = await walk({
      table: 't',
      limit: 4,
      sort: { column: 'score', dir: 'desc' },
      filters: [{ column: 'tag', op: '=', value: 'even' }],
    });
    expect(rows).toEqual(expected);
  });

  test('a jump to a row position gives the rows at that position', async () => {
    const expected = reference('SELECT * FROM t ORDER BY name, rowid').map((r) => r.map(plainRef));
    for (const offset of [1, 5, 13, 56]) {
      const p = await svc.rows({ table: 't', limit: 5, offset, sort: { column: 'name', dir: 'asc' } });
      expect(p.rows.map((r) => r.map(plain))).toEqual(expected.slice(offset, offset + 5));
      expect(p.offset).toBe(offset);
      expect(p.paging?.prevCursor).not.toBeNull();
    }
    const past = await svc.rows({ table: 't', limit: 5, offset: ROWS + 10 });
    expect(past.rows).toEqual([]);
    expect(past.hasMore).toBe(false);
  });

  test('a WITHOUT ROWID table pages by its composite primary key', async () => {
    const plan = planPaging('kv', {
      type: 'table',
      withoutRowid: true,
      columns: [
        { name: 'a', type: 'TEXT', notNull: true, pk: 1 },
        { name: 'b', type: 'INTEGER', notNull: true, pk: 2 },
        { name: 'v', type: 'TEXT', notNull: false, pk: 0 },
      ],
    });
    expect(plan).toMatchObject({ mode: 'keyset', keys: [{ label: 'a' }, { label: 'b' }] });
    const { rows, pages } = await walk({ table: 'kv', limit: 3 });
    expect(rows).toEqual(reference('SELECT * FROM kv ORDER BY a, b'));
    expect(pages[0].paging?.order).toEqual(['a', 'b']);
    const byV = await walk({ table: 'kv', limit: 4, sort: { column: 'v', dir: 'desc' } });
    expect(byV.rows).toEqual(reference('SELECT * FROM kv ORDER BY v DESC, a DESC, b DESC'));
  });

  test('a table with a text primary key pages in key order, with rowid breaking ties', async () => {
    const { rows, pages } = await walk({ table: 'jobs', limit: 7 });
    expect(rows).toEqual(reference('SELECT * FROM jobs ORDER BY JobId'));
    expect(pages[0].paging?.order).toEqual(['JobId', 'rowid']);
    // Sorting by a non-key column keeps the (value, rowid) pair.
    const byStatus = await walk({ table: 'jobs', limit: 4, sort: { column: 'Status', dir: 'asc' } });
    expect(byStatus.rows).toEqual(reference('SELECT * FROM jobs ORDER BY Status, rowid'));
    expect(byStatus.pages[0].paging?.order).toEqual(['Status', 'rowid']);
  });

  test('views and shadowed rowids fall back to OFFSET and say why', async () => {
    const v = await walk({ table: 'v_t', limit: 10 });
    expect(v.pages[0].paging).toMatchObject({
      mode: 'offset',
      reason: expect.stringMatching(/view has no row key/),
    });
    expect(v.rows.length).toBe(ROWS);
    expect(v.pages[1].sql).toMatch(/OFFSET 10$/);
    const s = await svc.rows({ table: 'shadow' });
    expect(s.paging).toMatchObject({
      mode: 'offset',
      reason: expect.stringMatching(/rowid, _rowid_ and oid/),
    });
    expect(s.rows).toEqual([['a', 'b', 'c']]);
  });

  test('a cursor only pages the listing it came from, and a damaged one is refused', async () => {
    const p = await svc.rows({ table: 't', limit: 5, sort: { column: 'name', dir: 'asc' } });
    const next = p.paging!.nextCursor!;
    await expect(
      svc.rows({ table: 't', limit: 5, sort: { column: 'name', dir: 'desc' }, cursor: next }),
    ).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/another table, sort or filter/),
    });
    await expect(svc.rows({ table: 't', limit: 5, cursor: 'not a cursor' })).rejects.toMatchObject({
      code: 'bad-request',
    });
    await expect(
      svc.rows({ table: 't', limit: 5, sort: { column: 'nope', dir: 'asc' } }),
    ).rejects.toMatchObject({ code: 'bad-request' });
  });

  test('the page SQL seeks by key: no OFFSET, one index range per key level', () => {
    const plan = planPaging(
      't',
      {
        type: 'table',
        withoutRowid: false,
        columns: [{ name: 'name', type: 'TEXT', notNull: false, pk: 0 }],
      },
      { column: 'name', dir: 'desc' },
    );
    if (plan.mode !== 'keyset') throw new Error('expected keyset');
    const q = buildKeysetQuery({
      table: 't',
      columns: [{ name: 'name', type: 'TEXT', notNull: false, pk: 0 }],
      filters: [],
      keys: plan.keys,
      limit: 10,
      after: ['m', 7n],
    })!;
    expect(q.sql).not.toMatch(/OFFSET/);
    expect(q.sql.match(/SELECT \*, /g)?.length).toBe(3);
    expect(q.params).toEqual(['m', 7n, 'm']);
    // Descending past NULL: nothing follows.
    expect(
      buildKeysetQuery({
        table: 't',
        columns: [],
        filters: [],
        keys: [{ expr: 'x', label: 'x', dir: 'desc', nullable: true }],
        limit: 10,
        after: [null],
      }),
    ).toBeNull();
  });
});
