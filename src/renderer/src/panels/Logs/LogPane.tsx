// One log pane: a hand-windowed list (only visible rows are in the DOM, pages fetched on demand)
// over a server-side view, with level toggles, filter in/out, search with next/previous, follow
// (its state always in the header), pause with a new-line count, jump to time, record details,
// copy, and a histogram strip; the toolbar moves what does not fit into an overflow menu.
import { useCallback, useEffect, useLayoutEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { HistogramResult, PaneInfo } from '../../../../shared/contract/logs';
import { LEVELS, formatRecordText, type LogLevel, type LogRecord } from '../../../../shared/serilog';
import { api, ApiError } from '../../transport';
import { useCurrentSession } from '../../state/session-store';
import HistogramStrip from './HistogramStrip';
import { binLabel } from './histogram-bins';
import { RecordCache } from './record-cache';

/** Row height in px; fixed so the window is pure arithmetic. */
const ROW = 20;
/** Row height in a narrow pane, where the message gets a line of its own under time and level. */
const ROW_TWO_LINE = 36;
/** Below this pane width a one-line row would leave the message a dozen characters. */
const NARROW_PANE_PX = 440;
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
/** Records read around the selected one to tell whether a new view still holds it. */
const DETAIL_CHECK_ROWS = 200;

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
  /** The files are an opened bundle's, recorded at this time (ISO): nothing new will arrive. */
  bundleAsOf?: string | null;
}

/** A time range as the chip shows it: clock times, with the day when it is not today. */
function rangeText(from: number, to: number): string {
  const day = (t: number) => timeText(t).slice(0, 10);
  const today = day(Date.now());
  const at = (t: number) => (day(t) === today ? binLabel(t, 1) : `${day(t).slice(5)} ${binLabel(t, 1)}`);
  return `${at(from)}–${at(to)}`;
}

/** The file name of a path (either separator: the host may be Windows). */
function baseName(p: string): string {
  return p.split(/[\\/]/).pop() ?? p;
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

export default function LogPane({ info, correlation, onCorrelation, onClose, hidden = false, bundleAsOf = null }: Props) {
  const [levels, setLevels] = useState<Set<LogLevel>>(() => new Set(LEVELS));
  const [filterDraft, setFilterDraft] = useState<Filter>({ text: '', regex: false, invert: false });
  const [filter, setFilter] = useState<Filter | null>(null);
  /** Time range [from, to) chosen by dragging across the histogram. */
  const [range, setRange] = useState<{ from: number; to: number } | null>(null);
  const [search, setSearch] = useState({ text: '', regex: false });
  const [matches, setMatches] = useState<{ list: number[]; total: number; at: number } | null>(null);
  const [total, setTotal] = useState(info.total);
  const [follow, setFollow] = useState(true);
  const [paused, setPaused] = useState(false);
  const [newCount, setNewCount] = useState(0);
  // What the tailer says about the file set; following the file is not the view following it.
  const [status, setStatus] = useState<{ kind: string; text: string }>(
    info.file ? { kind: 'following', text: baseName(info.file) } : { kind: 'waiting-for-file', text: 'Waiting for a file…' },
  );
  const [indexing, setIndexing] = useState(info.indexing ? 'Indexing older records…' : '');
  const [error, setError] = useState('');
  const [selected, setSelected] = useState<LogRecord | null>(null);
  const [hist, setHist] = useState<HistogramResult | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const [narrow, setNarrow] = useState(false);
  const row = narrow ? ROW_TWO_LINE : ROW;
  const rowRef = useRef(row);
  rowRef.current = row;
  const [, setVersion] = useState(0);
  const cache = useRef(new RecordCache());
  const inflight = useRef(new Set<number>());
  const scroller = useRef<HTMLDivElement>(null);
  const pausedRef = useRef(paused);
  pausedRef.current = paused;
  const followRef = useRef(follow);
  followRef.current = follow;
  const selectedRef = useRef(selected);
  selectedRef.current = selected;

  // The server view: levels (undefined = all) and one text filter (a correlation id wins).
  const viewParams = useMemo(() => {
    const lv = levels.size === LEVELS.length ? undefined : [...levels];
    const f = correlation
      ? { text: correlation, regex: false, caseSensitive: true, invert: false }
      : filter
        ? { text: filter.text, regex: filter.regex, caseSensitive: false, invert: filter.invert }
        : undefined;
    return { levels: lv, filter: f, range: range ?? undefined };
  }, [levels, filter, correlation, range]);
  const filtered = viewParams.levels !== undefined || viewParams.filter !== undefined || viewParams.range !== undefined;
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

  // The details follow the filter: a record the new view hides leaves the details panel. The
  // record is looked up in the view by its time (seek), then by file and offset among its rows.
  useEffect(() => {
    const sel = selectedRef.current;
    if (!sel) return;
    if (sel.time === null) {
      setSelected(null);
      return;
    }
    let current = true;
    const time = sel.time;
    void (async () => {
      try {
        const { index } = await api.invoke('logs:seek-time', { paneId: info.paneId, time, ...viewParams });
        const r = await api.invoke('logs:page', {
          paneId: info.paneId,
          fromLine: index,
          count: DETAIL_CHECK_ROWS,
          ...viewParams,
        });
        const still = r.records.some((x) => x.file === sel.file && x.offset === sel.offset);
        if (current && !still && selectedRef.current === sel) setSelected(null);
      } catch (e) {
        if (current) setError(errText(e));
      }
    })();
    return () => {
      current = false;
    };
  }, [viewKey, viewParams, info.paneId]);

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
        if (!followRef.current && p.shift > 0 && scroller.current && p.total * rowRef.current <= MAX_SCROLL_PX) {
          scroller.current.scrollTop += p.shift * rowRef.current;
        }
        void reload();
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
      if (timer) clearTimeout(timer);
    };
  }, [info.paneId, filtered, viewParams, reload]);

  // Viewport size.
  useEffect(() => {
    const el = scroller.current;
    if (!el) return;
    const size = () => {
      setHeight(el.clientHeight);
      setNarrow(el.clientWidth > 0 && el.clientWidth < NARROW_PANE_PX);
    };
    const ro = new ResizeObserver(size);
    ro.observe(el);
    size();
    return () => ro.disconnect();
  }, []);

  // Windowing arithmetic (proportional past MAX_SCROLL_PX).
  const visible = Math.ceil(height / row) + 1;
  const contentPx = Math.min(total * row, MAX_SCROLL_PX);
  const scaled = total * row > MAX_SCROLL_PX;
  const maxTop = Math.max(1, contentPx - height);
  // The browser clamps scrollTop when a view shrinks (a filter applied) without always firing a
  // scroll event: clamp the remembered value the same way, or the first rows would be skipped.
  const top = Math.min(scrollTop, Math.max(0, contentPx - height));
  const firstFloat = scaled ? (top / maxTop) * Math.max(0, total - visible + 1) : top / row;
  const first = Math.max(0, Math.floor(firstFloat));
  const from = Math.max(0, first - OVERSCAN);
  const to = Math.min(total, first + visible + OVERSCAN);
  const frac = firstFloat - first;
  cache.current.setFocus(first);

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

  const rowHeight = row;
  const scrollToRow = (row: number) => {
    const el = scroller.current;
    if (!el) return;
    setFollow(false);
    const target = scaled ? (row / Math.max(1, total - visible + 1)) * maxTop : row * rowHeight - height / 3;
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
    await seekTo(t);
  };

  const seekTo = async (t: number) => {
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

  /** Back to the live end: follow on, pause off, the newest rows in view. */
  const jumpToLive = () => {
    setFollow(true);
    if (paused) {
      setPaused(false);
      setNewCount(0);
      void reload();
    }
    if (scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
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
        className={`logs-row${narrow ? ' two-line' : ''} lv-${LEVEL_CLASS[r?.level ? LEVELS.indexOf(r.level) : 6]}${isMatch ? ' current' : ''}${selected && r && selected.offset === r.offset && selected.file === r.file ? ' selected' : ''}`}
        style={{ top: (i - first - frac) * row, height: row }}
        onClick={() => r && void expand(r)}
        data-testid="log-row"
        data-time={r?.time ?? undefined}
      >
        {r ? (
          <>
            <span className="t">
              {timeText(r.time).slice(11, 19)}
              <span className="ms">{timeText(r.time).slice(19)}</span>
            </span>
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
                <span className="cid-text">{r.correlationId.slice(0, 12)}</span>
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

  // The toolbar's groups in the order they give way: the last ones move to the menu first.
  const groups: Array<{ key: string; node: ReactElement }> = [
    {
      key: 'search',
      node: (
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
          <button type="button" onClick={() => step(-1)} aria-label="Previous match" title="Previous match">
            ↑
          </button>
          <button type="button" onClick={() => step(1)} aria-label="Next match" title="Next match">
            ↓
          </button>
          {matches ? (
            <span className="dim" data-testid="search-count">
              {matches.total === 0 ? 'no match' : `${matches.at + 1}/${matches.total}`}
            </span>
          ) : null}
        </form>
      ),
    },
    {
      key: 'levels',
      node: (
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
      ),
    },
    {
      key: 'filter',
      node: (
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
      ),
    },
    {
      key: 'time',
      node: (
        <label className="jump-time">
          <span className="dim">Jump to</span>
          <input
            type="datetime-local"
            step="1"
            aria-label="Jump to time"
            onChange={(e) => void jumpToTime(e.target.value)}
          />
        </label>
      ),
    },
  ];

  return (
    <section
      className="logs-pane"
      data-testid={`log-pane-${info.title}`}
      data-cache-size={cache.current.size}
      hidden={hidden}
    >
      <header className="logs-head">
        <strong title={`${info.dir}/${info.pattern}`}>{info.title}</strong>
        <span className="dim mono">{info.format}</span>
        <span className="dim status" title={status.text}>
          {status.text}
        </span>
        {indexing ? <span className="badge">{indexing}</span> : null}
        <span className="spacer" />
        <FollowState
          bundleAsOf={bundleAsOf}
          follow={follow}
          paused={paused}
          newCount={newCount}
          onPause={() => setPaused(true)}
          onLive={jumpToLive}
        />
        <button className="ghost" onClick={onClose} aria-label="Close pane">
          ×
        </button>
      </header>
      <Toolbar groups={groups} />
      {correlation || range ? (
        <div className="logs-chips">
          {correlation ? (
            <span className="logs-chip">
              correlation <code>{correlation}</code>{' '}
              <button className="link" onClick={() => onCorrelation(null)}>
                clear
              </button>
            </span>
          ) : null}
          {range ? (
            <span className="logs-chip" data-testid="range-chip">
              time {rangeText(range.from, range.to)}{' '}
              <button className="link" onClick={() => setRange(null)} aria-label="Remove the time range filter">
                ×
              </button>
            </span>
          ) : null}
        </div>
      ) : null}
      <HistogramStrip
        data={hist}
        onJump={(t) => void seekTo(t)}
        onRange={(from, to) => {
          setRange({ from, to });
          // A range that ended gets no new records: the view is not live, and the header says so.
          if (to <= Date.now()) setFollow(false);
        }}
      />
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

/**
 * Whether the pane shows the live end: "Live" with Pause, or why not (paused, scrolled away, a
 * search or time jump) with the one click back. Every way of leaving follow ends up shown here.
 */
function FollowState(p: {
  bundleAsOf: string | null;
  follow: boolean;
  paused: boolean;
  newCount: number;
  onPause: () => void;
  onLive: () => void;
}): ReactElement {
  const live = p.follow && !p.paused;
  if (p.bundleAsOf !== null) {
    // A bundle's logs end where the customer's machine was when it was made: there is no live end.
    return (
      <span className="logs-follow away" data-testid="follow-state">
        <span className="logs-follow-text" role="status" title="An opened support bundle: its log files do not grow">
          Bundle · as of {p.bundleAsOf.replace('T', ' ').slice(0, 19)} UTC · no follow
        </span>
      </span>
    );
  }
  return (
    <span className={`logs-follow${live ? ' live' : ' away'}`} data-testid="follow-state">
      <span className="logs-follow-text" role="status">
        {live ? '● Live' : p.paused ? `Paused${p.newCount ? ` · ${p.newCount} new` : ''}` : 'Not following'}
      </span>
      {live ? (
        <button onClick={p.onPause} title="Stop the view; new records are counted">
          Pause
        </button>
      ) : (
        <button className="primary" onClick={p.onLive} title="Follow the newest records again">
          Jump to live
        </button>
      )}
    </span>
  );
}

/** Room the ⋯ menu button takes (its width, ~30 px, and a little slack). */
const MENU_BUTTON_PX = 34;

/**
 * One row of tool groups; the groups that do not fit the pane's width are hidden there and shown
 * in an overflow menu instead. Widths are measured once per group (they do not change).
 */
function Toolbar({ groups }: { groups: Array<{ key: string; node: ReactElement }> }): ReactElement {
  const bar = useRef<HTMLDivElement>(null);
  const widths = useRef(new Map<string, number>());
  const [fit, setFit] = useState(groups.length);
  const [open, setOpen] = useState(false);
  const keys = groups.map((g) => g.key).join(',');
  useLayoutEffect(() => {
    const el = bar.current;
    if (!el) return;
    const measure = () => {
      for (const child of Array.from(el.querySelectorAll<HTMLElement>(':scope > [data-group]'))) {
        const k = child.dataset.group as string;
        if (!child.hidden && child.offsetWidth > 0) widths.current.set(k, child.offsetWidth);
      }
      const cs = getComputedStyle(el);
      const gap = parseFloat(cs.columnGap) || 0;
      const content = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const ws = keys.split(',').map((k) => widths.current.get(k));
      const fits = (room: number): number => {
        let used = 0;
        let n = 0;
        for (const w of ws) {
          if (w === undefined || used + w > room) break;
          used += w + gap;
          n++;
        }
        return n;
      };
      // All groups without the menu button, or as many as leave room for it.
      const all = fits(content);
      setFit(all === ws.length ? all : fits(content - MENU_BUTTON_PX - gap));
    };
    measure();
    // The bar's width changes with the pane; a group's with its content (the match count).
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    for (const child of Array.from(el.querySelectorAll(':scope > [data-group]'))) ro.observe(child);
    return () => ro.disconnect();
  }, [keys]);
  const menu = groups.slice(fit);
  const more = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (menu.length === 0 && open) setOpen(false);
  }, [menu.length, open]);
  // The menu closes on a click elsewhere or Escape.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (more.current && !more.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);
  return (
    <div className="logs-tools" ref={bar}>
      {groups.map((g, i) => (
        // Groups past `fit` stay rendered (invisible) only until they were measured.
        <div key={g.key} data-group={g.key} className="logs-group" hidden={i >= fit && widths.current.has(g.key)}>
          {i < fit || !widths.current.has(g.key) ? g.node : null}
        </div>
      ))}
      {menu.length > 0 ? (
        <span className="logs-more" ref={more}>
          <button
            aria-label="More log tools"
            aria-expanded={open}
            aria-haspopup="true"
            title={`More: ${menu.map((g) => g.key).join(', ')}`}
            onClick={() => setOpen((o) => !o)}
          >
            ⋯
          </button>
          {open ? (
            <div className="logs-menu" role="group" aria-label="More log tools" data-testid="log-tools-menu">
              {menu.map((g) => (
                <div key={g.key} className="logs-menu-row">
                  {g.node}
                </div>
              ))}
            </div>
          ) : null}
        </span>
      ) : null}
    </div>
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
