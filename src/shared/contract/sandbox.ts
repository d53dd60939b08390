// Contract domain "sandbox": the demo Aura install's fault scenarios (a pure data table, shared by
// the simulator, the CLI and the renderer) and the channels to list, inspect and switch them.
import { z } from 'zod';
import type { HandbookRunbook, HandbookSeverity } from '../handbook';
import { event, request } from './define';

export const SCENARIO_NAMES = [
  'healthy',
  'api-down',
  'api-hang',
  'error-spike',
  'slow-db',
  'db-locked',
  'db-corrupt',
  'provider-outage',
  'disk-low',
  'memory-high',
  'redis-down',
  'log-flood',
] as const;

export type ScenarioName = (typeof SCENARIO_NAMES)[number];

export interface ScenarioInfo {
  name: ScenarioName;
  title: string;
  /** What the operator will see, in the places they would look. */
  description: string;
  /** The handbook runbook this scenario exercises. */
  runbook: HandbookRunbook;
  /** The severity the handbook's definitions give this situation. */
  severity: HandbookSeverity;
}

export const SCENARIOS: readonly ScenarioInfo[] = [
  {
    name: 'healthy',
    title: 'Healthy',
    description:
      'Everything up: health endpoints 200/healthy, jobs progress in JobQueue, Redis answers (when installed), logs carry normal request traffic.',
    runbook: 'Monitoring',
    severity: 'SEV-4',
  },
  {
    name: 'api-down',
    title: 'API down',
    description:
      'The backend process is gone: port closed (connection refused), an FTL "Application terminated unexpectedly" line ends the log, no new jobs.',
    runbook: 'Service Degradation',
    severity: 'SEV-1',
  },
  {
    name: 'api-hang',
    title: 'API hangs',
    description:
      'The port accepts connections but no request is ever answered; "Incoming request" lines appear without a matching "Request completed".',
    runbook: 'Service Degradation',
    severity: 'SEV-1',
  },
  {
    name: 'error-spike',
    title: 'Error spike',
    description:
      'About a quarter of API requests fail with 500: ERR "Request completed … - 500" lines with stack traces in errors-*.log; health stays green.',
    runbook: 'High Error Rates',
    severity: 'SEV-2',
  },
  {
    name: 'slow-db',
    title: 'Slow database',
    description:
      'The Database check is degraded ("Database response time elevated: Nms"), requests touching the DB get slow and log slow-request warnings.',
    runbook: 'Service Degradation',
    severity: 'SEV-3',
  },
  {
    name: 'db-locked',
    title: 'Database locked',
    description:
      'Another connection holds the write lock on aura.db: job updates fail with "SQLite Error 5: \'database is locked\'" and sqlite3 writes get "database is locked".',
    runbook: 'Database Issues',
    severity: 'SEV-2',
  },
  {
    name: 'db-corrupt',
    title: 'Database corrupt',
    description:
      'A damaged page in aura.db: PRAGMA integrity_check fails, the Database check is unhealthy, /health/ready answers 503. The pristine file comes back when the scenario ends.',
    runbook: 'Database Issues',
    severity: 'SEV-1',
  },
  {
    name: 'provider-outage',
    title: 'Provider outage',
    description:
      'Every LLM provider fails: fallback-chain and circuit-open warnings, the Providers check degraded, /api/health/llm 503, failed jobs with LastError.',
    runbook: 'Provider Failures',
    severity: 'SEV-2',
  },
  {
    name: 'disk-low',
    title: 'Disk almost full',
    description:
      'DiskSpace reports 0.8 GB free: the DiskSpace check is degraded and /api/health/ready (whose disk check fails below 1 GB) answers 503.',
    runbook: 'Log Management',
    severity: 'SEV-2',
  },
  {
    name: 'memory-high',
    title: 'High memory',
    description:
      'The working set sits above the 1024 MB warning threshold: the Memory check is degraded and memory warnings appear in warnings-*.log.',
    runbook: 'Performance Tuning',
    severity: 'SEV-3',
  },
  {
    name: 'redis-down',
    title: 'Redis down',
    description:
      'Caching:UseRedis is on but redis-server is stopped: "Cache get failed for key: ***REDACTED***, returning null" warnings with RedisConnectionException; no health check notices.',
    runbook: 'Cache Management',
    severity: 'SEV-3',
  },
  {
    name: 'log-flood',
    title: 'Log flood',
    description:
      'The backend writes more than 5,000 lines a second: log files grow fast and roll by size (_001, _002…).',
    runbook: 'Log Management',
    severity: 'SEV-3',
  },
];

export interface SandboxStatus {
  running: boolean;
  dir: string | null;
  url: string | null;
  port: number | null;
  scenario: ScenarioName | null;
  /** True when the API port is open (false while api-down is active). */
  listening: boolean;
  redis: { enabled: boolean; port: number | null; running: boolean };
}

export const sandboxChannels = {
  'sandbox:scenarios': request<ScenarioInfo[]>()(z.object({}).strict()),
  'sandbox:status': request<SandboxStatus>()(z.object({}).strict()),
  'sandbox:set-scenario': request<SandboxStatus>()(z.object({ name: z.enum(SCENARIO_NAMES) }).strict()),
} as const;

export const sandboxEvents = {
  /** The running sandbox switched scenario (from the console, the CLI or its state file). */
  'sandbox:changed': event<SandboxStatus>(),
} as const;
