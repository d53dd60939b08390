// The SQL console's history and saved queries, in the console's own ops.db (tables db_history and
// db_saved_queries, store migration 4). A db-console.json left by older versions is imported once.
import type Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { OpsError } from '../../../shared/errors';
import type { HistoryEntry, SavedQuery } from '../../../shared/contract/database';

/** Enough to find last week's queries; older entries are dropped on each insert. */
export const HISTORY_MAX = 500;
/** Saved queries are hand-named; a cap only guards against a runaway client. */
export const SAVED_MAX = 500;
/** The file older versions kept history in, relative to the data dir. */
export const LEGACY_FILE = 'db-console.json';
/** What the legacy file is renamed to once imported (kept, not deleted: it is the user's data). */
export const LEGACY_IMPORTED_SUFFIX = '.imported';

/** What the query store needs of the console's store: its open ops.db (migrated to version >= 4). */
export interface OpsStoreLike {
  readonly db: Database.Database;
}

interface HistoryRow {
  id: string;
  sql: string;
  at: string;
  ok: number;
  rows: number | null;
  elapsed_ms: number | null;
  error: string | null;
}

function toEntry(r: HistoryRow): HistoryEntry {
  const e: HistoryEntry = { id: r.id, sql: r.sql, at: r.at, ok: r.ok !== 0 };
  if (r.rows !== null) e.rows = r.rows;
  if (r.elapsed_ms !== null) e.elapsedMs = r.elapsed_ms;
  if (r.error !== null) e.error = r.error;
  return e;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

export class QueryStore {
  private readonly db: Database.Database;

  constructor(store: OpsStoreLike) {
    this.db = store.db;
    const tables = this.db
      .prepare(
        `SELECT name FROM sqlite_schema WHERE type = 'table' AND name IN ('db_history', 'db_saved_queries')`,
      )
      .pluck()
      .all();
    if (tables.length !== 2) {
      throw new OpsError(
        'invalid-config',
        'ops.db has no SQL console tables (db_history, db_saved_queries)',
        'The console store was opened without its migrations; open it with OpsStore.open().',
      );
    }
  }

  /**
   * Imports <dataDir>/db-console.json (history and saved queries of older versions) once: rows
   * keep their ids and names (INSERT OR IGNORE, so a repeat is harmless), then the file is renamed
   * to db-console.json.imported. Returns how many entries were imported.
   */
  importLegacy(dataDir: string): { history: number; saved: number; file: string | null } {
    const file = path.join(dataDir, LEGACY_FILE);
    let text: string;
    try {
      text = fs.readFileSync(file, 'utf8');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return { history: 0, saved: 0, file: null };
      throw new OpsError(
        'unavailable',
        `Cannot read ${file}: ${(err as Error).message}`,
        'Check the permissions of the console data folder.',
      );
    }
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      throw new OpsError(
        'corrupt',
        `The SQL console's old history file ${file} is not valid JSON, so it was not imported`,
        `${(err as Error).message}. Move the file aside; history and saved queries now live in ops.db.`,
      );
    }
    const data = isRecord(parsed) ? parsed : {};
    const history = (Array.isArray(data.history) ? data.history : []).filter(
      (h): h is HistoryEntry =>
        isRecord(h) && typeof h.id === 'string' && typeof h.sql === 'string' && typeof h.at === 'string',
    );
    const saved = (Array.isArray(data.saved) ? data.saved : []).filter(
      (q): q is SavedQuery => isRecord(q) && typeof q.name === 'string' && typeof q.sql === 'string',
    );
    const insH = this.db.prepare(
      `INSERT OR IGNORE INTO db_history (id, sql, at, ok, rows, elapsed_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
    );
    const insS = this.db.prepare(
      `INSERT OR IGNORE INTO db_saved_queries (name, sql, saved_at) VALUES (?, ?, ?)`,
    );
    let nh = 0;
    let ns = 0;
    this.db.transaction(() => {
      // The file lists newest first; insert oldest first so the sequence keeps the order.
      for (const h of [...history].reverse()) {
        nh += insH.run(
          h.id,
          h.sql,
          h.at,
          h.ok ? 1 : 0,
          typeof h.rows === 'number' ? h.rows : null,
          typeof h.elapsedMs === 'number' ? h.elapsedMs : null,
          typeof h.error === 'string' ? h.error : null,
        ).changes;
      }
      for (const q of saved)
        ns += insS.run(
          q.name,
          q.sql,
          typeof q.savedAt === 'string' ? q.savedAt : new Date().toISOString(),
        ).changes;
      this.trim();
    })();
    try {
      fs.renameSync(file, file + LEGACY_IMPORTED_SUFFIX);
    } catch (err) {
      throw new OpsError(
        'unavailable',
        `Imported ${file} into ops.db but could not rename it: ${(err as Error).message}`,
        'Move the file aside by hand; importing it again is harmless (entries are not duplicated).',
      );
    }
    return { history: nh, saved: ns, file };
  }

  private trim(): void {
    this.db
      .prepare(
        `DELETE FROM db_history WHERE seq <= (SELECT seq FROM db_history ORDER BY seq DESC LIMIT 1 OFFSET ?)`,
      )
      .run(HISTORY_MAX);
  }

  history(): HistoryEntry[] {
    const rows = this.db
      .prepare(`SELECT id, sql, at, ok, rows, elapsed_ms, error FROM db_history ORDER BY seq DESC LIMIT ?`)
      .all(HISTORY_MAX) as HistoryRow[];
    return rows.map(toEntry);
  }

  record(entry: Omit<HistoryEntry, 'id' | 'at'>): HistoryEntry {
    const full: HistoryEntry = { id: randomUUID(), at: new Date().toISOString(), ...entry };
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO db_history (id, sql, at, ok, rows, elapsed_ms, error) VALUES (?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(
          full.id,
          full.sql,
          full.at,
          full.ok ? 1 : 0,
          full.rows ?? null,
          full.elapsedMs ?? null,
          full.error ?? null,
        );
      this.trim();
    })();
    return full;
  }

  clearHistory(): HistoryEntry[] {
    this.db.prepare('DELETE FROM db_history').run();
    return [];
  }

  saved(): SavedQuery[] {
    const rows = this.db
      .prepare(`SELECT name, sql, saved_at FROM db_saved_queries ORDER BY name COLLATE NOCASE, name`)
      .all() as {
      name: string;
      sql: string;
      saved_at: string;
    }[];
    return rows.map((r) => ({ name: r.name, sql: r.sql, savedAt: r.saved_at }));
  }

  save(name: string, sql: string): SavedQuery[] {
    this.db.transaction(() => {
      const exists = this.db.prepare('SELECT 1 FROM db_saved_queries WHERE name = ?').get(name) !== undefined;
      const count = this.db.prepare('SELECT count(*) FROM db_saved_queries').pluck().get() as number;
      if (!exists && count >= SAVED_MAX) {
        throw new OpsError(
          'bad-request',
          `There are already ${SAVED_MAX} saved queries`,
          'Delete some before saving more.',
        );
      }
      this.db
        .prepare(
          `INSERT INTO db_saved_queries (name, sql, saved_at) VALUES (?, ?, ?)
           ON CONFLICT(name) DO UPDATE SET sql = excluded.sql, saved_at = excluded.saved_at`,
        )
        .run(name, sql, new Date().toISOString());
    })();
    return this.saved();
  }

  remove(name: string): SavedQuery[] {
    const r = this.db.prepare('DELETE FROM db_saved_queries WHERE name = ?').run(name);
    if (r.changes === 0)
      throw new OpsError('not-found', `No saved query named "${name}"`, 'Refresh the list.');
    return this.saved();
  }
}
