// The health and diagnostics bodies of Aura's endpoints (FACTS §1.2-1.3), computed from the
// sandbox's state: check names, tags, data keys, messages, status casing and the status rules,
// quirks included (/api/health always "Healthy", /api/health/ready 503 on one degraded check).
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

/** Below this much free space Aura's diagnostics call the disk a warning (its DiskSpace threshold). */
const LOW_DISK_GB = 1;

export const VALID_TAGS = ['ready', 'db', 'config', 'dependencies', 'infrastructure', 'providers'] as const;

const round2 = (n: number): number => Math.round(n * 100) / 100;

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
  if (kind === 'all') {
    return {
      status: code,
      body: {
        status,
        timestamp,
        duration: round2(durationMs),
        environment: i.environment,
        version: '1.0.0.0',
        checks: checks.map((c) => ({
          name: c.name,
          status: c.status,
          description: c.description,
          duration: c.duration,
          data: c.data,
          tags: c.tags,
          exception: c.exception,
        })),
      },
    };
  }
  if (kind === 'ready') {
    return {
      status: code,
      body: {
        status,
        timestamp,
        duration: round2(durationMs),
        checks: checks.map((c) => ({
          name: c.name,
          status: c.status,
          description: c.description,
          duration: c.duration,
          data: c.data,
          tags: c.tags,
        })),
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

interface SubCheck {
  name: string;
  status: AspStatus;
  message: string;
  details?: Record<string, unknown>;
}

/** `/api/health/ready` (HealthCheckService): healthy only with no errors; degraded only if every check is. */
export function apiReady(i: HealthInputs): HttpAnswer {
  const d = i.effects.disk;
  const pct = round2((d.freeGb / d.totalGb) * 100);
  const diskStatus: AspStatus =
    d.freeGb < 1 || pct < 5 ? 'unhealthy' : d.freeGb < 5 || pct < 10 ? 'degraded' : 'healthy';
  const checks: SubCheck[] = [
    {
      name: 'FFmpeg',
      status: 'healthy',
      message: `FFmpeg found at ${i.ffmpegPath}`,
      details: { path: i.ffmpegPath, version: '6.1.1' },
    },
    {
      name: 'TempDirectory',
      status: 'healthy',
      message: `Temp directory is writable: ${i.tempDir}`,
      details: { path: i.tempDir },
    },
    {
      name: 'ProviderRegistry',
      status: 'healthy',
      message: 'Provider registry initialized',
      details: {
        toolsDirectory: `${i.dataRoot}/Tools`,
        auraDataDirectory: `${i.dataRoot}/AuraData`,
        exists: true,
      },
    },
    {
      name: 'PortAvailability',
      status: 'healthy',
      message: i.port === 5005 ? 'Port 5005 is in use by this process' : 'Port 5005 is available',
      details: {
        port: 5005,
        inUse: i.port === 5005,
        ownedByCurrentProcess: i.port === 5005,
        owningProcessId: i.port === 5005 ? process.pid : null,
        owningProcessName: i.port === 5005 ? 'Aura.Api' : null,
        remediation: null,
      },
    },
    {
      name: 'DiskSpace',
      status: diskStatus,
      message:
        diskStatus === 'healthy'
          ? `Sufficient disk space: ${d.freeGb.toFixed(2)} GB free`
          : `Low disk space: ${d.freeGb.toFixed(2)} GB free (${pct}%)`,
      details: {
        freeSpaceGB: d.freeGb,
        totalSpaceGB: d.totalGb,
        freeSpacePercent: pct,
        outputDirectory: `${i.dataRoot}/Projects`,
      },
    },
    {
      name: 'TtsProviders',
      status: 'healthy',
      message: '3 TTS provider(s) available',
      details: { availableProviders: ['ElevenLabs', 'EdgeTTS', 'Piper'], count: 3 },
    },
  ];
  const bad = checks.filter((c) => c.status !== 'healthy');
  const errors = bad.map((c) => c.message);
  const status: AspStatus =
    bad.length === 0
      ? 'healthy'
      : bad.length === checks.length && bad.every((c) => c.status === 'degraded')
        ? 'degraded'
        : 'unhealthy';
  return { status: status === 'unhealthy' ? 503 : 200, body: { status, checks, errors } };
}

export function apiLive(): HttpAnswer {
  return {
    status: 200,
    body: {
      status: 'healthy',
      checks: [{ name: 'Application', status: 'healthy', message: 'Application is running' }],
      errors: [],
    },
  };
}

interface DetailCheck {
  id: string;
  name: string;
  category: 'System' | 'Configuration' | 'LLM' | 'TTS' | 'Image' | 'Video';
  status: 'pass' | 'warning' | 'fail';
  isRequired: boolean;
  message: string;
  data: Record<string, unknown> | null;
  remediationHint: string | null;
  remediationActions: {
    type: string;
    label: string;
    description: string;
    navigateTo: string | null;
    externalUrl: string | null;
    parameters: Record<string, string> | null;
  }[];
}

const DETAIL_IDS: [string, string, DetailCheck['category'], boolean][] = [
  ['config_present', 'Configuration', 'Configuration', true],
  ['disk_space', 'Disk Space', 'System', true],
  ['ffmpeg_present', 'FFmpeg', 'Video', true],
  ['gpu_encoders', 'GPU Encoders', 'Video', false],
  ['llm_rulebased', 'Rule-based LLM', 'LLM', false],
  ['llm_openai', 'OpenAI', 'LLM', false],
  ['llm_anthropic', 'Anthropic', 'LLM', false],
  ['llm_gemini', 'Gemini', 'LLM', false],
  ['llm_ollama', 'Ollama', 'LLM', false],
  ['tts_windows_sapi', 'Windows SAPI', 'TTS', false],
  ['tts_elevenlabs', 'ElevenLabs', 'TTS', false],
  ['tts_playht', 'PlayHT', 'TTS', false],
  ['tts_piper', 'Piper', 'TTS', false],
  ['tts_mimic3', 'Mimic3', 'TTS', false],
  ['image_stock', 'Stock Images', 'Image', false],
  ['image_stable_diffusion', 'Stable Diffusion', 'Image', false],
  ['image_replicate', 'Replicate', 'Image', false],
];

/** `/api/health/details` checks (pass|warning|fail) for the scenario. */
export function detailChecks(effects: ScenarioEffects): DetailCheck[] {
  const freeGb = effects.disk.freeGb;
  return DETAIL_IDS.map(([id, name, category, isRequired]) => {
    let status: DetailCheck['status'] = 'pass';
    let message = `${name} is available`;
    let hint: string | null = null;
    const actions: DetailCheck['remediationActions'] = [];
    if (effects.llmOutage && category === 'LLM') {
      status = id === 'llm_rulebased' ? 'warning' : 'fail';
      message =
        id === 'llm_ollama'
          ? 'Ollama is not running at http://127.0.0.1:11434'
          : `${name} is not responding (circuit open)`;
      hint = 'Check the provider status page or switch to another provider';
      actions.push({
        type: 'switch_provider',
        label: 'Switch provider',
        description: 'Use a different LLM provider',
        navigateTo: '/settings/providers',
        externalUrl: null,
        parameters: null,
      });
    }
    if (freeGb < LOW_DISK_GB && id === 'disk_space') {
      status = 'warning';
      message = `Only ${freeGb.toFixed(2)} GB free disk space`;
      hint = 'Free up disk space: delete old renders, logs and temp files';
      actions.push({
        type: 'open_help',
        label: 'Free disk space',
        description: 'How to reclaim disk space',
        navigateTo: null,
        externalUrl: null,
        parameters: null,
      });
    }
    return {
      id,
      name,
      category,
      status,
      isRequired,
      message,
      data: null,
      remediationHint: hint,
      remediationActions: actions,
    };
  });
}

export function healthDetails(effects: ScenarioEffects): HttpAnswer {
  const checks = detailChecks(effects);
  const failedRequired = checks.some((c) => c.isRequired && c.status === 'fail');
  const anyBad = checks.some((c) => c.status !== 'pass');
  const overallStatus = failedRequired ? 'unhealthy' : anyBad ? 'degraded' : 'healthy';
  const isReady = !failedRequired;
  return {
    status: isReady ? 200 : 503,
    body: { overallStatus, isReady, checks, timestamp: clock.now().toISOString() },
  };
}

export function healthSummary(effects: ScenarioEffects): HttpAnswer {
  const d = healthDetails(effects).body as {
    overallStatus: string;
    isReady: boolean;
    checks: DetailCheck[];
  };
  return {
    status: 200,
    body: {
      overallStatus: d.overallStatus,
      isReady: d.isReady,
      totalChecks: d.checks.length,
      passedChecks: d.checks.filter((c) => c.status === 'pass').length,
      warningChecks: d.checks.filter((c) => c.status === 'warning').length,
      failedChecks: d.checks.filter((c) => c.status === 'fail').length,
      timestamp: clock.now().toISOString(),
    },
  };
}

export type ProviderType = 'llm' | 'tts' | 'image';
const PROVIDERS: [string, ProviderType][] = [
  ['OpenAI', 'llm'],
  ['Gemini', 'llm'],
  ['Ollama', 'llm'],
  ['RuleBased', 'llm'],
  ['ElevenLabs', 'tts'],
  ['EdgeTTS', 'tts'],
  ['Piper', 'tts'],
  ['Unsplash', 'image'],
  ['Stock', 'image'],
];

export interface ProviderHealthDto {
  providerName: string;
  isHealthy: boolean;
  lastCheckTime: string;
  responseTimeMs: number;
  consecutiveFailures: number;
  lastError: string | null;
  successRate: number;
  averageResponseTimeMs: number;
  circuitState: 'Closed' | 'Open' | 'HalfOpen';
  failureRate: number;
  circuitOpenedAt: string | null;
}

export function providerList(
  effects: ScenarioEffects,
  outageSince: Date | null,
): { dto: ProviderHealthDto; type: ProviderType }[] {
  const now = clock.now().toISOString();
  return PROVIDERS.map(([name, type]) => {
    const down = effects.llmOutage && type === 'llm';
    const open = down && name !== 'RuleBased';
    return {
      type,
      dto: {
        providerName: name,
        isHealthy: !down,
        lastCheckTime: now,
        responseTimeMs: down ? 0 : 120 + name.length * 7,
        consecutiveFailures: down ? 5 : 0,
        lastError: down
          ? name === 'Ollama'
            ? 'Connection refused (127.0.0.1:11434)'
            : name === 'RuleBased'
              ? 'No providers available'
              : 'Service Unavailable (503)'
          : null,
        successRate: down ? 0.12 : 0.99,
        averageResponseTimeMs: down ? 30_000 : 140 + name.length * 5,
        circuitState: open ? 'Open' : 'Closed',
        failureRate: down ? 0.88 : 0.01,
        circuitOpenedAt: open && outageSince ? outageSince.toISOString() : null,
      },
    };
  });
}

/** `/api/health/llm|tts|images`: 503 when every provider of that type is down. */
export function providerTypeHealth(
  effects: ScenarioEffects,
  type: ProviderType,
  outageSince: Date | null,
): HttpAnswer {
  const list = providerList(effects, outageSince)
    .filter((p) => p.type === type)
    .map((p) => p.dto);
  const healthy = list.filter((p) => p.isHealthy).length;
  return {
    status: healthy === 0 ? 503 : 200,
    body: {
      providerType: type,
      isHealthy: healthy > 0,
      healthyProviders: healthy,
      totalProviders: list.length,
      providers: list,
    },
  };
}

export function circuitBreakers(effects: ScenarioEffects, outageSince: Date | null): Record<string, string> {
  const out: Record<string, string> = {};
  for (const p of providerList(effects, outageSince)) out[p.dto.providerName] = p.dto.circuitState;
  return out;
}

export function systemHealth(effects: ScenarioEffects): HttpAnswer {
  const d = effects.disk;
  const memoryPercent = effects.memoryPercent;
  const issues: string[] = [];
  if (d.freeGb < 1) issues.push(`Low disk space: ${d.freeGb.toFixed(2)} GB available`);
  if (memoryPercent > 90) issues.push(`High memory usage: ${memoryPercent.toFixed(1)}%`);
  const isHealthy = issues.length === 0;
  return {
    status: isHealthy ? 200 : 503,
    body: {
      fFmpegAvailable: true,
      fFmpegVersion: '6.1.1',
      diskSpaceGB: d.freeGb,
      memoryUsagePercent: round2(memoryPercent),
      isHealthy,
      issues,
    },
  };
}
