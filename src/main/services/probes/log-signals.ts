// The log probe: error rate over 5 and 15 minutes and the patterns triage needs (locked DB, cache
// and provider failures, fatal crashes, flood rate), from the newest aura-api-*.log files read
// backwards within a byte budget, so a log flood cannot make a sweep slow.
import fs from 'node:fs';
import path from 'node:path';
import type { ProbeDetail, ProbeResult, ProbeState } from '../../../shared/contract/probes';
import { RecordGrouper, isSerilogStart, parseSerilog, type LogRecord } from '../../../shared/serilog';
import type { InstallCandidate } from '../../../shared/install-types';
import {
  ageText,
  highErrorWindow,
  LOG_FLOOD_LINES_PER_SECOND,
  logPhase,
  SLOW_REQUESTS_MIN,
  type LogNewest,
  type LogSignals,
  type LogWindow,
} from '../../../shared/triage-signals';
import { listFileSet } from '../logs/paths';
import { errorRateOf, requestStatusOf } from '../logs/stats';
import { shellQuote } from '../../../shared/shell-quote';
import { nowMs } from '../../../shared/clock';
import { probeResult } from './result';

/** Bytes of log read per sweep at most: about 15k lines, a few tens of ms to parse. */
export const LOG_SCAN_BUDGET_BYTES = 2 * 1024 * 1024;
const MINUTE = 60_000;
/** Backward step while looking for the window start. */
const BACK_CHUNK_BYTES = 128 * 1024;
/** Bytes peeked at a chunk start to find the time of its first whole line. */
const PEEK_BYTES = 8 * 1024;
/** The short window of the 5xx rate (half a minute): what "now" means for an error spike. */
const RECENT_WINDOW_MINUTES = 0.5;

const PATTERNS = {
  dbLocked: /database is locked/i,
  dbCorrupt: /database disk image is malformed|SQLITE_CORRUPT|SQLite Error 11\b|file is not a database/i,
  cacheFailures: /^Cache (get|set) failed/i,
  providerFailures:
    /^Primary provider .* failed|circuit opened after|Even RuleBased fallback failed|All LLM providers failed/i,
  slowRequests: /SLOW REQUEST DETECTED|^Slow request/i,
} as const;

/** Records of the newest aura-api files with time >= since, within the byte budget. */
export function readRecentRecords(
  logsDir: string,
  since: number,
  budget = LOG_SCAN_BUDGET_BYTES,
): { records: LogRecord[]; coveredFrom: number; files: string[] } {
  const names = listFileSet(logsDir, 'aura-api-*.log').reverse();
  let left = budget;
  const chunks: LogRecord[][] = [];
  const used: string[] = [];
  let coveredFrom = since;
  for (const name of names) {
    const p = path.join(logsDir, name);
    let st: fs.Stats;
    try {
      st = fs.statSync(p);
    } catch {
      continue; // rolled away between listing and stat
    }
    // No mtime shortcut: the lines' own times decide (a copied folder or another clock makes mtimes lie).
    // Step back in chunks until a line older than the window (or the budget) is reached.
    let start = st.size;
    const fd = fs.openSync(p, 'r');
    let buf: Buffer;
    try {
      while (start > 0 && st.size - start < left) {
        start = Math.max(0, start - Math.min(BACK_CHUNK_BYTES, left - (st.size - start)));
        if (start === 0) break;
        const peek = Buffer.alloc(Math.min(PEEK_BYTES, st.size - start));
        fs.readSync(fd, peek, 0, peek.length, start);
        const lines = peek.toString('utf8').split('\n').slice(1);
        const t = lines
          .map((l) => (isSerilogStart(l) ? parseSerilog([l]).time : null))
          .find((x) => x !== null);
        if (t !== undefined && t !== null && t < since) break;
      }
      const take = st.size - start;
      buf = Buffer.alloc(take);
      fs.readSync(fd, buf, 0, take, start);
    } finally {
      fs.closeSync(fd);
    }
    const take = buf.length;
    left -= take;
    let text = buf.toString('utf8');
    let offset = start;
    if (start > 0) {
      // Drop the partial first line.
      const cut = text.indexOf('\n') + 1;
      offset += Buffer.byteLength(text.slice(0, cut));
      text = text.slice(cut);
    }
    const g = new RecordGrouper('serilog', name);
    const recs: LogRecord[] = [];
    for (const line of text.split('\n')) {
      const at = offset;
      offset += Buffer.byteLength(line) + 1;
      if (line === '' || line === '\r') continue;
      const r = g.push({ text: line.replace(/\r$/, ''), offset: at });
      if (r) recs.push(r);
    }
    const last = g.flush();
    if (last) recs.push(last);
    const inWindow = recs.filter((r) => r.time !== null && r.time >= since);
    chunks.unshift(inWindow);
    used.unshift(name);
    const first = recs.find((r) => r.time !== null);
    if (first && first.time !== null && first.time < since) break; // the window starts inside this file
    if (start > 0 || left <= 0) {
      // Budget spent before reaching the window start: say how far back we really saw.
      coveredFrom = first?.time ?? nowMs();
      break;
    }
  }
  return { records: chunks.flat(), coveredFrom: Math.max(since, coveredFrom), files: used };
}

function windowOf(
  records: LogRecord[],
  minutes: number,
  floor: number,
  coveredFrom: number,
  now: number,
): LogWindow {
  const since = Math.max(now - minutes * MINUTE, floor);
  const r = errorRateOf(records, since, now);
  const from = Math.max(since, coveredFrom);
  const coveredMinutes = Math.max(0, (now - from) / MINUTE);
  return {
    minutes,
    coveredMinutes: Math.round(coveredMinutes * 100) / 100,
    requests: r.requests,
    requests5xx: r.requests5xx,
    rate5xx: r.rate5xx,
    errors: r.errors,
    errorsPerMinute: coveredMinutes > 0 ? Math.round((r.errors / coveredMinutes) * 100) / 100 : 0,
  };
}

function localYmd(d: Date): string {
  return `${d.getFullYear()}${String(d.getMonth() + 1).padStart(2, '0')}${String(d.getDate()).padStart(2, '0')}`;
}

export interface LogProbeOutput {
  result: ProbeResult;
  logs: LogSignals | null;
}

/**
 * `floor` (epoch ms) cuts the windows: signals older than it are ignored (e.g. "since my fix").
 */
export function probeLogs(
  install: InstallCandidate,
  opts: { now?: number; floor?: number } = {},
): LogProbeOutput {
  const t0 = performance.now();
  const now = opts.now ?? nowMs();
  const floor = opts.floor ?? 0;
  const dir = install.paths.logsDir;
  const shell = `tail -n 100 ${shellQuote(path.join(dir, 'errors-'))}"$(date +%Y%m%d)".log`;
  const details: ProbeDetail[] = [];
  const done = (
    state: ProbeState,
    value: number | null,
    summary: string,
    logs: LogSignals | null,
  ): LogProbeOutput => ({
    result: probeResult(t0, {
      id: 'logs',
      title: 'Log error rate',
      state,
      value,
      unit: '% 5xx',
      summary,
      details,
      shell,
    }),
    logs,
  });
  if (!fs.existsSync(dir))
    return done(
      'not-configured',
      null,
      `No logs folder at ${dir}: Aura writes it once it runs; if AURA_LOGS_PATH points elsewhere set the logs override.`,
      null,
    );
  const since15 = Math.max(now - 15 * MINUTE, floor);
  let read: ReturnType<typeof readRecentRecords>;
  try {
    read = readRecentRecords(dir, since15);
  } catch (err) {
    return done('unknown', null, `Cannot read the logs in ${dir}: ${(err as Error).message}`, null);
  }
  const { records, coveredFrom } = read;
  const w30s = windowOf(records, RECENT_WINDOW_MINUTES, floor, coveredFrom, now);
  const m5 = windowOf(records, 5, floor, coveredFrom, now);
  const m15 = windowOf(records, 15, floor, coveredFrom, now);
  const since5 = Math.max(now - 5 * MINUTE, floor);
  const recent = records.filter((r) => r.time !== null && r.time >= since5 && r.time <= now);
  const hits = (re: RegExp): LogRecord[] =>
    recent.filter((r) => re.test(r.message) || (r.exception !== null && re.test(r.exception)));
  const matched = {
    dbLocked: hits(PATTERNS.dbLocked),
    dbCorrupt: hits(PATTERNS.dbCorrupt),
    cacheFailures: hits(PATTERNS.cacheFailures),
    providerFailures: hits(PATTERNS.providerFailures),
    slowRequests: hits(PATTERNS.slowRequests),
  };
  const fatals = recent.filter((r) => r.level === 'FTL');
  const newestOf = (rs: LogRecord[]): number | null =>
    rs.reduce<number | null>((m, r) => (r.time !== null && (m === null || r.time > m) ? r.time : m), null);
  const newest: LogNewest = {
    error: newestOf(recent.filter((r) => r.level === 'ERR' || r.level === 'FTL')),
    r5xx: newestOf(recent.filter((r) => (requestStatusOf(r) ?? 0) >= 500)),
    fatal: newestOf(fatals),
    dbLocked: newestOf(matched.dbLocked),
    dbCorrupt: newestOf(matched.dbCorrupt),
    cacheFailures: newestOf(matched.cacheFailures),
    providerFailures: newestOf(matched.providerFailures),
    slowRequests: newestOf(matched.slowRequests),
  };
  const perSecFrom = Math.max(now - MINUTE, coveredFrom, floor);
  const lastMinute = records.filter((r) => r.time !== null && r.time >= perSecFrom && r.time <= now).length;
  const linesPerSecond = Math.round((lastMinute / Math.max(1, (now - perSecFrom) / 1000)) * 10) / 10;
  const today = localYmd(new Date(now));
  const sizeRollsToday = listFileSet(dir, `aura-api-${today}_*.log`).length;
  const logs: LogSignals = {
    at: now,
    newest,
    recent: w30s,
    m5,
    m15,
    fatal: fatals.length,
    dbLocked: matched.dbLocked.length,
    dbCorrupt: matched.dbCorrupt.length,
    cacheFailures: matched.cacheFailures.length,
    providerFailures: matched.providerFailures.length,
    slowRequests: matched.slowRequests.length,
    linesPerSecond,
    sizeRollsToday,
    lastFatal: fatals.length ? fatals[fatals.length - 1].message.slice(0, 200) : null,
  };
  const rate = (w: LogWindow): string =>
    w.rate5xx === null ? 'no requests' : `${(w.rate5xx * 100).toFixed(1)}% 5xx of ${w.requests}`;
  const age = (t: number | null): string => (t === null ? '' : `, newest ${ageText(now - t)}`);
  details.push(
    {
      label: 'Last 30 s',
      value: `${rate(w30s)}, ${w30s.errors} ERR/FTL${w30s.coveredMinutes < RECENT_WINDOW_MINUTES ? `, read back ${Math.round(w30s.coveredMinutes * 60)} s` : ''}`,
    },
    {
      label: 'Last 5 min',
      value: `${rate(m5)}${age(newest.r5xx)}, ${m5.errors} ERR/FTL (${m5.errorsPerMinute}/min)${age(newest.error)}${m5.coveredMinutes < 5 ? `, read back ${m5.coveredMinutes} min` : ''}`,
    },
    {
      label: 'Last 15 min',
      value: `${rate(m15)}, ${m15.errors} ERR/FTL (${m15.errorsPerMinute}/min)${m15.coveredMinutes < 15 ? `, read back ${m15.coveredMinutes} min` : ''}`,
    },
    {
      label: 'Volume',
      value: `${linesPerSecond} lines/s, ${sizeRollsToday} size rolls today`,
      state: linesPerSecond > LOG_FLOOD_LINES_PER_SECOND ? 'degraded' : 'ok',
    },
  );
  // The same fading as the triage (logPhase): a symptom quiet for a while is "recovering", then no
  // longer counts against the card's state, so card and triage never disagree.
  // [label, count, newest, the count from which it is a symptom (the triage rule's own line)]
  const named: [string, number, number | null, number][] = [
    ['"database is locked"', logs.dbLocked, newest.dbLocked, 1],
    ['corruption errors', logs.dbCorrupt, newest.dbCorrupt, 1],
    ['cache failures', logs.cacheFailures, newest.cacheFailures, 1],
    ['provider failures', logs.providerFailures, newest.providerFailures, 1],
    ['slow requests', logs.slowRequests, newest.slowRequests, SLOW_REQUESTS_MIN],
    ['fatal (FTL)', logs.fatal, newest.fatal, 1],
  ];
  const phase = (t: number | null): string => {
    const p = logPhase(t, now);
    return p === 'now' ? '' : p === 'recovering' ? ' (recovering)' : ' (quiet since)';
  };
  for (const [label, n, t, min] of named)
    if (n > 0)
      details.push({
        label,
        value: `${n} in 5 min${age(t)}${n < min ? ` (under ${min}: not a symptom)` : phase(t)}`,
        state: n < min || logPhase(t, now) === 'gone' ? 'ok' : 'degraded',
      });
  details.push({ label: 'Files read', value: read.files.join(', ') || 'none in the window' });

  const symptoms = [
    ...named.filter(([, n, , min]) => n >= min).map(([, , t]) => logPhase(t, now)),
    ...(m5.requests5xx > 0 ? [logPhase(newest.r5xx, now)] : []),
  ];
  const flooding = linesPerSecond > LOG_FLOOD_LINES_PER_SECOND;
  const anyNow = flooding || symptoms.includes('now');
  const anyRecovering = symptoms.includes('recovering');
  const high = highErrorWindow(logs);
  const highNow = high !== null && logPhase(newest.r5xx, now) === 'now';
  // Corruption lines make this card degraded, not unhealthy: whether aura.db is damaged now is the
  // aura.db card's integrity check to say (the triage lets a passing check settle these lines).
  const state: ProbeState = highNow ? 'unhealthy' : anyNow || anyRecovering ? 'degraded' : 'ok';
  const value = m5.rate5xx === null ? null : Math.round(m5.rate5xx * 1000) / 10;
  const extra = named.filter(([, n]) => n > 0).map(([l, n, t]) => `${n} ${l}${age(t)}`);
  const summary =
    `${rate(m5)} in 5 min${age(newest.r5xx)}, ${m5.errors} ERR/FTL` +
    (extra.length ? `; ${extra.join(', ')}` : '') +
    (flooding ? `; flooding at ${Math.round(linesPerSecond)} lines/s` : '') +
    (highNow
      ? `. Above the 5% line${high.minutes < 5 ? ` in the last 30 s (${rate(high)})` : ''}: see High Error Rates.`
      : !anyNow && anyRecovering
        ? '. No new error for a while: recovering.'
        : '.');
  return done(state, value, summary, logs);
}
