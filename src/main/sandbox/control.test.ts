// The control API other processes use: switchScenario's outcomes (not a sandbox, none running with
// the request recorded or refused, switched, the sandbox ending mid-switch, no answer in time),
// each from real control files and real processes.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { createSandbox } from './generator';
import {
  controlFiles,
  readScenarioFile,
  runningScenario,
  switchScenario,
  writeScenarioFile,
  writeStateFile,
} from './control';
import { startSandbox } from './server';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-control-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const made = (name: string): string => {
  const dir = path.join(tmp, name);
  createSandbox(dir, { days: 1, logMb: 0.05, projects: 2 });
  return dir;
};

describe('switchScenario', () => {
  it('says a folder is not a sandbox and writes nothing into it', async () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'plain-'));
    expect(await switchScenario(dir, 'api-down', { timeoutMs: 1000, ifStopped: 'record' })).toEqual({
      kind: 'not-sandbox',
    });
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it('with no sandbox running: "record" leaves the request for the next run, "refuse" leaves the file alone', async () => {
    const dir = made('stopped');
    writeScenarioFile(dir, 'healthy');
    expect(await switchScenario(dir, 'slow-db', { timeoutMs: 1000, ifStopped: 'refuse' })).toEqual({
      kind: 'not-running',
    });
    expect(readScenarioFile(dir)).toBe('healthy');
    expect(await switchScenario(dir, 'slow-db', { timeoutMs: 1000, ifStopped: 'record' })).toEqual({
      kind: 'not-running',
    });
    expect(readScenarioFile(dir)).toBe('slow-db');
    expect(runningScenario(dir)).toBeNull();
  });

  it('switches a running sandbox and returns the state it reports', async () => {
    const dir = made('running');
    const sb = await startSandbox(dir, { jobTickMs: 3_600_000, trafficMs: 3_600_000, redis: 'off' });
    try {
      const out = await switchScenario(dir, 'disk-low', { timeoutMs: 10_000, ifStopped: 'refuse' });
      expect(out).toMatchObject({
        kind: 'switched',
        state: { pid: process.pid, url: sb.url, scenario: 'disk-low' },
      });
      expect(sb.scenario).toBe('disk-low');
      expect(runningScenario(dir)).toBe('disk-low');
    } finally {
      await sb.stop();
    }
    expect(runningScenario(dir)).toBeNull();
  });

  it('reports "stopped" when the process named in the state file ends while it waits', async () => {
    const dir = made('ends');
    // A live process that is no sandbox: it never answers the request, then it ends.
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 60000)'], { stdio: 'ignore' });
    const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
    try {
      writeStateFile(dir, {
        pid: child.pid ?? -1,
        url: 'http://127.0.0.1:1',
        port: 1,
        scenario: 'healthy',
        startedAt: new Date().toISOString(),
      });
      const pending = switchScenario(dir, 'api-down', { timeoutMs: 20_000, ifStopped: 'refuse' });
      // The request is written before the wait begins.
      expect(readScenarioFile(dir)).toBe('api-down');
      child.kill('SIGKILL');
      await exited;
      expect(await pending).toEqual({ kind: 'stopped' });
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('reports "timeout" with the last state when the sandbox does not switch in time', async () => {
    const dir = made('deaf');
    // This process is alive and never polls the scenario file: a sandbox that does not answer.
    writeStateFile(dir, {
      pid: process.pid,
      url: 'http://127.0.0.1:1',
      port: 1,
      scenario: 'redis-down',
      startedAt: new Date().toISOString(),
    });
    const t0 = Date.now();
    const out = await switchScenario(dir, 'healthy', { timeoutMs: 300, ifStopped: 'refuse' });
    expect(out).toMatchObject({ kind: 'timeout', state: { scenario: 'redis-down', pid: process.pid } });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
    fs.rmSync(controlFiles(dir).state);
  });
});
