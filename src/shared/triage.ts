// Triage: from probe signals and log signals to a handbook severity (SEV-1..SEV-4, with its
// response time) and ranked runbook suggestions, each with the reason shown. Rules are data.
import type { HandbookRunbook, HandbookSeverity } from './contract/sandbox';
import { severityLevel } from './handbook';

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

export interface LogSignals {
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
  disk: { minFreeGb: number | null; path: string | null };
  memory: { auraWorkingSetMb: number | null };
  database: { integrity: 'ok' | 'corrupt' | 'unknown'; error: string | null };
  logs: LogSignals | null;
}

type Vars = Record<string, string | number>;

export interface TriageRule {
  id: string;
  severity: HandbookSeverity;
  runbook: HandbookRunbook;
  /** Among rules of the same severity, the higher weight ranks first. */
  weight: number;
  /** Matches when it returns template variables; null when it does not apply. */
  when: (s: TriageSignals) => Vars | null;
  /** Reason shown to the operator; `{name}` is replaced from the variables. */
  reason: string;
}

export interface TriageMatch {
  ruleId: string;
  severity: HandbookSeverity;
  runbook: HandbookRunbook;
  reason: string;
}

export interface RunbookSuggestion {
  rank: number;
  runbook: HandbookRunbook;
  severity: HandbookSeverity;
  /** The strongest reason first; every matching rule's reason follows. */
  reasons: string[];
}

export interface TriageResult {
  severity: HandbookSeverity;
  severityName: 'Critical' | 'High' | 'Medium' | 'Low';
  responseTime: string;
  headline: string;
  suggestions: RunbookSuggestion[];
  matches: TriageMatch[];
}

/** Error rate above which the handbook calls it SEV-2 ("High error rates (>5%)"). */
export const HIGH_ERROR_RATE = 0.05;
/** Fewer requests than this in 5 minutes make a rate meaningless (one 500 of two is not 50%). */
export const MIN_REQUESTS_FOR_RATE = 10;
/** Lines per second a healthy Aura never reaches; the log-flood scenario writes > 5,000. */
export const LOG_FLOOD_LINES_PER_SECOND = 1000;
/** Aura's disk thresholds (HealthChecks:DiskSpaceThresholdGB / DiskSpaceCriticalGB). */
export const DISK_DEGRADED_GB = 1.0;
export const DISK_CRITICAL_GB = 0.5;
/** Aura's memory thresholds (HealthChecks:MemoryWarningThresholdMB / MemoryCriticalThresholdMB). */
export const MEMORY_WARNING_MB = 1024;
export const MEMORY_CRITICAL_MB = 2048;

const pct = (r: number): string => `${(r * 100).toFixed(1)}%`;
const check = (s: TriageSignals, name: string): ApiCheckSignal | undefined =>
  s.api.checks.find((c) => c.name.toLowerCase() === name.toLowerCase());
const ready = (s: TriageSignals): string => `${s.api.readyEndpoint ?? '/health/ready'} ${s.api.readyHttp ?? '?'}`;
const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function checkIs(name: string, status: AspStatus | AspStatus[]) {
  const want = Array.isArray(status) ? status : [status];
  return (s: TriageSignals): Vars | null => {
    const c = check(s, name);
    return c && want.includes(c.status) ? { ready: ready(s), check: c.name, status: c.status, description: c.description } : null;
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
    when: (s) => (s.installed && !s.api.reachable && !s.api.timedOut ? { url: s.api.url ?? '?', error: s.api.error ?? 'no answer' } : null),
    reason: 'API at {url} is down ({error}): complete outage',
  },
  {
    id: 'api-hang',
    severity: 'SEV-1',
    runbook: 'Service Degradation',
    weight: 100,
    when: (s) => (s.installed && s.api.timedOut ? { url: s.api.url ?? '?' } : null),
    reason: 'API at {url} accepts connections but answers nothing within the probe timeout: the process hangs',
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
    when: (s) => (s.database.integrity === 'corrupt' ? { error: s.database.error ?? 'integrity check failed' } : null),
    reason: 'aura.db failed its integrity check ({error}): data-loss risk',
  },
  {
    id: 'db-corrupt-restore',
    severity: 'SEV-1',
    runbook: 'Backup and Restore',
    weight: 40,
    when: (s) =>
      s.database.integrity === 'corrupt' || (s.logs?.dbCorrupt ?? 0) > 0
        ? { n: s.logs?.dbCorrupt ?? 0 }
        : null,
    reason: 'Corruption found in aura.db ({n} corruption errors in 5 min): restore from the last good backup if repair fails',
  },
  {
    id: 'disk-critical',
    severity: 'SEV-1',
    runbook: 'Log Management',
    weight: 80,
    when: (s) => {
      const c = check(s, 'DiskSpace');
      const free = num(c?.data.free_gb) ?? s.disk.minFreeGb;
      return free !== null && free < DISK_CRITICAL_GB ? { free: free.toFixed(2), path: s.disk.path ?? String(c?.data.drive ?? '') } : null;
    },
    reason: 'Only {free} GB free on {path} (critical below 0.5 GB): writes to aura.db and logs will fail',
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
    severity: 'SEV-2',
    runbook: 'High Error Rates',
    weight: 80,
    when: (s) => {
      const w = s.logs?.m5;
      return w && w.rate5xx !== null && w.requests >= MIN_REQUESTS_FOR_RATE && w.rate5xx > HIGH_ERROR_RATE
        ? { rate: pct(w.rate5xx), n: w.requests5xx, total: w.requests }
        : null;
    },
    reason: '{rate} of requests failed with 5xx in the last 5 min ({n} of {total}): above the 5% line',
  },
  {
    id: 'db-locked',
    severity: 'SEV-2',
    runbook: 'Database Issues',
    weight: 75,
    when: (s) => ((s.logs?.dbLocked ?? 0) > 0 ? { n: s.logs?.dbLocked ?? 0 } : null),
    reason: '{n} "database is locked" errors in the last 5 min: another process holds the aura.db write lock',
  },
  {
    id: 'disk-low',
    severity: 'SEV-2',
    runbook: 'Log Management',
    weight: 70,
    when: (s) => {
      const c = check(s, 'DiskSpace');
      const free = num(c?.data.free_gb) ?? s.disk.minFreeGb;
      return free !== null && free >= DISK_CRITICAL_GB && free < DISK_DEGRADED_GB
        ? { free: free.toFixed(2), path: s.disk.path ?? String(c?.data.drive ?? '') }
        : null;
    },
    reason: 'Only {free} GB free on {path} (Aura degrades below 1 GB): logs are the usual growth; rotate and prune them',
  },
  {
    id: 'disk-low-maintenance',
    severity: 'SEV-2',
    runbook: 'Database Maintenance',
    weight: 10,
    when: (s) => {
      const c = check(s, 'DiskSpace');
      const free = num(c?.data.free_gb) ?? s.disk.minFreeGb;
      return free !== null && free < DISK_DEGRADED_GB ? { free: free.toFixed(2) } : null;
    },
    reason: 'Low disk ({free} GB free): a VACUUM and checkpoint of aura.db may reclaim space',
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
      return c && c.status === 'degraded' && /slowly/i.test(c.description) ? { ready: ready(s), description: c.description } : null;
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
    reason: 'When slow database answers keep coming back, tune: cache size, WAL checkpoints, the biggest tables',
  },
  {
    id: 'db-slow-maintenance',
    severity: 'SEV-3',
    runbook: 'Database Maintenance',
    weight: 20,
    when: checkIs('Database', 'degraded'),
    reason: 'Slow aura.db queries: check WAL size, fragmentation and ANALYZE (Aura never runs VACUUM or ANALYZE itself)',
  },
  {
    id: 'memory-high',
    severity: 'SEV-3',
    runbook: 'Performance Tuning',
    weight: 55,
    when: (s) => {
      const ws = num(check(s, 'Memory')?.data.working_set_mb) ?? s.memory.auraWorkingSetMb;
      return ws !== null && ws > MEMORY_WARNING_MB && ws <= MEMORY_CRITICAL_MB ? { ws: Math.round(ws) } : null;
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
      return c && c.status === 'degraded' && num(c.data.llm_providers_available) !== 0 ? { ready: ready(s), description: c.description } : null;
    },
    reason: '{ready}: Providers degraded ("{description}")',
  },
  {
    id: 'provider-log-failures',
    severity: 'SEV-3',
    runbook: 'Provider Failures',
    weight: 45,
    when: (s) => ((s.logs?.providerFailures ?? 0) > 0 ? { n: s.logs?.providerFailures ?? 0 } : null),
    reason: '{n} provider fallback or circuit-open warnings in the last 5 min',
  },
  {
    id: 'redis-refused',
    severity: 'SEV-3',
    runbook: 'Cache Management',
    weight: 50,
    when: (s) => (s.redis.state === 'refused' || s.redis.state === 'timeout' || s.redis.state === 'error' ? { state: s.redis.state, error: s.redis.error ?? '' } : null),
    reason: 'Caching:UseRedis is on but Redis is not answering ({error}): Aura falls back to its memory cache',
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
    severity: 'SEV-3',
    runbook: 'Cache Management',
    weight: 45,
    when: (s) => ((s.logs?.cacheFailures ?? 0) > 0 ? { n: s.logs?.cacheFailures ?? 0 } : null),
    reason: '{n} "Cache get/set failed" warnings in the last 5 min',
  },
  {
    id: 'log-flood',
    severity: 'SEV-3',
    runbook: 'Log Management',
    weight: 50,
    when: (s) =>
      s.logs && s.logs.linesPerSecond > LOG_FLOOD_LINES_PER_SECOND ? { rate: Math.round(s.logs.linesPerSecond) } : null,
    reason: 'The main log grows at {rate} lines/s (normal is a few): files will roll by size and fill the disk',
  },
  {
    id: 'error-rate-some',
    severity: 'SEV-3',
    runbook: 'High Error Rates',
    weight: 40,
    when: (s) => {
      const w = s.logs?.m5;
      if (!w) return null;
      const high = w.rate5xx !== null && w.requests >= MIN_REQUESTS_FOR_RATE && w.rate5xx > HIGH_ERROR_RATE;
      return !high && w.requests5xx > 0 ? { n: w.requests5xx, total: w.requests } : null;
    },
    reason: 'Intermittent 5xx: {n} of {total} requests in the last 5 min',
  },
  {
    id: 'fatal-restart',
    severity: 'SEV-3',
    runbook: 'Service Degradation',
    weight: 35,
    when: (s) => (s.api.reachable && (s.logs?.fatal ?? 0) > 0 ? { msg: s.logs?.lastFatal ?? 'FTL' } : null),
    reason: 'A fatal error in the last 5 min ("{msg}") although the API answers now: it crashed and restarted',
  },
  {
    id: 'slow-requests',
    severity: 'SEV-3',
    runbook: 'Performance Tuning',
    weight: 30,
    when: (s) => ((s.logs?.slowRequests ?? 0) >= 3 ? { n: s.logs?.slowRequests ?? 0 } : null),
    reason: '{n} slow-request warnings in the last 5 min',
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
    severity: 'SEV-4',
    runbook: 'Monitoring',
    weight: 10,
    when: (s) => (s.api.reachable && s.api.handbookEndpointMissing ? { stand: s.api.readyEndpoint ?? '/health/ready' } : null),
    reason: "The handbook's /api/v1/health does not exist in Aura (404); {stand} stands in: update monitors that poll it",
  },
  {
    id: 'all-clear',
    severity: 'SEV-4',
    runbook: 'Monitoring',
    weight: 20,
    when: (s) => (s.installed && s.api.reachable && (s.api.readyStatus === 'healthy' || s.api.readyStatus === null) ? {} : null),
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

export function fillTemplate(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

/** Apply the rules: the worst severity wins; runbooks ranked by their strongest matching rule. */
export function triage(signals: TriageSignals, rules: readonly TriageRule[] = TRIAGE_RULES): TriageResult {
  const hits: { rule: TriageRule; reason: string }[] = [];
  for (const rule of rules) {
    const vars = rule.when(signals);
    if (vars) hits.push({ rule, reason: fillTemplate(rule.reason, vars) });
  }
  // Something is wrong somewhere: the all-clear no longer applies.
  const problems = hits.filter((h) => h.rule.severity !== 'SEV-4');
  const used = problems.length > 0 ? problems : hits;
  used.sort((a, b) => SEV_ORDER[a.rule.severity] - SEV_ORDER[b.rule.severity] || b.rule.weight - a.rule.weight);
  const byRunbook = new Map<HandbookRunbook, RunbookSuggestion>();
  for (const h of used) {
    const s = byRunbook.get(h.rule.runbook);
    if (s) s.reasons.push(h.reason);
    else byRunbook.set(h.rule.runbook, { rank: byRunbook.size + 1, runbook: h.rule.runbook, severity: h.rule.severity, reasons: [h.reason] });
  }
  const suggestions = [...byRunbook.values()];
  const severity: HandbookSeverity = used[0]?.rule.severity ?? 'SEV-4';
  const level = severityLevel(severity);
  const top = suggestions[0];
  return {
    severity,
    severityName: level.name,
    responseTime: level.responseTime,
    headline: top ? `${severity} (${level.name}, respond ${level.responseTime.toLowerCase()}): ${top.reasons[0]} -> ${top.runbook}` : `${severity}: nothing to report`,
    suggestions,
    matches: used.map((h) => ({ ruleId: h.rule.id, severity: h.rule.severity, runbook: h.rule.runbook, reason: h.reason })),
  };
}

/** Signals of a machine with no install attached (the empty starting point). */
export function emptySignals(): TriageSignals {
  return {
    installed: false,
    api: {
      url: null,
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
    },
    redis: { state: 'not-configured', error: null },
    disk: { minFreeGb: null, path: null },
    memory: { auraWorkingSetMb: null },
    database: { integrity: 'unknown', error: null },
    logs: null,
  };
}
