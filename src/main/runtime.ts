// The composition root: one console runtime (store, install, services, handler table, event bus)
// that a host (Electron or serve), the CLI or a test creates and disposes.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { AppInfo, HostKind } from '../shared/contract/app';
import type { EventName, EventPayload } from '../shared/contract';
import { createApi, type Api } from './api';
import type { ServiceContext } from './services/context';
import { InstallService } from './services/install/service';
import { OpsStore } from './services/store/store';
import { APP_VERSION } from './version';

export interface RuntimeOptions {
  dataDir: string;
  host: HostKind;
  explicitInstall?: string | null;
  env?: NodeJS.ProcessEnv;
  home?: string;
  openExternal?: (url: string) => Promise<boolean>;
}

export type EventListener = (event: string, payload: unknown) => void;

export class Runtime {
  readonly store: OpsStore;
  readonly install: InstallService;
  readonly ctx: ServiceContext;
  readonly api: Api;
  readonly dataDir: string;
  private readonly bus = new EventEmitter();
  private readonly disposers: Array<() => void | Promise<void>> = [];
  private disposed = false;

  constructor(opts: RuntimeOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.bus.setMaxListeners(0);
    this.store = OpsStore.open(this.dataDir);
    this.install = new InstallService({
      store: this.store,
      env: opts.env,
      home: opts.home,
      explicitRoot: opts.explicitInstall ?? null,
      onChange: (list) => this.emit('install:changed', list),
    });
    this.ctx = {
      dataDir: this.dataDir,
      getInstall: () => this.install.current(),
      emit: (event, payload) => this.bus.emit('event', event, payload),
      onDispose: (fn) => {
        this.disposers.push(fn);
      },
    };
    const info = (): AppInfo => ({
      name: 'Aura Ops Console',
      version: APP_VERSION,
      host: opts.host,
      platform: process.platform,
      dataDir: this.dataDir,
      opsDbPath: this.store.file,
      features: ['install'],
    });
    this.api = createApi({
      ctx: this.ctx,
      store: this.store,
      install: this.install,
      app: { info, openExternal: opts.openExternal ?? (async () => false) },
    });
  }

  emit<E extends EventName>(event: E, payload: EventPayload<E>): void {
    this.bus.emit('event', event, payload);
  }

  /** Subscribe to every pushed event; returns the unsubscribe function. */
  onEvent(listener: EventListener): () => void {
    this.bus.on('event', listener);
    return () => this.bus.off('event', listener);
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    for (const fn of this.disposers.reverse()) {
      try {
        await fn();
      } catch (err) {
        process.stderr.write(`aura-ops: cleanup failed: ${(err as Error).message}\n`);
      }
    }
    this.bus.removeAllListeners();
    this.store.close();
  }
}
