import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { QuietGate } from './quiet-gate';

describe('QuietGate: background work waits for the first paint', () => {
  beforeEach(() => {
    vi.useFakeTimers();
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('stays shut until started, however long the open takes', async () => {
    const g = new QuietGate(100, 1_000);
    g.touch();
    await vi.advanceTimersByTimeAsync(5_000);
    expect(g.isOpened).toBe(false);
    g.start();
    await vi.advanceTimersByTimeAsync(99);
    expect(g.isOpened).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(g.isOpened).toBe(true);
    await expect(g.opened).resolves.toBeUndefined();
    expect(g.cancelled).toBe(false);
  });

  it('opens once requests stop for the quiet time', async () => {
    const g = new QuietGate(100, 1_000);
    g.start();
    for (let i = 0; i < 5; i++) {
      await vi.advanceTimersByTimeAsync(60);
      g.touch();
    }
    // 300 ms after the start, 0 ms after the last request.
    expect(g.isOpened).toBe(false);
    await vi.advanceTimersByTimeAsync(99);
    expect(g.isOpened).toBe(false);
    await vi.advanceTimersByTimeAsync(1);
    expect(g.isOpened).toBe(true);
  });

  it('opens at the limit while requests never stop', async () => {
    const g = new QuietGate(100, 1_000);
    g.start();
    for (let t = 0; t < 990; t += 30) {
      await vi.advanceTimersByTimeAsync(30);
      g.touch();
    }
    expect(g.isOpened).toBe(false);
    await vi.advanceTimersByTimeAsync(10);
    expect(g.isOpened).toBe(true);
    expect(g.cancelled).toBe(false);
  });

  it('a cancelled gate opens at once and says so; later calls change nothing', async () => {
    const g = new QuietGate(100, 1_000);
    g.cancel();
    await expect(g.opened).resolves.toBeUndefined();
    expect(g.cancelled).toBe(true);
    g.start();
    g.touch();
    expect(vi.getTimerCount()).toBe(0);
  });
});
