// Where a log record starts, in one place: on decoded lines (the parser, the live tail, the CLI)
// and on raw bytes (the index worker, which never decodes a line). Both answer the same question.
import type { LogFormat } from './serilog';

/** Index of a level VRB..FTL (0..5); 6 when the record carries none. */
export const NO_LEVEL = 6;

// `[2025-12-08 09:14:02.118 -06:00] [INF] `: a Serilog record starts with this fixed-width head.
/** The head as a pattern; its groups are the time fields, the offset and the level. */
export const SERILOG_START =
  /^\[(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})\.(\d{3}) ([+-])(\d{2}):(\d{2})\] \[(VRB|DBG|INF|WRN|ERR|FTL)\] /;
/** Bytes of the head including the space after `[LVL]`: a line shorter than this is no start. */
export const SERILOG_HEAD_BYTES = 39;
/** Byte positions in the head: `[` `-` `-` ` ` `:` `:` `.` `+/-` `:` `]` ` ` `[` level `]` ` `. */
const P_OPEN = 0;
const P_DIGITS = [1, 2, 3, 4, 6, 7, 9, 10, 12, 13, 15, 16, 18, 19, 21, 22, 23, 26, 27, 29, 30] as const;
const P_SIGN = 25;
const P_LEVEL = 34;
const FIXED: ReadonlyArray<readonly [number, number]> = [
  [5, 0x2d], // -
  [8, 0x2d], // -
  [11, 0x20], // space
  [14, 0x3a], // :
  [17, 0x3a], // :
  [20, 0x2e], // .
  [24, 0x20], // space
  [28, 0x3a], // :
  [31, 0x5d], // ]
  [32, 0x20], // space
  [33, 0x5b], // [
  [37, 0x5d], // ]
  [38, 0x20], // space
];

/** The six level tokens as 24-bit numbers (three ASCII bytes), in level order. */
const LEVEL_CODES = ['VRB', 'DBG', 'INF', 'WRN', 'ERR', 'FTL'].map(
  (t) => (t.charCodeAt(0) << 16) | (t.charCodeAt(1) << 8) | t.charCodeAt(2),
);

/**
 * The level (0..5) of the Serilog record whose head begins at byte `s` of `b`, or -1 when the
 * bytes there are no record head. The same rule as SERILOG_START, on bytes: a head is ASCII, so a
 * line matches the pattern exactly when its UTF-8 bytes pass here. Bytes past `b.length` read as
 * no match. The cheap structural bytes are tested first: most lines fail on the first one.
 */
export function serilogLevelAt(b: Uint8Array, s: number): number {
  if (b[s + P_OPEN] !== 0x5b || b[s + 31] !== 0x5d || b[s + 33] !== 0x5b || b[s + 37] !== 0x5d) return -1;
  if (s + SERILOG_HEAD_BYTES > b.length) return -1;
  for (const [at, code] of FIXED) if (b[s + at] !== code) return -1;
  const sign = b[s + P_SIGN];
  if (sign !== 0x2b && sign !== 0x2d) return -1;
  for (const at of P_DIGITS) {
    const d = b[s + at] - 0x30;
    if (d < 0 || d > 9) return -1;
  }
  const code = (b[s + P_LEVEL] << 16) | (b[s + P_LEVEL + 1] << 8) | b[s + P_LEVEL + 2];
  return LEVEL_CODES.indexOf(code);
}

/** Does this decoded line begin a Serilog record? */
export function isSerilogStart(line: string): boolean {
  return SERILOG_START.test(line);
}

/** Does this decoded line begin a new record in the given format? */
export function isRecordStart(line: string, format: LogFormat): boolean {
  if (format === 'serilog') return isSerilogStart(line);
  // JSON Lines and plain text: every physical line is a record.
  return true;
}

/**
 * The byte-level index's rules besides the head test (the grouper keeps the same ones on lines):
 * a UTF-8 BOM before the file's first line is not part of it, and the file's first line is a
 * record even when it is no record start (an orphan: the file began mid-record, or is not Serilog).
 */
export function utf8BomLength(b: Uint8Array, at = 0): number {
  return b[at] === 0xef && b[at + 1] === 0xbb && b[at + 2] === 0xbf ? 3 : 0;
}

/** Bytes of a JSON Lines record searched for its level: the key sits near the start of a line. */
export const JSON_LEVEL_WINDOW = 4096;
/** The bytes of an ASCII key (shared code has no TextEncoder: it is neither DOM nor Node). */
const ascii = (key: string): Uint8Array => Uint8Array.from(key, (c) => c.charCodeAt(0));
const SEVERITY_KEY = ascii('"Severity":');
const STARTUP_LEVEL_KEY = ascii('"level":"');
/** Startup log levels by first letter (silly, verbose, trace, debug, info, warn, error, fatal, critical). */
const STARTUP_LEVEL_BY_INITIAL: Readonly<Record<string, number>> = {
  s: 0,
  v: 0,
  t: 0,
  d: 1,
  i: 2,
  w: 3,
  e: 4,
  f: 5,
  c: 5,
};

/** Bytes that can find a byte sequence (Node's Buffer does, natively). */
export interface SearchableBytes extends Uint8Array {
  indexOf(value: number | Uint8Array, byteOffset?: number): number;
}

function indexBefore(b: SearchableBytes, key: Uint8Array, from: number, limit: number): number {
  const at = b.indexOf(key, from);
  return at >= 0 && at < limit ? at : -1;
}

/**
 * The level (0..5, or NO_LEVEL) of the JSON Lines record at byte `s`, read from its first `limit`
 * bytes without decoding it: errors-*.jsonl's numeric `"Severity":N` (MEL levels), startup logs'
 * `"level":"word"`. Plain text carries no level the index can see.
 */
export function jsonLevelAt(b: SearchableBytes, s: number, limit: number, format: LogFormat): number {
  if (format === 'errors-jsonl') {
    const at = indexBefore(b, SEVERITY_KEY, s, limit);
    if (at < 0) return NO_LEVEL;
    const d = b[at + SEVERITY_KEY.length] - 0x30;
    return d >= 0 && d <= 5 ? d : NO_LEVEL;
  }
  if (format === 'startup-jsonl') {
    const at = indexBefore(b, STARTUP_LEVEL_KEY, s, limit);
    if (at < 0) return NO_LEVEL;
    const lv = STARTUP_LEVEL_BY_INITIAL[String.fromCharCode(b[at + STARTUP_LEVEL_KEY.length] | 0x20)];
    return lv ?? NO_LEVEL;
  }
  return NO_LEVEL;
}
