// `aura-ops sandbox`: create / scenarios / scenario in-process with captured output, and `run` in
// its own process: SIGTERM stops it cleanly, SIGKILL still takes redis-server and the lock holder.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { missingTool } from '../../../tests/tools';
import { SCENARIOS } from '../../shared/contract/sandbox';
import { sandboxCommand } from './cli';
import { readScenarioFile } from './control';
import { portOpen, until } from './test-support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-cli-'));
const RUN_CLI = path.join(__dirname, 'fixtures', 'run-cli.ts');
/** The sandbox starts a redis-server child when one is installed; under CI a missing one fails (tests/tools.ts). */
const redisMissing = missingTool('redis-server', 'sandbox run: its redis-server child');
const hasRedis = !redisMissing;
const spawned: ChildProcess[] = [];
afterAll(() => {
  for (const c of spawned) if (c.exitCode === null && c.signalCode === null) c.kill('SIGKILL');
  fs.rmSync(tmp, { recursive: true, force: true });
});

async function cli(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await sandboxCommand(argv, { out: (t) => (out += t + '\n'), err: (t) => (err += t + '\n') });
  return { code, out, err };
}

describe('in-process commands', () => {
  it('--help prints usage (exit 0); no sub-command is a usage error (exit 2)', async () => {
    const h = await cli('--help');
    expect(h.code).toBe(0);
    expect(h.out).toContain('Usage: aura-ops sandbox <command>');
    expect((await cli('create', '--help')).code).toBe(0);
    expect((await cli()).code).toBe(2);
  });

  it('create writes a sandbox and reports it as JSON', async () => {
    const dir = path.join(tmp, 'c1');
    const r = await cli('create', dir, '--days', '2', '--projects', '4', '--log-mb', '0.1', '--json');
    expect(r.code).toBe(0);
    const j = JSON.parse(r.out);
    expect(j).toMatchObject({ dir, dbPath: path.join(dir, 'aura.db'), logsDir: path.join(dir, 'logs') });
    expect(j.counts.ProjectStates).toBe(4);
    expect(fs.existsSync(path.join(dir, 'appsettings.json'))).toBe(true);
    // A second create refuses without --force and replaces with it.
    const again = await cli('create', dir);
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/already holds a sandbox/);
    expect((await cli('create', dir, '--force', '--days', '1', '--log-mb', '0.05')).code).toBe(0);
  });

  it('rejects bad input with exit 2 and a message naming the problem', async () => {
    const bad = [
      [['create'], /exactly one DIR/],
      [['create', path.join(tmp, 'x'), '--days', 'lots'], /--days must be a number/],
      [['create', path.join(tmp, 'x'), '--bogus'], /Unknown option/],
      [['run', path.join(tmp, 'x'), '--scenario', 'on-fire'], /unknown scenario "on-fire"/],
      [['scenario', path.join(tmp, 'x'), 'on-fire'], /unknown scenario "on-fire"/],
      [['frobnicate'], /unknown command "frobnicate"/],
    ] as const;
    for (const [argv, msg] of bad) {
      const r = await cli(...argv);
      expect(r.code, argv.join(' ')).toBe(2);
      expect(r.err).toMatch(msg);
    }
    expect(fs.existsSync(path.join(tmp, 'x'))).toBe(false);
  });

  it('scenarios lists every scenario, with --json the full table', async () => {
    const j = await cli('scenarios', '--json');
    expect(JSON.parse(j.out)).toEqual(SCENARIOS);
    const t = await cli('scenarios');
    for (const s of SCENARIOS)
      expect(t.out).toMatch(new RegExp(`^${s.name} +${s.severity} +${s.runbook}`, 'm'));
  });

  it('scenario on a stopped sandbox sets the one the next run starts in', async () => {
    const dir = path.join(tmp, 'c2');
    await cli('create', dir, '--days', '1', '--log-mb', '0.05');
    const r = await cli('scenario', dir, 'slow-db');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/No sandbox is running/);
    expect(readScenarioFile(dir)).toBe('slow-db');
    const notSb = await cli('scenario', tmp, 'healthy');
    expect(notSb.code).toBe(1);
    expect(notSb.err).toMatch(/is not a sandbox/);
  });
});

const alive = (pid: number): boolean => {
  try {
    // A zombie (exited, not yet reaped by a container init) counts as gone.
    return !/^\d+ \(.*\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, 'utf8'));
  } catch {
    return false;
  }
};
const sqliteWrite = (db: string): Promise<number | null> =>
  new Promise((resolve) =>
    spawn('sqlite3', [db, 'UPDATE JobQueue SET Priority = Priority;'], { stdio: 'ignore' }).on(
      'close',
      resolve,
    ),
  );

describe('aura-ops sandbox run in its own process', () => {
  function startRun(dir: string, scenario: string): Promise<{ child: ChildProcess; url: string }> {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', RUN_CLI, 'run', dir, '--port', '0', '--scenario', scenario],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    spawned.push(child);
    let out = '';
    let err = '';
    child.stderr?.on('data', (d: Buffer) => (err += d.toString()));
    return new Promise((resolve, reject) => {
      child.stdout?.on('data', (d: Buffer) => {
        out += d.toString();
        const m = /listening on (http:\/\/127\.0\.0\.1:\d+)/.exec(out);
        if (m && out.includes('Press Ctrl+C')) resolve({ child, url: m[1] });
      });
      child.once('exit', (code) => reject(new Error(`sandbox run exited ${code}: ${err}`)));
    });
  }
  const childPids = (dir: string): number[] =>
    (
      JSON.parse(fs.readFileSync(path.join(dir, '.aura-sandbox', 'children.json'), 'utf8')) as {
        pids: number[];
      }
    ).pids;

  it('SIGTERM stops it cleanly: exit 0, port closed, children gone, lock released, state file removed', async () => {
    const dir = path.join(tmp, 'term');
    const { child, url } = await startRun(dir, 'db-locked');
    const pids = childPids(dir);
    expect(pids.length).toBe(hasRedis ? 2 : 1);
    expect(pids.every(alive)).toBe(true);
    expect((await fetch(`${url}/health/live`)).status).toBe(200);
    expect(await sqliteWrite(path.join(dir, 'aura.db'))).not.toBe(0);
    const exit = new Promise<number | null>((r) => child.once('exit', (c) => r(c)));
    child.kill('SIGTERM');
    expect(await exit).toBe(0);
    expect(await portOpen(Number(new URL(url).port))).toBe(false);
    expect(
      await until(
        () => pids.some(alive),
        (v) => !v,
      ),
    ).toBe(false);
    expect(fs.existsSync(path.join(dir, '.aura-sandbox', 'state.json'))).toBe(false);
    expect(await sqliteWrite(path.join(dir, 'aura.db'))).toBe(0);
  });

  it('SIGKILL of the sandbox still ends redis-server and the lock holder', async () => {
    const dir = path.join(tmp, 'kill');
    const { child } = await startRun(dir, 'db-locked');
    const pids = childPids(dir);
    expect(pids.every(alive)).toBe(true);
    child.kill('SIGKILL');
    expect(
      await until(
        () => pids.some(alive),
        (v) => !v,
      ),
    ).toBe(false);
    expect(
      await until(
        () => sqliteWrite(path.join(dir, 'aura.db')),
        (c) => c === 0,
      ),
    ).toBe(0);
  });

  it.skipIf(redisMissing)('SIGKILL of the sandbox also closes its redis-server port', async () => {
    const dir = path.join(tmp, 'kill-redis');
    const { child } = await startRun(dir, 'healthy');
    const redisConn = JSON.parse(fs.readFileSync(path.join(dir, 'appsettings.json'), 'utf8')).Caching
      .RedisConnection as string;
    const port = Number(/:(\d+)/.exec(redisConn)?.[1]);
    expect(port).toBeGreaterThan(0);
    expect(await portOpen(port)).toBe(true);
    child.kill('SIGKILL');
    expect(
      await until(
        () => portOpen(port),
        (v) => !v,
      ),
    ).toBe(false);
  });
});
