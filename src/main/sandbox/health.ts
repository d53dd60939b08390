// The ASP.NET health-check bodies of Aura's endpoints (FACTS §1.2): /health, /health/ready and
// /health/{tag}, computed from the sandbox's state: check names, tags, data keys, messages, status
// casing and the status rules. The /api/health/* bodies are in api-health.ts.
import * as clock from '../../shared/clock';
import type { ScenarioEffects } from './scenario-table';

export type AspStatus = 'healthy' | 'degraded' | 'unhealthy';

export interface AspCheck {
  name: string;
  status: AspStatus;
  description: string;
  duration: number;
  data: Record<string, unknown>;
  tags: string[];
  exception: string | null;
}

/** Result of the real query the Database check runs against aura.db. */
export interface DbProbe {
  ok: boolean;
  elapsedMs: number;
  projectCount: number | null;
  /** SQLite error text when the query failed. */
  error: string | null;
}

/** The machine facts the checks report; simulated where the sandbox stands in for Windows. */
export interface HealthInputs {
  /** The active scenario's effects (drive, memory, providers). */
  effects: ScenarioEffects;
  db: DbProbe;
  dbPath: string;
  /** What DatabaseConfiguration reports: it ignores AURA_DATA_PATH (FACTS §1.3 quirk). */
  configuredDbPath: string;
  tempDir: string;
  dataRoot: string;
  ffmpegPath: string;
  port: number;
  workingSetMb: number;
  environment: string;
}

export const VALID_TAGS = ['ready', 'db', 'config', 'dependencies', 'infrastructure', 'providers'] as const;

export const round2 = (n: number): number => Math.round(n * 100) / 100;

export function worst(statuses: AspStatus[]): AspStatus {
  return statuses.includes('unhealthy')
    ? 'unhealthy'
    : statuses.includes('degraded')
      ? 'degraded'
      : 'healthy';
}

/** The seven `ready` checks of Aura.Api/HealthChecks, sorted by name as the writer emits them. */
export function aspChecks(i: HealthInputs): AspCheck[] {
  const ffmpegVersion = '6.1.1';
  const checks: AspCheck[] = [];
  // Database: real query timing against the real file.
  {
    const data: Record<string, unknown> = {
      connection_available: i.db.ok,
      response_time_ms: Math.round(i.db.elapsedMs),
      project_count: i.db.projectCount,
      provider: 'Microsoft.EntityFrameworkCore.Sqlite',
      elapsed_ms: Math.round(i.db.elapsedMs),
    };
    let status: AspStatus = 'healthy';
    let description = `Database healthy (response: ${Math.round(i.db.elapsedMs)}ms)`;
    let exception: string | null = null;
    if (!i.db.ok) {
      status = 'unhealthy';
      description = /unable to open|no such file|cannot open/i.test(i.db.error ?? '')
        ? 'Cannot connect to database'
        : 'Database health check failed';
      exception = i.db.error;
    } else if (i.db.elapsedMs > 2000) {
      status = 'degraded';
      description = `Database responding slowly: ${Math.round(i.db.elapsedMs)}ms`;
    } else if (i.db.elapsedMs > 500) {
      status = 'degraded';
      description = `Database response time elevated: ${Math.round(i.db.elapsedMs)}ms`;
    }
    checks.push({
      name: 'Database',
      status,
      description,
      duration: round2(i.db.elapsedMs + 0.4),
      data,
      tags: ['ready', 'db'],
      exception,
    });
  }
  checks.push({
    name: 'DatabaseConfiguration',
    status: 'healthy',
    description: 'Database configuration is valid',
    duration: 0.31,
    data: { provider: 'SQLite', database_path: i.configuredDbPath, validation_error: null },
    tags: ['ready', 'db', 'config'],
    exception: null,
  });
  checks.push({
    name: 'Dependencies',
    status: 'healthy',
    description: 'All critical dependencies available',
    duration: 2.14,
    data: {
      ffmpeg_available: true,
      platform: process.platform === 'win32' ? 'Windows' : process.platform === 'darwin' ? 'macOS' : 'Linux',
      gpu_available: false,
      tier: 'B',
      ffmpeg_path: i.ffmpegPath,
      ffmpeg_version: ffmpegVersion,
      nvenc_available: false,
      gpu_vendor: null,
      gpu_model: null,
      gpu_vram_gb: 0,
    },
    tags: ['ready', 'dependencies'],
    exception: null,
  });
  {
    const d = i.effects.disk;
    const status: AspStatus = d.freeGb < 0.5 ? 'unhealthy' : d.freeGb < 1.0 ? 'degraded' : 'healthy';
    const description =
      status === 'unhealthy'
        ? `Critical: Only ${d.freeGb.toFixed(2)} GB free disk space`
        : status === 'degraded'
          ? `Low disk space: ${d.freeGb.toFixed(2)} GB free (threshold: 1 GB)`
          : `Sufficient disk space: ${d.freeGb.toFixed(2)} GB free`;
    checks.push({
      name: 'DiskSpace',
      status,
      description,
      duration: 0.52,
      data: {
        free_gb: d.freeGb,
        total_gb: d.totalGb,
        threshold_gb: 1.0,
        critical_gb: 0.5,
        drive: process.platform === 'win32' ? 'C:\\' : '/',
      },
      tags: ['ready', 'infrastructure'],
      exception: null,
    });
  }
  {
    const ws = i.workingSetMb;
    const status: AspStatus = ws > 2048 ? 'unhealthy' : ws > 1024 ? 'degraded' : 'healthy';
    const description =
      status === 'unhealthy'
        ? `Critical memory usage: ${ws.toFixed(2)} MB (threshold: 2048 MB)`
        : status === 'degraded'
          ? `High memory usage: ${ws.toFixed(2)} MB (threshold: 1024 MB)`
          : `Memory usage normal: ${ws.toFixed(2)} MB`;
    checks.push({
      name: 'Memory',
      status,
      description,
      duration: 0.18,
      data: {
        working_set_mb: round2(ws),
        private_memory_mb: round2(ws * 0.92),
        virtual_memory_mb: round2(ws * 3.1 + 2048),
        gc_total_memory_mb: round2(ws * 0.55),
        gc_gen0_collections: 412,
        gc_gen1_collections: 61,
        gc_gen2_collections: i.effects.gcGen2Collections,
        warning_threshold_mb: 1024,
        critical_threshold_mb: 2048,
        total_available_memory_mb: 16_384,
        heap_size_mb: round2(ws * 0.6),
        fragmented_mb: round2(ws * 0.04),
        memory_load: round2((ws / 16_384) * 100 + 40),
        memory_pressure_percent: round2((ws / 16_384) * 100),
      },
      tags: ['ready', 'infrastructure'],
      exception: null,
    });
  }
  {
    const outage = i.effects.llmOutage;
    const warnings = outage
      ? [
          'OpenAI: circuit open after 5 consecutive failures',
          'Ollama is not running at http://127.0.0.1:11434',
          'Gemini: 503 Service Unavailable',
        ]
      : [];
    checks.push({
      name: 'Providers',
      status: outage ? 'degraded' : 'healthy',
      description: outage
        ? `Provider configuration has ${warnings.length} warning(s)`
        : 'Providers configured correctly',
      duration: 4.7,
      data: {
        llm_providers_available: outage ? 0 : 4,
        tts_providers_available: 3,
        video_composer_available: true,
        ollama_detection_complete: true,
        ollama_running: !outage,
        ollama_version: outage ? null : '0.5.7',
        ollama_models_count: outage ? 0 : 3,
        llm_providers: outage ? [] : ['OpenAI', 'Gemini', 'Ollama', 'RuleBased'],
        tts_providers: ['ElevenLabs', 'EdgeTTS', 'Piper'],
        api_keys_configured: {
          openai: true,
          azure_openai: false,
          gemini: true,
          elevenlabs: true,
          playht: false,
          azure_speech: false,
        },
        api_keys_count: 3,
        warnings,
      },
      tags: ['ready', 'providers'],
      exception: null,
    });
  }
  checks.push({
    name: 'Startup',
    status: 'healthy',
    description: 'Application startup complete',
    duration: 0.05,
    data: {
      ready: true,
      timestamp: clock.now().toISOString(),
      ffmpeg_configured: true,
      ffmpeg_path: i.ffmpegPath,
      ffmpeg_source: 'Managed',
      ffmpeg_warning: null,
      ffmpeg_error: null,
    },
    tags: ['ready'],
    exception: null,
  });
  return checks.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

export interface HttpAnswer {
  status: number;
  body: unknown;
}

/** A check as /health writes it (with its exception) and /health/ready (without that key). */
function checkJson(c: AspCheck, withException: boolean) {
  return {
    name: c.name,
    status: c.status,
    description: c.description,
    duration: c.duration,
    data: c.data,
    tags: c.tags,
    ...(withException ? { exception: c.exception } : {}),
  };
}

/** `/health`, `/health/ready` and `/health/{tag}` (ASP.NET writer: 503 only when unhealthy). */
export function aspHealthBody(
  kind: 'all' | 'ready' | { tag: string },
  checks: AspCheck[],
  i: HealthInputs,
  durationMs: number,
): HttpAnswer {
  const status = worst(checks.map((c) => c.status));
  const code = status === 'unhealthy' ? 503 : 200;
  const timestamp = clock.now().toISOString();
  if (kind === 'all' || kind === 'ready') {
    // /health adds the environment, the version and each check's exception; /health/ready does not.
    const all = kind === 'all';
    return {
      status: code,
      body: {
        status,
        timestamp,
        duration: round2(durationMs),
        ...(all ? { environment: i.environment, version: '1.0.0.0' } : {}),
        checks: checks.map((c) => checkJson(c, all)),
      },
    };
  }
  const tag = kind.tag;
  if (!(VALID_TAGS as readonly string[]).includes(tag)) {
    return { status: 404, body: { error: `No health checks with tag '${tag}' found` } };
  }
  // Quirk kept: status and HTTP code reflect all checks, not only the filtered ones.
  return {
    status: code,
    body: {
      status,
      tag,
      timestamp,
      checks: checks
        .filter((c) => c.tags.includes(tag))
        .map((c) => ({ name: c.name, status: c.status, description: c.description, data: c.data })),
    },
  };
}
