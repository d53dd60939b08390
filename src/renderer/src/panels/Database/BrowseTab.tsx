// The Browse tab: pick a table or ready view, page through it (First/Previous/Next, go to a row),
// sort by a column and filter on one; db-browse.ts holds the rules, this component the state.
import { useCallback, useEffect, useState } from 'react';
import type { DbOverview, FilterOp, ReadyView, RowsPage } from '../../../../shared/contract/database';
import { filterOps } from '../../../../shared/contract/database';
import { api, ApiError } from '../../transport';
import {
  isViewSource,
  jumpRequest,
  nextSort,
  NO_FILTER,
  pagerMoves,
  pageQuery,
  rowRange,
  VIEW_PREFIX,
  type ColumnFilter,
  type PageRequest,
  type Sort,
} from './db-browse';
import { ErrorBox, newId, toApiError } from './db-common';
import ResultTable from './ResultTable';

export default function BrowseTab({ overview }: { overview: DbOverview | null }) {
  const [source, setSource] = useState<string>('');
  const [views, setViews] = useState<ReadyView[]>([]);
  const [page, setPage] = useState<RowsPage | null>(null);
  const [request, setRequest] = useState<PageRequest>({ offset: 0 });
  const [jumpTo, setJumpTo] = useState('');
  const [sort, setSort] = useState<Sort>();
  const [filter, setFilter] = useState<ColumnFilter>(NO_FILTER);
  const [applied, setApplied] = useState<ColumnFilter | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const [busy, setBusy] = useState<string | null>(null);

  useEffect(() => {
    api.invoke('db:views', {}).then(setViews, (e) => setError(toApiError(e)));
  }, [overview]);

  const isView = isViewSource(source);
  const load = useCallback(async () => {
    if (!source) return;
    const requestId = newId('rows');
    setBusy(requestId);
    setError(null);
    try {
      const q = pageQuery(source, request, sort, applied);
      setPage(
        q.kind === 'view'
          ? await api.invoke('db:view', { ...q.params, requestId })
          : await api.invoke('db:rows', { ...q.params, requestId }),
      );
    } catch (e) {
      setError(toApiError(e));
    } finally {
      setBusy(null);
    }
  }, [source, request, sort, applied]);

  useEffect(() => {
    void load();
  }, [load]);

  const moves = pagerMoves(isView, page);
  const first = () => setRequest({ offset: 0 });
  const prev = () => moves.prev && setRequest(moves.prev);
  const next = () => moves.next && setRequest(moves.next);
  const jump = () => {
    const r = jumpRequest(jumpTo);
    if ('error' in r) setError(new ApiError({ code: 'bad-request', ...r.error }));
    else setRequest(r);
  };
  const table = overview?.tables.find((t) => t.name === source);
  const resetTo = (s: string) => {
    setSource(s);
    setPage(null);
    setRequest({ offset: 0 });
    setSort(undefined);
    setApplied(null);
    setFilter(NO_FILTER);
  };
  return (
    <div className="db-browse">
      <div className="db-toolbar">
        <select
          aria-label="Table or view"
          className="db-source"
          value={source}
          onChange={(e) => resetTo(e.target.value)}
        >
          <option value="">Choose a table or view…</option>
          <optgroup label="Ready views">
            {views.map((v) => (
              <option
                key={v.id}
                value={`${VIEW_PREFIX}${v.id}`}
                disabled={!v.available}
                title={v.reason ?? v.description}
              >
                {v.title}
                {v.available ? '' : ' (unavailable)'}
              </option>
            ))}
          </optgroup>
          <optgroup label="Tables">
            {overview?.tables.map((t) => (
              <option key={t.name} value={t.name}>
                {t.name}
                {t.type === 'view' ? ' (view)' : ''}
              </option>
            ))}
          </optgroup>
        </select>
        {busy && <button onClick={() => api.invoke('db:cancel', { requestId: busy })}>Cancel</button>}
      </div>
      {table && (
        <form
          className="db-toolbar"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(filter.column ? filter : null);
            setRequest({ offset: 0 });
          }}
        >
          <select
            aria-label="Filter column"
            value={filter.column}
            onChange={(e) => setFilter({ ...filter, column: e.target.value })}
          >
            <option value="">filter column…</option>
            {table.columns.map((c) => (
              <option key={c.name} value={c.name}>
                {c.name}
              </option>
            ))}
          </select>
          <select
            aria-label="Filter operator"
            value={filter.op}
            onChange={(e) => setFilter({ ...filter, op: e.target.value as FilterOp })}
          >
            {filterOps.map((o) => (
              <option key={o} value={o}>
                {o}
              </option>
            ))}
          </select>
          {filter.op !== 'is-null' && filter.op !== 'not-null' && (
            <input
              aria-label="Filter value"
              className="db-filter-value"
              value={filter.value}
              onChange={(e) => setFilter({ ...filter, value: e.target.value })}
              placeholder="value"
            />
          )}
          <button type="submit">{filter.column ? 'Apply' : applied ? 'Clear filter' : 'Apply'}</button>
        </form>
      )}
      {source && (
        <div className="db-toolbar db-pager">
          <button title="First page" aria-label="First page" disabled={!moves.prev} onClick={first}>
            «
          </button>
          <button title="Previous page" aria-label="Previous page" disabled={!moves.prev} onClick={prev}>
            ◀
          </button>
          <span className="db-range">{rowRange(page)}</span>
          <button title="Next page" aria-label="Next page" disabled={!moves.next} onClick={next}>
            ▶
          </button>
          {!isView && (
            <form
              className="db-jump"
              onSubmit={(e) => {
                e.preventDefault();
                jump();
              }}
            >
              <input
                aria-label="Go to row"
                inputMode="numeric"
                placeholder="row #"
                value={jumpTo}
                onChange={(e) => setJumpTo(e.target.value)}
              />
              <button type="submit">Go</button>
            </form>
          )}
          {page && <span className="db-dim">{page.elapsedMs} ms</span>}
        </div>
      )}
      {isView && (
        <div className="db-dim">{views.find((v) => `${VIEW_PREFIX}${v.id}` === source)?.description}</div>
      )}
      {page?.paging?.mode === 'offset' && (
        <div className="db-note" role="note">
          {page.paging.reason}
        </div>
      )}
      {page?.paging?.mode === 'keyset' && page.paging.order.length > 0 && (
        <div className="db-dim">
          ordered by {page.paging.order.join(', ')}
          {sort ? '' : ' (click a column to sort)'}
        </div>
      )}
      <ErrorBox error={error} />
      {page && (
        <ResultTable
          columns={page.columns}
          rows={page.rows}
          sort={sort}
          onSort={
            isView
              ? undefined
              : (column) => {
                  setSort(nextSort(sort, column));
                  setRequest({ offset: 0 });
                }
          }
        />
      )}
    </div>
  );
}
