// Build of the three Electron parts. main also emits the CLI (the serve host runs under plain Node);
// the sandboxed preload cannot require packages, so its dependencies are bundled in.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import fs from 'node:fs';
import { resolve } from 'node:path';
import type { Plugin } from 'vite';

/** The aura.db reader runs in its own process from a plain CommonJS file: ship it next to main. */
function copyDbWorker(): Plugin {
  return {
    name: 'aura-ops-copy-db-worker',
    closeBundle() {
      const out = resolve(__dirname, 'out/main');
      fs.mkdirSync(out, { recursive: true });
      fs.copyFileSync(resolve(__dirname, 'src/main/services/database/db-worker.cjs'), resolve(out, 'db-worker.cjs'));
    },
  };
}

export default defineConfig({
  main: {
    plugins: [copyDbWorker()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          // Log-probe and runbook parsing off the main loop (src/main/workers/off-thread.ts).
          'task-worker': resolve(__dirname, 'src/main/workers/task-worker.ts'),
          // A big log file's record index (src/main/services/logs/index-worker.ts hosts it).
          'log-index-worker': resolve(__dirname, 'src/main/services/logs/log-index-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      externalizeDeps: false,
      rollupOptions: { input: { index: resolve(__dirname, 'src/preload/index.ts') } },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src/renderer'),
    plugins: [react()],
    build: {
      rollupOptions: { input: { index: resolve(__dirname, 'src/renderer/index.html') } },
    },
  },
});
