// Benchmark of the sandbox generator and simulator: N days of Serilog history, a padded aura.db,
// the default fixture, and the log-flood rate, each against a plain-write baseline of the same bytes
// measured in the same run. Prints one JSON object per line. Data goes to a temp dir, removed after.
//   npx tsx bench/sandbox.ts [--days 30] [--log-mb 20] [--db-mb 200] [--flood-seconds 3]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { createSandbox } from '../src/main/sandbox/generator';
import { startSandbox } from '../src/main/sandbox/server';
import { formatLine } from '../src/main/sandbox/serilog-writer';
import { AuraLogModel } from '../src/main/sandbox/aura-events';
import { watchEventLoop } from './_loop';
import { rowWriter } from './_common';

/** Chunk size of the baseline writes: large sequential writes, what `dd bs=1M` does. */
const BASELINE_CHUNK = 1 << 20;

const emit = rowWriter('sandbox');

/** Plain sequential write of `bytes` bytes into `file` (fsync'd like the generator's files are closed). */
function plainWrite(file: string, bytes: number): number {
  const buf = Buffer.alloc(BASELINE_CHUNK, 'x');
  const t0 = performance.now();
  const fd = fs.openSync(file, 'w');
  let left = bytes;
  while (left > 0) {
    const n = Math.min(left, buf.length);
    fs.writeSync(fd, buf, 0, n);
    left -= n;
  }
  fs.closeSync(fd);
  return performance.now() - t0;
}

function dirBytes(dir: string): number {
  let total = 0;
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    total += e.isDirectory() ? dirBytes(p) : fs.statSync(p).size;
  }
  return total;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '30' },
      'log-mb': { type: 'string', default: '20' },
      'db-mb': { type: 'string', default: '200' },
      'flood-seconds': { type: 'string', default: '3' },
    },
  });
  const days = Number(values.days);
  const logMb = Number(values['log-mb']);
  const dbMb = Number(values['db-mb']);
  const floodSeconds = Number(values['flood-seconds']);
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-bench-sandbox-'));
  try {
    // 1. Log history only (dbMb 0, few projects), vs a plain write of the same byte count.
    let t0 = performance.now();
    const logs = createSandbox(path.join(tmp, 'logs'), { days, logMb, projects: 4, dbMb: 0 });
    const logMs = performance.now() - t0;
    const logBase = plainWrite(path.join(tmp, 'plain-logs.bin'), logs.logBytes);
    emit(`logs_${days}d_x_${logMb}mb_ms`, logMs, 'ms', logBase);
    emit(
      'logs_throughput',
      logs.logBytes / 1e6 / (logMs / 1000),
      'MB/s',
      logs.logBytes / 1e6 / (logBase / 1000),
    );
    fs.rmSync(logs.dir, { recursive: true, force: true });
    fs.rmSync(path.join(tmp, 'plain-logs.bin'), { force: true });

    // 2. aura.db padded to dbMb (EF schema, WAL, rows), vs a plain write of the final file size.
    t0 = performance.now();
    const db = createSandbox(path.join(tmp, 'db'), { days: 1, logMb: 0.01, projects: 24, dbMb });
    const dbMs = performance.now() - t0;
    const dbBase = plainWrite(path.join(tmp, 'plain-db.bin'), db.dbBytes);
    emit(`db_${dbMb}mb_ms`, dbMs, 'ms', dbBase);
    emit('db_bytes', db.dbBytes / 1e6, 'MB', null);
    fs.rmSync(db.dir, { recursive: true, force: true });
    fs.rmSync(path.join(tmp, 'plain-db.bin'), { force: true });

    // 3. The default fixture (what every test creates), vs copying the same tree.
    t0 = performance.now();
    const fx = createSandbox(path.join(tmp, 'fixture'));
    const fxMs = performance.now() - t0;
    t0 = performance.now();
    fs.cpSync(fx.dir, path.join(tmp, 'fixture-copy'), { recursive: true });
    const cpMs = performance.now() - t0;
    emit('create_defaults_ms', fxMs, 'ms', cpMs);
    emit('create_defaults_bytes', dirBytes(fx.dir) / 1e6, 'MB', null);

    // 4. log-flood: lines/s the running sandbox writes, vs appending the same preformatted lines.
    const sb = await startSandbox(fx.dir, { redis: 'off', jobTickMs: 60_000, trafficMs: 60_000 });
    const countLines = (): number => {
      let n = 0;
      for (const f of fs.readdirSync(fx.logsDir))
        if (f.startsWith('aura-api-'))
          n += fs.readFileSync(path.join(fx.logsDir, f), 'utf8').split('\n').length - 1;
      return n;
    };
    const before = countLines();
    await sb.setScenario('log-flood');
    t0 = performance.now();
    await new Promise((r) => setTimeout(r, floodSeconds * 1000));
    await sb.setScenario('healthy');
    const floodMs = performance.now() - t0;
    const lines = countLines() - before;
    await sb.stop();
    const model = new AuraLogModel({ seed: 1, dataRoot: fx.dir, url: 'http://127.0.0.1:5005' });
    const sample = formatLine(
      model.plain(
        new Date(),
        'INF',
        `Sending job progress update to group job-${model.hex(8)} via SignalR hub /hubs/job-queue`,
        'Aura.Api.Hubs.JobQueueHub',
      ),
    );
    const plainFile = path.join(tmp, 'plain-flood.log');
    t0 = performance.now();
    for (let i = 0; i < lines; i += 300)
      fs.appendFileSync(plainFile, sample.repeat(Math.min(300, lines - i)));
    const plainFloodMs = performance.now() - t0;
    emit('log_flood_lines_per_second', lines / (floodMs / 1000), 'lines/s', lines / (plainFloodMs / 1000));
    emit('log_flood_target_met', lines / (floodMs / 1000) >= 5000 ? 1 : 0, 'bool', null);
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

watchEventLoop('sandbox')
  .then((loop) => main().then(() => loop.report()))
  .catch((err: unknown) => {
    process.stderr.write(`bench sandbox: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  });
