// The shell-integration scripts as shipped files: ShellCheck-clean bash, zsh that parses, found where
// the console looks for them, copied owner-only for each shell, and writing only the OSC 633 codes
// the protocol module names (and every code it names).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTool, toolPath } from '../../../../tests/tools';
import { VSCodeOscPt } from '../../../shared/shell-integration-protocol';
import { shellIntegrationDir } from '../../paths';
import { SHELL_INTEGRATION_SCRIPTS, prepareShellLaunch } from './shell-integration';

const REPO_SCRIPTS = path.resolve(__dirname, '..', '..', '..', '..', 'resources', 'shell-integration');
const read = (name: string): string => fs.readFileSync(path.join(REPO_SCRIPTS, name), 'utf8');
const zshScripts = SHELL_INTEGRATION_SCRIPTS.filter((n) => n.endsWith('.zsh'));

describe('shell-integration scripts', () => {
  let dir: string;
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-si-'));
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('are found in resources/shell-integration, every one the launch needs', () => {
    expect(shellIntegrationDir()).toBe(REPO_SCRIPTS);
    expect(fs.readdirSync(REPO_SCRIPTS).sort()).toEqual([...SHELL_INTEGRATION_SCRIPTS].sort());
  });

  it.skipIf(missingTool('shellcheck', 'shell-integration scripts'))(
    'bash script: ShellCheck finds nothing, at every severity',
    () => {
      const r = spawnSync(
        toolPath('shellcheck'),
        ['--severity=style', '--format=gcc', path.join(REPO_SCRIPTS, 'aura-ops.bash')],
        { encoding: 'utf8' },
      );
      expect({ status: r.status, findings: r.stdout + r.stderr }).toEqual({ status: 0, findings: '' });
    },
  );

  it('bash script parses (bash -n)', () => {
    execFileSync('bash', ['-n', path.join(REPO_SCRIPTS, 'aura-ops.bash')]);
  });

  it.skipIf(missingTool('zsh', 'shell-integration scripts'))(
    'zsh scripts parse (zsh -n; ShellCheck does not read zsh)',
    () => {
      expect(zshScripts).toHaveLength(4);
      for (const name of zshScripts) {
        const r = spawnSync(toolPath('zsh'), ['-n', path.join(REPO_SCRIPTS, name)], { encoding: 'utf8' });
        expect({ name, status: r.status, stderr: r.stderr }).toEqual({ name, status: 0, stderr: '' });
      }
    },
  );

  it('write exactly the OSC 633 codes the protocol module names', () => {
    const named = new Set<string>(Object.values(VSCodeOscPt));
    for (const name of ['aura-ops.bash', 'aura-ops.zsh']) {
      const written = new Set([...read(name).matchAll(/633;([A-Za-z]+)/g)].map((m) => m[1]));
      expect({ name, written: [...written].sort() }).toEqual({ name, written: [...named].sort() });
    }
  });

  it('are copied owner-only into the launch folder for bash and zsh, byte for byte', () => {
    const bash = prepareShellLaunch('/bin/bash', path.join(dir, 'b'), 'n0nce', { HOME: '/home/x' });
    expect(bash).toEqual({
      args: ['--rcfile', path.join(dir, 'b', 'bashrc'), '-i'],
      env: { AURA_OPS_NONCE: 'n0nce' },
      integration: true,
    });
    expect(fs.readFileSync(path.join(dir, 'b', 'bashrc'), 'utf8')).toBe(read('aura-ops.bash'));
    expect(fs.statSync(path.join(dir, 'b', 'bashrc')).mode & 0o777).toBe(0o600);

    const zsh = prepareShellLaunch('/usr/bin/zsh', path.join(dir, 'z'), 'n0nce', { HOME: '/home/x' });
    const zdir = path.join(dir, 'z', 'zsh');
    expect(zsh.env).toEqual({ AURA_OPS_NONCE: 'n0nce', ZDOTDIR: zdir, USER_ZDOTDIR: '/home/x' });
    const copied = Object.fromEntries(
      ['.zshenv', '.zprofile', '.zshrc', '.zlogin'].map((f) => [
        f,
        fs.readFileSync(path.join(zdir, f), 'utf8'),
      ]),
    );
    expect(copied).toEqual({
      '.zshenv': read('zshenv.zsh'),
      '.zprofile': read('zprofile.zsh'),
      '.zshrc': read('aura-ops.zsh'),
      '.zlogin': read('zlogin.zsh'),
    });
    for (const f of Object.keys(copied)) expect(fs.statSync(path.join(zdir, f)).mode & 0o777).toBe(0o600);

    expect(prepareShellLaunch('/bin/fish', path.join(dir, 'f'), 'n0nce', {})).toEqual({
      args: [],
      env: {},
      integration: false,
    });
    expect(fs.existsSync(path.join(dir, 'f'))).toBe(false);
  });
});
