// What plain tools see when the scenario changes (curl, sqlite3, tail run as child processes),
// switching from another process through the CLI, and a real redis-server going away.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTool } from '../../../tests/tools';
import { readStat } from '../services/system/proc-table';
import { controlFiles } from './control';
import { startSandbox, type SandboxHandle } from './server';
import { portOpen, until } from './test-support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-proc-'));
const RUN_CLI = path.join(__dirname, 'fixtures', 'run-cli.ts');
/** The sandbox's redis-server child; under CI a missing one fails instead of skipping (tests/tools.ts). */
const hasRedis = !missingTool('redis-server', 'sandbox processes: its redis-server child');
let sb: SandboxHandle;

beforeAll(async () => {
  sb = await startSandbox(path.join(tmp, 'sb'), {
    create: { days: 2, logMb: 0.2, projects: 6 },
    jobTickMs: 100,
    trafficMs: 100,
  });
});
afterAll(async () => {
  await sb?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** Run a tool as a child process without blocking this process's event loop (the sandbox lives here). */
const run = (cmd: string, args: string[]): Promise<{ code: number | null; out: string; err: string }> =>
  new Promise((resolve) => {
    const c = spawn(cmd, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    c.stdout.on('data', (d: Buffer) => (out += d.toString()));
    c.stderr.on('data', (d: Buffer) => (err += d.toString()));
    const timer = setTimeout(() => c.kill('SIGKILL'), 15_000);
    c.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
const curlCode = async (url: string): Promise<string> =>
  (await run('curl', ['-s', '-o', '/dev/null', '-m', '2', '-w', '%{http_code}', url])).out;
/** `tail -n N` of the family's newest file (by name: date, then roll sequence). */
const tail = async (family: string, n = 400): Promise<string> => {
  const names = fs
    .readdirSync(sb.layout.logsDir)
    .filter((f) => f.startsWith(`${family}-`))
    .sort();
  return (await run('tail', ['-n', String(n), path.join(sb.layout.logsDir, names[names.length - 1])])).out;
};

describe('a scenario switch, seen by curl, sqlite3 and tail', () => {
  it('db-corrupt: curl gets 503, sqlite3 integrity_check fails, tail shows malformed-database errors; healthy restores the file', async () => {
    expect(await curlCode(`${sb.url}/health/ready`)).toBe('200');
    expect((await run('sqlite3', [sb.layout.dbPath, 'PRAGMA integrity_check;'])).out.trim()).toBe('ok');
    await sb.setScenario('db-corrupt');
    expect(await curlCode(`${sb.url}/health/ready`)).toBe('503');
    const ic = await run('sqlite3', [sb.layout.dbPath, 'PRAGMA integrity_check;']);
    expect(`${ic.out}${ic.err}`).not.toMatch(/^ok\s*$/);
    expect(`${ic.out}${ic.err}`).toMatch(/malformed|btreeInitPage|error code 11/);
    expect(
      await until(
        () => tail('errors'),
        (t) => t.includes("SQLite Error 11: 'database disk image is malformed'"),
      ),
    ).toContain("SQLite Error 11: 'database disk image is malformed'");
    await sb.setScenario('healthy');
    expect((await run('sqlite3', [sb.layout.dbPath, 'PRAGMA integrity_check;'])).out.trim()).toBe('ok');
    expect(await curlCode(`${sb.url}/health/ready`)).toBe('200');
  });

  it('db-locked: sqlite3 writes get "database is locked", reads work, tail shows SQLITE_BUSY errors', async () => {
    await sb.setScenario('db-locked');
    const w = await run('sqlite3', [sb.layout.dbPath, 'UPDATE JobQueue SET Priority = Priority;']);
    expect(w.code).not.toBe(0);
    expect(w.err).toMatch(/database is locked/);
    expect((await run('sqlite3', [sb.layout.dbPath, 'SELECT COUNT(*) > 0 FROM JobQueue;'])).out.trim()).toBe(
      '1',
    );
    // The generated history may already hold a lock error of another shape: wait for the live one.
    const liveLockError =
      /\[ERR\] \[\] \[\] \[\] Failed to persist job progress for job \S+.*\nMicrosoft\.Data\.Sqlite\.SqliteException \(0x80004005\): SQLite Error 5: 'database is locked'\./;
    const errs = await until(
      () => tail('errors'),
      (t) => liveLockError.test(t),
    );
    expect(errs).toMatch(liveLockError);
    await sb.setScenario('healthy');
    // The lock holder lets go a moment after the switch: writes succeed again within the deadline.
    expect(
      (
        await until(
          () => run('sqlite3', [sb.layout.dbPath, 'UPDATE JobQueue SET Priority = Priority;']),
          (r) => r.code === 0,
        )
      ).code,
    ).toBe(0);
  });

  it('api-down: curl cannot connect (exit 7) and tail shows the FTL line; another process switches it back', async () => {
    // Switch from a separate process through the CLI (state file), as an operator's shell would.
    const down = await run(process.execPath, ['--import', 'tsx', RUN_CLI, 'scenario', sb.dir, 'api-down']);
    // On failure, say what the CLI said (CI once saw exit 1 here at 00:00:20 under load).
    expect(down.code, `aura-ops sandbox scenario: ${down.out}${down.err}`).toBe(0);
    expect(down.out).toContain('now in scenario "api-down"');
    expect(sb.scenario).toBe('api-down');
    expect((await run('curl', ['-s', '-m', '2', `${sb.url}/health/live`])).code).toBe(7);
    expect(await tail('aura-api', 50)).toMatch(/\[FTL\] \[\] \[\] \[\] Application terminated unexpectedly/);
    await sb.setScenario('healthy');
    expect(await curlCode(`${sb.url}/health/live`)).toBe('200');
    expect(await tail('aura-api', 50)).toContain(`Listening on: ${sb.url}`);
  });

  it('log-flood: tail sees the flood lines pile up', async () => {
    await sb.setScenario('log-flood');
    const t = await until(
      () => tail('aura-api', 2000),
      (x) => (x.match(/Sending job progress update/g) ?? []).length >= 1000,
    );
    expect((t.match(/Sending job progress update/g) ?? []).length).toBeGreaterThanOrEqual(1000);
    await sb.setScenario('healthy');
  });

  it.runIf(hasRedis)(
    'redis-down: the real redis-server stops, tail shows "Cache get failed" warnings, and it comes back',
    async () => {
      const st = sb.status();
      expect(st.redis).toMatchObject({ enabled: true, running: true });
      const settings = JSON.parse(fs.readFileSync(sb.layout.appSettingsPath, 'utf8'));
      expect(settings.Caching).toMatchObject({
        UseRedis: true,
        RedisConnection: `127.0.0.1:${st.redis.port}`,
      });
      expect((await run('redis-cli', ['-p', String(st.redis.port), 'ping'])).out.trim()).toBe('PONG');
      await sb.setScenario('redis-down');
      expect(await portOpen(st.redis.port!)).toBe(false);
      const w = await until(
        () => tail('warnings'),
        (t) => t.includes('Cache get failed for key: ***REDACTED***, returning null'),
      );
      expect(w).toMatch(
        /\[WRN\] \[\] \[\] \[\] Cache get failed for key: \*\*\*REDACTED\*\*\*, returning null .*\nStackExchange\.Redis\.RedisConnectionException: It was not possible to connect to the redis server\(s\)\. UnableToConnect on 127\.0\.0\.1:\d+\/Interactive/,
      );
      await sb.setScenario('healthy');
      expect((await run('redis-cli', ['-p', String(st.redis.port), 'ping'])).out.trim()).toBe('PONG');
      // The sandbox writes real cache entries the way StackExchangeRedisCache does (a hash).
      expect(
        await until(
          async () =>
            (await run('redis-cli', ['-p', String(st.redis.port), 'HKEYS', 'Aura:templates:popular'])).out,
          (o) => o.includes('absexp'),
        ),
      ).toMatch(/absexp\s+sldexp\s+data/);
    },
  );
});

describe('children a crashed run left behind', () => {
  it('kills its own sqlite3 lock holder at the next start, found by command line, and no stranger', async () => {
    const dir = path.join(tmp, 'orphan');
    const first = await startSandbox(dir, { create: { days: 1, logMb: 0.05, projects: 1 } });
    const dbPath = first.layout.dbPath;
    await first.stop();
    // Two live sqlite3 shells waiting on stdin: one on this sandbox's aura.db (what a crashed run's
    // db-locked holder looks like), one on another file. Both pids are in the crashed run's record.
    const other = path.join(tmp, 'other.db');
    const ours = spawn('sqlite3', [dbPath], { stdio: ['pipe', 'ignore', 'ignore'] });
    const stranger = spawn('sqlite3', [other], { stdio: ['pipe', 'ignore', 'ignore'] });
    const ended = (c: typeof ours) =>
      new Promise<string | null>((r) => c.once('exit', (_code, signal) => r(signal)));
    const oursEnded = ended(ours);
    try {
      fs.writeFileSync(controlFiles(dir).children, JSON.stringify({ pids: [ours.pid, stranger.pid] }));
      const second = await startSandbox(dir, {});
      try {
        expect(await oursEnded).toBe('SIGKILL');
        // Read from the kernel, not from the exit event, which may not have arrived yet: a killed
        // stranger would be a zombie (Z) or gone (null) by now.
        expect(readStat(stranger.pid!)?.state).toMatch(/^[RS]$/);
      } finally {
        await second.stop();
      }
    } finally {
      ours.kill('SIGKILL');
      stranger.kill('SIGKILL');
    }
  });
});
