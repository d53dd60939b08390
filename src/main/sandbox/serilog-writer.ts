// Writes log events exactly as Aura's Serilog file sinks do (FACTS §2.2-2.3): the file template,
// the five file families with their level filters, daily and size rolls, and retention. Reusable
// by anyone who needs realistic Aura log fixtures (formatLine alone, or a whole SerilogFileSet).
import fs from 'node:fs';
import path from 'node:path';

export type SerilogLevel = 'VRB' | 'DBG' | 'INF' | 'WRN' | 'ERR' | 'FTL';

const LEVEL_RANK: Record<SerilogLevel, number> = { VRB: 0, DBG: 1, INF: 2, WRN: 3, ERR: 4, FTL: 5 };

/** One Serilog event, already rendered (Message:lj) with its remaining properties. */
export interface LogEvent {
  time: Date;
  level: SerilogLevel;
  /** Empty/undefined outside an HTTP request: the line then shows `[] [] []`. */
  correlationId?: string;
  traceId?: string;
  spanId?: string;
  message: string;
  /** Written as `{Properties:j}`: every property the template does not bind. */
  properties: Record<string, unknown>;
  /** Multi-line exception text (`Type: message`, `   at …` frames, ` ---> ` inner), no trailing newline. */
  exception?: string;
}

/** The exact file template of Aura.Api/Program.cs. */
export const FILE_TEMPLATE =
  '[{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz}] [{Level:u3}] [{CorrelationId}] [{TraceId}] [{SpanId}] {Message:lj} {Properties:j}{NewLine}{Exception}';

/**
 * Matches the first physical line of one event written with FILE_TEMPLATE. Groups: timestamp,
 * level, correlation id, trace id, span id, message, properties JSON. Messages may themselves span
 * lines (EF SQL), in which case the properties sit on a later line; exceptions follow the line.
 */
export const SERILOG_LINE_RE =
  /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3} [+-]\d{2}:\d{2})\] \[(VRB|DBG|INF|WRN|ERR|FTL)\] \[([^\]]*)\] \[([^\]]*)\] \[([^\]]*)\] (.*?)(?: (\{.*\}))?$/;

export interface SinkSpec {
  /** File name prefix, e.g. `aura-api-` -> `aura-api-20251208.log`. */
  prefix: string;
  minLevel: SerilogLevel;
  /** retainedFileCountLimit (Serilog counts `_NNN` roll files too). */
  retained: number;
}

/** The five file sinks (FACTS §2.2); performance- and audit- have no category filter (quirk kept). */
export const AURA_SINKS: readonly SinkSpec[] = [
  { prefix: 'aura-api-', minLevel: 'INF', retained: 30 },
  { prefix: 'errors-', minLevel: 'ERR', retained: 30 },
  { prefix: 'warnings-', minLevel: 'WRN', retained: 30 },
  { prefix: 'performance-', minLevel: 'INF', retained: 30 },
  { prefix: 'audit-', minLevel: 'VRB', retained: 90 },
];

/** Aura's fileSizeLimitBytes (100 MB) for every file sink. */
export const AURA_FILE_SIZE_LIMIT = 100_000_000;

function pad(n: number, w = 2): string {
  return String(n).padStart(w, '0');
}

/** The machine's local offset for `d`, in minutes east of UTC (what .NET's `zzz` prints). */
export function localOffsetMinutes(d: Date): number {
  return -d.getTimezoneOffset();
}

/** `yyyy-MM-dd HH:mm:ss.fff zzz` in the given offset (minutes east of UTC). */
export function formatTimestamp(d: Date, offsetMinutes = localOffsetMinutes(d)): string {
  const w = new Date(d.getTime() + offsetMinutes * 60_000);
  const sign = offsetMinutes < 0 ? '-' : '+';
  const abs = Math.abs(offsetMinutes);
  return (
    `${w.getUTCFullYear()}-${pad(w.getUTCMonth() + 1)}-${pad(w.getUTCDate())} ` +
    `${pad(w.getUTCHours())}:${pad(w.getUTCMinutes())}:${pad(w.getUTCSeconds())}.${pad(w.getUTCMilliseconds(), 3)} ` +
    `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`
  );
}

/** `yyyyMMdd` of the local date in the given offset: the rolling file's date. */
export function fileDate(d: Date, offsetMinutes = localOffsetMinutes(d)): string {
  const w = new Date(d.getTime() + offsetMinutes * 60_000);
  return `${w.getUTCFullYear()}${pad(w.getUTCMonth() + 1)}${pad(w.getUTCDate())}`;
}

export interface FormatOptions {
  /** Minutes east of UTC; default: the machine's local offset at the event time. */
  offsetMinutes?: number;
  /** `{NewLine}`: `\r\n` on Windows (where Aura runs), `\n` by default here. */
  newline?: string;
}

/** One event as the file sink writes it, including the trailing newline and any exception lines. */
export function formatLine(e: LogEvent, opts: FormatOptions = {}): string {
  const nl = opts.newline ?? '\n';
  const ts = formatTimestamp(e.time, opts.offsetMinutes ?? localOffsetMinutes(e.time));
  const head = `[${ts}] [${e.level}] [${e.correlationId ?? ''}] [${e.traceId ?? ''}] [${e.spanId ?? ''}] `;
  const message = nl === '\n' ? e.message : e.message.replace(/\n/g, nl);
  let line = `${head}${message} ${JSON.stringify(e.properties)}${nl}`;
  if (e.exception) line += (nl === '\n' ? e.exception : e.exception.replace(/\n/g, nl)) + nl;
  return line;
}

interface OpenFile {
  date: string;
  seq: number;
  fd: number;
  size: number;
}

export interface FileSetOptions extends FormatOptions {
  /** Size at which a file rolls to `_001`, `_002`…; Aura uses 100 MB. */
  fileSizeLimitBytes?: number;
  sinks?: readonly SinkSpec[];
}

/** Name of a rolling file: `aura-api-20251208.log` or, for sequence n > 0, `aura-api-20251208_00n.log`. */
export function rollingFileName(prefix: string, date: string, seq: number): string {
  return seq === 0 ? `${prefix}${date}.log` : `${prefix}${date}_${pad(seq, 3)}.log`;
}

const ROLL_NAME_RE = /^(.*-)(\d{8})(?:_(\d{3,}))?\.log$/;

/**
 * The five rolling file sinks of one Aura process. Writes are synchronous appends (like Serilog's
 * non-buffered file sink), so `tail -f` and other readers see each batch as soon as it returns.
 */
export class SerilogFileSet {
  private readonly open = new Map<string, OpenFile>();
  private readonly sinks: readonly SinkSpec[];
  private readonly limit: number;
  private bytes = 0;
  private lines = 0;

  constructor(
    readonly logsDir: string,
    private readonly opts: FileSetOptions = {},
  ) {
    this.sinks = opts.sinks ?? AURA_SINKS;
    this.limit = opts.fileSizeLimitBytes ?? AURA_FILE_SIZE_LIMIT;
    fs.mkdirSync(logsDir, { recursive: true });
  }

  /** Bytes and events written through this set since it was created (all files together). */
  get stats(): { bytes: number; events: number } {
    return { bytes: this.bytes, events: this.lines };
  }

  /** Write events in order; events of one batch sharing a file are appended in one write. */
  write(events: readonly LogEvent[]): void {
    if (events.length === 0) return;
    // Format each event once; every sink it passes gets the same text.
    const texts: string[] = new Array(events.length);
    const sizes: number[] = new Array(events.length);
    const dates: string[] = new Array(events.length);
    for (let i = 0; i < events.length; i++) {
      const e = events[i];
      const off = this.opts.offsetMinutes ?? localOffsetMinutes(e.time);
      texts[i] = formatLine(e, { ...this.opts, offsetMinutes: off });
      sizes[i] = Buffer.byteLength(texts[i]);
      dates[i] = fileDate(e.time, off);
    }
    // Group consecutive text per (sink, date) so a batch is a handful of syscalls.
    for (const sink of this.sinks) {
      const min = LEVEL_RANK[sink.minLevel];
      let pendingDate: string | null = null;
      let chunk: string[] = [];
      let chunkSizes: number[] = [];
      const flush = (): void => {
        if (pendingDate !== null && chunk.length > 0) this.append(sink, pendingDate, chunk, chunkSizes);
        chunk = [];
        chunkSizes = [];
      };
      for (let i = 0; i < events.length; i++) {
        if (LEVEL_RANK[events[i].level] < min) continue;
        if (dates[i] !== pendingDate) {
          flush();
          pendingDate = dates[i];
        }
        chunk.push(texts[i]);
        chunkSizes.push(sizes[i]);
        this.lines++;
      }
      flush();
    }
  }

  /** Close every open file handle (the files stay). */
  close(): void {
    for (const f of this.open.values()) fs.closeSync(f.fd);
    this.open.clear();
  }

  private append(sink: SinkSpec, date: string, texts: string[], sizes: number[]): void {
    let file = this.current(sink, date);
    // Serilog checks the size before each event: a full file refuses the event and the sink rolls.
    let start = 0;
    while (start < texts.length) {
      if (file.size >= this.limit) file = this.roll(sink, date, file.seq + 1);
      let end = start;
      let size = file.size;
      while (end < texts.length && size < this.limit) {
        size += sizes[end];
        end++;
      }
      fs.writeSync(file.fd, end - start === 1 ? texts[start] : texts.slice(start, end).join(''));
      this.bytes += size - file.size;
      file.size = size;
      start = end;
    }
  }

  private current(sink: SinkSpec, date: string): OpenFile {
    const existing = this.open.get(sink.prefix);
    if (existing && existing.date === date) return existing;
    // A restarted process continues the day's newest file, as Serilog does.
    let seq = 0;
    for (const name of safeReaddir(this.logsDir)) {
      const m = ROLL_NAME_RE.exec(name);
      if (m && m[1] === sink.prefix && m[2] === date) seq = Math.max(seq, m[3] ? Number(m[3]) : 0);
    }
    return this.roll(sink, date, seq);
  }

  private roll(sink: SinkSpec, date: string, seq: number): OpenFile {
    const prev = this.open.get(sink.prefix);
    if (prev) fs.closeSync(prev.fd);
    const p = path.join(this.logsDir, rollingFileName(sink.prefix, date, seq));
    const fd = fs.openSync(p, 'a');
    const file: OpenFile = { date, seq, fd, size: fs.fstatSync(fd).size };
    this.open.set(sink.prefix, file);
    applyRetention(this.logsDir, sink);
    return file;
  }
}

function safeReaddir(dir: string): string[] {
  try {
    return fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
}

/** Serilog's retainedFileCountLimit: keep the newest N files of a family (date, then sequence). */
export function applyRetention(logsDir: string, sink: SinkSpec): string[] {
  const files: { name: string; key: string }[] = [];
  for (const name of safeReaddir(logsDir)) {
    const m = ROLL_NAME_RE.exec(name);
    if (m && m[1] === sink.prefix) files.push({ name, key: `${m[2]}_${(m[3] ?? '').padStart(6, '0')}` });
  }
  files.sort((a, b) => (a.key < b.key ? 1 : a.key > b.key ? -1 : 0));
  const removed: string[] = [];
  for (const f of files.slice(sink.retained)) {
    fs.rmSync(path.join(logsDir, f.name), { force: true });
    removed.push(f.name);
  }
  return removed;
}
