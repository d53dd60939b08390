// The live sandbox against FACTS §1.2-1.3 and §2.5: every endpoint's JSON keys and status codes,
// per scenario, plus correlation headers and the request lines Aura writes for each call.
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../shared/contract/sandbox';
import { localOffsetMinutes } from './serilog-writer';
import { startSandbox, type SandboxHandle } from './server';
import { until } from './test-support';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-srv-'));
let sb: SandboxHandle;
/** A small Serilog size limit so the live size roll happens within a second of log-flood. */
const SIZE_LIMIT = 1_000_000;
const todayStamp = (): string =>
  new Date(Date.now() + localOffsetMinutes(new Date()) * 60_000).toISOString().slice(0, 10).replace(/-/g, '');

beforeAll(async () => {
  sb = await startSandbox(path.join(tmp, 'sb'), {
    create: { days: 2, logMb: 0.2, projects: 8 },
    jobTickMs: 100,
    trafficMs: 100,
    redis: 'off',
    fileSizeLimitBytes: SIZE_LIMIT,
  });
});
afterAll(async () => {
  await sb?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

interface Got {
  status: number;
  // Response JSON is walked freely in assertions; the assertions themselves are the type check.
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
  headers: Headers;
  text: string;
}
async function get(p: string, headers: Record<string, string> = {}): Promise<Got> {
  const r = await fetch(sb.url + p, { headers, signal: AbortSignal.timeout(5000) });
  const text = await r.text();
  let body: unknown = null;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    body = null;
  }
  return { status: r.status, body, headers: r.headers, text };
}
const keys = (o: object): string[] => Object.keys(o).sort();

// FACTS §1.3-A, copied: check name -> tags and data keys.
const CHECKS: Record<string, { tags: string[]; data: string[] }> = {
  Startup: {
    tags: ['ready'],
    data: [
      'ready',
      'timestamp',
      'ffmpeg_configured',
      'ffmpeg_path',
      'ffmpeg_source',
      'ffmpeg_warning',
      'ffmpeg_error',
    ],
  },
  DatabaseConfiguration: {
    tags: ['ready', 'db', 'config'],
    data: ['provider', 'database_path', 'validation_error'],
  },
  Database: {
    tags: ['ready', 'db'],
    data: ['connection_available', 'response_time_ms', 'project_count', 'provider', 'elapsed_ms'],
  },
  Dependencies: {
    tags: ['ready', 'dependencies'],
    data: [
      'ffmpeg_available',
      'platform',
      'gpu_available',
      'tier',
      'ffmpeg_path',
      'ffmpeg_version',
      'nvenc_available',
      'gpu_vendor',
      'gpu_model',
      'gpu_vram_gb',
    ],
  },
  DiskSpace: {
    tags: ['ready', 'infrastructure'],
    data: ['free_gb', 'total_gb', 'threshold_gb', 'critical_gb', 'drive'],
  },
  Memory: {
    tags: ['ready', 'infrastructure'],
    data: [
      'working_set_mb',
      'private_memory_mb',
      'virtual_memory_mb',
      'gc_total_memory_mb',
      'gc_gen0_collections',
      'gc_gen1_collections',
      'gc_gen2_collections',
      'warning_threshold_mb',
      'critical_threshold_mb',
      'total_available_memory_mb',
      'heap_size_mb',
      'fragmented_mb',
      'memory_load',
      'memory_pressure_percent',
    ],
  },
  Providers: {
    tags: ['ready', 'providers'],
    data: [
      'llm_providers_available',
      'tts_providers_available',
      'video_composer_available',
      'ollama_detection_complete',
      'ollama_running',
      'ollama_version',
      'ollama_models_count',
      'llm_providers',
      'tts_providers',
      'api_keys_configured',
      'api_keys_count',
      'warnings',
    ],
  },
};

describe('shapes in the healthy scenario', () => {
  it('/health/live is 200 {status, timestamp}', async () => {
    const r = await get('/health/live');
    expect(r.status).toBe(200);
    expect(keys(r.body)).toEqual(['status', 'timestamp']);
    expect(r.body.status).toBe('healthy');
  });

  it('/health/ready has the ready shape and the 7 checks sorted by name with FACTS tags and data keys', async () => {
    const r = await get('/health/ready');
    expect(r.status).toBe(200);
    expect(keys(r.body)).toEqual(['checks', 'duration', 'status', 'timestamp']);
    expect(r.body.checks.map((c: { name: string }) => c.name)).toEqual(Object.keys(CHECKS).sort());
    for (const c of r.body.checks) {
      expect(keys(c)).toEqual(['data', 'description', 'duration', 'name', 'status', 'tags']);
      expect(c.tags).toEqual(CHECKS[c.name].tags);
      expect(keys(c.data)).toEqual([...CHECKS[c.name].data].sort());
      expect(c.status).toBe('healthy');
    }
    expect(
      keys(r.body.checks.find((c: { name: string }) => c.name === 'Providers').data.api_keys_configured),
    ).toEqual(['azure_openai', 'azure_speech', 'elevenlabs', 'gemini', 'openai', 'playht']);
  });

  it('/health adds environment, version and a per-check exception', async () => {
    const r = await get('/health');
    expect(keys(r.body)).toEqual(['checks', 'duration', 'environment', 'status', 'timestamp', 'version']);
    for (const c of r.body.checks)
      expect(keys(c)).toEqual(['data', 'description', 'duration', 'exception', 'name', 'status', 'tags']);
  });

  it('/health/{tag} filters checks, keeps the all-checks status, and 404s unknown tags', async () => {
    // `ready` is a valid tag, but the explicit /health/ready endpoint wins over /health/{tag}.
    for (const tag of ['db', 'config', 'dependencies', 'infrastructure', 'providers']) {
      const r = await get(`/health/${tag}`);
      expect(r.status).toBe(200);
      expect(keys(r.body)).toEqual(['checks', 'status', 'tag', 'timestamp']);
      expect(r.body.tag).toBe(tag);
      for (const c of r.body.checks) {
        expect(keys(c)).toEqual(['data', 'description', 'name', 'status']);
        expect(CHECKS[c.name].tags).toContain(tag);
      }
    }
    expect((await get('/health/db')).body.checks.map((c: { name: string }) => c.name)).toEqual([
      'Database',
      'DatabaseConfiguration',
    ]);
    for (const tag of ['system', 'nope']) {
      const r = await get(`/health/${tag}`);
      expect(r.status).toBe(404);
      expect(r.body).toEqual({ error: `No health checks with tag '${tag}' found` });
    }
  });

  it('/healthz, /healthz/simple and /api/healthz', async () => {
    const z = await get('/healthz');
    expect(z.status).toBe(200);
    expect(keys(z.body)).toEqual(['staticHosting', 'status', 'timestamp']);
    expect(keys((await get('/healthz/simple')).body)).toEqual([
      'service',
      'status',
      'timestampUtc',
      'version',
    ]);
    expect(keys((await get('/api/healthz')).body)).toEqual(['status', 'timestamp']);
  });

  it('/api/health reports "Healthy" and the database with its migration state', async () => {
    const r = await get('/api/health');
    expect(r.status).toBe(200);
    expect(keys(r.body)).toEqual([
      'architecture',
      'database',
      'environment',
      'machineName',
      'osPlatform',
      'osVersion',
      'status',
      'timestamp',
      'version',
    ]);
    expect(r.body.status).toBe('Healthy');
    expect(keys(r.body.database)).toEqual([
      'connected',
      'dataSource',
      'error',
      'migration',
      'provider',
      'responseTimeMs',
    ]);
    expect(r.body.database.dataSource).toBe(sb.layout.dbPath);
    expect(r.body.database.migration).toEqual({
      current: '20251122175419_AddMissingDatabaseTables',
      latest: '20251122175419_AddMissingDatabaseTables',
      pending: 0,
      isUpToDate: true,
    });
  });

  it('/api/health/live and /api/health/ready use the HealthCheckService shape', async () => {
    const live = await get('/api/health/live');
    expect(live.body).toEqual({
      status: 'healthy',
      checks: [{ name: 'Application', status: 'healthy', message: 'Application is running' }],
      errors: [],
    });
    const ready = await get('/api/health/ready');
    expect(ready.status).toBe(200);
    expect(keys(ready.body)).toEqual(['checks', 'errors', 'status']);
    expect(ready.body.checks.map((c: { name: string }) => c.name)).toEqual([
      'FFmpeg',
      'TempDirectory',
      'ProviderRegistry',
      'PortAvailability',
      'DiskSpace',
      'TtsProviders',
    ]);
    const port = ready.body.checks.find((c: { name: string }) => c.name === 'PortAvailability');
    expect(keys(port.details)).toEqual([
      'inUse',
      'ownedByCurrentProcess',
      'owningProcessId',
      'owningProcessName',
      'port',
      'remediation',
    ]);
    expect(port.details.port).toBe(5005);
    expect(keys(ready.body.checks.find((c: { name: string }) => c.name === 'DiskSpace').details)).toEqual([
      'freeSpaceGB',
      'freeSpacePercent',
      'outputDirectory',
      'totalSpaceGB',
    ]);
  });

  it('/api/health/summary and /details', async () => {
    const s = await get('/api/health/summary');
    expect(keys(s.body)).toEqual([
      'failedChecks',
      'isReady',
      'overallStatus',
      'passedChecks',
      'timestamp',
      'totalChecks',
      'warningChecks',
    ]);
    expect(s.body.totalChecks).toBe(17);
    const d = await get('/api/health/details');
    expect(d.status).toBe(200);
    expect(keys(d.body)).toEqual(['checks', 'isReady', 'overallStatus', 'timestamp']);
    expect(d.body.checks.map((c: { id: string }) => c.id)).toEqual([
      'config_present',
      'disk_space',
      'ffmpeg_present',
      'gpu_encoders',
      'llm_rulebased',
      'llm_openai',
      'llm_anthropic',
      'llm_gemini',
      'llm_ollama',
      'tts_windows_sapi',
      'tts_elevenlabs',
      'tts_playht',
      'tts_piper',
      'tts_mimic3',
      'image_stock',
      'image_stable_diffusion',
      'image_replicate',
    ]);
    for (const c of d.body.checks)
      expect(keys(c)).toEqual([
        'category',
        'data',
        'id',
        'isRequired',
        'message',
        'name',
        'remediationActions',
        'remediationHint',
        'status',
      ]);
  });

  it('provider, system and circuit-breaker DTOs', async () => {
    const p = await get('/api/health/providers');
    expect(Array.isArray(p.body)).toBe(true);
    for (const x of p.body) {
      expect(keys(x)).toEqual([
        'averageResponseTimeMs',
        'circuitOpenedAt',
        'circuitState',
        'consecutiveFailures',
        'failureRate',
        'isHealthy',
        'lastCheckTime',
        'lastError',
        'providerName',
        'responseTimeMs',
        'successRate',
      ]);
    }
    const sys = await get('/api/health/system');
    expect(keys(sys.body)).toEqual([
      'diskSpaceGB',
      'fFmpegAvailable',
      'fFmpegVersion',
      'isHealthy',
      'issues',
      'memoryUsagePercent',
    ]);
    const cb = await get('/api/health/circuit-breakers');
    expect(Object.values(cb.body).every((v) => v === 'Closed')).toBe(true);
    for (const t of ['llm', 'tts', 'images']) expect((await get(`/api/health/${t}`)).status).toBe(200);
  });

  it('/api/version, /api/metrics/prometheus, /api/logs; /api/v1/* is 404', async () => {
    expect((await get('/api/version')).body.version).toBe('1.0.0');
    const prom = await get('/api/metrics/prometheus');
    expect(prom.headers.get('content-type')).toMatch(/^text\/plain/);
    for (const g of [
      'aura_cpu_usage_percent{type=',
      'aura_memory_bytes{type=',
      'aura_memory_usage_percent',
      'aura_gpu_usage_percent{vendor=',
      'aura_threadpool_threads{type=',
      'aura_cache_memory_bytes',
    ])
      expect(prom.text).toContain(g);
    const logs = await get('/api/logs?lines=5');
    expect(keys(logs.body)).toEqual(['file', 'logs', 'totalLines']);
    expect(path.basename(logs.body.file)).toMatch(/^aura-api-\d{8}(_\d{3})?\.log$/);
    expect(logs.body.logs.length).toBeLessThanOrEqual(5);
    for (const l of logs.body.logs)
      expect(keys(l)).toEqual(['correlationId', 'level', 'message', 'rawLine', 'timestamp']);
    for (const p of ['/api/v1/health', '/api/v1/capabilities', '/api/diagnostics/database-status']) {
      const r = await get(p);
      expect(r.status).toBe(404);
      expect(r.text).toBe('');
    }
  });

  it('echoes correlation headers and logs the request pair with those ids', async () => {
    const corr = 'f04a6c2e9b1d4a7c8e3f5b6a7d8c9e01';
    const r = await get('/health/live', { 'X-Correlation-ID': corr });
    expect(r.headers.get('x-correlation-id')).toBe(corr);
    expect(r.headers.get('x-trace-id')).toBe(corr);
    expect(r.headers.get('x-span-id')).toMatch(/^[0-9a-f]{16}$/);
    const tp = await get('/health/live', {
      traceparent: '00-4bf92f3577b34da6a3ce929d0e0e4736-00f067aa0ba902b7-01',
    });
    expect(tp.headers.get('x-trace-id')).toBe('4bf92f3577b34da6a3ce929d0e0e4736');
    expect(tp.headers.get('x-span-id')).toBe('00f067aa0ba902b7');
    expect(tp.headers.get('x-correlation-id')).toMatch(/^[0-9a-f]{32}$/);
    const text = await waitForLog(
      'aura-api-',
      (t) => t.includes(`[${corr}] [${corr}]`) && t.includes('Request completed: GET /health/live - 200 in'),
    );
    expect(text).toMatch(
      new RegExp(
        `\\[INF\\] \\[${corr}\\] \\[${corr}\\] \\[[0-9a-f]{16}\\] Incoming request: GET /health/live from 127\\.0\\.0\\.1 `,
      ),
    );
    await get('/api/v1/health', { 'X-Correlation-ID': 'aaaabbbbccccddddeeeeffff00001111' });
    const warn = await waitForLog('warnings-', (t) => t.includes('[aaaabbbbccccddddeeeeffff00001111]'));
    expect(warn).toMatch(
      /\[WRN\] \[aaaabbbbccccddddeeeeffff00001111\] .* Request completed: GET \/api\/v1\/health - 404 in [\d.]+ms /,
    );
  });
});

/** Today's newest file of a family, polled until `pred` holds (writes are synchronous, but the request may still be in flight). */
async function waitForLog(prefix: string, pred: (text: string) => boolean): Promise<string> {
  let text = '';
  for (let i = 0; i < 50; i++) {
    const names = fs
      .readdirSync(sb.layout.logsDir)
      .filter((n) => n.startsWith(prefix))
      .sort();
    text = names
      .slice(-2)
      .map((n) => fs.readFileSync(path.join(sb.layout.logsDir, n), 'utf8'))
      .join('');
    if (pred(text)) return text;
    await new Promise((r) => setTimeout(r, 50));
  }
  return text;
}

describe('status codes per scenario', () => {
  interface Expect {
    ready: [number, string];
    apiReady: number;
    llm: number;
    system: number;
    details: string;
    failing?: [string, string, RegExp];
  }
  const table: [ScenarioName, Expect][] = [
    ['error-spike', { ready: [200, 'healthy'], apiReady: 200, llm: 200, system: 200, details: 'healthy' }],
    [
      'slow-db',
      {
        ready: [200, 'degraded'],
        apiReady: 200,
        llm: 200,
        system: 200,
        details: 'healthy',
        failing: ['Database', 'degraded', /^Database response time elevated: \d+ms$/],
      },
    ],
    ['db-locked', { ready: [200, 'healthy'], apiReady: 200, llm: 200, system: 200, details: 'healthy' }],
    [
      'db-corrupt',
      {
        ready: [503, 'unhealthy'],
        apiReady: 200,
        llm: 200,
        system: 200,
        details: 'healthy',
        failing: ['Database', 'unhealthy', /^Database health check failed$/],
      },
    ],
    [
      'provider-outage',
      {
        ready: [200, 'degraded'],
        apiReady: 200,
        llm: 503,
        system: 200,
        details: 'degraded',
        failing: ['Providers', 'degraded', /^Provider configuration has 3 warning\(s\)$/],
      },
    ],
    [
      'disk-low',
      {
        ready: [200, 'degraded'],
        apiReady: 503,
        llm: 200,
        system: 503,
        details: 'degraded',
        failing: ['DiskSpace', 'degraded', /^Low disk space: 0\.82 GB free/],
      },
    ],
    [
      'memory-high',
      {
        ready: [200, 'degraded'],
        apiReady: 200,
        llm: 200,
        system: 503,
        details: 'healthy',
        failing: ['Memory', 'degraded', /^High memory usage: \d+\.\d\d MB \(threshold: 1024 MB\)$/],
      },
    ],
    ['log-flood', { ready: [200, 'healthy'], apiReady: 200, llm: 200, system: 200, details: 'healthy' }],
    ['healthy', { ready: [200, 'healthy'], apiReady: 200, llm: 200, system: 200, details: 'healthy' }],
  ];
  it.each(table)('%s', async (name, want) => {
    await sb.setScenario(name);
    expect(sb.status()).toMatchObject({ scenario: name, listening: true });
    const ready = await get('/health/ready');
    expect([ready.status, ready.body.status]).toEqual(want.ready);
    const nonHealthy = ready.body.checks.filter((c: { status: string }) => c.status !== 'healthy');
    if (want.failing) {
      expect(nonHealthy.map((c: { name: string; status: string }) => [c.name, c.status])).toEqual([
        [want.failing[0], want.failing[1]],
      ]);
      expect(nonHealthy[0].description).toMatch(want.failing[2]);
    } else {
      expect(nonHealthy).toEqual([]);
    }
    // /health/{tag} reflects all checks (quirk), even when the failing one is filtered out.
    const tagged = await get('/health/config');
    expect(tagged.status).toBe(want.ready[0]);
    expect((await get('/api/health/ready')).status).toBe(want.apiReady);
    expect((await get('/api/health/llm')).status).toBe(want.llm);
    expect((await get('/api/health/system')).status).toBe(want.system);
    expect((await get('/api/health/details')).body.overallStatus).toBe(want.details);
    // /api/health always says "Healthy"; the database object tells the truth.
    const api = await get('/api/health');
    expect(api.body.status).toBe('Healthy');
    expect(api.body.database.connected).toBe(name !== 'db-corrupt');
  });

  it('error-spike answers at least 10% of API calls with 500 and logs ERR lines with stack traces', async () => {
    await sb.setScenario('error-spike');
    let fails = 0;
    const N = 60;
    for (let i = 0; i < N; i++)
      if ((await get(i % 2 ? '/api/projects' : '/api/jobs')).status === 500) fails++;
    expect(fails / N).toBeGreaterThanOrEqual(0.1);
    const errors = await waitForLog('errors-', (t) =>
      /Request completed: (GET|POST) \/api\/(projects|jobs) - 500 in/.test(t),
    );
    expect(errors).toMatch(
      /\[ERR\] .*Request completed: (GET|POST) \/api\/(projects|jobs) - 500 in [\d.]+ms /,
    );
    expect(errors).toMatch(/\n {3}at Aura\.Api\./);
    await sb.setScenario('healthy');
  });

  it('provider-outage shows the circuit open in the provider DTOs and logs the fallback chain', async () => {
    await sb.setScenario('provider-outage');
    const p = await get('/api/health/providers');
    const openai = p.body.find((x: { providerName: string }) => x.providerName === 'OpenAI');
    expect(openai).toMatchObject({ isHealthy: false, circuitState: 'Open', consecutiveFailures: 5 });
    expect((await get('/api/health/circuit-breakers')).body.OpenAI).toBe('Open');
    const warn = await waitForLog('warnings-', (t) =>
      t.includes('Provider OpenAI circuit opened after 5 consecutive failures'),
    );
    expect(warn).toContain('Primary provider OpenAI failed, attempting fallback chain: ');
    expect(warn).toContain('CRITICAL: Even RuleBased fallback failed - no providers available');
    await sb.setScenario('healthy');
  });

  it("rolls today's files by size at the configured limit while log-flood runs", async () => {
    const todays = (): string[] =>
      fs.readdirSync(sb.layout.logsDir).filter((n) => n.startsWith(`aura-api-${todayStamp()}`));
    const before = todays().length;
    await sb.setScenario('log-flood');
    const after = await until(todays, (names) => names.length > before, 8000, 50);
    await sb.setScenario('healthy');
    expect(after.length).toBeGreaterThan(before);
    expect(after.some((n) => /^aura-api-\d{8}_\d{3}\.log$/.test(n))).toBe(true);
    for (const n of after.slice(0, -1))
      expect(fs.statSync(path.join(sb.layout.logsDir, n)).size).toBeGreaterThanOrEqual(SIZE_LIMIT);
  });

  it('api-hang accepts connections but never answers; api-down closes the port', async () => {
    await sb.setScenario('api-hang');
    await expect(fetch(sb.url + '/health/live', { signal: AbortSignal.timeout(600) })).rejects.toThrow(
      /timeout|aborted/i,
    );
    await sb.setScenario('api-down');
    expect(sb.status().listening).toBe(false);
    const err = await new Promise<string | null>((resolve) => {
      const s = net.connect(sb.port, '127.0.0.1', () => {
        s.destroy();
        resolve(null);
      });
      s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    });
    expect(err).toBe('ECONNREFUSED');
    const fatal = await waitForLog('errors-', (t) =>
      t.includes('[FTL] [] [] [] Application terminated unexpectedly'),
    );
    expect(fatal).toContain('Application terminated unexpectedly');
    await sb.setScenario('healthy');
    expect((await get('/health/live')).status).toBe(200);
  });
});
