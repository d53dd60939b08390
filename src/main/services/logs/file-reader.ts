// Random access to a log file without loading it: the tail read that gives the first paint,
// records of a byte range (cut for display), one whole record on demand, and a streaming regex
// search that reports the byte offset of each matching line.
import fs from 'node:fs';
import { RecordGrouper, detectFormat, type LogFormat, type LogRecord } from '../../../shared/serilog';
import { isRecordStart } from '../../../shared/log-record-start';
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

/**
 * Offset where the last `n` records of a file of `size` bytes start (reads backwards in growing
 * steps); `size` for none. The CLI's `logs tail -n N` starts its pane there.
 */
export function lastRecordsStart(file: string, size: number, format: LogFormat, n: number): number {
  if (n === 0) return size;
  for (let span = 64 * 1024; ; span *= 4) {
    const start = Math.max(0, size - span);
    const buf = withFd(file, (fd) => readAt(fd, start, size - start));
    const nl = start === 0 ? -1 : buf.indexOf(0x0a);
    const starts = new LineSplitter(start + nl + 1, 256)
      .feed(buf.subarray(nl + 1))
      .filter((l) => isRecordStart(l.text, format))
      .map((l) => l.offset);
    if (starts.length >= n) return starts[starts.length - n];
    if (start === 0) return 0;
  }
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
  /**
   * Byte strings every match contains (literal runs of the pattern), candidates for a prefilter:
   * the search looks for the rarest one with Buffer.indexOf and runs the regex only on lines
   * that hold it. Empty when the pattern has no usable literal (then every line is tested).
   */
  literals: Buffer[];
}

/** Shortest literal worth a prefilter pass (one byte would hit almost every line). */
const MIN_LITERAL_BYTES = 2;
/**
 * The prefilter is used when its literal is on at most this share of the sampled lines; above
 * it, testing every line in big chunks is as fast as confirming hit after hit.
 */
const PREFILTER_MAX_LINE_SHARE = 0.25;

/** Index just past the character class that opens at `i` (`[...]`, escapes honoured). */
function skipClass(src: string, i: number): number {
  let j = i + 1;
  while (j < src.length && src[j] !== ']') j += src[j] === '\\' ? 2 : 1;
  return j + 1;
}

/** Index just past the group that opens at `i`, nested groups and classes included. */
function skipGroup(src: string, i: number): number {
  let depth = 0;
  let j = i;
  while (j < src.length) {
    const c = src[j];
    if (c === '\\') j += 2;
    else if (c === '[') j = skipClass(src, j);
    else {
      if (c === '(') depth++;
      else if (c === ')' && --depth === 0) return j + 1;
      j++;
    }
  }
  return j;
}

const QUANTIFIER_BRACES = /^\{\d+(,\d*)?\}/;

/**
 * The literal runs a regex source requires in every match, read conservatively: a top-level
 * alternation gives none; groups, classes, escapes of letters/digits and optional atoms break a
 * run (their content is not required as written). Used only to choose a prefilter.
 */
export function requiredLiterals(source: string): string[] {
  const out: string[] = [];
  let run = '';
  const end = () => {
    if (run.length > 0) out.push(run);
    run = '';
  };
  let i = 0;
  while (i < source.length) {
    const c = source[i];
    let lit: string | null = null;
    if (c === '|') return [];
    if (c === '(' || c === '[') {
      end();
      i = c === '(' ? skipGroup(source, i) : skipClass(source, i);
    } else {
      if (c === '\\') {
        const d = source[i + 1];
        if (d === undefined) return [];
        // \d \S \b \1 \n \x41 ...: a class, an assertion or a code we do not decode.
        lit = /[A-Za-z0-9]/.test(d) ? null : d;
        i += 2;
      } else if (c === '.' || c === '^' || c === '$') {
        i++;
      } else if (
        c === '*' ||
        c === '+' ||
        c === '?' ||
        (c === '{' && QUANTIFIER_BRACES.test(source.slice(i)))
      ) {
        return []; // a quantifier with nothing before it: not a pattern we understand
      } else {
        lit = c;
        i++;
      }
    }
    // A quantifier after the atom: `+` keeps one copy required, the others make it optional.
    const q = source[i];
    const braces = q === '{' ? QUANTIFIER_BRACES.exec(source.slice(i)) : null;
    if (q === '*' || q === '?' || q === '+' || braces) {
      if (q === '+' && lit !== null) run += lit;
      end();
      i += braces ? braces[0].length : 1;
      if (source[i] === '?') i++; // lazy
      continue;
    }
    if (lit === null) end();
    else run += lit;
  }
  end();
  return out;
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
  let runs = opts.regex ? requiredLiterals(pattern) : [pattern];
  if (!opts.caseSensitive) {
    // Ignoring case, only the parts of a run without letters are matched byte for byte.
    runs = runs.flatMap((r) => (/^[\x00-\x7f]*$/.test(r) ? r.split(/[A-Za-z]+/) : []));
  }
  const literals = runs
    // U+FFFD in a pattern stands for any invalid byte in the file: it has no byte form.
    .flatMap((r) => r.split('\uFFFD'))
    .filter((r) => !/[\r\n]/.test(r))
    .map((r) => Buffer.from(r, 'utf8'))
    .filter((b) => b.length >= MIN_LITERAL_BYTES);
  return { re, bytewise, literals };
}

/**
 * The one line test of a compiled search: whether one physical line (no terminator) matches on
 * its own. The file search and a pane's live filter both use it, so they cannot disagree.
 */
export function lineTester(search: CompiledSearch): (line: string) => boolean {
  const re = new RegExp(search.re.source, search.re.flags);
  return (line) => {
    re.lastIndex = 0;
    return re.test(line);
  };
}

function countUpTo(buf: Buffer, needle: Buffer | number, len: number, cap: number): number {
  let n = 0;
  let at = buf.indexOf(needle, 0);
  while (at >= 0 && at < len && n < cap) {
    n++;
    at = buf.indexOf(needle, at + 1);
  }
  return n;
}

/** The literal to prefilter with, judged on a sample (the first chunk), or null. */
function choosePrefilter(sample: Buffer, literals: Buffer[]): Buffer | null {
  if (literals.length === 0 || sample.length === 0) return null;
  const lines = countUpTo(sample, 0x0a, sample.length, Number.MAX_SAFE_INTEGER) + 1;
  const cap = Math.floor(lines * PREFILTER_MAX_LINE_SHARE);
  let best: Buffer | null = null;
  let bestHits = cap + 1;
  for (const lit of literals) {
    const hits = countUpTo(sample, lit, sample.length, bestHits);
    if (hits < bestHits || (hits === bestHits && best !== null && lit.length > best.length)) {
      best = lit;
      bestHits = hits;
    }
  }
  return bestHits <= cap ? best : null;
}

/**
 * Stream [start, end) of a file and call onLine(offset) for each line with a match (a match lies
 * within one line, like grep); returns the number of matching lines. Never holds more than one
 * chunk in memory.
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
  const test = lineTester(search);
  // The whole-chunk fast path below; a hit it is unsure of is confirmed by the line test.
  const re = new RegExp(search.re.source, search.re.flags);
  const encoding = search.bytewise ? 'latin1' : 'utf8';
  let prefilter: Buffer | null | undefined;
  /** Does line [ls, le) of the chunk match on its own (CR of a CRLF excluded)? */
  const lineMatches = (chunk: Buffer, ls: number, le: number): boolean => {
    const e = le > ls && chunk[le - 1] === 0x0d ? le - 1 : le;
    return test(chunk.toString(encoding, ls, e));
  };
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
    if (prefilter === undefined) prefilter = choosePrefilter(chunk, search.literals);
    if (prefilter) {
      let at = chunk.indexOf(prefilter, 0);
      while (at >= 0) {
        const ls = at === 0 ? 0 : chunk.lastIndexOf(0x0a, at - 1) + 1;
        let le = chunk.indexOf(0x0a, at);
        if (le < 0) le = len;
        if (lineMatches(chunk, ls, le)) {
          onLine(pos + ls);
          count++;
        }
        if (le >= len) break;
        at = chunk.indexOf(prefilter, le + 1);
      }
    } else if (search.bytewise) {
      const text = chunk.toString('latin1');
      re.lastIndex = 0;
      let m: RegExpExecArray | null;
      while ((m = re.exec(text)) !== null) {
        const ls = m.index === 0 ? 0 : text.lastIndexOf('\n', m.index - 1) + 1;
        let le = text.indexOf('\n', m.index);
        if (le < 0) le = len;
        // A match that runs past its line's end counts only if the line matches on its own.
        if (m.index + m[0].length <= le || lineMatches(chunk, ls, le)) {
          onLine(pos + ls);
          count++;
        }
        if (le >= len) break;
        re.lastIndex = le + 1;
      }
    } else {
      let ls = 0;
      while (ls < len) {
        let nl = chunk.indexOf(0x0a, ls);
        if (nl < 0) nl = len;
        if (lineMatches(chunk, ls, nl)) {
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
