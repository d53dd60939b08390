// Compact record index of a log file: the byte offset of each record start (Float64, exact to
// 2^53) and its level (one byte), in fixed-size chunks so growth never copies: 9 bytes a record.

/** Records per chunk: 64 Ki records = 512 KiB of offsets, small enough to grow in steps. */
const CHUNK = 1 << 16;

export class RecordIndex {
  private offsets: Float64Array[] = [];
  private levels: Uint8Array[] = [];
  private n = 0;

  get count(): number {
    return this.n;
  }

  /** Bytes held by the index (allocated chunks). */
  get bytes(): number {
    return this.offsets.length * CHUNK * 9;
  }

  append(offset: number, level: number): void {
    const c = this.n >>> 16;
    if (c === this.offsets.length) {
      this.offsets.push(new Float64Array(CHUNK));
      this.levels.push(new Uint8Array(CHUNK));
    }
    const i = this.n & (CHUNK - 1);
    this.offsets[c][i] = offset;
    this.levels[c][i] = level;
    this.n++;
  }

  /** Append many (from a worker chunk). */
  appendMany(offsets: Float64Array, levels: Uint8Array, count = offsets.length): void {
    for (let i = 0; i < count; i++) this.append(offsets[i], levels[i]);
  }

  /**
   * Append a worker's batch, taking over its buffers (no copy) in whole chunks while the index
   * is chunk-aligned; the rest is copied. The caller must not reuse the arrays.
   */
  adoptMany(offsets: Float64Array, levels: Uint8Array, count = offsets.length): void {
    let k = 0;
    while ((this.n & (CHUNK - 1)) === 0 && count - k >= CHUNK) {
      this.offsets.push(offsets.subarray(k, k + CHUNK));
      this.levels.push(levels.subarray(k, k + CHUNK));
      this.n += CHUNK;
      k += CHUNK;
    }
    for (; k < count; k++) this.append(offsets[k], levels[k]);
  }

  offset(i: number): number {
    return this.offsets[i >>> 16][i & (CHUNK - 1)];
  }

  level(i: number): number {
    return this.levels[i >>> 16][i & (CHUNK - 1)];
  }

  /** Index of the last record starting at or before `offset` within [lo, hi), or lo - 1. */
  findByOffset(offset: number, lo = 0, hi = this.n): number {
    let a = lo;
    let b = hi - 1;
    let ans = lo - 1;
    while (a <= b) {
      const m = (a + b) >>> 1;
      if (this.offset(m) <= offset) {
        ans = m;
        a = m + 1;
      } else b = m - 1;
    }
    return ans;
  }
}
