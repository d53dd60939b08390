// The log pane's windowing as arithmetic: which rows of a view of `total` rows are on screen for
// a scroll position, which pages to fetch, and where to scroll to show a row. Past MAX_SCROLL_PX
// the scrollbar maps proportionally (browsers cap element heights), so positions are scaled.

/** Row height in px; fixed so the window is pure arithmetic. */
export const ROW = 20;
/** Row height in a narrow pane, where the message gets a line of its own under time and level. */
export const ROW_TWO_LINE = 36;
/** Rows fetched per page request. */
export const BLOCK = 200;
/** Extra rows fetched above and below the viewport (only visible rows are rendered). */
export const OVERSCAN = 20;
/** Browsers cap element heights (~16-33M px); past this the scrollbar maps proportionally. */
export const MAX_SCROLL_PX = 8_000_000;

export interface WindowInput {
  /** Rows in the view. */
  total: number;
  /** Row height in px. */
  row: number;
  /** Viewport height in px. */
  height: number;
  /** The scroller's scrollTop as last seen. */
  scrollTop: number;
}

export interface LogWindow {
  /** Rows that fit the viewport, plus one for a partly shown row. */
  visible: number;
  /** The scrollable height: total * row, capped at MAX_SCROLL_PX. */
  contentPx: number;
  /** True when the view is taller than MAX_SCROLL_PX and positions map proportionally. */
  scaled: boolean;
  /** The largest scrollTop (at least 1, so the proportion never divides by zero). */
  maxTop: number;
  /** The first row on screen. */
  first: number;
  /** How far the first row is scrolled out of view, in rows (0..1). */
  frac: number;
  /** Rows [from, to) to have in the cache: the screen and OVERSCAN either side. */
  from: number;
  to: number;
}

export function computeWindow({ total, row, height, scrollTop }: WindowInput): LogWindow {
  const visible = Math.ceil(height / row) + 1;
  const contentPx = Math.min(total * row, MAX_SCROLL_PX);
  const scaled = total * row > MAX_SCROLL_PX;
  const maxTop = Math.max(1, contentPx - height);
  // The browser clamps scrollTop when a view shrinks (a filter applied) without always firing a
  // scroll event: clamp the remembered value the same way, or the first rows would be skipped.
  const top = Math.min(scrollTop, Math.max(0, contentPx - height));
  const firstFloat = scaled ? (top / maxTop) * Math.max(0, total - visible + 1) : top / row;
  const first = Math.max(0, Math.floor(firstFloat));
  return {
    visible,
    contentPx,
    scaled,
    maxTop,
    first,
    frac: firstFloat - first,
    from: Math.max(0, first - OVERSCAN),
    to: Math.min(total, first + visible + OVERSCAN),
  };
}

/** The scrollTop that shows `target` (a third down the viewport when not scaled). */
export function scrollTopForRow(w: LogWindow, input: Omit<WindowInput, 'scrollTop'>, target: number): number {
  const px = w.scaled
    ? (target / Math.max(1, input.total - w.visible + 1)) * w.maxTop
    : target * input.row - input.height / 3;
  return Math.max(0, px);
}

/**
 * The pages (of `block` rows) to fetch for rows [from, to): each page that holds a row the cache
 * lacks, counting the page's rows before `from` too (a page is fetched whole).
 */
export function missingBlocks(
  from: number,
  to: number,
  has: (i: number) => boolean,
  block = BLOCK,
): number[] {
  const out: number[] = [];
  if (to <= from) return out;
  for (let b = Math.floor(from / block); b <= Math.floor((to - 1) / block); b++) {
    for (let i = b * block; i < Math.min(to, (b + 1) * block); i++) {
      if (!has(i)) {
        out.push(b);
        break;
      }
    }
  }
  return out;
}

/**
 * Pixels to scroll down when the index prepends `shift` older rows, so the same records stay on
 * screen; 0 when following (the end is what is shown) or when scaled (a pixel is not a row).
 */
export function prependScrollPx(shift: number, total: number, row: number, following: boolean): number {
  if (following || shift <= 0 || total * row > MAX_SCROLL_PX) return 0;
  return shift * row;
}
