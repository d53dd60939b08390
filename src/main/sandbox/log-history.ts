// The sandbox's log history: N days of Serilog files of plausible Aura traffic (requests, job
// progress, audits, provider trouble, failures), with a startup each morning and one busy day that rolls.
import { SAMPLE_EXCEPTIONS, type AuraLogModel, type RequestSpec } from './aura-events';
import { SerilogFileSet, localOffsetMinutes, type LogEvent } from './serilog-writer';

const GET_PATHS = [
  '/api/projects',
  '/api/jobs',
  '/api/queue/status',
  '/api/settings',
  '/api/health/ready',
  '/health/live',
  '/api/templates',
  '/api/providers/status',
];
const DB_QUERY =
  'SELECT "p"."Id", "p"."Title", "p"."Status", "p"."UpdatedAt"\nFROM "ProjectStates" AS "p"\nWHERE NOT ("p"."IsDeleted")\nORDER BY "p"."UpdatedAt" DESC';

/** A plausible slice of one day of traffic starting at `t`; returns events and the span it covers. */
function trafficUnit(m: AuraLogModel, t: Date): LogEvent[] {
  const r = m.rng();
  if (r < 0.62) {
    const p = m.pick(GET_PATHS);
    const spec: RequestSpec = { method: 'GET', path: p, status: 200, durationMs: 2 + m.rng() * 120 };
    if (p === '/api/projects' || p === '/api/jobs') spec.dbQuery = DB_QUERY;
    if (m.rng() < 0.02) spec.durationMs = 1000 + m.rng() * 3000;
    return m.request(t, spec);
  }
  if (r < 0.72) {
    const fail = m.rng() < 0.04;
    return m.request(t, {
      method: 'POST',
      path: '/api/jobs',
      status: fail ? 500 : 200,
      durationMs: 40 + m.rng() * (fail ? 1600 : 300),
      exception: fail ? m.pick([SAMPLE_EXCEPTIONS.nullRef, SAMPLE_EXCEPTIONS.timeout]) : undefined,
    });
  }
  if (r < 0.76) {
    return m.request(t, {
      method: 'POST',
      path: '/api/script',
      status: m.rng() < 0.5 ? 400 : 200,
      durationMs: m.rng() < 0.1 ? 5200 + m.rng() * 40_000 : 800 + m.rng() * 3000,
    });
  }
  if (r < 0.78)
    return m.request(t, {
      method: 'GET',
      path: `/api/jobs/${m.hex(32)}`,
      status: 404,
      durationMs: 3 + m.rng() * 10,
    });
  if (r < 0.88) {
    const id = m.hex(32);
    const st = m.pick(['Script', 'TTS', 'Images', 'Composition', 'Render']);
    return [m.jobEvent(t, 'INF', `Job ${id} progress: ${st} ${m.int(1, 99)}%`)];
  }
  if (r < 0.91) return [m.audit(t, m.rng() > 0.3)];
  if (r < 0.935) return m.providerOutage(t, m.rng() < 0.3).slice(0, 2);
  if (r < 0.95) {
    return [
      m.plain(
        t,
        'WRN',
        'Health check failed: FFmpeg not found, No TTS providers available',
        'Aura.Api.HostedServices.HealthCheckBackgroundService',
      ),
    ];
  }
  if (r < 0.96) {
    return [
      m.jobEvent(
        t,
        'ERR',
        `Job ${m.hex(32)} failed at stage Render: FFmpeg exited with code 1`,
        'System.InvalidOperationException: FFmpeg exited with code 1: Invalid data found when processing input\n   at Aura.Core.Services.Render.FfmpegRenderService.RenderAsync(RenderSpec spec, CancellationToken ct)\n   at Aura.Api.HostedServices.BackgroundJobProcessorService.ProcessJobAsync(JobQueueEntity job, CancellationToken ct)',
      ),
    ];
  }
  if (r < 0.965) return [m.jobEvent(t, 'ERR', 'Failed to persist job progress', SAMPLE_EXCEPTIONS.dbLocked)];
  return [
    m.plain(
      t,
      'INF',
      `Orphaned file sweep completed: ${m.int(0, 5)} directories cleaned`,
      'Aura.Api.HostedServices.CleanupHostedService',
    ),
  ];
}

/**
 * N days of history ending at `now`: a startup each morning, then traffic spread over the day until
 * the day's byte budget is reached. The day before today is the one busy day whose main families
 * roll by size (scaled down from Aura's 100 MB to a fraction of the day so `_001` appears at
 * small sizes).
 */
export function writeLogHistory(
  logsDir: string,
  m: AuraLogModel,
  now: Date,
  days: number,
  logMb: number,
): number {
  const off = localOffsetMinutes(now);
  const localMidnight = (d: Date): number => {
    const w = new Date(d.getTime() + off * 60_000);
    return Date.UTC(w.getUTCFullYear(), w.getUTCMonth(), w.getUTCDate()) - off * 60_000;
  };
  const todayStart = localMidnight(now);
  const perDay = logMb * 1_000_000;
  let total = 0;
  for (let d = days - 1; d >= 0; d--) {
    const dayStart = todayStart - d * 86_400_000;
    const dayEnd = d === 0 ? now.getTime() : dayStart + 86_400_000 - 1;
    const rollDay = d === 1 || (days === 1 && d === 0);
    const files = new SerilogFileSet(
      logsDir,
      rollDay ? { fileSizeLimitBytes: Math.max(4096, Math.floor(perDay / 6)) } : {},
    );
    try {
      const startupAt = Math.min(dayEnd - 60_000, dayStart + 7 * 3_600_000 + m.rng() * 3_600_000);
      let t = Math.max(dayStart, startupAt);
      m.processId = 10_000 + Math.floor(m.rng() * 50_000);
      files.write(m.startup(new Date(t), null));
      t += 2000;
      const budget = d === 0 ? perDay * Math.max(0.05, (dayEnd - dayStart) / 86_400_000) : perDay;
      // Spread the budget over what is left of the day; re-estimate the gap as bytes come in.
      let avgUnit = 2500;
      let units = 0;
      // Events are held until the cursor passes them, so each file stays in time order even when a
      // slow request's lines end after the next request began (as Serilog writes at emission time).
      let pending: LogEvent[] = [];
      let writtenEvents = 0;
      let perEvent = 1500;
      while (t < dayEnd && files.stats.bytes + pending.length * perEvent < budget) {
        const remaining = budget - files.stats.bytes - pending.length * perEvent;
        const gap = Math.max(1, ((dayEnd - t) / Math.max(1, remaining / avgUnit)) * (0.2 + m.rng() * 1.6));
        pending.push(...trafficUnit(m, new Date(t)));
        t += gap;
        units++;
        if (pending.length >= 200) {
          pending.sort((a, b) => a.time.getTime() - b.time.getTime());
          const cut = pending.findIndex((e) => e.time.getTime() > t);
          const ready = cut < 0 ? pending : pending.slice(0, cut);
          pending = cut < 0 ? [] : pending.slice(cut);
          files.write(ready);
          writtenEvents += ready.length;
          avgUnit = files.stats.bytes / units;
          if (writtenEvents > 0) perEvent = files.stats.bytes / writtenEvents;
        }
      }
      pending.sort((a, b) => a.time.getTime() - b.time.getTime());
      files.write(pending);
      total += files.stats.bytes;
    } finally {
      files.close();
    }
  }
  return total;
}
