// createSandbox: writes a data root shaped like a real Aura install (FACTS §2, §3, §7):
// appsettings.json, aura.db with the EF schema and realistic rows (WAL), and N days of Serilog logs.
// The rows come from seed-install-rows.ts and seed-activity-rows.ts, the logs from log-history.ts.
import fs from 'node:fs';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../services/store/native';
import * as clock from '../../shared/clock';
import { AuraLogModel } from './aura-events';
import { AURA_INDEX_DDL, AURA_SCHEMA_DDL, MIGRATIONS_HISTORY_DDL } from './schema';
import { SANDBOX_MARKER, isSandbox, sandboxLayout, type SandboxLayout } from './control';
import { efDate, insertAll, type Row, type SeedContext } from './seed-db';
import { putInstallRows } from './seed-install-rows';
import { STAGES, putAnalyticsRows, putExportAndActionRows, putProjectRows } from './seed-activity-rows';
import { writeLogHistory } from './log-history';

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
    const counts: Record<string, number> = {};
    const put = (table: string, rows: Row[]): void => {
      insertAll(db, table, rows);
      counts[table] = (counts[table] ?? 0) + rows.length;
    };
    // The builders draw from the PRNG in this order: keep it, so a seed gives the same rows.
    const c: SeedContext = { m, now, days, dbPath, ago, put };
    db.transaction(() => {
      putInstallRows(c);
      putProjectRows(c, projects);
      putAnalyticsRows(c, projects);
      putExportAndActionRows(c);
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
