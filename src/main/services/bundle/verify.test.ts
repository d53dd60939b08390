// An opened bundle's files verified after it is shown, through the console's own requests: a pane
// on a file still being verified waits (the bundle says it is verifying that file, and the file is
// not in the bundle's folder) and then shows its records; a file whose bytes do not match the
// manifest, found after the bundle opened, closes the bundle with the file's name and removes its
// folder, and the pane waiting for it gets that error instead of records.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { BundleVerifyStatus, InstallList } from '../../../shared/contract/install';
import type { PageResult, PaneInfo } from '../../../shared/contract/logs';
import type { DispatchResult } from '../../api';
import type { Runtime } from '../../runtime';
import { serveRuntime } from '../../runtime-test-support';
import { createSandbox } from '../../sandbox';
import { resolveRoot } from '../install/discover';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from '../probes/bundle';
import { runSweep } from '../probes/sweep';
import { buildZip } from '../probes/zip';
import { openBundle, runInThread, verifyOrder } from './open';
import { readZipDirectory } from './unzip';
import type { EntryRunner } from './verify';

/** How long a test waits for a state it expects (a loaded machine verifies slowly). */
const DEADLINE_MS = 20_000;
const OLD = 'logs/aura-api-20261206.log';
const NEW = 'logs/aura-api-20261207.log';

let root: string;
let sweepFiles: { probes: string; triage: string };

function serilog(day: string, n: number, word: string): Buffer {
  const lines: string[] = [];
  for (let i = 0; i < n; i++)
    lines.push(
      `[${day} 10:${String(Math.floor(i / 60) % 60).padStart(2, '0')}:${String(i % 60).padStart(2, '0')}.000 +00:00] [INF] ${word} record ${i}`,
    );
  return Buffer.from(lines.join('\n') + '\n');
}

/** A bundle of the console's format; `tamper` changes a file's bytes (same size) after its sha256 was taken. */
function bundle(file: string, tamper?: string): void {
  const data: Record<string, Buffer> = {
    'probes.json': Buffer.from(sweepFiles.probes),
    'triage.json': Buffer.from(sweepFiles.triage),
    [OLD]: serilog('2026-12-06', 3000, 'older'),
    [NEW]: serilog('2026-12-07', 500, 'newest'),
    'logs/errors-20261207.log': serilog('2026-12-07', 5, 'error'),
  };
  const files: Record<string, { bytes: number; sha256: string }> = {};
  for (const [n, d] of Object.entries(data))
    files[n] = { bytes: d.length, sha256: crypto.createHash('sha256').update(d).digest('hex') };
  if (tamper) {
    const d = Buffer.from(data[tamper]);
    d[d.length - 2] = 'X'.charCodeAt(0);
    data[tamper] = d;
  }
  const manifest = {
    format: BUNDLE_FORMAT,
    formatVersion: BUNDLE_FORMAT_VERSION,
    version: 'test',
    createdAt: '2026-12-07T10:10:00.000Z',
    sweepAt: '2026-12-07T10:09:00.000Z',
    host: 'customer-pc',
    timeZone: 'UTC',
    aura: { version: null },
    full: { hours: 24, db: false },
    redactions: { total: 0, byRule: {} },
    files,
  };
  fs.writeFileSync(
    file,
    buildZip([
      ...Object.entries(data).map(([name, d]) => ({ name, data: d })),
      { name: 'manifest.json', data: JSON.stringify(manifest) },
    ]),
  );
}

/** Wraps the real extraction: `name` is held until release() (everything else runs at once). */
function holding(name: string): { runner: EntryRunner; started: Promise<void>; release: () => void } {
  let release: () => void = () => undefined;
  let started: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const startedP = new Promise<void>((r) => (started = r));
  const runner: EntryRunner = async (zip, entry, target) => {
    if (entry.name === name) {
      started();
      await gate;
    }
    return runInThread(zip, entry, target);
  };
  return { runner, started: startedP, release };
}

/**
 * A console in root/consoleDir whose background extraction holds OLD back until released: fn runs
 * with it, then OLD is released and the console disposed.
 */
async function onHeldConsole(
  consoleDir: string,
  fn: (rt: Runtime, hold: ReturnType<typeof holding>) => Promise<void>,
): Promise<void> {
  const hold = holding(OLD);
  const rt = serveRuntime({ dataDir: path.join(root, consoleDir), bundleRunner: hold.runner });
  try {
    await fn(rt, hold);
  } finally {
    hold.release();
    await rt.dispose();
  }
}

/** Opens the bundle and the main log's pane, which shows the newest file at once: the bundle's install and that pane. */
async function openWithMainPane(rt: Runtime, file: string) {
  const list = ok<InstallList>(await rt.api.dispatch('install:open-bundle', { file }));
  const cur = list.candidates.find((c) => c.id === list.selectedId)!;
  expect(cur.kind).toBe('bundle');
  const main = ok<PaneInfo>(await rt.api.dispatch('logs:open-pane', { family: 'aura-api' }));
  expect(path.basename(main.file ?? '')).toBe(path.basename(NEW));
  return { cur, main };
}

function ok<T>(r: DispatchResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

async function until<T>(what: string, f: () => T | undefined | null | false): Promise<T> {
  const deadline = Date.now() + DEADLINE_MS;
  for (;;) {
    const v = f();
    if (v) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-verify-'));
  const data = path.join(root, 'install');
  createSandbox(data, { days: 1, projects: 1 });
  const install = resolveRoot({ kind: 'manual', dataRoot: data, source: 'test', useEnv: false }, { env: {} });
  const s = await runSweep(install, { apiTimeoutMs: 300, redisTimeoutMs: 300 });
  sweepFiles = {
    probes: JSON.stringify({
      overall: s.overall,
      startedAt: s.startedAt,
      durationMs: s.durationMs,
      results: s.results,
      signals: s.signals,
    }),
    triage: JSON.stringify(s.triage),
  };
}, 60_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('verifyOrder', () => {
  it('puts the recorded sweep, then the newest file of each log family (smallest first), then the rest newest first', () => {
    const file = path.join(root, 'order.zip');
    bundle(file);
    const entries = readZipDirectory(file).filter((e) => e.name !== 'manifest.json');
    const { ordered, firstPaint } = verifyOrder(entries);
    expect(ordered.map((e) => e.name)).toEqual([
      'probes.json',
      'triage.json',
      'logs/errors-20261207.log',
      NEW,
      OLD,
    ]);
    expect(firstPaint).toBe(4);
  });
});

describe('openBundle verifying everything first (check --bundle)', () => {
  it('refuses a same-size change with the file named, and leaves no folder', async () => {
    const file = path.join(root, 'eager-bad.zip');
    bundle(file, OLD);
    const into = path.join(root, 'eager');
    await expect(openBundle(file, into)).rejects.toThrow(
      /^The bundle's logs\/aura-api-20261206\.log does not match its manifest \(sha256 /,
    );
    expect(fs.readdirSync(into)).toEqual([]);
  });
});

describe('an opened bundle whose files are still being verified', () => {
  it('a pane on a file not yet verified waits (verifying, not on disk) and then shows its records', async () => {
    const file = path.join(root, 'good.zip');
    bundle(file);
    await onHeldConsole('console-a', async (rt, hold) => {
      // The first paint's file is there at once: the main log's pane shows the newest file's records.
      const { cur, main } = await openWithMainPane(rt, file);
      const mainPage = ok<PageResult>(
        await rt.api.dispatch('logs:page', { paneId: main.paneId, fromLine: -3, count: 3 }),
      );
      expect(mainPage.records.map((r) => r.message)).toEqual([
        'newest record 497',
        'newest record 498',
        'newest record 499',
      ]);

      // The older file is held back: a pane on it waits, the bundle says what it is verifying.
      await hold.started;
      const oldPath = path.join(cur.paths.dataRoot, ...OLD.split('/'));
      let settled = false;
      const pending = rt.api.dispatch('logs:open-pane', { path: oldPath }).finally(() => (settled = true));
      const status = ok<BundleVerifyStatus>(await rt.api.dispatch('install:bundle-status', {}));
      expect(status).toMatchObject({ state: 'verifying', current: OLD, verifiedFiles: 4, totalFiles: 5 });
      await new Promise((r) => setImmediate(r));
      expect(settled).toBe(false);
      expect(fs.existsSync(oldPath)).toBe(false);

      hold.release();
      const pane = ok<PaneInfo>(await pending);
      const page = ok<PageResult>(
        await rt.api.dispatch('logs:page', { paneId: pane.paneId, fromLine: -2, count: 2 }),
      );
      expect(page.records.map((r) => r.message)).toEqual(['older record 2998', 'older record 2999']);
      await rt.openedBundle()!.files.all();
      expect(ok<BundleVerifyStatus>(await rt.api.dispatch('install:bundle-status', {}))).toMatchObject({
        state: 'verified',
        verifiedFiles: 5,
        error: null,
      });
    });
  }, 60_000);

  it('a mismatch in a file verified late closes the bundle, names the file and removes its folder', async () => {
    const file = path.join(root, 'late-bad.zip');
    bundle(file, OLD);
    await onHeldConsole('console-b', async (rt, hold) => {
      const events: { event: string; payload: unknown }[] = [];
      rt.onEvent((event, payload) => events.push({ event, payload }));
      // The directory and the manifest are fine (same size, same names): the bundle opens.
      const { cur, main } = await openWithMainPane(rt, file);
      await hold.started;
      const oldPath = path.join(cur.paths.dataRoot, ...OLD.split('/'));
      const waiting = rt.api.dispatch('logs:open-pane', { path: oldPath });
      const errorRate = rt.api.dispatch('logs:error-rate', { family: 'aura-api', windowMinutes: 5 });
      expect(fs.existsSync(oldPath)).toBe(false);

      hold.release();
      // The pane waiting for the bad file gets the reason, never its records.
      const r = await waiting;
      expect(r).toMatchObject({
        ok: false,
        error: {
          code: 'corrupt',
          message: expect.stringMatching(/logs\/aura-api-20261206\.log does not match its manifest/),
        },
      });
      expect(await errorRate).toMatchObject({ ok: false, error: { code: 'corrupt' } });
      const failed = await until('the failed status', () =>
        events.find(
          (e) => e.event === 'install:bundle-verify' && (e.payload as BundleVerifyStatus).state === 'failed',
        ),
      );
      expect((failed.payload as BundleVerifyStatus).error).toMatch(
        /^The bundle's logs\/aura-api-20261206\.log does not match its manifest/,
      );
      expect(events.find((e) => e.event === 'app:notice')?.payload).toMatchObject({
        level: 'error',
        message: expect.stringMatching(
          /^The bundle was closed: The bundle's logs\/aura-api-20261206\.log does not match/,
        ),
      });
      // Closed: detached, its panes gone, its folder removed, nothing of it left to read.
      expect(rt.install.current()?.kind).not.toBe('bundle');
      expect(
        ok<InstallList>(await rt.api.dispatch('install:list', {})).candidates.some(
          (c) => c.kind === 'bundle',
        ),
      ).toBe(false);
      expect(fs.existsSync(cur.paths.dataRoot)).toBe(false);
      expect(fs.readdirSync(path.join(root, 'console-b', 'opened-bundles'))).toEqual([]);
      expect(
        await rt.api.dispatch('logs:page', { paneId: main.paneId, fromLine: -1, count: 1 }),
      ).toMatchObject({ ok: false, error: { code: 'not-found' } });
    });
  }, 60_000);

  it('the background files run on the worker thread by default and verify the whole bundle', async () => {
    const file = path.join(root, 'worker.zip');
    bundle(file);
    const rt = serveRuntime({ dataDir: path.join(root, 'console-c') });
    try {
      ok(await rt.api.dispatch('install:open-bundle', { file }));
      const opened = rt.openedBundle()!;
      await opened.files.all();
      const oldPath = path.join(opened.dir, ...OLD.split('/'));
      expect(fs.readFileSync(oldPath).equals(serilog('2026-12-06', 3000, 'older'))).toBe(true);
      expect(fs.statSync(oldPath).mode & 0o777).toBe(0o600);
      // The staging folder is gone once everything is verified.
      expect(fs.readdirSync(path.dirname(opened.dir))).toEqual(['bundle']);
    } finally {
      await rt.dispose();
    }
  }, 60_000);
});
