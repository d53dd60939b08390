// The checked tail of a bundled log, shown while its whole file is still being verified: the last
// segments of a segmented entry (probes/zip.ts), each inflated alone and checked against the
// manifest's sha256 for it (segments.ts), written to a file of their own that starts at a record.
// A pane over it paints at once; the console opens the whole file when the bundle is verified.
import fs from 'node:fs';
import path from 'node:path';
import { isRecordStart } from '../../../shared/log-record-start';
import type { LogFormat } from '../../../shared/serilog';
import type { SegmentIndex } from '../probes/zip';
import { PRIVATE_DIR_MODE, PRIVATE_FILE_MODE } from '../store/private-files';
import { readSegment, segmentRange } from './segments';
import type { ZipEntryInfo } from './unzip';

/** The least a preview holds: thousands of records, more than many screens of them. */
export const TAIL_PREVIEW_BYTES = 512 * 1024;
/** Lines looked at for the first record start of a preview (a stack trace is rarely longer). */
const MAX_LINES_TO_START = 2000;

export interface TailPreview {
  /** The preview file (the entry's base name, in its own folder). */
  path: string;
  /** Bytes of the file shown, from `fromByte` to its end. */
  shownBytes: number;
  fromByte: number;
  /** Bytes of the whole file. */
  fileBytes: number;
}

/**
 * Writes the checked tail of `entry` (at least `minBytes`, whole segments) into `outDir` under the
 * entry's base name. The first line kept is the first record start after the first segment's
 * first line break (a segment may begin mid-record); the whole file when it is that small.
 * Throws the bundle's OpsError when a segment does not match its manifest.
 */
export function writeTailPreview(
  zipFile: string,
  entry: ZipEntryInfo,
  idx: SegmentIndex,
  format: LogFormat,
  outDir: string,
  minBytes = TAIL_PREVIEW_BYTES,
): TailPreview {
  let first = idx.at.length - 1;
  while (first > 0 && entry.size - segmentRange(entry, idx, first).from < minBytes) first--;
  const parts: Buffer[] = [];
  for (let i = first; i < idx.at.length; i++) parts.push(readSegment(zipFile, entry, idx, i));
  let data = Buffer.concat(parts);
  let fromByte = segmentRange(entry, idx, first).from;
  if (first > 0) {
    const cut = recordStartAfterBreak(data, format);
    data = data.subarray(cut);
    fromByte += cut;
  }
  fs.mkdirSync(outDir, { recursive: true, mode: PRIVATE_DIR_MODE });
  const out = path.join(outDir, path.posix.basename(entry.name));
  fs.writeFileSync(out, data, { mode: PRIVATE_FILE_MODE });
  return { path: out, shownBytes: data.length, fromByte, fileBytes: entry.size };
}

/**
 * Offset of the first line that starts a record, after the first line break of `data`; the offset
 * just after that break when no record start follows soon (plain text, or a format without one).
 */
function recordStartAfterBreak(data: Buffer, format: LogFormat): number {
  const nl = data.indexOf(0x0a);
  if (nl < 0) return data.length;
  let at = nl + 1;
  for (let n = 0; n < MAX_LINES_TO_START && at < data.length; n++) {
    const end = data.indexOf(0x0a, at);
    const line = data.toString('utf8', at, end < 0 ? data.length : end);
    if (isRecordStart(line, format)) return at;
    if (end < 0) break;
    at = end + 1;
  }
  return nl + 1;
}
