// What the aura.db row builders share: EF Core's date text, a row as a record, the bulk insert,
// and the context (PRNG model, the history's clock, where rows go) the generator hands them.
import type Database from 'better-sqlite3';
import type { AuraLogModel } from './aura-events';

/** EF Core's SQLite DateTime text: `yyyy-MM-dd HH:mm:ss.fff` (UTC, as Aura stores DateTime.UtcNow). */
export function efDate(d: Date): string {
  return d.toISOString().replace('T', ' ').replace('Z', '');
}

export type Row = Record<string, string | number | null>;

export function insertAll(db: Database.Database, table: string, rows: Row[]): void {
  if (rows.length === 0) return;
  const cols = Object.keys(rows[0]);
  const stmt = db.prepare(
    `INSERT INTO "${table}" (${cols.map((c) => `"${c}"`).join(', ')}) VALUES (${cols.map((c) => '@' + c).join(', ')})`,
  );
  for (const r of rows) stmt.run(r);
}

export const HOUR_MS = 3_600_000;
export const DAY_MS = 24 * HOUR_MS;

/** What a row builder needs: the seeded model, the history's clock, aura.db's path and the table writer. */
export interface SeedContext {
  m: AuraLogModel;
  now: Date;
  /** Days of history ending at `now`. */
  days: number;
  dbPath: string;
  /** `now` minus `ms`. */
  ago: (ms: number) => Date;
  /** Insert rows into a table and count them. */
  put: (table: string, rows: Row[]) => void;
}
