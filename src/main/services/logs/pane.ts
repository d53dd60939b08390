// A log pane's state, and its records by position: the worker's index of the older part of the
// file in front of the live known index, split in file segments, each record read back from disk.
import fs from 'node:fs';
import type { IndexedRecord, PanePreview, TimeRange } from '../../../shared/contract/logs';
import { emptyRecord, type LogFormat, type RecordGrouper } from '../../../shared/serilog';
import { readOneRecord } from './file-reader';
import type { RecordIndex } from './record-index';
import type { FileSetTailer } from './tailer';

export interface Segment {
  path: string;
  name: string;
  generation: number;
  /** Position (in the known index) of this segment's first record. */
  firstKnown: number;
  /** The file was truncated or replaced: its old records are no longer on disk. */
  gone: boolean;
  /**
   * Byte offset just past the last line the tailer has read from this file. Bytes after it are
   * on disk but not yet known records: a file search must stop there, or a match in them would
   * be counted against the last known record.
   */
  readEnd: number;
}

export interface View {
  key: string;
  mask: boolean[];
  /** The view's line test, compiled once: the rebuild searches the files with the same search. */
  test: ((line: string) => boolean) | null;
  invert: boolean;
  range: TimeRange | null;
  positions: number[];
}

export interface Pane {
  id: string;
  title: string;
  dir: string;
  pattern: string;
  format: LogFormat;
  tailer: FileSetTailer | null;
  grouper: RecordGrouper | null;
  groupGen: number;
  known: RecordIndex;
  segments: Segment[];
  prefix: RecordIndex | null;
  indexing: boolean;
  indexDone: Promise<void>;
  abort: AbortController;
  batch: IndexedRecord[];
  batchTimer: NodeJS.Timeout | null;
  /** Closes the held last record when no continuation line came in time. */
  holdTimer: NodeJS.Timeout | null;
  /** Counts onLines calls, to tell whether a check read anything. */
  lineSeq: number;
  view: View | null;
  closed: boolean;
  /** The pane shows a bundled file's checked tail (PaneInfo.preview), or null. */
  preview: PanePreview | null;
}

export function prefixCount(p: Pane): number {
  return p.prefix?.count ?? 0;
}

/** Records the pane knows: the worker's prefix, then the live ones. */
export function paneTotal(p: Pane): number {
  return prefixCount(p) + p.known.count;
}

export function offsetAt(p: Pane, i: number): number {
  const pc = prefixCount(p);
  return i < pc ? (p.prefix as RecordIndex).offset(i) : p.known.offset(i - pc);
}

export function levelAt(p: Pane, i: number): number {
  const pc = prefixCount(p);
  return i < pc ? (p.prefix as RecordIndex).level(i) : p.known.level(i - pc);
}

export function segmentIndexOf(p: Pane, i: number): number {
  const k = i - prefixCount(p);
  if (k < 0) return 0;
  let lo = 0;
  let hi = p.segments.length - 1;
  let ans = 0;
  while (lo <= hi) {
    const m = (lo + hi) >>> 1;
    if (p.segments[m].firstKnown <= k) {
      ans = m;
      lo = m + 1;
    } else hi = m - 1;
  }
  return ans;
}

/** Global position range [start, end) of a segment. */
export function segmentRange(p: Pane, s: number): [number, number] {
  const pc = prefixCount(p);
  const start = s === 0 ? 0 : pc + p.segments[s].firstKnown;
  const end = s + 1 < p.segments.length ? pc + p.segments[s + 1].firstKnown : paneTotal(p);
  return [start, end];
}

export function readRecords(p: Pane, positions: number[]): IndexedRecord[] {
  const out: IndexedRecord[] = [];
  const fds = new Map<number, number>();
  try {
    for (const i of positions) {
      const s = segmentIndexOf(p, i);
      const seg = p.segments[s];
      if (!seg || seg.gone) {
        out.push(goneRecord(i, offsetAt(p, i), seg?.name ?? ''));
        continue;
      }
      let fd = fds.get(s);
      if (fd === undefined) {
        try {
          fd = fs.openSync(seg.path, 'r');
        } catch {
          seg.gone = true;
          out.push(goneRecord(i, offsetAt(p, i), seg.name));
          continue;
        }
        fds.set(s, fd);
      }
      const start = offsetAt(p, i);
      const [, segEnd] = segmentRange(p, s);
      const end = i + 1 < segEnd ? offsetAt(p, i + 1) : fs.fstatSync(fd).size;
      const r = readOneRecord(fd, start, Math.max(end, start + 1), p.format, seg.name);
      out.push({ ...r, index: i });
    }
  } finally {
    for (const fd of fds.values()) fs.closeSync(fd);
  }
  return out;
}

/**
 * Where a segment's known records end on disk: its last read line, or the first line of a
 * record the grouper still holds open (not yet a known record) in the file being written.
 */
export function knownEnd(p: Pane, s: number): number {
  const seg = p.segments[s];
  const held = s === p.segments.length - 1 ? p.grouper?.pendingOffset : null;
  return held ?? seg.readEnd;
}

/** Position of the record starting at `offset` in `seg`, or null when none starts there. */
export function findPosition(p: Pane, seg: Segment, offset: number): number | null {
  const s = p.segments.indexOf(seg);
  const [a, b] = segmentRange(p, s);
  for (let lo = a, hi = b - 1; lo <= hi;) {
    const m = (lo + hi) >>> 1;
    const o = offsetAt(p, m);
    if (o === offset) return m;
    if (o < offset) lo = m + 1;
    else hi = m - 1;
  }
  return null;
}

function goneRecord(index: number, offset: number, file: string): IndexedRecord {
  return {
    ...emptyRecord(),
    index,
    offset,
    file,
    message: '(no longer on disk: the file was truncated or replaced)',
    lineCount: 1,
  };
}
