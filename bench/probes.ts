// Benchmark of a full probe sweep (API endpoints, Redis, disk, memory, processes, aura.db, logs)
// on a healthy sandbox against a single `curl` of /health/ready measured in the same run.
// The sandbox runs in a child process, as a real Aura would. Prints one JSON object per line.
//   npx tsx bench/probes.ts [--sweeps 20] [--log-mb 1]
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { resolveRoot } from '../src/main/services/install/discover';
import { runSweep } from '../src/main/services/probes/sweep';
import { watchEventLoop } from './_loop';
import { rowWriter } from './_common';

/** The goal the issue sets for a full sweep on a healthy install. */
const GOAL_MS = 300;

const emit = rowWriter('probes');
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
};
const p95 = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(s.length * 0.95))];
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { sweeps: { type: 'string', default: '20' }, 'log-mb': { type: 'string', default: '1' } },
  });
  const sweeps = Math.max(3, Number(values.sweeps));
  const logMb = Number(values['log-mb']);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-bench-probes-'));
  const dir = path.join(root, 'sandbox');
  const script = `
    const { startSandbox } = require(${JSON.stringify(path.resolve(__dirname, '../src/main/sandbox/server'))});
    startSandbox(${JSON.stringify(dir)}, { port: 0, create: { days: 7, logMb: ${logMb} } }).then((h) => {
      process.stdout.write(h.url + '\\n');
      process.stdin.on('end', () => h.stop().then(() => process.exit(0)));
      process.stdin.resume();
    });`;
  const child = spawn(process.execPath, ['--import', 'tsx', '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
    cwd: path.resolve(__dirname, '..'),
  });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      let out = '';
      child.stdout!.on('data', (d: Buffer) => {
        out += d.toString();
        const nl = out.indexOf('\n');
        if (nl >= 0) resolve(out.slice(0, nl).trim());
      });
      child.once('exit', (code) => reject(new Error(`sandbox child exited early (${code})`)));
    });
    const install = resolveRoot(
      { kind: 'sandbox', dataRoot: dir, source: 'bench', useEnv: false },
      { env: {} },
    );
    await runSweep(install); // warm-up: module loads, first connections

    const curls: number[] = [];
    const full: number[] = [];
    for (let i = 0; i < sweeps; i++) {
      const t0 = performance.now();
      const r = spawnSync('curl', ['-s', '-o', '/dev/null', '-m', '2', `${url}/health/ready`]);
      curls.push(performance.now() - t0);
      if (r.status !== 0) throw new Error(`curl failed (${r.status}): is curl installed?`);
      const t1 = performance.now();
      const s = await runSweep(install);
      full.push(performance.now() - t1);
      if (s.overall !== 'healthy') process.stderr.write(`sweep ${i}: ${s.overall}\n`);
    }
    emit('sweep_median_ms', median(full), 'ms', median(curls));
    emit('sweep_p95_ms', p95(full), 'ms', p95(curls));
    emit('sweep_goal_ms', GOAL_MS, 'ms', null);
    process.stderr.write(
      `full sweep median ${median(full).toFixed(1)} ms (goal <= ${GOAL_MS} ms), curl /health/ready median ${median(curls).toFixed(1)} ms, ${sweeps} runs\n`,
    );
  } finally {
    child.stdin!.end();
    await new Promise((r) => {
      const t = setTimeout(() => {
        child.kill('SIGKILL');
        r(null);
      }, 5000);
      child.once('exit', () => {
        clearTimeout(t);
        r(null);
      });
    });
    fs.rmSync(root, { recursive: true, force: true });
  }
}

watchEventLoop('probes')
  .then((loop) => main().then(() => loop.report()))
  .catch((err: unknown) => {
    process.stderr.write(`bench probes: ${(err as Error).message}\n`);
    process.exit(1);
  });
