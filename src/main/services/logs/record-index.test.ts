// The record index keeps its newest chunks in memory and the rest in an unlinked spill file: every
// record reads back the same, memory stays bounded, nothing is left on disk, and a temp folder
// that cannot be written keeps everything in memory instead of losing records.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { RecordIndex } from './record-index';

const CHUNK = 1 << 16;
const CHUNK_BYTES = CHUNK * 9;
const dirs: string[] = [];
const indexes: RecordIndex[] = [];
afterEach(() => {
  for (const i of indexes.splice(0)) i.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function spillDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'record-index-'));
  dirs.push(d);
  return d;
}
function make(opts: ConstructorParameters<typeof RecordIndex>[0]): RecordIndex {
  const i = new RecordIndex(opts);
  indexes.push(i);
  return i;
}
/** Record k's offset and level in these tests: offsets grow by a varying step, levels cycle. */
const offsetOf = (k: number) => k * 173 + (k % 7) * 3;
const levelOf = (k: number) => k % 6;

function expectAll(idx: RecordIndex, n: number): void {
  expect(idx.count).toBe(n);
  // Every chunk boundary, and a spread in between, read in an order that defeats the cache.
  const ks: number[] = [];
  for (let c = 0; c * CHUNK < n; c++) ks.push(c * CHUNK, Math.min(n - 1, c * CHUNK + CHUNK - 1));
  for (let k = 0; k < n; k += 997) ks.push(k);
  ks.sort((a, b) => (a % 5) - (b % 5) || b - a);
  for (const k of ks) {
    expect(idx.offset(k)).toBe(offsetOf(k));
    expect(idx.level(k)).toBe(levelOf(k));
  }
}

describe('record index', () => {
  const N = 6 * CHUNK + 1234;

  it('spills older chunks, reads every record back, holds a few chunks, leaves no file', () => {
    const dir = spillDir();
    const idx = make({ spillDir: dir });
    for (let k = 0; k < N; k++) idx.append(offsetOf(k), levelOf(k));
    expect(idx.spilledBytes).toBe(4 * CHUNK_BYTES);
    expectAll(idx, N);
    // The chunk being filled, two resident full chunks and three read back at most.
    expect(idx.bytes).toBeLessThanOrEqual(6 * CHUNK_BYTES);
    expect(idx.findByOffset(offsetOf(CHUNK + 5))).toBe(CHUNK + 5);
    expect(idx.findByOffset(offsetOf(3 * CHUNK) - 1)).toBe(3 * CHUNK - 1);
    expect(idx.findByOffset(-1)).toBe(-1);
    // The spill file was unlinked as soon as it was opened.
    expect(fs.readdirSync(dir)).toEqual([]);
  });

  it("takes over a worker's batches, and does not keep a batch's buffer alive for two chunks", () => {
    const idx = make({ spillDir: spillDir() });
    const batch = 4 * CHUNK;
    for (let from = 0; from < N; from += batch) {
      const count = Math.min(batch, N - from);
      const offs = new Float64Array(batch);
      const lvls = new Uint8Array(batch);
      for (let j = 0; j < count; j++) {
        offs[j] = offsetOf(from + j);
        lvls[j] = levelOf(from + j);
      }
      idx.adoptMany(offs, lvls, count);
    }
    expectAll(idx, N);
    expect(idx.bytes).toBeLessThanOrEqual(6 * CHUNK_BYTES);
  });

  it('keeps everything in memory when told to, or when the temp folder cannot be written', () => {
    const inMemory = make({ spillDir: null });
    const unwritable = make({ spillDir: path.join(spillDir(), 'no', 'such', 'folder') });
    for (const idx of [inMemory, unwritable]) {
      for (let k = 0; k < N; k++) idx.append(offsetOf(k), levelOf(k));
      expect(idx.spilledBytes).toBe(0);
      expect(idx.bytes).toBe(7 * CHUNK_BYTES);
      expectAll(idx, N);
    }
  });

  it('closes its spill file on close, and says so when read after', () => {
    const fds = () => fs.readdirSync('/proc/self/fd').length;
    const before = fds();
    const idx = new RecordIndex({ spillDir: spillDir() });
    for (let k = 0; k < N; k++) idx.append(offsetOf(k), levelOf(k));
    expect(fds()).toBe(before + 1);
    idx.close();
    expect(fds()).toBe(before);
    expect(() => idx.offset(0)).toThrow(/closed with its pane/);
  });
});
