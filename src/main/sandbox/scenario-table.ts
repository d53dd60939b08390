// The sandbox's fault scenarios as data: what entering and leaving each one does (a list of named
// actions the running sandbox carries out) and the effects it has while active, read by the job
// loop, the simulated traffic, the routes and the health bodies. One row per scenario, no if-chains.
import type { ScenarioName } from '../../shared/contract/sandbox';
import { isScenarioName } from './control';

/** slow-db adds this much latency (min..max ms) to DB work: the 500-2000 ms "elevated" band. */
const SLOW_DB_DELAY_MS = [650, 1400] as const;
/** Working set reported in memory-high (above the 1024 MB warning, below the 2048 MB critical). */
const MEMORY_HIGH_MB = 1480;
/** The simulated drive: 256 GB with 118 GB free, so "healthy" is healthy on any machine. */
const DRIVE_TOTAL_GB = 256;
const DRIVE_FREE_GB = 118.4;
/** disk-low's free space: under Aura's 1 GB DiskSpace warning, over its 0.5 GB critical. */
const DRIVE_LOW_FREE_GB = 0.82;

/**
 * The steps a scenario's enter and leave are made of; the running sandbox gives each its meaning
 * (server.ts). Each step that changes the world has its inverse in INVERSE_ACTION.
 */
export const SCENARIO_ACTIONS = [
  /** Log Aura's fatal line, then close the port (connection refused). */
  'api:crash',
  /** Listen on the same port again as a new process (new process id, startup lines). */
  'api:restart',
  /** End the requests a hanging API accepted and never answered. */
  'api:release-hung',
  /** A sqlite3 process takes and holds the write lock on aura.db. */
  'db:lock',
  'db:unlock',
  /** Keep a pristine copy of aura.db, then damage a page of it. */
  'db:corrupt',
  /** Put the pristine copy back. */
  'db:restore',
  /** Every LLM provider starts failing: circuits open, fallback warnings logged. */
  'providers:fail',
  /** The circuit breakers reset (logged). */
  'providers:recover',
  'redis:stop',
  'redis:start',
  /** Start writing FLOOD_LINES_PER_SECOND lines a second. */
  'logs:flood',
  'logs:calm',
] as const;

export type ScenarioAction = (typeof SCENARIO_ACTIONS)[number];

/** The action that undoes each action (release-hung undoes the hang effect, which is no action). */
export const INVERSE_ACTION: Readonly<Record<ScenarioAction, ScenarioAction | null>> = {
  'api:crash': 'api:restart',
  'api:restart': 'api:crash',
  'api:release-hung': null,
  'db:lock': 'db:unlock',
  'db:unlock': 'db:lock',
  'db:corrupt': 'db:restore',
  'db:restore': 'db:corrupt',
  'providers:fail': 'providers:recover',
  'providers:recover': 'providers:fail',
  'redis:stop': 'redis:start',
  'redis:start': 'redis:stop',
  'logs:flood': 'logs:calm',
  'logs:calm': 'logs:flood',
};

/** The warning lines Aura's health checks log on every third simulated request. */
export type PeriodicWarning = 'memory' | 'disk' | 'db-latency';

/** What an active scenario changes in what the sandbox serves, logs and writes. */
export interface ScenarioEffects {
  /** 'down': the port is closed; 'hang': requests are accepted and never answered. Neither runs jobs or traffic. */
  api: 'serving' | 'down' | 'hang';
  /** Extra latency (min..max ms) on each piece of DB work, or null. */
  dbDelayMs: readonly [number, number] | null;
  /** Simulated working set in MB (plus up to 40 MB of jitter), or null for this process's own. */
  workingSetMb: number | null;
  /** Host memory in use, percent (/api/health/system, prometheus). */
  memoryPercent: number;
  /** gc_gen2_collections in the Memory check's data. */
  gcGen2Collections: number;
  disk: { freeGb: number; totalGb: number };
  /** Every LLM provider down: health bodies say so and jobs fail at the Script stage. */
  llmOutage: boolean;
  /** Simulated UI requests that fail (POST /api/jobs 500): the n-th of each `every` (count % every === at). */
  failingUiRequests: { every: number; at: number } | null;
  /** Share of real GET /api/projects and /api/jobs answered 500 with a stack trace. */
  apiErrorRate: number;
  /** Simulated requests that touch the DB fail with the corrupt-database exception. */
  dbQueriesFail: boolean;
  periodicWarning: PeriodicWarning | null;
}

export interface ScenarioEntry {
  enter: readonly ScenarioAction[];
  leave: readonly ScenarioAction[];
  effects: ScenarioEffects;
}

/** The healthy install: every scenario's effects are these with its own differences. */
export const HEALTHY_EFFECTS: ScenarioEffects = {
  api: 'serving',
  dbDelayMs: null,
  workingSetMb: null,
  memoryPercent: 41.2,
  gcGen2Collections: 9,
  disk: { freeGb: DRIVE_FREE_GB, totalGb: DRIVE_TOTAL_GB },
  llmOutage: false,
  failingUiRequests: null,
  apiErrorRate: 0,
  dbQueriesFail: false,
  periodicWarning: null,
};

const row = (
  enter: readonly ScenarioAction[],
  leave: readonly ScenarioAction[],
  effects: Partial<ScenarioEffects> = {},
): ScenarioEntry => ({ enter, leave, effects: { ...HEALTHY_EFFECTS, ...effects } });

/** Descriptions for the operator are in the contract's SCENARIOS; this is how each one is made. */
export const SCENARIO_TABLE: Readonly<Record<ScenarioName, ScenarioEntry>> = {
  healthy: row([], []),
  'api-down': row(['api:crash'], ['api:restart'], { api: 'down' }),
  'api-hang': row([], ['api:release-hung'], { api: 'hang' }),
  'error-spike': row([], [], { failingUiRequests: { every: 3, at: 1 }, apiErrorRate: 0.3 }),
  'slow-db': row([], [], { dbDelayMs: SLOW_DB_DELAY_MS, periodicWarning: 'db-latency' }),
  'db-locked': row(['db:lock'], ['db:unlock']),
  'db-corrupt': row(['db:corrupt'], ['db:restore'], { dbQueriesFail: true }),
  'provider-outage': row(['providers:fail'], ['providers:recover'], { llmOutage: true }),
  'disk-low': row([], [], {
    disk: { freeGb: DRIVE_LOW_FREE_GB, totalGb: DRIVE_TOTAL_GB },
    periodicWarning: 'disk',
  }),
  'memory-high': row([], [], {
    workingSetMb: MEMORY_HIGH_MB,
    memoryPercent: 93.4,
    gcGen2Collections: 38,
    periodicWarning: 'memory',
  }),
  'redis-down': row(['redis:stop'], ['redis:start']),
  'log-flood': row(['logs:flood'], ['logs:calm']),
};

/** How much of a refused name an error message repeats (a name can be any size). */
const NAME_ECHO_CHARS = 60;

/** The table's row for a name from outside; an unknown name (or an Object.prototype key) is refused. */
export function scenarioEntry(name: string): ScenarioEntry {
  if (!isScenarioName(name)) {
    const s = String(name);
    // JSON quoting keeps control characters visible; a long name is cut.
    const shown = JSON.stringify(s.length > NAME_ECHO_CHARS ? `${s.slice(0, NAME_ECHO_CHARS)}…` : s);
    throw new Error(`Unknown scenario ${shown}; run "aura-ops sandbox scenarios" for the list`);
  }
  return SCENARIO_TABLE[name];
}
