// Test support for the suites that drive the whole console over its API: a Runtime as
// `aura-ops serve` makes it, with no bundled runbooks folder and no terminal CLI.
import { Runtime, type RuntimeOptions } from './runtime';

/** A serve-host Runtime with an empty environment, no bundled runbooks and no terminal CLI; opts add or override. */
export function serveRuntime(opts: Omit<RuntimeOptions, 'host'>): Runtime {
  return new Runtime({ host: 'serve', env: {}, runbooksDir: null, cli: null, ...opts });
}
