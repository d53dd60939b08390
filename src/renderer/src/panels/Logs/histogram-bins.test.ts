// The histogram axis keeps empty minutes as empty bins and merges long spans into wider bins.
import { describe, expect, it } from 'vitest';
import { MAX_BINS, binLabel, buildAxis } from './histogram-bins';

const at = (h: number, m: number) => new Date(2026, 11, 7, h, m, 0, 0).getTime();
const counts = (inf: number, wrn = 0, err = 0) => [0, 0, inf, wrn, err, 0, 0];

describe('buildAxis', () => {
  it('keeps minutes without records as empty bins on a continuous axis', () => {
    const a = buildAxis({
      buckets: [
        { t: at(15, 1), counts: counts(5) },
        { t: at(15, 4), counts: counts(1, 0, 2) },
      ],
    });
    expect(a?.binMinutes).toBe(1);
    expect(a?.bins.map((b) => binLabel(b.t, 1))).toEqual(['15:01', '15:02', '15:03', '15:04']);
    expect(a?.bins.map((b) => b.total)).toEqual([5, 0, 0, 3]);
    expect(a?.bins[3].counts[4]).toBe(2);
    expect(a?.max).toBe(5);
    expect(a?.ticks[0]).toEqual({ at: 0, label: '15:01' });
  });

  it('spreads 15:01, 20:15 and 20:19 over the hours between them, in wider bins', () => {
    const a = buildAxis({
      buckets: [
        { t: at(15, 1), counts: counts(3) },
        { t: at(20, 15), counts: counts(4) },
        { t: at(20, 19), counts: counts(0, 0, 6) },
      ],
    });
    expect(a).not.toBeNull();
    const axis = a as NonNullable<typeof a>;
    expect(axis.bins.length).toBeLessThanOrEqual(MAX_BINS);
    expect(axis.binMinutes).toBe(5);
    // 15:00 .. 20:15 in 5-minute bins: 64 bins, the three records in three of them.
    expect(axis.bins.length).toBe(64);
    expect(axis.bins.filter((b) => b.total > 0).map((b) => binLabel(b.t, 5))).toEqual(['15:00', '20:15']);
    expect(axis.bins[axis.bins.length - 1].counts[4]).toBe(6);
    expect(axis.bins.reduce((s, b) => s + b.total, 0)).toBe(13);
    // Bins are contiguous: each ends where the next starts.
    for (let i = 1; i < axis.bins.length; i++) expect(axis.bins[i].t).toBe(axis.bins[i - 1].end);
    expect(axis.ticks.length).toBeLessThanOrEqual(6);
  });

  it('has nothing to draw without buckets', () => {
    expect(buildAxis(null)).toBeNull();
    expect(buildAxis({ buckets: [] })).toBeNull();
  });
});
