// Test support for the sandbox suites and the suites that run on a live sandbox: one sandbox for a
// whole suite, polling a condition until it holds, and whether a local TCP port accepts connections.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll } from 'vitest';
import { startSandbox, type SandboxHandle, type StartSandboxOptions } from './server';

/**
 * One live sandbox for the suite that calls this: beforeAll makes a temp root (named from prefix) and
 * starts the sandbox in root/sandbox; afterAll stops it and removes the root. Read .sb and .root in
 * the tests (they are set once beforeAll has run).
 */
export function suiteSandbox(
  prefix: string,
  opts: StartSandboxOptions,
): { readonly root: string; readonly sb: SandboxHandle } {
  let root = '';
  let sb: SandboxHandle | undefined;
  beforeAll(async () => {
    root = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
    sb = await startSandbox(path.join(root, 'sandbox'), opts);
  });
  afterAll(async () => {
    await sb?.stop();
    if (root) fs.rmSync(root, { recursive: true, force: true });
  });
  return {
    get root() {
      return root;
    },
    get sb() {
      if (!sb) throw new Error('the suite sandbox is not started yet (use it inside a test)');
      return sb;
    },
  };
}

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
