// The desktop host for real, without an Electron binary: the built out/main/index.js boots under
// Node with a stand-in `electron` (stand-in-electron.ts) and Electron's native split simulated
// (app-fixture.ts). Everything else is real: the demo sandbox, better-sqlite3, node-pty, redis.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isAlive } from '../../src/main/services/system/proc-table';
import { AppProcess, descendants, makeDesktopApp } from './app-fixture';
import type { StandInReport } from './control-protocol';
import { toolPath } from '../tools';

/** Booting builds the demo install (7 days of logs, aura.db) and starts redis: slow on a loaded machine. */
const BOOT_MS = 120_000;
/** A command in the terminal, including the CLI's own start under Node. */
const COMMAND_MS = 60_000;
/** Quitting stops the sandbox, redis, the reader and every pty. */
const QUIT_MS = 30_000;

interface Finished {
  command: string;
  exitCode: number | null;
  outputExcerpt: string;
}
interface IpcResult {
  ok: boolean;
  result?: unknown;
  error?: { code: string; message: string };
}

let appRoot: string;
const temps: string[] = [];
function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temps.push(d);
  return d;
}

beforeAll(() => {
  // The demo install starts a real redis-server; quitting must end it.
  if (!fs.existsSync(toolPath('redis-server')))
    throw new Error(`the desktop-host test needs redis-server at ${toolPath('redis-server')}`);
  appRoot = makeDesktopApp();
  temps.push(appRoot);
});
afterAll(() => {
  for (const d of temps) fs.rmSync(d, { recursive: true, force: true });
});

function finishedOf(r: StandInReport, command: string): Finished | null {
  if (r.t !== 'sent' || r.channel !== 'aura-ops:event' || r.args[0] !== 'terminal:command-finished')
    return null;
  const f = r.args[1] as Finished;
  return f.command === command ? f : null;
}

describe('the desktop app, booted from another folder with the native split', () => {
  let app: AppProcess;
  let renderer: string;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = tempDir('aura-ops-desktop-data-');
    const elsewhere = tempDir('aura-ops-desktop-cwd-');
    renderer = pathToFileURL(path.join(appRoot, 'out', 'renderer', 'index.html')).toString();
    app = new AppProcess(appRoot, ['--data-dir', dataDir], {
      cwd: elsewhere,
      env: { HOME: elsewhere, SHELL: '/bin/bash', STAND_IN_USER_DATA: dataDir },
    });
    // A startup that fails says so at once (an uncaught error, the could-not-start dialog): stop there.
    await app.waitFor(
      'the window loading (or a startup error)',
      (r) =>
        r.t === 'load' ||
        r.t === 'uncaught' ||
        (r.t === 'error-box' && /could not start$/.test(r.title) && !/demo/.test(r.title)),
      BOOT_MS,
    );
  }, BOOT_MS + 10_000);
  afterAll(() => app?.kill());

  /** Creates a terminal over IPC, runs `command` there (confirmed) and returns its finished record. */
  async function runInNewTerminal(command: string, what: string): Promise<Finished> {
    const created = (await app.invoke('terminal:create', {}, renderer, COMMAND_MS)) as IpcResult;
    expect(created.ok).toBe(true);
    const sessionId = (created.result as { id: string }).id;
    const run = (await app.invoke(
      'terminal:run',
      { sessionId, command, confirmed: true },
      renderer,
    )) as IpcResult;
    expect(run.ok).toBe(true);
    const done = await app.waitFor(what, (r) => finishedOf(r, command) !== null, COMMAND_MS);
    return finishedOf(done, command)!;
  }

  it('opens the window on the built renderer with the preload, and shows no error', () => {
    const load = app.reports.find((r) => r.t === 'load');
    expect(load).toEqual({ t: 'load', url: renderer });
    expect(fs.existsSync(path.join(appRoot, 'out', 'renderer', 'index.html'))).toBe(true);
    const win = app.reports.find((r): r is Extract<StandInReport, { t: 'window' }> => r.t === 'window')!;
    const prefs = win.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({ contextIsolation: true, sandbox: true, nodeIntegration: false });
    expect(prefs.preload).toBe(path.join(appRoot, 'out', 'preload', 'index.js'));
    expect(fs.existsSync(prefs.preload as string)).toBe(true);
    expect(app.reports.filter((r) => r.t === 'error-box' || r.t === 'uncaught')).toEqual([]);
  });

  it('answers app:info over IPC with the demo install running', async () => {
    const info = (await app.invoke('app:info', {}, renderer)) as IpcResult;
    expect(info.ok).toBe(true);
    const v = info.result as { host: string; dataDir: string; features: string[] };
    expect(v.host).toBe('electron');
    expect(v.dataDir).toBe(dataDir);
    expect(v.features).toContain('sandbox');
  });

  it(
    'reads aura.db (db:overview) through the reader utilityProcess with the Electron binding',
    async () => {
      const overview = (await app.invoke('db:overview', {}, renderer, COMMAND_MS)) as IpcResult;
      expect(overview.error).toBeUndefined();
      expect(overview.ok).toBe(true);
      expect(JSON.stringify(overview.result)).toMatch(/"journalMode":"wal"/i);
      const utility = app.reports.filter(
        (r): r is Extract<StandInReport, { t: 'utility' }> => r.t === 'utility',
      );
      expect(utility.length).toBeGreaterThan(0);
      expect(utility[0]!.modulePath).toBe(path.join(appRoot, 'out', 'main', 'db-worker.cjs'));
    },
    COMMAND_MS + 10_000,
  );

  it('refuses IPC from any other frame', async () => {
    const evil = (await app.invoke('app:info', {}, 'https://evil.example/')) as IpcResult;
    expect(evil.ok).toBe(false);
    expect(evil.error?.code).toBe('forbidden-path');
    expect(await app.request({ t: 'window-open', url: 'https://example.com/' })).toEqual({ action: 'deny' });
    expect(await app.request({ t: 'navigate', url: 'https://evil.example/' })).toBe(true);
  });

  it(
    'runs a terminal command over IPC',
    async () => {
      const f = await runInNewTerminal('echo "desktop $((6 * 7))"', 'the command finishing');
      expect(f.exitCode).toBe(0);
      expect(f.outputExcerpt).toContain('desktop 42');
    },
    COMMAND_MS + 10_000,
  );

  it(
    'runs a runbook step that calls aura-ops, from the terminal PATH',
    async () => {
      const list = (await app.invoke('runbooks:list', {}, renderer)) as IpcResult;
      expect(list.ok).toBe(true);
      const ids: string[] = [];
      JSON.stringify(list.result, (_k, v: unknown) => {
        const o = v as { id?: unknown; file?: unknown };
        if (
          o &&
          typeof o === 'object' &&
          typeof o.id === 'string' &&
          typeof o.file === 'string' &&
          o.file === 'database-maintenance.md'
        )
          ids.push(o.id);
        return v;
      });
      expect(ids.length, 'the bundled Database Maintenance runbook').toBeGreaterThan(0);
      const doc = (await app.invoke('runbooks:get', { id: ids[0] }, renderer)) as IpcResult;
      expect(doc.ok).toBe(true);
      const steps: Array<{ name?: string; filled: string }> = [];
      JSON.stringify(doc.result, (_k, v: unknown) => {
        if (v && typeof v === 'object' && 'filled' in v) steps.push(v as { name?: string; filled: string });
        return v;
      });
      const step = steps.find((s) => s.filled.startsWith('aura-ops db overview'));
      expect(step, 'the Database Maintenance overview step').toBeDefined();
      const f = await runInNewTerminal(step!.filled, 'the runbook step finishing');
      expect(f.outputExcerpt).not.toMatch(/command not found/);
      expect(f.outputExcerpt).toMatch(/journal\s+wal/);
      expect(f.exitCode).toBe(0);
    },
    COMMAND_MS + 10_000,
  );

  it('lets Copy reach the clipboard from its own page only, and denies every other permission', async () => {
    const ask = (
      t: 'permission-request' | 'permission-check',
      permission: string,
      requestingUrl: string,
      isMainFrame = true,
    ) => app.request({ t, permission, requestingUrl, isMainFrame });
    for (const t of ['permission-request', 'permission-check'] as const) {
      expect(await ask(t, 'clipboard-sanitized-write', renderer)).toBe(true);
      expect(await ask(t, 'clipboard-sanitized-write', `${renderer}#runbooks`)).toBe(true);
      expect(await ask(t, 'clipboard-sanitized-write', renderer, false)).toBe(false);
      expect(await ask(t, 'clipboard-sanitized-write', 'https://evil.example/')).toBe(false);
      expect(await ask(t, 'clipboard-sanitized-write', pathToFileURL('/tmp/other.html').toString())).toBe(
        false,
      );
      expect(await ask(t, 'clipboard-read', renderer)).toBe(false);
      expect(await ask(t, 'media', renderer)).toBe(false);
      expect(await ask(t, 'notifications', renderer)).toBe(false);
    }
  });

  it('focuses the window when the app is launched again', async () => {
    expect(await app.request({ t: 'second-instance' })).toBe(true);
    await app.waitFor('the window taking focus', (r) => r.t === 'focus', 10_000);
  });

  it(
    'quits cleanly and ends every child: pty, reader, sandbox, redis',
    async () => {
      const kids = descendants(app.pid);
      const cmds = kids.map((k) => k.cmd).join('\n');
      expect(cmds).toMatch(/redis-server/);
      expect(cmds).toMatch(/db-worker\.cjs/);
      expect(cmds).toMatch(/bash/);
      await app.request({ t: 'quit' });
      const exit = await app.waitExit(QUIT_MS);
      expect(exit).toEqual({ code: 0, signal: null });
      const deadline = Date.now() + QUIT_MS;
      let alive = kids.filter((k) => isAlive(k.pid));
      while (alive.length > 0 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        alive = kids.filter((k) => isAlive(k.pid));
      }
      expect(alive).toEqual([]);
    },
    QUIT_MS * 2 + 10_000,
  );
});

describe('the desktop app when it cannot start', () => {
  it(
    'shows the error in a dialog and exits non-zero',
    async () => {
      const dir = tempDir('aura-ops-desktop-bad-');
      const notADir = path.join(dir, 'a-file');
      fs.writeFileSync(notADir, 'this is not a folder\n');
      const app = new AppProcess(appRoot, ['--data-dir', notADir, '--no-demo'], {
        cwd: dir,
        env: { HOME: dir },
      });
      try {
        const exit = await app.waitExit(BOOT_MS);
        expect(exit.code).toBe(1);
        const box = app.reports.find((r) => r.t === 'error-box');
        expect(box).toMatchObject({ t: 'error-box', title: 'Aura Ops Console could not start' });
        expect(app.reports.some((r) => r.t === 'window')).toBe(false);
      } finally {
        app.kill();
      }
    },
    BOOT_MS + 10_000,
  );

  it(
    'starts nothing when another instance holds the lock',
    async () => {
      const dir = tempDir('aura-ops-desktop-second-');
      const app = new AppProcess(appRoot, ['--data-dir', dir], {
        cwd: dir,
        env: { HOME: dir, STAND_IN_LOCK_TAKEN: '1' },
      });
      try {
        const exit = await app.waitExit(BOOT_MS);
        expect(exit.code).toBe(0);
        expect(app.reports.some((r) => r.t === 'window' || r.t === 'error-box')).toBe(false);
        expect(fs.existsSync(path.join(dir, 'ops.db'))).toBe(false);
      } finally {
        app.kill();
      }
    },
    BOOT_MS + 10_000,
  );
});
