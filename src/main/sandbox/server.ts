// startSandbox: a live stand-in for Aura.Api on 127.0.0.1 — the health/diagnostics endpoints with
// their exact shapes and codes, Serilog request logging, a background job loop writing aura.db,
// a real redis-server, and fault scenarios switchable in-process or through a state file.
import fs from 'node:fs';
import http from 'node:http';
import type net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../services/store/native';
import * as clock from '../../shared/clock';
import { SCENARIO_NAMES, type SandboxStatus, type ScenarioName } from '../../shared/contract/sandbox';
import { AuraLogModel, SAMPLE_EXCEPTIONS, type RequestIds, type RequestSpec } from './aura-events';
import {
  RedisChild,
  corruptDatabase,
  freePort,
  holdWriteLock,
  redisCommand,
  restorePristine,
  savePristine,
  which,
  type LockHolder,
} from './children';
import {
  createSandbox,
  efDate,
  isSandbox,
  sandboxLayout,
  writeAppSettings,
  type CreateSandboxOptions,
  type SandboxLayout,
} from './generator';
import {
  apiLive,
  apiReady,
  aspChecks,
  aspHealthBody,
  circuitBreakers,
  diskFacts,
  healthDetails,
  healthSummary,
  providerList,
  providerTypeHealth,
  systemHealth,
  type DbProbe,
  type HealthInputs,
  type HttpAnswer,
} from './health';
import { AURA_FILE_SIZE_LIMIT, SERILOG_LINE_RE, SerilogFileSet, type LogEvent } from './serilog-writer';

/** Background job loop period: one progress step per tick (20% a step). */
export const DEFAULT_JOB_TICK_MS = 1000;
/** Simulated UI traffic (requests the web UI would make) between real requests. */
export const DEFAULT_TRAFFIC_MS = 1000;
/** How often a running sandbox re-reads its scenario file (cross-process switching). */
export const SCENARIO_POLL_MS = 200;
/** log-flood target per file family: comfortably above the 5,000 lines/s the scenario promises. */
export const FLOOD_LINES_PER_SECOND = 7500;
/** Flood batches per second: 20 batches keep each write small and the event loop responsive. */
const FLOOD_BATCHES_PER_SECOND = 20;
/** Busy timeout of the simulator's own connection: short, because better-sqlite3 waits synchronously. */
const DB_BUSY_TIMEOUT_MS = 50;
/** slow-db adds this much latency (min..max ms) to DB work: the 500-2000 ms "elevated" band. */
const SLOW_DB_DELAY_MS: [number, number] = [650, 1400];
/** Working set reported in memory-high (above the 1024 MB warning, below the 2048 MB critical). */
const MEMORY_HIGH_MB = 1480;

export interface StartSandboxOptions {
  /** 0 (default) picks a free port; the CLI uses Aura's 5005. */
  port?: number;
  scenario?: ScenarioName;
  jobTickMs?: number;
  trafficMs?: number;
  /** Serilog fileSizeLimitBytes; lower it to see the size roll quickly. */
  fileSizeLimitBytes?: number;
  /** 'auto' (default): run a redis-server when one is on PATH; 'off': in-memory cache only. */
  redis?: 'auto' | 'off';
  /** Used when `dir` holds no sandbox yet: it is created first with these options. */
  create?: CreateSandboxOptions;
  seed?: number;
}

export interface SandboxHandle {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly layout: SandboxLayout;
  readonly scenario: ScenarioName;
  /** Switch scenario; resolves when the new state is in place (port closed, lock held, …). */
  setScenario(name: ScenarioName): Promise<void>;
  status(): SandboxStatus;
  /** Called after every scenario change (from any source). Returns an unsubscribe function. */
  onChange(fn: (s: SandboxStatus) => void): () => void;
  /** Stop the server, timers and children; restores a pristine DB if db-corrupt was active. */
  stop(): Promise<void>;
}

export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(s);
}

/** Paths of the control files inside `<dir>/.aura-sandbox/`. */
export function controlFiles(dir: string): {
  scenario: string;
  state: string;
  pristine: string;
  children: string;
  redisDir: string;
} {
  const c = sandboxLayout(dir).controlDir;
  return {
    scenario: path.join(c, 'scenario.json'),
    state: path.join(c, 'state.json'),
    pristine: path.join(c, 'pristine.db'),
    children: path.join(c, 'children.json'),
    redisDir: path.join(c, 'redis'),
  };
}

/** Ask a sandbox (running or not) to use `name`: a running one picks it up within SCENARIO_POLL_MS. */
export function writeScenarioFile(dir: string, name: ScenarioName): void {
  writeControlFile(controlFiles(dir).scenario, { scenario: name, requestedAt: clock.now().toISOString() });
}

/**
 * Control files are read by other processes (the CLI, the console) at any moment: written to a
 * temp file and renamed, so a reader sees the old whole file or the new one, never a half-written
 * one (which reads as "no sandbox running").
 */
export function writeControlFile(f: string, value: unknown): void {
  fs.mkdirSync(path.dirname(f), { recursive: true });
  const tmp = `${f}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value) + '\n');
  fs.renameSync(tmp, f);
}

export function readScenarioFile(dir: string): ScenarioName | null {
  try {
    const v = JSON.parse(fs.readFileSync(controlFiles(dir).scenario, 'utf8')) as { scenario?: unknown };
    return typeof v.scenario === 'string' && isScenarioName(v.scenario) ? v.scenario : null;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || err instanceof SyntaxError) return null;
    throw err;
  }
}

/** The state file a running sandbox keeps: pid, url and scenario (null when none is running). */
export function readStateFile(
  dir: string,
): { pid: number; url: string; port: number; scenario: ScenarioName; startedAt: string } | null {
  try {
    const v = JSON.parse(fs.readFileSync(controlFiles(dir).state, 'utf8'));
    try {
      process.kill(v.pid, 0);
    } catch {
      return null; // stale: that process is gone
    }
    return v;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || err instanceof SyntaxError) return null;
    throw err;
  }
}

/** Kill redis-servers a crashed earlier run of this sandbox left behind (recorded pids, checked by cmdline). */
function reapOrphans(dir: string): void {
  const f = controlFiles(dir).children;
  let pids: number[] = [];
  try {
    pids = (JSON.parse(fs.readFileSync(f, 'utf8')) as { pids?: number[] }).pids ?? [];
  } catch {
    return; // no record: nothing to reap
  }
  for (const pid of pids) {
    try {
      const cmd = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
      const ours =
        (cmd.includes('redis-server') && cmd.includes(controlFiles(dir).redisDir)) ||
        (cmd.includes('sqlite3') && cmd.includes(sandboxLayout(dir).dbPath));
      if (ours) process.kill(pid, 'SIGKILL');
    } catch {
      // not running any more (or no /proc on this OS)
    }
  }
  fs.rmSync(f, { force: true });
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function sqliteErrorText(err: unknown): string {
  const e = err as { code?: string; message?: string };
  const code = e.code ?? '';
  const n =
    code === 'SQLITE_BUSY'
      ? 5
      : code.startsWith('SQLITE_CORRUPT')
        ? 11
        : code === 'SQLITE_NOTADB'
          ? 26
          : code === 'SQLITE_CANTOPEN'
            ? 14
            : 1;
  return `Microsoft.Data.Sqlite.SqliteException (0x80004005): SQLite Error ${n}: '${e.message ?? String(err)}'.\n   at Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(Int32 rc, sqlite3 db)`;
}

export async function startSandbox(dir: string, opts: StartSandboxOptions = {}): Promise<SandboxHandle> {
  const layout = sandboxLayout(dir);
  if (!isSandbox(layout.dir)) createSandbox(layout.dir, opts.create ?? {});
  const files = controlFiles(layout.dir);
  const running = readStateFile(layout.dir);
  if (running && running.pid !== process.pid) {
    throw new Error(
      `A sandbox already runs from ${layout.dir} (pid ${running.pid}, ${running.url}); stop it first`,
    );
  }
  reapOrphans(layout.dir);
  // A run that died in db-corrupt leaves the pristine copy: put it back before anything opens the DB.
  if (fs.existsSync(files.pristine)) restorePristine(layout.dbPath, files.pristine);

  const seed = opts.seed ?? Date.now() % 2_147_483_647;
  const jobTickMs = opts.jobTickMs ?? DEFAULT_JOB_TICK_MS;
  const trafficMs = opts.trafficMs ?? DEFAULT_TRAFFIC_MS;
  const environment = 'Production';

  // Redis first: its connection goes into appsettings before the "process" starts.
  let redis: RedisChild | null = null;
  const redisBin = opts.redis === 'off' ? null : which('redis-server');
  if (redisBin) {
    redis = new RedisChild(redisBin, await freePort(), files.redisDir);
    await redis.start();
  }
  /** Record our child pids (redis watchdog, lock holder) so a later run can reap them after a crash. */
  const recordChildren = (): void => {
    const pids = [
      redis?.running ? redis.pid : null,
      lock?.kind === 'sqlite3-process' ? lock.pid : null,
    ].filter((p): p is number => p !== null);
    writeControlFile(files.children, { pids });
  };

  const logs = new SerilogFileSet(layout.logsDir, {
    fileSizeLimitBytes: opts.fileSizeLimitBytes ?? AURA_FILE_SIZE_LIMIT,
  });
  const model = new AuraLogModel({ seed, dataRoot: layout.dir, url: 'http://127.0.0.1:0', environment });
  let db = openDatabase(layout.dbPath, { timeout: DB_BUSY_TIMEOUT_MS });
  db.pragma('journal_mode = WAL');

  let scenario: ScenarioName = 'healthy';
  let listening = false;
  let stopped = false;
  let outageSince: Date | null = null;
  let lock: LockHolder | null = null;
  const sockets = new Set<net.Socket>();
  const hung = new Set<http.ServerResponse>();
  const listeners = new Set<(s: SandboxStatus) => void>();
  const timers: NodeJS.Timeout[] = [];

  const write = (events: LogEvent[]): void => {
    if (!stopped) logs.write(events);
  };

  // ---- database work ------------------------------------------------------------------------
  const dbDelay = (): number =>
    scenario === 'slow-db'
      ? SLOW_DB_DELAY_MS[0] + model.rng() * (SLOW_DB_DELAY_MS[1] - SLOW_DB_DELAY_MS[0])
      : 0;

  async function probeDb(): Promise<DbProbe> {
    const t0 = performance.now();
    const delay = dbDelay();
    if (delay) await sleep(delay);
    try {
      const row = db.prepare('SELECT COUNT(*) AS n FROM "ProjectStates"').get() as { n: number };
      return { ok: true, elapsedMs: performance.now() - t0, projectCount: row.n, error: null };
    } catch (err) {
      return {
        ok: false,
        elapsedMs: performance.now() - t0,
        projectCount: null,
        error: sqliteErrorText(err),
      };
    }
  }

  function healthInputs(probe: DbProbe): HealthInputs {
    return {
      scenario,
      db: probe,
      dbPath: layout.dbPath,
      configuredDbPath:
        process.platform === 'win32'
          ? path.join(os.homedir(), 'AppData', 'Local', 'Aura', 'aura.db')
          : path.join(os.homedir(), '.local', 'share', 'Aura', 'aura.db'),
      tempDir: layout.tempDir + path.sep,
      dataRoot: layout.dir,
      ffmpegPath: path.join(
        layout.dir,
        'Tools',
        'ffmpeg',
        'bin',
        process.platform === 'win32' ? 'ffmpeg.exe' : 'ffmpeg',
      ),
      port: handle.port,
      workingSetMb: workingSetMb(),
      environment,
    };
  }

  function workingSetMb(): number {
    return scenario === 'memory-high'
      ? MEMORY_HIGH_MB + model.rng() * 40
      : process.memoryUsage().rss / 1_048_576;
  }

  // ---- job loop -----------------------------------------------------------------------------
  const STAGES = ['Script', 'TTS', 'Images', 'Composition', 'Render'];
  let job: { id: string; projectId: string; pct: number; started: number; corr: string } | null = null;

  function dbWrite(what: string, fn: () => void): boolean {
    try {
      fn();
      return true;
    } catch (err) {
      const jobId = job?.id ?? 'n/a';
      write([
        model.jobEvent(
          clock.now(),
          'ERR',
          `Failed to persist job progress for job ${jobId} (${what})`,
          sqliteErrorText(err),
        ),
      ]);
      return false;
    }
  }

  function jobTick(): void {
    if (scenario === 'api-down' || scenario === 'api-hang') return;
    const now = clock.now();
    if (!job) {
      const id = model.hex(32);
      const projectId = model.guid();
      const corr = model.hex(32);
      const topic = model.pick([
        'Morning routine tips',
        'Intro to astronomy',
        'Weekly team update',
        'How tides work',
        'Cooking with lentils',
      ]);
      const ok = dbWrite('enqueue', () => {
        db.transaction(() => {
          db.prepare(
            `INSERT INTO "ProjectStates" ("Id","BriefJson","Category","CompletedAt","CreatedAt","CreatedBy","CurrentStage","CurrentWizardStep","DeletedAt","DeletedBy","Description","DurationSeconds","ErrorMessage","IsDeleted","JobId","LastAutoSaveAt","ModifiedBy","OutputFilePath","PlanSpecJson","ProgressPercent","RenderSpecJson","Status","Tags","TemplateId","ThumbnailPath","Title","UpdatedAt","VoiceSpecJson")
             VALUES (?, ?, 'Education', NULL, ?, 'default', 'Script', 3, NULL, NULL, NULL, NULL, NULL, 0, ?, ?, NULL, NULL, '{}', 0, '{}', 'InProgress', 'sandbox', NULL, NULL, ?, ?, '{}')`,
          ).run(projectId, JSON.stringify({ topic }), efDate(now), id, efDate(now), topic, efDate(now));
          db.prepare(
            `INSERT INTO "JobQueue" ("JobId","CompletedAt","CorrelationId","CreatedAt","CreatedBy","CurrentStage","EnqueuedAt","IsQuickDemo","JobDataJson","LastError","MaxRetries","ModifiedBy","NextRetryAt","OutputPath","Priority","ProgressPercent","RetryCount","StartedAt","Status","UpdatedAt","WorkerId")
             VALUES (?, NULL, ?, ?, 'default', 'Script', ?, 0, ?, NULL, 3, NULL, NULL, NULL, 5, 0, 0, ?, 'Processing', ?, 'worker-1')`,
          ).run(
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
      job = { id, projectId, pct: 0, started: now.getTime(), corr };
      write([
        model.jobEvent(now, 'INF', `Job ${id} dequeued by worker-1 (priority 5)`),
        model.jobEvent(now, 'INF', `Starting job ${id}: ${topic}`),
      ]);
      return;
    }
    const j = job;
    const stage = STAGES[Math.min(4, Math.floor(j.pct / 20))];
    if (scenario === 'provider-outage' && stage === 'Script') {
      write(model.providerOutage(now, false));
      const err =
        'Script generation failed: All LLM providers failed. Primary: OpenAI (Service Unavailable); fallback Ollama: Connection refused (127.0.0.1:11434); RuleBased: no providers available';
      dbWrite('fail', () => {
        db.prepare(
          `UPDATE "JobQueue" SET "Status"='Failed', "LastError"=?, "CompletedAt"=?, "UpdatedAt"=?, "RetryCount"=3 WHERE "JobId"=?`,
        ).run(err, efDate(now), efDate(now), j.id);
        db.prepare(
          `UPDATE "ProjectStates" SET "Status"='Failed', "ErrorMessage"=?, "UpdatedAt"=? WHERE "Id"=?`,
        ).run(err, efDate(now), j.projectId);
      });
      write([model.jobEvent(now, 'ERR', `Job ${j.id} failed at stage Script: ${err}`)]);
      job = null;
      return;
    }
    const next = Math.min(100, j.pct + 20);
    const nextStage = STAGES[Math.min(4, Math.floor((next === 100 ? 99 : next) / 20))];
    const ok = dbWrite('progress', () => {
      db.transaction(() => {
        db.prepare(
          `INSERT INTO "JobProgressHistory" ("CurrentItem","ElapsedMilliseconds","EstimatedRemainingMilliseconds","JobId","Message","ProgressPercent","Stage","SubstageDetail","Timestamp","TotalItems") VALUES (NULL, ?, ?, ?, ?, ?, ?, NULL, ?, NULL)`,
        ).run(
          now.getTime() - j.started,
          Math.round(((now.getTime() - j.started) / Math.max(1, next)) * (100 - next)),
          j.id,
          `${nextStage} in progress`,
          next,
          nextStage,
          efDate(now),
        );
        if (next === 100) {
          const out = path.join(layout.dir, 'Projects', `${j.projectId}.mp4`);
          db.prepare(
            `UPDATE "JobQueue" SET "Status"='Completed', "ProgressPercent"=100, "CurrentStage"='Render', "CompletedAt"=?, "UpdatedAt"=?, "OutputPath"=? WHERE "JobId"=?`,
          ).run(efDate(now), efDate(now), out, j.id);
          db.prepare(
            `UPDATE "ProjectStates" SET "Status"='Completed', "ProgressPercent"=100, "CurrentStage"='Render', "CompletedAt"=?, "UpdatedAt"=?, "OutputFilePath"=? WHERE "Id"=?`,
          ).run(efDate(now), efDate(now), out, j.projectId);
        } else {
          db.prepare(
            `UPDATE "JobQueue" SET "ProgressPercent"=?, "CurrentStage"=?, "UpdatedAt"=? WHERE "JobId"=?`,
          ).run(next, nextStage, efDate(now), j.id);
          db.prepare(
            `UPDATE "ProjectStates" SET "ProgressPercent"=?, "CurrentStage"=?, "UpdatedAt"=? WHERE "Id"=?`,
          ).run(next, nextStage, efDate(now), j.projectId);
        }
      })();
    });
    if (!ok) return;
    j.pct = next;
    if (next === 100) {
      write([
        model.jobEvent(now, 'INF', `Job ${j.id} completed successfully in ${now.getTime() - j.started}ms`),
      ]);
      job = null;
    } else {
      write([model.jobEvent(now, 'INF', `Job ${j.id} progress: ${nextStage} ${next}%`)]);
    }
  }

  // ---- simulated UI traffic and scenario symptoms --------------------------------------------
  let trafficCount = 0;
  async function trafficTick(): Promise<void> {
    if (scenario === 'api-down' || scenario === 'api-hang') return;
    trafficCount++;
    const now = clock.now();
    const ids = model.newIds();
    const p = model.pick(['/api/projects', '/api/jobs', '/api/queue/status', '/api/settings']);
    const spec: RequestSpec = { method: 'GET', path: p, status: 200, durationMs: 3 + model.rng() * 60 };
    if (p === '/api/projects' || p === '/api/jobs')
      spec.dbQuery =
        'SELECT "j"."JobId", "j"."Status", "j"."ProgressPercent"\nFROM "JobQueue" AS "j"\nORDER BY "j"."EnqueuedAt" DESC\nLIMIT @__p_0';
    // A steady one in three of the simulated UI requests fails, so a spike builds at the same pace
    // every time (the triage must show it within 20 s; a random draw made that a matter of luck).
    if (scenario === 'error-spike' && trafficCount % 3 === 1) {
      spec.method = 'POST';
      spec.path = '/api/jobs';
      spec.status = 500;
      spec.exception = model.pick([SAMPLE_EXCEPTIONS.nullRef, SAMPLE_EXCEPTIONS.timeout]);
    }
    if (scenario === 'slow-db' && spec.dbQuery) spec.durationMs += dbDelay();
    if (scenario === 'db-corrupt' && spec.dbQuery) {
      spec.status = 500;
      spec.exception = SAMPLE_EXCEPTIONS.dbCorrupt;
    }
    const evs = model.request(now, spec, ids);
    if (spec.durationMs > 1000) {
      evs.push(
        model.plain(
          new Date(now.getTime() + spec.durationMs),
          'INF',
          `Slow request: ${spec.method} ${spec.path} took ${Math.round(spec.durationMs)}ms (threshold: 1000ms). StatusCode: ${spec.status}, CorrelationId: ${ids.requestId}`,
          'Aura.Api.Middleware.QueryPerformanceMiddleware',
        ),
      );
    }
    if (scenario === 'memory-high' && trafficCount % 3 === 0) {
      evs.push(
        model.plain(
          now,
          'WRN',
          `High memory usage: ${workingSetMb().toFixed(2)} MB (threshold: 1024 MB)`,
          'Aura.Api.HealthChecks.MemoryHealthCheck',
        ),
      );
    }
    if (scenario === 'disk-low' && trafficCount % 3 === 0) {
      evs.push(
        model.plain(
          now,
          'WRN',
          `Low disk space: ${diskFacts(scenario).freeGb.toFixed(2)} GB free (threshold: 1 GB)`,
          'Aura.Api.HealthChecks.DiskSpaceHealthCheck',
        ),
      );
    }
    if (scenario === 'slow-db' && trafficCount % 3 === 0) {
      evs.push(
        model.plain(
          now,
          'WRN',
          `Database response time elevated: ${Math.round(dbDelay())}ms`,
          'Aura.Api.HealthChecks.DatabaseHealthCheck',
        ),
      );
    }
    write(evs);
    // A real cache round trip when Redis is configured: what fails in redis-down is the socket.
    if (redis) {
      try {
        await redisCommand(redis.port, ['HGET', 'Aura:templates:popular', 'data']);
        if (trafficCount % 10 === 1) {
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
        write([model.cacheGetFailed(clock.now(), `127.0.0.1:${redis.port}`)]);
      }
    }
  }

  let floodTimer: NodeJS.Timeout | null = null;
  function startFlood(): void {
    // Paced by the clock, not by timer ticks: each tick writes what is owed since the flood began,
    // so timer drift or a slow tick does not lower the rate.
    const began = clock.nowMs();
    let written = 0;
    floodTimer = setInterval(() => {
      const now = clock.nowMs();
      const owed = Math.min(
        FLOOD_LINES_PER_SECOND,
        Math.floor(((now - began) / 1000) * FLOOD_LINES_PER_SECOND) - written,
      );
      if (owed <= 0) return;
      const batch: LogEvent[] = new Array(owed);
      for (let k = 0; k < owed; k++) {
        batch[k] = model.plain(
          new Date(now),
          'INF',
          `Sending job progress update to group job-${model.hex(8)} via SignalR hub /hubs/job-queue`,
          'Aura.Api.Hubs.JobQueueHub',
        );
      }
      write(batch);
      written += owed;
    }, 1000 / FLOOD_BATCHES_PER_SECOND);
  }

  // ---- HTTP ---------------------------------------------------------------------------------
  const json = (res: http.ServerResponse, a: HttpAnswer): void => {
    const body = JSON.stringify(a.body);
    res.writeHead(a.status, {
      'Content-Type': 'application/json; charset=utf-8',
      'Content-Length': Buffer.byteLength(body),
    });
    res.end(body);
  };

  function parseLogsFor(url: URL): HttpAnswer {
    const names = fs
      .readdirSync(layout.logsDir)
      .filter((n) => /^aura-api-\d{8}(_\d{3,})?\.log$/.test(n))
      .sort();
    const newest = names[names.length - 1];
    if (!newest) return { status: 200, body: { logs: [], file: null, totalLines: 0 } };
    const file = path.join(layout.logsDir, newest);
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

  function prometheus(): string {
    const ws = workingSetMb() * 1_048_576;
    const d = diskFacts(scenario);
    return [
      '# HELP aura_cpu_usage_percent CPU usage percent',
      '# TYPE aura_cpu_usage_percent gauge',
      `aura_cpu_usage_percent{type="process"} ${(5 + model.rng() * 20).toFixed(2)}`,
      `aura_cpu_usage_percent{type="system"} ${(15 + model.rng() * 30).toFixed(2)}`,
      '# HELP aura_memory_bytes Memory in bytes',
      '# TYPE aura_memory_bytes gauge',
      `aura_memory_bytes{type="working_set"} ${Math.round(ws)}`,
      `aura_memory_bytes{type="gc_heap"} ${Math.round(ws * 0.55)}`,
      '# TYPE aura_memory_usage_percent gauge',
      `aura_memory_usage_percent ${scenario === 'memory-high' ? 93.4 : 41.2}`,
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

  async function route(
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
      const probe = await probeDb();
      const inputs = healthInputs(probe);
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
          write([
            {
              ...model.plain(
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
      const probe = await probeDb();
      let migration: Record<string, unknown> | null = null;
      let error: string | null = probe.ok ? null : (probe.error ?? 'unknown');
      try {
        const rows = db
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
          environment,
          machineName: model.machineName,
          osPlatform: process.platform === 'win32' ? 'Win32NT' : 'Unix',
          osVersion: `${os.type()} ${os.release()}`,
          architecture: process.arch === 'x64' ? 'X64' : process.arch === 'arm64' ? 'Arm64' : process.arch,
          timestamp: clock.now().toISOString(),
          database: {
            connected: probe.ok,
            provider: 'Microsoft.EntityFrameworkCore.Sqlite',
            dataSource: layout.dbPath,
            responseTimeMs: Math.round(probe.elapsedMs * 10) / 10,
            error,
            migration,
          },
        },
      });
    }
    if (p === '/api/health/live') return send(apiLive());
    if (p === '/api/health/ready') return send(apiReady(healthInputs(await probeDb())));
    if (p === '/api/health/summary' || p === '/api/health/details') {
      const dashed = model.guid().toLowerCase();
      write([
        {
          ...model.plain(
            clock.now(),
            'INF',
            `Health ${p.endsWith('summary') ? 'summary' : 'details'} requested, CorrelationId: ${dashed}`,
          ),
          correlationId: dashed,
          traceId: ids.traceId,
          spanId: ids.spanId,
        },
      ]);
      return send(p.endsWith('summary') ? healthSummary(scenario) : healthDetails(scenario));
    }
    if (p === '/api/health/providers')
      return send({ status: 200, body: providerList(scenario, outageSince).map((x) => x.dto) });
    if (p === '/api/health/circuit-breakers')
      return send({ status: 200, body: circuitBreakers(scenario, outageSince) });
    if (p === '/api/health/llm') return send(providerTypeHealth(scenario, 'llm', outageSince));
    if (p === '/api/health/tts') return send(providerTypeHealth(scenario, 'tts', outageSince));
    if (p === '/api/health/images') return send(providerTypeHealth(scenario, 'image', outageSince));
    if (p === '/api/health/system') {
      const pct = scenario === 'memory-high' ? 93.4 : 41.2;
      return send(systemHealth(scenario, pct));
    }
    if (p === '/api/version') {
      return send({
        status: 200,
        body: {
          version: '1.0.0',
          assemblyVersion: '1.0.0.0',
          informationalVersion: '1.0.0+b55dc18f473142094d8c6196a80a7ef39124a2ff',
          runtimeVersion: '8.0.11',
          environment,
        },
      });
    }
    if (p === '/api/metrics/prometheus') {
      const body = prometheus();
      res
        .writeHead(200, {
          'Content-Type': 'text/plain; charset=utf-8',
          'Content-Length': Buffer.byteLength(body),
        })
        .end(body);
      return { status: 200 };
    }
    if (p === '/api/logs') return send(parseLogsFor(url));
    if (p === '/api/projects' || p === '/api/jobs') {
      if (scenario === 'error-spike' && model.rng() < 0.3) {
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
          exception: model.pick([SAMPLE_EXCEPTIONS.nullRef, SAMPLE_EXCEPTIONS.timeout]),
        };
      }
      const delay = dbDelay();
      if (delay) await sleep(delay);
      const q =
        p === '/api/projects'
          ? 'SELECT "Id" AS id, "Title" AS title, "Status" AS status, "ProgressPercent" AS progressPercent, "UpdatedAt" AS updatedAt FROM "ProjectStates" WHERE NOT "IsDeleted" ORDER BY "UpdatedAt" DESC LIMIT 50'
          : 'SELECT "JobId" AS jobId, "Status" AS status, "CurrentStage" AS currentStage, "ProgressPercent" AS progressPercent, "LastError" AS lastError FROM "JobQueue" ORDER BY "EnqueuedAt" DESC LIMIT 50';
      try {
        return { ...send({ status: 200, body: db.prepare(q).all() }), dbQuery: q };
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

  const server = http.createServer((req, res) => {
    const start = clock.now();
    const ids = model.newIds();
    const hdr = (n: string): string | undefined => {
      const v = req.headers[n];
      return typeof v === 'string' && v.length > 0 ? v : undefined;
    };
    const tp = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/.exec(hdr('traceparent') ?? '');
    const correlationId = hdr('x-correlation-id') ?? ids.correlationId;
    const traceId = hdr('x-trace-id') ?? tp?.[1] ?? correlationId;
    const spanId = hdr('x-span-id') ?? tp?.[2] ?? ids.spanId;
    const full = { ...ids, correlationId, traceId, spanId };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const base: RequestSpec = {
      method: req.method ?? 'GET',
      path: url.pathname,
      status: 0,
      durationMs: 0,
      clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: hdr('user-agent') ?? '',
      correlationId,
      traceId,
      spanId,
    };
    write([model.incoming(start, base, full)]);
    if (scenario === 'api-hang') {
      hung.add(res);
      res.on('close', () => hung.delete(res));
      return; // accepted, never answered
    }
    res.setHeader('X-Correlation-ID', correlationId);
    res.setHeader('X-Trace-ID', traceId);
    res.setHeader('X-Span-ID', spanId);
    route(base.method, url, full, res)
      .then((r) => {
        const durationMs = Math.max(0.05, clock.nowMs() - start.getTime() + model.rng());
        write(
          model.completion(
            start,
            {
              ...base,
              status: r.status,
              durationMs,
              dbQuery: r.dbQuery,
              exception: r.status >= 500 ? r.exception : undefined,
            },
            full,
          ),
        );
      })
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Length': 0 }).end();
        const durationMs = clock.nowMs() - start.getTime();
        write(
          model.completion(
            start,
            { ...base, status: 500, durationMs, exception: `System.Exception: ${(err as Error).message}` },
            full,
          ),
        );
      });
  });
  server.keepAliveTimeout = 5000;
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });

  const listen = (port: number): Promise<number> =>
    new Promise((resolve, reject) => {
      const onErr = (err: NodeJS.ErrnoException): void => {
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(`Port ${port} on 127.0.0.1 is already in use; pick another with --port`)
            : err,
        );
      };
      server.once('error', onErr);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onErr);
        listening = true;
        resolve((server.address() as net.AddressInfo).port);
      });
    });

  const closeServer = (): Promise<void> =>
    new Promise((resolve) => {
      listening = false;
      for (const r of hung) r.destroy();
      hung.clear();
      for (const s of sockets) s.destroy();
      if (!server.listening) return resolve();
      server.close(() => resolve());
    });

  let port: number;
  try {
    port = await listen(opts.port ?? 0);
  } catch (err) {
    db.close();
    logs.close();
    await redis?.stop();
    throw err;
  }
  const url = `http://127.0.0.1:${port}`;
  model.url = url;
  writeAppSettings(layout.appSettingsPath, port, redis ? `127.0.0.1:${redis.port}` : null);
  write(model.startup(clock.now(), redis ? `127.0.0.1:${redis.port}` : null));

  // ---- scenarios ----------------------------------------------------------------------------
  async function leave(s: ScenarioName): Promise<void> {
    if (s === 'api-down') {
      await listen(port);
      model.processId = 10_000 + Math.floor(model.rng() * 50_000);
      write(model.startup(clock.now(), redis ? `127.0.0.1:${redis.port}` : null));
    } else if (s === 'api-hang') {
      for (const r of hung) r.destroy();
      hung.clear();
    } else if (s === 'db-locked') {
      await lock?.release();
      lock = null;
    } else if (s === 'db-corrupt') {
      db.close();
      restorePristine(layout.dbPath, files.pristine);
      db = openDatabase(layout.dbPath, { timeout: DB_BUSY_TIMEOUT_MS });
      job = null;
    } else if (s === 'provider-outage') {
      outageSince = null;
      write([
        model.plain(
          clock.now(),
          'INF',
          'Circuit breaker reset for provider: OpenAI',
          'Aura.Api.Controllers.HealthController',
        ),
      ]);
    } else if (s === 'redis-down') {
      await redis?.start();
    } else if (s === 'log-flood') {
      if (floodTimer) clearInterval(floodTimer);
      floodTimer = null;
    }
  }

  async function enter(s: ScenarioName): Promise<void> {
    if (s === 'api-down') {
      write([
        model.plain(
          clock.now(),
          'FTL',
          'Application terminated unexpectedly',
          undefined,
          'System.InvalidOperationException: A fatal error occurred in the request pipeline.\n   at Aura.Api.Program.Main(String[] args)',
        ),
      ]);
      await closeServer();
    } else if (s === 'db-locked') {
      lock = await holdWriteLock(layout.dbPath);
    } else if (s === 'db-corrupt') {
      db.close();
      savePristine(layout.dbPath, files.pristine);
      corruptDatabase(layout.dbPath);
      db = openDatabase(layout.dbPath, { timeout: DB_BUSY_TIMEOUT_MS });
      job = null;
    } else if (s === 'provider-outage') {
      outageSince = clock.now();
      write(model.providerOutage(outageSince, true));
    } else if (s === 'redis-down') {
      await redis?.stop();
    } else if (s === 'log-flood') {
      startFlood();
    }
  }

  let chain: Promise<void> = Promise.resolve();
  const status = (): SandboxStatus => ({
    running: !stopped,
    dir: layout.dir,
    url,
    port,
    scenario,
    listening,
    redis: { enabled: redis !== null, port: redis?.port ?? null, running: redis?.running ?? false },
  });
  const writeState = (): void =>
    writeControlFile(files.state, { pid: process.pid, url, port, scenario, startedAt: startedAt.toISOString() });

  const startedAt = clock.now();

  function transition(next: ScenarioName): Promise<void> {
    const run = chain.then(async () => {
      if (stopped || next === scenario) return;
      await leave(scenario);
      scenario = next;
      try {
        await enter(next);
      } catch (err) {
        // Half-entered (e.g. the lock could not be taken): fall back to healthy so the file and the
        // state agree, and the poller does not retry the failing switch forever.
        scenario = 'healthy';
        writeScenarioFile(layout.dir, 'healthy');
        recordChildren();
        writeState();
        throw err;
      }
      recordChildren();
      writeState();
      const st = status();
      for (const fn of listeners) fn(st);
    });
    chain = run.catch(() => undefined);
    return run;
  }

  const handle: SandboxHandle = {
    url,
    port,
    dir: layout.dir,
    layout,
    get scenario() {
      return scenario;
    },
    async setScenario(name) {
      if (!isScenarioName(name))
        throw new Error(`Unknown scenario "${String(name)}"; run "aura-ops sandbox scenarios" for the list`);
      writeScenarioFile(layout.dir, name);
      await transition(name);
    },
    status,
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop() {
      if (stopped) return;
      await chain;
      for (const t of timers) clearInterval(t);
      if (floodTimer) clearInterval(floodTimer);
      write([
        model.plain(clock.now(), 'INF', 'Application is shutting down...', 'Microsoft.Hosting.Lifetime'),
      ]);
      stopped = true;
      await closeServer();
      await lock?.release();
      lock = null;
      if (scenario === 'db-corrupt' && fs.existsSync(files.pristine)) {
        db.close();
        restorePristine(layout.dbPath, files.pristine);
      } else {
        db.close();
      }
      await redis?.stop();
      logs.close();
      fs.rmSync(files.state, { force: true });
      fs.rmSync(files.children, { force: true });
      listeners.clear();
    },
  };

  writeScenarioFile(layout.dir, opts.scenario ?? readScenarioFile(layout.dir) ?? 'healthy');
  recordChildren();
  writeState();
  timers.push(setInterval(jobTick, jobTickMs));
  timers.push(setInterval(() => void trafficTick(), trafficMs));
  timers.push(
    setInterval(() => {
      let want: ScenarioName | null;
      try {
        want = readScenarioFile(layout.dir);
      } catch {
        return; // a half-written file: the next poll sees the finished one
      }
      if (want && want !== scenario)
        void transition(want).catch((err: unknown) =>
          write([
            model.plain(
              clock.now(),
              'ERR',
              `Sandbox could not switch to ${want}: ${(err as Error).message}`,
              'Aura.Sandbox',
            ),
          ]),
        );
    }, SCENARIO_POLL_MS),
  );
  const initial = opts.scenario ?? readScenarioFile(layout.dir) ?? 'healthy';
  if (initial !== 'healthy') await transition(initial);
  return handle;
}
