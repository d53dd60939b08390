// The Electron host with `electron` mocked (its binary cannot run on these machines): the window's
// webPreferences, the CSP header, window-open and navigation handlers, permissions, the IPC sender check.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';

type Handler = (...args: unknown[]) => unknown;

const h = vi.hoisted(() => {
  const state = {
    windows: [] as Array<{ options: Record<string, unknown>; contents: FakeContents; loaded?: string }>,
    ipc: new Map<string, Handler>(),
    openExternal: [] as string[],
    permissionHandler: null as Handler | null,
    permissionCheck: null as Handler | null,
    headersHandler: null as Handler | null,
    appHandlers: new Map<string, Handler>(),
  };
  class FakeContents {
    listeners = new Map<string, Handler>();
    windowOpen: Handler | null = null;
    sent: unknown[][] = [];
    setWindowOpenHandler(fn: Handler) {
      this.windowOpen = fn;
    }
    on(ev: string, fn: Handler) {
      this.listeners.set(ev, fn);
      return this;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
  }
  class FakeWindow {
    webContents = new FakeContents();
    handlers = new Map<string, Handler>();
    constructor(options: Record<string, unknown>) {
      state.windows.push({ options, contents: this.webContents });
    }
    on(ev: string, fn: Handler) {
      this.handlers.set(ev, fn);
      return this;
    }
    once(ev: string, fn: Handler) {
      return this.on(ev, fn);
    }
    loadURL(url: string) {
      state.windows[state.windows.length - 1]!.loaded = url;
      return Promise.resolve();
    }
    isDestroyed() {
      return false;
    }
    isMinimized() {
      return false;
    }
    getNormalBounds() {
      return { x: 1, y: 2, width: 1000, height: 700 };
    }
    show() {}
  }
  return { state, FakeWindow, FakeContents };
});

vi.mock('electron', () => ({
  app: { on: (ev: string, fn: Handler) => h.state.appHandlers.set(ev, fn) },
  BrowserWindow: h.FakeWindow,
  screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
  utilityProcess: {
    fork: () => {
      throw new Error('not used here');
    },
  },
  ipcMain: { handle: (ch: string, fn: Handler) => h.state.ipc.set(ch, fn) },
  shell: {
    openExternal: async (url: string) => {
      h.state.openExternal.push(url);
    },
  },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (fn: Handler) => (h.state.permissionHandler = fn),
      setPermissionCheckHandler: (fn: Handler) => (h.state.permissionCheck = fn),
      webRequest: { onHeadersReceived: (fn: Handler) => (h.state.headersHandler = fn) },
    },
  },
}));

import { IPC_INVOKE } from '../../shared/ipc-channels';
import { isTrustedSender, startElectronHost, usableBounds } from './electron';
import { CSP } from './security';
import { Runtime } from '../runtime';

const RENDERER = 'file:///opt/aura-ops/out/renderer/index.html';
let dir: string;
let runtime: Runtime;

beforeEach(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-electron-'));
  runtime = new Runtime({ dataDir: dir, home: dir, env: {}, host: 'electron' });
  h.state.windows.length = 0;
  h.state.openExternal.length = 0;
  await startElectronHost({
    runtime,
    rendererUrl: RENDERER,
    preloadPath: '/opt/aura-ops/out/preload/index.js',
  });
});
afterEach(async () => {
  await runtime.dispose();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('BrowserWindow', () => {
  it('is isolated, sandboxed, without Node, and loads only the renderer', () => {
    const w = h.state.windows[0]!;
    const prefs = w.options.webPreferences as Record<string, unknown>;
    expect(prefs).toMatchObject({
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      disableBlinkFeatures: 'Auxclick',
      preload: '/opt/aura-ops/out/preload/index.js',
    });
    expect(w.loaded).toBe(RENDERER);
  });

  it('denies every new window and sends only http(s) links to the OS browser', async () => {
    const open = h.state.windows[0]!.contents.windowOpen!;
    expect(open({ url: 'https://example.com/doc' })).toEqual({ action: 'deny' });
    expect(open({ url: 'file:///etc/passwd' })).toEqual({ action: 'deny' });
    expect(open({ url: 'javascript:alert(1)' })).toEqual({ action: 'deny' });
    await new Promise((r) => setTimeout(r, 0));
    expect(h.state.openExternal).toEqual(['https://example.com/doc']);
  });

  it('blocks navigation away from the renderer', () => {
    const nav = h.state.windows[0]!.contents.listeners.get('will-navigate')!;
    const away = { preventDefault: vi.fn() };
    nav(away, 'https://evil.example/');
    expect(away.preventDefault).toHaveBeenCalled();
    const same = { preventDefault: vi.fn() };
    nav(same, `${RENDERER}#x`);
    expect(same.preventDefault).not.toHaveBeenCalled();
    const webview = { preventDefault: vi.fn() };
    h.state.windows[0]!.contents.listeners.get('will-attach-webview')!(webview);
    expect(webview.preventDefault).toHaveBeenCalled();
  });

  it('restores the remembered window size and position', async () => {
    const win = h.state.windows[0]!;
    expect(win.options.width).toBe(1440);
    runtime.store.setSetting('window.bounds', { x: 10, y: 20, width: 1111, height: 777 });
    await startElectronHost({ runtime, rendererUrl: RENDERER, preloadPath: '/p.js' });
    expect(h.state.windows[1]!.options).toMatchObject({ x: 10, y: 20, width: 1111, height: 777 });
  });
});

describe('saved window bounds', () => {
  const screens = [{ x: 0, y: 0, width: 1920, height: 1080 }];
  it('keeps bounds that are on a screen', () => {
    expect(usableBounds({ x: 10, y: 20, width: 1111, height: 777 }, screens)).toEqual({
      x: 10,
      y: 20,
      width: 1111,
      height: 777,
    });
    expect(usableBounds({ x: 1900 - 200, y: 0, width: 1000, height: 700 }, screens)).toMatchObject({
      x: 1700,
    });
  });
  it('drops the position of bounds on a screen that is gone, and fits the size', () => {
    expect(usableBounds({ x: 2500, y: 100, width: 1600, height: 900 }, screens)).toEqual({
      width: 1600,
      height: 900,
    });
    expect(usableBounds({ x: -5000, y: -5000, width: 4000, height: 3000 }, screens)).toEqual({
      width: 1920,
      height: 1080,
    });
    expect(usableBounds({ x: 1850, y: 0, width: 1000, height: 700 }, screens)).toEqual({
      width: 1000,
      height: 700,
    });
  });
  it('ignores what is not a rectangle', () => {
    for (const bad of [
      null,
      'x',
      { x: 1 },
      { x: 0, y: 0, width: Number.NaN, height: 5 },
      { x: 0, y: 0, width: -1, height: 5 },
    ]) {
      expect(usableBounds(bad, screens)).toBeNull();
    }
  });
  it('opens a window saved off-screen without its old position', async () => {
    runtime.store.setSetting('window.bounds', { x: 9000, y: 9000, width: 1200, height: 800 });
    await startElectronHost({ runtime, rendererUrl: RENDERER, preloadPath: '/p.js' });
    const opts = h.state.windows[h.state.windows.length - 1]!.options;
    expect(opts).toMatchObject({ width: 1200, height: 800 });
    expect(opts.x).toBeUndefined();
  });
});

describe('session', () => {
  const contents = { getURL: () => RENDERER };
  it('denies every permission but clipboard writes from its own page', () => {
    for (const p of ['media', 'notifications', 'clipboard-read', 'geolocation', 'openExternal']) {
      const cb = vi.fn();
      h.state.permissionHandler!(contents, p, cb, { requestingUrl: RENDERER, isMainFrame: true });
      expect(cb).toHaveBeenCalledWith(false);
      expect(
        h.state.permissionCheck!(contents, p, 'file://', { requestingUrl: RENDERER, isMainFrame: true }),
      ).toBe(false);
    }
  });
  it('allows clipboard writes (Copy) for the renderer in its main frame only', () => {
    const ask = (wc: unknown, url: string, main: boolean) => {
      const cb = vi.fn();
      h.state.permissionHandler!(wc, 'clipboard-sanitized-write', cb, {
        requestingUrl: url,
        isMainFrame: main,
      });
      const check = h.state.permissionCheck!(wc, 'clipboard-sanitized-write', 'file://', {
        requestingUrl: url,
        isMainFrame: main,
      });
      return [cb.mock.calls[0]![0], check];
    };
    expect(ask(contents, RENDERER, true)).toEqual([true, true]);
    expect(ask(contents, RENDERER, false)).toEqual([false, false]);
    expect(ask(contents, 'https://evil.example/', true)).toEqual([false, false]);
    expect(ask(contents, 'file:///tmp/x.html', true)).toEqual([false, false]);
    expect(ask({ getURL: () => 'https://evil.example/' }, RENDERER, true)).toEqual([false, false]);
    expect(
      h.state.permissionCheck!(null, 'clipboard-sanitized-write', 'file://', { isMainFrame: true }),
    ).toBe(false);
  });
  it('sets the CSP on every response', () => {
    const cb = vi.fn();
    h.state.headersHandler!({ responseHeaders: { 'X-A': ['1'] } }, cb);
    expect(cb).toHaveBeenCalledWith({ responseHeaders: { 'X-A': ['1'], 'Content-Security-Policy': [CSP] } });
    expect(CSP).toContain("script-src 'self'");
    expect(CSP).not.toMatch(/script-src[^;]*unsafe/);
  });
});

describe('IPC', () => {
  it('answers the renderer and refuses any other frame', async () => {
    const handler = h.state.ipc.get(IPC_INVOKE)!;
    const ok = (await handler({ senderFrame: { url: RENDERER } }, 'app:info', {})) as { ok: boolean };
    expect(ok.ok).toBe(true);
    const evil = (await handler({ senderFrame: { url: 'https://evil.example/' } }, 'app:info', {})) as {
      ok: boolean;
      error: { message: string };
    };
    expect(evil.ok).toBe(false);
    expect(evil.error.message).toContain('untrusted');
    expect(isTrustedSender({ senderFrame: null } as never, RENDERER)).toBe(false);
  });
  it('pushes runtime events to the window', () => {
    runtime.emit('app:notice', { level: 'info', message: 'hi' });
    expect(h.state.windows[0]!.contents.sent).toContainEqual([
      'aura-ops:event',
      'app:notice',
      { level: 'info', message: 'hi' },
    ]);
  });
});
