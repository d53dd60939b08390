// Terminal benchmark: `cat` of a big file through the service's batched, ack-flow-controlled path
// (pty -> 5 ms batches -> an acking consumer) against raw node-pty on the same file in the same run,
// and Ctrl-C latency during a flood (service path vs a raw pty running `yes`).
// Usage: npx tsx bench/terminal.ts [--size-mb 50] [--trials 10]
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import * as pty from 'node-pty';
import type { ServiceContext } from '../src/main/services/context';
import { TerminalService } from '../src/main/services/terminal/service';
import type { TerminalCommandFinished } from '../src/shared/contract/terminal';

/** Output received before Ctrl-C is sent, so the flood is in full swing. */
const FLOOD_BEFORE_CTRL_C = 256 * 1024;

const { values } = parseArgs({
  options: { 'size-mb': { type: 'string', default: '50' }, trials: { type: 'string', default: '10' } },
});
const sizeMb = Number(values['size-mb']);
const trials = Number(values.trials);

function line(o: Record<string, unknown>): void {
  process.stdout.write(`${JSON.stringify({ bench: 'terminal', ...o })}\n`);
}

function p95(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.ceil(s.length * 0.95) - 1)];
}

async function rawCat(file: string): Promise<{ ms: number; chars: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    let chars = 0;
    const p = pty.spawn('/bin/cat', [file], {
      cols: 120,
      rows: 40,
      cwd: tmpdir(),
      env: process.env as Record<string, string>,
    });
    p.onData((d) => {
      chars += d.length;
    });
    p.onExit(() => resolve({ ms: performance.now() - t0, chars }));
  });
}

async function rawCtrlC(): Promise<number> {
  return new Promise((resolve) => {
    let chars = 0;
    let sentAt = 0;
    const p = pty.spawn('/usr/bin/yes', ['flood'], {
      cols: 120,
      rows: 40,
      cwd: tmpdir(),
      env: process.env as Record<string, string>,
    });
    p.onData((d) => {
      chars += d.length;
      if (!sentAt && chars > FLOOD_BEFORE_CTRL_C) {
        sentAt = performance.now();
        p.write('\x03');
      }
    });
    p.onExit(() => resolve(performance.now() - sentAt));
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'aura-bench-term-'));
  const file = join(dir, 'flood.log');
  const row =
    '2025-01-01 12:00:00.000 +00:00 [INF] Aura.Api.Services.JobRunner: Job 4f2c progressed to 42% (render pass 3/7)\n';
  writeFileSync(file, row.repeat(Math.ceil((sizeMb * 1024 * 1024) / row.length)));
  const bytes = Math.ceil((sizeMb * 1024 * 1024) / row.length) * row.length;

  const disposers: (() => void | Promise<void>)[] = [];
  const ctx: ServiceContext = {
    dataDir: dir,
    getInstall: () => null,
    emit: () => undefined,
    onDispose: (fn) => disposers.push(fn),
  };
  const svc = new TerminalService(ctx, {
    defaultShell: '/bin/bash',
    env: { HOME: dir, HISTFILE: join(dir, 'hist') },
  });
  try {
    const info = svc.create({ cols: 120, rows: 40 });
    const finished: TerminalCommandFinished[] = [];
    let received = 0;
    let maxUnacked = 0;
    svc.onEvent((event, payload) => {
      if (event === 'terminal:data') {
        const d = payload as { sessionId: string; data: string };
        received += d.data.length;
        // The consumer acks what it has "written", like xterm's write callback does.
        maxUnacked = Math.max(maxUnacked, svc.get(d.sessionId).flow.unacked);
        svc.ack(d.sessionId, d.data.length);
      } else if (event === 'terminal:command-finished') finished.push(payload as TerminalCommandFinished);
    });
    const waitFinished = async (n: number): Promise<TerminalCommandFinished> => {
      while (finished.length < n) await new Promise((r) => setTimeout(r, 2));
      return finished[n - 1];
    };
    await svc.run({ sessionId: info.id, command: 'true' });
    await waitFinished(1);

    // Warm the page cache for both, then measure raw and service back to back.
    await rawCat(file);
    const raw = await rawCat(file);
    const before = received;
    const t0 = performance.now();
    await svc.run({ sessionId: info.id, command: `cat ${file}` });
    const rec = await waitFinished(2);
    const serviceMs = performance.now() - t0;
    const mb = bytes / (1024 * 1024);
    const rawMbs = mb / (raw.ms / 1000);
    const svcMbs = mb / (serviceMs / 1000);
    line({
      metric: `cat_${sizeMb}mb_service_throughput`,
      value: +svcMbs.toFixed(1),
      unit: 'MB/s',
      baseline: +rawMbs.toFixed(1),
      ratio: +(svcMbs / rawMbs).toFixed(3),
    });
    line({
      metric: 'cat_service_chars_received',
      value: received - before,
      unit: 'chars',
      baseline: raw.chars,
      ratio: +((received - before) / raw.chars).toFixed(4),
    });
    line({
      metric: 'max_unacked_chars',
      value: maxUnacked,
      unit: 'chars',
      baseline: 100_000,
      ratio: +(maxUnacked / 100_000).toFixed(3),
    });
    if (rec.exitCode !== 0) throw new Error(`cat exited with ${rec.exitCode}`);

    // Ctrl-C during a flood: from writing ^C to the shell reporting the command finished.
    const svcLat: number[] = [];
    const rawLat: number[] = [];
    for (let i = 0; i < trials; i++) {
      const n = finished.length + 1;
      const start = received;
      await svc.run({ sessionId: info.id, command: 'yes flood' });
      while (received - start < FLOOD_BEFORE_CTRL_C) await new Promise((r) => setTimeout(r, 1));
      const sent = performance.now();
      svc.write(info.id, '\x03');
      const r = await waitFinished(n);
      svcLat.push(performance.now() - sent);
      if (r.exitCode !== 130) throw new Error(`yes ended with ${r.exitCode}, expected 130 (SIGINT)`);
      rawLat.push(await rawCtrlC());
    }
    const sp95 = p95(svcLat);
    const rp95 = p95(rawLat);
    line({
      metric: 'ctrl_c_latency_p95',
      value: +sp95.toFixed(1),
      unit: 'ms',
      baseline: +rp95.toFixed(1),
      ratio: +(sp95 / rp95).toFixed(2),
    });
  } finally {
    for (const d of disposers) await d();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (err: Error) => {
    process.stderr.write(`bench terminal failed: ${err.message}\n`);
    process.exit(1);
  },
);
