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

import { IPC_INVOKE, isTrustedSender, startElectronHost } from './electron';
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
  await startElectronHost({ runtime, rendererUrl: RENDERER, preloadPath: '/opt/aura-ops/out/preload/index.js' });
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

describe('session', () => {
  it('denies every permission request and check', () => {
    const cb = vi.fn();
    h.state.permissionHandler!({}, 'media', cb);
    expect(cb).toHaveBeenCalledWith(false);
    expect(h.state.permissionCheck!()).toBe(false);
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
    const evil = (await handler({ senderFrame: { url: 'https://evil.example/' } }, 'app:info', {})) as { ok: boolean; error: { message: string } };
    expect(evil.ok).toBe(false);
    expect(evil.error.message).toContain('untrusted');
    expect(isTrustedSender({ senderFrame: null } as never, RENDERER)).toBe(false);
  });
  it('pushes runtime events to the window', () => {
    runtime.emit('app:notice', { level: 'info', message: 'hi' });
    expect(h.state.windows[0]!.contents.sent).toContainEqual(['aura-ops:event', 'app:notice', { level: 'info', message: 'hi' }]);
  });
});
