// One segment of a segmented bundle entry (probes/zip.ts): its own compressed bytes, inflated alone
// and checked against the manifest's sha256 for it. This is how the tail of a big log can be shown,
// verified, before the whole file is: the manifest's index is checked against the zip's directory
// first, so no offset or size in it can reach outside its entry or inflate past its segment.
import crypto from 'node:crypto';
import fs from 'node:fs';
import zlib from 'node:zlib';
import { OpsError } from '../../../shared/errors';
import type { SegmentIndex } from '../probes/zip';
import type { ZipEntryInfo } from './unzip';

/** Largest segment a manifest may declare: a segment is inflated in memory at once. */
export const MAX_SEGMENT_BYTES = 16 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;
/**
 * Whether `v` is a segment index as a manifest gives it: a segment size up to MAX_SEGMENT_BYTES,
 * and arrays of offsets and sha256s (that they fit the entry is checkSegmentIndex's job).
 */
export function isSegmentIndex(v: unknown): v is SegmentIndex {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const o = v as Record<string, unknown>;
  if (Object.keys(o).some((k) => k !== 'bytes' && k !== 'at' && k !== 'sha256')) return false;
  return (
    Number.isSafeInteger(o.bytes) &&
    (o.bytes as number) > 0 &&
    (o.bytes as number) <= MAX_SEGMENT_BYTES &&
    Array.isArray(o.at) &&
    o.at.every((n) => Number.isSafeInteger(n) && (n as number) >= 0) &&
    Array.isArray(o.sha256) &&
    o.sha256.every((h) => typeof h === 'string' && SHA256.test(h))
  );
}

const corrupt = (message: string): OpsError =>
  new OpsError(
    'corrupt',
    message,
    'The bundle was closed and its extracted files removed. Ask the customer for a new bundle (aura-ops bundle --with-db).',
  );

/** Throws unless `idx` fits `entry`: one segment per `bytes` of the file, each starting inside the entry, in order. */
export function checkSegmentIndex(entry: ZipEntryInfo, idx: SegmentIndex): void {
  const count = Math.max(1, Math.ceil(entry.size / idx.bytes));
  const why =
    idx.at.length !== count || idx.sha256.length !== count
      ? `${idx.at.length} offsets and ${idx.sha256.length} hashes for ${count} segments`
      : idx.at[0] !== 0
        ? 'its first segment does not start the entry'
        : idx.at.some((a, i) => i > 0 && a <= idx.at[i - 1])
          ? 'its offsets do not rise'
          : idx.at[count - 1] >= Math.max(1, entry.compressedSize)
            ? 'an offset lies past the entry'
            : entry.method === 0 && idx.at.some((a, i) => a !== i * idx.bytes)
              ? "a stored entry's offsets are not its segments' places"
              : null;
  if (why)
    throw corrupt(`The bundle's manifest gives ${entry.name} a segment index that does not fit it: ${why}.`);
}

/** Where segment `i` of `entry` lies in the file (the bytes it holds). */
export function segmentRange(
  entry: ZipEntryInfo,
  idx: SegmentIndex,
  i: number,
): { from: number; to: number } {
  return { from: i * idx.bytes, to: Math.min(entry.size, (i + 1) * idx.bytes) };
}

/**
 * Segment `i` of `entry` in `zipFile` (an index already passed checkSegmentIndex): read, inflated
 * alone (never past its own size), and checked; throws a clear OpsError on any difference.
 */
export function readSegment(zipFile: string, entry: ZipEntryInfo, idx: SegmentIndex, i: number): Buffer {
  const start = idx.at[i];
  const end = i + 1 < idx.at.length ? idx.at[i + 1] : entry.compressedSize;
  const stored = Buffer.alloc(end - start);
  const fd = fs.openSync(zipFile, 'r');
  try {
    for (let done = 0; done < stored.length;) {
      const got = fs.readSync(fd, stored, done, stored.length - done, entry.dataStart + start + done);
      if (got === 0) throw corrupt(`The bundle's ${entry.name} ends early: the zip is truncated.`);
      done += got;
    }
  } finally {
    fs.closeSync(fd);
  }
  const { from, to } = segmentRange(entry, idx, i);
  let bytes: Buffer;
  try {
    bytes =
      entry.method === 8
        ? zlib.inflateRawSync(stored, {
            finishFlush: zlib.constants.Z_SYNC_FLUSH,
            maxOutputLength: Math.max(1, idx.bytes),
          })
        : stored;
  } catch (err) {
    throw corrupt(
      `The bundle's ${entry.name} could not be unpacked at byte ${from}: ${(err as Error).message}.`,
    );
  }
  const sha = crypto.createHash('sha256').update(bytes).digest('hex');
  if (bytes.length !== to - from || sha !== idx.sha256[i])
    throw corrupt(
      `The bundle's ${entry.name} does not match its manifest at bytes ${from}–${to} (${bytes.length} bytes, sha256 ${sha.slice(0, 12)}…): it was changed or damaged after it was made.`,
    );
  return bytes;
}
