// The overview of aura.db: page counts, journal mode and free pages, the schema state from the
// migration history, tables with capped row counts, indexes, and notes on what needs attention.
import type { DbOverview, IndexSummary, TableSummary } from '../../../shared/contract/database';
import { MIGRATIONS_TABLE, schemaState } from './aura-schema';
import { elapsedSince, num, str } from './cells';
import { parseSchema, SCHEMA_SQL, type DbReader } from './reader';
import { quoteIdent } from './sql-build';
import { mapSqliteError } from './sqlite-file';

/** Free pages above this share of the file make VACUUM worth it (the handbook's rule of thumb). */
export const VACUUM_FREE_RATIO = 0.25;
/** A WAL bigger than this share of the DB means checkpoints are starved (a long reader somewhere). */
export const WAL_LARGE_RATIO = 0.5;

export async function readOverview(reader: DbReader): Promise<DbOverview> {
  const t0 = performance.now();
  const { target, results } = await reader.exec(reader.interactive, [
    reader.item(
      `SELECT (SELECT page_count FROM pragma_page_count()), (SELECT page_size FROM pragma_page_size()),
                (SELECT freelist_count FROM pragma_freelist_count()), (SELECT journal_mode FROM pragma_journal_mode()),
                sqlite_version()`,
    ),
    reader.item(SCHEMA_SQL, [], 1_000_000),
    reader.item(
      `SELECT m.name, il.name, il."unique", il.origin, ii.name
         FROM sqlite_schema AS m JOIN pragma_index_list(m.name) AS il JOIN pragma_index_info(il.name) AS ii
         WHERE m.type = 'table' ORDER BY m.name, il.name, ii.seqno`,
      [],
      1_000_000,
    ),
  ]);
  const head = reader.unwrap(results[0], target).rows[0] ?? [];
  const pageCount = num(head[0]);
  const pageSize = num(head[1]);
  const freelistPages = num(head[2]);
  const tables = parseSchema(reader.unwrap(results[1], target).rows);
  reader.rememberSchema(target.key, tables);
  const indexes = new Map<string, IndexSummary>();
  for (const r of reader.unwrap(results[2], target).rows) {
    const name = str(r[1]);
    let ix = indexes.get(name);
    if (!ix)
      indexes.set(
        name,
        (ix = { name, table: str(r[0]), unique: num(r[2]) !== 0, origin: str(r[3]), columns: [] }),
      );
    ix.columns.push(str(r[4]));
  }

  // Second round: capped counts (never a full scan of a huge table) and the migration history.
  const countCap = reader.countCap;
  const names = [...tables.entries()].filter(([, t]) => t.type === 'table').map(([n]) => n);
  const hasHistory = tables.has(MIGRATIONS_TABLE);
  const second = await reader.exec(reader.interactive, [
    ...names.map((n) =>
      reader.item(`SELECT count(*) FROM (SELECT 1 FROM ${quoteIdent(n)} LIMIT ${countCap + 1})`),
    ),
    ...(hasHistory
      ? [
          reader.item(
            `SELECT "MigrationId" FROM ${quoteIdent(MIGRATIONS_TABLE)} ORDER BY "MigrationId"`,
            [],
            10_000,
          ),
        ]
      : []),
  ]);
  const notes: string[] = [];
  const summaries: TableSummary[] = [];
  for (const [name, t] of tables) {
    const idx = names.indexOf(name);
    const s: TableSummary = { name, type: t.type, columns: t.columns, rowCount: null, capped: false };
    if (idx >= 0) {
      const o = second.results[idx];
      if (o.ok) {
        const n = num(o.value.rows[0]?.[0]);
        s.rowCount = Math.min(n, countCap);
        s.capped = n > countCap;
      } else {
        s.countError = mapSqliteError(o.error.code, o.error.message, target.insp.path).message;
        notes.push(`Counting ${name} failed: ${o.error.message}`);
      }
    }
    summaries.push(s);
  }
  let applied: string[] | null = null;
  let schema = schemaState(null);
  if (hasHistory) {
    const o = second.results[names.length];
    if (o.ok) {
      applied = o.value.rows.map((r) => str(r[0]));
      schema = schemaState(applied);
    } else {
      schema = {
        ...schemaState(null),
        state: 'unreadable',
        summary: `__EFMigrationsHistory could not be read: ${o.error.message}`,
      };
    }
  }

  const { insp } = target;
  const lock = await reader.lockState();
  if (insp.linkedFrom) notes.push(`${insp.linkedFrom} is a symbolic link: reading its target, ${insp.path}.`);
  const freeRatio = pageCount > 0 ? freelistPages / pageCount : 0;
  const vacuumCandidate = freeRatio > VACUUM_FREE_RATIO;
  if (target.openFile !== insp.path) {
    notes.push(
      'aura.db is in WAL mode but has no -wal/-shm files (Aura is stopped): reading a private snapshot copy, because opening it in place would create those files next to it.',
    );
  }
  if (vacuumCandidate) {
    notes.push(
      `${Math.round(freeRatio * 100)}% of the file is free pages: a VACUUM candidate (with Aura stopped, on a backup first).`,
    );
  }
  const sizeBytes = pageCount * pageSize;
  if (insp.wal && insp.walFile.size > sizeBytes * WAL_LARGE_RATIO && insp.walFile.size > 16 * 1024 * 1024) {
    notes.push(
      'The -wal file is large compared with the database: checkpoints are not keeping up (a long-lived reader, or Aura under heavy write load).',
    );
  }
  return {
    dbPath: insp.path,
    ...(insp.linkedFrom ? { linkedFrom: insp.linkedFrom } : {}),
    lock,
    access: target.openFile === insp.path ? 'in-place' : 'snapshot',
    file: insp.file,
    wal: insp.walFile,
    shm: insp.shmFile,
    journalMode: str(head[3]),
    pageSize,
    pageCount,
    sizeBytes,
    freelistPages,
    freeRatio,
    vacuumCandidate,
    vacuumThreshold: VACUUM_FREE_RATIO,
    sqliteVersion: str(head[4]),
    schema,
    tables: summaries,
    indexes: [...indexes.values()],
    countCap,
    notes,
    elapsedMs: elapsedSince(t0),
  };
}

/** The exact row count the overview caps: a full count of one table, on request. */
export async function exactCount(
  reader: DbReader,
  table: string,
  opts: { requestId?: string; timeoutMs?: number } = {},
): Promise<{ table: string; count: number; elapsedMs: number }> {
  const t0 = performance.now();
  await reader.tableDef(table);
  const { target, results } = await reader.exec(
    reader.interactive,
    [reader.item(`SELECT count(*) FROM ${quoteIdent(table)}`)],
    opts,
  );
  return { table, count: num(reader.unwrap(results[0], target).rows[0]?.[0]), elapsedMs: elapsedSince(t0) };
}
