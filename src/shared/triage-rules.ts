// The triage rules as data: each maps signals to a handbook severity and runbook with the reason
// shown to the operator, strongest first within a severity. The engine that applies them is triage.ts.
import type { HandbookRunbook, HandbookSeverity } from './handbook';
import {
  DISK_CRITICAL_GB,
  DISK_DEGRADED_GB,
  highErrorWindow,
  LOG_FLOOD_LINES_PER_SECOND,
  MEMORY_CRITICAL_MB,
  MEMORY_WARNING_MB,
  SLOW_REQUESTS_MIN,
  type ApiCheckSignal,
  type AspStatus,
  type LogWindow,
  type TriageSignals,
} from './triage-signals';

export type Vars = Record<string, string | number>;

/**
 * Where a rule's evidence comes from. `probe`: a probe's answer right now. `log`: records within a
 * time window, which fade once the symptom stops. `note`: information that is not a problem (shown
 * apart from the suggestions, never sets the severity).
 */
export type RuleKind = 'probe' | 'log' | 'note';

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

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;

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
    when: (s) => ((s.logs?.slowRequests ?? 0) >= SLOW_REQUESTS_MIN ? { n: s.logs?.slowRequests ?? 0 } : null),
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
