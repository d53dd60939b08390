// `aura-ops logs tail|search|stats`: the logs service from the command line, for scripts and for
// checking it from outside. Records print as text or, with --json, one JSON object per line.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OpsError } from '../../../shared/errors';
import {
  LEVELS,
  detectFormat,
  parseRecord,
  type LogFormat,
  type LogLevel,
  type LogRecord,
} from '../../../shared/serilog';
import { isRecordStart } from '../../../shared/log-record-start';
import type { IndexedRecord } from '../../../shared/contract/logs';
import type { CliCommand, CliIO } from '../../cli-types';
import type { ServiceContext } from '../context';
import { compileSearch, sampleLines } from './file-reader';
import { LineSplitter } from './line-splitter';
import { LOG_FAMILIES, familyById, listFileSet } from './paths';
import { errorRateOf, histogramOf, readSetSince, windowStart } from './stats';
import { LogsService } from './service';
import { nowMs } from '../../../shared/clock';
import { AS_OF_ENV } from '../install/env';

/** Records printed by `logs tail` without --follow (and before following). */
const DEFAULT_TAIL_RECORDS = 20;

const HELP = `Usage:
  aura-ops logs tail [FILE-PATTERN...] [--dir DIR] [--family aura-api] [--level WRN] [--lines N]
                     [--follow] [--format F] [--json]
  aura-ops logs search [FILE-PATTERN...] --regex R [--dir DIR] [--family F] [--level L]
                     [--since T] [--until T] [--ignore-case] [--count] [--json]
  aura-ops logs search --dir DIR REGEX ...
  aura-ops logs stats --dir DIR [--family aura-api] [--minutes 15] [--json]

FILE-PATTERN is a path with * or ? in its file name (e.g. logs/aura-api-*.log); --dir with
--family names one of: ${LOG_FAMILIES.map((f) => f.id).join(', ')}.
--level L keeps records at L and above (VRB DBG INF WRN ERR FTL).
--since/--until take an ISO time or a relative age such as 15m, 2h, 1d. A window reads every
file it spans (a day's rolls, the day before) and only the part of each inside it.
--count prints the number of matching records, as grep -c does (exit 1 when it is 0).
Ages count back from now, or from ${'$'}AURA_OPS_AS_OF when set (ISO): the console sets it to a
support bundle's recorded time in the bundle's shells and steps.
--json prints one object per record: file, offset, time, level, correlationId, traceId, spanId,
source, message, exception, properties.
`;

interface FileSet {
  dir: string;
  pattern: string;
  format: LogFormat | null;
}

function fail(io: CliIO, message: string): number {
  io.err(message);
  return 2;
}

function minLevelList(level: string | undefined): Set<LogLevel> | null {
  if (level === undefined) return null;
  const i = LEVELS.indexOf(level.toUpperCase() as LogLevel);
  if (i < 0) throw new OpsError('bad-request', `Unknown level "${level}". Use one of ${LEVELS.join(' ')}.`);
  return new Set(LEVELS.slice(i));
}

/**
 * The instant relative ages (--since 15m, --minutes 5) count back from: now, or on a support
 * bundle the time it was recorded, which the console gives its steps and shells as
 * AURA_OPS_AS_OF (ISO, install/env.ts). A bundle opened a week later still reads its last hour, not this one.
 */
export function anchorMs(env: NodeJS.ProcessEnv = process.env): { ms: number; asOf: string | null } {
  const v = env[AS_OF_ENV];
  const t = v ? Date.parse(v) : Number.NaN;
  return Number.isNaN(t) ? { ms: nowMs(), asOf: null } : { ms: t, asOf: new Date(t).toISOString() };
}

export function parseTimeArg(s: string | undefined, now = anchorMs().ms): number | null {
  if (s === undefined) return null;
  const rel = /^(\d+(?:\.\d+)?)(s|m|h|d)$/.exec(s.trim());
  if (rel) {
    const unit = { s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[rel[2] as 's' | 'm' | 'h' | 'd'];
    return now - Number(rel[1]) * unit;
  }
  const t = Date.parse(s);
  if (Number.isNaN(t))
    throw new OpsError(
      'bad-request',
      `Cannot read the time "${s}". Use ISO (2025-12-08T15:00:00Z) or an age like 15m.`,
    );
  return t;
}

function fileSets(
  positionals: string[],
  dir: string | undefined,
  family: string | undefined,
  format: string | undefined,
): FileSet[] {
  const forced = format === undefined ? null : (format as LogFormat);
  const sets: FileSet[] = positionals.map((p) => ({
    dir: path.dirname(path.resolve(p)),
    pattern: path.basename(p),
    format: forced,
  }));
  if (dir !== undefined && sets.length === 0) {
    const fam = familyById(family ?? 'aura-api');
    if (!fam)
      throw new OpsError(
        'bad-request',
        `Unknown family "${family}". Use one of: ${LOG_FAMILIES.map((f) => f.id).join(', ')}.`,
      );
    sets.push({ dir: path.resolve(dir), pattern: fam.pattern, format: forced ?? fam.format });
  }
  if (sets.length === 0)
    throw new OpsError(
      'bad-request',
      'Name the logs: a FILE-PATTERN such as logs/aura-api-*.log, or --dir DIR.',
    );
  return sets;
}

function formatOf(set: FileSet, file: string): LogFormat {
  return set.format ?? detectFormat(sampleLines(file), path.basename(file));
}

function toJson(r: LogRecord): Record<string, unknown> {
  return {
    file: r.file,
    offset: r.offset,
    time: r.time === null ? null : new Date(r.time).toISOString(),
    level: r.level,
    correlationId: r.correlationId,
    traceId: r.traceId,
    spanId: r.spanId,
    source: r.source,
    message: r.message,
    exception: r.exception,
    properties: r.properties,
    ...(r.truncated ? { truncated: true } : {}),
  };
}

function printRecord(io: CliIO, r: LogRecord, json: boolean): void {
  if (json) {
    io.out(JSON.stringify(toJson(r)));
    return;
  }
  const t = r.time === null ? '-' : new Date(r.time).toISOString();
  const ids = r.correlationId ? ` [${r.correlationId}]` : '';
  io.out(`${r.file} ${t} ${r.level ?? '---'}${ids} ${r.message}${r.exception ? `\n${r.exception}` : ''}`);
}

async function tail(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      family: { type: 'string' },
      level: { type: 'string' },
      lines: { type: 'string', short: 'n' },
      follow: { type: 'boolean', short: 'f', default: false },
      format: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(HELP.trimEnd());
    return 0;
  }
  const sets = fileSets(positionals, values.dir, values.family, values.format);
  const keep = minLevelList(values.level);
  const count = values.lines === undefined ? DEFAULT_TAIL_RECORDS : Number(values.lines);
  if (!Number.isInteger(count) || count < 0)
    return fail(io, `--lines wants a whole number, got "${values.lines}".`);
  for (const set of sets) {
    if (!fs.existsSync(set.dir) && !values.follow)
      return fail(io, `No such folder: ${set.dir}. Check the path or use --follow to wait for it.`);
    if (!values.follow && listFileSet(set.dir, set.pattern).length === 0)
      return fail(io, `No file matches ${set.pattern} in ${set.dir}.`);
  }
  // The panes' own live path (tailer, record grouping and hold, batches), over the folders named
  // here: the operator's shell could read them anyway, so the console's log-root policy, which
  // keeps what a pane may open, does not apply to what the CLI is asked to read.
  const disposers: (() => void | Promise<void>)[] = [];
  /** Per pane: every record below this index was printed (or filtered out) already. */
  const seen = new Map<string, number>();
  const emit = (r: LogRecord) => {
    if (!keep || (r.level !== null && keep.has(r.level))) printRecord(io, r, values.json);
  };
  const ctx: ServiceContext = {
    dataDir: os.tmpdir(),
    getInstall: () => null,
    emit: (event, payload) => {
      if (event === 'logs:batch') {
        const b = payload as { paneId: string; records: IndexedRecord[] };
        const from = seen.get(b.paneId);
        if (from === undefined) return;
        for (const r of b.records) if (r.index >= from) emit(r);
        seen.set(b.paneId, Math.max(from, b.records[b.records.length - 1].index + 1));
      } else if (event === 'logs:pane-status') {
        const s = payload as { kind: string; message: string };
        if (s.kind !== 'following') io.err(`[${s.kind}] ${s.message}`);
      }
    },
    onDispose: (fn) => disposers.push(fn),
  };
  const logs = new LogsService(ctx, { roots: sets.map((s) => s.dir) });
  try {
    for (const set of sets) {
      const files = listFileSet(set.dir, set.pattern);
      const newest = files.length ? path.join(set.dir, files[files.length - 1]) : null;
      const format = newest ? formatOf(set, newest) : (set.format ?? 'serilog');
      const pane = logs.openFileSet({ dir: set.dir, pattern: set.pattern, format, tailRecords: count });
      const page = await logs.page({
        paneId: pane.paneId,
        fromLine: -count,
        count,
        levels: keep ? [...keep] : undefined,
      });
      for (const r of count === 0 ? [] : page.records) printRecord(io, r, values.json);
      seen.set(pane.paneId, page.unfilteredTotal);
    }
    if (!values.follow) return 0;
    // The tailers' timers do not hold the process open (they serve long-lived hosts); this does.
    const keepAlive = setInterval(() => undefined, 1 << 30);
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
    });
    clearInterval(keepAlive);
    return 0;
  } finally {
    for (const d of disposers) await d();
  }
}

async function search(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      dir: { type: 'string' },
      family: { type: 'string' },
      regex: { type: 'string', short: 'e' },
      level: { type: 'string' },
      since: { type: 'string' },
      until: { type: 'string' },
      format: { type: 'string' },
      'ignore-case': { type: 'boolean', short: 'i', default: false },
      count: { type: 'boolean', short: 'c', default: false },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(HELP.trimEnd());
    return 0;
  }
  const pos = [...positionals];
  let pattern = values.regex;
  if (pattern === undefined) {
    if (values.dir === undefined || pos.length === 0)
      return fail(io, 'Give the regex: --regex R, or --dir DIR REGEX. See --help.');
    pattern = pos.shift() as string;
  }
  let re: RegExp;
  try {
    re = compileSearch(pattern, { regex: true, caseSensitive: !values['ignore-case'] }).re;
  } catch (err) {
    return fail(io, `The regex is not valid: ${(err as Error).message}`);
  }
  const single = new RegExp(re.source, re.flags.replace('g', ''));
  const keep = minLevelList(values.level);
  const since = parseTimeArg(values.since);
  const until = parseTimeArg(values.until);
  let matches = 0;
  for (const set of fileSets(pos, values.dir, values.family, values.format)) {
    for (const { name, from, format } of filesToScan(set, since)) {
      matches += scanFile(path.join(set.dir, name), name, from, format, single, (r) => {
        if (keep && (r.level === null || !keep.has(r.level))) return false;
        if (since !== null && (r.time === null || r.time < since)) return false;
        if (until !== null && (r.time === null || r.time > until)) return false;
        if (!values.count) printRecord(io, r, values.json);
        return true;
      });
    }
  }
  // As grep -c: the count on stdout, and exit 1 when it is 0.
  if (values.count) io.out(String(matches));
  else if (!values.json) io.err(`${matches} matching record(s)`);
  return matches > 0 ? 0 : 1;
}

/**
 * The files of a set to read, oldest first, each with the offset to start at. With --since, only
 * the files that reach into the window, each from where the window starts in it (found by the
 * records' own times, read backwards from the end), so a window over a big day costs its tail.
 */
function filesToScan(
  set: FileSet,
  since: number | null,
): { name: string; from: number; format: LogFormat }[] {
  const names = listFileSet(set.dir, set.pattern);
  const formatIn = (name: string) => formatOf(set, path.join(set.dir, name));
  if (since === null) return names.map((name) => ({ name, from: 0, format: formatIn(name) }));
  const plan: { name: string; from: number; format: LogFormat }[] = [];
  for (const name of names.reverse()) {
    const format = formatIn(name);
    const fd = fs.openSync(path.join(set.dir, name), 'r');
    try {
      const { from, reachedOlder } = windowStart(fd, fs.fstatSync(fd).size, since, format, Infinity);
      plan.unshift({ name, from, format });
      if (reachedOlder) break;
    } finally {
      fs.closeSync(fd);
    }
  }
  return plan;
}

/** Stream a file record by record; records with a line matching `re` go to `accept`. */
function scanFile(
  file: string,
  name: string,
  start: number,
  format: LogFormat,
  re: RegExp,
  accept: (r: LogRecord) => boolean,
): number {
  let n = 0;
  let lines: string[] = [];
  let offset = 0;
  let hit = false;
  const finish = () => {
    if (lines.length && hit) {
      const r = parseRecord(lines, format);
      r.file = name;
      r.offset = offset;
      if (accept(r)) n++;
    }
    lines = [];
    hit = false;
  };
  const s = new LineSplitter(start);
  const fd = fs.openSync(file, 'r');
  const buf = Buffer.allocUnsafe(4 * 1024 * 1024);
  try {
    let pos = start;
    for (;;) {
      const got = fs.readSync(fd, buf, 0, buf.length, pos);
      const fed = got > 0 ? s.feed(buf.subarray(0, got)) : [s.flushPartial()].filter((l) => l !== null);
      for (const l of fed) {
        if (lines.length && isRecordStart(l.text, format)) finish();
        if (!lines.length) offset = l.offset;
        lines.push(l.text);
        if (!hit && re.test(l.text)) hit = true;
      }
      if (got <= 0) break;
      pos += got;
    }
    finish();
  } finally {
    fs.closeSync(fd);
  }
  return n;
}

async function stats(argv: string[], io: CliIO): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    allowPositionals: false,
    options: {
      dir: { type: 'string' },
      family: { type: 'string', default: 'aura-api' },
      minutes: { type: 'string', default: '15' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    io.out(HELP.trimEnd());
    return 0;
  }
  if (values.dir === undefined) return fail(io, 'Give the logs folder: --dir DIR.');
  const fam = familyById(values.family);
  if (!fam) return fail(io, `Unknown family "${values.family}".`);
  const minutes = Number(values.minutes);
  if (!(minutes > 0)) return fail(io, `--minutes wants a positive number, got "${values.minutes}".`);
  const dir = path.resolve(values.dir);
  if (!fs.existsSync(dir)) return fail(io, `No such folder: ${dir}.`);
  const { ms: now, asOf } = anchorMs();
  const since = now - minutes * 60_000;
  const { records, files } = readSetSince(dir, fam.pattern, fam.format, since);
  const rate = errorRateOf(records, since, now, files);
  const histogram = histogramOf(records.filter((r) => r.time !== null && r.time >= since));
  if (values.json) {
    io.out(JSON.stringify({ ...rate, histogram }));
    return 0;
  }
  const pct = rate.rate5xx === null ? 'n/a (no completed requests)' : `${(rate.rate5xx * 100).toFixed(1)}%`;
  io.out(
    `Last ${minutes} min${asOf ? ` before ${asOf} (the bundle's time)` : ''} of ${fam.id} (${files.join(', ') || 'no files'}):\n` +
      `  requests completed: ${rate.requests}, 5xx: ${rate.requests5xx} (${pct})\n` +
      `  ERR+FTL: ${rate.errors} (${rate.errorsPerMinute.toFixed(2)}/min)`,
  );
  return 0;
}

export const logsCommand: CliCommand = async (argv, io) => {
  const [sub, ...rest] = argv;
  try {
    switch (sub) {
      case 'tail':
        return await tail(rest, io);
      case 'search':
        return await search(rest, io);
      case 'stats':
        return await stats(rest, io);
      case undefined:
      case '--help':
      case '-h':
      case 'help':
        io.out(HELP.trimEnd());
        return sub === undefined ? 2 : 0;
      default:
        return fail(io, `Unknown logs command "${sub}". Use tail, search or stats (see --help).`);
    }
  } catch (err) {
    if (
      err instanceof OpsError ||
      String((err as { code?: unknown }).code ?? '').startsWith('ERR_PARSE_ARGS')
    ) {
      return fail(io, (err as Error).message);
    }
    throw err;
  }
};
