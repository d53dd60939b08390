// A log pane's live batches: paused counts, unfiltered places by position, filtered refreshes the
// view's tail at most every FILTERED_REFRESH_MS, and an answer for a view the pane has left (the
// filter changed while the request was out) is dropped, as the pane's other fetches do.
import { describe, expect, it } from 'vitest';
import type { PageResult } from '../../../../shared/contract/logs';
import { FILTERED_REFRESH_MS, LiveBatchHandler, type LiveBatchDeps } from './live-batches';
import { rec } from './test-records';

function page(from: number, n: number, total: number): PageResult {
  return {
    records: Array.from({ length: n }, (_, k) => rec(from + k)),
    from,
    total,
    unfilteredTotal: total * 3,
  };
}

/** A controllable world: a hand-driven clock and timer queue, and answers resolved by the test. */
function harness(over: Partial<LiveBatchDeps> = {}) {
  let now = 10_000;
  let key = 'view-A';
  let paused = false;
  const timers: Array<{ at: number; fn: () => void; id: number }> = [];
  let nextId = 1;
  const pending: Array<{ resolve: (p: PageResult) => void; reject: (e: unknown) => void }> = [];
  const seen = {
    counted: 0,
    live: [] as number[],
    tails: [] as PageResult[],
    errors: [] as unknown[],
    fetches: 0,
  };
  const deps: LiveBatchDeps = {
    paneId: 'p1',
    filtered: true,
    isPaused: () => paused,
    currentKey: () => key,
    fetchTail: () => {
      seen.fetches++;
      return new Promise((resolve, reject) => pending.push({ resolve, reject }));
    },
    countNew: (n) => (seen.counted += n),
    placeLive: (records) => seen.live.push(...records.map((r) => r.index)),
    placeTail: (p) => seen.tails.push(p),
    onError: (e) => seen.errors.push(e),
    now: () => now,
    schedule: (fn, ms) => {
      const id = nextId++;
      timers.push({ at: now + ms, fn, id });
      return id;
    },
    cancel: (h) => {
      const i = timers.findIndex((t) => t.id === h);
      if (i >= 0) timers.splice(i, 1);
    },
    ...over,
  };
  const h = new LiveBatchHandler(deps);
  return {
    h,
    seen,
    pending,
    timers,
    setKey: (k: string) => (key = k),
    setPaused: (p: boolean) => (paused = p),
    /** Move the clock on and run the timers that fall due. */
    advance: (ms: number) => {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

const flush = () => new Promise<void>((r) => setImmediate(r));
const batch = (first: number, n: number, total: number, paneId = 'p1') => ({
  paneId,
  records: Array.from({ length: n }, (_, k) => rec(first + k)),
  total,
});

describe('LiveBatchHandler', () => {
  it('ignores another pane’s batches', () => {
    const w = harness({ filtered: false });
    w.h.onBatch(batch(0, 3, 3, 'p2'));
    expect(w.seen.live).toEqual([]);
  });

  it('counts records while paused and places none', () => {
    const w = harness({ filtered: false });
    w.setPaused(true);
    w.h.onBatch(batch(0, 3, 3));
    w.h.onBatch(batch(3, 2, 5));
    expect(w.seen.counted).toBe(5);
    expect(w.seen.live).toEqual([]);
  });

  it('places an unfiltered batch by its own positions, without asking the server', () => {
    const w = harness({ filtered: false });
    w.h.onBatch(batch(7, 3, 10));
    expect(w.seen.live).toEqual([7, 8, 9]);
    expect(w.seen.fetches).toBe(0);
  });

  it('refreshes a filtered view’s tail at most every FILTERED_REFRESH_MS', async () => {
    const w = harness();
    w.h.onBatch(batch(0, 1, 1));
    w.advance(0);
    expect(w.seen.fetches).toBe(1);
    w.pending[0].resolve(page(0, 4, 4));
    await flush();
    expect(w.seen.tails).toHaveLength(1);
    // Three more batches inside the gap: one refresh, when the gap has passed.
    w.h.onBatch(batch(1, 1, 2));
    w.h.onBatch(batch(2, 1, 3));
    w.h.onBatch(batch(3, 1, 4));
    w.advance(FILTERED_REFRESH_MS - 1);
    expect(w.seen.fetches).toBe(1);
    w.advance(1);
    expect(w.seen.fetches).toBe(2);
  });

  it('drops a refresh answer when the view changed while it was on its way', async () => {
    const w = harness();
    w.h.onBatch(batch(0, 1, 1));
    w.advance(0);
    expect(w.seen.fetches).toBe(1);
    w.setKey('view-B'); // the operator applied another filter meanwhile
    w.pending[0].resolve(page(0, 200, 5000));
    await flush();
    expect(w.seen.tails).toEqual([]);
  });

  it('places the answer when the view is the same one, even after a change and back', async () => {
    const w = harness();
    w.h.onBatch(batch(0, 1, 1));
    w.advance(0);
    w.setKey('view-B');
    w.setKey('view-A');
    w.pending[0].resolve(page(10, 2, 12));
    await flush();
    expect(w.seen.tails.map((p) => p.from)).toEqual([10]);
  });

  it('drops an answer that arrives after dispose and cancels a refresh not yet sent', async () => {
    const w = harness();
    w.h.onBatch(batch(0, 1, 1));
    w.advance(0);
    w.h.dispose();
    w.pending[0].resolve(page(0, 1, 1));
    await flush();
    expect(w.seen.tails).toEqual([]);

    const v = harness();
    v.h.onBatch(batch(0, 1, 1));
    v.h.dispose();
    expect(v.timers).toEqual([]);
    v.advance(FILTERED_REFRESH_MS);
    expect(v.seen.fetches).toBe(0);
    v.h.onBatch(batch(1, 1, 2));
    expect(v.timers).toEqual([]);
  });

  it('says why a refresh failed', async () => {
    const w = harness();
    w.h.onBatch(batch(0, 1, 1));
    w.advance(0);
    w.pending[0].reject(new Error('pane closed'));
    await flush();
    expect(w.seen.errors.map(String)).toEqual(['Error: pane closed']);
    expect(w.seen.tails).toEqual([]);
  });
});
