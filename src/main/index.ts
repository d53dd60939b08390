// Electron entry point: resolve the data dir, build the runtime, open the hardened window. The same
// runtime backs `aura-ops serve`. Started with --aura-ops-cli it runs the CLI instead (no window).
import { app, dialog, type BrowserWindow } from 'electron';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Runtime } from './runtime';
import { startDemoIfNeeded } from './demo';
import {
  focusWindow,
  openExternalSafe,
  rendererFileUrl,
  startElectronHost,
  utilityProcessLauncher,
} from './hosts/electron';
import { CLI_MODE_ARG, type CliCommand } from './cli-launcher';
import { runCli } from './cli';
import { setWorkerLauncher } from './services/database/worker-process';

app.enableSandbox();

const argv = process.argv.slice(app.isPackaged ? 1 : 2);

/** Shows why the app cannot go on, then ends it non-zero (`npm start` then falls back to serve). */
function fail(title: string, err: unknown): void {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`${title}: ${message}\n`);
  try {
    dialog.showErrorBox(title, message);
  } finally {
    app.exit(1);
  }
}

/** How the terminal's `aura-ops` reaches this app: the same binary in CLI mode. */
function cliCommand(): CliCommand {
  return app.isPackaged
    ? { command: process.execPath, args: [CLI_MODE_ARG] }
    : { command: process.execPath, args: [app.getAppPath(), CLI_MODE_ARG] };
}

async function runCliMode(args: string[]): Promise<void> {
  app.dock?.hide();
  // Chromium's own files (cookies, caches) go to a private folder, not the open window's profile.
  const sessionData = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-cli-'));
  app.setPath('sessionData', sessionData);
  process.on('exit', () => fs.rmSync(sessionData, { recursive: true, force: true }));
  // utilityProcess (the aura.db reader) can only start once the app is ready.
  await app.whenReady();
  setWorkerLauncher(utilityProcessLauncher);
  const code = await runCli(args, {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  });
  // Let the last lines reach a pipe before the process ends.
  await new Promise<void>((resolve) => process.stdout.write('', () => resolve()));
  app.exit(code);
}

function runApp(args: string[]): void {
  const { values } = parseArgs({
    args,
    options: {
      install: { type: 'string' },
      'data-dir': { type: 'string' },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean' },
    },
    strict: false,
    allowPositionals: true,
  });

  let runtime: Runtime | null = null;
  let window: BrowserWindow | null = null;

  app.on('second-instance', () => {
    if (window) focusWindow(window);
  });

  app
    .whenReady()
    .then(async () => {
      setWorkerLauncher(utilityProcessLauncher);
      const dataDir =
        (typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined) ??
        process.env.AURA_OPS_DATA_DIR ??
        app.getPath('userData');
      runtime = new Runtime({
        dataDir,
        host: 'electron',
        explicitInstall: typeof values.install === 'string' ? values.install : null,
        openExternal: openExternalSafe,
        cli: cliCommand(),
      });
      const r = runtime;
      r.startBackground().catch((err: unknown) => {
        r.emit('app:notice', {
          level: 'error',
          message: `A background service did not start: ${(err as Error).message}`,
        });
      });
      try {
        await startDemoIfNeeded(r, values['no-demo'] ? 'off' : values.demo ? 'on' : 'auto');
      } catch (err) {
        dialog.showErrorBox(
          'The demo install could not start',
          `${(err as Error).message}\n\nThe console runs without it.`,
        );
      }
      const outDir = path.join(__dirname, '..');
      const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? rendererFileUrl(outDir);
      window = await startElectronHost({
        runtime: r,
        rendererUrl,
        preloadPath: path.join(outDir, 'preload', 'index.js'),
      });
    })
    .catch((err: unknown) => {
      const r = runtime;
      runtime = null;
      if (!r) return fail('Aura Ops Console could not start', err);
      // Services may already hold children (sandbox, reader): end them before leaving.
      r.dispose()
        .catch((disposeErr: unknown) =>
          process.stderr.write(`Aura Ops Console: cleaning up failed: ${(disposeErr as Error).message}\n`),
        )
        .finally(() => fail('Aura Ops Console could not start', err));
    });

  app.on('window-all-closed', () => app.quit());
  app.on('will-quit', (e) => {
    if (!runtime) return;
    e.preventDefault();
    const r = runtime;
    runtime = null;
    r.dispose().then(
      () => app.exit(0),
      (err: unknown) => {
        process.stderr.write(`Aura Ops Console: shutting down failed: ${(err as Error).message}\n`);
        app.exit(1);
      },
    );
  });
}

if (argv[0] === CLI_MODE_ARG) {
  runCliMode(argv.slice(1)).catch((err: unknown) => {
    process.stderr.write(`aura-ops: ${(err as Error).message}\n`);
    app.exit(1);
  });
} else if (!app.requestSingleInstanceLock()) {
  // Another window is open: it is focused (second-instance there); nothing starts here.
  app.quit();
} else {
  runApp(argv);
}
