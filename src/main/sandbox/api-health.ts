// The bodies of Aura's own /api/health/* endpoints (FACTS §1.3): ready, live, details, summary,
// providers, circuit breakers and system, computed from the sandbox's state, quirks included
// (/api/health/ready 503 on one degraded check).
import * as clock from '../../shared/clock';
import { round2, type AspStatus, type HealthInputs, type HttpAnswer } from './health';
import type { ScenarioEffects } from './scenario-table';

/** Below this much free space Aura's diagnostics call the disk a warning (its DiskSpace threshold). */
const LOW_DISK_GB = 1;

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
