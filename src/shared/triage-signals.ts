// What the triage reads: the probe and log signals, the thresholds Aura and the handbook set, and
// how a log symptom stands over time (its phase and the age of its newest record), which the logs
// card reads too so the two agree.

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

/** `now`: the symptom is current. `recovering`: a log symptom gone quiet, or contradicted by a probe now. */
export type MatchPhase = 'now' | 'recovering';

/** Error rate above which the handbook calls it SEV-2 ("High error rates (>5%)"). */
export const HIGH_ERROR_RATE = 0.05;
/** Fewer requests than this in 5 minutes make a rate meaningless (one 500 of two is not 50%). */
export const MIN_REQUESTS_FOR_RATE = 10;
/** Failed requests the 30-second window needs besides the rate: at a quiet 1 req/s, two stray 500s are 5.1%. */
export const RECENT_MIN_5XX = 3;
/** Slow-request warnings in 5 minutes that make a symptom: one or two are a busy moment, not a trend. */
export const SLOW_REQUESTS_MIN = 3;
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
