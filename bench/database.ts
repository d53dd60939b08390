// Bench of the aura.db inspector (issue 6): open-to-overview, one page of the biggest table and the
// online backup on a big Aura-shaped WAL database held open by a "running Aura" connection, each
// against the sqlite3 CLI in the same run. Usage: npx tsx bench/database.ts [--mb 200] [--rows 1000000]
// (the full size: --mb 2048 --rows 10000000). Data lives in a temp dir, reused between runs.
import Database from 'better-sqlite3';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { DatabaseService } from '../src/main/services/database/service';
import { watchEventLoop } from './_loop';
import { fillJobQueue, rowWriter } from './_common';

/** Repetitions per measurement; the median is reported. */
const RUNS = 3;
const BENCH = 'database';

const { values } = parseArgs({
  options: {
    mb: { type: 'string', default: '200' },
    rows: { type: 'string', default: '1000000' },
    keep: { type: 'boolean', default: false },
  },
});
const targetMb = Number(values.mb);
const rows = Number(values.rows);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

const emit = rowWriter(BENCH, 2);

function timeMs(fn: () => void): number {
  const t0 = performance.now();
  fn();
  return performance.now() - t0;
}

async function timeMsAsync(fn: () => Promise<unknown>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

function build(file: string): void {
  // Spread the bytes over the rows so the file reaches about --mb with --rows rows in JobQueue.
  const payload = Math.max(16, Math.floor((targetMb * 1024 * 1024) / rows) - 120);
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = OFF');
  fillJobQueue(db, rows, JSON.stringify({ brief: 'x'.repeat(payload) }));
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

async function main(): Promise<void> {
  const root = path.join(os.tmpdir(), 'aura-ops-bench-db');
  fs.mkdirSync(root, { recursive: true });
  const file = path.join(root, `aura-${targetMb}mb-${rows}.db`);
  if (!fs.existsSync(file)) {
    process.stderr.write(`building ${file} (${targetMb} MB, ${rows} rows)...\n`);
    build(file);
  }
  // A running Aura keeps a connection open (so -wal/-shm exist and the inspector reads in place).
  const aura = new Database(file);
  aura.pragma('journal_mode = WAL');
  aura.prepare('SELECT count(*) FROM "__EFMigrationsHistory"').get();
  const sizeMb = fs.statSync(file).size / 1024 / 1024;
  process.stderr.write(`db ${sizeMb.toFixed(0)} MB, ${rows} rows in JobQueue\n`);

  // 1. Open to overview: a fresh service each time. The console starts its executor process with the
  // service (prewarm), so "open" is open + pragmas + schema + capped counts; the cold number adds
  // the process start and is reported too.
  const baseOpen = median(
    Array.from({ length: RUNS }, () => timeMs(() => execFileSync('sqlite3', [file, 'PRAGMA page_count']))),
  );
  const overview: number[] = [];
  const cold: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const warm = new DatabaseService({ dataDir: root, dbPath: () => file, emit: () => undefined });
    await warm.prewarm();
    overview.push(await timeMsAsync(() => warm.overview()));
    await warm.dispose();
    const c = new DatabaseService({ dataDir: root, dbPath: () => file, emit: () => undefined });
    cold.push(await timeMsAsync(() => c.overview()));
    await c.dispose();
  }
  emit('open_to_overview_ms', median(overview), 'ms', baseOpen, {
    goal: 300,
    sizeMb: Math.round(sizeMb),
    rows,
  });
  emit('cold_start_to_overview_ms', median(cold), 'ms', baseOpen, {
    note: 'includes starting the executor process',
  });

  // 2. A page (1,000 rows, the default cap) of the biggest table, on a warm service. The browser
  // pages by key (paging.ts): a jump to row N finds the key there from an index, then seeks; the
  // next page seeks from the last row's key. Baseline: the sqlite3 CLI reading the page by OFFSET.
  const svc = new DatabaseService({ dataDir: root, dbPath: () => file, emit: () => undefined });
  await svc.overview();
  const mid = Math.floor(rows / 2);
  const basePage = median(
    Array.from({ length: RUNS }, () =>
      timeMs(() =>
        execFileSync('sqlite3', [file, `SELECT * FROM JobQueue LIMIT 1000 OFFSET ${mid}`], {
          maxBuffer: 1 << 30,
        }),
      ),
    ),
  );
  const page: number[] = [];
  let midPage = await svc.rows({ table: 'JobQueue', offset: mid });
  for (let i = 0; i < RUNS; i++)
    page.push(await timeMsAsync(async () => (midPage = await svc.rows({ table: 'JobQueue', offset: mid }))));
  emit('page_of_biggest_table_ms', median(page), 'ms', basePage, {
    goal: 50,
    pageRows: 1000,
    offset: mid,
    paging: midPage.paging?.mode,
    how: 'jump to row N',
  });
  const next: number[] = [];
  const cursor = midPage.paging?.nextCursor;
  if (!cursor) throw new Error('the middle page of JobQueue has no next cursor');
  for (let i = 0; i < RUNS; i++) next.push(await timeMsAsync(() => svc.rows({ table: 'JobQueue', cursor })));
  emit('next_page_deep_ms', median(next), 'ms', basePage, {
    goal: 50,
    pageRows: 1000,
    offset: mid + 1000,
    how: 'cursor from the page before',
  });
  const sort = { column: 'Status', dir: 'desc' as const };
  const sorted: number[] = [];
  for (let i = 0; i < RUNS; i++)
    sorted.push(await timeMsAsync(() => svc.rows({ table: 'JobQueue', offset: mid, sort })));
  emit('sorted_page_deep_ms', median(sorted), 'ms', basePage, {
    goal: 50,
    pageRows: 1000,
    offset: mid,
    sort: 'Status desc (indexed)',
  });
  // The same page the way the first version read it (LIMIT/OFFSET through the executor), for the record.
  const viaOffset: number[] = [];
  const offsetSql = `SELECT * FROM "JobQueue" LIMIT 1001 OFFSET ${mid}`;
  for (let i = 0; i < RUNS; i++)
    viaOffset.push(await timeMsAsync(() => svc.query({ sql: offsetSql, record: false })));
  emit('offset_page_deep_ms', median(viaOffset), 'ms', basePage, {
    pageRows: 1000,
    offset: mid,
    how: 'LIMIT/OFFSET, the old browser',
  });
  const firstPage: number[] = [];
  for (let i = 0; i < RUNS; i++) firstPage.push(await timeMsAsync(() => svc.rows({ table: 'JobQueue' })));
  emit('first_page_of_biggest_table_ms', median(firstPage), 'ms', basePage, { goal: 50, pageRows: 1000 });

  // 3. Backup throughput (MB/s; higher is better, so ratio >= 0.8 is the goal).
  const outDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-bench-backup-'));
  try {
    const cli: number[] = [];
    const copy: number[] = [];
    const total: number[] = [];
    for (let i = 0; i < RUNS; i++) {
      const a = path.join(outDir, `cli-${i}.db`);
      cli.push(sizeMb / (timeMs(() => execFileSync('sqlite3', [file, `.backup '${a}'`])) / 1000));
      fs.rmSync(a, { force: true });
      const b = path.join(outDir, `ours-${i}.db`);
      const r = await svc.backup({ out: b });
      copy.push(sizeMb / (r.copyMs / 1000));
      total.push(sizeMb / (r.elapsedMs / 1000));
      fs.rmSync(b, { force: true });
    }
    // The CLI computes no checksum: compare the copy itself, and report the total with sha256 apart.
    emit('backup_mb_per_s', median(copy), 'MB/s', median(cli), { goal_ratio: 0.8 });
    emit('backup_with_sha256_mb_per_s', median(total), 'MB/s', median(cli), {
      note: 'includes hashing and quick_check of the copy, and the executor start',
    });
  } finally {
    await svc.dispose();
    aura.close();
    fs.rmSync(outDir, { recursive: true, force: true });
    if (!values.keep) fs.rmSync(root, { recursive: true, force: true });
  }
}

watchEventLoop('database')
  .then((loop) => main().then(() => loop.report()))
  .catch((err) => {
    console.error(err);
    process.exit(1);
  });
