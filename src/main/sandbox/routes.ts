// The simulated Aura.Api's routes: health and diagnostics endpoints with their exact shapes and
// codes (bodies in health.ts and api-health.ts), /api/logs, prometheus metrics and the two data endpoints.
import fs from 'node:fs';
import type http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import * as clock from '../../shared/clock';
import { SAMPLE_EXCEPTIONS, type RequestIds } from './aura-events';
import { sleep, sqliteErrorText, type AuraProcess } from './aura-process';
import { aspChecks, aspHealthBody, type HttpAnswer } from './health';
import {
  apiLive,
  apiReady,
  circuitBreakers,
  healthDetails,
  healthSummary,
  providerList,
  providerTypeHealth,
  systemHealth,
} from './api-health';
import { SERILOG_LINE_RE } from './serilog-writer';

const json = (res: http.ServerResponse, a: HttpAnswer): void => {
  const body = JSON.stringify(a.body);
  res.writeHead(a.status, {
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(body),
  });
  res.end(body);
};

function parseLogsFor(aura: AuraProcess, url: URL): HttpAnswer {
  const names = fs
    .readdirSync(aura.layout.logsDir)
    .filter((n) => /^aura-api-\d{8}(_\d{3,})?\.log$/.test(n))
    .sort();
  const newest = names[names.length - 1];
  if (!newest) return { status: 200, body: { logs: [], file: null, totalLines: 0 } };
  const file = path.join(aura.layout.logsDir, newest);
  const lines = fs
    .readFileSync(file, 'utf8')
    .split(/\r?\n/)
    .filter((l) => l.length > 0);
  const level = url.searchParams.get('level');
  const corr = url.searchParams.get('correlationId');
  const max = Math.max(1, Math.min(10_000, Number(url.searchParams.get('lines') ?? 500) || 500));
  const parsed = [];
  for (const raw of lines) {
    const m = SERILOG_LINE_RE.exec(raw);
    if (!m) continue;
    if (level && m[2] !== level.toUpperCase().slice(0, 3)) continue;
    if (corr && m[3] !== corr) continue;
    parsed.push({ timestamp: m[1], level: m[2], correlationId: m[3], message: m[6], rawLine: raw });
  }
  return { status: 200, body: { logs: parsed.slice(-max), file, totalLines: lines.length } };
}

function prometheus(aura: AuraProcess): string {
  const ws = aura.workingSetMb() * 1_048_576;
  const d = aura.effects.disk;
  return [
    '# HELP aura_cpu_usage_percent CPU usage percent',
    '# TYPE aura_cpu_usage_percent gauge',
    `aura_cpu_usage_percent{type="process"} ${(5 + aura.model.rng() * 20).toFixed(2)}`,
    `aura_cpu_usage_percent{type="system"} ${(15 + aura.model.rng() * 30).toFixed(2)}`,
    '# HELP aura_memory_bytes Memory in bytes',
    '# TYPE aura_memory_bytes gauge',
    `aura_memory_bytes{type="working_set"} ${Math.round(ws)}`,
    `aura_memory_bytes{type="gc_heap"} ${Math.round(ws * 0.55)}`,
    '# TYPE aura_memory_usage_percent gauge',
    `aura_memory_usage_percent ${aura.effects.memoryPercent}`,
    '# TYPE aura_gpu_usage_percent gauge',
    'aura_gpu_usage_percent{vendor="none"} 0',
    '# TYPE aura_gpu_memory_bytes gauge',
    'aura_gpu_memory_bytes 0',
    '# TYPE aura_gpu_temperature_celsius gauge',
    'aura_gpu_temperature_celsius 0',
    '# TYPE aura_disk_bytes_root gauge',
    `aura_disk_bytes_root{type="free"} ${Math.round(d.freeGb * 1e9)}`,
    `aura_disk_bytes_root{type="total"} ${Math.round(d.totalGb * 1e9)}`,
    '# TYPE aura_network_bytes_per_second gauge',
    'aura_network_bytes_per_second{direction="in"} 1024',
    'aura_network_bytes_per_second{direction="out"} 2048',
    '# TYPE aura_threadpool_threads gauge',
    'aura_threadpool_threads{type="worker"} 12',
    'aura_threadpool_threads{type="completion_port"} 2',
    '# TYPE aura_cache_memory_bytes gauge',
    'aura_cache_memory_bytes 1048576',
    '',
  ].join('\n');
}

/** Answer one request as Aura.Api does; returns what the request-completed log line reports. */
export async function route(
  aura: AuraProcess,
  method: string,
  url: URL,
  ids: RequestIds,
  res: http.ServerResponse,
): Promise<{ status: number; dbQuery?: string; exception?: string }> {
  const p = url.pathname.replace(/\/+$/, '') || '/';
  const send = (a: HttpAnswer): { status: number } => {
    json(res, a);
    return { status: a.status };
  };
  if (method !== 'GET' && method !== 'HEAD') {
    res.writeHead(405, { Allow: 'GET' }).end();
    return { status: 405 };
  }
  if (p === '/health/live')
    return send({ status: 200, body: { status: 'healthy', timestamp: clock.now().toISOString() } });
  if (p === '/healthz')
    return send({
      status: 200,
      body: { status: 'healthy', timestamp: clock.now().toISOString(), staticHosting: 'ready' },
    });
  if (p === '/healthz/simple')
    return send({
      status: 200,
      body: { status: 'ok', service: 'Aura.Api', version: '1.0.0', timestampUtc: clock.now().toISOString() },
    });
  if (p === '/api/healthz')
    return send({ status: 200, body: { status: 'healthy', timestamp: clock.now().toISOString() } });
  if (p === '/health' || p === '/health/ready' || p.startsWith('/health/')) {
    const t0 = performance.now();
    const probe = await aura.probeDb();
    const inputs = aura.healthInputs(probe);
    const checks = aspChecks(inputs);
    const kind =
      p === '/health'
        ? 'all'
        : p === '/health/ready'
          ? 'ready'
          : { tag: decodeURIComponent(p.slice('/health/'.length)) };
    const a = aspHealthBody(kind, checks, inputs, performance.now() - t0);
    for (const c of checks) {
      if (c.name === 'Database' && c.status !== 'healthy') {
        aura.write([
          {
            ...aura.model.plain(
              clock.now(),
              c.status === 'unhealthy' ? 'ERR' : 'WRN',
              c.status === 'unhealthy'
                ? `Database health check failed after ${Math.round(probe.elapsedMs)}ms`
                : c.description,
              'Aura.Api.HealthChecks.DatabaseHealthCheck',
              c.exception ?? undefined,
            ),
            correlationId: ids.correlationId,
            traceId: ids.traceId,
            spanId: ids.spanId,
          },
        ]);
      }
    }
    return {
      ...send(a),
      dbQuery: 'SELECT COUNT(*)\nFROM "ProjectStates" AS "p"',
      exception: probe.ok ? undefined : (probe.error ?? undefined),
    };
  }
  if (p === '/api/health') {
    const probe = await aura.probeDb();
    let migration: Record<string, unknown> | null = null;
    let error: string | null = probe.ok ? null : (probe.error ?? 'unknown');
    try {
      const rows = aura.db
        .prepare('SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId"')
        .all() as { MigrationId: string }[];
      const current = rows.length ? rows[rows.length - 1].MigrationId : null;
      migration = {
        current,
        latest: '20251122175419_AddMissingDatabaseTables',
        pending: 8 - rows.length,
        isUpToDate: rows.length === 8,
      };
    } catch (err) {
      error = error ?? sqliteErrorText(err);
    }
    return send({
      status: 200,
      body: {
        status: 'Healthy',
        version: '1.0.0.0',
        environment: aura.environment,
        machineName: aura.model.machineName,
        osPlatform: process.platform === 'win32' ? 'Win32NT' : 'Unix',
        osVersion: `${os.type()} ${os.release()}`,
        architecture: process.arch === 'x64' ? 'X64' : process.arch === 'arm64' ? 'Arm64' : process.arch,
        timestamp: clock.now().toISOString(),
        database: {
          connected: probe.ok,
          provider: 'Microsoft.EntityFrameworkCore.Sqlite',
          dataSource: aura.layout.dbPath,
          responseTimeMs: Math.round(probe.elapsedMs * 10) / 10,
          error,
          migration,
        },
      },
    });
  }
  if (p === '/api/health/live') return send(apiLive());
  if (p === '/api/health/ready') return send(apiReady(aura.healthInputs(await aura.probeDb())));
  if (p === '/api/health/summary' || p === '/api/health/details') {
    const dashed = aura.model.guid().toLowerCase();
    aura.write([
      {
        ...aura.model.plain(
          clock.now(),
          'INF',
          `Health ${p.endsWith('summary') ? 'summary' : 'details'} requested, CorrelationId: ${dashed}`,
        ),
        correlationId: dashed,
        traceId: ids.traceId,
        spanId: ids.spanId,
      },
    ]);
    return send(p.endsWith('summary') ? healthSummary(aura.effects) : healthDetails(aura.effects));
  }
  if (p === '/api/health/providers')
    return send({ status: 200, body: providerList(aura.effects, aura.outageSince).map((x) => x.dto) });
  if (p === '/api/health/circuit-breakers')
    return send({ status: 200, body: circuitBreakers(aura.effects, aura.outageSince) });
  if (p === '/api/health/llm') return send(providerTypeHealth(aura.effects, 'llm', aura.outageSince));
  if (p === '/api/health/tts') return send(providerTypeHealth(aura.effects, 'tts', aura.outageSince));
  if (p === '/api/health/images') return send(providerTypeHealth(aura.effects, 'image', aura.outageSince));
  if (p === '/api/health/system') return send(systemHealth(aura.effects));
  if (p === '/api/version') {
    return send({
      status: 200,
      body: {
        version: '1.0.0',
        assemblyVersion: '1.0.0.0',
        informationalVersion: '1.0.0+b55dc18f473142094d8c6196a80a7ef39124a2ff',
        runtimeVersion: '8.0.11',
        environment: aura.environment,
      },
    });
  }
  if (p === '/api/metrics/prometheus') {
    const body = prometheus(aura);
    res
      .writeHead(200, {
        'Content-Type': 'text/plain; charset=utf-8',
        'Content-Length': Buffer.byteLength(body),
      })
      .end(body);
    return { status: 200 };
  }
  if (p === '/api/logs') return send(parseLogsFor(aura, url));
  if (p === '/api/projects' || p === '/api/jobs') {
    const errorRate = aura.effects.apiErrorRate;
    if (errorRate > 0 && aura.model.rng() < errorRate) {
      return {
        ...send({
          status: 500,
          body: {
            type: 'https://tools.ietf.org/html/rfc9110#section-15.6.1',
            title: 'An error occurred while processing your request.',
            status: 500,
            traceId: ids.traceId,
          },
        }),
        exception: aura.model.pick([SAMPLE_EXCEPTIONS.nullRef, SAMPLE_EXCEPTIONS.timeout]),
      };
    }
    const delay = aura.dbDelay();
    if (delay) await sleep(delay);
    const q =
      p === '/api/projects'
        ? 'SELECT "Id" AS id, "Title" AS title, "Status" AS status, "ProgressPercent" AS progressPercent, "UpdatedAt" AS updatedAt FROM "ProjectStates" WHERE NOT "IsDeleted" ORDER BY "UpdatedAt" DESC LIMIT 50'
        : 'SELECT "JobId" AS jobId, "Status" AS status, "CurrentStage" AS currentStage, "ProgressPercent" AS progressPercent, "LastError" AS lastError FROM "JobQueue" ORDER BY "EnqueuedAt" DESC LIMIT 50';
    try {
      return { ...send({ status: 200, body: aura.db.prepare(q).all() }), dbQuery: q };
    } catch (err) {
      return {
        ...send({
          status: 500,
          body: {
            title: 'An error occurred while processing your request.',
            status: 500,
            traceId: ids.traceId,
          },
        }),
        exception: sqliteErrorText(err),
      };
    }
  }
  // Everything else, /api/v1/* included: ASP.NET's empty 404.
  res.writeHead(404, { 'Content-Length': 0 }).end();
  return { status: 404 };
}
