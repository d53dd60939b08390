// The bundle's step gate with the console's real read-only classifier: file-reading steps of the
// handbook run against the bundle; live-machine, API and mutating steps are refused with why.
import { describe, expect, it } from 'vitest';
import { classifyCommand } from '../command-risk';
import { bundleGate } from './gate';

const API = 'http://127.0.0.1:5005';
const gate = (channel: string, params: unknown) =>
  bundleGate(channel, params, { classify: (c) => classifyCommand(c), apiUrl: API });
const run = (command: string) => gate('terminal:run', { command });

describe('bundle step gate', () => {
  it('lets file-reading steps through', async () => {
    for (const c of [
      "tail -n 100 '/b/logs/errors-20261207.log'",
      "grep -c 'database is locked' '/b/logs/aura-api-20261207.log'",
      `sqlite3 -readonly '/b/db/aura.db' "PRAGMA quick_check;"`,
      "LC_ALL=C grep -E '\\[(ERR|FTL)\\]' '/b/logs/aura-api-20261207.log' | tail -n 5",
      "ls -la '/b/logs'",
      "aura-ops logs stats --dir '/b/logs'",
    ]) {
      await expect(run(c), c).resolves.toBeUndefined();
    }
  });

  it('refuses steps that need the live API, Redis or this machine, naming why', async () => {
    await expect(run('curl -s http://127.0.0.1:5005/health/ready')).rejects.toMatchObject({
      code: 'read-only',
      message: /calls Aura's API/,
    });
    await expect(run("curl -s 'http://127.0.0.1:5005/health/live'")).rejects.toThrow(
      /Not available in a bundle/,
    );
    await expect(run('redis-cli ping')).rejects.toThrow(/`redis-cli` looks at the live machine/);
    await expect(run('df -h')).rejects.toThrow(/`df` looks at the live machine/);
    await expect(run('ps aux | grep -E "(dotnet|node|redis|ffmpeg)"')).rejects.toThrow(/`ps`/);
    // Hidden in a substitution or after a pipe: still seen.
    await expect(run('echo "$(free -h)"')).rejects.toThrow(/`free`/);
    await expect(run('echo "`uptime`"')).rejects.toThrow(/Not available in a bundle/);
    await expect(run("cat '/b/logs/a.log' | grep x && ss -ltn")).rejects.toThrow(/`ss`/);
    await expect(run('aura-ops check')).rejects.toThrow(/`aura-ops`/);
    // A tool this gate does not know is refused, not guessed at (default-deny).
    await expect(run('sometool --read /b/logs')).rejects.toThrow(/Not available in a bundle/);
  });

  it('refuses anything that can change things, and the demo scenario controls', async () => {
    await expect(run("rm -f '/b/db/aura.db'")).rejects.toThrow(/can change things/);
    await expect(run(`sqlite3 '/b/db/aura.db' "DELETE FROM JobQueue"`)).rejects.toThrow(/can change things/);
    await expect(
      gate('walkthrough:run-step', { step: { command: 'systemctl restart aura' } }),
    ).rejects.toThrow(/can change things/);
    await expect(gate('sandbox:set-scenario', { name: 'healthy' })).rejects.toThrow(
      /demo install is not running/,
    );
    await expect(gate('logs:list', {})).resolves.toBeUndefined();
  });
});
