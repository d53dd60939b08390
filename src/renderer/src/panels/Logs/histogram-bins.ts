// The histogram strip's time axis: per-minute counts from logs:histogram laid on a continuous
// axis (a minute without records is an empty bin, never dropped), merged into wider bins when the
// span is long, with tick labels at round times.
import type { HistogramResult } from '../../../../shared/contract/logs';

/** Most bins drawn: at ~4 px a bin the strip still reads on a narrow side-by-side pane. */
export const MAX_BINS = 120;
/** Bin widths in minutes, smallest first; the first that fits the span in MAX_BINS is used. */
const BIN_MINUTES = [1, 2, 5, 10, 15, 30, 60, 120, 180, 360, 720, 1440, 2880, 10080];
/** Tick labels on the axis at most (they are ~5 characters wide). */
const MAX_TICKS = 6;
const MINUTE = 60_000;

export interface Bin {
  /** Start of the bin, epoch ms. */
  t: number;
  /** End of the bin (exclusive), epoch ms. */
  end: number;
  /** Counts per level VRB..FTL, then no-level. */
  counts: number[];
  total: number;
}

export interface Axis {
  bins: Bin[];
  binMinutes: number;
  max: number;
  /** Bin index and its label (local HH:MM, or the day when bins are a day or more). */
  ticks: Array<{ at: number; label: string }>;
}

const pad = (n: number) => String(n).padStart(2, '0');

/** Local-time floor of `t` to a multiple of `minutes` (days start at local midnight). */
function floorTo(t: number, minutes: number): number {
  const d = new Date(t);
  if (minutes >= 1440) {
    d.setHours(0, 0, 0, 0);
    return d.getTime();
  }
  const m = d.getHours() * 60 + d.getMinutes();
  d.setHours(0, m - (m % minutes), 0, 0);
  return d.getTime();
}

export function binLabel(t: number, binMinutes: number): string {
  const d = new Date(t);
  if (binMinutes >= 1440) return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
  return `${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function buildAxis(data: HistogramResult | null): Axis | null {
  if (!data || data.buckets.length === 0) return null;
  const times = data.buckets.map((b) => b.t);
  const lo = Math.min(...times);
  const hi = Math.max(...times);
  const spanMinutes = Math.floor((hi - lo) / MINUTE) + 1;
  const binMinutes =
    BIN_MINUTES.find((w) => Math.ceil(spanMinutes / w) + 1 <= MAX_BINS) ??
    BIN_MINUTES[BIN_MINUTES.length - 1];
  const width = binMinutes * MINUTE;
  const levels = data.buckets[0].counts.length;
  // Bins by start time: a clock change (DST) can make one local bin longer or shorter, so each
  // bin's end is the next bin's start.
  const starts: number[] = [];
  for (let t = floorTo(lo, binMinutes); t <= hi;) {
    starts.push(t);
    const next = floorTo(t + width + (binMinutes >= 1440 ? 3 * 3600_000 : 0), binMinutes);
    t = next > t ? next : t + width;
  }
  const bins: Bin[] = starts.map((t, i) => ({
    t,
    end: i + 1 < starts.length ? starts[i + 1] : t + width,
    counts: new Array<number>(levels).fill(0),
    total: 0,
  }));
  let k = 0;
  for (const b of [...data.buckets].sort((x, y) => x.t - y.t)) {
    while (k + 1 < bins.length && bins[k].end <= b.t) k++;
    b.counts.forEach((c, l) => (bins[k].counts[l] += c));
    bins[k].total += b.counts.reduce((a, c) => a + c, 0);
  }
  const max = Math.max(1, ...bins.map((b) => b.total));
  const every = Math.max(1, Math.ceil(bins.length / MAX_TICKS));
  const ticks: Axis['ticks'] = [];
  for (let i = 0; i < bins.length; i += every) ticks.push({ at: i, label: binLabel(bins[i].t, binMinutes) });
  return { bins, binMinutes, max, ticks };
}
