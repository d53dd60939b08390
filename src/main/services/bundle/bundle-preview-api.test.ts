// The console's "Support bundle…" flow over its API: the preview lists what goes in with the
// redaction counts and writes nothing; the written bundle leaves out what the operator unticked
// (named in the manifest), holds aura.db and the probe history, and opens. Bad options are refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import type { BundlePlanResult, BundleResult } from '../../../shared/contract/probes';
import type { Runtime } from '../../runtime';
import { serveRuntime } from '../../runtime-test-support';
import { createSandbox } from '../../sandbox';
import { openBundle } from './open';

let root: string;
let rt: Runtime;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-bundle-preview-'));
  const data = path.join(root, 'install');
  createSandbox(data, { days: 1, projects: 2 });
  // A secret in the config: the preview must count its redaction. Nothing listens on port 1.
  fs.writeFileSync(
    path.join(data, 'appsettings.json'),
    JSON.stringify({
      Urls: 'http://127.0.0.1:1',
      Caching: { UseRedis: false, RedisConnection: '127.0.0.1:6379,password=s3cret-Redis-pw' },
    }),
  );
  rt = serveRuntime({
    dataDir: path.join(root, 'console'),
    home: path.join(root, 'home'),
    explicitInstall: data,
  });
}, 60_000);

afterAll(async () => {
  await rt?.dispose();
  fs.rmSync(root, { recursive: true, force: true });
});

it('previews, leaves out what was unticked, and writes a bundle that opens', async () => {
  const p = await rt.api.dispatch('probes:bundle-plan', { withDb: true });
  expect(p.ok).toBe(true);
  const plan = (p as { ok: true; result: BundlePlanResult }).result;
  const names = plan.files.map((f) => f.name);
  expect(names).toEqual(
    expect.arrayContaining([
      'probes.json',
      'triage.json',
      'probe-history.json',
      'config/appsettings.redacted.json',
      'db/aura.db',
    ]),
  );
  expect(names.some((n) => /^logs\/aura-api-\d{8}\.log$/.test(n))).toBe(true);
  expect(Object.values(plan.redactions).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
  expect(
    fs.existsSync(path.join(root, 'console', 'bundles'))
      ? fs.readdirSync(path.join(root, 'console', 'bundles'))
      : [],
  ).toEqual([]);

  const w = await rt.api.dispatch('probes:bundle', {
    withDb: true,
    exclude: ['config/appsettings.redacted.json'],
  });
  expect(w.ok).toBe(true);
  const r = (w as { ok: true; result: BundleResult }).result;
  expect(r.entries).not.toContain('config/appsettings.redacted.json');
  expect(r.entries).toContain('db/aura.db');
  expect(fs.statSync(r.file).mode & 0o777).toBe(0o600);
  const opened = await openBundle(r.file, path.join(root, 'open'));
  expect(opened.manifest.leftOut).toEqual([
    { name: 'config/appsettings.redacted.json', reason: 'left out by the operator' },
  ]);
  expect(fs.readFileSync(r.file).includes('s3cret-Redis-pw')).toBe(false);
  expect(
    fs
      .readFileSync(path.join(opened.dir, 'db', 'aura.db'))
      .subarray(0, 15)
      .toString(),
  ).toBe('SQLite format 3');
}, 60_000);

it('refuses bad options with the reason', async () => {
  expect(await rt.api.dispatch('probes:bundle', { withDb: true, hours: 0 })).toMatchObject({
    ok: false,
    error: { code: 'bad-request' },
  });
  expect(
    await rt.api.dispatch('probes:bundle-plan', { exclude: Array.from({ length: 5001 }, (_, i) => `f${i}`) }),
  ).toMatchObject({ ok: false, error: { code: 'bad-request' } });
  expect(await rt.api.dispatch('probes:bundle', { withDb: 'yes' })).toMatchObject({
    ok: false,
    error: { code: 'bad-request' },
  });
  expect(await rt.api.dispatch('probes:bundle', { exclude: [''] })).toMatchObject({
    ok: false,
    error: { code: 'bad-request' },
  });
});
