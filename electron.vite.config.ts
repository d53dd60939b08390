// Build of the three Electron parts. main also emits the CLI (the serve host runs under plain Node);
// the sandboxed preload cannot require packages, so its dependencies are bundled in.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'electron-vite';
import { resolve } from 'node:path';

/** The aura.db reader's entry keeps the .cjs name the hosts and the package expect (a CommonJS child). */
const DB_WORKER_ENTRY = 'db-worker';

export default defineConfig({
  main: {
    build: {
      rollupOptions: {
        output: { entryFileNames: (chunk) => (chunk.name === DB_WORKER_ENTRY ? '[name].cjs' : '[name].js') },
        input: {
          index: resolve(__dirname, 'src/main/index.ts'),
          cli: resolve(__dirname, 'src/main/cli.ts'),
          // Log-probe and runbook parsing off the main loop (src/main/workers/off-thread.ts).
          'task-worker': resolve(__dirname, 'src/main/workers/task-worker.ts'),
          // A big log file's record index (src/main/services/logs/index-worker.ts hosts it).
          'log-index-worker': resolve(__dirname, 'src/main/services/logs/log-index-worker.ts'),
          // The aura.db reader process (src/main/services/database/worker-script.ts finds it).
          [DB_WORKER_ENTRY]: resolve(__dirname, 'src/main/services/database/db-worker.ts'),
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
