// Compact record index of a log file: the byte offset of each record start (Float64, exact to
// 2^53) and its level (one byte), in fixed-size chunks so growth never copies: 9 bytes a record.
// A pane follows its files for a whole shift (four panes at 1,000 lines/s index 130 MB an hour),
// so only the newest chunks stay in memory: older full chunks go to a private spill file (opened
// and unlinked at once, so nothing is left behind) and come back through a small cache when a
// page, a filter or a seek reads them. Memory per index stays under a few MB however long it runs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

/** Records per chunk: 64 Ki records = 512 KiB of offsets, small enough to grow in steps. */
const CHUNK = 1 << 16;
/** Bytes one chunk takes in the spill file: its offsets, then its levels. */
const CHUNK_BYTES = CHUNK * 9;
/** Full chunks kept in memory besides the one being filled (the newest records are read most). */
const RESIDENT_FULL_CHUNKS = 2;
/** Spilled chunks kept in memory after a read (least recently used goes first). */
const CACHED_CHUNKS = 3;

interface Chunk {
  offsets: Float64Array;
  levels: Uint8Array;
}

/** Closes a spill file's descriptor when its index is collected without close(). */
const closeOnCollect = new FinalizationRegistry<number>((fd) => {
  try {
    fs.closeSync(fd);
  } catch {
    // already closed
  }
});

export interface RecordIndexOptions {
  /** Folder for the spill file (default: the system temp folder); null keeps every chunk in memory. */
  spillDir?: string | null;
}

export class RecordIndex {
  /** Chunks in memory by chunk number; a spilled chunk's slot is null. */
  private chunks: (Chunk | null)[] = [];
  private n = 0;
  private fd: number | null = null;
  /** Set when the spill file could not be made or written: everything stays in memory. */
  private noSpill: boolean;
  private readonly spillDir: string;
  /** Chunks read back from the spill file, oldest use first. */
  private readonly cache = new Map<number, Chunk>();
  /** Chunks in the spill file. */
  private spilled = 0;
  private closed = false;

  constructor(opts: RecordIndexOptions = {}) {
    this.noSpill = opts.spillDir === null;
    this.spillDir = opts.spillDir ?? os.tmpdir();
  }

  get count(): number {
    return this.n;
  }

  /** Bytes of the index held in memory (chunks being filled, resident and cached). */
  get bytes(): number {
    let held = this.cache.size;
    for (const c of this.chunks) if (c) held++;
    return held * CHUNK_BYTES;
  }

  /** Bytes of the index in its spill file. */
  get spilledBytes(): number {
    return this.spilled * CHUNK_BYTES;
  }

  append(offset: number, level: number): void {
    const c = this.n >>> 16;
    if (c === this.chunks.length) {
      this.chunks.push({ offsets: new Float64Array(CHUNK), levels: new Uint8Array(CHUNK) });
      this.spillOld();
    }
    const i = this.n & (CHUNK - 1);
    const chunk = this.chunks[c] as Chunk;
    chunk.offsets[i] = offset;
    chunk.levels[i] = level;
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
      this.chunks.push({ offsets: offsets.subarray(k, k + CHUNK), levels: levels.subarray(k, k + CHUNK) });
      this.n += CHUNK;
      k += CHUNK;
      this.spillOld();
    }
    for (; k < count; k++) this.append(offsets[k], levels[k]);
    // A resident chunk taken over from a batch keeps the batch's whole buffer alive: copy it.
    for (const [c, chunk] of this.chunks.entries()) {
      if (chunk && chunk.offsets.buffer.byteLength > CHUNK * 8)
        this.chunks[c] = { offsets: chunk.offsets.slice(), levels: chunk.levels.slice() };
    }
  }

  offset(i: number): number {
    return this.chunk(i >>> 16).offsets[i & (CHUNK - 1)];
  }

  level(i: number): number {
    return this.chunk(i >>> 16).levels[i & (CHUNK - 1)];
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

  /** Lets the spill file go (the index must not be read after this). */
  close(): void {
    this.closed = true;
    if (this.fd !== null) {
      closeOnCollect.unregister(this);
      fs.closeSync(this.fd);
      this.fd = null;
    }
    this.chunks = [];
    this.cache.clear();
  }

  private chunk(c: number): Chunk {
    const held = this.chunks[c];
    if (held) return held;
    if (this.closed) throw new Error('This log index was closed with its pane.');
    const cached = this.cache.get(c);
    if (cached) {
      this.cache.delete(c);
      this.cache.set(c, cached);
      return cached;
    }
    const back = this.readBack(c);
    this.cache.set(c, back);
    if (this.cache.size > CACHED_CHUNKS) this.cache.delete(this.cache.keys().next().value as number);
    return back;
  }

  /** Moves full chunks beyond the resident ones to the spill file (oldest first). */
  private spillOld(): void {
    if (this.noSpill) return;
    // The last chunk is the one being filled; the RESIDENT_FULL_CHUNKS before it stay.
    const keepFrom = this.chunks.length - 1 - RESIDENT_FULL_CHUNKS;
    for (let c = this.spilled; c < keepFrom; c++) {
      const chunk = this.chunks[c];
      if (!chunk) continue;
      if (!this.write(c, chunk)) return;
      this.chunks[c] = null;
      this.spilled = c + 1;
    }
  }

  private write(c: number, chunk: Chunk): boolean {
    try {
      if (this.fd === null) {
        const file = path.join(
          this.spillDir,
          `aura-ops-index-${process.pid}-${Math.random().toString(36).slice(2)}`,
        );
        const fd = fs.openSync(file, fs.constants.O_RDWR | fs.constants.O_CREAT | fs.constants.O_EXCL, 0o600);
        fs.unlinkSync(file);
        this.fd = fd;
        closeOnCollect.register(this, fd, this);
      }
      const at = c * CHUNK_BYTES;
      writeAll(this.fd, bytesOf(chunk.offsets), at);
      writeAll(this.fd, bytesOf(chunk.levels), at + CHUNK * 8);
      return true;
    } catch {
      // A full or read-only temp folder: keep the index in memory rather than lose records.
      this.noSpill = true;
      return false;
    }
  }

  private readBack(c: number): Chunk {
    const chunk = { offsets: new Float64Array(CHUNK), levels: new Uint8Array(CHUNK) };
    const at = c * CHUNK_BYTES;
    readAll(this.fd as number, bytesOf(chunk.offsets), at);
    readAll(this.fd as number, bytesOf(chunk.levels), at + CHUNK * 8);
    return chunk;
  }
}

function bytesOf(a: Float64Array | Uint8Array): Buffer {
  return Buffer.from(a.buffer, a.byteOffset, a.byteLength);
}

function writeAll(fd: number, b: Buffer, at: number): void {
  for (let done = 0; done < b.length;) done += fs.writeSync(fd, b, done, b.length - done, at + done);
}

function readAll(fd: number, b: Buffer, at: number): void {
  for (let done = 0; done < b.length;) {
    const got = fs.readSync(fd, b, done, b.length - done, at + done);
    if (got === 0) throw new Error(`the log index's spill file ended at ${at + done} bytes`);
    done += got;
  }
}
