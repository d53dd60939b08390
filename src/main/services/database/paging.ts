// Keyset paging for the table browser: pages are found by seeking to the last row's key (the sort
// column plus rowid, or the primary key), so page 5,000 costs what page 1 does; OFFSET remains the
// fallback for sources without a usable key (views, tables whose rowid names are all shadowed).
import { createHash } from 'node:crypto';
import { OpsError } from '../../../shared/errors';
import type { ColumnDetail, FilterOp } from '../../../shared/contract/database';
import { filterClauses, quoteIdent } from './sql-build';

/** A raw key value as the executor returns it (integers as bigint, blobs as bytes). */
export type KeyValue = null | number | bigint | string | Uint8Array;
/** A bound parameter of a page query (bigint for 64-bit integers from a key). */
export type PageParam = string | number | bigint | null;

export interface KeyPart {
  /** SQL for the key column (a quoted column name or the rowid alias). */
  expr: string;
  /** What the operator sees (column name, or "rowid"). */
  label: string;
  dir: 'asc' | 'desc';
  /** NULLs need their own branch: they sort first ascending and last descending. */
  nullable: boolean;
}

export type PagingPlan =
  { mode: 'keyset'; keys: KeyPart[] } | { mode: 'offset'; reason: string; order: string[] };

export interface SourceDef {
  type: 'table' | 'view';
  columns: ColumnDetail[];
  withoutRowid: boolean;
}

/** Prefix of the hidden key columns a page query appends (stripped by the executor). */
const KEY_ALIAS = '__aura_ops_k';
/** Cursor format version: a cursor from another version is refused with a clear message. */
const CURSOR_VERSION = 1;

/** The first of SQLite's rowid names that no column shadows, or null. */
export function rowidAlias(columns: ColumnDetail[]): string | null {
  const names = new Set(columns.map((c) => c.name.toLowerCase()));
  return ['rowid', '_rowid_', 'oid'].find((n) => !names.has(n)) ?? null;
}

/** Decides how a source is paged and by which key, for an optional sort column. */
export function planPaging(
  table: string,
  def: SourceDef,
  sort?: { column: string; dir: 'asc' | 'desc' },
): PagingPlan {
  const pkCols = def.columns.filter((c) => c.pk > 0).sort((a, b) => a.pk - b.pk);
  const sortCol = sort ? def.columns.find((c) => c.name === sort.column) : undefined;
  if (sort && !sortCol) {
    throw new OpsError(
      'bad-request',
      `Table ${table} has no column ${sort.column}`,
      'Pick a column from the table header.',
    );
  }
  const order = sortCol ? [sortCol.name] : [];
  if (def.type === 'view') {
    return {
      mode: 'offset',
      order,
      reason:
        'A view has no row key, so it is paged with OFFSET: pages far from the start read every row before them.',
    };
  }
  const dir = sort?.dir ?? 'asc';
  const col = (c: ColumnDetail, nullable: boolean): KeyPart => ({
    expr: quoteIdent(c.name),
    label: c.name,
    dir,
    nullable,
  });
  let tiebreak: KeyPart[];
  let defaultKeys: KeyPart[];
  if (def.withoutRowid) {
    if (pkCols.length === 0) {
      return {
        mode: 'offset',
        order,
        reason:
          'This WITHOUT ROWID table reports no primary key, so it is paged with OFFSET: deep pages are slow.',
      };
    }
    // A WITHOUT ROWID primary key is NOT NULL and unique: it is the key.
    tiebreak = pkCols.filter((c) => c !== sortCol).map((c) => col(c, false));
    defaultKeys = pkCols.map((c) => col(c, false));
  } else {
    const alias = rowidAlias(def.columns);
    if (!alias) {
      return {
        mode: 'offset',
        order,
        reason:
          "Columns named rowid, _rowid_ and oid hide this table's rowid, so it is paged with OFFSET: deep pages are slow.",
      };
    }
    const rowid: KeyPart = { expr: alias, label: 'rowid', dir, nullable: false };
    tiebreak = [rowid];
    const integerPk = pkCols.length === 1 && pkCols[0].type.toUpperCase() === 'INTEGER';
    // Like Datasette: primary key order by default (its index makes jumps cheap), else rowid order.
    // A non-INTEGER primary key of a rowid table may hold NULLs, so rowid breaks ties.
    defaultKeys =
      pkCols.length === 0 || integerPk ? [rowid] : [...pkCols.map((c) => col(c, !c.notNull)), rowid];
  }
  if (!sortCol) return { mode: 'keyset', keys: defaultKeys };
  const sortNullable = !(sortCol.notNull || (def.withoutRowid && sortCol.pk > 0));
  return { mode: 'keyset', keys: [col(sortCol, sortNullable), ...tiebreak] };
}

export interface KeysetQueryInput {
  table: string;
  columns: ColumnDetail[];
  filters: { column: string; op: FilterOp; value?: string | number | null }[];
  keys: KeyPart[];
  limit: number;
  /** Rows strictly after this key (in the paging direction); the first page when absent. */
  after?: KeyValue[];
  /** Page backwards: every key direction flipped (the caller reverses the rows). */
  reverse?: boolean;
  /** Select only the key (to find the key at a row position: `offset`). */
  keysOnly?: boolean;
  offset?: number;
}

export interface PageQuery {
  sql: string;
  params: PageParam[];
  /** Trailing hidden key columns in each row. */
  keyCols: number;
}

function flip(d: 'asc' | 'desc'): 'asc' | 'desc' {
  return d === 'asc' ? 'desc' : 'asc';
}

function literal(v: KeyValue, params: PageParam[]): string {
  if (v instanceof Uint8Array)
    return `X'${Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex')}'`;
  params.push(v);
  return '?';
}

/**
 * SELECT of one keyset page; `limit + 1` rows so the caller learns whether more exist. After a
 * key, the rows are the union of one branch per key level (equal on the levels before, past it
 * on this one), each an index range with its own ORDER BY and LIMIT, merged by the full key.
 * Returns null when nothing can follow the key (a descending page already past the NULLs).
 */
export function buildKeysetQuery(input: KeysetQueryInput): PageQuery | null {
  const keys = input.keys.map((k) => ({ ...k, dir: input.reverse ? flip(k.dir) : k.dir }));
  const aliased = keys.map((k, i) => `${k.expr} AS ${quoteIdent(`${KEY_ALIAS}${i}`)}`).join(', ');
  const select = input.keysOnly ? aliased : `*, ${aliased}`;
  const from = quoteIdent(input.table);
  const order = (from0: number) =>
    keys
      .slice(from0)
      .map((k) => `${k.expr} ${k.dir.toUpperCase()}`)
      .join(', ');
  const tail = `LIMIT ${input.limit + 1}${input.offset ? ` OFFSET ${input.offset}` : ''}`;
  const base = filterClauses(input.table, input.columns, input.filters);
  if (!input.after) {
    const where = base.where.length ? ` WHERE ${base.where.join(' AND ')}` : '';
    return {
      sql: `SELECT ${select} FROM ${from}${where} ORDER BY ${order(0)} ${tail}`,
      params: [...base.params],
      keyCols: keys.length,
    };
  }
  const after = input.after;
  if (after.length !== keys.length)
    throw new OpsError(
      'bad-request',
      "The page cursor does not match this table's key",
      'Go back to the first page.',
    );
  const branches: { sql: string; params: PageParam[] }[] = [];
  for (let i = keys.length - 1; i >= 0; i--) {
    const k = keys[i];
    const v = after[i];
    const past: { cond: string; params: PageParam[] }[] = [];
    if (k.dir === 'asc') {
      // Ascending: NULLs come first, so past a NULL is every non-NULL value.
      const params: PageParam[] = [];
      past.push({ cond: v === null ? `${k.expr} IS NOT NULL` : `${k.expr} > ${literal(v, params)}`, params });
    } else if (v !== null) {
      // Descending: NULLs come last; each alternative is its own branch so each stays an index range.
      const params: PageParam[] = [];
      past.push({ cond: `${k.expr} < ${literal(v, params)}`, params });
      if (k.nullable) past.push({ cond: `${k.expr} IS NULL`, params: [] });
    }
    for (const alt of past) {
      const params: PageParam[] = [...base.params];
      const where = [...base.where];
      for (let e = 0; e < i; e++) {
        const ev = after[e];
        where.push(ev === null ? `${keys[e].expr} IS NULL` : `${keys[e].expr} = ${literal(ev, params)}`);
      }
      where.push(alt.cond);
      params.push(...alt.params);
      branches.push({
        sql: `SELECT ${select} FROM ${from} WHERE ${where.join(' AND ')} ORDER BY ${order(i)} LIMIT ${input.limit + 1}`,
        params,
      });
    }
  }
  if (branches.length === 0) return null;
  if (branches.length === 1)
    return { sql: branches[0].sql, params: branches[0].params, keyCols: keys.length };
  const merged = keys.map((k, i) => `${quoteIdent(`${KEY_ALIAS}${i}`)} ${k.dir.toUpperCase()}`).join(', ');
  const sql = `SELECT * FROM (${branches.map((b) => `SELECT * FROM (${b.sql})`).join(' UNION ALL ')}) ORDER BY ${merged} LIMIT ${input.limit + 1}`;
  return { sql, params: branches.flatMap((b) => b.params), keyCols: keys.length };
}

// ------------------------------------------------------------------ cursors

type EncodedKey = null | { n: number } | { i: string } | { s: string } | { b: string };

/** What a cursor points at: rows after/before a key (keyset) or a row position (offset mode). */
export type Cursor =
  | { mode: 'keyset'; dir: 'after' | 'before'; key: KeyValue[]; position: number }
  | { mode: 'offset'; position: number };

interface CursorWire {
  v: number;
  /** Fingerprint of table, sort, filters and key: a cursor only pages the listing it came from. */
  s: string;
  m: 'k' | 'o';
  d?: 'a' | 'b';
  k?: EncodedKey[];
  p: number;
}

/** Identifies one listing (table, sort, filters, key); cursors carry it. */
export function listingShape(table: string, sort: unknown, filters: unknown, plan: PagingPlan): string {
  const key = plan.mode === 'keyset' ? plan.keys.map((k) => `${k.label}:${k.dir}`) : ['offset'];
  return createHash('sha256')
    .update(JSON.stringify([table, sort ?? null, filters, key]))
    .digest('base64url')
    .slice(0, 16);
}

function encodeKey(v: KeyValue): EncodedKey {
  if (v === null) return null;
  if (typeof v === 'bigint') return { i: v.toString() };
  if (typeof v === 'number') return { n: v };
  if (typeof v === 'string') return { s: v };
  return { b: Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex') };
}

function decodeKey(e: unknown): KeyValue {
  if (e === null) return null;
  if (typeof e === 'object') {
    const o = e as Record<string, unknown>;
    if (typeof o.n === 'number') return o.n;
    if (typeof o.i === 'string' && /^-?\d{1,20}$/.test(o.i)) return BigInt(o.i);
    if (typeof o.s === 'string') return o.s;
    if (typeof o.b === 'string' && /^(?:[0-9a-f]{2})*$/.test(o.b))
      return new Uint8Array(Buffer.from(o.b, 'hex'));
  }
  throw new Error('bad key value');
}

export function encodeCursor(shape: string, c: Cursor): string {
  const wire: CursorWire =
    c.mode === 'offset'
      ? { v: CURSOR_VERSION, s: shape, m: 'o', p: c.position }
      : {
          v: CURSOR_VERSION,
          s: shape,
          m: 'k',
          d: c.dir === 'after' ? 'a' : 'b',
          k: c.key.map(encodeKey),
          p: Math.max(0, c.position),
        };
  return Buffer.from(JSON.stringify(wire)).toString('base64url');
}

export function decodeCursor(shape: string, text: string): Cursor {
  let wire: CursorWire;
  try {
    wire = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as CursorWire;
  } catch {
    throw new OpsError('bad-request', 'This page cursor is damaged', 'Go back to the first page.');
  }
  if (typeof wire !== 'object' || wire === null || wire.v !== CURSOR_VERSION) {
    throw new OpsError(
      'bad-request',
      'This page cursor is from another version of the console',
      'Go back to the first page.',
    );
  }
  if (wire.s !== shape) {
    throw new OpsError(
      'bad-request',
      'This page cursor belongs to another table, sort or filter',
      'Go back to the first page.',
    );
  }
  const position = Number.isInteger(wire.p) && wire.p >= 0 ? wire.p : 0;
  if (wire.m === 'o') return { mode: 'offset', position };
  if (wire.m !== 'k' || (wire.d !== 'a' && wire.d !== 'b') || !Array.isArray(wire.k)) {
    throw new OpsError('bad-request', 'This page cursor is damaged', 'Go back to the first page.');
  }
  let key: KeyValue[];
  try {
    key = wire.k.map(decodeKey);
  } catch {
    throw new OpsError('bad-request', 'This page cursor is damaged', 'Go back to the first page.');
  }
  return { mode: 'keyset', dir: wire.d === 'a' ? 'after' : 'before', key, position };
}
