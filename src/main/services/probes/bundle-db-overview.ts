// The aura.db overview of a support bundle: size, journal mode, tables with capped row counts and
// the last EF migration, read-only (a stopped WAL database is read from a private copy).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openDatabase } from '../store/native';
import { readHeader } from './db-probe';

/** Row counts stop at this many per table: COUNT(*) on a huge table must not stall the bundle. */
const COUNT_CAP = 100_000;
const BUSY_TIMEOUT_MS = 500;
/** Largest stopped-Aura WAL database copied to a temp dir to list its tables. */
const SNAPSHOT_MAX_BYTES = 256 * 1024 * 1024;

export interface DbOverview {
  path: string;
  exists: boolean;
  sizeBytes: number | null;
  journalMode: string | null;
  walBytes: number | null;
  tables: { name: string; rows: number; capped: boolean }[];
  lastMigration: string | null;
  error: string | null;
}

/** Size, journal mode, tables with capped counts and the last EF migration, read-only. */
export function dbOverview(dbPath: string): DbOverview {
  const o: DbOverview = {
    path: dbPath,
    exists: fs.existsSync(dbPath),
    sizeBytes: null,
    journalMode: null,
    walBytes: null,
    tables: [],
    lastMigration: null,
    error: null,
  };
  if (!o.exists) return o;
  try {
    const header = readHeader(dbPath);
    if (!header) {
      o.error = 'not an SQLite database (bad header)';
      return o;
    }
    o.sizeBytes = header.pageCount * header.pageSize;
    o.journalMode = header.wal ? 'wal' : 'delete';
    const wal = `${dbPath}-wal`;
    o.walBytes = fs.existsSync(wal) ? fs.statSync(wal).size : null;
    // A WAL database without its sidecars (Aura stopped) cannot be opened read-only in place
    // without SQLite creating -wal/-shm next to it: read a private copy instead.
    let source = dbPath;
    let snapshotDir: string | null = null;
    if (header.wal && !(fs.existsSync(wal) && fs.existsSync(`${dbPath}-shm`))) {
      if (o.sizeBytes > SNAPSHOT_MAX_BYTES) {
        o.error = `tables not listed: Aura is not running and aura.db (${Math.round(o.sizeBytes / 1048576)} MB) is too big to copy for a look`;
        return o;
      }
      snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-dbsnap-'));
      source = path.join(snapshotDir, 'aura.db');
      fs.copyFileSync(dbPath, source);
    }
    const db = openDatabase(source, {
      readonly: snapshotDir === null,
      fileMustExist: true,
      timeout: BUSY_TIMEOUT_MS,
    });
    try {
      db.pragma('query_only = 1');
      o.sizeBytes =
        Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
      o.journalMode = String(db.pragma('journal_mode', { simple: true }));
      const names = db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .pluck()
        .all() as string[];
      for (const name of names) {
        const q = `SELECT count(*) FROM (SELECT 1 FROM "${name.replace(/"/g, '""')}" LIMIT ${COUNT_CAP + 1})`;
        try {
          const rows = Number(db.prepare(q).pluck().get());
          o.tables.push({ name, rows: Math.min(rows, COUNT_CAP), capped: rows > COUNT_CAP });
        } catch (err) {
          o.tables.push({ name, rows: -1, capped: false });
          o.error = `${name}: ${(err as Error).message}`;
        }
      }
      if (names.includes('__EFMigrationsHistory')) {
        o.lastMigration =
          (db
            .prepare('SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" DESC LIMIT 1')
            .pluck()
            .get() as string | undefined) ?? null;
      }
    } finally {
      db.close();
      if (snapshotDir) fs.rmSync(snapshotDir, { recursive: true, force: true });
    }
  } catch (err) {
    o.error = (err as Error).message;
  }
  return o;
}
