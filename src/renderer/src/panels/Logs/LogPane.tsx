// One log pane: a hand-windowed list (only visible rows are in the DOM, pages fetched on demand)
// over a server-side view, with level toggles, filter in/out, search with next/previous, follow
// (its state always in the header), pause with a new-line count, jump to time, record details,
// copy, and a histogram strip; the toolbar moves what does not fit into an overflow menu.
// The data is use-log-view's, the arithmetic log-window's; this file lays out and wires.
import { useEffect, useMemo, useRef, useState, type ReactElement } from 'react';
import type { PaneInfo } from '../../../../shared/contract/logs';
import { LEVELS, type LogRecord } from '../../../../shared/serilog';
import { api } from '../../transport';
import FollowState from './FollowState';
import HistogramStrip from './HistogramStrip';
import LogDetails, { timeText, useSelectionInView } from './LogDetails';
import LogTextForm from './LogTextForm';
import LogToolbar, { type ToolGroup } from './LogToolbar';
import { binLabel } from './histogram-bins';
import { formatBytes } from '../../format';
import { appliedFilter, highlightRegex, matchesFrom, stepMatch, type Filter, type Matches } from './log-view';
import {
  computeWindow,
  missingBlocks,
  prependScrollPx,
  ROW,
  ROW_TWO_LINE,
  scrollTopForRow,
} from './log-window';
import { errText, useLogView, useViewHistogram } from './use-log-view';

/** Below this pane width a one-line row would leave the message a dozen characters. */
const NARROW_PANE_PX = 440;

const LEVEL_CLASS = ['vrb', 'dbg', 'inf', 'wrn', 'err', 'ftl', 'none'];

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

export default function LogPane({
  info,
  correlation,
  onCorrelation,
  onClose,
  hidden = false,
  bundleAsOf = null,
}: Props) {
  const [filterDraft, setFilterDraft] = useState<Filter>({ text: '', regex: false, invert: false });
  const [search, setSearch] = useState({ text: '', regex: false });
  const [matches, setMatches] = useState<Matches | null>(null);
  const [follow, setFollow] = useState(true);
  const [selected, setSelected] = useState<LogRecord | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(300);
  const [narrow, setNarrow] = useState(false);
  const row = narrow ? ROW_TWO_LINE : ROW;
  const scroller = useRef<HTMLDivElement>(null);
  const followRef = useRef(follow);
  followRef.current = follow;

  const view = useLogView(info, correlation, (shift, total) => {
    // Older records were prepended: keep the same records on screen.
    const px = prependScrollPx(shift, total, row, followRef.current);
    if (px > 0 && scroller.current) scroller.current.scrollTop += px;
  });
  const { total, paused, viewParams, cache } = view;
  useSelectionInView(info.paneId, view.viewKey, viewParams, selected, setSelected, view.setError);

  // A new view: the matches were positions in the old one.
  useEffect(() => setMatches(null), [view.viewKey]);

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

  const win = computeWindow({ total, row, height, scrollTop });
  const { first, visible, frac } = win;
  cache.setFocus(first);

  // Follow: stick to the bottom whenever the total grows, and whenever the pane's height or row
  // height changes (a banner or the strip above it appears, the window is resized): the scroller
  // keeps its scrollTop when it shrinks, which would hide the newest rows under its bottom edge.
  useEffect(() => {
    if (follow && !paused && scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
  }, [total, follow, paused, height, row]);

  // Fetch missing rows of the window.
  useEffect(() => {
    for (const b of missingBlocks(win.from, win.to, (i) => cache.has(i))) void view.fetchBlock(b);
  });

  // Histogram strip over the records around the viewport, counting what the pane shows.
  const hist = useViewHistogram(view, info.paneId, total > 0 ? first : null);

  const highlightRe = useMemo(() => highlightRegex(search), [search]);

  const scrollToRow = (target: number) => {
    const el = scroller.current;
    if (!el) return;
    setFollow(false);
    el.scrollTop = scrollTopForRow(win, { total, row, height }, target);
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
      const m = matchesFrom(r.matches, r.total);
      setMatches(m);
      if (m.at >= 0) scrollToRow(m.list[m.at]);
      view.setError('');
    } catch (e) {
      view.setError(errText(e));
    }
  };

  const step = (d: 1 | -1) => {
    const next = stepMatch(matches, d);
    if (!next) return;
    setMatches(next);
    scrollToRow(next.list[next.at]);
  };

  const seekTo = async (t: number) => {
    try {
      const r = await api.invoke('logs:seek-time', { paneId: info.paneId, time: t, ...viewParams });
      scrollToRow(r.index);
    } catch (e) {
      view.setError(errText(e));
    }
  };

  const jumpToTime = async (value: string) => {
    const t = Date.parse(value);
    if (Number.isNaN(t)) return;
    await seekTo(t);
  };

  const expand = async (r: LogRecord) => {
    setSelected(r);
    if (r.truncated) {
      try {
        setSelected(await api.invoke('logs:record', { paneId: info.paneId, offset: r.offset, file: r.file }));
      } catch (e) {
        view.setError(errText(e));
      }
    }
  };

  /** Back to the live end: follow on, pause off, the newest rows in view. */
  const jumpToLive = () => {
    setFollow(true);
    view.resume();
    if (scroller.current) scroller.current.scrollTop = scroller.current.scrollHeight;
  };

  const rows: ReactElement[] = [];
  const keys = new Set<string>();
  for (let i = first; i < Math.min(total, first + visible + 1); i++) {
    const r = cache.get(i);
    // A row is its record, wherever the view numbers it: when older records are prepended the
    // element under the pointer stays the same element, and a click in progress still lands. A
    // record cached twice for a moment (old and new position) falls back to its position.
    const id = r ? `${r.file}@${r.offset}` : '';
    const rowKey = id && !keys.has(id) ? id : `#${i}`;
    keys.add(rowKey);
    const isMatch = matches !== null && matches.at >= 0 && matches.list[matches.at] === i;
    rows.push(
      <div
        key={rowKey}
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
  const groups: ToolGroup[] = [
    {
      key: 'search',
      node: (
        <LogTextForm kind="search" value={search} onChange={setSearch} onSubmit={() => void runSearch()}>
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
        </LogTextForm>
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
              aria-pressed={view.levels.has(l)}
              onClick={() => view.toggleLevel(l)}
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
        <LogTextForm
          kind="filter"
          value={filterDraft}
          onChange={setFilterDraft}
          onSubmit={() => view.setFilter(appliedFilter(filterDraft))}
        >
          <select
            value={filterDraft.invert ? 'out' : 'in'}
            onChange={(e) => setFilterDraft({ ...filterDraft, invert: e.target.value === 'out' })}
            aria-label="Filter mode"
          >
            <option value="in">in</option>
            <option value="out">out</option>
          </select>
          <button type="submit">Apply</button>
        </LogTextForm>
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

  const { range } = view;
  return (
    <section
      className="logs-pane"
      data-testid={`log-pane-${info.title}`}
      data-cache-size={cache.size}
      hidden={hidden}
    >
      <header className="logs-head">
        <strong title={`${info.dir}/${info.pattern}`}>{info.title}</strong>
        <span className="dim mono">{info.format}</span>
        <span className="dim status" title={view.status.text}>
          {view.status.text}
        </span>
        {view.indexing ? <span className="badge">{view.indexing}</span> : null}
        <span className="spacer" />
        <FollowState
          bundleAsOf={bundleAsOf}
          follow={follow}
          paused={paused}
          newCount={view.newCount}
          onPause={view.pause}
          onLive={jumpToLive}
        />
        <button className="ghost" onClick={onClose} aria-label="Close pane">
          ×
        </button>
      </header>
      {info.preview ? (
        <div className="logs-preview" role="status" data-testid="log-pane-preview">
          {info.preview.shownBytes < info.preview.fileBytes ? (
            <>
              Showing the last {formatBytes(info.preview.shownBytes)} of <code>{info.preview.file}</code> (
              {formatBytes(info.preview.fileBytes)}), checked against the bundle&apos;s manifest, while the
              bundle is verified. The whole file opens here when it is.
            </>
          ) : (
            <>
              Showing <code>{info.preview.file}</code> ({formatBytes(info.preview.fileBytes)}), checked
              against the bundle&apos;s manifest, while the rest of the bundle is verified. It opens here with
              its older files when that is done.
            </>
          )}
        </div>
      ) : null}
      <LogToolbar groups={groups} />
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
              <button
                className="link"
                onClick={() => view.setRange(null)}
                aria-label="Remove the time range filter"
              >
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
          view.setRange({ from, to });
          // A range that ended gets no new records: the view is not live, and the header says so.
          if (to <= Date.now()) setFollow(false);
        }}
      />
      {view.error ? <div className="logs-error">{view.error}</div> : null}
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
              {view.filtered ? 'No records match the filters.' : 'No records yet.'}
            </div>
          ) : null}
        </div>
        <div className="logs-spacer" style={{ height: Math.max(0, win.contentPx - height) }} />
      </div>
      {selected ? <LogDetails record={selected} onClose={() => setSelected(null)} /> : null}
    </section>
  );
}
