// The shell equivalent each probe shows (Health > Run pastes it into the terminal) keeps a hostile
// install path, URL or Redis host one argument: run with real bash, no injection creates a file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox';
import { resolveRoot } from '../install/discover';
import { runSweep } from './sweep';

/** Each probe command runs for at most this long (curl and redis-cli aim at closed ports). */
const COMMAND_TIMEOUT_MS = 10_000;
/** The aura.db read, which must finish: generous, as a loaded CI machine under faketime is slow to start processes. */
const DB_READ_TIMEOUT_MS = 40_000;

let parent: string;
beforeAll(() => {
  parent = fs.mkdtempSync(path.join(os.tmpdir(), 'probe-shell-'));
});
afterAll(() => {
  fs.rmSync(parent, { recursive: true, force: true });
});

function planted(dir: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => path.basename(p) === 'PWNED');
}

describe('probe shell equivalents (issue 14, item 1)', () => {
  it('quote a data root named ev$(($(touch PWNED)0)) and hostile config values', async () => {
    const dataRoot = path.join(parent, 'ev$(($(touch PWNED)0)) "; touch PWNED; echo "');
    createSandbox(dataRoot, { days: 1, projects: 1 });
    const settingsFile = path.join(dataRoot, 'appsettings.json');
    const settings = JSON.parse(fs.readFileSync(settingsFile, 'utf8')) as Record<string, unknown>;
    settings.Urls = 'http://127.0.0.1:1/$(touch PWNED)';
    settings.Caching = { UseRedis: true, RedisConnection: '127.0.0.1`touch PWNED`:1' };
    fs.writeFileSync(settingsFile, JSON.stringify(settings, null, 2));
    const install = resolveRoot({ kind: 'manual', dataRoot, source: 'test', useEnv: false }, { env: {} });
    const sweep = await runSweep(install, { apiTimeoutMs: 500 });
    const shells = sweep.results.map((r) => r.shell);
    expect(shells.some((s) => s.includes('sqlite3'))).toBe(true);
    expect(shells.some((s) => s.includes('df -h'))).toBe(true);
    for (const shell of shells) {
      const cwd = fs.mkdtempSync(path.join(parent, 'run-'));
      spawnSync('bash', ['-c', shell], { cwd, timeout: COMMAND_TIMEOUT_MS, stdio: 'ignore' });
      expect({ shell, planted: planted(parent) }).toEqual({ shell, planted: [] });
    }
    // The aura.db command really reads the file at that path.
    const db = shells.find((s) => s.includes('sqlite3'))!;
    const r = spawnSync('bash', ['-c', db], { cwd: parent, encoding: 'utf8', timeout: DB_READ_TIMEOUT_MS });
    // On a failure, say how it ended (a timeout kills with SIGTERM; sqlite3 explains itself on stderr).
    expect({
      stdout: r.stdout,
      how: { status: r.status, signal: r.signal, error: r.error?.message, stderr: r.stderr },
    }).toMatchObject({ stdout: expect.stringMatching(/^ok$/m) });
  }, 120_000);
});
