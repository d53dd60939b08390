// The composition root: one console runtime (store, install, services, handler table, event bus)
// that a host (Electron or serve), the CLI or a test creates and disposes.
import { EventEmitter } from 'node:events';
import path from 'node:path';
import type { AppInfo, HostKind } from '../shared/contract/app';
import type { EventName, EventPayload } from '../shared/contract';
import { createApi, type Api } from './api';
import type { ServiceContext } from './services/context';
import { InstallService } from './services/install/service';
import type { SandboxHandle } from './sandbox';
import { OpsStore } from './services/store/store';
import { WalkthroughService } from './services/walkthroughs/service';
import { runVerifyStep } from './services/walkthroughs/verify-runner';
import type { TerminalCommandFinished } from '../shared/contract/terminal';
import type { SweepResult } from '../shared/contract/probes';
import { DatabaseService } from './services/database/service';
import { ReviewService } from './services/runbooks/review-service';
import { RunbookLibrary } from './services/runbooks/library';
import { LogsService } from './services/logs/service';
import { isInside } from './services/logs/paths';
import { ProbesService } from './services/probes/service';
import { TerminalService } from './services/terminal/service';
import { bundledRunbooksDir } from './paths';
import { electronNativeBinding } from './services/store/native';
import { APP_VERSION } from './version';
import { builtCliScript, writeCliLauncher, type CliCommand } from './cli-launcher';
import { bundleLabel, openBundle, type OpenedBundle } from './services/bundle/open';
import type { EntryRunner } from './services/bundle/verify';
import { bundleReadiness } from './services/bundle/readiness';
import { QuietGate } from './services/bundle/quiet-gate';
import type { BundleVerifyStatus } from '../shared/contract/install';
import { OpsError } from '../shared/errors';
import { TaskWorker } from './workers/off-thread';
import type { InstallCandidate } from '../shared/install-types';

export interface RuntimeOptions {
  dataDir: string;
  host: HostKind;
  explicitInstall?: string | null;
  env?: NodeJS.ProcessEnv;
  home?: string;
  openExternal?: (url: string) => Promise<boolean>;
  /** The terminal's shell (default: $SHELL, then /bin/bash). */
  shell?: string;
  /** The bundled runbooks folder; default: found next to the app (null: none). */
  runbooksDir?: string | null;
  /**
   * How the terminal's `aura-ops` runs the CLI. Default under Node: this Node with the built
   * out/main/cli.js (none when running from sources); the Electron host passes its own. null: none.
   */
  cli?: CliCommand | null;
  /**
   * Runs an opened bundle's background entries (default: on a worker thread). Tests wrap the real
   * extraction to hold one file back and see what waits for it.
   */
  bundleRunner?: EntryRunner;
  /**
   * Holds an opened bundle's background verification back this long before its first file, as a
   * slow disk or a big bundle would (the serve host reads AURA_OPS_TEST_VERIFY_DELAY_MS): the
   * end-to-end test of what the console shows while a bundle is still verifying.
   */
  bundleVerifyDelayMs?: number;
  /** When an opened bundle's background work starts (quiet-gate.ts); tests stretch it to see it wait. */
  bundleFirstPaint?: { quietMs: number; maxMs: number };
}

const KEY_RUNBOOK_FOLDERS = 'runbooks.folders';
const KEY_LOG_ROOTS = 'logs.roots';
const KEY_TERMINAL_SETTINGS = 'terminal.settings';
/**
 * An opened bundle's background work starts once no request came for this long (the first paint's
 * panes and pages arrive a few ms apart), and at most this long after the open.
 */
const BUNDLE_FIRST_PAINT_QUIET_MS = 100;
const BUNDLE_FIRST_PAINT_MAX_MS = 1_000;

export type EventListener = (event: string, payload: unknown) => void;

export class Runtime {
  readonly store: OpsStore;
  readonly install: InstallService;
  readonly ctx: ServiceContext;
  readonly api: Api;
  readonly walkthroughs: WalkthroughService;
  readonly database: DatabaseService;
  readonly runbooks: RunbookLibrary;
  readonly review: ReviewService;
  readonly logs: LogsService;
  readonly probes: ProbesService;
  readonly terminal: TerminalService;
  readonly dataDir: string;
  private readonly bus = new EventEmitter();
  private readonly disposers: Array<() => void | Promise<void>> = [];
  private disposed = false;
  private sandbox: SandboxHandle | null = null;
  /** The support bundle opened in this run, while it is open (its files may still be verifying). */
  private opened: OpenedBundle | null = null;
  private lastBundleStatus: BundleVerifyStatus | null = null;
  /** Inflates and hashes the bundle's files off the main loop (made when a bundle is opened). */
  private bundleLane: TaskWorker | null = null;
  /** Holds the opened bundle's background work until the first paint's requests have stopped. */
  private bundleGate: QuietGate | null = null;
  private readonly bundleRunner: EntryRunner | null;
  private readonly bundleVerifyDelayMs: number;
  private readonly bundleFirstPaint: { quietMs: number; maxMs: number };
  /** The folder holding the `aura-ops` launcher, first on the terminal's PATH (null: none). */
  readonly cliBinDir: string | null;

  constructor(opts: RuntimeOptions) {
    this.dataDir = path.resolve(opts.dataDir);
    this.bundleRunner = opts.bundleRunner ?? null;
    this.bundleVerifyDelayMs = opts.bundleVerifyDelayMs ?? 0;
    this.bundleFirstPaint = opts.bundleFirstPaint ?? {
      quietMs: BUNDLE_FIRST_PAINT_QUIET_MS,
      maxMs: BUNDLE_FIRST_PAINT_MAX_MS,
    };
    this.bus.setMaxListeners(0);
    this.store = OpsStore.open(this.dataDir);
    this.install = new InstallService({
      store: this.store,
      env: opts.env,
      home: opts.home,
      explicitRoot: opts.explicitInstall ?? null,
      onChange: (list) => {
        this.emit('install:changed', list);
        // Created below; install changes come only after the constructor (select, demo attach).
        this.probes?.installChanged();
      },
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
      features: [
        'install',
        'walkthroughs',
        'database',
        'runbooks',
        'logs',
        'probes',
        'terminal',
        ...(this.sandbox ? ['sandbox'] : []),
      ],
    });
    this.walkthroughs = new WalkthroughService(this.store, this.ctx, Date.now, {
      // Probes are made below; these run only on requests, after the constructor.
      triage: { latest: () => this.probes.latest(), sweep: (o) => this.probes.sweep(o ?? {}) },
      runStep: (command) => runVerifyStep(command, this.install.current()),
    });
    // Commands that finish in any terminal go into the recording session from here (a step run by
    // its run id, anything else as ad hoc), so a reloaded or closed window cannot lose them; every
    // sweep tells the walk-throughs when the triage went red (the "detected" milestone).
    this.bus.on('event', (event: string, payload: unknown) => {
      try {
        if (event === 'terminal:command-finished')
          this.walkthroughs.commandFinished(payload as TerminalCommandFinished);
        else if (event === 'probes:update') this.walkthroughs.observeSweep(payload as SweepResult);
      } catch (err) {
        this.emit('app:notice', {
          level: 'error',
          message: `Could not record into the walk-through: ${(err as Error).message}`,
        });
      }
    });
    const nativeBinding = electronNativeBinding();
    this.database = DatabaseService.fromContext(this.ctx, {
      store: this.store,
      ...(nativeBinding ? { nativeBinding } : {}),
    });
    this.runbooks = new RunbookLibrary({
      bundledDir: opts.runbooksDir === undefined ? bundledRunbooksDir() : opts.runbooksDir,
      folders: this.store.getSetting<string[]>(KEY_RUNBOOK_FOLDERS) ?? [],
      getInstall: () => this.install.current(),
      onFoldersChanged: (folders) => this.store.setSetting(KEY_RUNBOOK_FOLDERS, folders),
      onChanged: (reason) => this.emit('runbooks:changed', { reason }),
      reviewStatusOf: (id) => this.review.storedStatus(id),
    });
    this.logs = new LogsService(this.ctx, {
      roots: this.store.getSetting<string[]>(KEY_LOG_ROOTS) ?? [],
      onRootsChanged: (roots) => this.store.setSetting(KEY_LOG_ROOTS, roots),
      // While an attached bundle is verifying, a family's pane opens on its newest file's checked tail.
      previewOf: (familyId) => {
        const t = this.attachedBundle()?.previewTail(familyId) ?? null;
        if (!t) return null;
        return {
          dir: path.dirname(t.path),
          preview: { file: path.basename(t.path), shownBytes: t.shownBytes, fileBytes: t.fileBytes },
        };
      },
      // ... and the log picker lists the files still verifying from the bundle's manifest.
      pendingFiles: (familyId) => {
        const b = this.attachedBundle();
        if (!b) return [];
        const asOf = Date.parse(b.origin.asOf);
        return b.pendingLogs(familyId).map((f) => ({ ...f, mtimeMs: asOf, pending: true }));
      },
      // A bundle's files end where the copy was made: a last line without its newline is whole.
      filesEnded: (dir) => {
        const b = this.attachedBundle();
        return b !== null && isInside(path.resolve(b.dir), path.resolve(dir));
      },
    });
    // Sweeps start with the host (startBackground), not whenever a runtime is made (tests, CLI).
    this.probes = new ProbesService(this.ctx, this.store, { autoStart: false });
    this.cliBinDir = this.writeCliLauncher(opts.cli);
    // Windows spells it Path: reuse the existing key, or the shell would get two.
    const pathKey = Object.keys(process.env).find((k) => k.toUpperCase() === 'PATH') ?? 'PATH';
    const terminalEnv = this.cliBinDir
      ? { [pathKey]: [this.cliBinDir, process.env[pathKey]].filter(Boolean).join(path.delimiter) }
      : undefined;
    this.terminal = new TerminalService(this.ctx, {
      ...(opts.shell ? { defaultShell: opts.shell } : {}),
      ...(terminalEnv ? { env: terminalEnv } : {}),
      settingsStore: {
        load: () => this.store.getSetting<unknown>(KEY_TERMINAL_SETTINGS),
        save: (s) => this.store.setSetting(KEY_TERMINAL_SETTINGS, s),
      },
    });
    this.review = new ReviewService({
      library: this.runbooks,
      store: this.store,
      walkthroughs: this.walkthroughs,
      getInstall: () => this.install.current(),
      shimDir: () => this.cliBinDir,
      onChanged: () => this.emit('runbooks:changed', { reason: 'files' }),
    });
    this.api = createApi({
      ctx: this.ctx,
      store: this.store,
      install: this.install,
      app: { info, openExternal: opts.openExternal ?? (async () => false) },
      getSandbox: () => this.sandbox,
      walkthroughs: this.walkthroughs,
      database: this.database,
      runbooks: this.runbooks,
      review: this.review,
      logs: this.logs,
      probes: this.probes,
      terminal: this.terminal,
      openBundle: (file) => this.openBundle(file),
      bundleStatus: () => this.lastBundleStatus,
      bundleReady: async (channel, params) => {
        const b = this.attachedBundle();
        if (!b) return;
        // A request of the first paint: the background work waits for quiet again.
        this.bundleGate?.touch();
        await bundleReadiness(channel, params, b);
      },
    });
  }

  private writeCliLauncher(cli: CliCommand | null | undefined): string | null {
    let command = cli;
    if (command === undefined) {
      const script = process.versions.electron ? null : builtCliScript();
      command = script ? { command: process.execPath, args: [script] } : null;
    }
    return command ? writeCliLauncher(path.join(this.dataDir, 'bin'), command) : null;
  }

  /** Work that only a long-running host wants: start helper processes before the first request. */
  async startBackground(): Promise<void> {
    this.probes.start();
    await this.database.prewarm().catch((err: unknown) => {
      this.emit('app:notice', {
        level: 'warning',
        message: `The database inspector could not start its reader: ${(err as Error).message}`,
      });
    });
  }

  /**
   * Open a support bundle and attach it as a read-only install once its zip directory, manifest
   * and recorded sweep passed; its files are verified in the background (the first paint's first,
   * on a worker thread after that) and each is readable only once its sha256 matched. A file that
   * fails closes the bundle: detached, its folder removed, the error said. Its extraction is
   * removed when the console stops or another bundle replaces it.
   */
  async openBundle(file: string): Promise<InstallCandidate> {
    if (!this.bundleLane) {
      const made = new TaskWorker('bundle verifier');
      this.bundleLane = made;
      this.disposers.push(() => made.shutdown());
    }
    const lane = this.bundleLane;
    let opened: OpenedBundle | null = null;
    const run: EntryRunner =
      this.bundleRunner ??
      (async (zip, entry, target) => {
        const r = await lane.run('bundle-extract', { zip, entry, target });
        if (!r.ok) throw new OpsError(r.code as OpsError['code'], r.message);
        return r.digest;
      });
    const delayMs = this.bundleVerifyDelayMs;
    let held: Promise<void> | null = null;
    // The zip's sha256 and the files past the first paint's wait until the console has stopped
    // asking for its first paint (quiet-gate.ts); a bundle refused or closed meanwhile starts none.
    const gate = new QuietGate(this.bundleFirstPaint.quietMs, this.bundleFirstPaint.maxMs);
    const afterGate = async (): Promise<void> => {
      await gate.opened;
      if (gate.cancelled) throw new OpsError('unavailable', 'The bundle was closed before it was verified.');
    };
    let next: OpenedBundle;
    try {
      next = await openBundle(file, path.join(this.dataDir, 'opened-bundles'), {
        background: true,
        // Tens of MB hashed: on the lane, not between the first paint's requests.
        hashZip: async (zip) => {
          await afterGate();
          return lane.run('sha256-file', { file: zip });
        },
        runLater: async (zip, entry, target) => {
          await afterGate();
          if (delayMs > 0) {
            held ??= new Promise((r) => setTimeout(r, delayMs));
            await held;
          }
          return run(zip, entry, target);
        },
        onStatus: (s) => {
          if (opened !== null && this.opened !== opened) return;
          this.lastBundleStatus = s;
          this.emit('install:bundle-verify', s);
        },
        onFailed: (err) => {
          if (opened !== null) this.bundleFailed(opened, err);
        },
      });
    } catch (err) {
      gate.cancel();
      throw err;
    }
    opened = next;
    const before = this.opened;
    if (before) {
      this.closeBundle(before);
    } else {
      this.disposers.push(() => {
        this.bundleGate?.cancel();
        if (this.opened) this.opened.close();
      });
    }
    this.opened = next;
    this.bundleGate = gate;
    gate.start();
    this.lastBundleStatus = next.files.status();
    this.probes.setBundle(next);
    this.install.setBundle(next.install);
    // The zip's sha256 was still being read: the header, the recorded sweep and the sessions get
    // it when it is known (a walk-through waits for it, readiness.ts).
    next.zipSha256.then(
      (sha256) => {
        if (this.opened !== next) return;
        next.origin.sha256 = sha256;
        const label = bundleLabel(next.origin);
        next.install = { ...next.install, label, bundle: next.origin };
        next.recorded.installLabel = label;
        this.install.updateBundle(next.install);
      },
      (err: unknown) => {
        if (this.opened !== next) return;
        next.close();
        this.bundleFailed(
          next,
          new OpsError('corrupt', `The bundle could not be read whole: ${(err as Error).message}.`),
        );
      },
    );
    return next.install;
  }

  /** The opened bundle (null when none is open). */
  openedBundle(): OpenedBundle | null {
    return this.opened;
  }

  private closeBundle(b: OpenedBundle): void {
    if (this.opened === b) this.bundleGate?.cancel();
    this.logs.dispose();
    b.close();
  }

  /** The opened bundle while it is the attached install, else null. */
  private attachedBundle(): OpenedBundle | null {
    const b = this.opened;
    return b && this.install.current()?.id === b.install.id ? b : null;
  }

  /** A file of the open bundle did not match: nothing of it stays attached or on disk. */
  private bundleFailed(b: OpenedBundle, err: OpsError): void {
    if (this.opened !== b) return;
    this.opened = null;
    this.bundleGate?.cancel();
    this.bundleGate = null;
    // Its panes go with it; the folder was removed by the verifier before this call.
    this.logs.dispose();
    this.probes.setBundle(null);
    this.install.clearBundle();
    this.emit('app:notice', { level: 'error', message: `The bundle was closed: ${err.message}` });
  }

  /** The demo sandbox this console runs, if any (see demo.ts). */
  setSandbox(handle: SandboxHandle | null): void {
    this.sandbox = handle;
    if (handle) {
      const off = handle.onChange((status) => this.bus.emit('event', 'sandbox:changed', status));
      this.disposers.push(off);
    }
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
