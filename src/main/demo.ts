// The built-in default: when no Aura install is attached, the console creates (once) a sandbox Aura
// in its own data dir, runs it, and attaches to it as "Demo install". It ends with the console.
import path from 'node:path';
import type { Runtime } from './runtime';
import { createSandbox, isSandbox, startSandbox, type SandboxHandle } from './sandbox';

/** Days of generated log history for the demo: enough for the log panes and the histogram. */
const DEMO_DAYS = 7;

export type DemoMode = 'auto' | 'on' | 'off';

export function demoDir(runtime: Runtime): string {
  return path.join(runtime.dataDir, 'demo');
}

/**
 * Starts the demo install when `mode` is 'on', or 'auto' and nothing is attached. Returns the
 * running sandbox, or null when the console is attached to a real install.
 */
export async function startDemoIfNeeded(runtime: Runtime, mode: DemoMode): Promise<SandboxHandle | null> {
  if (mode === 'off') return null;
  if (mode === 'auto' && runtime.install.current() && runtime.install.current()!.kind !== 'sandbox')
    return null;
  const dir = demoDir(runtime);
  if (!isSandbox(dir)) createSandbox(dir, { days: DEMO_DAYS });
  const handle = await startSandbox(dir, { port: 0 });
  runtime.setSandbox(handle);
  runtime.install.setSandboxRoot(dir, mode === 'on' || !runtime.install.current());
  runtime.ctx.onDispose(async () => {
    runtime.setSandbox(null);
    await handle.stop();
  });
  return handle;
}
