// A log pane's data: the server view it asks for (levels, filter, correlation, time range), the
// record cache with page fetches and reloads, live batches, pause, index progress and the file
// status. The pane renders from it; every request to the logs service goes through here.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { HistogramResult, PaneInfo } from '../../../../shared/contract/logs';
import { LEVELS, type LogLevel } from '../../../../shared/serilog';
import { api, ApiError } from '../../transport';
import { LiveBatchHandler } from './live-batches';
import { BLOCK } from './log-window';
import {
  buildViewParams,
  isFilteredView,
  toggleLevel as toggled,
  viewKeyOf,
  type Filter,
  type ViewParams,
} from './log-view';
import type { TimeRange } from '../../../../shared/contract/logs';
import { RecordCache } from './record-cache';

/** Records either side of the viewport the histogram strip covers (in the filtered view). */
const HISTOGRAM_SPAN = 3000;
/** Quiet time before the histogram is asked again, so scrolling does not send a request per row. */
const HISTOGRAM_DEBOUNCE_MS = 300;

/** The file name of a path (either separator: the host may be Windows). */
export function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
}

/** An error as the pane shows it: the host's message and its detail. */
export function errText(e: unknown): string {
  return e instanceof ApiError ? `${e.message}${e.detail ? ` (${e.detail})` : ''}` : String(e);
}

export interface LogView {
  levels: ReadonlySet<LogLevel>;
  toggleLevel: (l: LogLevel) => void;
  setFilter: (f: Filter | null) => void;
  range: TimeRange | null;
  setRange: (r: TimeRange | null) => void;
  viewParams: ViewParams;
  viewKey: string;
  /** The view key now, for answers that arrive later. */
  viewKeyRef: { readonly current: string };
  filtered: boolean;
  total: number;
  cache: RecordCache;
  fetchBlock: (block: number) => Promise<void>;
  reload: () => Promise<void>;
  paused: boolean;
  newCount: number;
  pause: () => void;
  /** Unpause (with a reload of the end when it was paused). */
  resume: () => void;
  status: { kind: string; text: string };
  indexing: string;
  error: string;
  setError: (e: string) => void;
}

/**
 * @param onIndexed called when the background index is done and `shift` older records were
 *   prepended, before the view reloads (the pane keeps the same records on screen).
 */
export function useLogView(
  info: PaneInfo,
  correlation: string | null,
  onIndexed: (shift: number, total: number) => void,
): LogView {
  const [levels, setLevels] = useState<ReadonlySet<LogLevel>>(() => new Set(LEVELS));
  const [filter, setFilter] = useState<Filter | null>(null);
  const [range, setRange] = useState<TimeRange | null>(null);
  const [total, setTotal] = useState(info.total);
  const [paused, setPaused] = useState(false);
  const [newCount, setNewCount] = useState(0);
  // What the tailer says about the file set; following the file is not the view following it.
  const [status, setStatus] = useState<{ kind: string; text: string }>(
    info.file
      ? { kind: 'following', text: baseName(info.file) }
      : { kind: 'waiting-for-file', text: 'Waiting for a file…' },
  );
  const [indexing, setIndexing] = useState(info.indexing ? 'Indexing older records…' : '');
  const [error, setError] = useState('');
  const [, setVersion] = useState(0);
  const cache = useRef(new RecordCache());
  const inflight = useRef(new Set<number>());
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const onIndexedRef = useRef(onIndexed);
  onIndexedRef.current = onIndexed;

  const viewParams = useMemo(
    () => buildViewParams(levels, filter, correlation, range),
    [levels, filter, correlation, range],
  );
  const filtered = isFilteredView(viewParams);
  const viewKey = viewKeyOf(viewParams);
  const viewKeyRef = useRef(viewKey);
  viewKeyRef.current = viewKey;

  const bump = () => setVersion((v) => v + 1);

  const fetchBlock = useCallback(
    async (block: number) => {
      if (inflight.current.has(block)) return;
      inflight.current.add(block);
      const key = viewKeyRef.current;
      try {
        const r = await api.invoke('logs:page', {
          paneId: info.paneId,
          fromLine: block * BLOCK,
          count: BLOCK,
          ...viewParams,
        });
        if (key !== viewKeyRef.current) return;
        r.records.forEach((rec, k) => cache.current.set(r.from + k, rec));
        if (!pausedRef.current) setTotal(r.total);
        bump();
      } catch (e) {
        setError(errText(e));
      } finally {
        inflight.current.delete(block);
      }
    },
    [info.paneId, viewParams],
  );

  /** The view's last page again; with `keep`, the rows already cached stay until it answers. */
  const loadTail = useCallback(
    async (keep: boolean) => {
      if (!keep) cache.current.clear();
      inflight.current.clear();
      const key = viewKeyRef.current;
      try {
        const r = await api.invoke('logs:page', {
          paneId: info.paneId,
          fromLine: -BLOCK,
          count: BLOCK,
          ...viewParams,
        });
        if (key !== viewKeyRef.current) return;
        r.records.forEach((rec, k) => cache.current.set(r.from + k, rec));
        setTotal(r.total);
        setError('');
        bump();
      } catch (e) {
        setError(errText(e));
      }
    },
    [info.paneId, viewParams],
  );
  const reload = useCallback(() => loadTail(false), [loadTail]);

  // A new view (filters changed): start over at the end.
  useEffect(() => {
    void reload();
  }, [viewKey, reload]);

  // Live events for this pane.
  useEffect(() => {
    const live = new LiveBatchHandler({
      paneId: info.paneId,
      filtered,
      isPaused: () => pausedRef.current,
      currentKey: () => viewKeyRef.current,
      fetchTail: () =>
        api.invoke('logs:page', { paneId: info.paneId, fromLine: -BLOCK, count: BLOCK, ...viewParams }),
      countNew: (n) => setNewCount((c) => c + n),
      placeLive: (records, t) => {
        records.forEach((r) => cache.current.set(r.index, r));
        setTotal(t);
        bump();
      },
      placeTail: (r) => {
        r.records.forEach((rec, k) => cache.current.set(r.from + k, rec));
        setTotal(r.total);
        bump();
      },
      onError: (e) => setError(errText(e)),
      now: () => Date.now(),
      schedule: (fn, ms) => setTimeout(fn, ms),
      cancel: (h) => clearTimeout(h as ReturnType<typeof setTimeout>),
    });
    const offBatch = api.on('logs:batch', (b) => live.onBatch(b));
    const offProgress = api.on('logs:index-progress', (p) => {
      if (p.paneId !== info.paneId) return;
      if (p.error) setIndexing(`Index failed: ${p.error}`);
      else if (!p.done) setIndexing(`Indexing ${Math.round((p.bytes / Math.max(1, p.totalBytes)) * 100)}%…`);
      else {
        setIndexing('');
        if (!filtered) {
          // The index prepended p.shift older records: the cached rows keep their records under
          // their new positions, so the rows on screen never blank out (a click on a row while
          // they were fetched again was lost). The tail is read again to confirm them.
          cache.current.shift(p.shift);
          setTotal(p.total);
          bump();
        }
        onIndexedRef.current(p.shift, p.total);
        void loadTail(!filtered);
      }
    });
    const offStatus = api.on('logs:pane-status', (s) => {
      if (s.paneId !== info.paneId) return;
      setStatus({ kind: s.kind, text: s.kind === 'following' && s.file ? baseName(s.file) : s.message });
      if (s.kind === 'truncated' || s.kind === 'recreated') void reload();
    });
    return () => {
      offBatch();
      offProgress();
      offStatus();
      live.dispose();
    };
  }, [info.paneId, filtered, viewParams, reload, loadTail]);

  return {
    levels,
    toggleLevel: (l) => setLevels((prev) => toggled(prev, l)),
    setFilter,
    range,
    setRange,
    viewParams,
    viewKey,
    viewKeyRef,
    filtered,
    total,
    cache: cache.current,
    fetchBlock,
    reload,
    paused,
    newCount,
    pause: () => setPaused(true),
    resume: () => {
      if (!pausedRef.current) return;
      setPaused(false);
      setNewCount(0);
      void reload();
    },
    status,
    indexing,
    error,
    setError,
  };
}

/**
 * The histogram strip's data: per-minute counts over the records around `anchor` (the first row
 * on screen), in the view the pane shows; null while the view is empty.
 */
export function useViewHistogram(
  view: LogView,
  paneId: string,
  anchor: number | null,
): HistogramResult | null {
  const [hist, setHist] = useState<HistogramResult | null>(null);
  const { viewParams, viewKeyRef, total, setError } = view;
  useEffect(() => {
    if (anchor === null) {
      setHist(null);
      return;
    }
    const key = viewKeyRef.current;
    const t = setTimeout(() => {
      api
        .invoke('logs:histogram', {
          paneId,
          fromLine: Math.max(0, anchor - HISTOGRAM_SPAN),
          toLine: anchor + HISTOGRAM_SPAN,
          ...viewParams,
        })
        .then((h) => {
          if (key === viewKeyRef.current) setHist(h);
        })
        .catch((e: unknown) => setError(errText(e)));
    }, HISTOGRAM_DEBOUNCE_MS);
    return () => clearTimeout(t);
  }, [anchor, paneId, total, viewParams, viewKeyRef, setError]);
  return hist;
}
