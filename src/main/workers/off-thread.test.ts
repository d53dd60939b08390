// The task worker on a real worker thread: the same answers as the in-thread code, the main loop
// free while a big job runs, and a worker that fails or dies gives a clear error (and a fresh one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunbook } from '../../shared/runbooks/parse';
import { resolveRoot } from '../services/install/discover';
import { probeLogs } from '../services/probes/log-signals';
import { probeLogsOffThread } from '../services/probes/log-probe-off-thread';
import { nestedRunbook } from '../services/runbooks/nested-runbook-fixture';
import { TaskWorker, taskWorkerScript, type WorkerScript } from './off-thread';
import { turnsWhile } from './loop-turns';

let root: string;
const lanes: TaskWorker[] = [];
const lane = (label: string, script?: () => WorkerScript): TaskWorker => {
  const l = new TaskWorker(label, script);
  lanes.push(l);
  return l;
};
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-offthread-'));
  fs.mkdirSync(path.join(root, 'logs'));
});
afterAll(async () => {
  for (const l of lanes) await l.shutdown();
  fs.rmSync(root, { recursive: true, force: true });
});

describe('task worker', () => {
  it('parses a big nested runbook to the same document, on another thread', async () => {
    // Small enough for a test (micromark's list handling is superlinear: 50 KB of list take seconds).
    const text = nestedRunbook(12 * 1024);
    const file = path.join(root, 'huge.md');
    fs.writeFileSync(file, text);
    const l = lane('runbook parser');
    const { value: doc, turns } = await turnsWhile(
      l.run('parse-runbook', { abs: file, file: 'huge.md', variables: {} }),
    );
    expect(doc).toEqual(parseRunbook(text, { file: 'huge.md', variables: {} }));
    expect(doc.steps.length).toBeGreaterThan(0);
    expect(turns).toBeGreaterThan(0);
  });

  it('runs the log probe with the same result as in-thread', async () => {
    const now = Date.parse('2026-12-06T12:00:00Z');
    const stamp = (t: number): string => new Date(t).toISOString().replace('T', ' ').replace('Z', ' +00:00');
    const lines: string[] = [];
    for (let i = 60; i > 0; i--) {
      const status = i % 3 === 0 ? 500 : 200;
      lines.push(
        `[${stamp(now - i * 1000)}] [${status >= 500 ? 'ERR' : 'INF'}] [c0ffee] [c0ffee] [5eed] Request completed: GET /api/jobs - ${status} in 3.1ms {"SourceContext":"Aura.Api.Middleware.RequestLoggingMiddleware"}`,
      );
    }
    fs.writeFileSync(path.join(root, 'logs', 'aura-api-20261206.log'), lines.join('\n') + '\n');
    const install = resolveRoot(
      { kind: 'sandbox', dataRoot: root, source: 'test', useEnv: false },
      { env: {} },
    );
    const off = await probeLogsOffThread(install, { now }, lane('log probe worker'));
    const inThread = probeLogs(install, { now });
    const strip = (r: typeof off.result) => ({ ...r, checkedAt: 0, durationMs: 0 });
    expect(strip(off.result)).toEqual(strip(inThread.result));
    expect(off.logs).toEqual(inThread.logs);
    expect(off.logs?.m5.requests5xx).toBe(20);
  });

  it.runIf(process.platform === 'linux')(
    'lists the watched processes from /proc, this node among them',
    async () => {
      const procs = await lane('process list worker').run('list-processes', {});
      expect(procs.find((p) => p.pid === process.pid)).toMatchObject({ name: 'node' });
    },
  );

  it('a worker script that throws when loaded fails the job with a clear error', async () => {
    const bad = path.join(root, 'bad-worker.cjs');
    fs.writeFileSync(bad, "throw new Error('cannot load the parser');\n");
    const l = lane('runbook parser', () => ({ file: bad, execArgv: [] }));
    await expect(
      l.run('parse-runbook', { abs: '/nonexistent', file: 'x.md', variables: {} }),
    ).rejects.toThrow(/The runbook parser stopped unexpectedly \(it failed: cannot load the parser\)/);
  });

  it('a worker that dies mid-job fails that job only; the next job gets a fresh worker', async () => {
    // A real worker that exits on a marker job and answers others: what a crash looks like to the host.
    const flaky = path.join(root, 'flaky-worker.cjs');
    fs.writeFileSync(
      flaky,
      "const { parentPort } = require('node:worker_threads');\nparentPort.on('message', (m) => { if (m.args.file === 'die.md') process.exit(7); parentPort.postMessage({ id: m.id, ok: true, value: m.args.file }); });\n",
    );
    const l = lane('runbook parser', () => ({ file: flaky, execArgv: [] }));
    const dying = l.run('parse-runbook', { abs: '/x', file: 'die.md', variables: {} });
    const after = l.run('parse-runbook', { abs: '/x', file: 'next.md', variables: {} });
    await expect(dying).rejects.toThrow(
      /The runbook parser stopped unexpectedly \(it exited with code 7\); try again/,
    );
    await expect(after).resolves.toBe('next.md');
  });

  it('a job the worker cannot do fails with its reason, and the worker stays usable', async () => {
    const l = lane('runbook parser');
    await expect(
      l.run('parse-runbook', { abs: path.join(root, 'missing.md'), file: 'missing.md', variables: {} }),
    ).rejects.toThrow(/The runbook parser failed: ENOENT/);
    fs.writeFileSync(path.join(root, 'small.md'), '# Small\n\n## Overview\nok\n');
    await expect(
      l.run('parse-runbook', { abs: path.join(root, 'small.md'), file: 'small.md', variables: {} }),
    ).resolves.toMatchObject({ file: 'small.md' });
  });

  it('a log probe whose worker cannot run gives an unknown card that says why', async () => {
    const install = resolveRoot(
      { kind: 'sandbox', dataRoot: root, source: 'test', useEnv: false },
      { env: {} },
    );
    const dead = lane('log probe worker', () => {
      throw new Error('no worker script here');
    });
    const out = await probeLogsOffThread(install, {}, dead);
    expect(out.logs).toBeNull();
    expect(out.result).toMatchObject({ id: 'logs', state: 'unknown' });
    expect(out.result.summary).toBe('The log probe could not run: no worker script here');
  });

  it('finds its script from sources with the TypeScript loader', () => {
    const s = taskWorkerScript();
    expect(s.eval).toBe(true);
    expect(s.file).toContain(JSON.stringify(path.join(__dirname, 'task-worker.ts')));
    expect(s.file).toMatch(/tsx.*register\(\)/);
  });
});
