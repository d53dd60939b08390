// SQL the inspector builds itself: identifiers come only from the real schema and are quoted,
// values are always ? parameters. Also the console's statement guard. Pure functions.
import { OpsError } from '../../../shared/errors';
import type { ColumnDetail, FilterOp } from '../../../shared/contract/database';
import { REPORTING_PRAGMAS } from '../../../shared/sqlite-pragmas';

export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

export interface RowsQueryInput {
  table: string;
  columns: ColumnDetail[];
  sort?: { column: string; dir: 'asc' | 'desc' };
  filters: { column: string; op: FilterOp; value?: string | number | null }[];
  limit: number;
  offset: number;
}

function escapeLike(v: string): string {
  return v.replace(/[\\%_]/g, (c) => `\\${c}`);
}

/** WHERE terms (ANDed) and their parameters for the browser's column filters. */
export function filterClauses(
  table: string,
  columns: ColumnDetail[],
  filters: { column: string; op: FilterOp; value?: string | number | null }[],
): { where: string[]; params: (string | number | null)[] } {
  const known = new Set(columns.map((c) => c.name));
  const where: string[] = [];
  const params: (string | number | null)[] = [];
  for (const f of filters) {
    if (!known.has(f.column)) {
      throw new OpsError(
        'bad-request',
        `Table ${table} has no column ${f.column}`,
        'Pick a column from the table header.',
      );
    }
    const c = quoteIdent(f.column);
    if (f.op === 'is-null') where.push(`${c} IS NULL`);
    else if (f.op === 'not-null') where.push(`${c} IS NOT NULL`);
    else {
      if (f.value === undefined || f.value === null) {
        throw new OpsError(
          'bad-request',
          `The filter on ${f.column} needs a value`,
          'Type a value, or use "is null".',
        );
      }
      if (f.op === 'contains' || f.op === 'starts-with') {
        const v = escapeLike(String(f.value));
        where.push(`${c} LIKE ? ESCAPE '\\'`);
        params.push(f.op === 'contains' ? `%${v}%` : `${v}%`);
      } else {
        where.push(`${c} ${f.op} ?`);
        params.push(f.value);
      }
    }
  }
  return { where, params };
}

/**
 * SELECT for one OFFSET page (the fallback for sources without a row key; see paging.ts);
 * `limit + 1` rows are asked for so the caller learns hasMore.
 */
export function buildRowsQuery(input: RowsQueryInput): { sql: string; params: (string | number | null)[] } {
  const { where, params } = filterClauses(input.table, input.columns, input.filters);
  let sql = `SELECT * FROM ${quoteIdent(input.table)}`;
  if (where.length) sql += ` WHERE ${where.join(' AND ')}`;
  if (input.sort) {
    if (!input.columns.some((c) => c.name === input.sort?.column)) {
      throw new OpsError(
        'bad-request',
        `Table ${input.table} has no column ${input.sort.column}`,
        'Pick a column from the table header.',
      );
    }
    sql += ` ORDER BY ${quoteIdent(input.sort.column)} ${input.sort.dir === 'desc' ? 'DESC' : 'ASC'}`;
  }
  sql += ` LIMIT ${input.limit + 1} OFFSET ${input.offset}`;
  return { sql, params };
}

/** Read pragmas the console allows; anything else could change connection state or files. */
const READ_PRAGMAS = new Set([...REPORTING_PRAGMAS, 'cell_size_check', 'stats']);

/** Statements that change connection state or files even when SQLite calls them read-only. */
const BLOCKED_HEADS = new Set([
  'attach',
  'detach',
  'begin',
  'savepoint',
  'release',
  'commit',
  'end',
  'rollback',
  'vacuum',
  'reindex',
  'analyze',
]);

function stripLeadingComments(sql: string): string {
  let s = sql;
  for (;;) {
    s = s.trimStart();
    if (s.startsWith('--')) {
      const nl = s.indexOf('\n');
      s = nl === -1 ? '' : s.slice(nl + 1);
    } else if (s.startsWith('/*')) {
      const end = s.indexOf('*/');
      s = end === -1 ? '' : s.slice(end + 2);
    } else return s;
  }
}

/**
 * The console's guard before SQLite's own (a read-only connection, query_only, stmt.readonly):
 * refuses transaction control, ATTACH/DETACH, VACUUM and pragmas outside a read-only allowlist.
 */
export function guardStatement(sql: string): void {
  const body = stripLeadingComments(sql);
  const head = /^([a-z_]+)/i.exec(body)?.[1]?.toLowerCase() ?? '';
  if (BLOCKED_HEADS.has(head)) {
    throw new OpsError(
      'read-only',
      `${head.toUpperCase()} is not allowed: the inspector is read-only and runs each statement on its own.`,
      head === 'vacuum'
        ? 'VACUUM needs Aura stopped and a writable copy; use Health > backup, then VACUUM the copy.'
        : 'Run a SELECT (or EXPLAIN QUERY PLAN).',
    );
  }
  if (head === 'pragma') {
    const m = /^pragma\s+(?:[a-z_]+\s*\.\s*)?([a-z_]+)\s*(=|\()?/i.exec(body);
    const name = m?.[1]?.toLowerCase() ?? '';
    const allowed = `Allowed: ${[...READ_PRAGMAS].sort().join(', ')} (read forms only).`;
    if (READ_PRAGMAS.has(name) && m?.[2] === '=') {
      throw new OpsError(
        'read-only',
        `PRAGMA ${name} with a value sets it, which would change aura.db or the reader's connection; only its read form (PRAGMA ${name}) runs here.`,
        allowed,
      );
    }
    if (!READ_PRAGMAS.has(name)) {
      throw new OpsError(
        'read-only',
        `PRAGMA ${name || '?'} is not on the console's list of PRAGMAs that only read: it could change aura.db or the reader's connection, so it is not run.`,
        allowed,
      );
    }
  }
}
