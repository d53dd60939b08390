// Parsers for the log formats an Aura install writes (FACTS §2.3, §2.4, §2.7): the Serilog file
// template, ErrorLoggingService's errors-yyyy-MM.jsonl, Electron's startup-*.log, plus plain text.
// Pure and runtime-free so the service, the CLI, the worker and the renderer share one parser.
// Where a record starts is log-record-start.ts's (the byte-level index shares it).
import { NO_LEVEL, SERILOG_START, isRecordStart, isSerilogStart } from './log-record-start';

export { NO_LEVEL, isRecordStart, isSerilogStart };

export const LEVELS = ['VRB', 'DBG', 'INF', 'WRN', 'ERR', 'FTL'] as const;
export type LogLevel = (typeof LEVELS)[number];

export type LogFormat = 'serilog' | 'errors-jsonl' | 'startup-jsonl' | 'plain';
export const LOG_FORMATS: readonly LogFormat[] = ['serilog', 'errors-jsonl', 'startup-jsonl', 'plain'];

/** One log event: a first line plus any continuation lines (multi-line message, exception). */
export interface LogRecord {
  /** Byte offset of the record's first line in its file. */
  offset: number;
  /** Base name of the file the record came from (set by readers, '' when unknown). */
  file: string;
  /** Epoch ms, or null when the record carries no parsable time. */
  time: number | null;
  level: LogLevel | null;
  correlationId: string | null;
  traceId: string | null;
  spanId: string | null;
  /** Logger category: Serilog SourceContext, startup `component`. */
  source: string | null;
  message: string;
  properties: Record<string, unknown> | null;
  /** Exception text (type, message, stack), multi-line; null when none. */
  exception: string | null;
  /** Number of physical lines the record spans. */
  lineCount: number;
  /** True when a line was cut for display; fetch the whole record by offset. */
  truncated: boolean;
}

/** Level index 0..5 (VRB..FTL), NO_LEVEL (6) = no level; used by the compact index. */
export function levelIndex(level: LogLevel | null): number {
  return level === null ? NO_LEVEL : LEVELS.indexOf(level);
}

// After the level: `[CorrelationId] [TraceId] [SpanId] message`. Ids never contain `]` in practice.
const SERILOG_IDS = /^\[([^\]]*)\] \[([^\]]*)\] \[([^\]]*)\] ?/;
/** Cap on JSON.parse attempts while looking for the properties object at a line's end. */
const MAX_PROPERTY_CANDIDATES = 32;

function serilogTime(m: RegExpExecArray): number {
  const utc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]);
  const offsetMin = (+m[9] * 60 + +m[10]) * (m[8] === '-' ? -1 : 1);
  return utc - offsetMin * 60_000;
}

/** Split `message {"props":...}` at the properties object that ends the line, if any. */
export function splitProperties(line: string): { text: string; properties: Record<string, unknown> } | null {
  if (!line.endsWith('}')) return null;
  if (line.endsWith(' {}')) return { text: line.slice(0, -3), properties: {} };
  if (line === '{}') return { text: '', properties: {} };
  // `{Properties:j}` renders compact JSON with no space before `{"`, so the right-most ` {"`
  // normally starts it; earlier candidates cover messages that themselves end in JSON.
  let pos = line.length;
  for (let tries = 0; tries < MAX_PROPERTY_CANDIDATES; tries++) {
    const at = line.lastIndexOf('{"', pos - 1);
    if (at < 0) return null;
    pos = at;
    if (at > 0 && line[at - 1] !== ' ') continue;
    try {
      const v: unknown = JSON.parse(line.slice(at));
      if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
        return { text: at > 0 ? line.slice(0, at - 1) : '', properties: v as Record<string, unknown> };
      }
    } catch {
      // Not JSON from here (e.g. braces inside the message): try the next candidate to the left.
    }
  }
  return null;
}

/** A record with no fields set (no time, level, ids or text). */
export function emptyRecord(): LogRecord {
  return {
    offset: 0,
    file: '',
    time: null,
    level: null,
    correlationId: null,
    traceId: null,
    spanId: null,
    source: null,
    message: '',
    properties: null,
    exception: null,
    lineCount: 0,
    truncated: false,
  };
}

const idOrNull = (s: string): string | null => (s === '' ? null : s);

/** Parse one Serilog record (first line plus continuation lines). Non-matching text -> plain. */
export function parseSerilog(lines: string[]): LogRecord {
  const rec = emptyRecord();
  rec.lineCount = lines.length;
  const first = lines[0] ?? '';
  const m = SERILOG_START.exec(first);
  if (!m) return parsePlain(lines);
  rec.time = serilogTime(m);
  rec.level = m[11] as LogLevel;
  let rest = first.slice(m[0].length);
  const ids = SERILOG_IDS.exec(rest);
  if (ids) {
    rec.correlationId = idOrNull(ids[1]);
    rec.traceId = idOrNull(ids[2]);
    rec.spanId = idOrNull(ids[3]);
    rest = rest.slice(ids[0].length);
  }
  // The message may span lines (e.g. EF Core SQL); the properties JSON ends its last line and
  // everything after that line is the exception.
  const body = [rest, ...lines.slice(1)];
  let propsLine = -1;
  for (let i = 0; i < body.length; i++) {
    const split = splitProperties(body[i]);
    if (split) {
      body[i] = split.text;
      rec.properties = split.properties;
      propsLine = i;
      break;
    }
  }
  if (propsLine < 0) {
    rec.message = body.join('\n');
  } else {
    rec.message = body.slice(0, propsLine + 1).join('\n');
    const exc = body.slice(propsLine + 1).join('\n');
    rec.exception = exc.trim() === '' ? null : exc;
  }
  const sc = rec.properties?.SourceContext;
  if (typeof sc === 'string') rec.source = sc;
  return rec;
}

// .NET round-trip timestamps carry 7 fractional digits; Date.parse is not reliable past 3.
const ISO_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?(Z|[+-]\d{2}:?\d{2})?/;

export function parseIsoTime(s: string): number | null {
  const m = ISO_TIME.exec(s);
  if (!m) return null;
  const ms = m[7] ? Math.floor(Number(`0.${m[7]}`) * 1000) : 0;
  let t = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], ms);
  const z = m[8];
  if (z && z !== 'Z') {
    const sign = z[0] === '-' ? -1 : 1;
    const digits = z.slice(1).replace(':', '');
    t -= sign * (+digits.slice(0, 2) * 60 + +digits.slice(2, 4)) * 60_000;
  }
  return Number.isFinite(t) ? t : null;
}

/** MEL LogLevel numbers as written by ErrorLoggingService (Severity). */
const MEL_LEVELS: Record<number, LogLevel> = { 0: 'VRB', 1: 'DBG', 2: 'INF', 3: 'WRN', 4: 'ERR', 5: 'FTL' };
export const ERROR_CATEGORIES: Record<number, string> = {
  0: 'User',
  1: 'System',
  2: 'Provider',
  3: 'Network',
  4: 'Application',
};

function parseJsonObject(line: string): Record<string, unknown> | null {
  const t = line.trim();
  if (!t.startsWith('{')) return null;
  try {
    const v: unknown = JSON.parse(t);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

const str = (v: unknown): string | null => (typeof v === 'string' ? v : null);

/** One errors-yyyy-MM.jsonl entry (PascalCase keys, numeric Severity and Category). */
export function parseErrorsJsonl(lines: string[]): LogRecord {
  const o = parseJsonObject(lines.join('\n'));
  if (!o) return parsePlain(lines);
  const rec = emptyRecord();
  rec.lineCount = lines.length;
  rec.time = typeof o.Timestamp === 'string' ? parseIsoTime(o.Timestamp) : null;
  rec.level = typeof o.Severity === 'number' ? (MEL_LEVELS[o.Severity] ?? null) : null;
  rec.correlationId = str(o.CorrelationId);
  rec.source = typeof o.Category === 'number' ? (ERROR_CATEGORIES[o.Category] ?? String(o.Category)) : null;
  const code = str(o.ErrorCode);
  rec.message = (code ? `[${code}] ` : '') + (str(o.Message) ?? '');
  const type = str(o.ExceptionType);
  const stack = str(o.StackTrace);
  const inner = o.InnerException;
  const parts: string[] = [];
  if (type) parts.push(`${type}: ${str(o.Message) ?? ''}`);
  if (stack) parts.push(stack);
  if (inner !== null && inner !== undefined)
    parts.push(` ---> ${typeof inner === 'string' ? inner : JSON.stringify(inner)}`);
  rec.exception = parts.length ? parts.join('\n') : null;
  rec.properties = o;
  return rec;
}

const STARTUP_LEVELS: Record<string, LogLevel> = {
  silly: 'VRB',
  verbose: 'VRB',
  trace: 'VRB',
  debug: 'DBG',
  info: 'INF',
  warn: 'WRN',
  warning: 'WRN',
  error: 'ERR',
  fatal: 'FTL',
  critical: 'FTL',
};

/** One Electron startup-*.log entry: {level,timestamp,component,message,metadata}. */
export function parseStartupJsonl(lines: string[]): LogRecord {
  const o = parseJsonObject(lines.join('\n'));
  if (!o) return parsePlain(lines);
  const rec = emptyRecord();
  rec.lineCount = lines.length;
  rec.time = typeof o.timestamp === 'string' ? parseIsoTime(o.timestamp) : null;
  rec.level = typeof o.level === 'string' ? (STARTUP_LEVELS[o.level.toLowerCase()] ?? null) : null;
  rec.source = str(o.component);
  rec.message = str(o.message) ?? '';
  const meta = o.metadata;
  if (meta && typeof meta === 'object') {
    const err = (meta as Record<string, unknown>).error;
    if (err && typeof err === 'object') {
      const e = err as Record<string, unknown>;
      const text = [str(e.message), str(e.stack)].filter((x): x is string => x !== null).join('\n');
      rec.exception = text || null;
    }
  }
  rec.properties = o;
  return rec;
}

// Plain text: a leading ISO or `[ISO]` time and a level word are picked up when present.
const PLAIN_LEVEL =
  /\b(VRB|VERBOSE|TRACE|DBG|DEBUG|INF|INFO|WRN|WARN|WARNING|ERR|ERROR|FTL|FATAL|CRITICAL)\b/;
const PLAIN_LEVEL_MAP: Record<string, LogLevel> = {
  VRB: 'VRB',
  VERBOSE: 'VRB',
  TRACE: 'VRB',
  DBG: 'DBG',
  DEBUG: 'DBG',
  INF: 'INF',
  INFO: 'INF',
  WRN: 'WRN',
  WARN: 'WRN',
  WARNING: 'WRN',
  ERR: 'ERR',
  ERROR: 'ERR',
  FTL: 'FTL',
  FATAL: 'FTL',
  CRITICAL: 'FTL',
};

export function parsePlain(lines: string[]): LogRecord {
  const rec = emptyRecord();
  rec.lineCount = lines.length;
  const first = lines[0] ?? '';
  rec.message = lines.join('\n');
  const head = first.replace(/^\[/, '');
  rec.time = parseIsoTime(head);
  const lv = PLAIN_LEVEL.exec(first.slice(0, 80));
  rec.level = lv ? PLAIN_LEVEL_MAP[lv[1]] : null;
  return rec;
}

export function parseRecord(lines: string[], format: LogFormat): LogRecord {
  switch (format) {
    case 'serilog':
      return parseSerilog(lines);
    case 'errors-jsonl':
      return parseErrorsJsonl(lines);
    case 'startup-jsonl':
      return parseStartupJsonl(lines);
    default:
      return parsePlain(lines);
  }
}

/** Guess the format from the first lines of a file (the file name is a hint when lines are few). */
export function detectFormat(sampleLines: readonly string[], fileName?: string): LogFormat {
  let serilog = 0;
  let errors = 0;
  let startup = 0;
  let seen = 0;
  for (const raw of sampleLines) {
    const line = raw.replace(/^\uFEFF/, '');
    if (line.trim() === '') continue;
    seen++;
    if (isSerilogStart(line)) serilog++;
    else if (line.startsWith('{')) {
      const o = parseJsonObject(line);
      if (o && 'Severity' in o && 'Timestamp' in o) errors++;
      else if (o && 'level' in o && 'timestamp' in o && 'message' in o) startup++;
    }
  }
  if (seen > 0) {
    const best = Math.max(serilog, errors, startup);
    if (best > 0) {
      if (best === serilog) return 'serilog';
      if (best === errors) return 'errors-jsonl';
      return 'startup-jsonl';
    }
  }
  if (fileName) return formatForFileName(fileName) ?? 'plain';
  return 'plain';
}

/** The format implied by an Aura log file name, or null when the name says nothing. */
export function formatForFileName(name: string): LogFormat | null {
  if (/^errors-\d{4}-\d{2}.*\.jsonl$/i.test(name)) return 'errors-jsonl';
  if (/^startup-(?!summary).*\.log$/i.test(name)) return 'startup-jsonl';
  if (/^(aura-api|errors|warnings|performance|audit)-\d{8}(_\d{3})?\.log$/i.test(name)) return 'serilog';
  return null;
}

export interface LineIn {
  text: string;
  /** Byte offset of the line in its file. */
  offset: number;
  /** The line was cut for display. */
  truncated?: boolean;
}

/**
 * Turns a stream of lines into records: a line that does not start a record belongs to the
 * previous one. The last record is held until the next start or an explicit flush().
 */
export class RecordGrouper {
  private pending: LineIn[] = [];
  /** The lines of the record built last (a live filter matches them as a file search would). */
  lastLines: readonly LineIn[] = [];
  constructor(
    public format: LogFormat,
    private readonly file = '',
  ) {}

  push(line: LineIn): LogRecord | null {
    if (this.pending.length > 0 && isRecordStart(line.text, this.format)) {
      const done = this.build();
      this.pending = [line];
      return done;
    }
    this.pending.push(line);
    return null;
  }

  pushAll(lines: Iterable<LineIn>): LogRecord[] {
    const out: LogRecord[] = [];
    for (const l of lines) {
      const r = this.push(l);
      if (r) out.push(r);
    }
    return out;
  }

  /** Lines of the unfinished last record held so far. */
  get pendingLines(): number {
    return this.pending.length;
  }

  get hasPending(): boolean {
    return this.pending.length > 0;
  }

  /** Byte offset of the held record's first line, or null when none is held. */
  get pendingOffset(): number | null {
    return this.pending.length > 0 ? this.pending[0].offset : null;
  }

  flush(): LogRecord | null {
    if (this.pending.length === 0) return null;
    const r = this.build();
    this.pending = [];
    return r;
  }

  private build(): LogRecord {
    const r = parseRecord(
      this.pending.map((l) => l.text),
      this.format,
    );
    r.offset = this.pending[0].offset;
    r.file = this.file;
    r.truncated = this.pending.some((l) => l.truncated === true);
    this.lastLines = this.pending;
    return r;
  }
}

/** Plain-text rendering of a record (copy to clipboard, CLI text output). */
export function formatRecordText(r: LogRecord): string {
  const t = r.time === null ? '' : new Date(r.time).toISOString() + ' ';
  const lv = r.level ? `[${r.level}] ` : '';
  const ids = r.correlationId ? `[${r.correlationId}] ` : '';
  const props =
    r.properties && Object.keys(r.properties).length ? `\n${JSON.stringify(r.properties, null, 2)}` : '';
  const exc = r.exception ? `\n${r.exception}` : '';
  return `${t}${lv}${ids}${r.message}${props}${exc}`;
}
