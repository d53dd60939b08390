// One served console and one browser per describe block, for the end-to-end tests (vitest only;
// benches use harness.ts directly).
import { afterAll, beforeAll } from 'vitest';
import { openBrowser, startServe, type Browser, type ServeOpts, type ServeProc } from './harness';

export interface ConsoleUnderTest {
  serve: ServeProc;
  browser: Browser;
  /** Stop the console and start it again with the same options (same data dir and HOME). */
  restart(): Promise<void>;
}

/**
 * A served console and a browser for one describe block: started in beforeAll, ended in
 * afterAll. Options may be a function when they depend on files made in the block.
 */
export function useConsole(opts: ServeOpts | (() => ServeOpts) = {}): ConsoleUnderTest {
  let resolved: ServeOpts = {};
  const c = {
    restart: async () => {
      await c.serve.stop();
      c.serve = await startServe({ ...resolved, dataDir: c.serve.dataDir, home: c.serve.home });
    },
  } as ConsoleUnderTest;
  beforeAll(async () => {
    resolved = typeof opts === 'function' ? opts() : opts;
    c.serve = await startServe(resolved);
    c.browser = await openBrowser();
  });
  afterAll(async () => {
    await c.browser?.close();
    await c.serve?.stop();
  });
  return c;
}
