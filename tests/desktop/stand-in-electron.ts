// A stand-in for the `electron` module, so the built main process (out/main/index.js) boots under
// plain Node here, where no Electron binary can run. Each part is typed against Electron's own d.ts;
// a test drives it over the Node IPC channel (control-protocol.ts) and sees what the app did.
import { fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type * as Electron from 'electron';
import type { ControlReply, ControlRequest, StandInReport } from './control-protocol';

type Handler = (...args: never[]) => unknown;
/** An Electron class's own members (its event-emitter overloads are the stand-in's EventEmitter). */
type Own<T> = Partial<Omit<T, keyof NodeJS.EventEmitter>>;

function report(msg: StandInReport): void {
  // The CLI mode runs from a shell with no channel: then nobody is listening.
  if (process.send && process.connected) process.send(msg);
}

const readyWaiters: Array<() => void> = [];
let ready = false;

class StandInApp extends EventEmitter implements Own<Electron.App> {
  isPackaged = false;
  private lockHeld = false;
  enableSandbox(): void {}
  requestSingleInstanceLock(): boolean {
    this.lockHeld = process.env.STAND_IN_LOCK_TAKEN !== '1';
    return this.lockHeld;
  }
  whenReady(): Promise<void> {
    if (ready) return Promise.resolve();
    return new Promise((resolve) => readyWaiters.push(resolve));
  }
  private readonly paths = new Map<string, string>();
  setPath(name: Parameters<Electron.App['setPath']>[0], value: string): void {
    if (ready) throw new Error('the stand-in, like Electron for sessionData, wants setPath before ready');
    this.paths.set(name, value);
  }
  getPath(name: Parameters<Electron.App['getPath']>[0]): string {
    const set = this.paths.get(name);
    if (set) return set;
    if (name === 'userData')
      return process.env.STAND_IN_USER_DATA ?? path.join(os.tmpdir(), 'aura-ops-stand-in');
    return os.tmpdir();
  }
  /** The folder of the app's package.json, found up from the entry script (like Electron's). */
  getAppPath(): string {
    let dir = path.dirname(require.main?.filename ?? process.argv[1] ?? '.');
    while (!fs.existsSync(path.join(dir, 'package.json')) && path.dirname(dir) !== dir)
      dir = path.dirname(dir);
    return dir;
  }
  quit(): void {
    let prevented = false;
    const event = { preventDefault: () => (prevented = true) };
    this.emit('before-quit', event);
    if (prevented) return;
    prevented = false;
    this.emit('will-quit', event);
    if (!prevented) this.exit(0);
  }
  exit(code = 0): void {
    report({ t: 'exit', code });
    process.exit(code);
  }
}

export const app = new StandInApp();

class StandInWebContents extends EventEmitter implements Own<Electron.WebContents> {
  url = '';
  windowOpenHandler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0] | null = null;
  setWindowOpenHandler(handler: Parameters<Electron.WebContents['setWindowOpenHandler']>[0]): void {
    this.windowOpenHandler = handler;
  }
  getURL(): string {
    return this.url;
  }
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, ...args: unknown[]): void {
    report({ t: 'sent', channel, args });
  }
}

const windows: StandInBrowserWindow[] = [];
const mainWindow = (): StandInBrowserWindow | null => windows[windows.length - 1] ?? null;

export class StandInBrowserWindow
  extends EventEmitter
  implements Omit<Own<Electron.BrowserWindow>, 'webContents'>
{
  webContents: StandInWebContents = new StandInWebContents();
  private minimized = false;
  constructor(readonly options: Electron.BrowserWindowConstructorOptions) {
    super();
    windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
    report({ t: 'window', options: JSON.parse(JSON.stringify(options)) });
  }
  async loadURL(url: string): Promise<void> {
    this.webContents.url = url;
    report({ t: 'load', url });
    this.emit('ready-to-show');
  }
  isDestroyed(): boolean {
    return false;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  minimize(): void {
    this.minimized = true;
  }
  restore(): void {
    this.minimized = false;
  }
  show(): void {
    report({ t: 'show' });
  }
  focus(): void {
    report({ t: 'focus' });
  }
  getNormalBounds(): Electron.Rectangle {
    return { x: 0, y: 0, width: 1440, height: 900 };
  }
}
export { StandInBrowserWindow as BrowserWindow };

const ipcHandlers = new Map<string, Handler>();
export const ipcMain: Partial<Electron.IpcMain> = {
  handle(channel: string, listener: Parameters<Electron.IpcMain['handle']>[1]): void {
    ipcHandlers.set(channel, listener as Handler);
  },
};

type RequestHandler = Parameters<Electron.Session['setPermissionRequestHandler']>[0];
type CheckHandler = Parameters<Electron.Session['setPermissionCheckHandler']>[0];
let requestHandler: RequestHandler = null;
let checkHandler: CheckHandler = null;
const defaultSession: Partial<Electron.Session> = {
  setPermissionRequestHandler(handler: RequestHandler): void {
    requestHandler = handler;
  },
  setPermissionCheckHandler(handler: CheckHandler): void {
    checkHandler = handler;
  },
  webRequest: { onHeadersReceived: () => undefined } as unknown as Electron.WebRequest,
};
export const session = { defaultSession };

export const shell: Partial<Electron.Shell> = {
  async openExternal(url: string): Promise<void> {
    report({ t: 'open-external', url });
  },
};

export const dialog: Partial<Electron.Dialog> = {
  showErrorBox(title: string, content: string): void {
    report({ t: 'error-box', title, content });
  },
};

/** One 1920x1080 screen, or what STAND_IN_DISPLAYS holds (JSON list of work areas). */
export const screen: Partial<Electron.Screen> = {
  getAllDisplays(): Electron.Display[] {
    const areas = process.env.STAND_IN_DISPLAYS
      ? (JSON.parse(process.env.STAND_IN_DISPLAYS) as Electron.Rectangle[])
      : [{ x: 0, y: 0, width: 1920, height: 1080 }];
    return areas.map((workArea, id) => ({ id, workArea, bounds: workArea }) as Electron.Display);
  },
};

/** utilityProcess.fork as a Node child whose process.parentPort is shimmed (parent-port-shim.cjs). */
class StandInUtilityProcess extends EventEmitter {
  private readonly child;
  constructor(modulePath: string, args: string[], options: Electron.ForkOptions) {
    super();
    this.child = fork(modulePath, args, {
      env: options.env as NodeJS.ProcessEnv | undefined,
      execArgv: ['--require', path.join(__dirname, 'parent-port-shim.cjs')],
      stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child.on('message', (m) => this.emit('message', m));
    this.child.on('exit', (code) => this.emit('exit', code ?? 1));
    report({ t: 'utility', pid: this.child.pid ?? -1, modulePath });
  }
  get pid(): number | undefined {
    return this.child.pid;
  }
  get stderr(): NodeJS.ReadableStream | null {
    return this.child.stderr;
  }
  postMessage(message: unknown): void {
    this.child.send(message as object);
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}

export const utilityProcess = {
  fork(modulePath: string, args?: string[], options?: Electron.ForkOptions): Electron.UtilityProcess {
    if (!ready) throw new Error('utilityProcess.fork can only be called after the ready event');
    return new StandInUtilityProcess(
      modulePath,
      args ?? [],
      options ?? {},
    ) as unknown as Electron.UtilityProcess;
  },
};

function pageFrame(url: string): Electron.WebFrameMain {
  return { url } as Electron.WebFrameMain;
}

async function answer(req: ControlRequest): Promise<unknown> {
  const wc = mainWindow()?.webContents;
  switch (req.t) {
    case 'invoke': {
      const handler = ipcHandlers.get(req.channel);
      if (!handler) throw new Error(`no ipcMain handler for ${req.channel}`);
      const event = {
        senderFrame: pageFrame(req.frameUrl),
        sender: wc,
      } as unknown as Electron.IpcMainInvokeEvent;
      return (handler as (e: Electron.IpcMainInvokeEvent, ...a: unknown[]) => unknown)(event, ...req.args);
    }
    case 'permission-request': {
      if (!requestHandler || !wc) throw new Error('no permission request handler or window');
      return new Promise<boolean>((resolve) =>
        requestHandler!(wc as unknown as Electron.WebContents, req.permission as 'media', resolve, {
          requestingUrl: req.requestingUrl,
          isMainFrame: req.isMainFrame,
        } as Electron.PermissionRequest),
      );
    }
    case 'permission-check': {
      if (!checkHandler) throw new Error('no permission check handler');
      return checkHandler(
        wc ? (wc as unknown as Electron.WebContents) : null,
        req.permission as 'media',
        new URL(req.requestingUrl).origin,
        {
          requestingUrl: req.requestingUrl,
          isMainFrame: req.isMainFrame,
        },
      );
    }
    case 'window-open': {
      if (!wc?.windowOpenHandler) throw new Error('no window-open handler');
      return wc.windowOpenHandler({ url: req.url } as Electron.HandlerDetails);
    }
    case 'navigate': {
      let prevented = false;
      wc?.emit('will-navigate', { preventDefault: () => (prevented = true) }, req.url);
      return prevented;
    }
    case 'second-instance':
      mainWindow()?.minimize();
      app.emit('second-instance', {}, [], process.cwd(), {});
      return true;
    case 'quit':
      setImmediate(() => app.quit());
      return true;
  }
}

process.on('message', (raw: unknown) => {
  const req = raw as ControlRequest & { id: number };
  answer(req).then(
    (value) => report({ t: 'reply', id: req.id, ok: true, value } satisfies ControlReply),
    (err: unknown) =>
      report({ t: 'reply', id: req.id, ok: false, error: (err as Error).message } satisfies ControlReply),
  );
});

// Electron's main process does not die of an uncaught error or a rejected promise: it logs it (an
// exception also gets its own dialog) and goes on. So does the stand-in, and it says so.
process.on('uncaughtException', (err) => report({ t: 'uncaught', message: err.message }));
process.on('unhandledRejection', (err) =>
  report({ t: 'uncaught', message: err instanceof Error ? err.message : String(err) }),
);

// Like Electron, the process lives until the app quits or exits, whatever else is pending.
const KEEP_ALIVE_MS = 2 ** 30;
setInterval(() => undefined, KEEP_ALIVE_MS);

setImmediate(() => {
  ready = true;
  app.emit('ready');
  for (const w of readyWaiters.splice(0)) w();
});
