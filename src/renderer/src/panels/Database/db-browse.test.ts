// The browser's rules: the request a source and its state send, where the pager goes for ready
// views (by position) and tables (by cursor), the row number Go accepts, sorting and the range.
import { describe, expect, it } from 'vitest';
import type { PagingInfo } from '../../../../shared/contract/database';
import {
  isViewSource,
  jumpRequest,
  nextSort,
  NO_FILTER,
  PAGE_ROWS,
  pageQuery,
  pagerMoves,
  rowRange,
} from './db-browse';

const keyset = (over: Partial<PagingInfo> = {}): PagingInfo => ({
  mode: 'keyset',
  order: ['rowid'],
  nextCursor: null,
  prevCursor: null,
  ...over,
});

describe('pageQuery', () => {
  it('asks a ready view for a page by position, without sort or filters', () => {
    expect(isViewSource('view:failed-jobs')).toBe(true);
    expect(
      pageQuery(
        'view:failed-jobs',
        { offset: 200 },
        { column: 'a', dir: 'asc' },
        { ...NO_FILTER, column: 'a' },
      ),
    ).toEqual({ kind: 'view', params: { id: 'failed-jobs', offset: 200, limit: PAGE_ROWS } });
  });

  it('asks a table by cursor when the request has one, else by offset', () => {
    expect(isViewSource('JobQueue')).toBe(false);
    const sort = { column: 'UpdatedAt', dir: 'desc' } as const;
    expect(pageQuery('JobQueue', { cursor: 'c1' }, sort, null)).toEqual({
      kind: 'table',
      params: { table: 'JobQueue', cursor: 'c1', limit: PAGE_ROWS, sort, filters: [] },
    });
    expect(pageQuery('JobQueue', { offset: 0 }, undefined, null).params).toEqual({
      table: 'JobQueue',
      offset: 0,
      limit: PAGE_ROWS,
      sort: undefined,
      filters: [],
    });
  });

  it('sends the applied filter only when it names a column', () => {
    const f = { column: 'Status', op: '=' as const, value: 'Failed' };
    expect(pageQuery('JobQueue', { offset: 0 }, undefined, f).params).toMatchObject({ filters: [f] });
    expect(pageQuery('JobQueue', { offset: 0 }, undefined, NO_FILTER).params).toMatchObject({ filters: [] });
  });
});

describe('pagerMoves', () => {
  it('pages a ready view by position: no Previous on the first page, Next while there is more', () => {
    expect(pagerMoves(true, null)).toEqual({ prev: null, next: null });
    expect(pagerMoves(true, { offset: 0, hasMore: true })).toEqual({
      prev: null,
      next: { offset: PAGE_ROWS },
    });
    expect(pagerMoves(true, { offset: 150, hasMore: false })).toEqual({ prev: { offset: 50 }, next: null });
    expect(pagerMoves(true, { offset: 40, hasMore: false }).prev).toEqual({ offset: 0 });
  });

  it('pages a table by the cursors the page carries, whatever its offset says', () => {
    expect(pagerMoves(false, { offset: 500, hasMore: true, paging: keyset() })).toEqual({
      prev: null,
      next: null,
    });
    expect(
      pagerMoves(false, { offset: 0, hasMore: true, paging: keyset({ prevCursor: 'p', nextCursor: 'n' }) }),
    ).toEqual({ prev: { cursor: 'p' }, next: { cursor: 'n' } });
  });
});

describe('jumpRequest', () => {
  it('takes a row number from 1, with digit group separators, as a 0-based offset', () => {
    expect(jumpRequest('1')).toEqual({ offset: 0 });
    expect(jumpRequest('1,000,001')).toEqual({ offset: 1_000_000 });
    expect(jumpRequest(' 25_000 ')).toEqual({ offset: 24_999 });
  });

  it.each(['', '0', '-3', '2.5', 'ten'])('refuses %j with what to type', (text) => {
    expect(jumpRequest(text)).toEqual({
      error: { message: `"${text}" is not a row number`, detail: 'Type a whole number from 1.' },
    });
  });
});

describe('nextSort', () => {
  it('sorts a new column ascending, the same column descending, then ascending again', () => {
    const asc = nextSort(undefined, 'a');
    expect(asc).toEqual({ column: 'a', dir: 'asc' });
    const desc = nextSort(asc, 'a');
    expect(desc).toEqual({ column: 'a', dir: 'desc' });
    expect(nextSort(desc, 'a')).toEqual({ column: 'a', dir: 'asc' });
    expect(nextSort(asc, 'b')).toEqual({ column: 'b', dir: 'asc' });
  });
});

describe('rowRange', () => {
  it('names the 1-based rows shown, an empty page, or nothing before the first page', () => {
    expect(rowRange(null)).toBe('');
    expect(rowRange({ offset: 100, rows: [] })).toBe('no rows here');
    expect(rowRange({ offset: 100, rows: [[1], [2]] })).toBe(
      `rows ${(101).toLocaleString()}–${(102).toLocaleString()}`,
    );
  });
});
