// bench/log-probe: the main loop's delay while the log probe reads a flooding install (the demo's
// log-flood scenario, 7,500 lines/s, in a child process as a real Aura would be): the probe on its
// worker thread against the same probe run on the main thread, alternated in one run. Usage:
//   npx tsx bench/log-probe.ts [--reads 8] [--rounds 2]
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { parseArgs } from 'node:util';
import { resolveRoot } from '../src/main/services/install/discover';
import { probeLogs } from '../src/main/services/probes/log-signals';
import { probeLogsOffThread } from '../src/main/services/probes/log-probe-off-thread';
import { logProbeWorker } from '../src/main/workers/off-thread';
import { LOOP_GOALS, statsOf, watchEventLoop, type LoopStats } from './_loop';

const { values } = parseArgs({
  options: { reads: { type: 'string', default: '8' }, rounds: { type: 'string', default: '2' } },
});
const READS = Number(values.reads);
const ROUNDS = Number(values.rounds);
/** Reads are spaced like a busy log watch (it runs every 5 s; closer here to keep the bench short). */
const READ_GAP_MS = 500;
/** The sandbox writes its flood for this long before the first read, so the 2 MB budget is full. */
const FLOOD_WARMUP_MS = 10_000;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function measure(
  read: () => Promise<unknown> | unknown,
): Promise<{ loop: LoopStats; readMs: number[] }> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  const readMs: number[] = [];
  for (let i = 0; i < READS; i++) {
    const t0 = performance.now();
    await read();
    readMs.push(Math.round(performance.now() - t0));
    await sleep(READ_GAP_MS);
  }
  h.disable();
  return { loop: statsOf(h), readMs };
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-log-probe-'));
  const child = spawn(
    process.execPath,
    [
      path.join(__dirname, '..', 'bin', 'aura-ops.cjs'),
      'sandbox',
      'run',
      dir,
      '--port',
      '0',
      '--scenario',
      'log-flood',
    ],
    { stdio: 'ignore' },
  );
  try {
    const until = Date.now() + 60_000;
    while (!fs.existsSync(path.join(dir, 'logs')) && Date.now() < until) await sleep(100);
    await sleep(FLOOD_WARMUP_MS);
    const install = resolveRoot(
      { kind: 'sandbox', dataRoot: dir, source: 'bench', useEnv: false },
      { env: {} },
    );
    await probeLogsOffThread(install); // the worker's start is not a read
    for (let r = 0; r < ROUNDS; r++) {
      const main = await measure(() => probeLogs(install));
      const worker = await measure(async () => {
        const o = await probeLogsOffThread(install);
        if (!o.logs) throw new Error(o.result.summary);
      });
      for (const k of ['p99Ms', 'maxMs'] as const) {
        console.log(
          JSON.stringify({
            bench: 'log-probe',
            metric: `loop_delay_${k === 'p99Ms' ? 'p99' : 'max'}_during_reads`,
            value: worker.loop[k],
            unit: 'ms',
            baseline: main.loop[k],
            ratio: main.loop[k] > 0 ? Math.round((worker.loop[k] / main.loop[k]) * 1000) / 1000 : null,
            goal_ms: k === 'p99Ms' ? LOOP_GOALS.p99Ms : LOOP_GOALS.maxMs,
            round: r + 1,
            baseline_is: 'the same reads on the main thread',
            read_ms_worker: worker.readMs,
            read_ms_main: main.readMs,
          }),
        );
      }
    }
  } finally {
    child.kill('SIGINT');
    await new Promise((r) => child.once('exit', r));
    await logProbeWorker.shutdown();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

watchEventLoop('log-probe')
  .then((loop) => main().then(() => loop.report()))
  .then(
    () => process.exit(0),
    (err: unknown) => {
      process.stderr.write(`bench log-probe: ${(err as Error).stack ?? String(err)}\n`);
      process.exit(1);
    },
  );
