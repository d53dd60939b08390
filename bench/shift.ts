// bench/shift: an operator's shift in one process, as the console's main process runs it: four log
// panes follow a writer at 1,000 lines/s with rolls, two terminals (a flood, a `tail -f`), probe
// sweeps every 5 s on a live sandbox Aura, the inspector pages a 1 M-row table every 10 s, a
// walk-through records a step every 30 s. Prints event-loop delay, RSS/heap growth, lines lost,
// sweep and page latency as JSON lines. Usage:
//   npx tsx bench/shift.ts [--minutes 10] [--rate 1000] [--rows 1000000]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import v8 from 'node:v8';
import vm from 'node:vm';
import Database from 'better-sqlite3';
import type { InstallCandidate } from '../src/shared/install-types';
import { OpsError } from '../src/shared/errors';
import { DatabaseService } from '../src/main/services/database/service';
import { resolveRoot } from '../src/main/services/install/discover';
import { shutdownIndexWorker } from '../src/main/services/logs/index-worker';
import { LogsService } from '../src/main/services/logs/service';
import { ProbesService } from '../src/main/services/probes/service';
import { OpsStore } from '../src/main/services/store/store';
import { TerminalService } from '../src/main/services/terminal/service';
import { WalkthroughService } from '../src/main/services/walkthroughs/service';
import { logProbeWorker } from '../src/main/workers/off-thread';
import { startSandbox } from '../src/main/sandbox';
import { LOOP_GOALS, statsOf, watchEventLoop } from './_loop';
import { benchContext, fillJobQueue } from './_common';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '10' },
    rate: { type: 'string', default: '1000' },
    rows: { type: 'string', default: '1000000' },
  },
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const ROWS = Number(values.rows);
if (!(MINUTES > 0) || !(RATE > 0) || !(ROWS > 0)) {
  console.error('bench shift: --minutes, --rate and --rows must be positive numbers');
  process.exit(2);
}
/** The cadences. */
const SWEEP_EVERY_MS = 5_000;
const PAGE_EVERY_MS = 10_000;
const STEP_EVERY_MS = 30_000;
const PANES = 4;
/** The writer rolls to a new _NNN file at this size: at 1,000 lines/s about every 15 s. */
const ROLL_BYTES = 2 * 1024 * 1024;
/** Memory growth is measured after this warm-up (the issue: after the first 5 minutes; shorter runs use a third). */
const WARMUP_MS = Math.min(5 * 60_000, (MINUTES * 60_000) / 3);
/** The flood terminal cats this much every FLOOD_EVERY_MS (a continuous flood would starve the 2-core machine). */
const FLOOD_MB = 8;
const FLOOD_EVERY_MS = 15_000;
/** After the writer stops, panes get this long to deliver the last lines. */
const DRAIN_MS = 15_000;
/** RSS/heap growth goal per hour of shift (MB). */
const GROWTH_GOAL_MB_PER_HOUR = 20;

const r1 = (n: number): number => Math.round(n * 10) / 10;
function emit(
  metric: string,
  value: number,
  unit: string,
  baseline: number | null,
  extra: Record<string, unknown> = {},
): void {
  console.log(
    JSON.stringify({
      bench: 'shift',
      metric,
      value: r1(value),
      unit,
      baseline: baseline === null ? null : r1(baseline),
      ratio: baseline ? Math.round((value / baseline) * 1000) / 1000 : null,
      ...extra,
    }),
  );
}
const p95 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length ? s[Math.min(s.length - 1, Math.floor(s.length * 0.95))] : NaN;
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const mb = (b: number): number => b / 1024 / 1024;
/** A full GC before each memory sample, so growth is what stays reachable, not garbage not yet collected. */
v8.setFlagsFromString('--expose-gc');
const gc = vm.runInNewContext('gc') as () => void;

/** A 1 M-row aura.db (JobQueue), built once and kept in the temp dir between runs. */
function bigAuraDb(rows: number): string {
  const dir = path.join(os.tmpdir(), 'aura-ops-bench-shift');
  fs.mkdirSync(dir, { recursive: true });
  const file = path.join(dir, `aura-${rows}.db`);
  if (fs.existsSync(file)) return file;
  process.stderr.write(`building ${file} (${rows} rows)...\n`);
  const tmp = `${file}.part`;
  fs.rmSync(tmp, { force: true });
  const db = new Database(tmp);
  db.pragma('synchronous = OFF');
  fillJobQueue(db, rows, '{"brief":"x"}');
  db.close();
  fs.renameSync(tmp, file);
  return file;
}

/** The writer: RATE lines/s for `seconds`, rolling at ROLL_BYTES, each line carrying its sequence number. */
const WRITER_SRC = `
  const fs = require('node:fs'); const path = require('node:path');
  const [dir, rate, seconds, roll] = process.argv.slice(1).map((v, i) => i === 0 ? v : Number(v));
  let file = 0, size = 0, seq = 0;
  const name = () => path.join(dir, 'aura-api-20251208' + (file ? '_' + String(file).padStart(3, '0') : '') + '.log');
  let fd = fs.openSync(name(), 'a');
  const start = Date.now();
  const timer = setInterval(() => {
    const due = Math.min(rate * seconds, Math.floor(((Date.now() - start) / 1000) * rate));
    let chunk = '';
    while (seq < due) {
      chunk += '[' + new Date().toISOString().replace('T', ' ').replace('Z', ' +00:00') + '] [INF] [] [] [] Shift line seq=' + seq + ' {"SourceContext":"Bench"}\\n';
      seq++;
    }
    if (chunk) { fs.writeSync(fd, chunk); size += Buffer.byteLength(chunk); }
    if (size >= roll) { fs.closeSync(fd); file++; size = 0; fd = fs.openSync(name(), 'a'); }
    if (seq >= rate * seconds) { clearInterval(timer); fs.closeSync(fd); process.stdout.write(String(seq)); }
  }, 10);
`;

async function main(): Promise<void> {
  const loop = await watchEventLoop('shift');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-shift-'));
  // The probed install (a live sandbox, below) is known once it runs.
  let install: InstallCandidate | null = null;
  const { ctx, disposers, listeners } = benchContext(root, () => install);
  try {
    const dbFile = bigAuraDb(ROWS);
    // The probed install: a live sandbox Aura in this process, as the serve host runs the demo.
    const sandbox = await startSandbox(path.join(root, 'sandbox'), { port: 0, create: { days: 1 } });
    disposers.push(() => sandbox.stop());
    install = resolveRoot(
      { kind: 'sandbox', dataRoot: sandbox.dir, source: 'bench', useEnv: false },
      { env: {} },
    );
    const store = OpsStore.open(root);
    disposers.push(() => store.close());
    const logs = new LogsService(ctx, { roots: [root] });
    const probes = new ProbesService(ctx, store, { autoStart: false });
    const terminals = new TerminalService(ctx, {
      defaultShell: '/bin/bash',
      env: { HOME: root, HISTFILE: path.join(root, 'hist') },
    });
    const inspector = new DatabaseService({ dataDir: root, dbPath: () => dbFile, emit: () => undefined });
    disposers.push(() => inspector.dispose());
    const walk = new WalkthroughService(store, ctx, Date.now);

    // Log panes on the writer's folder; every pane must see every line once.
    const wdir = path.join(root, 'live');
    fs.mkdirSync(wdir);
    fs.writeFileSync(path.join(wdir, 'aura-api-20251208.log'), '');
    const total = Math.round(RATE * MINUTES * 60);
    const panes = Array.from({ length: PANES }, () => ({
      info: logs.openFileSet({ dir: wdir, pattern: 'aura-api-*.log', format: 'serilog' }),
      seen: new Uint8Array(total),
      distinct: 0,
      doubled: 0,
    }));
    listeners.push((event, payload) => {
      if (event !== 'logs:batch') return;
      const b = payload as { paneId: string; records: Array<{ message: string }> };
      const pane = panes.find((p) => p.info.paneId === b.paneId);
      if (!pane) return;
      for (const r of b.records) {
        const m = /Shift line seq=(\d+)/.exec(r.message);
        if (!m) continue;
        const seq = Number(m[1]);
        if (pane.seen[seq]) pane.doubled++;
        else {
          pane.seen[seq] = 1;
          pane.distinct++;
        }
      }
    });

    // Terminals: acked as the renderer acks what xterm wrote.
    let terminalChars = 0;
    terminals.onEvent((event, payload) => {
      if (event !== 'terminal:data') return;
      const d = payload as { sessionId: string; data: string };
      terminalChars += d.data.length;
      terminals.ack(d.sessionId, d.data.length);
    });
    const floodFile = path.join(root, 'flood.txt');
    fs.writeFileSync(
      floodFile,
      Array.from(
        { length: Math.ceil((FLOOD_MB * 1024 * 1024) / 80) },
        (_, i) => `flood line ${i} ${'x'.repeat(60)}`,
      ).join('\n') + '\n',
    );
    const flood = terminals.create({ cols: 120, rows: 40 });
    const tail = terminals.create({ cols: 120, rows: 40 });
    terminals.write(tail.id, `tail -n 0 -F ${path.join(wdir, 'aura-api-20251208.log')}\n`);

    const session = walk.start({
      kind: 'incident',
      title: 'Bench: a shift',
      severity: 'SEV-3',
      runbookTitle: 'Service Degradation',
    });

    // Warm-up pieces the first minute would otherwise count: first sweep and first page.
    await probes.sweep();
    await inspector.rows({ table: 'JobQueue' });

    const writer = spawn(
      process.execPath,
      ['-e', WRITER_SRC, wdir, String(RATE), String(MINUTES * 60), String(ROLL_BYTES)],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let written = '';
    writer.stdout.on('data', (d: Buffer) => (written += d.toString()));
    const writerDone = new Promise<void>((r) => writer.on('exit', () => r()));

    const start = Date.now();
    const end = start + MINUTES * 60_000;
    const shiftLoop = monitorEventLoopDelay({ resolution: 10 });
    shiftLoop.enable();
    loop.reset();
    const sweeps: number[] = [];
    const pages: number[] = [];
    const pageErrors: string[] = [];
    const mem = () => ({ rss: process.memoryUsage().rss, heap: process.memoryUsage().heapUsed });
    const samples: MemorySample[] = [];
    gc();
    const atStart = mem();
    let atWarm: ReturnType<typeof mem> | null = null;
    let nextSweep = start;
    let nextPage = start;
    let nextStep = start;
    let nextFlood = start;
    let nextReport = start + 60_000;
    let steps = 0;
    while (Date.now() < end) {
      const now = Date.now();
      if (!atWarm && now - start >= WARMUP_MS) {
        // The bench's own full GC is not the console's stall: the shift histogram pauses for it.
        shiftLoop.disable();
        gc();
        atWarm = mem();
        shiftLoop.enable();
      }
      if (now >= nextSweep) {
        nextSweep += SWEEP_EVERY_MS;
        const t0 = performance.now();
        await probes.sweep();
        sweeps.push(performance.now() - t0);
      }
      if (now >= nextPage) {
        nextPage += PAGE_EVERY_MS;
        const offset = Math.floor(Math.random() * (ROWS - 1000));
        const t0 = performance.now();
        try {
          await inspector.rows({ table: 'JobQueue', offset });
          pages.push(performance.now() - t0);
        } catch (err) {
          // A page stopped at the inspector's time limit is a result of the shift, not its end.
          if (!(err instanceof OpsError)) throw err;
          pageErrors.push(err.message);
        }
      }
      if (now >= nextStep) {
        nextStep += STEP_EVERY_MS;
        const runId = `shift-run-${steps++}`;
        walk.record(session.id, { type: 'note', text: `Step ${steps}: checked the queue`, deviation: false });
        walk.commandFinished({
          sessionId: flood.id,
          command: 'curl -s http://127.0.0.1:5005/health/ready',
          exitCode: 0,
          cwd: root,
          startedAt: new Date(now).toISOString(),
          endedAt: new Date(now + 50).toISOString(),
          durationMs: 50,
          outputExcerpt: 'Healthy',
          runId,
        });
      }
      if (now >= nextFlood) {
        nextFlood += FLOOD_EVERY_MS;
        terminals.write(flood.id, `cat ${floodFile}\n`);
      }
      if (now >= nextReport) {
        nextReport += 60_000;
        const s = statsOf(shiftLoop);
        const sample = memorySample((now - start) / 60_000);
        samples.push(sample);
        process.stderr.write(`${JSON.stringify({ shift_memory: sample })}\n`);
        process.stderr.write(
          `shift ${Math.round((now - start) / 60_000)} min: loop p99 ${s.p99Ms} ms max ${s.maxMs} ms, rss ${mb(mem().rss).toFixed(0)} MB, sweeps ${sweeps.length}, pages ${pages.length}, terminal ${(terminalChars / 1e6).toFixed(0)} Mchars\n`,
        );
      }
      await sleep(
        Math.max(1, Math.min(nextSweep, nextPage, nextStep, nextFlood, nextReport, end) - Date.now()),
      );
    }
    shiftLoop.disable();
    const during = statsOf(shiftLoop);
    gc();
    const atEnd = mem();
    await writerDone;
    const wrote = Number(written);
    const until = Date.now() + DRAIN_MS;
    while (panes.some((p) => p.distinct < wrote) && Date.now() < until) await sleep(100);

    const hours = (Date.now() - start - WARMUP_MS) / 3_600_000;
    const from = atWarm ?? atStart;
    emit('event_loop_delay_p99', during.p99Ms, 'ms', null, {
      goal_ms: LOOP_GOALS.p99Ms,
      within_goal: during.p99Ms <= LOOP_GOALS.p99Ms,
      minutes: MINUTES,
    });
    emit('event_loop_delay_max', during.maxMs, 'ms', null, {
      goal_ms: LOOP_GOALS.maxMs,
      within_goal: during.maxMs <= LOOP_GOALS.maxMs,
    });
    emit('rss_mb', mb(atEnd.rss), 'MB', mb(atStart.rss), {
      at_warmup: r1(mb(from.rss)),
      warmup_minutes: r1(WARMUP_MS / 60_000),
    });
    emit('heap_mb', mb(atEnd.heap), 'MB', mb(atStart.heap), { at_warmup: r1(mb(from.heap)) });
    const rssGrowth = mb(atEnd.rss - from.rss) / hours;
    emit('rss_growth_mb_per_hour', rssGrowth, 'MB/h', null, {
      goal: GROWTH_GOAL_MB_PER_HOUR,
      within_goal: rssGrowth <= GROWTH_GOAL_MB_PER_HOUR,
      measured_over_minutes: r1(hours * 60),
    });
    emit('heap_growth_mb_per_hour', mb(atEnd.heap - from.heap) / hours, 'MB/h', null, {
      measured_over_minutes: r1(hours * 60),
    });
    // The two end points swing with native buffers; the slope over every minute after the warm-up
    // says whether memory keeps growing, and the parts say which memory it is.
    const warm = samples.filter((m) => m.minute * 60_000 >= WARMUP_MS);
    if (warm.length >= 3) {
      const slope = (k: keyof MemorySample) => r1(slopePerHour(warm.map((m) => [m.minute, m[k]])));
      emit('rss_trend_mb_per_hour', slope('rssMb'), 'MB/h', null, {
        goal: GROWTH_GOAL_MB_PER_HOUR,
        within_goal: slope('rssMb') <= GROWTH_GOAL_MB_PER_HOUR,
        samples: warm.length,
        parts_mb_per_hour: {
          heapUsed: slope('heapUsedMb'),
          heapTotal: slope('heapTotalMb'),
          external: slope('externalMb'),
          arrayBuffers: slope('arrayBuffersMb'),
          rssAnon: slope('rssAnonMb'),
          rssFile: slope('rssFileMb'),
        },
        threads_per_hour: slope('threads'),
      });
    }
    const lost = panes.map((p) => wrote - p.distinct);
    emit('lines_lost', Math.max(...lost), 'lines', 0, {
      per_pane: lost,
      doubled: panes.map((p) => p.doubled),
      written: wrote,
      panes: PANES,
      rate: RATE,
      files: fs.readdirSync(wdir).length,
    });
    emit('sweep_latency_p95', p95(sweeps), 'ms', null, { sweeps: sweeps.length, every_ms: SWEEP_EVERY_MS });
    emit('page_latency_p95', p95(pages), 'ms', null, {
      pages: pages.length,
      failed: pageErrors.length,
      first_failure: pageErrors[0] ?? null,
      rows: ROWS,
      every_ms: PAGE_EVERY_MS,
    });
    emit('terminal_chars', terminalChars, 'chars', null, {
      floods: Math.ceil((MINUTES * 60_000) / FLOOD_EVERY_MS),
      flood_mb: FLOOD_MB,
    });
    for (const p of panes) logs.closePane(p.info.paneId);
    terminals.dispose();
    loop.report({ scope: "whole run: setup, shift, drain and the bench's own full GCs" });
  } finally {
    for (const d of disposers.reverse()) await d();
    await shutdownIndexWorker();
    await logProbeWorker.shutdown();
    fs.rmSync(root, { recursive: true, force: true });
  }
}

interface MemorySample {
  minute: number;
  rssMb: number;
  heapUsedMb: number;
  heapTotalMb: number;
  externalMb: number;
  arrayBuffersMb: number;
  /** Anonymous (malloc, V8, buffers) and file-backed (code, mapped files) parts of RSS. */
  rssAnonMb: number;
  rssFileMb: number;
  /** Threads of the process: worker threads that are never ended would keep their heaps. */
  threads: number;
}

function memorySample(minute: number): MemorySample {
  const u = process.memoryUsage();
  const status = fs.readFileSync('/proc/self/status', 'utf8');
  const kb = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) / 1024;
  return {
    minute: r1(minute),
    rssMb: r1(mb(u.rss)),
    heapUsedMb: r1(mb(u.heapUsed)),
    heapTotalMb: r1(mb(u.heapTotal)),
    externalMb: r1(mb(u.external)),
    arrayBuffersMb: r1(mb(u.arrayBuffers)),
    rssAnonMb: r1(kb('RssAnon')),
    rssFileMb: r1(kb('RssFile')),
    threads: Number(/^Threads:\s+(\d+)/m.exec(status)?.[1] ?? NaN),
  };
}

/** Least-squares slope of [minute, MB] points, in MB per hour. */
function slopePerHour(points: Array<[number, number]>): number {
  const n = points.length;
  const mx = points.reduce((a, [x]) => a + x, 0) / n;
  const my = points.reduce((a, [, y]) => a + y, 0) / n;
  let num = 0;
  let den = 0;
  for (const [x, y] of points) {
    num += (x - mx) * (y - my);
    den += (x - mx) ** 2;
  }
  return den === 0 ? 0 : (num / den) * 60;
}

main().then(
  () => process.exit(0),
  (err: unknown) => {
    process.stderr.write(`bench shift: ${(err as Error).stack ?? String(err)}\n`);
    process.exit(1);
  },
);
