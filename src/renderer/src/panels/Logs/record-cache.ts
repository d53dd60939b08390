// The log pane's record cache: rows fetched or pushed live, keyed by view position. Bounded: past
// its capacity it drops the rows farthest from where the operator looks, so a flood followed
// for hours holds the same memory as a quiet log.
import type { IndexedRecord } from '../../../../shared/contract/logs';

/** Rows kept at most: 20 pages of 200, many screens either side of the viewport. */
export const CACHE_MAX_ROWS = 4000;
/** Rows kept after an eviction: the gap to the maximum makes evictions rare (amortised cost). */
export const CACHE_KEEP_ROWS = 3000;

export class RecordCache {
  private rows = new Map<number, IndexedRecord>();
  /** The view position the operator looks at (the viewport's first row). */
  private focus = 0;

  constructor(
    private readonly max = CACHE_MAX_ROWS,
    private readonly keep = CACHE_KEEP_ROWS,
  ) {
    if (!(keep > 0 && keep <= max)) throw new Error(`RecordCache: keep (${keep}) must be in 1..max (${max})`);
  }

  get size(): number {
    return this.rows.size;
  }

  get(i: number): IndexedRecord | undefined {
    return this.rows.get(i);
  }

  has(i: number): boolean {
    return this.rows.has(i);
  }

  clear(): void {
    this.rows.clear();
  }

  /** Where the operator looks now; rows near it survive an eviction. */
  setFocus(i: number): void {
    this.focus = i;
  }

  /**
   * Renumbers every row `by` positions later, as when the background index prepends `by` older
   * records to the view: the rows on screen stay in the cache instead of being fetched again.
   */
  shift(by: number): void {
    if (by === 0) return;
    const moved = new Map<number, IndexedRecord>();
    for (const [i, r] of this.rows) moved.set(i + by, { ...r, index: r.index + by });
    this.rows = moved;
    this.focus += by;
  }

  set(i: number, r: IndexedRecord): void {
    this.rows.set(i, r);
    if (this.rows.size > this.max) this.evict();
  }

  private evict(): void {
    const f = this.focus;
    const byDistance = [...this.rows.keys()].sort((a, b) => Math.abs(a - f) - Math.abs(b - f));
    for (let k = this.keep; k < byDistance.length; k++) this.rows.delete(byDistance[k]);
  }
}
