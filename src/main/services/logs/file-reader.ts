// Random access to a log file without loading it: the tail read that gives the first paint,
// records of a byte range (cut for display), one whole record on demand, and a streaming regex
// search that reports the byte offset of each matching line.
import fs from 'node:fs';
import {
  RecordGrouper,
  detectFormat,
  isRecordStart,
  type LogFormat,
  type LogRecord,
} from '../../../shared/serilog';
import { LineSplitter, MAX_DISPLAY_LINE_BYTES } from './line-splitter';

/** Bytes read from the end for the first paint: a screenful of records in one small read. */
export const TAIL_BYTES = 256 * 1024;
/** Bytes read per search step: 1 MiB strings decode and scan fastest (measured; 8 MiB was slower). */
const SEARCH_CHUNK_BYTES = 1024 * 1024;
/** Bytes of one record read for a page; longer records are cut and flagged. */
export const MAX_RECORD_PAGE_BYTES = 256 * 1024;
/** Upper bound for a whole record on demand (a record larger than this is almost surely junk). */
export const MAX_WHOLE_RECORD_BYTES = 64 * 1024 * 1024;

function readAt(fd: number, start: number, length: number): Buffer {
  const buf = Buffer.allocUnsafe(length);
  let got = 0;
  while (got < length) {
    const n = fs.readSync(fd, buf, got, length - got, start + got);
    if (n <= 0) break;
    got += n;
  }
  return buf.subarray(0, got);
}

export function withFd<T>(path: string, fn: (fd: number) => T): T {
  const fd = fs.openSync(path, 'r');
  try {
    return fn(fd);
  } finally {
    fs.closeSync(fd);
  }
}

/** First lines of a file, for format detection. */
export function sampleLines(path: string, bytes = 16 * 1024): string[] {
  const buf = withFd(path, (fd) => readAt(fd, 0, bytes));
  const s = new LineSplitter(0);
  return s.feed(buf).map((l) => l.text);
}

export function detectFileFormat(path: string, name: string): LogFormat {
  return detectFormat(sampleLines(path), name);
}

/**
 * Where the first-paint tail starts: the first record start within the last TAIL_BYTES, or 0
 * for a small file. Everything before it is indexed in the background.
 */
export function findTailStart(path: string, size: number, format: LogFormat, tailBytes = TAIL_BYTES): number {
  if (size <= tailBytes) return 0;
  const start = size - tailBytes;
  const buf = withFd(path, (fd) => readAt(fd, start, tailBytes));
  const nl = buf.indexOf(0x0a);
  if (nl < 0) return size; // one giant last line: the tail is empty, the index covers it.
  const s = new LineSplitter(start + nl + 1, 512);
  const lines = s.feed(buf.subarray(nl + 1));
  for (const l of lines) if (isRecordStart(l.text, format)) return l.offset;
  return start + nl + 1;
}

/** Records whose first lines lie in [start, end), grouped by the format's rules. */
export function readRecordsInRange(
  fd: number,
  start: number,
  end: number,
  format: LogFormat,
  file: string,
  maxLineBytes = MAX_DISPLAY_LINE_BYTES,
): LogRecord[] {
  if (end <= start) return [];
  const buf = readAt(fd, start, end - start);
  const s = new LineSplitter(start, maxLineBytes);
  const g = new RecordGrouper(format, file);
  const out = g.pushAll(s.feed(buf));
  const tail = s.flushPartial();
  if (tail) {
    const r = g.push(tail);
    if (r) out.push(r);
  }
  const last = g.flush();
  if (last) out.push(last);
  return out;
}

/** One record spanning [start, end), read with a cap; flagged truncated when cut. */
export function readOneRecord(
  fd: number,
  start: number,
  end: number,
  format: LogFormat,
  file: string,
  cap = MAX_RECORD_PAGE_BYTES,
): LogRecord {
  const len = Math.min(end - start, cap);
  const recs = readRecordsInRange(fd, start, start + len, format, file);
  // Continuation lines can look like starts only in plain/jsonl, where each record is one line.
  const r = recs[0] ?? new RecordGrouper(format, file).flush();
  if (!r) throw new Error('empty record');
  if (len < end - start) r.truncated = true;
  return r;
}

/** The whole record at `offset`: up to `end` when known, else until the next record start. */
export function readWholeRecord(
  path: string,
  offset: number,
  end: number | null,
  format: LogFormat,
  file: string,
): LogRecord {
  return withFd(path, (fd) => {
    const size = fs.fstatSync(fd).size;
    let stop = end ?? size;
    stop = Math.min(stop, size, offset + MAX_WHOLE_RECORD_BYTES);
    if (end === null) {
      // Find the next record start by reading forward line by line.
      const s = new LineSplitter(offset, 512);
      let pos = offset;
      let seenFirst = false;
      outer: while (pos < stop) {
        const buf = readAt(fd, pos, Math.min(1024 * 1024, stop - pos));
        if (buf.length === 0) break;
        for (const l of s.feed(buf)) {
          if (seenFirst && isRecordStart(l.text, format)) {
            stop = l.offset;
            break outer;
          }
          seenFirst = true;
        }
        pos += buf.length;
      }
    }
    const recs = readRecordsInRange(fd, offset, stop, format, file, MAX_WHOLE_RECORD_BYTES);
    const r = recs[0];
    if (!r) throw new Error('no record at that offset');
    return r;
  });
}

/** A search pattern compiled for streaming: ASCII patterns run on latin1 text (1 char = 1 byte). */
export interface CompiledSearch {
  re: RegExp;
  bytewise: boolean;
}

export function compileSearch(
  pattern: string,
  opts: { regex: boolean; caseSensitive: boolean },
): CompiledSearch {
  const src = opts.regex ? pattern : pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const flags = `gm${opts.caseSensitive ? '' : 'i'}`;
  // Validate as a normal regex first so the error message names the user's pattern.
  const re = new RegExp(src, flags);
  const bytewise = /^[\x00-\x7f]*$/.test(pattern);
  return { re, bytewise };
}

/**
 * Stream [start, end) of a file and call onLine(offset) for each line with a match; returns the
 * number of matching lines. Never holds more than one chunk in memory.
 */
export function searchRange(
  fd: number,
  start: number,
  end: number,
  search: CompiledSearch,
  onLine: (offset: number) => void,
): number {
  let count = 0;
  let pos = start;
  const buf = Buffer.allocUnsafe(SEARCH_CHUNK_BYTES);
  const re = new RegExp(search.re.source, search.re.flags);
  while (pos < end) {
    const got = fs.readSync(fd, buf, 0, Math.min(buf.length, end - pos), pos);
    if (got <= 0) break;
    let len = got;
    if (pos + got < end) {
      const lastNl = buf.lastIndexOf(0x0a, got - 1);
      // A chunk with no newline (a giant line): search it as is.
      if (lastNl >= 0) len = lastNl + 1;
    }
    const chunk = buf.subarray(0, len);
    if (search.bytewise) {
      const text = chunk.toString('latin1');
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        const ls = text.lastIndexOf('\n', m.index - 1) + 1;
        onLine(pos + ls);
        count++;
        const nl = text.indexOf('\n', m.index + Math.max(m[0].length, 1) - 1);
        if (nl < 0) break;
        re.lastIndex = nl + 1;
      }
    } else {
      let ls = 0;
      while (ls < len) {
        let nl = chunk.indexOf(0x0a, ls);
        if (nl < 0) nl = len;
        const line = chunk.toString('utf8', ls, nl);
        re.lastIndex = 0;
        if (re.test(line)) {
          onLine(pos + ls);
          count++;
        }
        ls = nl + 1;
      }
    }
    pos += len;
  }
  return count;
}
