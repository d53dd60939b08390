// "Open bundle…" through the console's API (what the Install panel calls): a hostile or changed
// bundle is refused with its reason and nothing is attached; a good one is attached read-only,
// its sweep is the replayed record, and a step that needs the live API is refused.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { InstallList } from '../../../shared/contract/install';
import type { PageResult, PaneInfo } from '../../../shared/contract/logs';
import type { SweepResult } from '../../../shared/contract/probes';
import type { SessionDetail } from '../../../shared/contract/walkthroughs-session';
import type { Runtime } from '../../runtime';
import { serveRuntime } from '../../runtime-test-support';
import { createSandbox } from '../../sandbox';
import { resolveRoot } from '../install/discover';
import { listFileSet } from '../logs/paths';
import { writeBundle } from '../probes/bundle';
import { runSweep } from '../probes/sweep';
import { craftZip } from './craft-zip';
import { runInThread } from './open';
import type { EntryRunner } from './verify';

let root: string;
let rt: Runtime;
let good: string;
let recordedSeverity: string;

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-open-api-'));
  const data = path.join(root, 'install');
  createSandbox(data, { days: 1, projects: 2 });
  fs.writeFileSync(path.join(data, 'appsettings.json'), JSON.stringify({ Urls: 'http://127.0.0.1:1' }));
  const install = resolveRoot({ kind: 'manual', dataRoot: data, source: 'test', useEnv: false }, { env: {} });
  // The bundle is made while Aura writes its last record: the copy ends mid-line.
  const newest = path.join(
    install.paths.logsDir,
    listFileSet(install.paths.logsDir, 'aura-api-*.log').at(-1)!,
  );
  // The time of the last record: the file may end with an exception's stack lines, which have none.
  const lastTime = fs
    .readFileSync(newest, 'utf8')
    .trimEnd()
    .split('\n')
    .map((l) => /^\[[^\]]+\]/.exec(l)?.[0])
    .filter((t): t is string => t !== undefined)
    .at(-1)!;
  fs.appendFileSync(newest, `${lastTime} [INF] [] [] [] Request completed: GET /api/jo`);
  const sweep = await runSweep(install, { apiTimeoutMs: 500, redisTimeoutMs: 500 });
  recordedSeverity = sweep.triage.severity;
  good = path.join(root, 'good.zip');
  writeBundle({ install, sweep, outFile: good, full: { hours: 48, dbBackup: install.paths.dbPath } });
  rt = serveRuntime({ dataDir: path.join(root, 'console'), home: path.join(root, 'home') });
}, 60_000);

afterAll(async () => {
  await rt?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

it('refuses a hostile bundle and attaches nothing', async () => {
  const slip = path.join(root, 'slip.zip');
  fs.writeFileSync(slip, craftZip([{ name: '../outside.txt', data: 'x' }]));
  const r = await rt.api.dispatch('install:open-bundle', { file: slip });
  expect(r).toMatchObject({
    ok: false,
    error: { code: 'forbidden-path', message: /would leave the bundle folder/ },
  });
  const missing = await rt.api.dispatch('install:open-bundle', { file: path.join(root, 'nope.zip') });
  expect(missing).toMatchObject({ ok: false, error: { code: 'not-found' } });
  expect(fs.existsSync(path.join(root, 'outside.txt'))).toBe(false);
  expect(rt.install.current()?.kind).not.toBe('bundle');
  const extracted = path.join(root, 'console', 'opened-bundles');
  expect(fs.existsSync(extracted) ? fs.readdirSync(extracted) : []).toEqual([]);
});

it('attaches a good bundle read-only: replayed sweep, live-only steps refused', async () => {
  const r = await rt.api.dispatch('install:open-bundle', { file: good });
  expect(r.ok).toBe(true);
  const list = (r as { ok: true; result: InstallList }).result;
  const cur = list.candidates.find((c) => c.id === list.selectedId)!;
  expect(cur.kind).toBe('bundle');
  // The Health panel shows the recorded sweep at once, not "first sweep" until every file verified.
  const latest = await rt.api.dispatch('probes:latest', {});
  expect(latest).toMatchObject({ ok: true, result: { installId: cur.id } });
  expect((latest as { ok: true; result: SweepResult }).result.triage.severity).toBe(recordedSeverity);
  // Attached before the whole zip is hashed; its sha256 (what sha256sum prints) fills in after.
  expect(cur.label).toMatch(
    new RegExp(`^Bundle from ${os.hostname()} as of .* \\(sha256 (being computed…|[0-9a-f]{12}…)\\)$`),
  );
  const zipSha = crypto.createHash('sha256').update(fs.readFileSync(good)).digest('hex');
  let now = cur;
  for (const end = Date.now() + 15_000; now.bundle?.sha256 !== zipSha && Date.now() < end;) {
    await new Promise((r) => setTimeout(r, 20));
    const l = (await rt.api.dispatch('install:list', {})) as { ok: true; result: InstallList };
    now = l.result.candidates.find((c) => c.id === cur.id)!;
  }
  expect(now.bundle?.sha256).toBe(zipSha);
  expect(now.label).toMatch(new RegExp(`\\(sha256 ${zipSha.slice(0, 12)}…\\)$`));
  const s = await rt.api.dispatch('probes:sweep', {});
  expect(s.ok).toBe(true);
  const sweep = (s as { ok: true; result: SweepResult }).result;
  expect(sweep.installId).toBe(cur.id);
  expect(sweep.installLabel).toBe(now.label);
  expect(sweep.startedAt).toBe(cur.bundle && Date.parse(cur.bundle.asOf));
  const curl = await rt.api.dispatch('terminal:run', { command: `curl -s ${cur.paths.apiUrl}/health/ready` });
  expect(curl).toMatchObject({
    ok: false,
    error: { code: 'read-only', message: /Not available in a bundle/ },
  });
  const scen = await rt.api.dispatch('sandbox:set-scenario', { name: 'healthy' });
  expect(scen).toMatchObject({ ok: false, error: { code: 'read-only' } });
  // The main log's pane, once its file is verified, ends with the record the copy cut: nothing
  // more will come, so it is not held back waiting for its newline.
  let pane: PaneInfo | null = null;
  for (const end = Date.now() + 15_000; ;) {
    const o = await rt.api.dispatch('logs:open-pane', { family: 'aura-api' });
    expect(o.ok).toBe(true);
    pane = (o as { ok: true; result: PaneInfo }).result;
    if (!pane.preview || Date.now() > end) break;
    await rt.api.dispatch('logs:close-pane', { paneId: pane.paneId });
    await new Promise((r) => setTimeout(r, 50));
  }
  expect(pane.preview).toBeUndefined();
  const page = await rt.api.dispatch('logs:page', { paneId: pane.paneId, fromLine: -1, count: 1 });
  expect(page.ok).toBe(true);
  const last = (page as { ok: true; result: PageResult }).result.records.at(-1);
  expect(last?.message).toBe('Request completed: GET /api/jo');
});

it("a walk-through started the moment a bundle opens records the whole zip's sha256", async () => {
  const r = await rt.api.dispatch('install:open-bundle', { file: good });
  expect(r.ok).toBe(true);
  // At once, before the zip's hash is known: the start waits for it (and for the files).
  const s = await rt.api.dispatch('walkthrough:start', { kind: 'incident', title: 'Customer DB locked' });
  expect(s.ok).toBe(true);
  const zipSha = crypto.createHash('sha256').update(fs.readFileSync(good)).digest('hex');
  expect((s as { ok: true; result: SessionDetail }).result.installLabel).toMatch(
    new RegExp(`^Bundle from ${os.hostname()} as of .* \\(sha256 ${zipSha}\\)$`),
  );
});

it("keeps the bundle's background work off the first paint: it starts once the requests stop", async () => {
  const QUIET_MS = 1_500;
  const calls: number[] = [];
  const runner: EntryRunner = (zip, entry, target) => {
    calls.push(performance.now());
    return runInThread(zip, entry, target);
  };
  const own = serveRuntime({
    dataDir: path.join(root, 'console-gate'),
    bundleRunner: runner,
    bundleFirstPaint: { quietMs: QUIET_MS, maxMs: 60_000 },
  });
  try {
    expect((await own.api.dispatch('install:open-bundle', { file: good })).ok).toBe(true);
    expect(calls).toEqual([]);
    // The first paint: the main log's pane on its checked tail, and its last page.
    const o = await own.api.dispatch('logs:open-pane', { family: 'aura-api' });
    expect(o.ok).toBe(true);
    const pane = (o as { ok: true; result: PaneInfo }).result;
    expect(pane.preview).toBeDefined();
    const lastRequest = performance.now();
    const page = await own.api.dispatch('logs:page', { paneId: pane.paneId, fromLine: -50, count: 50 });
    expect(page.ok).toBe(true);
    expect(calls).toEqual([]);
    expect(own.openedBundle()?.origin.sha256).toBeNull();
    // Then everything is verified, the first file no sooner than the quiet time after the last request.
    await own.openedBundle()!.files.all();
    expect(calls.length).toBeGreaterThan(0);
    expect(calls[0] - lastRequest).toBeGreaterThanOrEqual(QUIET_MS - 5);
    const zipSha = crypto.createHash('sha256').update(fs.readFileSync(good)).digest('hex');
    expect(await own.openedBundle()!.zipSha256).toBe(zipSha);
  } finally {
    await own.dispose();
  }
});
