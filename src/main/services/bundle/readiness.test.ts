// What waits for an opened bundle: with every file verified, a request that records the bundle
// (a walk-through) still waits for the zip's sha256, which names it; the console's own requests
// and the panes do not.
import { describe, expect, it } from 'vitest';
import type { BundleVerifyStatus } from '../../../shared/contract/install';
import type { OpenedBundle } from './open';
import { bundleReadiness } from './readiness';

/** An opened bundle with every file verified, its zip still being hashed until `hashed()`. */
function verifiedBundle(): { b: OpenedBundle; hashed: (sha: string) => void } {
  let hashed: (sha: string) => void = () => undefined;
  const zipSha256 = new Promise<string>((r) => (hashed = r));
  const status: BundleVerifyStatus = {
    state: 'verified',
    verifiedFiles: 3,
    totalFiles: 3,
    verifiedBytes: 10,
    totalBytes: 10,
    current: null,
    error: null,
  };
  const origin = { sha256: null as string | null };
  const b = {
    dir: '/nowhere',
    manifest: { files: {} },
    origin,
    zipSha256,
    previewable: () => false,
    files: { status: () => status, ready: () => Promise.resolve(), all: () => Promise.resolve() },
  } as unknown as OpenedBundle;
  zipSha256.then((s) => (origin.sha256 = s));
  return { b, hashed };
}

/** 'waiting' while the readiness of `channel` has not resolved after the queue drained. */
async function state(p: Promise<void>): Promise<'ready' | 'waiting'> {
  let done = false;
  void p.then(() => (done = true));
  for (let i = 0; i < 10; i++) await Promise.resolve();
  await new Promise((r) => setImmediate(r));
  return done ? 'ready' : 'waiting';
}

describe('bundleReadiness', () => {
  it('holds a walk-through until the zip sha256 is known, and lets the console and the panes go', async () => {
    const { b, hashed } = verifiedBundle();
    const start = bundleReadiness('walkthrough:start', { kind: 'incident', title: 'x' }, b);
    expect(await state(start)).toBe('waiting');
    expect(await state(bundleReadiness('install:list', {}, b))).toBe('ready');
    expect(await state(bundleReadiness('logs:page', { paneId: 'p', fromLine: 0, count: 1 }, b))).toBe(
      'ready',
    );
    hashed('ab'.repeat(32));
    expect(await state(start)).toBe('ready');
    // Once known, nothing waits any more.
    expect(await state(bundleReadiness('walkthrough:start', {}, b))).toBe('ready');
  });
});
