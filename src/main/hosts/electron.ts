// The Electron host: a hardened BrowserWindow (context isolation, sandbox, no Node, strict CSP, no
// navigation, no new windows, no permission but clipboard writes from its own page) and one IPC
// channel that carries the contract, with the sender checked against the app's own page.
import {
  app,
  BrowserWindow,
  ipcMain,
  screen,
  session,
  shell,
  utilityProcess,
  type IpcMainInvokeEvent,
  type Rectangle,
  type WebContents,
} from 'electron';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Runtime } from '../runtime';
import { CSP, isExternalUrl } from './security';
import type { WorkerLauncher } from '../services/database/worker-process';
import {
  IPC_EVENT,
  IPC_INVOKE,
  type IpcInvokeChannels,
  type IpcSendChannels,
} from '../../shared/ipc-channels';

const KEY_BOUNDS = 'window.bounds';
/** Saving bounds on every resize event would write ops.db dozens of times a second. */
const BOUNDS_SAVE_DELAY_MS = 400;
/** A saved window must show at least this much (px) on some screen, or it opens centred instead. */
const MIN_VISIBLE_PX = { width: 200, height: 100 };
/** The only permission the page gets: writing to the clipboard (runbook, log and terminal Copy). */
const ALLOWED_PERMISSION = 'clipboard-sanitized-write';

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

export function isTrustedSender(
  event: Pick<IpcMainInvokeEvent, 'senderFrame'>,
  rendererUrl: string,
): boolean {
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

/**
 * Whether a permission is granted: only clipboard writes, only to the app's own page in its main
 * frame. Everything else (camera, notifications, clipboard reads, ...) is denied.
 */
export function isPermissionAllowed(
  permission: string,
  pageUrl: string | undefined,
  isMainFrame: boolean,
  rendererUrl: string,
): boolean {
  return permission === ALLOWED_PERMISSION && isMainFrame && isTrustedUrl(pageUrl, rendererUrl);
}

export function hardenSession(ses: Electron.Session, rendererUrl: string): void {
  ses.setPermissionRequestHandler((wc, permission, callback, details) => {
    const page = details.requestingUrl;
    callback(
      isPermissionAllowed(permission, page, details.isMainFrame, rendererUrl) &&
        isTrustedUrl(wc.getURL(), rendererUrl),
    );
  });
  ses.setPermissionCheckHandler((wc, permission, _origin, details) => {
    if (!wc || !isTrustedUrl(wc.getURL(), rendererUrl)) return false;
    return isPermissionAllowed(
      permission,
      details.requestingUrl ?? wc.getURL(),
      details.isMainFrame,
      rendererUrl,
    );
  });
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CSP] } });
  });
}

export function registerIpc(runtime: Runtime, rendererUrl: string): void {
  // The arguments cross from the renderer: typed as the map says, checked as unknown.
  ipcMain.handle(
    IPC_INVOKE,
    async (
      event,
      channel: unknown,
      params: unknown,
    ): Promise<IpcInvokeChannels[typeof IPC_INVOKE]['result']> => {
      if (!isTrustedSender(event, rendererUrl)) {
        return {
          ok: false,
          error: { code: 'forbidden-path', message: 'IPC from an untrusted frame was refused' },
        };
      }
      return runtime.api.dispatch(typeof channel === 'string' ? channel : '', params);
    },
  );
}

function isRect(v: unknown): v is Rectangle {
  if (typeof v !== 'object' || v === null) return false;
  const r = v as Record<string, unknown>;
  return ['x', 'y', 'width', 'height'].every((k) => typeof r[k] === 'number' && Number.isFinite(r[k]));
}

/**
 * The saved bounds if enough of them is on one of today's screens (a monitor may have gone since),
 * else only a size that fits the primary screen, and the window opens centred.
 */
export function usableBounds(saved: unknown, workAreas: Rectangle[]): Partial<Rectangle> | null {
  if (!isRect(saved) || saved.width <= 0 || saved.height <= 0) return null;
  const visible = workAreas.some((a) => {
    const w = Math.min(saved.x + saved.width, a.x + a.width) - Math.max(saved.x, a.x);
    const h = Math.min(saved.y + saved.height, a.y + a.height) - Math.max(saved.y, a.y);
    return w >= MIN_VISIBLE_PX.width && h >= MIN_VISIBLE_PX.height;
  });
  if (visible) return saved;
  const primary = workAreas[0];
  if (!primary) return null;
  return { width: Math.min(saved.width, primary.width), height: Math.min(saved.height, primary.height) };
}

/** Brings the window forward (a second launch of the app lands here). */
export function focusWindow(win: BrowserWindow): void {
  if (win.isDestroyed()) return;
  if (win.isMinimized()) win.restore();
  win.show();
  win.focus();
}

/**
 * The aura.db reader as an Electron utilityProcess: the packaged app has the RunAsNode fuse off, so
 * ELECTRON_RUN_AS_NODE cannot make the app binary a Node child. Call after app 'ready'.
 */
export const utilityProcessLauncher: WorkerLauncher = (script, env) => {
  const child = utilityProcess.fork(script, [], {
    env,
    stdio: ['ignore', 'ignore', 'pipe'],
    serviceName: 'Aura Ops aura.db reader',
  });
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  return {
    get pid() {
      return child.pid;
    },
    stderr: child.stderr,
    send(message, onError) {
      if (exited) {
        onError(new Error('the reader process has ended'));
        return;
      }
      try {
        child.postMessage(message);
      } catch (err) {
        onError(err as Error);
      }
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      child.once('exit', (code) => listener(`ended (exit code ${code})`));
    },
    requestStop() {
      return false;
    },
    kill() {
      child.kill();
    },
  };
};

export function createMainWindow(opts: ElectronHostOptions): BrowserWindow {
  const saved = usableBounds(
    opts.runtime.store.getSetting<unknown>(KEY_BOUNDS),
    screen.getAllDisplays().map((d) => d.workArea),
  );
  const win = new BrowserWindow({
    width: saved?.width ?? 1440,
    height: saved?.height ?? 900,
    ...(saved && saved.x !== undefined && saved.y !== undefined ? { x: saved.x, y: saved.y } : {}),
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
      if (!win.isDestroyed() && !win.isMinimized())
        opts.runtime.store.setSetting(KEY_BOUNDS, win.getNormalBounds());
    }, BOUNDS_SAVE_DELAY_MS);
  };
  win.on('resize', saveBounds);
  win.on('move', saveBounds);
  win.on('close', () => {
    clearTimeout(timer);
    if (!win.isMinimized()) opts.runtime.store.setSetting(KEY_BOUNDS, win.getNormalBounds());
  });
  const off = opts.runtime.onEvent((event, payload) => {
    const args: IpcSendChannels[typeof IPC_EVENT] = [event, payload];
    if (!win.isDestroyed()) win.webContents.send(IPC_EVENT, ...args);
  });
  win.on('closed', off);
  win.once('ready-to-show', () => win.show());
  void win.loadURL(opts.rendererUrl);
  return win;
}

/** Wire the whole host once the app is ready. */
export async function startElectronHost(opts: ElectronHostOptions): Promise<BrowserWindow> {
  app.on('web-contents-created', (_e, contents) => hardenContents(contents, opts.rendererUrl));
  hardenSession(session.defaultSession, opts.rendererUrl);
  registerIpc(opts.runtime, opts.rendererUrl);
  return createMainWindow(opts);
}
