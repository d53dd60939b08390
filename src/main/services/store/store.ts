// The console's own state in <dataDir>/ops.db (better-sqlite3, WAL): settings now, and the tables
// later features need. The schema is versioned with PRAGMA user_version; each migration runs once.
import type Database from 'better-sqlite3';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';
import { openDatabase } from './native';
import { makePrivateDir, restrictFiles, touchPrivateFile } from './private-files';

export interface Migration {
  version: number;
  description: string;
  up: (db: Database.Database) => void;
}

/** Ordered; append only. A released migration is never edited. */
export const MIGRATIONS: Migration[] = [
  {
    version: 1,
    description: 'settings key/value store',
    up: (db) => {
      db.exec(`CREATE TABLE settings (
        key TEXT PRIMARY KEY,
        value TEXT NOT NULL,
        updated_at TEXT NOT NULL
      )`);
    },
  },
  {
    version: 2,
    description: 'walk-through sessions, their timeline and checklist state',
    up: (db) => {
      db.exec(`CREATE TABLE sessions (
        id TEXT PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('runbook', 'incident', 'change')),
        title TEXT NOT NULL,
        runbook_id TEXT,
        runbook_title TEXT,
        severity TEXT,
        status TEXT NOT NULL CHECK (status IN ('active', 'resolved', 'abandoned')),
        install_label TEXT,
        install_root TEXT,
        started_at INTEGER NOT NULL,
        ended_at INTEGER,
        summary TEXT
      );
      CREATE TABLE session_events (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        at INTEGER NOT NULL,
        type TEXT NOT NULL,
        data TEXT NOT NULL
      );
      CREATE INDEX session_events_by_session ON session_events(session_id, id);
      CREATE TABLE session_checks (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        item_key TEXT NOT NULL,
        label TEXT NOT NULL,
        checked INTEGER NOT NULL,
        at INTEGER NOT NULL,
        PRIMARY KEY (session_id, item_key)
      );`);
    },
  },
  {
    version: 3,
    description: 'probe history (one row per probe per sweep)',
    up: (db) => {
      db.exec(`CREATE TABLE probe_history (
        probe TEXT NOT NULL,
        at INTEGER NOT NULL,
        state TEXT NOT NULL,
        value REAL,
        detail TEXT
      );
      CREATE INDEX probe_history_by_probe ON probe_history(probe, at);`);
    },
  },
  {
    version: 4,
    description: 'aura.db inspector: SQL console history and saved queries',
    up: (db) => {
      db.exec(`CREATE TABLE db_history (
        seq INTEGER PRIMARY KEY,
        id TEXT NOT NULL UNIQUE,
        sql TEXT NOT NULL,
        at TEXT NOT NULL,
        ok INTEGER NOT NULL,
        rows INTEGER,
        elapsed_ms REAL,
        error TEXT
      );
      CREATE TABLE db_saved_queries (
        name TEXT PRIMARY KEY,
        sql TEXT NOT NULL,
        saved_at TEXT NOT NULL
      );`);
    },
  },
  {
    version: 5,
    description:
      'incident journey: one timeline entry per step run (run id), milestones, impact start, post-mortem fields, scheduled changes',
    up: (db) => {
      db.exec(`ALTER TABLE session_events ADD COLUMN run_id TEXT;
      CREATE UNIQUE INDEX session_events_by_run ON session_events(run_id) WHERE run_id IS NOT NULL;
      ALTER TABLE sessions ADD COLUMN impact_start TEXT;
      ALTER TABLE sessions ADD COLUMN postmortem TEXT;
      ALTER TABLE sessions ADD COLUMN scheduled_for INTEGER;
      CREATE TABLE session_milestones (
        session_id TEXT NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
        milestone TEXT NOT NULL CHECK (milestone IN ('detected', 'acknowledged', 'identified', 'mitigated', 'resolved')),
        at INTEGER NOT NULL,
        source TEXT NOT NULL CHECK (source IN ('console', 'operator')),
        reason TEXT,
        PRIMARY KEY (session_id, milestone)
      );`);
    },
  },
];

export class OpsStore {
  readonly file: string;
  readonly db: Database.Database;

  private constructor(file: string, db: Database.Database) {
    this.file = file;
    this.db = db;
  }

  static open(dataDir: string, migrations: Migration[] = MIGRATIONS): OpsStore {
    try {
      makePrivateDir(dataDir);
    } catch (err) {
      throw new OpsError(
        'unavailable',
        `Cannot create the console's data folder ${dataDir}`,
        `${(err as Error).message}. Pass --data-dir (or set AURA_OPS_DATA_DIR) to a writable folder.`,
      );
    }
    const file = path.join(dataDir, 'ops.db');
    let db: Database.Database;
    try {
      // Owner-only before SQLite opens it: the -wal and -shm it makes take the main file's mode.
      touchPrivateFile(file);
      restrictFiles(`${file}-wal`, `${file}-shm`, `${file}-journal`);
      db = openDatabase(file);
      db.pragma('journal_mode = WAL');
      db.pragma('busy_timeout = 2000');
      db.pragma('foreign_keys = ON');
    } catch (err) {
      throw new OpsError(
        'corrupt',
        `Cannot open the console's own database ${file}`,
        `${(err as Error).message}. Move the file aside to start with fresh settings.`,
      );
    }
    const store = new OpsStore(file, db);
    store.migrate(migrations);
    return store;
  }

  get schemaVersion(): number {
    return this.db.pragma('user_version', { simple: true }) as number;
  }

  private migrate(migrations: Migration[]): void {
    const current = this.schemaVersion;
    const latest = migrations.reduce((m, x) => Math.max(m, x.version), 0);
    if (current > latest) {
      throw new OpsError(
        'invalid-config',
        `ops.db has schema version ${current}, newer than this console knows (${latest})`,
        'A newer Aura Ops Console wrote it. Upgrade the console, or use another --data-dir.',
      );
    }
    for (const m of [...migrations].sort((a, b) => a.version - b.version)) {
      if (m.version <= current) continue;
      const run = this.db.transaction(() => {
        m.up(this.db);
        this.db.pragma(`user_version = ${m.version}`);
      });
      run();
    }
  }

  getSetting<T>(key: string): T | undefined {
    const row = this.db.prepare('SELECT value FROM settings WHERE key = ?').get(key) as
      { value: string } | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.value) as T;
    } catch {
      // A damaged value is treated as unset rather than crashing the console; the next write fixes it.
      return undefined;
    }
  }

  setSetting(key: string, value: unknown): void {
    this.db
      .prepare(
        `INSERT INTO settings (key, value, updated_at) VALUES (?, ?, ?)
         ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at`,
      )
      .run(key, JSON.stringify(value), new Date().toISOString());
  }

  deleteSetting(key: string): void {
    this.db.prepare('DELETE FROM settings WHERE key = ?').run(key);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** Where ops.db lives: --data-dir, then AURA_OPS_DATA_DIR, then the per-user config folder. */
export function defaultDataDir(env: NodeJS.ProcessEnv = process.env, platform = process.platform): string {
  if (env.AURA_OPS_DATA_DIR) return path.resolve(env.AURA_OPS_DATA_DIR);
  const home = env.HOME ?? env.USERPROFILE ?? '.';
  if (platform === 'win32')
    return path.join(env.APPDATA ?? path.join(home, 'AppData', 'Roaming'), 'aura-ops');
  if (platform === 'darwin') return path.join(home, 'Library', 'Application Support', 'aura-ops');
  return path.join(env.XDG_CONFIG_HOME ?? path.join(home, '.config'), 'aura-ops');
}
