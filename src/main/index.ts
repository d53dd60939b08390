// Electron entry point: resolve the data dir, build the runtime, open the hardened window. The same
// runtime backs `aura-ops serve`; nothing here is needed for tests or the CLI.
import { app, dialog } from 'electron';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { Runtime } from './runtime';
import { startDemoIfNeeded } from './demo';
import { openExternalSafe, rendererFileUrl, startElectronHost } from './hosts/electron';

app.enableSandbox();

const { values } = parseArgs({
  args: process.argv.slice(app.isPackaged ? 1 : 2),
  options: { install: { type: 'string' }, 'data-dir': { type: 'string' }, demo: { type: 'boolean' }, 'no-demo': { type: 'boolean' } },
  strict: false,
  allowPositionals: true,
});

if (!app.requestSingleInstanceLock()) app.quit();

let runtime: Runtime | null = null;

app.whenReady().then(
  async () => {
    const dataDir =
      (typeof values['data-dir'] === 'string' ? values['data-dir'] : undefined) ??
      process.env.AURA_OPS_DATA_DIR ??
      app.getPath('userData');
    runtime = new Runtime({
      dataDir,
      host: 'electron',
      explicitInstall: typeof values.install === 'string' ? values.install : null,
      openExternal: openExternalSafe,
    });
    void runtime.startBackground();
    try {
      await startDemoIfNeeded(runtime, values['no-demo'] ? 'off' : values.demo ? 'on' : 'auto');
    } catch (err) {
      dialog.showErrorBox('The demo install could not start', `${(err as Error).message}\n\nThe console runs without it.`);
    }
    const outDir = path.join(__dirname, '..');
    const rendererUrl = process.env.ELECTRON_RENDERER_URL ?? rendererFileUrl(outDir);
    await startElectronHost({ runtime, rendererUrl, preloadPath: path.join(outDir, 'preload', 'index.js') });
  },
  (err: unknown) => {
    dialog.showErrorBox('Aura Ops Console could not start', (err as Error).message);
    app.exit(1);
  },
);

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (e) => {
  if (!runtime) return;
  e.preventDefault();
  const r = runtime;
  runtime = null;
  void r.dispose().finally(() => app.exit(0));
});
