// Fixture databases for the inspector's tests and bench: Aura's real EF schema (from the sandbox)
// with a few rows, in WAL or rollback-journal mode, plus ways to damage a file; and the temp folders
// and services a file-level suite makes and disposes.
import Database from 'better-sqlite3';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  AURA_INDEX_DDL,
  AURA_SCHEMA_DDL,
  EF_MIGRATIONS,
  EF_PRODUCT_VERSION,
  MIGRATIONS_HISTORY_DDL,
} from '../../sandbox/schema';
import { OpsError } from '../../../shared/errors';
import { DatabaseService } from './service';

export function tempDir(prefix = 'aura-ops-dbtest-'): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), prefix));
}

function efDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export interface FixtureOptions {
  journal: 'wal' | 'delete';
  /** Applied migrations (default: all Aura ships). */
  migrations?: readonly string[];
  /** Extra rows in JobQueue (bulk, to make a big table). */
  bulkJobs?: number;
}

/** Creates an aura.db with Aura's schema and known rows; closes it (a WAL DB loses its -wal/-shm). */
export function makeAuraDb(file: string, opts: FixtureOptions): void {
  const db = new Database(file);
  try {
    db.pragma(`journal_mode = ${opts.journal}`);
    db.exec(MIGRATIONS_HISTORY_DDL);
    db.exec(AURA_SCHEMA_DDL);
    db.exec(AURA_INDEX_DDL);
    const mig = db.prepare('INSERT INTO "__EFMigrationsHistory" VALUES (?, ?)');
    for (const m of opts.migrations ?? EF_MIGRATIONS) mig.run(m, EF_PRODUCT_VERSION);
    const now = Date.now();
    const job = db.prepare(
      `INSERT INTO "JobQueue" ("JobId","CreatedAt","EnqueuedAt","IsQuickDemo","JobDataJson","LastError","MaxRetries","Priority","ProgressPercent","RetryCount","Status","UpdatedAt","CurrentStage","WorkerId","StartedAt")
       VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
    );
    const at = (minAgo: number) => efDate(new Date(now - minAgo * 60_000));
    db.transaction(() => {
      job.run(
        'job-failed-1',
        at(300),
        at(300),
        0,
        '{"brief":{"topic":"Bees"},"scenes":3}',
        'FFmpeg exited with code 1',
        3,
        5,
        40,
        3,
        'Failed',
        at(200),
        'Render',
        'worker-1',
        at(290),
      );
      job.run(
        'job-stuck-1',
        at(240),
        at(240),
        0,
        '{}',
        null,
        3,
        5,
        60,
        0,
        'Processing',
        at(180),
        'Tts',
        'worker-2',
        at(239),
      );
      job.run(
        'job-fresh-1',
        at(5),
        at(5),
        0,
        '{}',
        null,
        3,
        5,
        10,
        0,
        'Running',
        at(1),
        'Script',
        'worker-1',
        at(4),
      );
      job.run(
        'job-done-1',
        at(100),
        at(100),
        0,
        '{}',
        null,
        3,
        5,
        100,
        0,
        'Completed',
        at(90),
        'Done',
        'worker-1',
        at(99),
      );
      for (let i = 0; i < (opts.bulkJobs ?? 0); i++) {
        job.run(
          `bulk-${i}`,
          at(1000),
          at(1000),
          0,
          '{}',
          null,
          3,
          5,
          100,
          0,
          'Completed',
          at(999),
          'Done',
          null,
          null,
        );
      }
    })();
    const proj = db.prepare(
      `INSERT INTO "ProjectStates" ("Id","CreatedAt","CurrentWizardStep","IsDeleted","ProgressPercent","Status","Title","UpdatedAt") VALUES (?,?,?,?,?,?,?,?)`,
    );
    proj.run('p1', at(50), 1, 0, 100, 'Completed', 'Bees', at(40));
    proj.run('p2', at(50), 1, 0, 10, 'Failed', 'Ants', at(30));
    proj.run('p3', at(50), 1, 1, 10, 'Failed', 'Wasps', at(20));
    const audit = db.prepare(
      `INSERT INTO "audit_logs" ("Id","Action","Success","Timestamp","ErrorMessage","Severity") VALUES (?,?,?,?,?,?)`,
    );
    audit.run('a1', 'Login', 0, at(10), 'bad password', 'Warning');
    audit.run('a2', 'Login', 1, at(9), null, 'Info');
  } finally {
    db.close();
  }
}

/** Overwrites the middle of the root page of `table` with garbage (a damaged b-tree page). */
export function damageTablePage(file: string, table: string): void {
  const db = new Database(file, { readonly: true });
  const root = db.prepare('SELECT rootpage FROM sqlite_schema WHERE name = ?').pluck().get(table) as number;
  const pageSize = db.pragma('page_size', { simple: true }) as number;
  db.close();
  const fd = fs.openSync(file, 'r+');
  try {
    // Keep the page-type byte so SQLite reads it as a b-tree page and trips over its cells.
    fs.writeSync(fd, Buffer.alloc(pageSize - 16, 0xa5), 0, pageSize - 16, (root - 1) * pageSize + 8);
  } finally {
    fs.closeSync(fd);
  }
}

/** The names in `dir`, sorted: to prove nothing was created next to a DB. */
export function listDir(dir: string): string[] {
  return fs.readdirSync(dir).sort();
}

/**
 * The temp folders and services one test file makes: freshDir() and service() record what they
 * make; disposeServices() (afterEach) and removeDirs() (afterAll) clean it up.
 */
export function serviceRig() {
  const dirs: string[] = [];
  const services: DatabaseService[] = [];
  const freshDir = (): string => {
    const d = tempDir();
    dirs.push(d);
    return d;
  };
  return {
    freshDir,
    service(
      dbPath: string | (() => string),
      opts: ConstructorParameters<typeof DatabaseService>[1] = {},
    ): DatabaseService {
      const svc = new DatabaseService(
        {
          dataDir: freshDir(),
          dbPath: typeof dbPath === 'string' ? () => dbPath : dbPath,
          emit: () => undefined,
        },
        opts,
      );
      services.push(svc);
      return svc;
    },
    async disposeServices(): Promise<void> {
      await Promise.all(services.splice(0).map((s) => s.dispose()));
    },
    removeDirs(): void {
      for (const d of dirs) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}

/** The OpsError a call fails with (fails the test if it resolves or throws something else). */
export async function errorOf(p: Promise<unknown>): Promise<OpsError> {
  try {
    await p;
  } catch (err) {
    if (err instanceof OpsError) return err;
    throw err;
  }
  throw new Error('expected the call to fail');
}
