// The Electron host: a hardened BrowserWindow (context isolation, sandbox, no Node, strict CSP, no
// navigation, no new windows, no permissions) and one IPC channel that carries the contract, with
// the sender checked against the app's own page.
import { app, BrowserWindow, ipcMain, session, shell, type IpcMainInvokeEvent, type Rectangle, type WebContents } from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Runtime } from '../runtime';
import { CSP, isExternalUrl } from './security';

export const IPC_INVOKE = 'aura-ops:invoke';
export const IPC_EVENT = 'aura-ops:event';
const KEY_BOUNDS = 'window.bounds';
/** Saving bounds on every resize event would write ops.db dozens of times a second. */
const BOUNDS_SAVE_DELAY_MS = 400;

export interface ElectronHostOptions {
  runtime: Runtime;
  /** out/renderer/index.html, or the dev server URL in development. */
  rendererUrl: string;
  preloadPath: string;
}

/** The one place a URL leaves the app: only http(s), to the OS browser. */
export async function openExternalSafe(url: string): Promise<boolean> {
  if (!isExternalUrl(url)) return false;
  await shell.openExternal(url);
  return true;
}

export function rendererFileUrl(outDir: string): string {
  return pathToFileURL(path.join(outDir, 'renderer', 'index.html')).toString();
}

/** The app's own page: the exact renderer URL (ignoring any #fragment), nothing else. */
export function isTrustedUrl(url: string | undefined, rendererUrl: string): boolean {
  if (!url) return false;
  const strip = (u: string) => u.split('#')[0];
  return strip(url) === strip(rendererUrl);
}

export function isTrustedSender(event: Pick<IpcMainInvokeEvent, 'senderFrame'>, rendererUrl: string): boolean {
  const frame = event.senderFrame;
  return frame !== null && frame !== undefined && isTrustedUrl(frame.url, rendererUrl);
}

/** Handlers every web contents gets: no new windows (http(s) goes to the OS browser), no navigation. */
export function hardenContents(contents: WebContents, rendererUrl: string): void {
  contents.setWindowOpenHandler(({ url }) => {
    void openExternalSafe(url);
    return { action: 'deny' };
  });
  contents.on('will-navigate', (event, url) => {
    if (!isTrustedUrl(url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-redirect', (event, url) => {
    if (!isTrustedUrl(url, rendererUrl)) event.preventDefault();
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

export function hardenSession(ses: Electron.Session): void {
  ses.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function registerIpc(runtime: Runtime, rendererUrl: string): void {
  ipcMain.handle(IPC_INVOKE, async (event, channel: unknown, params: unknown) => {
    if (!isTrustedSender(event, rendererUrl)) {
      return { ok: false, error: { code: 'forbidden-path', message: 'IPC from an untrusted frame was refused' } };
    }
    return runtime.api.dispatch(typeof channel === 'string' ? channel : '', params);
  });
}

export function createMainWindow(opts: ElectronHostOptions): BrowserWindow {
  const saved = opts.runtime.store.getSetting<Rectangle>(KEY_BOUNDS);
  const win = new BrowserWindow({
    width: saved?.width ?? 1440,
    height: saved?.height ?? 900,
    ...(saved ? { x: saved.x, y: saved.y } : {}),
    minWidth: 900,
    minHeight: 600,
    show: false,
    backgroundColor: '#111418',
    title: 'Aura Ops Console',
    // Written out here (not built elsewhere) so static scanners see exactly what the window gets.
    webPreferences: {
      preload: opts.preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      experimentalFeatures: false,
      navigateOnDragDrop: false,
      spellcheck: false,
      // Middle-click would otherwise open links in new windows, bypassing the window-open handler.
      disableBlinkFeatures: 'Auxclick',
    },
  });
  hardenContents(win.webContents, opts.rendererUrl);
  let timer: NodeJS.Timeout | undefined;
  const saveBounds = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      if (!win.isDestroyed() && !win.isMinimized()) opts.runtime.store.setSetting(KEY_BOUNDS, win.getNormalBounds());
    }, BOUNDS_SAVE_DELAY_MS);
  };
  win.on('resize', saveBounds);
  win.on('move', saveBounds);
  win.on('close', () => {
    clearTimeout(timer);
    if (!win.isMinimized()) opts.runtime.store.setSetting(KEY_BOUNDS, win.getNormalBounds());
  });
  const off = opts.runtime.onEvent((event, payload) => {
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, event, payload);
  });
  win.on('closed', off);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.rendererUrl);
  return win;
}

/** Wire the whole host once the app is ready. */
export async function startElectronHost(opts: ElectronHostOptions): Promise<BrowserWindow> {
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, opts.rendererUrl));
  hardenSession(session.defaultSession);
  registerIpc(opts.runtime, opts.rendererUrl);
  return createMainWindow(opts);
}
