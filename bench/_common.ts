// What several benches share: the JSON line a result row is written as, a service context that
// fans events out to the bench's listeners, and a JobQueue filled with Aura's real schema.
import type Database from 'better-sqlite3';
import type { ServiceContext } from '../src/main/services/context';
import type { InstallCandidate } from '../src/shared/install-types';
import {
  AURA_INDEX_DDL,
  AURA_SCHEMA_DDL,
  EF_MIGRATIONS,
  EF_PRODUCT_VERSION,
  MIGRATIONS_HISTORY_DDL,
} from '../src/main/sandbox/schema';

/**
 * The result-row writer of bench `bench`: one JSON line a metric, value and baseline rounded to
 * `decimals`, their ratio (null without a positive baseline), then any extra fields.
 */
export function rowWriter(bench: string, decimals = 3) {
  const scale = 10 ** decimals;
  const round = (n: number): number => Math.round(n * scale) / scale;
  return (
    metric: string,
    value: number,
    unit: string,
    baseline: number | null,
    extra: Record<string, unknown> = {},
  ): void => {
    process.stdout.write(
      JSON.stringify({
        bench,
        metric,
        value: round(value),
        unit,
        baseline: baseline === null ? null : round(baseline),
        ratio: baseline !== null && baseline > 0 ? round(value / baseline) : null,
        ...extra,
      }) + '\n',
    );
  };
}

/**
 * A service context for a bench in `dataDir`: every event goes to each function in `listeners`, and
 * what services register with onDispose lands in `disposers` (the bench runs them at its end).
 */
export function benchContext(dataDir: string, getInstall: () => InstallCandidate | null = () => null) {
  const disposers: Array<() => void | Promise<void>> = [];
  const listeners: Array<(event: string, payload: unknown) => void> = [];
  const ctx: ServiceContext = {
    dataDir,
    getInstall,
    emit: (e, p) => {
      for (const l of listeners) l(e, p);
    },
    onDispose: (fn) => disposers.push(fn),
  };
  return { ctx, disposers, listeners };
}

/**
 * Aura's schema and applied migrations in `db`, then `rows` jobs in JobQueue (every 50th Failed, the
 * rest Completed), each carrying `jobDataJson`, in transactions of 50,000 rows.
 */
export function fillJobQueue(db: Database.Database, rows: number, jobDataJson: string): void {
  db.exec(MIGRATIONS_HISTORY_DDL + AURA_SCHEMA_DDL + AURA_INDEX_DDL);
  const mig = db.prepare('INSERT INTO "__EFMigrationsHistory" VALUES (?, ?)');
  for (const m of EF_MIGRATIONS) mig.run(m, EF_PRODUCT_VERSION);
  const ins = db.prepare(
    `INSERT INTO "JobQueue" ("JobId","CreatedAt","EnqueuedAt","IsQuickDemo","JobDataJson","MaxRetries","Priority","ProgressPercent","RetryCount","Status","UpdatedAt")
     VALUES (?,?,?,0,?,3,5,100,0,?,?)`,
  );
  const batch = 50_000;
  for (let i = 0; i < rows; i += batch) {
    db.transaction(() => {
      for (let j = i; j < Math.min(rows, i + batch); j++) {
        ins.run(
          `job-${String(j).padStart(9, '0')}`,
          '2025-12-01 10:00:00',
          '2025-12-01 10:00:00',
          jobDataJson,
          j % 50 === 0 ? 'Failed' : 'Completed',
          '2025-12-01 10:05:00',
        );
      }
    })();
  }
}
