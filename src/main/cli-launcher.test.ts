// The `aura-ops` launcher the console puts on its terminal PATH: hostile paths and arguments stay
// exactly one word each, run nothing, and the launcher is the owner's only.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { cmdQuote, posixLauncher, windowsLauncher, writeCliLauncher } from './cli-launcher';

const HOSTILE = [
  "it's",
  'a"b',
  '$(touch PWNED)',
  '`touch PWNED`',
  '$((1+1))',
  '; touch PWNED',
  '&& touch PWNED',
  'line\ntouch PWNED',
  'cr\rtouch PWNED',
  'ctrl\x0ftouch PWNED',
  '*',
  '-rf',
  '$HOME',
  '\\',
  '',
];

const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
function temp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-launcher-'));
  temps.push(d);
  return d;
}

describe('the POSIX launcher', () => {
  it('passes a hostile program path, fixed arguments and user arguments through unchanged', () => {
    const dir = temp();
    // The "app" lives in a folder whose name is itself hostile.
    const appDir = path.join(dir, "app $(touch PWNED) `x` 'q'");
    fs.mkdirSync(appDir);
    const script = path.join(appDir, 'print-argv.js');
    fs.writeFileSync(script, 'process.stdout.write(JSON.stringify(process.argv.slice(2)))');
    const bin = writeCliLauncher(
      path.join(dir, 'bin'),
      { command: process.execPath, args: [script, '--aura-ops-cli', ...HOSTILE] },
      'linux',
    );
    const launcher = path.join(bin, 'aura-ops');
    const r = spawnSync(launcher, HOSTILE, { cwd: dir, encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(JSON.parse(r.stdout)).toEqual(['--aura-ops-cli', ...HOSTILE, ...HOSTILE]);
    expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    expect(fs.existsSync(path.join(appDir, 'PWNED'))).toBe(false);
  });

  it('is owner-only, in an owner-only folder, and rewritten with that mode every time', () => {
    const dir = temp();
    const bin = path.join(dir, 'bin');
    fs.mkdirSync(bin);
    fs.writeFileSync(path.join(bin, 'aura-ops'), 'old', { mode: 0o777 });
    fs.chmodSync(path.join(bin, 'aura-ops'), 0o777);
    writeCliLauncher(bin, { command: '/usr/bin/node', args: [] }, 'linux');
    expect(fs.statSync(path.join(bin, 'aura-ops')).mode & 0o777).toBe(0o700);
    expect(fs.readFileSync(path.join(bin, 'aura-ops'), 'utf8')).toBe(
      posixLauncher({ command: '/usr/bin/node', args: [] }),
    );
    const fresh = writeCliLauncher(
      path.join(dir, 'fresh', 'bin'),
      { command: '/usr/bin/node', args: [] },
      'linux',
    );
    expect(fs.statSync(fresh).mode & 0o777).toBe(0o700);
  });
});

describe('the Windows launcher', () => {
  it('quotes each word, doubles % so nothing expands, and passes the user arguments', () => {
    const text = windowsLauncher({
      command: 'C:\\Program Files\\Aura Ops Console\\Aura Ops Console.exe',
      args: ['--aura-ops-cli'],
    });
    expect(text.split('\r\n')).toContain(
      '"C:\\Program Files\\Aura Ops Console\\Aura Ops Console.exe" "--aura-ops-cli" %*',
    );
    expect(cmdQuote('C:\\Users\\a%PATH%b')).toBe('"C:\\Users\\a%%PATH%%b"');
  });

  it('refuses paths cmd.exe would split or end: quotes, line breaks, NUL', () => {
    for (const bad of ['a"b', 'a\nb', 'a\rb', 'a\0b'])
      expect(() => cmdQuote(bad)).toThrow(/quote or line break/);
  });

  it('writes aura-ops.cmd on Windows', () => {
    const bin = writeCliLauncher(
      path.join(temp(), 'bin'),
      { command: 'C:\\node.exe', args: ['C:\\cli.js'] },
      'win32',
    );
    expect(fs.readdirSync(bin)).toEqual(['aura-ops.cmd']);
    expect(fs.readFileSync(path.join(bin, 'aura-ops.cmd'), 'utf8')).toContain(
      '"C:\\node.exe" "C:\\cli.js" %*',
    );
  });
});
