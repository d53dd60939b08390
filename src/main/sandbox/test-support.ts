// Test support for the sandbox suites: polling a condition until it holds, and whether a local
// TCP port accepts connections.
import net from 'node:net';

/** Polls fn every stepMs until ok(value) or ms pass; returns the last value (the caller asserts on it). */
export async function until<T>(
  fn: () => T | Promise<T>,
  ok: (v: T) => boolean,
  ms = 8000,
  stepMs = 100,
): Promise<T> {
  const end = Date.now() + ms;
  let v = await fn();
  while (!ok(v) && Date.now() < end) {
    await new Promise((r) => setTimeout(r, stepMs));
    v = await fn();
  }
  return v;
}

export const portOpen = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1', () => {
      s.destroy();
      resolve(true);
    });
    s.on('error', () => resolve(false));
  });
