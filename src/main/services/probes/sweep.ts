// One sweep: every probe of an install in parallel (each with its own hard timeout), the signals
// triage reads, the triage itself and the overall verdict. Used by the service, the CLI and bench.
import type { OverallState, ProbeResult, SweepResult } from '../../../shared/contract/probes';
import type { InstallCandidate } from '../../../shared/install-types';
import { triage } from '../../../shared/triage';
import { emptySignals, type ApiCheckSignal, type TriageSignals } from '../../../shared/triage-signals';
import { API_TIMEOUT_MS, probeApi } from './api-probe';
import { probeDatabase } from './db-probe';
import { probeLogsOffThread } from './log-probe-off-thread';
import { probeRedis, REDIS_TIMEOUT_MS } from './redis-probe';
import { isAuraProcess, probeDisk, probeMemory, probeProcesses, type AuraDiskCheck } from './system-probes';
import { nowMs } from '../../../shared/clock';

export interface SweepOptions {
  /** Ignore log signals older than this (epoch ms), e.g. "since the fix was applied". */
  logsSince?: number;
  apiTimeoutMs?: number;
  redisTimeoutMs?: number;
  env?: NodeJS.ProcessEnv;
}

const NOT_ATTACHED = 'No Aura install is attached: attach one in the Install panel, or pass --install DIR.';

/** The verdict behind `aura-ops check`'s exit code. */
export function overallOf(results: ProbeResult[]): OverallState {
  const api = results.find((r) => r.id === 'api');
  if (api?.state === 'unreachable') return 'unreachable';
  if (results.some((r) => r.state === 'unhealthy')) return 'unhealthy';
  if (results.some((r) => r.state === 'degraded' || r.state === 'unreachable')) return 'degraded';
  return 'healthy';
}

function placeholder(id: ProbeResult['id'], title: string, shell: string): ProbeResult {
  return {
    id,
    title,
    state: 'not-configured',
    value: null,
    summary: NOT_ATTACHED,
    details: [],
    checkedAt: nowMs(),
    durationMs: 0,
    shell,
  };
}

/** A drive name longer than this is not a drive name (the API's answer is not ours to trust). */
const MAX_DRIVE_CHARS = 260;

/** Aura's DiskSpace check of /health/ready (free_gb, total_gb, drive), or null when it did not report. */
export function auraDiskCheck(checks: ApiCheckSignal[]): AuraDiskCheck | null {
  const c = checks.find((x) => x.name.toLowerCase() === 'diskspace');
  const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
  const free = num(c?.data.free_gb);
  if (!c || free === null) return null;
  const total = num(c.data.total_gb);
  const drive =
    typeof c.data.drive === 'string' && c.data.drive.trim() !== ''
      ? c.data.drive.slice(0, MAX_DRIVE_CHARS)
      : null;
  return free < 0 ? null : { freeGb: free, totalGb: total !== null && total >= free ? total : null, drive };
}

export async function runSweep(
  install: InstallCandidate | null,
  opts: SweepOptions = {},
): Promise<SweepResult> {
  const startedAt = nowMs();
  const t0 = performance.now();
  if (!install) {
    const signals = emptySignals();
    const results: ProbeResult[] = [
      placeholder('api', 'Aura API', 'curl -s http://127.0.0.1:5005/health/ready'),
      placeholder('redis', 'Redis cache', 'redis-cli ping'),
      placeholder('disk', 'Disk space', 'df -h'),
      placeholder('memory', 'Memory', 'free -h'),
      placeholder('processes', 'Processes', 'ps aux | grep -E "(dotnet|node|redis|ffmpeg)"'),
      placeholder('database', 'aura.db', 'sqlite3 -readonly aura.db "PRAGMA quick_check;"'),
      placeholder('logs', 'Log error rate', 'tail -n 100 logs/errors-$(date +%Y%m%d).log'),
    ];
    return {
      installId: null,
      installLabel: null,
      startedAt,
      durationMs: Math.round(performance.now() - t0),
      overall: 'healthy',
      results,
      signals,
      triage: triage(signals),
    };
  }
  // The network probes run concurrently; the synchronous file probes run while they wait.
  const apiP = probeApi(install.paths.apiUrl, opts.apiTimeoutMs ?? API_TIMEOUT_MS);
  const redisP = probeRedis(install, opts.redisTimeoutMs ?? REDIS_TIMEOUT_MS, opts.env);
  const procP = probeProcesses();
  const dbP = probeDatabase(install);
  const logsP = probeLogsOffThread(install, { floor: opts.logsSince });
  const [api, redis, procs, db, logs] = await Promise.all([apiP, redisP, procP, dbP, logsP]);
  // After the API answered: its DiskSpace check names the drive Aura itself measures.
  const disk = probeDisk(install, auraDiskCheck(api.api.checks));
  const memCheck = api.api.checks.find((c) => c.name === 'Memory');
  const reported = typeof memCheck?.data.working_set_mb === 'number' ? memCheck.data.working_set_mb : null;
  const memory = probeMemory(procs.procs.filter(isAuraProcess), reported);
  const results = [
    api.result,
    redis.result,
    disk.result,
    memory.result,
    procs.result,
    db.result,
    logs.result,
  ];
  const signals: TriageSignals = {
    installed: true,
    api: api.api,
    redis: redis.redis,
    // The Disk card's own fullest volume: the triage and the card cannot name different ones.
    disk: {
      minFreeGb: disk.result.value,
      path: disk.fullest?.path ?? null,
      label: disk.fullest?.label ?? null,
    },
    memory: { auraWorkingSetMb: memory.auraWorkingSetMb },
    database: db.database,
    logs: logs.logs,
  };
  return {
    installId: install.id,
    installLabel: install.label,
    startedAt,
    durationMs: Math.round(performance.now() - t0),
    overall: overallOf(results),
    results,
    signals,
    triage: triage(signals),
  };
}
