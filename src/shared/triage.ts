// Triage: from probe signals and log signals to a handbook severity (SEV-1..SEV-4, with its
// response time) and ranked runbook suggestions, each with the reason shown. Rules are data.
// Current state leads: a log-derived reason names its window and the age of its newest record,
// turns "recovering" when the symptom goes quiet and drops soon after; notes stand apart.
import { severityLevel, type HandbookRunbook, type HandbookSeverity } from './handbook';
import { nowMs } from './clock';

export type AspStatus = 'healthy' | 'degraded' | 'unhealthy';

/** One check of /health/ready (or /health): name, lowercase status, description, data. */
export interface ApiCheckSignal {
  name: string;
  status: AspStatus;
  description: string;
  data: Record<string, unknown>;
}

/** One time window over the main log (aura-api-*.log). */
export interface LogWindow {
  minutes: number;
  /** Minutes actually read (less than `minutes` when the byte budget ran out, e.g. in a log flood). */
  coveredMinutes: number;
  requests: number;
  requests5xx: number;
  /** requests5xx / requests, or null with no requests. */
  rate5xx: number | null;
  /** ERR + FTL records. */
  errors: number;
  errorsPerMinute: number;
}

/** The newest record behind each log signal (epoch ms), null when the window holds none. */
export interface LogNewest {
  /** Newest ERR/FTL record. */
  error: number | null;
  /** Newest request that completed with a 5xx. */
  r5xx: number | null;
  fatal: number | null;
  dbLocked: number | null;
  dbCorrupt: number | null;
  cacheFailures: number | null;
  providerFailures: number | null;
  slowRequests: number | null;
}

export interface LogSignals {
  /** When the logs were read (epoch ms): the ages of the newest records are measured from here. */
  at: number;
  newest: LogNewest;
  /** The last 30 s (minutes: 0.5): a spike shows here long before it moves a 5-minute window full of good requests. */
  recent: LogWindow;
  m5: LogWindow;
  m15: LogWindow;
  /** Counts over the 5-minute window. */
  fatal: number;
  dbLocked: number;
  dbCorrupt: number;
  cacheFailures: number;
  providerFailures: number;
  slowRequests: number;
  /** Lines per second over the newest minute read. */
  linesPerSecond: number;
  /** Size-rolled files (`_NNN`) of today's main log. */
  sizeRollsToday: number;
  lastFatal: string | null;
}

export type RedisSignal = 'ok' | 'not-configured' | 'refused' | 'auth' | 'timeout' | 'error';

export interface TriageSignals {
  installed: boolean;
  api: {
    url: string | null;
    reachable: boolean;
    timedOut: boolean;
    error: string | null;
    /** HTTP status of /health/ready (or the endpoint that stood in), null when none answered. */
    readyHttp: number | null;
    readyEndpoint: string | null;
    readyStatus: AspStatus | null;
    checks: ApiCheckSignal[];
    /** /api/health/ready (HealthCheckService) status code; it answers 503 on a single degraded check. */
    apiReadyHttp: number | null;
    handbookEndpointMissing: boolean;
    migrationsPending: number | null;
  };
  redis: { state: RedisSignal; error: string | null };
  /**
   * The fullest volume as the Disk probe reports it (the same numbers its card shows): free GB,
   * its path, and what lives there ("data root, logs", or Aura's own DiskSpace check's drive).
   */
  disk: { minFreeGb: number | null; path: string | null; label: string | null };
  memory: { auraWorkingSetMb: number | null };
  database: { integrity: 'ok' | 'corrupt' | 'unknown'; error: string | null };
  logs: LogSignals | null;
}

type Vars = Record<string, string | number>;

/**
 * Where a rule's evidence comes from. `probe`: a probe's answer right now. `log`: records within a
 * time window, which fade once the symptom stops. `note`: information that is not a problem (shown
 * apart from the suggestions, never sets the severity).
 */
export type RuleKind = 'probe' | 'log' | 'note';
/** `now`: the symptom is current. `recovering`: a log symptom gone quiet, or contradicted by a probe now. */
export type MatchPhase = 'now' | 'recovering';

export interface TriageRule {
  id: string;
  severity: HandbookSeverity;
  runbook: HandbookRunbook;
  /** Among rules of the same severity, the higher weight ranks first. */
  weight: number;
  /** Matches when it returns template variables; null when it does not apply. */
  when: (s: TriageSignals) => Vars | null;
  /** Reason shown to the operator; `{name}` is replaced from the variables, `{age}` from `newest`. */
  reason: string;
  /** Default `probe`. */
  kind?: RuleKind;
  /** Log rules: the time of the newest record behind the match; its age decides the fading. */
  newest?: (s: TriageSignals) => number | null;
  /** Log rules: a probe says the thing is fine now (e.g. integrity ok): the match is recovering at once. */
  settledBy?: (s: TriageSignals) => string | null;
}

export interface TriageMatch {
  ruleId: string;
  severity: HandbookSeverity;
  runbook: HandbookRunbook;
  /** The reason as of the sweep (ages measured from the sweep's time). */
  reason: string;
  kind: RuleKind;
  phase: MatchPhase;
  /**
   * The reason around its age, and the newest record's time, so a view can show an age that
   * ticks: `before + ageText(now - newestAt) + after` (see `reasonAt`). Without an age (probe
   * rules, notes) `before` is the whole reason. Split, not re-filled: log text in a reason (a
   * fatal message) may itself hold "{age}".
   */
  before: string;
  after: string;
  newestAt: number | null;
}

export interface RunbookSuggestion {
  rank: number;
  runbook: HandbookRunbook;
  severity: HandbookSeverity;
  /** `recovering` when every reason behind it is. */
  phase: MatchPhase;
  /** The strongest reason first; every matching rule's reason follows. */
  reasons: string[];
  /** The matches behind `reasons`, in the same order. */
  matches: TriageMatch[];
}

export interface TriageResult {
  severity: HandbookSeverity;
  severityName: 'Critical' | 'High' | 'Medium' | 'Low';
  responseTime: string;
  /** `now`: something is wrong now. `recovering`: only quieting log symptoms remain. `clear`: nothing. */
  phase: 'now' | 'recovering' | 'clear';
  headline: string;
  suggestions: RunbookSuggestion[];
  /** Problems first (current before recovering), then the all-clear; notes are in `notes`. */
  matches: TriageMatch[];
  /** Informational notes (e.g. the handbook's endpoint that Aura lacks): shown apart, last. */
  notes: TriageMatch[];
  /** The time the ages were measured from (epoch ms). */
  at: number;
}

/** Error rate above which the handbook calls it SEV-2 ("High error rates (>5%)"). */
export const HIGH_ERROR_RATE = 0.05;
/** Fewer requests than this in 5 minutes make a rate meaningless (one 500 of two is not 50%). */
export const MIN_REQUESTS_FOR_RATE = 10;
/** Failed requests the 30-second window needs besides the rate: at a quiet 1 req/s, two stray 500s are 5.1%. */
export const RECENT_MIN_5XX = 3;
/** Lines per second a healthy Aura never reaches; the log-flood scenario writes > 5,000. */
export const LOG_FLOOD_LINES_PER_SECOND = 1000;
/** Aura's disk thresholds (HealthChecks:DiskSpaceThresholdGB / DiskSpaceCriticalGB). */
export const DISK_DEGRADED_GB = 1.0;
export const DISK_CRITICAL_GB = 0.5;
/** Aura's memory thresholds (HealthChecks:MemoryWarningThresholdMB / MemoryCriticalThresholdMB). */
export const MEMORY_WARNING_MB = 1024;
export const MEMORY_CRITICAL_MB = 2048;
/**
 * A log symptom with no new record for this long is "recovering": the sandbox's error spike writes
 * a 5xx every ~3 s, so 20 s of quiet is not a lull; a real spike's gaps are as short.
 */
export const RECOVERING_AFTER_MS = 20_000;
/**
 * ...and after this long it drops out of the triage: with the 15 s sweep, a recovered install
 * clears within a minute of its last bad record.
 */
export const CLEAR_AFTER_MS = 40_000;

/** An age as the operator reads it: "4 s ago", "3 min ago", "2 h ago" (never negative). */
export function ageText(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 90) return `${s} s ago`;
  const m = Math.round(s / 60);
  return m < 90 ? `${m} min ago` : `${Math.round(m / 60)} h ago`;
}

/**
 * How a log symptom stands at `at`: `now` while its newest record is younger than
 * RECOVERING_AFTER_MS, `recovering` until CLEAR_AFTER_MS, then `gone`. No record: `gone`.
 * The logs card and the triage both read it, so they agree.
 */
export function logPhase(newestAt: number | null, at: number): MatchPhase | 'gone' {
  if (newestAt === null) return 'gone';
  const age = at - newestAt;
  return age < RECOVERING_AFTER_MS ? 'now' : age < CLEAR_AFTER_MS ? 'recovering' : 'gone';
}

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;

/** A window with enough requests and a 5xx rate above the handbook's 5% line. */
const isHigh = (w: LogWindow | undefined): w is LogWindow =>
  !!w && w.rate5xx !== null && w.requests >= MIN_REQUESTS_FOR_RATE && w.rate5xx > HIGH_ERROR_RATE;

/**
 * The window that shows a high 5xx rate, the last 30 s first (current state; a spike crosses 5%
 * there within seconds, whatever the 5 minutes before held; it needs RECENT_MIN_5XX failures so two
 * stray 500s are not a spike), else the last 5 minutes; null when neither.
 */
export function highErrorWindow(logs: LogSignals | null): LogWindow | null {
  if (!logs) return null;
  return isHigh(logs.recent) && logs.recent.requests5xx >= RECENT_MIN_5XX
    ? logs.recent
    : isHigh(logs.m5)
      ? logs.m5
      : null;
}

/** How a window reads in a reason: "30 s", "5 min". */
const windowText = (w: LogWindow): string =>
  w.minutes < 1 ? `${Math.round(w.minutes * 60)} s` : `${w.minutes} min`;
const check = (s: TriageSignals, name: string): ApiCheckSignal | undefined =>
  s.api.checks.find((c) => c.name.toLowerCase() === name.toLowerCase());
const ready = (s: TriageSignals): string =>
  `${s.api.readyEndpoint ?? '/health/ready'} ${s.api.readyHttp ?? '?'}`;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** Template variables of the disk rules: the Disk probe's own numbers and volume, as its card shows them. */
function diskVars(s: TriageSignals, free: number): Vars {
  return {
    free: free.toFixed(2),
    path: s.disk.path ?? 'an unnamed volume',
    label: s.disk.label ?? 'the fullest volume',
  };
}

function checkIs(name: string, status: AspStatus | AspStatus[]) {
  const want = Array.isArray(status) ? status : [status];
  return (s: TriageSignals): Vars | null => {
    const c = check(s, name);
    return c && want.includes(c.status)
      ? { ready: ready(s), check: c.name, status: c.status, description: c.description }
      : null;
  };
}

/** The rules, strongest first within a severity. Each scenario of the sandbox hits its runbook. */
export const TRIAGE_RULES: readonly TriageRule[] = [
  // ---- SEV-1: outage, data-loss risk -------------------------------------------------------
  {
    id: 'api-refused',
    severity: 'SEV-1',
    runbook: 'Service Degradation',
    weight: 100,
    when: (s) =>
      s.installed && !s.api.reachable && !s.api.timedOut
        ? { url: s.api.url ?? '?', error: s.api.error ?? 'no answer' }
        : null,
    reason: 'API at {url} is down ({error}): complete outage',
  },
  {
    id: 'api-hang',
    severity: 'SEV-1',
    runbook: 'Service Degradation',
    weight: 100,
    when: (s) => (s.installed && s.api.timedOut ? { url: s.api.url ?? '?' } : null),
    reason:
      'API at {url} accepts connections but answers nothing within the probe timeout: the process hangs',
  },
  {
    id: 'db-check-unhealthy',
    severity: 'SEV-1',
    runbook: 'Database Issues',
    weight: 90,
    when: checkIs('Database', 'unhealthy'),
    reason: '{ready}: Database {status} ("{description}")',
  },
  {
    id: 'db-integrity-failed',
    severity: 'SEV-1',
    runbook: 'Database Issues',
    weight: 85,
    when: (s) =>
      s.database.integrity === 'corrupt' ? { error: s.database.error ?? 'integrity check failed' } : null,
    reason: 'aura.db failed its integrity check ({error}): data-loss risk',
  },
  {
    id: 'db-corrupt-log',
    kind: 'log',
    severity: 'SEV-1',
    runbook: 'Database Issues',
    weight: 80,
    when: (s) => ((s.logs?.dbCorrupt ?? 0) > 0 ? { n: s.logs?.dbCorrupt ?? 0 } : null),
    newest: (s) => s.logs?.newest.dbCorrupt ?? null,
    settledBy: (s) => (s.database.integrity === 'ok' ? "aura.db's integrity check passes now" : null),
    reason: '{n} corruption errors ("database disk image is malformed") in the last 5 min, newest {age}',
  },
  {
    id: 'db-corrupt-restore',
    severity: 'SEV-1',
    runbook: 'Backup and Restore',
    weight: 40,
    when: (s) => (s.database.integrity === 'corrupt' ? {} : null),
    reason: 'aura.db is damaged: restore from the last good backup if repair fails',
  },
  {
    id: 'disk-critical',
    severity: 'SEV-1',
    runbook: 'Log Management',
    weight: 80,
    when: (s) => {
      const free = s.disk.minFreeGb;
      return free !== null && free < DISK_CRITICAL_GB ? diskVars(s, free) : null;
    },
    reason:
      'Only {free} GB free on {path} ({label}; critical below 0.5 GB): writes to aura.db and logs will fail',
  },
  {
    id: 'startup-unhealthy',
    severity: 'SEV-1',
    runbook: 'Service Degradation',
    weight: 60,
    when: checkIs('Startup', 'unhealthy'),
    reason: '{ready}: Startup {status} ("{description}")',
  },
  // ---- SEV-2: high error rate, severe degradation -----------------------------------------
  {
    id: 'error-rate-high',
    kind: 'log',
    severity: 'SEV-2',
    runbook: 'High Error Rates',
    weight: 80,
    when: (s) => {
      const w = highErrorWindow(s.logs);
      return w && w.rate5xx !== null
        ? { rate: pct(w.rate5xx), n: w.requests5xx, total: w.requests, window: windowText(w) }
        : null;
    },
    newest: (s) => s.logs?.newest.r5xx ?? null,
    reason:
      '{n} of {total} requests failed with 5xx in the last {window} ({rate}, above the 5% line), newest {age}',
  },
  {
    id: 'db-locked',
    kind: 'log',
    severity: 'SEV-2',
    runbook: 'Database Issues',
    weight: 75,
    when: (s) => ((s.logs?.dbLocked ?? 0) > 0 ? { n: s.logs?.dbLocked ?? 0 } : null),
    newest: (s) => s.logs?.newest.dbLocked ?? null,
    reason:
      '{n} "database is locked" errors in the last 5 min, newest {age}: another process holds the aura.db write lock',
  },
  {
    id: 'disk-low',
    severity: 'SEV-2',
    runbook: 'Log Management',
    weight: 70,
    when: (s) => {
      const free = s.disk.minFreeGb;
      return free !== null && free >= DISK_CRITICAL_GB && free < DISK_DEGRADED_GB ? diskVars(s, free) : null;
    },
    reason:
      'Only {free} GB free on {path} ({label}; Aura degrades below 1 GB): logs are the usual growth; rotate and prune them',
  },
  {
    id: 'disk-low-maintenance',
    severity: 'SEV-2',
    runbook: 'Database Maintenance',
    weight: 10,
    when: (s) => {
      const free = s.disk.minFreeGb;
      return free !== null && free < DISK_DEGRADED_GB ? diskVars(s, free) : null;
    },
    reason: 'Low disk ({free} GB free on {path}): a VACUUM and checkpoint of aura.db may reclaim space',
  },
  {
    id: 'providers-all-down',
    severity: 'SEV-2',
    runbook: 'Provider Failures',
    weight: 65,
    when: (s) => {
      const c = check(s, 'Providers');
      if (!c || c.status === 'healthy') return null;
      const llm = num(c.data.llm_providers_available);
      return llm === 0 || c.status === 'unhealthy' ? { ready: ready(s), description: c.description } : null;
    },
    reason: '{ready}: Providers degraded with no LLM provider available ("{description}")',
  },
  {
    id: 'memory-critical',
    severity: 'SEV-2',
    runbook: 'Performance Tuning',
    weight: 60,
    when: (s) => {
      const ws = num(check(s, 'Memory')?.data.working_set_mb) ?? s.memory.auraWorkingSetMb;
      return ws !== null && ws > MEMORY_CRITICAL_MB ? { ws: Math.round(ws) } : null;
    },
    reason: 'Aura working set {ws} MB is above the 2048 MB critical threshold',
  },
  {
    id: 'db-very-slow',
    severity: 'SEV-2',
    runbook: 'Service Degradation',
    weight: 55,
    when: (s) => {
      const c = check(s, 'Database');
      return c && c.status === 'degraded' && /slowly/i.test(c.description)
        ? { ready: ready(s), description: c.description }
        : null;
    },
    reason: '{ready}: Database degraded ("{description}"), above 2000 ms',
  },
  // ---- SEV-3: intermittent errors, slight degradation -------------------------------------
  {
    id: 'db-slow',
    severity: 'SEV-3',
    runbook: 'Service Degradation',
    weight: 60,
    when: checkIs('Database', 'degraded'),
    reason: '{ready}: Database {status} ("{description}")',
  },
  {
    id: 'db-slow-tuning',
    severity: 'SEV-3',
    runbook: 'Performance Tuning',
    weight: 25,
    when: checkIs('Database', 'degraded'),
    reason:
      'When slow database answers keep coming back, tune: cache size, WAL checkpoints, the biggest tables',
  },
  {
    id: 'db-slow-maintenance',
    severity: 'SEV-3',
    runbook: 'Database Maintenance',
    weight: 20,
    when: checkIs('Database', 'degraded'),
    reason:
      'Slow aura.db queries: check WAL size, fragmentation and ANALYZE (Aura never runs VACUUM or ANALYZE itself)',
  },
  {
    id: 'memory-high',
    severity: 'SEV-3',
    runbook: 'Performance Tuning',
    weight: 55,
    when: (s) => {
      const ws = num(check(s, 'Memory')?.data.working_set_mb) ?? s.memory.auraWorkingSetMb;
      return ws !== null && ws > MEMORY_WARNING_MB && ws <= MEMORY_CRITICAL_MB
        ? { ws: Math.round(ws) }
        : null;
    },
    reason: 'Aura working set {ws} MB is above the 1024 MB warning threshold',
  },
  {
    id: 'providers-degraded',
    severity: 'SEV-3',
    runbook: 'Provider Failures',
    weight: 50,
    when: (s) => {
      const c = check(s, 'Providers');
      return c && c.status === 'degraded' && num(c.data.llm_providers_available) !== 0
        ? { ready: ready(s), description: c.description }
        : null;
    },
    reason: '{ready}: Providers degraded ("{description}")',
  },
  {
    id: 'provider-log-failures',
    kind: 'log',
    severity: 'SEV-3',
    runbook: 'Provider Failures',
    weight: 45,
    when: (s) => ((s.logs?.providerFailures ?? 0) > 0 ? { n: s.logs?.providerFailures ?? 0 } : null),
    newest: (s) => s.logs?.newest.providerFailures ?? null,
    reason: '{n} provider fallback or circuit-open warnings in the last 5 min, newest {age}',
  },
  {
    id: 'redis-refused',
    severity: 'SEV-3',
    runbook: 'Cache Management',
    weight: 50,
    when: (s) =>
      s.redis.state === 'refused' || s.redis.state === 'timeout' || s.redis.state === 'error'
        ? { state: s.redis.state, error: s.redis.error ?? '' }
        : null,
    reason:
      'Caching:UseRedis is on but Redis is not answering ({error}): Aura falls back to its memory cache',
  },
  {
    id: 'redis-auth',
    severity: 'SEV-3',
    runbook: 'Cache Management',
    weight: 50,
    when: (s) => (s.redis.state === 'auth' ? { error: s.redis.error ?? '' } : null),
    reason: 'Redis refuses the configured credentials ({error}): fix the password in Caching:RedisConnection',
  },
  {
    id: 'cache-failures',
    kind: 'log',
    severity: 'SEV-3',
    runbook: 'Cache Management',
    weight: 45,
    when: (s) => ((s.logs?.cacheFailures ?? 0) > 0 ? { n: s.logs?.cacheFailures ?? 0 } : null),
    newest: (s) => s.logs?.newest.cacheFailures ?? null,
    settledBy: (s) => (s.redis.state === 'ok' ? 'Redis answers now' : null),
    reason: '{n} "Cache get/set failed" warnings in the last 5 min, newest {age}',
  },
  {
    id: 'log-flood',
    kind: 'log',
    severity: 'SEV-3',
    runbook: 'Log Management',
    weight: 50,
    when: (s) =>
      s.logs && s.logs.linesPerSecond > LOG_FLOOD_LINES_PER_SECOND
        ? { rate: Math.round(s.logs.linesPerSecond) }
        : null,
    reason:
      'The main log grows at {rate} lines/s over the last minute (normal is a few): files will roll by size and fill the disk',
  },
  {
    id: 'error-rate-some',
    kind: 'log',
    severity: 'SEV-3',
    runbook: 'High Error Rates',
    weight: 40,
    when: (s) => {
      const w = s.logs?.m5;
      if (!w) return null;
      return !highErrorWindow(s.logs ?? null) && w.requests5xx > 0
        ? { n: w.requests5xx, total: w.requests }
        : null;
    },
    newest: (s) => s.logs?.newest.r5xx ?? null,
    reason: 'Intermittent 5xx: {n} of {total} requests in the last 5 min, newest {age}',
  },
  {
    id: 'fatal-restart',
    kind: 'log',
    severity: 'SEV-3',
    runbook: 'Service Degradation',
    weight: 35,
    when: (s) => (s.api.reachable && (s.logs?.fatal ?? 0) > 0 ? { msg: s.logs?.lastFatal ?? 'FTL' } : null),
    newest: (s) => s.logs?.newest.fatal ?? null,
    reason:
      'A fatal error ("{msg}") in the last 5 min, newest {age}, although the API answers now: it crashed and restarted',
  },
  {
    id: 'slow-requests',
    kind: 'log',
    severity: 'SEV-3',
    runbook: 'Performance Tuning',
    weight: 30,
    when: (s) => ((s.logs?.slowRequests ?? 0) >= 3 ? { n: s.logs?.slowRequests ?? 0 } : null),
    newest: (s) => s.logs?.newest.slowRequests ?? null,
    reason: '{n} slow-request warnings in the last 5 min, newest {age}',
  },
  {
    id: 'ffmpeg-missing',
    severity: 'SEV-3',
    runbook: 'Dependency Updates',
    weight: 30,
    when: checkIs('Dependencies', ['degraded', 'unhealthy']),
    reason: '{ready}: Dependencies {status} ("{description}")',
  },
  {
    id: 'migrations-pending',
    severity: 'SEV-3',
    runbook: 'Deployment',
    weight: 25,
    when: (s) => ((s.api.migrationsPending ?? 0) > 0 ? { n: s.api.migrationsPending ?? 0 } : null),
    reason: '/api/health reports {n} pending EF migrations: the deployment did not finish',
  },
  {
    id: 'check-other',
    severity: 'SEV-3',
    runbook: 'Service Degradation',
    weight: 10,
    when: (s) => {
      const known = ['database', 'diskspace', 'memory', 'providers', 'dependencies', 'startup'];
      const c = s.api.checks.find((x) => x.status !== 'healthy' && !known.includes(x.name.toLowerCase()));
      return c ? { ready: ready(s), check: c.name, status: c.status, description: c.description } : null;
    },
    reason: '{ready}: {check} {status} ("{description}")',
  },
  // ---- SEV-4: cosmetic, no user impact -------------------------------------------------------
  {
    id: 'handbook-endpoint',
    kind: 'note',
    severity: 'SEV-4',
    runbook: 'Monitoring',
    weight: 10,
    when: (s) =>
      s.api.reachable && s.api.handbookEndpointMissing
        ? { stand: s.api.readyEndpoint ?? '/health/ready' }
        : null,
    reason:
      "The handbook's /api/v1/health does not exist in Aura (404); {stand} stands in: update monitors that poll it",
  },
  {
    id: 'all-clear',
    severity: 'SEV-4',
    runbook: 'Monitoring',
    weight: 20,
    when: (s) =>
      s.installed && s.api.reachable && (s.api.readyStatus === 'healthy' || s.api.readyStatus === null)
        ? {}
        : null,
    reason: 'Every probe is healthy: keep watching the dashboard',
  },
  {
    id: 'no-install',
    severity: 'SEV-4',
    runbook: 'Monitoring',
    weight: 5,
    when: (s) => (s.installed ? null : {}),
    reason: 'No Aura install is attached: attach one in the Install panel (or pass --install DIR)',
  },
];

const SEV_ORDER: Record<HandbookSeverity, number> = { 'SEV-1': 1, 'SEV-2': 2, 'SEV-3': 3, 'SEV-4': 4 };

/** A reason as of `now`: its age re-measured from the newest record (a view calls this every second). */
export function reasonAt(m: Pick<TriageMatch, 'before' | 'after' | 'newestAt'>, now: number): string {
  return m.newestAt === null ? m.before + m.after : m.before + ageText(now - m.newestAt) + m.after;
}

export function fillTemplate(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

interface Hit {
  rule: TriageRule;
  kind: RuleKind;
  phase: MatchPhase;
  before: string;
  after: string;
  reason: string;
  newestAt: number | null;
}

/** One rule against the signals at `at`: null when it does not apply or its log symptom has gone. */
function apply(rule: TriageRule, s: TriageSignals, at: number): Hit | null {
  const vars = rule.when(s);
  if (!vars) return null;
  const kind = rule.kind ?? 'probe';
  let phase: MatchPhase = 'now';
  let newestAt: number | null = null;
  const cut = rule.reason.indexOf('{age}');
  const aging = kind === 'log' && !!rule.newest && cut >= 0;
  const before = fillTemplate(aging ? rule.reason.slice(0, cut) : rule.reason, vars);
  let after = aging ? fillTemplate(rule.reason.slice(cut + '{age}'.length), vars) : '';
  if (kind === 'log' && rule.newest) {
    newestAt = rule.newest(s);
    const p = logPhase(newestAt, at);
    if (p === 'gone') return null;
    phase = p;
    const settled = rule.settledBy?.(s) ?? null;
    if (settled) {
      phase = 'recovering';
      after += `; ${settled}`;
    }
  }
  const match = { before, after, newestAt };
  const aged = reasonAt(match, at);
  return {
    rule,
    kind,
    phase,
    before,
    after,
    newestAt,
    reason: phase === 'recovering' ? `${aged} (recovering)` : aged,
  };
}

const toMatch = (h: Hit): TriageMatch => ({
  ruleId: h.rule.id,
  severity: h.rule.severity,
  runbook: h.rule.runbook,
  reason: h.reason,
  kind: h.kind,
  phase: h.phase,
  before: h.before,
  after: h.after,
  newestAt: h.newestAt,
});

/**
 * Apply the rules at `at` (default: when the logs were read). What is wrong now leads: current
 * problems by severity and weight, then recovering ones; the worst current severity wins (the
 * worst recovering one when nothing is current). Notes never set the severity and stand apart.
 */
export function triage(
  signals: TriageSignals,
  rules: readonly TriageRule[] = TRIAGE_RULES,
  at: number = signals.logs?.at ?? nowMs(),
): TriageResult {
  const hits: Hit[] = [];
  for (const rule of rules) {
    const h = apply(rule, signals, at);
    if (h) hits.push(h);
  }
  const notes = hits.filter((h) => h.kind === 'note');
  const rest = hits.filter((h) => h.kind !== 'note');
  // Something is wrong somewhere: the all-clear no longer applies.
  const problems = rest.filter((h) => h.rule.severity !== 'SEV-4');
  const current = problems.filter((h) => h.phase === 'now');
  const used = problems.length > 0 ? problems : rest;
  const phaseRank = (h: Hit): number => (h.phase === 'now' ? 0 : 1);
  used.sort(
    (a, b) =>
      phaseRank(a) - phaseRank(b) ||
      SEV_ORDER[a.rule.severity] - SEV_ORDER[b.rule.severity] ||
      b.rule.weight - a.rule.weight,
  );
  const byRunbook = new Map<HandbookRunbook, RunbookSuggestion>();
  for (const h of used) {
    const m = toMatch(h);
    const s = byRunbook.get(h.rule.runbook);
    if (s) {
      s.reasons.push(h.reason);
      s.matches.push(m);
      if (h.phase === 'now') s.phase = 'now';
      if (SEV_ORDER[h.rule.severity] < SEV_ORDER[s.severity]) s.severity = h.rule.severity;
    } else {
      byRunbook.set(h.rule.runbook, {
        rank: byRunbook.size + 1,
        runbook: h.rule.runbook,
        severity: h.rule.severity,
        phase: h.phase,
        reasons: [h.reason],
        matches: [m],
      });
    }
  }
  const suggestions = [...byRunbook.values()];
  const lead = current.length > 0 ? current : problems;
  const severity: HandbookSeverity =
    lead.reduce<HandbookSeverity | null>(
      (w, h) => (w === null || SEV_ORDER[h.rule.severity] < SEV_ORDER[w] ? h.rule.severity : w),
      null,
    ) ??
    used[0]?.rule.severity ??
    'SEV-4';
  const phase: TriageResult['phase'] =
    current.length > 0 ? 'now' : problems.length > 0 ? 'recovering' : 'clear';
  const level = severityLevel(severity);
  const top = suggestions[0];
  const state = phase === 'recovering' ? ', recovering' : '';
  return {
    severity,
    severityName: level.name,
    responseTime: level.responseTime,
    phase,
    headline: top
      ? `${severity} (${level.name}, respond ${level.responseTime.toLowerCase()}${state}): ${top.reasons[0]} -> ${top.runbook}`
      : `${severity}: nothing to report`,
    suggestions,
    matches: used.map(toMatch),
    notes: notes.map(toMatch),
    at,
  };
}

/** The API's signals before any answer is read: nothing known yet (url null when none is attached). */
export function emptyApiSignals(url: string | null): TriageSignals['api'] {
  return {
    url,
    reachable: false,
    timedOut: false,
    error: null,
    readyHttp: null,
    readyEndpoint: null,
    readyStatus: null,
    checks: [],
    apiReadyHttp: null,
    handbookEndpointMissing: false,
    migrationsPending: null,
  };
}

/** Signals of a machine with no install attached (the empty starting point). */
export function emptySignals(): TriageSignals {
  return {
    installed: false,
    api: emptyApiSignals(null),
    redis: { state: 'not-configured', error: null },
    disk: { minFreeGb: null, path: null, label: null },
    memory: { auraWorkingSetMb: null },
    database: { integrity: 'unknown', error: null },
    logs: null,
  };
}
