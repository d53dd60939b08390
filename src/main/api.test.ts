// The handler table behind both hosts: params are validated with the contract, every failure
// comes back as { code, message, detail? } with no stack, and install choices persist.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { CHANNEL_NAMES, channels } from '../shared/contract';
import { Runtime } from './runtime';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-api-'));
  dirs.push(d);
  return d;
};
const runtimes: Runtime[] = [];
const runtime = (dataDir = tmp(), home = tmp(), explicitInstall: string | null = null) => {
  const r = new Runtime({ dataDir, home, env: {}, host: 'serve', explicitInstall });
  runtimes.push(r);
  return r;
};
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.dispose();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('contract', () => {
  it('names every channel domain:verb and gives each a params schema', () => {
    for (const name of CHANNEL_NAMES) {
      expect(name).toMatch(/^[a-z]+:[a-z-]+$/);
      // The schema is a real gate: it refuses what no channel takes (not an object; an extra key).
      const params = channels[name].params;
      expect({
        name,
        string: params.safeParse('x').success,
        array: params.safeParse([]).success,
        extra: params.safeParse({ unexpectedKey: 1 }).success,
      }).toEqual({ name, string: false, array: false, extra: false });
    }
  });
});

describe('dispatch', () => {
  it('refuses an unknown channel', async () => {
    const r = await runtime().api.dispatch('install:destroy', {});
    expect(r).toEqual({
      ok: false,
      error: { code: 'unknown-channel', message: 'No such channel: install:destroy' },
    });
  });

  it('refuses params that do not match the schema, naming the field', async () => {
    const r = await runtime().api.dispatch('install:select', { id: 42 });
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.error.code).toBe('bad-request');
    expect(r.error.detail).toContain('id');
    const extra = await runtime().api.dispatch('app:info', { sneaky: true });
    expect(extra.ok).toBe(false);
    const badUrl = await runtime().api.dispatch('app:open-external', { url: 'javascript:alert(1)' });
    expect(badUrl.ok).toBe(false);
  });

  it('turns a service error into the error shape without a stack', async () => {
    const r = await runtime().api.dispatch('install:select', { id: 'nope' });
    expect(r).toEqual({
      ok: false,
      error: {
        code: 'not-found',
        message: 'No install candidate with id nope',
        detail: 'Rescan the installs and pick one from the list.',
      },
    });
    expect(JSON.stringify(r)).not.toContain('at ');
  });

  it('applies schema defaults and answers app:info', async () => {
    const rt = runtime();
    const list = await rt.api.dispatch('install:list', undefined);
    expect(list.ok).toBe(true);
    const info = await rt.api.dispatch('app:info', {});
    expect(info.ok && (info.result as { host: string }).host).toBe('serve');
  });
});

describe('install choices persist in ops.db', () => {
  it('keeps an added install, its selection and overrides across restarts', async () => {
    const dataDir = tmp();
    const home = tmp();
    const root = tmp();
    fs.writeFileSync(path.join(root, 'aura.db'), '');
    const first = runtime(dataDir, home);
    const events: string[] = [];
    first.onEvent((e) => events.push(e));
    const added = await first.api.dispatch('install:add', { dataRoot: root });
    expect(added.ok).toBe(true);
    const ov = await first.api.dispatch('install:override', { logsDir: path.join(root, 'other-logs') });
    expect(ov.ok).toBe(true);
    expect(events).toEqual(['install:changed', 'install:changed']);
    await first.dispose();

    const second = runtime(dataDir, home);
    const cur = second.install.current();
    expect(cur?.paths.dataRoot).toBe(root);
    expect(cur?.kind).toBe('manual');
    expect(cur?.paths.logsDir).toBe(path.join(root, 'other-logs'));
    await second.api.dispatch('install:override', { logsDir: '' });
    expect(second.install.current()?.paths.logsDir).toBe(path.join(root, 'logs'));
  });

  it('refuses an override API URL that is not http(s)', async () => {
    const root = tmp();
    fs.writeFileSync(path.join(root, 'aura.db'), '');
    const rt = runtime(tmp(), tmp(), root);
    const r = await rt.api.dispatch('install:override', { apiUrl: 'ftp://x' });
    expect(r.ok).toBe(false);
  });

  it('keeps UI settings', async () => {
    const dataDir = tmp();
    const a = runtime(dataDir);
    await a.api.dispatch('app:set-ui-settings', { theme: 'light' });
    await a.dispose();
    const b = runtime(dataDir);
    const r = await b.api.dispatch('app:get-ui-settings', {});
    expect(r.ok && (r.result as { theme: string }).theme).toBe('light');
  });

  it('keeps the welcome card dismissed across restarts, and takes only a boolean for it', async () => {
    const dataDir = tmp();
    const a = runtime(dataDir);
    const first = await a.api.dispatch('app:get-ui-settings', {});
    expect(first.ok && (first.result as { welcomeDismissed: boolean }).welcomeDismissed).toBe(false);
    for (const bad of ['yes', 1, null, { a: 1 }]) {
      const r = await a.api.dispatch('app:set-ui-settings', { welcomeDismissed: bad });
      expect(r.ok).toBe(false);
    }
    await a.api.dispatch('app:set-ui-settings', { welcomeDismissed: true });
    // Another setting saved later leaves it alone.
    await a.api.dispatch('app:set-ui-settings', { theme: 'light' });
    await a.dispose();
    const b = runtime(dataDir);
    const r = await b.api.dispatch('app:get-ui-settings', {});
    expect(r.ok && (r.result as { welcomeDismissed: boolean }).welcomeDismissed).toBe(true);
  });
});
