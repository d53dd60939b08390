// What the simulated Aura logs between real requests: the web UI's requests (with the active
// scenario's failures and health-check warnings), a real Redis round trip, and log-flood's lines.
import * as clock from '../../shared/clock';
import { SAMPLE_EXCEPTIONS, type RequestSpec } from './aura-events';
import type { AuraProcess } from './aura-process';
import { redisCommand } from './children';
import type { PeriodicWarning } from './scenario-table';
import type { LogEvent } from './serilog-writer';

/** log-flood target per file family: comfortably above the 5,000 lines/s the scenario promises. */
export const FLOOD_LINES_PER_SECOND = 7500;
/** Flood batches per second: 20 batches keep each write small and the event loop responsive. */
const FLOOD_BATCHES_PER_SECOND = 20;
/** A periodic warning is logged on every this-many-th simulated request. */
const WARNING_EVERY = 3;

/** The line each periodic warning logs, and the health check that logs it. */
const WARNING_LINES: Record<PeriodicWarning, (p: AuraProcess) => { message: string; source: string }> = {
  memory: (p) => ({
    message: `High memory usage: ${p.workingSetMb().toFixed(2)} MB (threshold: 1024 MB)`,
    source: 'Aura.Api.HealthChecks.MemoryHealthCheck',
  }),
  disk: (p) => ({
    message: `Low disk space: ${p.effects.disk.freeGb.toFixed(2)} GB free (threshold: 1 GB)`,
    source: 'Aura.Api.HealthChecks.DiskSpaceHealthCheck',
  }),
  'db-latency': (p) => ({
    message: `Database response time elevated: ${Math.round(p.dbDelay())}ms`,
    source: 'Aura.Api.HealthChecks.DatabaseHealthCheck',
  }),
};

/** The web UI's background requests, one per tick, counted so failures and warnings come at a steady pace. */
export class UiTraffic {
  private count = 0;

  constructor(private readonly p: AuraProcess) {}

  async tick(): Promise<void> {
    const { p } = this;
    const effects = p.effects;
    if (effects.api !== 'serving') return;
    this.count++;
    const now = clock.now();
    const ids = p.model.newIds();
    const path = p.model.pick(['/api/projects', '/api/jobs', '/api/queue/status', '/api/settings']);
    const spec: RequestSpec = { method: 'GET', path, status: 200, durationMs: 3 + p.model.rng() * 60 };
    if (path === '/api/projects' || path === '/api/jobs')
      spec.dbQuery =
        'SELECT "j"."JobId", "j"."Status", "j"."ProgressPercent"\nFROM "JobQueue" AS "j"\nORDER BY "j"."EnqueuedAt" DESC\nLIMIT @__p_0';
    // A steady share of the simulated UI requests fails, so a spike builds at the same pace every
    // time (the triage must show it within 20 s; a random draw made that a matter of luck).
    const failing = effects.failingUiRequests;
    if (failing && this.count % failing.every === failing.at) {
      spec.method = 'POST';
      spec.path = '/api/jobs';
      spec.status = 500;
      spec.exception = p.model.pick([SAMPLE_EXCEPTIONS.nullRef, SAMPLE_EXCEPTIONS.timeout]);
    }
    if (effects.dbDelayMs && spec.dbQuery) spec.durationMs += p.dbDelay();
    if (effects.dbQueriesFail && spec.dbQuery) {
      spec.status = 500;
      spec.exception = SAMPLE_EXCEPTIONS.dbCorrupt;
    }
    const evs = p.model.request(now, spec, ids);
    if (spec.durationMs > 1000) {
      evs.push(
        p.model.plain(
          new Date(now.getTime() + spec.durationMs),
          'INF',
          `Slow request: ${spec.method} ${spec.path} took ${Math.round(spec.durationMs)}ms (threshold: 1000ms). StatusCode: ${spec.status}, CorrelationId: ${ids.requestId}`,
          'Aura.Api.Middleware.QueryPerformanceMiddleware',
        ),
      );
    }
    if (effects.periodicWarning && this.count % WARNING_EVERY === 0) {
      const w = WARNING_LINES[effects.periodicWarning](p);
      evs.push(p.model.plain(now, 'WRN', w.message, w.source));
    }
    p.write(evs);
    // A real cache round trip when Redis is configured: what fails in redis-down is the socket.
    const { redis } = p;
    if (redis) {
      try {
        await redisCommand(redis.port, ['HGET', 'Aura:templates:popular', 'data']);
        if (this.count % 10 === 1) {
          await redisCommand(redis.port, [
            'HSET',
            'Aura:templates:popular',
            'absexp',
            String((clock.nowMs() + 300_000) * 10_000),
            'sldexp',
            '-1',
            'data',
            '[]',
          ]);
        }
      } catch {
        p.write([p.model.cacheGetFailed(clock.now(), `127.0.0.1:${redis.port}`)]);
      }
    }
  }
}

/** The most one flood tick writes: two ticks' worth, which covers timer drift. */
const FLOOD_MAX_PER_TICK = Math.ceil((2 * FLOOD_LINES_PER_SECOND) / FLOOD_BATCHES_PER_SECOND);

/**
 * log-flood's writer; returns its timer. Paced by the clock, not by timer ticks: each tick writes
 * what is owed since the flood began, so timer drift or a slow tick does not lower the rate. A
 * tick writes two ticks' worth at most and forgets a larger debt: on a machine short of CPU, a
 * flood that caught up on every tick would write its maximum back to back and starve the API it
 * floods beside (seen as 5 s timeouts of /api/jobs at load 14 on two cores).
 */
export function startFlood(p: AuraProcess): NodeJS.Timeout {
  const began = clock.nowMs();
  let written = 0;
  return setInterval(() => {
    const now = clock.nowMs();
    let owed = Math.floor(((now - began) / 1000) * FLOOD_LINES_PER_SECOND) - written;
    if (owed > FLOOD_MAX_PER_TICK) {
      written += owed - FLOOD_MAX_PER_TICK;
      owed = FLOOD_MAX_PER_TICK;
    }
    if (owed <= 0) return;
    const batch: LogEvent[] = new Array<LogEvent>(owed);
    for (let k = 0; k < owed; k++) {
      batch[k] = p.model.plain(
        new Date(now),
        'INF',
        `Sending job progress update to group job-${p.model.hex(8)} via SignalR hub /hubs/job-queue`,
        'Aura.Api.Hubs.JobQueueHub',
      );
    }
    p.write(batch);
    written += owed;
  }, 1000 / FLOOD_BATCHES_PER_SECOND);
}
