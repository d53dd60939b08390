// One log pane: a hand-windowed list (only visible rows are in the DOM, pages fetched on demand)
// over a server-side view, with level toggles, filter in/out, search with next/previous, follow,
// pause with a new-line count, jump to time, record details, copy, and a histogram strip.
import { useCallback, useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { HistogramResult, IndexedRecord, PaneInfo } from '../../../../shared/contract/logs';
import { LEVELS, formatRecordText, type LogLevel, type LogRecord } from '../../../../shared/serilog';
import { api, ApiError } from '../../transport';
import { useCurrentSession } from '../../state/session-store';

/** Row height in px; fixed so the window is pure arithmetic. */
const ROW = 20;
/** Rows fetched per page request. */
const BLOCK = 200;
/** Extra rows fetched above and below the viewport (only visible rows are rendered). */
const OVERSCAN = 20;
/** Browsers cap element heights (~16-33M px); past this the scrollbar maps proportionally. */
const MAX_SCROLL_PX = 8_000_000;
/** Records either side of the viewport the histogram strip covers (in the filtered view). */
const HISTOGRAM_SPAN = 3000;
/** Minimum gap between refreshes of a filtered view while following. */
const FILTERED_REFRESH_MS = 250;

const LEVEL_CLASS = ['vrb', 'dbg', 'inf', 'wrn', 'err', 'ftl', 'none'];

export interface Filter {
  text: string;
  regex: boolean;
  invert: boolean;
}

interface Props {
  /** Kept mounted (still following) but not shown: the tabs layout's inactive panes. */
  hidden?: boolean;
  info: PaneInfo;
  correlation: string | null;
  onCorrelation: (cid: string | null) => void;
  onClose: () => void;
}

function errText(e: unknown): string {
  return e instanceof ApiError ? `${e.message}${e.detail ? ` (${e.detail})` : ''}` : String(e);
}

/** Local time (what the operator's clock and Serilog's `zzz` offset show), to the millisecond. */
function timeText(t: number | null): string {
  if (t === null) return '';
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)}`;
}

function Highlight({ text, re }: { text: string; re: RegExp | null }) {
  if (!re) return <>{text}</>;
  const parts: ReactElement[] = [];
  let last = 0;
  re.lastIndex = 0;
  for (let m = re.exec(text); m && parts.length < 50; m = re.exec(text)) {
    if (m[0].length === 0) {
      re.lastIndex++;
      continue;
    }
    parts.push(
      <span key={`t${last}`}>{text.slice(last, m.index)}</span>,
      <mark key={`m${m.index}`}>{m[0]}</mark>,
    );
    last = m.index + m[0].length;
  }
  parts.push(<span key="rest">{text.slice(last)}</span>);
  return <>{parts}</>;
}

function HistogramStrip({ data }: { data: HistogramResult | null }) {
  if (!data || data.buckets.length === 0) return <div className="logs-hist empty" />;
  const max = Math.max(...data.buckets.map((b) => b.counts.reduce((a, c) => a + c, 0)));
  const w = 100 / data.buckets.length;
  return (
    <svg
      className="logs-hist"
      viewBox="0 0 100 24"
      preserveAspectRatio="none"
      aria-label="records per minute by level"
    >
      {data.buckets.map((b, i) => {
        let y = 24;
        return (
          <g key={b.t}>
            <title>{`${timeText(b.t).slice(0, 16)}: ${LEVELS.map((l, k) => `${l} ${b.counts[k]}`).join(', ')}`}</title>
            {b.counts.map((c, k) => {
              if (c === 0) return null;
              const h = (c / max) * 24;
              y -= h;
              return (
                <rect
                  key={k}
                  className={`lv-${LEVEL_CLASS[k]}`}
                  x={i * w}
                  y={y}
                  width={Math.max(w - 0.2, 0.1)}
                  height={h}
                />
              );
            })}
          </g>
        );
      })}
    </svg>
  );
}

export default function LogPane({ info, correlation, onCorrelation, onClose, hidden = false }: Props) {
  const [levels, setLevels] = useState<Set<LogLevel>>(() => new Set(LEVELS));
  const [filterDraft, setFilterDraft] = useState<Filter>({ text: '', regex: false, invert: false });
  const [filter, setFilter] = useState<Filter | null>(null);
  const [search, setSearch] = useState({ text: '', regex: false });
  const [matches, setMatches] = useState<{ list: number[]; total: number; at: number } | null>(null);
  const [total, setTotal] = useState(info.total);
  const [follow, setFollow] = useState(true);
  const [paused, setPaused] = useState(false);
  const [newCount, setNewCount] = useState(0);
  const [status, setStatus] = useState<string>(info.file ? `Following ${info.file}` : 'Waiting for a file…');
  const [indexing, setIndexing] = useState(info.indexing ? 'Indexing older records…' : '');
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<LogRecord | null>(null);
  const [hist, setHist] = useState<HistogramResult | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const [, setVersion] = useState(0);
  const cache = useRef(new Map<number, IndexedRecord>());
  const inflight = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const followRef = useRef(follow);
  followRef.current = follow;

  // The server view: levels (undefined = all) and one text filter (a correlation id wins).
  const viewParams = useMemo(() => {
    const lv = levels.size === LEVELS.length ? undefined : [...levels];
    const f = correlation
      ? { text: correlation, regex: false, caseSensitive: true, invert: false }
      : filter
        ? { text: filter.text, regex: filter.regex, caseSensitive: false, invert: filter.invert }
        : undefined;
    return { levels: lv, filter: f };
  }, [levels, filter, correlation]);
  const filtered = viewParams.levels !== undefined || viewParams.filter !== undefined;
  const viewKey = JSON.stringify(viewParams);
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

  const reload = useCallback(async () => {
    cache.current.clear();
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
  }, [info.paneId, viewParams]);

  // A new view (filters changed): start over at the end.
  useEffect(() => {
    setMatches(null);
    void reload();
  }, [viewKey, reload]);

  // Live events for this pane.
  useEffect(() => {
    let lastRefresh = 0;
    let timer: ReturnType<typeof setTimeout> | null = null;
    const offBatch = api.on('logs:batch', (b) => {
      if (b.paneId !== info.paneId) return;
      if (pausedRef.current) {
        setNewCount((n) => n + b.records.length);
        return;
      }
      if (!filtered) {
        b.records.forEach((r) => cache.current.set(r.index, r));
        setTotal(b.total);
        bump();
        return;
      }
      // Filtered: ask the server for the tail of the view, at most every FILTERED_REFRESH_MS.
      const wait = Math.max(0, lastRefresh + FILTERED_REFRESH_MS - Date.now());
      if (!timer) {
        timer = setTimeout(() => {
          timer = null;
          lastRefresh = Date.now();
          void (async () => {
            try {
              const r = await api.invoke('logs:page', {
                paneId: info.paneId,
                fromLine: -BLOCK,
                count: BLOCK,
                ...viewParams,
              });
              r.records.forEach((rec, k) => cache.current.set(r.from + k, rec));
              setTotal(r.total);
              bump();
            } catch (e) {
              setError(errText(e));
            }
          })();
        }, wait);
      }
    });
    const offProgress = api.on('logs:index-progress', (p) => {
      if (p.paneId !== info.paneId) return;
      if (p.error) setIndexing(`Index failed: ${p.error}`);
      else if (!p.done) setIndexing(`Indexing ${Math.round((p.bytes / Math.max(1, p.totalBytes)) * 100)}%…`);
      else {
        setIndexing('');
        // Older records were prepended: keep the same records on screen.
        if (!followRef.current && p.shift > 0 && scroller.current && p.total * ROW <= MAX_SCROLL_PX) {
          scroller.current.scrollTop += p.shift * ROW;
        }
        void reload();
      }
    });
    const offStatus = api.on('logs:pane-status', (s) => {
      if (s.paneId !== info.paneId) return;
      setStatus(s.message);
      if (s.kind === 'truncated' || s.kind === 'recreated') void reload();
    });
    return () => {
      offBatch();
      offProgress();
      offStatus();
      if (timer) clearTimeout(timer);
    };
  }, [info.paneId, filtered, viewParams, reload]);

  // Viewport size.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    setHeight(el.clientHeight);
    return () => ro.disconnect();
  }, []);

  // Windowing arithmetic (proportional past MAX_SCROLL_PX).
  const visible = Math.ceil(height / ROW) + 1;
  const contentPx = Math.min(total * ROW, MAX_SCROLL_PX);
  const scaled = total * ROW > MAX_SCROLL_PX;
  const maxTop = Math.max(1, contentPx - height);
  // The browser clamps scrollTop when a view shrinks (a filter applied) without always firing a
  // scroll event: clamp the remembered value the same way, or the first rows would be skipped.
  const top = Math.min(scrollTop, Math.max(0, contentPx - height));
  const firstFloat = scaled ? (top / maxTop) * Math.max(0, total - visible + 1) : top / ROW;
  const first = Math.max(0, Math.floor(firstFloat));
  const from = Math.max(0, first - OVERSCAN);
  const to = Math.min(total, first + visible + OVERSCAN);
  const frac = firstFloat - first;

  // Follow: stick to the bottom whenever the total grows.
  useEffect(() => {
    if (follow && !paused && scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
  }, [total, follow, paused]);

  // Fetch missing rows of the window.
  useEffect(() => {
    for (let b = Math.floor(from / BLOCK); b <= Math.floor(Math.max(from, to - 1) / BLOCK); b++) {
      let missing = false;
      for (let i = b * BLOCK; i < Math.min(to, (b + 1) * BLOCK); i++)
        if (!cache.current.has(i)) missing = true;
      if (missing) void fetchBlock(b);
    }
  });

  // Histogram strip over the records around the viewport, counting what the pane shows: the
  // positions are in the filtered view and the same levels/filter apply.
  const anchor = total > 0 ? first : null;
  useEffect(() => {
    if (anchor === null) {
      setHist(null);
      return;
    }
    const key = viewKeyRef.current;
    const t = setTimeout(() => {
      api
        .invoke('logs:histogram', {
          paneId: info.paneId,
          fromLine: Math.max(0, anchor - HISTOGRAM_SPAN),
          toLine: anchor + HISTOGRAM_SPAN,
          ...viewParams,
        })
        .then((h) => {
          if (key === viewKeyRef.current) setHist(h);
        })
        .catch((e: unknown) => setError(errText(e)));
    }, 300);
    return () => clearTimeout(t);
  }, [anchor, info.paneId, total, viewParams]);

  const highlightRe = useMemo(() => {
    if (!search.text) return null;
    try {
      return new RegExp(
        search.regex ? search.text : search.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'),
        'gi',
      );
    } catch {
      return null;
    }
  }, [search]);

  const scrollToRow = (row: number) => {
    const el = scroller.current;
    if (!el) return;
    setFollow(false);
    const target = scaled ? (row / Math.max(1, total - visible + 1)) * maxTop : row * ROW - height / 3;
    el.scrollTop = Math.max(0, target);
  };

  const runSearch = async () => {
    if (!search.text) {
      setMatches(null);
      return;
    }
    try {
      const r = await api.invoke('logs:search', {
        paneId: info.paneId,
        pattern: search.text,
        regex: search.regex,
        ...viewParams,
      });
      setMatches({ list: r.matches, total: r.total, at: r.matches.length ? r.matches.length - 1 : -1 });
      if (r.matches.length) scrollToRow(r.matches[r.matches.length - 1]);
      setError('');
    } catch (e) {
      setError(errText(e));
    }
  };

  const step = (d: 1 | -1) => {
    if (!matches || matches.list.length === 0) return;
    const at = (matches.at + d + matches.list.length) % matches.list.length;
    setMatches({ ...matches, at });
    scrollToRow(matches.list[at]);
  };

  const jumpToTime = async (value: string) => {
    const t = Date.parse(value);
    if (Number.isNaN(t)) return;
    try {
      const r = await api.invoke('logs:seek-time', { paneId: info.paneId, time: t, ...viewParams });
      scrollToRow(r.index);
    } catch (e) {
      setError(errText(e));
    }
  };

  const expand = async (r: LogRecord) => {
    setSelected(r);
    if (r.truncated) {
      try {
        setSelected(await api.invoke('logs:record', { paneId: info.paneId, offset: r.offset, file: r.file }));
      } catch (e) {
        setError(errText(e));
      }
    }
  };

  const toggleLevel = (l: LogLevel) =>
    setLevels((prev) => {
      const next = new Set(prev);
      if (next.has(l)) next.delete(l);
      else next.add(l);
      return next.size === 0 ? prev : next;
    });

  const rows: ReactElement[] = [];
  for (let i = first; i < Math.min(total, first + visible + 1); i++) {
    const r = cache.current.get(i);
    const isMatch = matches !== null && matches.at >= 0 && matches.list[matches.at] === i;
    rows.push(
      <div
        key={i}
        className={`logs-row lv-${LEVEL_CLASS[r?.level ? LEVELS.indexOf(r.level) : 6]}${isMatch ? ' current' : ''}${selected && r && selected.offset === r.offset && selected.file === r.file ? ' selected' : ''}`}
        style={{ top: (i - first - frac) * ROW }}
        onClick={() => r && void expand(r)}
        data-testid="log-row"
      >
        {r ? (
          <>
            <span className="t">{timeText(r.time).slice(11)}</span>
            <span className="lv">{r.level ?? ''}</span>
            {r.correlationId ? (
              <button
                className="cid link"
                title="Filter every pane by this correlation id"
                onClick={(e) => {
                  e.stopPropagation();
                  onCorrelation(r.correlationId);
                }}
              >
                {r.correlationId.slice(0, 12)}
              </button>
            ) : (
              <span className="cid" />
            )}
            <span className="msg">
              <Highlight text={r.message.split('\n')[0]} re={highlightRe} />
              {r.lineCount > 1 || r.exception ? <span className="more"> +{r.lineCount - 1}</span> : null}
              {r.truncated ? <span className="more"> (cut)</span> : null}
            </span>
          </>
        ) : (
          <span className="dim">…</span>
        )}
      </div>,
    );
  }

  return (
    <section className="logs-pane" data-testid={`log-pane-${info.title}`} hidden={hidden}>
      <header className="logs-head">
        <strong title={`${info.dir}/${info.pattern}`}>{info.title}</strong>
        <span className="dim mono">{info.format}</span>
        <span className="dim status" title={status}>
          {status}
        </span>
        {indexing ? <span className="badge">{indexing}</span> : null}
        <span className="spacer" />
        <button className="ghost" onClick={onClose} aria-label="Close pane">
          ×
        </button>
      </header>
      <div className="logs-tools">
        <span className="levels" role="group" aria-label="Levels">
          {LEVELS.map((l) => (
            <button
              key={l}
              className={`lvbtn lv-${l.toLowerCase()}`}
              aria-pressed={levels.has(l)}
              onClick={() => toggleLevel(l)}
            >
              {l}
            </button>
          ))}
        </span>
        <form
          className="filter"
          onSubmit={(e) => {
            e.preventDefault();
            setFilter(filterDraft.text ? { ...filterDraft } : null);
          }}
        >
          <input
            placeholder="filter"
            value={filterDraft.text}
            onChange={(e) => setFilterDraft({ ...filterDraft, text: e.target.value })}
            aria-label="Filter text"
          />
          <label title="Regular expression">
            <input
              type="checkbox"
              checked={filterDraft.regex}
              onChange={(e) => setFilterDraft({ ...filterDraft, regex: e.target.checked })}
            />
            .*
          </label>
          <select
            value={filterDraft.invert ? 'out' : 'in'}
            onChange={(e) => setFilterDraft({ ...filterDraft, invert: e.target.value === 'out' })}
            aria-label="Filter mode"
          >
            <option value="in">in</option>
            <option value="out">out</option>
          </select>
          <button type="submit">Apply</button>
        </form>
        <form
          className="search"
          onSubmit={(e) => {
            e.preventDefault();
            void runSearch();
          }}
        >
          <input
            placeholder="search"
            value={search.text}
            onChange={(e) => setSearch({ ...search, text: e.target.value })}
            aria-label="Search text"
          />
          <label title="Regular expression">
            <input
              type="checkbox"
              checked={search.regex}
              onChange={(e) => setSearch({ ...search, regex: e.target.checked })}
            />
            .*
          </label>
          <button type="button" onClick={() => step(-1)} aria-label="Previous match">
            ↑
          </button>
          <button type="button" onClick={() => step(1)} aria-label="Next match">
            ↓
          </button>
          {matches ? (
            <span className="dim">
              {matches.total === 0 ? 'no match' : `${matches.at + 1}/${matches.total}`}
            </span>
          ) : null}
        </form>
        <input
          type="datetime-local"
          step="1"
          aria-label="Jump to time"
          onChange={(e) => void jumpToTime(e.target.value)}
        />
        <label>
          <input type="checkbox" checked={follow} onChange={(e) => setFollow(e.target.checked)} /> follow
        </label>
        <button
          onClick={() => {
            if (paused) {
              setPaused(false);
              setNewCount(0);
              void reload();
            } else setPaused(true);
          }}
        >
          {paused ? `Resume${newCount ? ` (${newCount} new)` : ''}` : 'Pause'}
        </button>
      </div>
      {correlation ? (
        <div className="logs-chip">
          correlation <code>{correlation}</code>{' '}
          <button className="link" onClick={() => onCorrelation(null)}>
            clear
          </button>
        </div>
      ) : null}
      <HistogramStrip data={hist} />
      {error ? <div className="logs-error">{error}</div> : null}
      <div
        className="logs-scroll"
        ref={scroller}
        onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}
        // Only the user's own scrolling up leaves follow mode (a shrinking view must not).
        onWheel={(e) => {
          if (e.deltaY < 0 && followRef.current) setFollow(false);
        }}
        onKeyDown={(e) => {
          if (['ArrowUp', 'PageUp', 'Home'].includes(e.key) && followRef.current) setFollow(false);
        }}
        onPointerDown={(e) => {
          const r = e.currentTarget.getBoundingClientRect();
          if (e.clientX > r.right - 18 && followRef.current) setFollow(false);
        }}
        tabIndex={0}
      >
        {/* A sticky viewport holds the rows; the spacer below gives the scrollbar its length. */}
        <div className="logs-viewport">
          {rows}
          {total === 0 ? (
            <div className="logs-empty dim">
              {filtered ? 'No records match the filters.' : 'No records yet.'}
            </div>
          ) : null}
        </div>
        <div className="logs-spacer" style={{ height: Math.max(0, contentPx - height) }} />
      </div>
      {selected ? (
        <div className="logs-detail">
          <div className="logs-detail-head">
            <span className="mono">
              {selected.file}@{selected.offset} · {timeText(selected.time)} · {selected.level ?? '-'}
            </span>
            <span className="spacer" />
            <button onClick={() => void navigator.clipboard.writeText(formatRecordText(selected))}>
              Copy
            </button>
            <PinButton record={selected} />
            <button className="ghost" onClick={() => setSelected(null)} aria-label="Close details">
              ×
            </button>
          </div>
          <pre className="mono">{selected.message}</pre>
          {selected.exception ? <pre className="mono exc">{selected.exception}</pre> : null}
          {selected.properties ? (
            <pre className="mono props">{JSON.stringify(selected.properties, null, 2)}</pre>
          ) : null}
        </div>
      ) : null}
    </section>
  );
}

/** Longest record text a pin keeps (the contract's limit): the report shows the record itself. */
const PIN_TEXT_MAX = 16_384;

/**
 * Pins the record to the session that records now, as evidence on its timeline (file, line, time,
 * level, text). Shown only while a session records; says what happened, or why not.
 */
function PinButton({ record }: { record: LogRecord }): ReactElement | null {
  const { id } = useCurrentSession();
  const [state, setState] = useState<{ key: string; text: string } | null>(null);
  const key = `${record.file}@${record.offset}`;
  if (!id) return null;
  const shown = state?.key === key ? state.text : null;
  const pin = () => {
    const text = formatRecordText(record);
    void api
      .invoke('walkthrough:record', {
        id,
        event: {
          type: 'log-pin',
          file: record.file,
          offset: record.offset,
          level: record.level ?? '-',
          timestamp: record.time === null ? '-' : new Date(record.time).toISOString(),
          text: text.length > PIN_TEXT_MAX ? text.slice(0, PIN_TEXT_MAX - 1) + '…' : text,
        },
      })
      .then(
        () => setState({ key, text: 'Pinned' }),
        (err: unknown) => setState({ key, text: `Not pinned: ${err instanceof Error ? err.message : String(err)}` }),
      );
  };
  return (
    <>
      <button onClick={pin} title="Put this record on the recording session's timeline, as evidence" disabled={shown === 'Pinned'}>
        {shown === 'Pinned' ? 'Pinned' : 'Pin to session'}
      </button>
      {shown && shown !== 'Pinned' ? (
        <span className="logs-pin-error" role="alert">
          {shown}
        </span>
      ) : null}
    </>
  );
}
