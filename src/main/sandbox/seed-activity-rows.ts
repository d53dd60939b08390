// The aura.db rows of an install in use, drawn from the seeded model: projects with their scenes,
// assets, jobs and progress; a few days of usage, cost, performance and audit rows; an export and
// an undoable action. The PRNG draws happen in the order written: keep it, so a seed gives the same rows.
import path from 'node:path';
import { DAY_MS, HOUR_MS, efDate, type Row, type SeedContext } from './seed-db';

export const STAGES = ['Script', 'TTS', 'Images', 'Composition', 'Render'] as const;
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

/** ProjectStates rows spread over every status, with their scenes, assets, jobs and job progress. */
export function putProjectRows(c: SeedContext, projects: number): void {
  const { m, days, dbPath, ago, put } = c;
  const H = HOUR_MS;
  const D = DAY_MS;
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
}

/** A few LLM calls a day over the history: usage, cost, performance and audit rows (some failing). */
export function putAnalyticsRows(c: SeedContext, projects: number): void {
  const { m, days, ago, put } = c;
  const D = DAY_MS;
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
}

/** One finished export and one undoable action (a deleted project) a day ago. */
export function putExportAndActionRows(c: SeedContext): void {
  const { m, now, ago, put } = c;
  const D = DAY_MS;
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
}
