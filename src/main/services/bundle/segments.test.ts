// A segmented entry is one deflate stream that unpacks whole like any other, and each segment also
// inflates alone from its own offset and checks against its own sha256; a hostile index or a
// changed byte is refused with the file's name.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ZipFileWriter, type SegmentIndex } from '../probes/zip';
import { checkSegmentIndex, readSegment, segmentRange } from './segments';
import { extractEntry, readZipDirectory, type ZipEntryInfo } from './unzip';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'segments-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Log-like text: compressible, with lines that cross segment boundaries. */
function logText(bytes: number): Buffer {
  const lines: string[] = [];
  let n = 0;
  for (let size = 0; size < bytes; n++) {
    const l = `2026-12-07 10:00:${String(n % 60).padStart(2, '0')}.000 +00:00 [INF] Request ${n} completed in ${n % 997} ms\n`;
    lines.push(l);
    size += l.length;
  }
  return Buffer.from(lines.join('')).subarray(0, bytes);
}

let count = 0;
function zipOf(data: Buffer, segmentBytes: number): { file: string; entry: ZipEntryInfo; idx: SegmentIndex } {
  const file = path.join(tmp, `z${count++}.zip`);
  const w = new ZipFileWriter(file, 0o600);
  w.add('manifest.json', '{}');
  const idx = w.add('logs/aura-api-20261207.log', data, segmentBytes)!;
  w.finish();
  const entry = readZipDirectory(file).find((e) => e.name === 'logs/aura-api-20261207.log')!;
  return { file, entry, idx };
}

const sha = (b: Buffer) => crypto.createHash('sha256').update(b).digest('hex');

describe('segmented entries', () => {
  it('unpack whole as one deflate stream, and every segment alone, each with its own hash', async () => {
    const data = logText(5 * 4096 + 123);
    const { file, entry, idx } = zipOf(data, 4096);
    expect(entry.method).toBe(8);
    expect(entry.compressedSize).toBeLessThan(data.length / 3);
    expect(idx.at).toHaveLength(6);
    const whole = await extractEntry(file, entry, path.join(tmp, `whole-${count}`));
    expect(whole).toEqual({ bytes: data.length, sha256: sha(data) });
    for (let i = 0; i < idx.at.length; i++) {
      const { from, to } = segmentRange(entry, idx, i);
      const seg = readSegment(file, entry, idx, i);
      expect(seg.equals(data.subarray(from, to))).toBe(true);
      expect(idx.sha256[i]).toBe(sha(data.subarray(from, to)));
    }
  });

  it('keep working when deflate does not pay and the entry is stored', () => {
    const data = crypto.randomBytes(3 * 1000 + 7);
    const { file, entry, idx } = zipOf(data, 1000);
    expect(entry.method).toBe(0);
    expect(idx.at).toEqual([0, 1000, 2000, 3000]);
    checkSegmentIndex(entry, idx);
    expect(readSegment(file, entry, idx, 3).equals(data.subarray(3000))).toBe(true);
  });

  it('hold an empty file as one empty segment', () => {
    const { file, entry, idx } = zipOf(Buffer.alloc(0), 1000);
    checkSegmentIndex(entry, idx);
    expect(readSegment(file, entry, idx, 0)).toHaveLength(0);
  });

  it('refuse a changed byte in one segment by name and place, and still read the others', () => {
    const data = logText(4 * 2048);
    const { file, entry, idx } = zipOf(data, 2048);
    const buf = fs.readFileSync(file);
    // A byte in the middle of segment 1's deflated bytes.
    buf[entry.dataStart + Math.floor((idx.at[1] + idx.at[2]) / 2)] ^= 0x55;
    fs.writeFileSync(file, buf);
    expect(() => readSegment(file, entry, idx, 1)).toThrow(
      /The bundle's logs\/aura-api-20261207\.log (does not match its manifest at bytes 2048–4096|could not be unpacked at byte 2048)/,
    );
    expect(readSegment(file, entry, idx, 3).equals(data.subarray(6144))).toBe(true);
  });

  it('refuse a segment that inflates past its size (a bomb in one segment)', () => {
    const data = logText(64 * 1024);
    const { file, entry, idx } = zipOf(data, 64 * 1024);
    // The index now claims 1 KB segments over the same single deflated segment.
    const lying: SegmentIndex = { bytes: 1024, at: idx.at, sha256: idx.sha256 };
    expect(() => checkSegmentIndex(entry, lying)).toThrow(/1 offsets and 1 hashes for 64 segments/);
    expect(() => readSegment(file, entry, lying, 0)).toThrow(/could not be unpacked at byte 0/);
  });

  it('refuse an index that does not fit its entry', () => {
    const data = logText(3 * 1024);
    const { entry, idx } = zipOf(data, 1024);
    const bad = (over: Partial<SegmentIndex>) => () => checkSegmentIndex(entry, { ...idx, ...over });
    expect(bad({ at: [1, idx.at[1], idx.at[2]] })).toThrow(/first segment does not start the entry/);
    expect(bad({ at: [0, idx.at[2], idx.at[1]] })).toThrow(/offsets do not rise/);
    expect(bad({ at: [0, idx.at[1], entry.compressedSize + 5] })).toThrow(/an offset lies past the entry/);
    expect(bad({ sha256: idx.sha256.slice(1) })).toThrow(/3 offsets and 2 hashes for 3 segments/);
    expect(() => checkSegmentIndex(entry, idx)).not.toThrow();
  });
});
