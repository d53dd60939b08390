// Install variables in runbook code blocks ({{logsDir}}, {{dbPath}}, {{today}}, ...): which a
// block uses, the values an attached install gives them, and the filled text the viewer shows.
import type { InstallPaths } from '../install-types';
import { quoteIn, shellContexts } from '../shell-quote';

const VARIABLE_RE = /\{\{\s*([A-Za-z][A-Za-z0-9_]*)\s*\}\}/g;

/** Every variable the console knows, with what it means (shown in the README and the viewer). */
export const KNOWN_VARIABLES: Record<string, string> = {
  dataRoot: 'the install data root (AURA_DATA_PATH or the platform default)',
  logsDir: 'the Serilog logs directory',
  dbPath: 'the full path of aura.db',
  apiUrl: 'the API base URL, e.g. http://127.0.0.1:5005',
  tempDir: 'the install temp directory',
  appSettingsPath: 'the appsettings.json that was read',
  redisHost: 'the Redis host from Caching:RedisConnection',
  redisPort: 'the Redis port from Caching:RedisConnection',
  today: "today's date as yyyyMMdd (Serilog rolling file names)",
  yesterday: "yesterday's date as yyyyMMdd",
  month: 'this month as yyyy-MM (errors-yyyy-MM.jsonl)',
  apiLog: "the live main log: today's newest aura-api-yyyyMMdd[_NNN].log (see LIVE_LOG_RULE)",
  errorsLog: "the live errors log: today's newest errors-yyyyMMdd[_NNN].log",
  warningsLog: "the live warnings log: today's newest warnings-yyyyMMdd[_NNN].log",
  performanceLog: "the live performance log: today's newest performance-yyyyMMdd[_NNN].log",
  auditLog: "the live audit log: today's newest audit-yyyyMMdd[_NNN].log",
};

/** The variable of each Serilog file family's live file, by the family's file-name prefix (FACTS §2.2). */
export const LIVE_LOG_VARIABLES: Readonly<Record<string, string>> = {
  'aura-api': 'apiLog',
  errors: 'errorsLog',
  warnings: 'warningsLog',
  performance: 'performanceLog',
  audit: 'auditLog',
};

/**
 * How a live-log variable is resolved, when the step runs: today's newest roll of the family
 * (`_NNN` included); before the family has written today (just after midnight, or a quiet install),
 * the newest earlier file, which is the one Aura wrote last; with no file at all, today's name, the
 * file Aura will create (the command then says the file does not exist).
 */
export const LIVE_LOG_RULE =
  "today's newest roll (_NNN included); else the family's newest earlier file; else today's name";

const ROLL_NAME_RE = /^([a-z-]+)-(\d{8})(?:_(\d{3,9}))?\.log$/;

/**
 * The live file name of each family among `names` (the logs dir's file names) for `today`
 * (yyyyMMdd), by LIVE_LOG_RULE. Names that are not `prefix-yyyyMMdd[_NNN].log` are ignored, and so
 * are files dated after today (a skewed clock must not make a future file "live").
 */
export function liveLogNames(names: readonly string[], today: string): Record<string, string> {
  const best = new Map<string, { date: string; seq: number; name: string }>();
  for (const name of names) {
    const m = ROLL_NAME_RE.exec(name);
    if (!m || !Object.prototype.hasOwnProperty.call(LIVE_LOG_VARIABLES, m[1])) continue;
    const [, prefix, date, seqText] = m;
    if (date > today) continue;
    const seq = seqText === undefined ? 0 : Number(seqText);
    const cur = best.get(prefix);
    if (!cur || date > cur.date || (date === cur.date && seq > cur.seq))
      best.set(prefix, { date, seq, name });
  }
  const out: Record<string, string> = {};
  for (const prefix of Object.keys(LIVE_LOG_VARIABLES))
    out[prefix] = best.get(prefix)?.name ?? `${prefix}-${today}.log`;
  return out;
}

export function variablesIn(text: string): string[] {
  const found = new Set<string>();
  for (const m of text.matchAll(VARIABLE_RE)) found.add(m[1]);
  return [...found];
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

/** yyyyMMdd in the machine's local time, as Serilog names its rolling files. */
export function yyyymmdd(d: Date): string {
  return `${d.getFullYear()}${pad(d.getMonth() + 1)}${pad(d.getDate())}`;
}

/**
 * The values an install gives the variables; date variables come from `now` (local time). The
 * live-log variables need `logNames`, the file names in the logs dir as listed when the step runs;
 * without them (nothing listed) they are left unfilled.
 */
export function variablesFromInstall(
  paths: InstallPaths | null,
  now: Date,
  logNames?: readonly string[],
): Record<string, string> {
  const yesterday = new Date(now.getFullYear(), now.getMonth(), now.getDate() - 1, 12);
  const vars: Record<string, string> = {
    today: yyyymmdd(now),
    yesterday: yyyymmdd(yesterday),
    month: `${now.getFullYear()}-${pad(now.getMonth() + 1)}`,
  };
  if (!paths) return vars;
  vars.dataRoot = paths.dataRoot;
  vars.logsDir = paths.logsDir;
  vars.dbPath = paths.dbPath;
  vars.apiUrl = paths.apiUrl.replace(/\/+$/, '');
  vars.tempDir = paths.tempDir;
  if (paths.appSettingsPath) vars.appSettingsPath = paths.appSettingsPath;
  if (paths.redis.host) vars.redisHost = paths.redis.host;
  if (paths.redis.port !== null) vars.redisPort = String(paths.redis.port);
  if (logNames) {
    // Join as the logs dir is written: a Windows path keeps its backslashes.
    const sep = paths.logsDir.includes('\\') && !paths.logsDir.includes('/') ? '\\' : '/';
    const dir = paths.logsDir.replace(/[\\/]+$/, '');
    for (const [prefix, name] of Object.entries(liveLogNames(logNames, vars.today)))
      vars[LIVE_LOG_VARIABLES[prefix]] = `${dir}${sep}${name}`;
  }
  return vars;
}

export interface FilledText {
  filled: string;
  /** Variables the install does not give (left as written). */
  missing: string[];
  /** Variables written inside quotes or backticks ("{{dbPath}}"): the console quotes values itself. */
  quoted: string[];
  /** Variables whose value cannot be filled safely where they stand (a here-document, backticks). */
  refused: string[];
}

/**
 * Replace known variables, each value shell-quoted for where it stands so that any value stays one
 * word and is never expanded; unknown, unfilled or refused ones stay as written and are reported.
 */
export function fillVariables(text: string, vars: Record<string, string>): FilledText {
  const missing = new Set<string>();
  const quoted = new Set<string>();
  const refused = new Set<string>();
  const matches = [...text.matchAll(VARIABLE_RE)];
  const lengths = new Map(matches.map((m) => [m.index, m[0].length]));
  const contexts = shellContexts(
    text,
    matches.map((m) => m.index),
    (pos) => lengths.get(pos) ?? 1,
  );
  let filled = '';
  let last = 0;
  matches.forEach((m, k) => {
    const name = m[1];
    const context = contexts[k];
    filled += text.slice(last, m.index);
    last = m.index + m[0].length;
    if (context !== 'plain') quoted.add(name);
    if (!Object.prototype.hasOwnProperty.call(vars, name)) {
      missing.add(name);
      filled += m[0];
      return;
    }
    const value = quoteIn(vars[name], context);
    if (value === null) {
      refused.add(name);
      filled += m[0];
      return;
    }
    filled += value;
  });
  filled += text.slice(last);
  return { filled, missing: [...missing], quoted: [...quoted], refused: [...refused] };
}
