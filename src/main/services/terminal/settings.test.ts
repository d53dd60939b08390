// Terminal settings (shell, font size, scrollback) through the contract, kept in a real ops.db the way
// the runtime wires them: saved values survive a restart, bad input is refused with a reason, damaged
// saved values fall back to defaults, and a new terminal starts the saved shell.
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { terminalChannels, type TerminalSettings } from '../../../shared/contract/terminal';
import { OpsStore } from '../store/store';
import { terminalHandlers } from './handlers';
import { DEFAULT_TERMINAL_SETTINGS, sanitizeSettings, type TerminalSettingsStore } from './service';
import { harness, makeFixture, type Fixture } from './test-support';

const KEY = 'terminal.settings';
let fx: Fixture;
const stores: OpsStore[] = [];

beforeAll(() => {
  fx = makeFixture('aura-term-settings-');
});
afterEach(() => {
  fx.disposeServices();
  for (const s of stores.splice(0)) s.close();
});
afterAll(() => fx.cleanup());

function opsStore(name: string): { store: OpsStore; settingsStore: TerminalSettingsStore } {
  const dir = join(fx.root, name);
  mkdirSync(dir, { recursive: true });
  const store = OpsStore.open(dir);
  stores.push(store);
  return {
    store,
    settingsStore: {
      load: () => store.getSetting<unknown>(KEY),
      save: (s: TerminalSettings) => store.setSetting(KEY, s),
    },
  };
}

async function call(h: ReturnType<typeof harness>, raw: unknown) {
  const params = terminalChannels['terminal:settings'].params.parse(raw);
  return terminalHandlers(h.svc)['terminal:settings'](params);
}

describe('terminal settings', () => {
  it('starts with the defaults, saves changes to ops.db and reads them back after a restart', async () => {
    const a = opsStore('data-a');
    const h = harness(fx, { settingsStore: a.settingsStore, defaultShell: '/bin/bash' });
    expect(await call(h, {})).toEqual({ settings: DEFAULT_TERMINAL_SETTINGS, defaultShell: '/bin/bash' });

    const changed = await call(h, { set: { fontSize: 16, scrollback: 20_000, shell: 'sh' } });
    // A bare name is looked up on PATH and kept as the absolute path found.
    const sh = changed.settings.shell as string;
    expect(sh).toMatch(/^\/(usr\/)?bin\/sh$/);
    expect(changed.settings).toEqual({ shell: sh, fontSize: 16, scrollback: 20_000 });
    expect(h.events.filter((e) => e.event === 'terminal:settings-changed').map((e) => e.payload)).toEqual([
      changed,
    ]);
    // A partial change keeps the other fields; null goes back to the default shell.
    expect((await call(h, { set: { fontSize: 12 } })).settings).toEqual({
      shell: sh,
      fontSize: 12,
      scrollback: 20_000,
    });
    a.store.close();

    const again = OpsStore.open(join(fx.root, 'data-a'));
    stores.push(again);
    const h2 = harness(fx, {
      settingsStore: { load: () => again.getSetting(KEY), save: (s) => again.setSetting(KEY, s) },
    });
    expect((await call(h2, {})).settings).toEqual({ shell: sh, fontSize: 12, scrollback: 20_000 });
    expect((await call(h2, { set: { shell: null } })).settings.shell).toBeNull();
    expect(again.getSetting<TerminalSettings>(KEY)?.shell).toBeNull();
  });

  it('refuses a missing shell and out-of-range sizes, and saves nothing then', async () => {
    const a = opsStore('data-b');
    const h = harness(fx, { settingsStore: a.settingsStore });
    await expect(call(h, { set: { shell: '/nope/zsh' } })).rejects.toMatchObject({
      code: 'invalid-config',
      message: expect.stringMatching(/"\/nope\/zsh" was not found/),
    });
    await expect(call(h, { set: { shell: 'bin/bash' } })).rejects.toMatchObject({ code: 'invalid-config' });
    expect(() => terminalChannels['terminal:settings'].params.parse({ set: { fontSize: 4 } })).toThrow();
    expect(() => terminalChannels['terminal:settings'].params.parse({ set: { scrollback: 1e6 } })).toThrow();
    expect(() => terminalChannels['terminal:settings'].params.parse({ set: { color: 'red' } })).toThrow();
    expect(a.store.getSetting(KEY)).toBeUndefined();
    expect(h.events.some((e) => e.event === 'terminal:settings-changed')).toBe(false);
  });

  it('falls back field by field when the saved value is damaged', () => {
    expect(sanitizeSettings('not an object')).toEqual(DEFAULT_TERMINAL_SETTINGS);
    expect(sanitizeSettings({ shell: 42, fontSize: 99, scrollback: 300 })).toEqual({
      ...DEFAULT_TERMINAL_SETTINGS,
      scrollback: 300,
    });
    const a = opsStore('data-c');
    a.store.setSetting(KEY, { shell: '/bin/sh', fontSize: 'big' });
    const h = harness(fx, { settingsStore: a.settingsStore });
    expect(h.svc.settings().settings).toEqual({ ...DEFAULT_TERMINAL_SETTINGS, shell: '/bin/sh' });
  });

  it('starts new terminals with the saved shell, and says so when it has gone', async () => {
    const saved: { v: unknown } = { v: { shell: '/bin/sh' } };
    const h = harness(fx, {
      settingsStore: { load: () => saved.v, save: (s) => (saved.v = s) },
      defaultShell: '/bin/bash',
    });
    const info = h.svc.create({});
    expect(info.shell).toBe('/bin/sh');
    // An explicit shell in the request still wins.
    expect(h.svc.create({ shell: '/bin/bash' }).shell).toBe('/bin/bash');
    const r = await h.svc.run({ sessionId: info.id, command: 'echo "sh=$0"' });
    expect(r.sessionId).toBe(info.id);
    await h.waitFor(() => h.output(info.id).includes('sh=/bin/sh'), 'the sh session to answer');

    const gone = harness(fx, {
      settingsStore: { load: () => ({ shell: '/opt/removed/fish' }), save: () => undefined },
    });
    expect(() => gone.svc.create({})).toThrow(/"\/opt\/removed\/fish" was not found.*Set the terminal shell/);
  });
});
