// createSandbox: writes a data root shaped like a real Aura install (FACTS §2, §3, §7):
// appsettings.json, aura.db with the EF schema and realistic rows (WAL), and N days of Serilog logs.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../services/store/native';
import * as clock from '../../shared/clock';
import { AuraLogModel, SAMPLE_EXCEPTIONS, type RequestSpec } from './aura-events';
import {
  AURA_INDEX_DDL,
  AURA_SCHEMA_DDL,
  EF_MIGRATIONS,
  EF_PRODUCT_VERSION,
  MIGRATIONS_HISTORY_DDL,
} from './schema';
import { SerilogFileSet, localOffsetMinutes, type LogEvent } from './serilog-writer';
import { SANDBOX_MARKER, isSandbox, sandboxLayout, type SandboxLayout } from './control';

export interface CreateSandboxOptions {
  /** Days of log history ending now (today is partial). */
  days?: number;
  /** ProjectStates rows (spread over every status). */
  projects?: number;
  /** Log volume per day, in MB, summed over the five log families. */
  logMb?: number;
  /** Pad aura.db with analytics rows until it reaches about this many MB (0: no padding). */
  dbMb?: number;
  /** Port written into appsettings Urls. */
  port?: number;
  /** PRNG seed: the same options and seed give the same rows and lines. */
  seed?: number;
  /** "Now" for the generated history (tests); default: the current time. */
  now?: Date;
  /** Replace an existing sandbox in `dir` (default false: refuse). */
  overwrite?: boolean;
}

export interface CreateSandboxResult extends SandboxLayout {
  logFiles: string[];
  logBytes: number;
  dbBytes: number;
  counts: Record<string, number>;
}

/** Defaults keep `createSandbox(dir)` well under 2 s so every test can use it as a fixture. */
export const SANDBOX_DEFAULTS = { days: 7, projects: 24, logMb: 1, dbMb: 0, port: 5005 } as const;

/** EF Core's SQLite DateTime text: `yyyy-MM-dd HH:mm:ss.fff` (UTC, as Aura stores DateTime.UtcNow). */
export function efDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

/** appsettings.json with the ops-relevant sections as Aura.Api ships them (FACTS §7). */
export function auraAppSettings(port: number, redisConnection: string | null): Record<string, unknown> {
  return {
    Urls: `http://127.0.0.1:${port}`,
    AllowedHosts: '*',
    Serilog: {
      MinimumLevel: { Default: 'Information', Override: { 'Microsoft.AspNetCore': 'Warning' } },
    },
    Database: {
      Provider: 'SQLite',
      SQLitePath: '',
      ConnectionString: '',
      Performance: {
        MaxPoolSize: 100,
        MinPoolSize: 10,
        ConnectionLifetimeSeconds: 600,
        CommandTimeoutSeconds: 60,
        MaxRetryCount: 5,
        MaxRetryDelaySeconds: 30,
        SqliteCacheSizeKB: 64000,
        SqlitePageSize: 4096,
        SqliteEnableWAL: true,
      },
    },
    Caching: {
      Enabled: true,
      RedisConnection: redisConnection ?? '',
      UseRedis: redisConnection !== null,
      DefaultExpirationSeconds: 300,
      Strategies: { Templates: 3600, SystemConfig: 600, Projects: 120 },
      EnableCacheWarming: true,
      EnableStampedeProtection: true,
    },
    HealthChecks: {
      DiskSpaceThresholdGB: 1.0,
      DiskSpaceCriticalGB: 0.5,
      MemoryWarningThresholdMB: 1024,
      MemoryCriticalThresholdMB: 2048,
      DatabaseWarningThresholdMs: 500,
      DatabaseCriticalThresholdMs: 2000,
      Timeout: '00:00:10',
      EnableDetailedLogging: false,
      EnableAutoRecovery: true,
    },
    Performance: { SlowRequestThresholdMs: 1000, VerySlowRequestThresholdMs: 5000 },
    CircuitBreaker: { FailureThreshold: 5, FailureRateThreshold: 0.5, OpenDurationSeconds: 30 },
    Ollama: { BaseUrl: 'http://127.0.0.1:11434', Model: 'llama3.1:8b-q4_k_m', TimeoutSeconds: 900 },
    Authentication: { RequireAuthentication: false, ApiKeyHeaderName: 'X-API-Key' },
    Security: { EnableAuditLogging: true },
  };
}

export function writeAppSettings(file: string, port: number, redisConnection: string | null): void {
  fs.writeFileSync(file, JSON.stringify(auraAppSettings(port, redisConnection), null, 2) + '\n');
}

/** Create a sandbox data root in `dir` (created when missing). */
export function createSandbox(dir: string, options: CreateSandboxOptions = {}): CreateSandboxResult {
  // Spread only the options given: an explicit `undefined` (e.g. an absent CLI flag) keeps the default.
  const given = Object.fromEntries(
    Object.entries(options).filter(([, v]) => v !== undefined),
  ) as CreateSandboxOptions;
  const o = { ...SANDBOX_DEFAULTS, ...given };
  if (!Number.isInteger(o.days) || o.days < 1 || o.days > 400)
    throw new RangeError('days must be an integer from 1 to 400');
  if (!Number.isInteger(o.projects) || o.projects < 0 || o.projects > 100_000)
    throw new RangeError('projects must be an integer from 0 to 100000');
  if (!(o.logMb > 0) || o.logMb > 2000)
    throw new RangeError('logMb must be a number above 0 and at most 2000');
  if (!(o.dbMb >= 0) || o.dbMb > 10_000) throw new RangeError('dbMb must be between 0 and 10000');
  const L = sandboxLayout(dir);
  if (fs.existsSync(L.dir) && fs.readdirSync(L.dir).length > 0) {
    if (!isSandbox(L.dir))
      throw new Error(`${L.dir} is not empty and is not a sandbox; pick an empty or new directory`);
    if (!options.overwrite) throw new Error(`${L.dir} already holds a sandbox; pass overwrite to replace it`);
    fs.rmSync(L.dir, { recursive: true, force: true });
  }
  for (const d of [
    L.dir,
    L.logsDir,
    L.tempDir,
    L.controlDir,
    path.join(L.dir, 'AuraData'),
    path.join(L.dir, 'Projects'),
  ]) {
    fs.mkdirSync(d, { recursive: true });
  }
  const now = o.now ?? clock.now();
  writeAppSettings(L.appSettingsPath, o.port, null);
  fs.writeFileSync(
    path.join(L.dir, 'AuraData', 'settings.json'),
    JSON.stringify(
      { outputDirectory: path.join(L.dir, 'Projects'), offlineMode: false, ffmpegPath: '' },
      null,
      2,
    ) + '\n',
  );
  const model = new AuraLogModel({ seed: o.seed ?? 42, dataRoot: L.dir, url: `http://127.0.0.1:${o.port}` });
  const counts = writeDatabase(L.dbPath, model, now, o.projects, o.days, o.dbMb);
  const logBytes = writeLogHistory(L.logsDir, model, now, o.days, o.logMb);
  fs.writeFileSync(
    path.join(L.controlDir, SANDBOX_MARKER),
    JSON.stringify(
      {
        createdAt: now.toISOString(),
        options: { days: o.days, projects: o.projects, logMb: o.logMb, dbMb: o.dbMb, port: o.port },
      },
      null,
      2,
    ) + '\n',
  );
  const logFiles = fs.readdirSync(L.logsDir).sort();
  return { ...L, logFiles, logBytes, dbBytes: fs.statSync(L.dbPath).size, counts };
}

// ---------------------------------------------------------------------------------------------
// aura.db

const STAGES = ['Script', 'TTS', 'Images', 'Composition', 'Render'] as const;
const TOPICS = [
  'How solar panels work',
  'Top 10 hiking trails in Colorado',
  'Intro to sourdough baking',
  'The history of the bicycle',
  'Quarterly product update',
  'Why cats purr',
  'Beginner guitar chords',
  'Deep sea creatures explained',
  'Budget travel in Portugal',
  'Home office ergonomics',
];
const LLM = [
  ['OpenAI', 'gpt-4o-mini', 0.15, 0.6],
  ['Ollama', 'llama3.1:8b-q4_k_m', 0, 0],
  ['Gemini', 'gemini-1.5-flash', 0.075, 0.3],
  ['RuleBased', 'rulebased-v1', 0, 0],
] as const;

type Row = Record<string, string | number | null>;

function insertAll(db: Database.Database, table: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const stmt = db.prepare(
    `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`,
  );
  for (const r of rows) stmt.run(r);
}

function writeDatabase(
  dbPath: string,
  m: AuraLogModel,
  now: Date,
  projects: number,
  days: number,
  dbMb: number,
): Record<string, number> {
  const db = openDatabase(dbPath);
  try {
    // Bulk load without a journal (nothing to roll back to in a fresh file), then switch to the
    // PRAGMAs DatabaseInitializationService sets (FACTS §3); WAL mode persists in the file.
    db.pragma('page_size = 4096');
    db.pragma('journal_mode = OFF');
    db.pragma('synchronous = OFF');
    db.exec(MIGRATIONS_HISTORY_DDL + '\n' + AURA_SCHEMA_DDL + '\n' + AURA_INDEX_DDL);
    const ago = (ms: number): Date => new Date(now.getTime() - ms);
    const H = 3_600_000;
    const D = 24 * H;
    const counts: Record<string, number> = {};
    const put = (table: string, rows: Row[]): void => {
      insertAll(db, table, rows);
      counts[table] = (counts[table] ?? 0) + rows.length;
    };
    db.transaction(() => {
      put(
        '__EFMigrationsHistory',
        EF_MIGRATIONS.map((id) => ({ MigrationId: id, ProductVersion: EF_PRODUCT_VERSION })),
      );
      put('system_configuration', [
        {
          Id: 1,
          CreatedAt: efDate(ago(days * D)),
          FFmpegPath: null,
          IsSetupComplete: 1,
          OutputDirectory: path.join(path.dirname(dbPath), 'Projects'),
          UpdatedAt: efDate(ago(days * D)),
        },
      ]);
      put('user_setup', [
        {
          Id: m.guid(),
          Completed: 1,
          CompletedAt: efDate(ago(days * D)),
          LastStep: 6,
          SelectedTier: 'Pro',
          UpdatedAt: efDate(ago(days * D)),
          UserId: 'default',
          Version: '1.0.0',
          WizardState: '{"currentStep":6,"completed":true}',
        },
      ]);
      put('QueueConfiguration', [
        {
          Id: 'default',
          CpuThrottleThreshold: 85,
          EnableNotifications: 1,
          FailedJobRetentionDays: 90,
          IsEnabled: 1,
          JobHistoryRetentionDays: 30,
          MaxConcurrentJobs: 2,
          MemoryThrottleThreshold: 85,
          PauseOnBattery: 0,
          PollingIntervalSeconds: 5,
          RetryBaseDelaySeconds: 5,
          RetryMaxDelaySeconds: 300,
          UpdatedAt: efDate(ago(days * D)),
        },
      ]);
      put('AnalyticsRetentionSettings', [
        {
          Id: 'default',
          AggregateOldData: 1,
          AggregationThresholdDays: 30,
          AutoCleanupEnabled: 1,
          CleanupHourUtc: 2,
          CollectHardwareMetrics: 1,
          CostTrackingRetentionDays: 365,
          CreatedAt: efDate(ago(days * D)),
          CreatedBy: null,
          IsEnabled: 1,
          MaxDatabaseSizeMB: 500,
          ModifiedBy: null,
          PerformanceMetricsRetentionDays: 30,
          TrackSuccessOnly: 0,
          UpdatedAt: efDate(ago(days * D)),
          UsageStatisticsRetentionDays: 90,
        },
      ]);
      put('Settings', [
        {
          Id: 'user-settings',
          CreatedAt: efDate(ago(days * D)),
          CreatedBy: null,
          IsEncrypted: 0,
          ModifiedBy: null,
          SettingsJson: '{"theme":"dark","autoSave":true,"defaultTier":"Pro"}',
          UpdatedAt: efDate(ago(2 * D)),
          Version: '1.0',
        },
      ]);
      put('Configurations', [
        {
          Key: 'FFmpeg:ExecutablePath',
          Category: 'FFmpeg',
          CreatedAt: efDate(ago(days * D)),
          CreatedBy: 'default',
          Description: 'Path to ffmpeg',
          IsActive: 1,
          IsSensitive: 0,
          ModifiedBy: null,
          UpdatedAt: efDate(ago(days * D)),
          Value: '',
          ValueType: 'string',
          Version: 1,
        },
        {
          Key: 'Providers:OpenAI:ApiKey',
          Category: 'Providers',
          CreatedAt: efDate(ago(days * D)),
          CreatedBy: 'default',
          Description: null,
          IsActive: 1,
          IsSensitive: 1,
          ModifiedBy: null,
          UpdatedAt: efDate(ago(days * D)),
          Value: 'ENC:v1:6f1c…',
          ValueType: 'string',
          Version: 2,
        },
      ]);
      put(
        'templates',
        [0, 1, 2].map((i) => ({
          Id: m.guid(),
          Author: 'Aura',
          Category: ['Education', 'Marketing', 'Social'][i],
          CreatedAt: efDate(ago(days * D)),
          Description: 'Built-in template',
          IsCommunityTemplate: 0,
          IsSystemTemplate: 1,
          Name: ['Explainer', 'Product Promo', 'Short Story'][i],
          PreviewImage: '',
          PreviewVideo: '',
          Rating: 4.5,
          RatingCount: 12 + i,
          SubCategory: '',
          Tags: 'builtin',
          TemplateData: '{}',
          UpdatedAt: efDate(ago(days * D)),
          UsageCount: 3 * i,
        })),
      );

      const projectStatuses = ['InProgress', 'Completed', 'Failed', 'Cancelled'] as const;
      const jobs: Row[] = [];
      const progress: Row[] = [];
      const projectRows: Row[] = [];
      const scenes: Row[] = [];
      const assets: Row[] = [];
      for (let i = 0; i < projects; i++) {
        const status = projectStatuses[i % projectStatuses.length];
        const created = ago(m.rng() * days * D);
        const pid = m.guid();
        const jobId = m.hex(32);
        const stageIdx = status === 'Completed' ? 4 : m.int(0, 4);
        const pct = status === 'Completed' ? 100 : stageIdx * 20 + m.int(0, 19);
        const topic = m.pick(TOPICS);
        projectRows.push({
          Id: pid,
          BriefJson: JSON.stringify({ topic, audience: 'General', goal: 'Inform', tone: 'Friendly' }),
          Category: 'Education',
          CompletedAt: status === 'Completed' ? efDate(new Date(created.getTime() + 20 * 60_000)) : null,
          CreatedAt: efDate(created),
          CreatedBy: 'default',
          CurrentStage: STAGES[stageIdx],
          CurrentWizardStep: status === 'InProgress' ? m.int(0, 3) : 3,
          DeletedAt: i % 11 === 10 ? efDate(ago(D)) : null,
          DeletedBy: i % 11 === 10 ? 'default' : null,
          Description: `A short video about ${topic.toLowerCase()}`,
          DurationSeconds: status === 'Completed' ? m.int(30, 180) : null,
          ErrorMessage:
            status === 'Failed'
              ? m.pick([
                  'FFmpeg exited with code 1: Invalid data found when processing input',
                  'All LLM providers failed (E307)',
                  "SQLite Error 5: 'database is locked'.",
                ])
              : null,
          IsDeleted: i % 11 === 10 ? 1 : 0,
          JobId: jobId,
          LastAutoSaveAt: efDate(created),
          ModifiedBy: null,
          OutputFilePath:
            status === 'Completed' ? path.join(path.dirname(dbPath), 'Projects', `${pid}.mp4`) : null,
          PlanSpecJson: '{"targetDurationSeconds":90,"pacing":"Conversational"}',
          ProgressPercent: pct,
          RenderSpecJson: '{"resolution":"1920x1080","fps":30,"codec":"h264"}',
          Status: status,
          Tags: 'demo',
          TemplateId: null,
          ThumbnailPath: null,
          Title: topic,
          UpdatedAt: efDate(created),
          VoiceSpecJson: '{"voiceName":"en-US-Aria","rate":1.0}',
        });
        for (let s = 0; s < 3; s++) {
          scenes.push({
            Id: m.guid(),
            AudioFilePath: null,
            CreatedAt: efDate(created),
            DurationSeconds: m.int(8, 30),
            ImageFilePath: null,
            IsCompleted: status === 'Completed' ? 1 : 0,
            ProjectId: pid,
            SceneIndex: s,
            ScriptText: `Scene ${s + 1} of ${topic}.`,
          });
        }
        if (status === 'Completed') {
          assets.push({
            Id: m.guid(),
            AssetType: 'Video',
            CreatedAt: efDate(created),
            FilePath: path.join(path.dirname(dbPath), 'Projects', `${pid}.mp4`),
            FileSizeBytes: m.int(5e6, 9e7),
            IsTemporary: 0,
            MimeType: 'video/mp4',
            ProjectId: pid,
          });
        }
        // The job of this project: Completed / Failed (LastError) / Cancelled / Pending; one stuck Processing job.
        const jobStatus =
          status === 'Completed'
            ? 'Completed'
            : status === 'Failed'
              ? 'Failed'
              : status === 'Cancelled'
                ? 'Cancelled'
                : i % 8 === 0
                  ? 'Processing'
                  : 'Pending';
        const stuck = jobStatus === 'Processing';
        const started = stuck ? ago(6 * H + m.int(0, 3 * H)) : new Date(created.getTime() + 2000);
        jobs.push({
          JobId: jobId,
          CompletedAt: ['Completed', 'Failed', 'Cancelled'].includes(jobStatus)
            ? efDate(new Date(started.getTime() + 15 * 60_000))
            : null,
          CorrelationId: m.hex(32),
          CreatedAt: efDate(created),
          CreatedBy: 'default',
          CurrentStage: STAGES[stageIdx],
          EnqueuedAt: efDate(created),
          IsQuickDemo: i % 5 === 0 ? 1 : 0,
          JobDataJson: JSON.stringify({ projectId: pid, brief: { topic } }),
          LastError:
            jobStatus === 'Failed'
              ? m.pick([
                  'Script generation failed: All LLM providers failed. Primary: OpenAI (429 Too Many Requests); fallback Ollama: Connection refused (127.0.0.1:11434)',
                  "Microsoft.Data.Sqlite.SqliteException (0x80004005): SQLite Error 5: 'database is locked'.",
                  'FFmpeg exited with code 1: Invalid data found when processing input',
                ])
              : null,
          MaxRetries: 3,
          ModifiedBy: null,
          NextRetryAt: null,
          OutputPath:
            jobStatus === 'Completed' ? path.join(path.dirname(dbPath), 'Projects', `${pid}.mp4`) : null,
          Priority: 5,
          ProgressPercent: jobStatus === 'Pending' ? 0 : pct,
          RetryCount: jobStatus === 'Failed' ? 3 : 0,
          StartedAt: jobStatus === 'Pending' ? null : efDate(started),
          Status: jobStatus,
          UpdatedAt: efDate(stuck ? started : created),
          WorkerId: jobStatus === 'Pending' ? null : `worker-${m.int(1, 2)}`,
        });
        if (jobStatus !== 'Pending') {
          const last = jobStatus === 'Completed' ? 100 : pct;
          for (let p = 0; p <= last; p += 20) {
            const st = STAGES[Math.min(4, Math.floor(p / 20))];
            progress.push({
              Id: null,
              CurrentItem: null,
              ElapsedMilliseconds: p * 9000,
              EstimatedRemainingMilliseconds: (100 - p) * 9000,
              JobId: jobId,
              Message: `${st} in progress`,
              ProgressPercent: p,
              Stage: st,
              SubstageDetail: null,
              Timestamp: efDate(new Date(started.getTime() + p * 9000)),
              TotalItems: null,
            });
          }
        }
      }
      put('ProjectStates', projectRows);
      put('SceneStates', scenes);
      put('AssetStates', assets);
      put('JobQueue', jobs);
      put('JobProgressHistory', progress);

      const usage: Row[] = [];
      const cost: Row[] = [];
      const perf: Row[] = [];
      const audit: Row[] = [];
      const perDay = Math.max(4, Math.round(projects / 2));
      for (let d = 0; d < days; d++) {
        for (let k = 0; k < perDay; k++) {
          const t = ago(d * D + m.rng() * D);
          const [prov, model, inP, outP] = m.pick(LLM);
          const ok = m.rng() > 0.12;
          const inTok = m.int(400, 4000);
          const outTok = m.int(200, 2500);
          const uid = usage.length + 1;
          usage.push({
            Id: null,
            CreatedAt: efDate(t),
            CreatedBy: null,
            DurationMs: m.int(800, 60_000),
            ErrorMessage: ok ? null : 'Rate limit exceeded',
            FeatureUsed: 'ScriptGeneration',
            GenerationType: 'Script',
            InputTokens: inTok,
            IsRetry: ok ? 0 : 1,
            JobId: m.hex(32),
            Model: model,
            ModifiedBy: null,
            OutputDurationSeconds: m.int(30, 180),
            OutputTokens: outTok,
            ProjectId: null,
            Provider: prov,
            RetryAttempt: ok ? null : 1,
            SceneCount: m.int(3, 8),
            Success: ok ? 1 : 0,
            Timestamp: efDate(t),
            UpdatedAt: efDate(t),
          });
          const inCost = (inTok / 1e6) * inP;
          const outCost = (outTok / 1e6) * outP;
          const ym = efDate(t).slice(0, 7);
          cost.push({
            Id: null,
            CreatedAt: efDate(t),
            CreatedBy: null,
            Currency: 'USD',
            InputCost: inCost,
            InputPricePer1M: inP,
            InputTokens: inTok,
            IsEstimated: prov === 'OpenAI' ? 0 : 1,
            JobId: null,
            Model: model,
            ModifiedBy: null,
            OutputCost: outCost,
            OutputPricePer1M: outP,
            OutputTokens: outTok,
            ProjectId: null,
            Provider: prov,
            Timestamp: efDate(t),
            TotalCost: inCost + outCost,
            UpdatedAt: efDate(t),
            UsageStatisticsId: uid,
            YearMonth: ym,
          });
          perf.push({
            Id: null,
            CpuUsagePercent: 20 + m.rng() * 70,
            CreatedAt: efDate(t),
            CreatedBy: null,
            DiskIOOperations: m.int(100, 9000),
            DurationMs: m.int(500, 120_000),
            ErrorMessage: ok ? null : 'Render stage timed out',
            GpuUsagePercent: m.rng() * 90,
            JobId: null,
            MemoryUsedMB: 300 + m.rng() * 900,
            ModifiedBy: null,
            NetworkBytesTransferred: m.int(1e4, 5e7),
            OperationType: m.pick(['Render', 'ScriptGeneration', 'TTS', 'ImageGeneration']),
            OutputFileSizeBytes: m.int(1e6, 9e7),
            PeakMemoryMB: 500 + m.rng() * 1200,
            ProjectId: null,
            QueueWaitMs: m.int(0, 30_000),
            Stage: m.pick(STAGES),
            Success: ok ? 1 : 0,
            SystemInfo: '{"cpu":"8 cores","ramGb":16}',
            Throughput: 10 + m.rng() * 50,
            ThroughputUnit: 'fps',
            Timestamp: efDate(t),
            UpdatedAt: efDate(t),
            WorkerCount: 2,
          });
          const aok = k !== 0 && m.rng() > 0.15; // at least one failure a day
          audit.push({
            Id: m.guid(),
            Action: m.pick(['ApiKeyUsed', 'ConfigurationChanged', 'ProjectDeleted', 'Login', 'ProviderTest']),
            Changes: null,
            ErrorMessage: aok
              ? null
              : m.pick([
                  'Invalid API key',
                  'Rate limit exceeded for client 127.0.0.1',
                  'Input validation failed',
                ]),
            IpAddress: '127.0.0.1',
            Metadata: null,
            ResourceId: m.hex(8),
            ResourceType: m.pick(['Provider', 'Configuration', 'Project']),
            Severity: aok ? 'Information' : 'Warning',
            Success: aok ? 1 : 0,
            Timestamp: efDate(t),
            UserAgent: 'axios/1.7.7',
            UserId: 'default',
            Username: 'default',
          });
        }
      }
      put('UsageStatistics', usage);
      put('CostTracking', cost);
      put('PerformanceMetrics', perf);
      put('audit_logs', audit);
      put('export_history', [
        {
          Id: m.guid(),
          Codec: 'h264',
          CompletedAt: efDate(ago(D)),
          CreatedAt: efDate(ago(D + 600_000)),
          DurationSeconds: 92.5,
          ErrorMessage: null,
          FileSize: 48_113_223,
          InputFile: 'timeline.json',
          OutputFile: 'export.mp4',
          Platform: 'YouTube',
          PresetName: 'YouTube 1080p',
          Progress: 100,
          Resolution: '1920x1080',
          StartedAt: efDate(ago(D + 590_000)),
          Status: 'Completed',
        },
      ]);
      put('ActionLogs', [
        {
          Id: m.guid(),
          ActionType: 'DeleteProject',
          AffectedResourceIds: null,
          CanBatch: 0,
          CorrelationId: m.hex(32),
          Description: 'Deleted project',
          ErrorMessage: null,
          ExpiresAt: efDate(new Date(now.getTime() + 7 * D)),
          InverseActionType: 'RestoreProject',
          InversePayloadJson: '{}',
          IsPersistent: 1,
          PayloadJson: '{}',
          Status: 'Completed',
          Timestamp: efDate(ago(D)),
          UndoneAt: null,
          UndoneByUserId: null,
          UserId: 'default',
        },
      ]);
    })();

    if (dbMb > 0) padDatabase(db, m, now, dbMb, counts);
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = NORMAL');
    return counts;
  } finally {
    db.close();
  }
}

/** Grow the DB with JobProgressHistory and PerformanceMetrics rows (the tables that grow in real use). */
function padDatabase(
  db: Database.Database,
  m: AuraLogModel,
  now: Date,
  dbMb: number,
  counts: Record<string, number>,
): void {
  const target = dbMb * 1024 * 1024;
  const insert = db.prepare(
    'INSERT INTO "JobProgressHistory" ("CurrentItem","ElapsedMilliseconds","EstimatedRemainingMilliseconds","JobId","Message","ProgressPercent","Stage","SubstageDetail","Timestamp","TotalItems") VALUES (?,?,?,?,?,?,?,?,?,?)',
  );
  const pageSize = Number(db.pragma('page_size', { simple: true }));
  const BATCH = 5000;
  const detail = 'Rendering scene frames with libx264 preset=medium crf=23; audio mixed at -14 LUFS; '.repeat(
    3,
  );
  let rows = 0;
  for (;;) {
    const pages = Number(db.pragma('page_count', { simple: true }));
    if (pages * pageSize >= target) break;
    db.transaction(() => {
      for (let i = 0; i < BATCH; i++) {
        const jobId = m.hex(32);
        const p = m.int(0, 100);
        insert.run(
          m.int(1, 40),
          p * 9000,
          (100 - p) * 9000,
          jobId,
          `${STAGES[Math.min(4, Math.floor(p / 20))]} in progress`,
          p,
          STAGES[Math.min(4, Math.floor(p / 20))],
          detail,
          efDate(new Date(now.getTime() - m.rng() * 30 * 86_400_000)),
          40,
        );
      }
    })();
    rows += BATCH;
  }
  counts.JobProgressHistory = (counts.JobProgressHistory ?? 0) + rows;
}

// ---------------------------------------------------------------------------------------------
// Log history

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
function writeLogHistory(logsDir: string, m: AuraLogModel, now: Date, days: number, logMb: number): number {
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
