// Figures the probes and triage use: the error rate (5xx "Request completed" over all of them, the
// console's own probe requests left out; ERR+FTL per minute) and per-minute histograms by level, from records read backwards from the
// newest file until the window is covered.
import type { ErrorRateResult } from '../../../shared/contract/logs';
import { CONSOLE_USER_AGENT } from '../../../shared/console-identity';
import fs from 'node:fs';
import path from 'node:path';
import { LEVELS, RecordGrouper, levelIndex, type LogFormat, type LogRecord } from '../../../shared/serilog';
import { LineSplitter } from './line-splitter';
import { listFileSet } from './paths';

/** Bytes read per backward step while looking for the start of a time window. */
const BACK_CHUNK_BYTES = 1024 * 1024;
/** Bytes parsed per backward step to read the step's first record time. */
const PROBE_BYTES = 64 * 1024;
/** Safety cap: never read more than this for one window (a flood of lines is still counted). */
const MAX_WINDOW_BYTES = 512 * 1024 * 1024;

/** The contract's shape: what `logs:error-rate` answers and the probes read. */
export type ErrorRate = ErrorRateResult;

export interface HistogramBucket {
  /** Start of the minute, epoch ms. */
  t: number;
  /** Counts per level VRB..FTL, then records without a level. */
  counts: number[];
}

// RequestLoggingMiddleware: `Request completed: GET /path - 503 in 12.3ms` (FACTS §2.5, §2.6).
const REQUEST_COMPLETED = /^Request completed: \S+ \S+ - (\d{3}) in /;

/**
 * The HTTP status of a request as RequestLoggingMiddleware logged it, or null when the record is
 * no such line (PerformanceTrackingMiddleware logs a second "Request completed" for the same request).
 */
export function requestStatusOf(r: LogRecord): number | null {
  const m = REQUEST_COMPLETED.exec(r.message);
  if (!m) return null;
  const sc = r.properties?.SourceContext;
  if (typeof sc === 'string' && !sc.endsWith('RequestLoggingMiddleware')) return null;
  return Number(m[1]);
}

export function errorRateOf(
  records: Iterable<LogRecord>,
  since: number,
  until: number,
  files: string[] = [],
): ErrorRate {
  let requests = 0;
  let requests5xx = 0;
  let errors = 0;
  for (const r of records) {
    if (r.time === null || r.time < since || r.time > until) continue;
    if (r.level === 'ERR' || r.level === 'FTL') errors++;
    const status = requestStatusOf(r);
    // The console's own probes are the observer, not the traffic: counted, a hard poll dilutes a spike.
    if (status === null || r.properties?.UserAgent === CONSOLE_USER_AGENT) continue;
    requests++;
    if (status >= 500 && status <= 599) requests5xx++;
  }
  const windowMinutes = (until - since) / 60_000;
  return {
    since,
    until,
    windowMinutes,
    requests,
    requests5xx,
    rate5xx: requests === 0 ? null : requests5xx / requests,
    errors,
    errorsPerMinute: windowMinutes > 0 ? errors / windowMinutes : 0,
    files,
  };
}

export function histogramOf(records: Iterable<LogRecord>): HistogramBucket[] {
  const by = new Map<number, number[]>();
  for (const r of records) {
    if (r.time === null) continue;
    const t = Math.floor(r.time / 60_000) * 60_000;
    let c = by.get(t);
    if (!c) {
      c = new Array<number>(LEVELS.length + 1).fill(0);
      by.set(t, c);
    }
    c[levelIndex(r.level)]++;
  }
  return [...by.entries()].sort((a, b) => a[0] - b[0]).map(([t, counts]) => ({ t, counts }));
}

/**
 * Where the records with time >= since begin in an open file: walk back from the end a chunk at a
 * time, peeking at the first record of each chunk, until one is older than `since` (then
 * `reachedOlder`), the file's start, or `maxBytes` back. Returns a line start at or before the
 * first record of the window.
 */
export function windowStart(
  fd: number,
  size: number,
  since: number,
  format: LogFormat,
  maxBytes = MAX_WINDOW_BYTES,
): { from: number; reachedOlder: boolean } {
  let start = size;
  let reachedOlder = false;
  while (start > 0 && size - start < maxBytes) {
    start = Math.max(0, start - BACK_CHUNK_BYTES);
    // Peek at the first complete line of this chunk: older than the window means we are done.
    const probe = Buffer.allocUnsafe(Math.min(BACK_CHUNK_BYTES, size - start));
    const n = fs.readSync(fd, probe, 0, probe.length, start);
    const text = probe.subarray(0, n);
    const nl = start === 0 ? -1 : text.indexOf(0x0a);
    // The first record is all we need: parse only the head of the chunk.
    const head = text.subarray(nl + 1, Math.min(text.length, nl + 1 + PROBE_BYTES));
    const lines = new LineSplitter(start + nl + 1, 512).feed(head);
    const g = new RecordGrouper(format);
    const firstRec = g.pushAll(lines)[0] ?? g.flush();
    if (firstRec && firstRec.time !== null && firstRec.time < since) {
      reachedOlder = true;
      break;
    }
  }
  // Align to a line start.
  let from = start;
  if (from > 0) {
    const probe = Buffer.allocUnsafe(64 * 1024);
    const n = fs.readSync(fd, probe, 0, probe.length, from);
    const nl = probe.subarray(0, n).indexOf(0x0a);
    from = nl < 0 ? from + n : from + nl + 1;
  }
  return { from, reachedOlder };
}

/** Records of one file with time >= since, read backwards in chunks from the end. */
export function readFileSince(
  filePath: string,
  since: number,
  format: LogFormat,
): { records: LogRecord[]; reachedOlder: boolean } {
  const fd = fs.openSync(filePath, 'r');
  try {
    const size = fs.fstatSync(fd).size;
    const { from, reachedOlder } = windowStart(fd, size, since, format);
    const records: LogRecord[] = [];
    const g = new RecordGrouper(format, path.basename(filePath));
    const s = new LineSplitter(from);
    const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
    let pos = from;
    while (pos < size) {
      const got = fs.readSync(fd, buf, 0, Math.min(buf.length, size - pos), pos);
      if (got <= 0) break;
      for (const r of g.pushAll(s.feed(buf.subarray(0, got))))
        if (r.time === null || r.time >= since) records.push(r);
      pos += got;
    }
    const tail = s.flushPartial();
    if (tail) {
      const r = g.push(tail);
      if (r && (r.time === null || r.time >= since)) records.push(r);
    }
    const last = g.flush();
    if (last && (last.time === null || last.time >= since)) records.push(last);
    return { records, reachedOlder };
  } finally {
    fs.closeSync(fd);
  }
}

/** Records of a file set (newest files first until the window start) with time in [since, until]. */
export function readSetSince(
  dir: string,
  pattern: string,
  format: LogFormat,
  since: number,
): { records: LogRecord[]; files: string[] } {
  const files = listFileSet(dir, pattern).reverse();
  const chunks: LogRecord[][] = [];
  const used: string[] = [];
  for (const name of files) {
    const p = path.join(dir, name);
    // The lines' own times decide, not the mtime (a copied folder or another clock makes it lie).
    const { records, reachedOlder } = readFileSince(p, since, format);
    chunks.unshift(records);
    used.unshift(name);
    if (reachedOlder) break;
  }
  return { records: chunks.flat(), files: used };
}
