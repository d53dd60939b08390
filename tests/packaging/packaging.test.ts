// The package, offline: `npm run dist` (scripts/dist.mjs) runs electron-builder --dir with a
// stand-in Electron folder (a file carrying Electron's fuse wire, so the fuses are really flipped)
// and npmRebuild off, then the output is inspected: app.asar, unpacked natives, runbooks, the CLI,
// the fuses, spawn-helper's execute bit, and the project's own node_modules left as they were.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHELL_INTEGRATION_SCRIPTS } from '../../src/main/services/terminal/shell-integration';

const REPO = path.resolve(__dirname, '..', '..');
/** electron-builder --dir takes ~45 s on a loaded 2-core machine. */
const PACK_MS = 300_000;
/** @electron/fuses' sentinel, then the wire: version 1, 8 fuses, Electron 45's defaults. */
const SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
const DEFAULT_WIRE = '10110001';
/** Order of the V1 wire (@electron/fuses FuseV1Options). */
const FUSES = [
  'RunAsNode',
  'EnableCookieEncryption',
  'EnableNodeOptionsEnvironmentVariable',
  'EnableNodeCliInspectArguments',
  'EnableEmbeddedAsarIntegrityValidation',
  'OnlyLoadAppFromAsar',
  'LoadBrowserProcessSpecificV8Snapshot',
  'GrantFileProtocolExtraPrivileges',
] as const;

const NATIVES = [
  'node_modules/better-sqlite3/build/Release/better_sqlite3.node',
  'node_modules/node-pty/build/Release/pty.node',
];
const sha = (f: string) =>
  crypto
    .createHash('sha256')
    .update(fs.readFileSync(path.join(REPO, f)))
    .digest('hex');

interface Asar {
  listPackage(archive: string, options: { isPack: boolean }): string[];
  extractFile(archive: string, filename: string): Buffer;
}
const asar = require('@electron/asar') as Asar;

let work: string;
let unpacked: string;
let resources: string;
let before: Record<string, string>;
let result: { status: number | null; output: string; ms: number };

beforeAll(() => {
  if (!fs.existsSync(path.join(REPO, 'out', 'main', 'index.js')))
    throw new Error('no build in out/: run npx electron-vite build first');
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-pack-'));
  const electron = path.join(work, 'electron');
  fs.mkdirSync(path.join(electron, 'resources'), { recursive: true });
  const wire = Buffer.concat([
    Buffer.from(SENTINEL),
    Buffer.from([1, FUSES.length]),
    Buffer.from(DEFAULT_WIRE),
  ]);
  fs.writeFileSync(
    path.join(electron, 'electron'),
    Buffer.concat([Buffer.from('#!/bin/sh\n# stand-in Electron\nexit 0\n# '), wire, Buffer.from('\n')]),
    { mode: 0o755 },
  );
  fs.writeFileSync(
    path.join(electron, 'version'),
    JSON.parse(fs.readFileSync(path.join(REPO, 'node_modules/electron/package.json'), 'utf8')).version,
  );
  before = Object.fromEntries(NATIVES.map((f) => [f, sha(f)]));
  const started = Date.now();
  const r = spawnSync(
    process.execPath,
    [
      path.join(REPO, 'scripts', 'dist.mjs'),
      '--prebuilt',
      '--linux',
      '--dir',
      `-c.electronDist=${electron}`,
      '-c.npmRebuild=false',
      `-c.directories.output=${path.join(work, 'dist')}`,
    ],
    // No network is needed: a proxy that does not exist makes any download fail loudly.
    {
      cwd: REPO,
      encoding: 'utf8',
      env: {
        ...process.env,
        HTTPS_PROXY: 'http://127.0.0.1:9',
        HTTP_PROXY: 'http://127.0.0.1:9',
        ELECTRON_BUILDER_OFFLINE: '1',
      },
    },
  );
  result = { status: r.status, output: `${r.stdout}\n${r.stderr}`, ms: Date.now() - started };
  process.stdout.write(`packaging: electron-builder --dir took ${(result.ms / 1000).toFixed(1)} s\n`);
  unpacked = path.join(work, 'dist', 'linux-unpacked');
  resources = path.join(unpacked, 'resources');
}, PACK_MS);
afterAll(() => {
  if (work) fs.rmSync(work, { recursive: true, force: true });
});

describe('npm run dist --dir, offline', () => {
  it('succeeds without downloading anything', () => {
    expect(result.status, result.output.slice(-4000)).toBe(0);
    expect(result.output).not.toMatch(/downloading|ENOTFOUND|ECONNREFUSED/i);
    expect(fs.existsSync(path.join(unpacked, 'aura-ops-console'))).toBe(true);
  });

  it('puts out/ and package.json in app.asar, and no sources or maps', () => {
    const files = asar
      .listPackage(path.join(resources, 'app.asar'), { isPack: false })
      .map((f) => f.split(path.sep).join('/'));
    for (const f of [
      '/package.json',
      '/out/main/index.js',
      '/out/main/cli.js',
      '/out/main/db-worker.cjs',
      '/out/main/task-worker.js',
      '/out/preload/index.js',
      '/out/renderer/index.html',
    ]) {
      expect(files, f).toContain(f);
    }
    expect(files.some((f) => f.startsWith('/src/'))).toBe(false);
    expect(files.some((f) => f.endsWith('.map'))).toBe(false);
    const pkg = JSON.parse(
      asar.extractFile(path.join(resources, 'app.asar'), 'package.json').toString('utf8'),
    ) as { main: string };
    expect(pkg.main).toBe('./out/main/index.js');
  });

  it('keeps the native modules outside the asar, without their C sources', () => {
    const mods = path.join(resources, 'app.asar.unpacked', 'node_modules');
    expect(fs.existsSync(path.join(mods, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node'))).toBe(
      true,
    );
    expect(fs.existsSync(path.join(mods, 'node-pty', 'build', 'Release', 'pty.node'))).toBe(true);
    expect(fs.existsSync(path.join(mods, 'better-sqlite3', 'deps'))).toBe(false);
    expect(fs.existsSync(path.join(mods, 'better-sqlite3', 'build', 'Release', 'obj'))).toBe(false);
  });

  it('gives macOS spawn-helper its execute bit back (microsoft/node-pty#850)', () => {
    const prebuilds = path.join(resources, 'app.asar.unpacked', 'node_modules', 'node-pty', 'prebuilds');
    const helpers = fs
      .readdirSync(prebuilds)
      .map((d) => path.join(prebuilds, d, 'spawn-helper'))
      .filter((f) => fs.existsSync(f));
    expect(helpers.length).toBeGreaterThan(0);
    for (const h of helpers) expect(fs.statSync(h).mode & 0o111, h).toBe(0o111);
  });

  it('ships the runbooks, the shell-integration scripts and the aura-ops CLI launchers', () => {
    const bundled = fs.readdirSync(path.join(REPO, 'resources', 'runbooks')).sort();
    expect(fs.readdirSync(path.join(resources, 'runbooks')).sort()).toEqual(bundled);
    for (const script of SHELL_INTEGRATION_SCRIPTS) {
      expect(fs.readFileSync(path.join(resources, 'shell-integration', script), 'utf8')).toBe(
        fs.readFileSync(path.join(REPO, 'resources', 'shell-integration', script), 'utf8'),
      );
    }
    const sh = path.join(resources, 'bin', 'aura-ops');
    expect(fs.statSync(sh).mode & 0o111).toBe(0o111);
    expect(fs.readFileSync(sh, 'utf8')).toContain('--aura-ops-cli');
    expect(fs.readFileSync(path.join(resources, 'bin', 'aura-ops.cmd'), 'utf8')).toContain('--aura-ops-cli');
  });

  it('the shipped launcher runs the app binary in CLI mode with the arguments', () => {
    // The stand-in binary prints what it got: enough to see the launcher finds it from any folder.
    const exe = path.join(unpacked, 'aura-ops-console');
    const original = fs.readFileSync(exe);
    fs.writeFileSync(exe, '#!/bin/sh\nprintf "%s|" "$@"\n', { mode: 0o755 });
    try {
      const r = spawnSync(
        path.join(resources, 'bin', 'aura-ops'),
        ['db', 'overview', '--db', "it's here.db"],
        { cwd: os.tmpdir(), encoding: 'utf8' },
      );
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toBe("--aura-ops-cli|db|overview|--db|it's here.db|");
    } finally {
      fs.writeFileSync(exe, original, { mode: 0o755 });
    }
  });

  it('flips the Electron fuses: RunAsNode, NODE_OPTIONS and --inspect off, asar integrity on', () => {
    const bin = fs.readFileSync(path.join(unpacked, 'aura-ops-console'));
    const at = bin.indexOf(SENTINEL) + SENTINEL.length;
    expect(bin[at]).toBe(1);
    const wire = bin.subarray(at + 2, at + 2 + bin[at + 1]!).toString('latin1');
    const state = Object.fromEntries(FUSES.map((f, i) => [f, wire[i] === '1']));
    expect(state).toEqual({
      RunAsNode: false,
      EnableCookieEncryption: true,
      EnableNodeOptionsEnvironmentVariable: false,
      EnableNodeCliInspectArguments: false,
      EnableEmbeddedAsarIntegrityValidation: true,
      OnlyLoadAppFromAsar: true,
      LoadBrowserProcessSpecificV8Snapshot: false,
      GrantFileProtocolExtraPrivileges: true,
    });
  });

  it('leaves the project’s own native builds as they were, so npm test still runs under Node', () => {
    for (const f of NATIVES) expect(sha(f), f).toBe(before[f]);
    const r = spawnSync(
      process.execPath,
      [
        '-e',
        "const D=require('better-sqlite3'); const db=new D(':memory:'); console.log(db.prepare('select 6*7 v').get().v); require('node-pty')",
      ],
      { cwd: REPO, encoding: 'utf8' },
    );
    expect(r.stderr).toBe('');
    expect(r.stdout.trim()).toBe('42');
  });
});
