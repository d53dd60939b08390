// The simulated Aura's background worker: one progress step per tick, written to JobQueue,
// ProjectStates and JobProgressHistory as Aura's job runner writes them, logged as it logs them.
import path from 'node:path';
import * as clock from '../../shared/clock';
import { efDate } from './seed-db';
import { sqliteErrorText, type AuraProcess } from './aura-process';

/** The pipeline stages a job passes through, 20% each. */
const STAGES = ['Script', 'TTS', 'Images', 'Composition', 'Render'];

function dbWrite(p: AuraProcess, what: string, fn: () => void): boolean {
  try {
    fn();
    return true;
  } catch (err) {
    const jobId = p.job?.id ?? 'n/a';
    p.write([
      p.model.jobEvent(
        clock.now(),
        'ERR',
        `Failed to persist job progress for job ${jobId} (${what})`,
        sqliteErrorText(err),
      ),
    ]);
    return false;
  }
}

/** One tick of the background worker: enqueue a job, advance it a stage, or complete or fail it. */
export function jobTick(p: AuraProcess): void {
  if (p.effects.api !== 'serving') return;
  const now = clock.now();
  if (!p.job) {
    const id = p.model.hex(32);
    const projectId = p.model.guid();
    const corr = p.model.hex(32);
    const topic = p.model.pick([
      'Morning routine tips',
      'Intro to astronomy',
      'Weekly team update',
      'How tides work',
      'Cooking with lentils',
    ]);
    const ok = dbWrite(p, 'enqueue', () => {
      p.db.transaction(() => {
        p.db
          .prepare(
            `INSERT INTO "ProjectStates" ("Id","BriefJson","Category","CompletedAt","CreatedAt","CreatedBy","CurrentStage","CurrentWizardStep","DeletedAt","DeletedBy","Description","DurationSeconds","ErrorMessage","IsDeleted","JobId","LastAutoSaveAt","ModifiedBy","OutputFilePath","PlanSpecJson","ProgressPercent","RenderSpecJson","Status","Tags","TemplateId","ThumbnailPath","Title","UpdatedAt","VoiceSpecJson")
           VALUES (?, ?, 'Education', NULL, ?, 'default', 'Script', 3, NULL, NULL, NULL, NULL, NULL, 0, ?, ?, NULL, NULL, '{}', 0, '{}', 'InProgress', 'sandbox', NULL, NULL, ?, ?, '{}')`,
          )
          .run(projectId, JSON.stringify({ topic }), efDate(now), id, efDate(now), topic, efDate(now));
        p.db
          .prepare(
            `INSERT INTO "JobQueue" ("JobId","CompletedAt","CorrelationId","CreatedAt","CreatedBy","CurrentStage","EnqueuedAt","IsQuickDemo","JobDataJson","LastError","MaxRetries","ModifiedBy","NextRetryAt","OutputPath","Priority","ProgressPercent","RetryCount","StartedAt","Status","UpdatedAt","WorkerId")
           VALUES (?, NULL, ?, ?, 'default', 'Script', ?, 0, ?, NULL, 3, NULL, NULL, NULL, 5, 0, 0, ?, 'Processing', ?, 'worker-1')`,
          )
          .run(
            id,
            corr,
            efDate(now),
            efDate(now),
            JSON.stringify({ projectId, brief: { topic } }),
            efDate(now),
            efDate(now),
          );
      })();
    });
    if (!ok) return;
    p.job = { id, projectId, pct: 0, started: now.getTime(), corr };
    p.write([
      p.model.jobEvent(now, 'INF', `Job ${id} dequeued by worker-1 (priority 5)`),
      p.model.jobEvent(now, 'INF', `Starting job ${id}: ${topic}`),
    ]);
    return;
  }
  const j = p.job;
  const stage = STAGES[Math.min(4, Math.floor(j.pct / 20))];
  if (p.effects.llmOutage && stage === 'Script') {
    p.write(p.model.providerOutage(now, false));
    const err =
      'Script generation failed: All LLM providers failed. Primary: OpenAI (Service Unavailable); fallback Ollama: Connection refused (127.0.0.1:11434); RuleBased: no providers available';
    dbWrite(p, 'fail', () => {
      p.db
        .prepare(
          `UPDATE "JobQueue" SET "Status"='Failed', "LastError"=?, "CompletedAt"=?, "UpdatedAt"=?, "RetryCount"=3 WHERE "JobId"=?`,
        )
        .run(err, efDate(now), efDate(now), j.id);
      p.db
        .prepare(`UPDATE "ProjectStates" SET "Status"='Failed', "ErrorMessage"=?, "UpdatedAt"=? WHERE "Id"=?`)
        .run(err, efDate(now), j.projectId);
    });
    p.write([p.model.jobEvent(now, 'ERR', `Job ${j.id} failed at stage Script: ${err}`)]);
    p.job = null;
    return;
  }
  const next = Math.min(100, j.pct + 20);
  const nextStage = STAGES[Math.min(4, Math.floor((next === 100 ? 99 : next) / 20))];
  const ok = dbWrite(p, 'progress', () => {
    p.db.transaction(() => {
      p.db
        .prepare(
          `INSERT INTO "JobProgressHistory" ("CurrentItem","ElapsedMilliseconds","EstimatedRemainingMilliseconds","JobId","Message","ProgressPercent","Stage","SubstageDetail","Timestamp","TotalItems") VALUES (NULL, ?, ?, ?, ?, ?, ?, NULL, ?, NULL)`,
        )
        .run(
          now.getTime() - j.started,
          Math.round(((now.getTime() - j.started) / Math.max(1, next)) * (100 - next)),
          j.id,
          `${nextStage} in progress`,
          next,
          nextStage,
          efDate(now),
        );
      if (next === 100) {
        const out = path.join(p.layout.dir, 'Projects', `${j.projectId}.mp4`);
        p.db
          .prepare(
            `UPDATE "JobQueue" SET "Status"='Completed', "ProgressPercent"=100, "CurrentStage"='Render', "CompletedAt"=?, "UpdatedAt"=?, "OutputPath"=? WHERE "JobId"=?`,
          )
          .run(efDate(now), efDate(now), out, j.id);
        p.db
          .prepare(
            `UPDATE "ProjectStates" SET "Status"='Completed', "ProgressPercent"=100, "CurrentStage"='Render', "CompletedAt"=?, "UpdatedAt"=?, "OutputFilePath"=? WHERE "Id"=?`,
          )
          .run(efDate(now), efDate(now), out, j.projectId);
      } else {
        p.db
          .prepare(
            `UPDATE "JobQueue" SET "ProgressPercent"=?, "CurrentStage"=?, "UpdatedAt"=? WHERE "JobId"=?`,
          )
          .run(next, nextStage, efDate(now), j.id);
        p.db
          .prepare(
            `UPDATE "ProjectStates" SET "ProgressPercent"=?, "CurrentStage"=?, "UpdatedAt"=? WHERE "Id"=?`,
          )
          .run(next, nextStage, efDate(now), j.projectId);
      }
    })();
  });
  if (!ok) return;
  j.pct = next;
  if (next === 100) {
    p.write([
      p.model.jobEvent(now, 'INF', `Job ${j.id} completed successfully in ${now.getTime() - j.started}ms`),
    ]);
    p.job = null;
  } else {
    p.write([p.model.jobEvent(now, 'INF', `Job ${j.id} progress: ${nextStage} ${next}%`)]);
  }
}
