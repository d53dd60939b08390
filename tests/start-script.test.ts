// `npm start`'s platform- and layout-dependent helpers (scripts/start-lib.mjs): the build command
// that also works on Windows, the copy of a linked better-sqlite3, npm's nodedir trap.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { copyPackage, envWithoutNodedir, nodeScriptCommand } from '../scripts/start-lib.mjs';

const REPO = path.resolve(__dirname, '..');
const temps: string[] = [];
afterEach(() => {
  for (const d of temps.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('nodeScriptCommand', () => {
  it('runs the package JS with this Node, not the extension-less .bin shim Windows cannot spawn', () => {
    const c = nodeScriptCommand(REPO, 'electron-vite', path.join('bin', 'electron-vite.js'));
    expect(c.command).toBe(process.execPath);
    expect(c.args[0]).toBe(path.join(REPO, 'node_modules', 'electron-vite', 'bin', 'electron-vite.js'));
    expect(fs.existsSync(c.args[0]!)).toBe(true);
    const r = spawnSync(c.command, [...c.args, '--version'], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stdout).toMatch(/\d+\.\d+\.\d+/);
  });
});

describe('copyPackage', () => {
  it('copies what a linked package points to, so removing the copy’s build/ leaves the real one', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-start-'));
    temps.push(dir);
    const real = path.join(dir, 'store', 'better-sqlite3');
    fs.mkdirSync(path.join(real, 'build', 'Release'), { recursive: true });
    fs.writeFileSync(path.join(real, 'build', 'Release', 'better_sqlite3.node'), 'node build');
    fs.writeFileSync(path.join(real, 'package.json'), '{"name":"better-sqlite3"}');
    fs.mkdirSync(path.join(dir, 'node_modules'));
    const link = path.join(dir, 'node_modules', 'better-sqlite3');
    fs.symlinkSync(real, link);
    const work = path.join(dir, '.electron-native', 'build');
    copyPackage(link, work);
    expect(fs.lstatSync(work).isSymbolicLink()).toBe(false);
    fs.rmSync(path.join(work, 'build'), { recursive: true, force: true });
    expect(fs.readFileSync(path.join(real, 'build', 'Release', 'better_sqlite3.node'), 'utf8')).toBe(
      'node build',
    );
    expect(fs.existsSync(path.join(work, 'package.json'))).toBe(true);
  });

  it('replaces an earlier copy, and fails clearly on a missing package', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-start-'));
    temps.push(dir);
    const src = path.join(dir, 'pkg');
    fs.mkdirSync(src);
    fs.writeFileSync(path.join(src, 'a.txt'), 'new');
    const work = path.join(dir, 'work');
    fs.mkdirSync(work);
    fs.writeFileSync(path.join(work, 'stale.txt'), 'old');
    copyPackage(src, work);
    expect(fs.readdirSync(work)).toEqual(['a.txt']);
    expect(() => copyPackage(path.join(dir, 'missing'), work)).toThrow(/ENOENT/);
  });
});

describe('envWithoutNodedir', () => {
  it('drops npm’s nodedir in any spelling and blanks it for node-gyp', () => {
    const env = envWithoutNodedir({ PATH: '/bin', npm_config_nodedir: '/usr', NPM_CONFIG_NODEDIR: '/usr' });
    expect(env).toEqual({ PATH: '/bin', npm_config_nodedir: '' });
  });
});
