// The log pane's histogram: records per minute by level on a continuous time axis (empty minutes
// are empty bins), errors and warnings in their own colours, counts on hover, click to jump to a
// bin, drag across bins to limit the pane to that time range.
import { useEffect, useMemo, useState, type ReactElement } from 'react';
import type { HistogramResult } from '../../../../shared/contract/logs';
import { LEVELS } from '../../../../shared/serilog';
import { binLabel, buildAxis, type Bin } from './histogram-bins';

/** Stacking order from the bottom: errors first so a spike reads at the baseline. */
const STACK = [5, 4, 3, 2, 1, 0, 6];
const LEVEL_CLASS = ['vrb', 'dbg', 'inf', 'wrn', 'err', 'ftl', 'none'];

interface Props {
  data: HistogramResult | null;
  /** Jump the pane to the first record at or after `t`. */
  onJump: (t: number) => void;
  /** Limit the pane to [from, to). */
  onRange: (from: number, to: number) => void;
}

function describe(b: Bin, binMinutes: number): string {
  const end = binMinutes === 1 ? '' : `–${binLabel(b.end, binMinutes)}`;
  const parts = LEVELS.map((l, k) => (b.counts[k] ? `${l} ${b.counts[k]}` : '')).filter(Boolean);
  if (b.counts[6]) parts.push(`other ${b.counts[6]}`);
  return `${binLabel(b.t, binMinutes)}${end}: ${b.total} record${b.total === 1 ? '' : 's'}${parts.length ? ` (${parts.join(', ')})` : ''}`;
}

export default function HistogramStrip({ data, onJump, onRange }: Props): ReactElement {
  const axis = useMemo(() => buildAxis(data), [data]);
  const [hover, setHover] = useState<number | null>(null);
  const [drag, setDrag] = useState<{ from: number; to: number } | null>(null);
  // A drag released outside the bars is cancelled.
  const dragging = drag !== null;
  useEffect(() => {
    if (!dragging) return;
    const cancel = () => setDrag(null);
    window.addEventListener('pointerup', cancel);
    return () => window.removeEventListener('pointerup', cancel);
  }, [dragging]);
  if (!axis) {
    return (
      <div className="logs-hist empty" data-testid="log-histogram">
        <span className="dim">No records to chart.</span>
      </div>
    );
  }
  const lo = drag ? Math.min(drag.from, drag.to) : -1;
  const hi = drag ? Math.max(drag.from, drag.to) : -1;
  const finish = () => {
    if (!drag) return;
    setDrag(null);
    if (lo === hi) onJump(axis.bins[lo].t);
    else onRange(axis.bins[lo].t, axis.bins[hi].end);
  };
  const readout =
    drag && lo !== hi
      ? `${binLabel(axis.bins[lo].t, axis.binMinutes)}–${binLabel(axis.bins[hi].end, axis.binMinutes)}: release to filter`
      : hover !== null && axis.bins[hover]
        ? describe(axis.bins[hover], axis.binMinutes)
        : null;
  const hint = `${axis.binMinutes} min per bar · click to jump, drag to filter a time range`;
  return (
    <div className="logs-hist" data-testid="log-histogram" data-bin-minutes={axis.binMinutes}>
      {/* Shown while pointing: over the bars, so it costs the pane no height. */}
      {readout ? (
        <div className="logs-hist-readout" data-testid="log-histogram-readout">
          {readout}
        </div>
      ) : null}
      <div
        className="logs-hist-bars"
        role="group"
        aria-label="Records per time bin by level"
        title={hint}
        onPointerLeave={() => setHover(null)}
        onPointerUp={finish}
      >
        {axis.bins.map((b, i) => (
          <div
            key={b.t}
            className={`logs-hist-bin${i >= lo && i <= hi ? ' selecting' : ''}`}
            data-testid="log-histogram-bin"
            data-t={b.t}
            data-total={b.total}
            title={`${describe(b, axis.binMinutes)}\n${hint}`}
            onPointerDown={(e) => {
              e.preventDefault();
              setDrag({ from: i, to: i });
            }}
            onPointerEnter={() => {
              setHover(i);
              if (drag) setDrag({ ...drag, to: i });
            }}
          >
            {STACK.map((k) =>
              b.counts[k] ? (
                <span
                  key={k}
                  className={`lv-${LEVEL_CLASS[k]}`}
                  style={{ height: `${(b.counts[k] / axis.max) * 100}%` }}
                />
              ) : null,
            )}
          </div>
        ))}
      </div>
      <div className="logs-hist-axis dim" aria-hidden="true">
        {/* A label near the right edge would be cut: the last tenth gets none. */}
        {axis.ticks
          .filter((t) => t.at === 0 || t.at / axis.bins.length <= 0.9)
          .map((t) => (
            <span key={t.at} style={{ left: `${(t.at / axis.bins.length) * 100}%` }}>
              {t.label}
            </span>
          ))}
      </div>
    </div>
  );
}
