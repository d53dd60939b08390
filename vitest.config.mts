// Vitest setup: unit and integration tests live next to the code (src/**/*.test.ts);
// end-to-end tests in tests/e2e drive the built renderer in the system Chromium.
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'tests/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    pool: 'forks',
  },
});
