// The shared clock: pinned instants are read back exactly, a running pin advances with real time,
// a frozen one does not, restore brings the system clock back, and hostile pins are refused.
import { afterEach, describe, expect, it } from 'vitest';
import { isPinned, now, nowMs, pinClock } from './clock';

let restore: (() => void) | null = null;
afterEach(() => {
  restore?.();
  restore = null;
});

async function waitUntil(cond: () => boolean, deadlineMs = 5000): Promise<void> {
  const end = Date.now() + deadlineMs;
  while (!cond()) {
    if (Date.now() > end) throw new Error('condition not met before the deadline');
    await new Promise((r) => setTimeout(r, 5));
  }
}

describe('clock', () => {
  it('reads the system clock when nothing is pinned', () => {
    const before = Date.now();
    const t = nowMs();
    expect(t).toBeGreaterThanOrEqual(before);
    expect(t).toBeLessThanOrEqual(Date.now());
    expect(isPinned()).toBe(false);
  });

  it('starts a running pin at the instant and lets it run on', async () => {
    restore = pinClock('2026-12-06T23:59:40Z');
    const first = nowMs();
    expect(first - Date.parse('2026-12-06T23:59:40Z')).toBeLessThan(1000);
    expect(now().toISOString().slice(0, 16)).toBe('2026-12-06T23:59');
    const realStart = Date.now();
    await waitUntil(() => Date.now() - realStart >= 20);
    expect(nowMs()).toBeGreaterThan(first);
  });

  it('keeps a frozen pin still, and restore returns to the system clock', async () => {
    restore = pinClock(Date.UTC(2026, 2, 8, 7, 59, 30), 'frozen');
    const realStart = Date.now();
    await waitUntil(() => Date.now() - realStart >= 20);
    expect(now().toISOString()).toBe('2026-03-08T07:59:30.000Z');
    restore();
    restore = null;
    expect(Math.abs(nowMs() - Date.now())).toBeLessThan(1000);
    expect(isPinned()).toBe(false);
  });

  it('an old restore does not undo a newer pin', () => {
    const first = pinClock(0, 'frozen');
    restore = pinClock(1000, 'frozen');
    first();
    expect(nowMs()).toBe(1000);
  });

  it.each(['2026-12-06 23:59:40', '2026-12-06T23:59:40', 'tomorrow', '', '2026-13-45T99:99:99Z'])(
    'refuses %j',
    (bad) => {
      expect(() => pinClock(bad)).toThrow(/pinClock/);
      expect(isPinned()).toBe(false);
    },
  );

  it('refuses NaN and Infinity', () => {
    expect(() => pinClock(Number.NaN)).toThrow(/not a time/);
    expect(() => pinClock(new Date('x'))).toThrow(/not a time/);
    expect(() => pinClock(Number.POSITIVE_INFINITY)).toThrow(/not a time/);
  });
});
