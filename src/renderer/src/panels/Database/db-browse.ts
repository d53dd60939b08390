// The browser's paging, sorting and filtering as pure functions: what a source in the picker asks
// for, where First/Previous/Next go (ready views by row position, tables by the cursors the page
// carries), the row number Go accepts, the sort a column click gives, and the range shown.
import type { FilterOp, RowsPage } from '../../../../shared/contract/database';

/** Rows per page in the browser: a screenful or two, well under the service's cap. */
export const PAGE_ROWS = 100;

/** Picker values of ready views start with this; any other value is a table. */
export const VIEW_PREFIX = 'view:';

/** Where the next page comes from: a cursor of the shown page, or a row position (a jump). */
export type PageRequest = { cursor: string; offset?: undefined } | { cursor?: undefined; offset: number };

export interface ColumnFilter {
  column: string;
  op: FilterOp;
  value: string;
}

export type Sort = { column: string; dir: 'asc' | 'desc' } | undefined;

export const NO_FILTER: ColumnFilter = { column: '', op: '=', value: '' };

export function isViewSource(source: string): boolean {
  return source.startsWith(VIEW_PREFIX);
}

/** The db:view or db:rows request (without its requestId) for a page of the chosen source. */
export function pageQuery(
  source: string,
  request: PageRequest,
  sort: Sort,
  applied: ColumnFilter | null,
):
  | { kind: 'view'; params: { id: string; offset: number; limit: number } }
  | {
      kind: 'table';
      params: ({ cursor: string } | { offset: number }) & {
        table: string;
        limit: number;
        sort: Sort;
        filters: ColumnFilter[];
      };
    } {
  if (isViewSource(source)) {
    return {
      kind: 'view',
      params: { id: source.slice(VIEW_PREFIX.length), offset: request.offset ?? 0, limit: PAGE_ROWS },
    };
  }
  const filters =
    applied && applied.column ? [{ column: applied.column, op: applied.op, value: applied.value }] : [];
  const at = request.cursor ? { cursor: request.cursor } : { offset: request.offset ?? 0 };
  return { kind: 'table', params: { table: source, ...at, limit: PAGE_ROWS, sort, filters } };
}

/** The pager of the shown page: the request for Previous and Next, null when there is none. */
export function pagerMoves(
  isView: boolean,
  page: Pick<RowsPage, 'offset' | 'hasMore' | 'paging'> | null,
): { prev: PageRequest | null; next: PageRequest | null } {
  // Ready views page by position; tables by the cursors the page carries (fast at any depth).
  if (isView) {
    const offset = page?.offset ?? 0;
    return {
      prev: offset > 0 ? { offset: Math.max(0, offset - PAGE_ROWS) } : null,
      next: page?.hasMore ? { offset: offset + PAGE_ROWS } : null,
    };
  }
  const paging = page?.paging;
  return {
    prev: paging?.prevCursor ? { cursor: paging.prevCursor } : null,
    next: paging?.nextCursor ? { cursor: paging.nextCursor } : null,
  };
}

/**
 * The page request for a typed row number (from 1; spaces, commas and underscores between digits
 * are ignored), or what is wrong with it.
 */
export function jumpRequest(
  text: string,
): { offset: number } | { error: { message: string; detail: string } } {
  const row = Number(text.replace(/[\s,_]/g, ''));
  if (!Number.isInteger(row) || row < 1)
    return { error: { message: `"${text}" is not a row number`, detail: 'Type a whole number from 1.' } };
  return { offset: row - 1 };
}

/** A click on a column sorts it ascending; a second click on the same column, descending. */
export function nextSort(sort: Sort, column: string): Sort {
  return sort?.column === column && sort.dir === 'asc' ? { column, dir: 'desc' } : { column, dir: 'asc' };
}

/** The pager's range: "rows 101–200", or that the page is empty ('' before the first page). */
export function rowRange(page: Pick<RowsPage, 'offset' | 'rows'> | null): string {
  if (!page) return '';
  if (!page.rows.length) return 'no rows here';
  return `rows ${(page.offset + 1).toLocaleString()}–${(page.offset + page.rows.length).toLocaleString()}`;
}
