// log-flood's writer under a starved event loop: after a long gap between ticks it writes two
// ticks' worth, not the whole debt, so the API beside it keeps answering.
import { afterEach, describe, expect, it } from 'vitest';
import { pinClock } from '../../shared/clock';
import type { AuraProcess } from './aura-process';
import { FLOOD_LINES_PER_SECOND, startFlood } from './traffic';

let unpin: (() => void) | null = null;
let timer: NodeJS.Timeout | null = null;
afterEach(() => {
  if (timer) clearInterval(timer);
  unpin?.();
});

/** A stand-in process that records the size of each batch the flood writes. */
function recordingProcess(batches: number[]): AuraProcess {
  const model = { plain: () => ({}), hex: () => '0123abcd' };
  return { model, write: (b: unknown[]) => batches.push(b.length) } as unknown as AuraProcess;
}

async function nextBatch(batches: number[], after: number): Promise<number> {
  const deadline = Date.now() + 5000;
  while (batches.length <= after) {
    if (Date.now() > deadline) throw new Error('the flood wrote nothing within 5 s');
    await new Promise((r) => setTimeout(r, 10));
  }
  return batches[after];
}

describe('log-flood writer', () => {
  it('writes what is owed on time, and at most two ticks of it after a 5 s stall', async () => {
    const t0 = Date.parse('2026-12-07T20:00:00Z');
    unpin = pinClock(t0, 'frozen');
    const batches: number[] = [];
    timer = startFlood(recordingProcess(batches));
    // 100 ms on: a tick owes two ticks' worth (7,500 lines/s at 20 ticks a second).
    unpin = pinClock(t0 + 100, 'frozen');
    expect(await nextBatch(batches, 0)).toBe(FLOOD_LINES_PER_SECOND / 10);
    // The loop was starved for 5 s: the next tick writes two ticks' worth, not 37,500 lines.
    unpin = pinClock(t0 + 5100, 'frozen');
    const after = await nextBatch(batches, batches.length);
    expect(after).toBe(Math.ceil((2 * FLOOD_LINES_PER_SECOND) / 20));
    // And the debt is forgotten: 50 ms later it owes one tick, as on a machine that kept up.
    const n = batches.length;
    unpin = pinClock(t0 + 5150, 'frozen');
    expect(await nextBatch(batches, n)).toBe(FLOOD_LINES_PER_SECOND / 20);
  });
});
