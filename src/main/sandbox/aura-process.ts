// The simulated Aura process's state, shared by the job loop, the traffic, the routes and the
// scenario actions: its aura.db connection, its Serilog sink, the running job and the scenario.
import os from 'node:os';
import path from 'node:path';
import type Database from 'better-sqlite3';
import { openDatabase } from '../services/store/native';
import type { ScenarioName } from '../../shared/contract/sandbox';
import type { AuraLogModel } from './aura-events';
import type { RedisChild } from './children';
import type { SandboxLayout } from './control';
import type { DbProbe, HealthInputs } from './health';
import { SCENARIO_TABLE, type ScenarioEffects } from './scenario-table';
import type { LogEvent, SerilogFileSet } from './serilog-writer';

/** Busy timeout of the simulator's own connection: short, because better-sqlite3 waits synchronously. */
const DB_BUSY_TIMEOUT_MS = 50;
/** The ASPNETCORE_ENVIRONMENT the sandbox runs as. */
export const AURA_ENVIRONMENT = 'Production';

export interface RunningJob {
  id: string;
  projectId: string;
  pct: number;
  started: number;
  corr: string;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** A better-sqlite3 error as Microsoft.Data.Sqlite would log it (error code and first frame). */
export function sqliteErrorText(err: unknown): string {
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

export class AuraProcess {
  readonly environment = AURA_ENVIRONMENT;
  scenario: ScenarioName = 'healthy';
  db: Database.Database;
  job: RunningJob | null = null;
  /** When provider-outage began (circuit-open times), null otherwise. */
  outageSince: Date | null = null;
  /** Set once the port is bound. */
  port = 0;
  stopped = false;

  constructor(
    readonly layout: SandboxLayout,
    readonly model: AuraLogModel,
    private readonly logs: SerilogFileSet,
    readonly redis: RedisChild | null,
  ) {
    this.db = this.openDb();
  }

  get effects(): ScenarioEffects {
    return SCENARIO_TABLE[this.scenario].effects;
  }

  /** Write log events as Aura's Serilog sinks would (nothing once stopped). */
  write(events: LogEvent[]): void {
    if (!this.stopped) this.logs.write(events);
  }

  openDb(): Database.Database {
    const db = openDatabase(this.layout.dbPath, { timeout: DB_BUSY_TIMEOUT_MS });
    db.pragma('journal_mode = WAL');
    return db;
  }

  /** Reopen aura.db after its file was replaced; the running job is forgotten with the old file. */
  reopenDb(): void {
    this.db = openDatabase(this.layout.dbPath, { timeout: DB_BUSY_TIMEOUT_MS });
    this.job = null;
  }

  /** The scenario's extra DB latency for one piece of DB work (0, and no random draw, without one). */
  dbDelay(): number {
    const d = this.effects.dbDelayMs;
    return d ? d[0] + this.model.rng() * (d[1] - d[0]) : 0;
  }

  workingSetMb(): number {
    const ws = this.effects.workingSetMb;
    return ws !== null ? ws + this.model.rng() * 40 : process.memoryUsage().rss / 1_048_576;
  }

  /** The real query Aura's Database check runs, with the scenario's latency. */
  async probeDb(): Promise<DbProbe> {
    const t0 = performance.now();
    const delay = this.dbDelay();
    if (delay) await sleep(delay);
    try {
      const row = this.db.prepare('SELECT COUNT(*) AS n FROM "ProjectStates"').get() as { n: number };
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

  healthInputs(probe: DbProbe): HealthInputs {
    const { layout } = this;
    return {
      effects: this.effects,
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
      port: this.port,
      workingSetMb: this.workingSetMb(),
      environment: this.environment,
    };
  }
}
