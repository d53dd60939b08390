// Vitest setup: unit and integration tests live next to the code (src/**/*.test.ts);
// end-to-end tests in tests/e2e drive the built renderer in the system Chromium.
import os from 'node:os';
import { defineConfig } from 'vitest/config';

/**
 * Test files run at once: one per core, and never fewer than two. Vitest's own default (cores - 1)
 * runs a two-core CI machine one file at a time, though most files spend much of their time waiting
 * on real processes (the sandbox, Chromium, shells, redis-server, sqlite3) rather than on the CPU.
 */
const MAX_WORKERS = Math.max(2, os.availableParallelism());

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
    maxWorkers: MAX_WORKERS,
  },
});
