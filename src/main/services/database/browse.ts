// What the browser reads: one page of a table or view (by key where paging.ts finds one, by OFFSET
// otherwise), and the ready views with whether this aura.db has what each one needs.
import { OpsError } from '../../../shared/errors';
import type { FilterOp, PagingInfo, ReadyView, RowsPage } from '../../../shared/contract/database';
import { GROWTH_DBSTAT_SQL, GROWTH_VIEW_ID, READY_VIEWS, STUCK_JOB_MINUTES } from './aura-schema';
import { elapsedSince, num } from './cells';
import {
  buildKeysetQuery,
  decodeCursor,
  encodeCursor,
  listingShape,
  planPaging,
  type PageParam,
} from './paging';
import type { RawValue, StmtResult } from './protocol';
import type { DbReader } from './reader';
import { buildRowsQuery } from './sql-build';

export interface RowsRequest {
  table: string;
  offset?: number;
  cursor?: string;
  limit?: number;
  sort?: { column: string; dir: 'asc' | 'desc' };
  filters?: { column: string; op: FilterOp; value?: string | number | null }[];
  requestId?: string;
  timeoutMs?: number;
}

/**
 * One page of a table or view. Tables page by key (paging.ts): `cursor` (a page's next/prev
 * cursor) seeks straight to the neighbouring page; `offset` alone jumps to a row position by
 * finding the key there with a key-only scan (an index when one covers it). Views, and tables
 * without a usable key, page with OFFSET; `paging.reason` says so.
 */
export async function readRows(reader: DbReader, p: RowsRequest): Promise<RowsPage> {
  const t0 = performance.now();
  const def = await reader.tableDef(p.table);
  const limit = Math.min(p.limit ?? reader.rowCap, reader.rowCap);
  const filters = p.filters ?? [];
  const plan = planPaging(p.table, def, p.sort);
  const shape = listingShape(p.table, p.sort, filters, plan);
  const cursor = p.cursor ? decodeCursor(shape, p.cursor) : null;
  const types = new Map(def.columns.map((c) => [c.name, c.type]));
  const page = (r: StmtResult, offset: number, sql: string, paging: PagingInfo): RowsPage => ({
    columns: r.columns.map((c) => ({
      name: c.name,
      declaredType: c.declaredType ?? types.get(c.name) ?? null,
    })),
    rows: r.rows,
    offset,
    limit,
    hasMore: r.hasMore,
    elapsedMs: elapsedSince(t0),
    sql,
    paging,
  });
  const run = async (
    q: { sql: string; params: PageParam[]; keyCols?: number },
    maxRows = limit,
  ): Promise<StmtResult> => {
    const { target, results } = await reader.exec(
      reader.interactive,
      [{ ...reader.item(q.sql, [], maxRows), params: q.params, keyCols: q.keyCols }],
      p,
    );
    return reader.unwrap(results[0], target);
  };

  if (plan.mode === 'offset') {
    const offset = cursor ? cursor.position : (p.offset ?? 0);
    const q = buildRowsQuery({
      table: p.table,
      columns: def.columns,
      sort: p.sort,
      filters,
      limit,
      offset,
    });
    const r = await run(q);
    return page(r, offset, q.sql, {
      mode: 'offset',
      order: plan.order,
      reason: plan.reason,
      nextCursor: r.hasMore
        ? encodeCursor(shape, { mode: 'offset', position: offset + r.rows.length })
        : null,
      prevCursor:
        offset > 0 ? encodeCursor(shape, { mode: 'offset', position: Math.max(0, offset - limit) }) : null,
    });
  }

  const base = { table: p.table, columns: def.columns, filters, keys: plan.keys, limit };
  const order = plan.keys.map((k) => k.label);
  const keysetPaging = (
    next: RawValue[] | null,
    prev: RawValue[] | null,
    position: number,
    rowCount: number,
  ): PagingInfo => ({
    mode: 'keyset',
    order,
    nextCursor: next
      ? encodeCursor(shape, { mode: 'keyset', dir: 'after', key: next, position: position + rowCount })
      : null,
    prevCursor: prev
      ? encodeCursor(shape, { mode: 'keyset', dir: 'before', key: prev, position: position - limit })
      : null,
  });
  const forward = async (after: RawValue[] | undefined, position: number): Promise<RowsPage> => {
    const q = buildKeysetQuery({ ...base, after });
    if (!q)
      return page(
        { columns: [], rows: [], hasMore: false },
        position,
        '',
        keysetPaging(null, null, position, 0),
      );
    const r = await run(q);
    const keys = r.keys ?? { first: null, last: null };
    return page(
      r,
      position,
      q.sql,
      keysetPaging(r.hasMore ? keys.last : null, position > 0 ? keys.first : null, position, r.rows.length),
    );
  };

  if (cursor?.mode === 'keyset' && cursor.dir === 'before') {
    const q = buildKeysetQuery({ ...base, after: cursor.key, reverse: true });
    const r = q ? await run(q) : null;
    // Reached the start with a short page: show the first full page instead.
    if (!q || !r || (!r.hasMore && r.rows.length < limit)) return forward(undefined, 0);
    const keys = r.keys ?? { first: null, last: null };
    const position = r.hasMore ? Math.max(0, cursor.position) : 0;
    const reversed: StmtResult = { columns: r.columns, rows: [...r.rows].reverse(), hasMore: true };
    // Fetched backwards: the page's last row is the first fetched, its first row the last fetched.
    return page(
      reversed,
      position,
      q.sql,
      keysetPaging(keys.first, r.hasMore ? keys.last : null, position, r.rows.length),
    );
  }
  if (cursor?.mode === 'keyset') return forward(cursor.key, cursor.position);
  const jump = cursor ? cursor.position : (p.offset ?? 0);
  if (jump === 0) return forward(undefined, 0);
  // A jump: the key of the row just before the target position, read from the keys alone.
  const anchorQ = buildKeysetQuery({ ...base, limit: 0, keysOnly: true, offset: jump - 1 });
  const anchor = anchorQ ? await run(anchorQ, 1) : null;
  const key = anchor?.keys?.first;
  if (!key)
    return page(
      { columns: [], rows: [], hasMore: false },
      jump,
      anchorQ?.sql ?? '',
      keysetPaging(null, null, jump, 0),
    );
  return forward(key, jump);
}

/** The ready views, each available or with the tables and columns this aura.db lacks for it. */
export async function readyViews(reader: DbReader): Promise<ReadyView[]> {
  const schema = await reader.loadSchema();
  const out: ReadyView[] = READY_VIEWS.map((v) => {
    const missing: string[] = [];
    for (const [table, cols] of Object.entries(v.needs)) {
      const def = schema.tables.get(table);
      if (!def) missing.push(`table ${table}`);
      else {
        const have = new Set(def.columns.map((c) => c.name));
        for (const c of cols) if (!have.has(c)) missing.push(`${table}.${c}`);
      }
    }
    const view: ReadyView = {
      id: v.id,
      title: v.title,
      description: v.description,
      available: missing.length === 0,
    };
    if (missing.length) view.reason = `aura.db lacks ${missing.join(', ')}`;
    return view;
  });
  const { target, results } = await reader.exec(reader.interactive, [
    reader.item(`SELECT count(*) FROM pragma_compile_options WHERE compile_options = 'ENABLE_DBSTAT_VTAB'`),
  ]);
  const dbstat = num(reader.unwrap(results[0], target).rows[0]?.[0]) > 0;
  const growth: ReadyView = {
    id: GROWTH_VIEW_ID,
    title: 'DB growth by table',
    description:
      'Bytes and pages each table and index takes (dbstat; reads every page, so it takes a while on a big file).',
    available: dbstat,
  };
  if (!dbstat) growth.reason = 'This SQLite build has no dbstat; use the overview row counts instead.';
  out.push(growth);
  return out;
}

export interface ViewRequest {
  id: string;
  offset?: number;
  limit?: number;
  olderThanMinutes?: number;
  requestId?: string;
  timeoutMs?: number;
}

/** One page of a ready view, by position (views have no key to page by). */
export async function readView(reader: DbReader, p: ViewRequest): Promise<RowsPage> {
  const t0 = performance.now();
  const limit = Math.min(p.limit ?? reader.rowCap, reader.rowCap);
  const offset = p.offset ?? 0;
  let sql: string;
  let params: (string | number)[];
  if (p.id === GROWTH_VIEW_ID) {
    sql = GROWTH_DBSTAT_SQL;
    params = [];
  } else {
    const def = READY_VIEWS.find((v) => v.id === p.id);
    if (!def)
      throw new OpsError(
        'not-found',
        `No ready view named ${p.id}`,
        `Views: ${[...READY_VIEWS.map((v) => v.id), GROWTH_VIEW_ID].join(', ')}.`,
      );
    const available = (await readyViews(reader)).find((v) => v.id === p.id);
    if (available && !available.available)
      throw new OpsError(
        'not-found',
        `${def.title} is not available: ${available.reason}`,
        'This aura.db has an older or different schema; see the overview.',
      );
    sql = def.sql;
    params = def.params({ olderThanMinutes: p.olderThanMinutes ?? STUCK_JOB_MINUTES });
  }
  const full = `${sql}\nLIMIT ${limit + 1} OFFSET ${offset}`;
  const { target, results } = await reader.exec(
    reader.interactive,
    [reader.item(full, params, limit, true)],
    p,
  );
  const r = reader.unwrap(results[0], target);
  return { ...r, offset, limit, elapsedMs: elapsedSince(t0), sql: full };
}
