// Output held back while the renderer is behind, cut down to what can still end up in the terminal.
// xterm.js keeps only its last `scrollback + rows` rows, so once more whole lines of plain text are
// waiting than that, the lines before them would scroll out of the buffer without ever being seen:
// they are dropped here instead of crossing the wire and being parsed and drawn, and the terminal
// ends in exactly the state the whole stream would have left (mosh and ConPTY skip frames the same
// way). Only text that changes nothing but the rows it writes and the cursor is dropped: printable
// characters, CR, LF, TAB, BS, erase-in-line (what `grep --color` ends each match with), SGR colour
// sequences, whose net effect is kept as one sequence, the cursor moves (up, down, to a column, to a
// row: what progress output redraws with) and the edits of one row (erase, insert and delete
// characters), provided the cursor is surely on the bottom row when the kept part begins. Anything
// else (modes, scrolling, erasing the screen, titles, OSC marks, the alternate screen, saving the
// cursor) stops the cut, and the session falls back to pausing the pty.

/** A control or an escape other than SGR, EL, a cursor move or a one-row edit: text containing one is not dropped. */
const NOT_PLAIN =
  /[\x00-\x07\x0b\x0c\x0e-\x1a\x1c-\x1f\x7f-\x9f]|\x1b(?!\[[0-9;:]*m|\[[012]?K|\[\d*[ABCDEFG`dXP@]|\[\d*(?:;\d*)?[Hf])/;
const SGR = /\x1b\[([0-9;:]*)m/g;
/** One complete escape sequence starting at lastIndex (CSI, OSC, DCS/SOS/PM/APC, or a short ESC). */
const COMPLETE_ESCAPE =
  /\x1b(?:\[[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[PX^_][^\x1b]*\x1b\\|[\x20-\x2f]*[\x30-\x4f\x51-\x57\x59\x5a\x5c\x60-\x7e])/y;

/**
 * Whether a stream that was in the ground state (`wasGround`) still is after `chunk`: not inside
 * an unfinished escape sequence. Conservative: a chunk without ESC keeps an open state open.
 */
export function endsInGround(wasGround: boolean, chunk: string): boolean {
  const i = chunk.lastIndexOf('\x1b');
  if (i < 0) return wasGround && !/[\x90\x9b\x9d\x9e\x9f]/.test(chunk.slice(-256));
  COMPLETE_ESCAPE.lastIndex = i;
  return (
    COMPLETE_ESCAPE.test(chunk) && !/[\x90\x9b\x9d\x9e\x9f]/.test(chunk.slice(COMPLETE_ESCAPE.lastIndex))
  );
}

/** The SGR code that turns each attribute off (22 turns off both bold and dim). */
const OFF: Record<string, string> = {
  bold: '22',
  dim: '22',
  italic: '23',
  ul: '24',
  blink: '25',
  inverse: '27',
  invisible: '28',
  strike: '29',
  overline: '55',
  fg: '39',
  bg: '49',
  ulc: '59',
};

/**
 * The net change a run of SGR sequences makes to the graphic rendition, per attribute (xterm.js
 * semantics): replayed as one sequence, it leaves the same rendition as the whole run did.
 */
export class SgrChange {
  private reset = false;
  /** Attribute -> its parameter, or null when the run turned it off. */
  private slots = new Map<string, string | null>();

  /** Applies one SGR parameter string; false when it holds something not modelled (no cut then). */
  apply(params: string): boolean {
    const ps = params === '' ? ['0'] : params.split(';');
    for (let i = 0; i < ps.length; i++) {
      const p = ps[i]!;
      if (p.includes(':')) {
        // Sub-parameters: 4:n underline styles, 38:2::r:g:b style colours.
        const head = p.split(':')[0];
        if (head === '4') this.slots.set('ul', p === '4:0' ? null : p);
        else if (head === '38') this.slots.set('fg', p);
        else if (head === '48') this.slots.set('bg', p);
        else if (head === '58') this.slots.set('ulc', p);
        else return false;
        continue;
      }
      const n = p === '' ? 0 : Number(p);
      if (!Number.isInteger(n)) return false;
      if (n === 38 || n === 48 || n === 58) {
        // 38;5;n or 38;2;r;g;b: the colour spans the next parameters.
        const kind = ps[i + 1];
        const len = kind === '5' ? 2 : kind === '2' ? 4 : -1;
        if (len < 0 || i + len >= ps.length) return false;
        this.slots.set(n === 38 ? 'fg' : n === 48 ? 'bg' : 'ulc', ps.slice(i, i + len + 1).join(';'));
        i += len;
        continue;
      }
      const slot = this.slotOf(n);
      if (slot === undefined) return false;
      if (slot === null) {
        this.reset = true;
        this.slots.clear();
      } else if (slot[1]) this.slots.set(slot[0], p);
      else if (n === 22) {
        this.slots.set('bold', null);
        this.slots.set('dim', null);
      } else this.slots.set(slot[0], null);
    }
    return true;
  }

  /** [attribute, turns it on] for code n; null for a full reset; undefined when not modelled. */
  private slotOf(n: number): [string, boolean] | null | undefined {
    if (n === 0) return null;
    if ((n >= 30 && n <= 37) || (n >= 90 && n <= 97)) return ['fg', true];
    if ((n >= 40 && n <= 47) || (n >= 100 && n <= 107)) return ['bg', true];
    const table: Record<number, [string, boolean]> = {
      1: ['bold', true],
      2: ['dim', true],
      22: ['bold', false],
      3: ['italic', true],
      23: ['italic', false],
      4: ['ul', true],
      21: ['ul', true],
      24: ['ul', false],
      5: ['blink', true],
      25: ['blink', false],
      7: ['inverse', true],
      27: ['inverse', false],
      8: ['invisible', true],
      28: ['invisible', false],
      9: ['strike', true],
      29: ['strike', false],
      53: ['overline', true],
      55: ['overline', false],
      39: ['fg', false],
      49: ['bg', false],
      59: ['ulc', false],
    };
    return table[n];
  }

  /** One SGR sequence with the same net effect, or '' when the run changed nothing. */
  sequence(): string {
    const parts: string[] = this.reset ? ['0'] : [];
    for (const [slot, v] of this.slots) if (v === null && !parts.includes(OFF[slot]!)) parts.push(OFF[slot]!);
    for (const v of this.slots.values()) if (v !== null) parts.push(v);
    return parts.length ? `\x1b[${parts.join(';')}m` : '';
  }
}

export interface FloodCut {
  /** What to send, in pieces: the head, the net SGR of what was dropped, the kept lines. */
  chunks: string[];
  dropped: number;
}

/** Why no cut: too few lines yet (more output may allow one), or something that must be sent. */
export type FloodRefusal = 'few-lines' | 'not-plain';

/**
 * Text held as the chunks it arrived in, addressed by offsets into the whole: a cut slices it and
 * never joins it (joining a megabyte costs V8 several milliseconds, and the cut runs every time
 * that much output has arrived).
 */
class ChunkText {
  private readonly starts: number[] = [];
  readonly length: number;

  constructor(private readonly chunks: readonly string[]) {
    let g = 0;
    for (const c of chunks) {
      this.starts.push(g);
      g += c.length;
    }
    this.length = g;
  }

  /** The chunk holding offset g (0 <= g < length). */
  private chunkOf(g: number): number {
    let lo = 0;
    let hi = this.chunks.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= g) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  charAt(g: number): string {
    if (g < 0 || g >= this.length) return '';
    const c = this.chunkOf(g);
    return this.chunks[c]![g - this.starts[c]!]!;
  }

  /** First LF at or after `from`, or -1. */
  nextLf(from: number): number {
    if (from >= this.length) return -1;
    for (let c = this.chunkOf(from); c < this.chunks.length; c++) {
      const i = this.chunks[c]!.indexOf('\n', Math.max(0, from - this.starts[c]!));
      if (i >= 0) return this.starts[c]! + i;
    }
    return -1;
  }

  /** Last LF before `before`, or -1. */
  prevLf(before: number): number {
    if (before <= 0) return -1;
    for (let c = this.chunkOf(before - 1); c >= 0; c--) {
      const local = Math.min(this.chunks[c]!.length, before - this.starts[c]!) - 1;
      if (local < 0) continue;
      const i = this.chunks[c]!.lastIndexOf('\n', local);
      if (i >= 0) return this.starts[c]! + i;
    }
    return -1;
  }

  /** The text from `from` to `to` as slices of the chunks (no copy). */
  pieces(from: number, to: number): string[] {
    const out: string[] = [];
    if (from >= to) return out;
    for (let c = this.chunkOf(from); c < this.chunks.length && this.starts[c]! < to; c++) {
      const s = this.starts[c]!;
      const chunk = this.chunks[c]!;
      const a = Math.max(0, from - s);
      const b = Math.min(chunk.length, to - s);
      if (b > a) out.push(a === 0 && b === chunk.length ? chunk : chunk.slice(a, b));
    }
    return out;
  }
}

/** An escape at the end of a piece that may be the start of a sequence finished in the next piece. */
const SGR_PREFIX = /^\x1b(?:\[[0-9;:]*)?$/;
const DROPPABLE_AT_START = /^\x1b\[(?:([0-9;:]*)m|[012]?K|\d*[ABCDEFG`dXP@]|\d*(?:;\d*)?[Hf])/;

/**
 * The most rows the cursor can be above the bottom row, over text whose start it knows nothing of
 * (no scroll region: the session checks). A line feed takes it one row down; a move up or down by
 * n, n rows; a move to a row, that row. Lines that wrap only take it lower, so the bound holds.
 */
class RowsAboveBottom {
  most: number;
  /** `most` just before the last line feed followed (0: that line feed surely scrolled). */
  beforeLastLf: number;
  /** Line feeds followed that surely scrolled (the cursor was surely on the bottom row). */
  scrolls = 0;
  /** Whether a row move was followed. */
  moved = false;

  /** `most` starts at the top row (nothing known), or at `startMost` when the row is known. */
  constructor(
    private readonly rows: number,
    startMost = rows - 1,
  ) {
    this.most = startMost;
    this.beforeLastLf = startMost;
  }

  /** Follows the line feeds and row moves in `text`. */
  follow(text: string): void {
    // Checked text only (droppable, or cut before the first sequence that is not): every escape in
    // it is a CSI. Scanned by hand, not by a regex: a flood being cut holds a million of them.
    let from = 0;
    for (let e = text.indexOf('\x1b', from); e >= 0; e = text.indexOf('\x1b', from)) {
      this.lineFeeds(text, from, e);
      let i = e + 2;
      let n = 0;
      while (i < text.length && text.charCodeAt(i) >= 0x30 && text.charCodeAt(i) <= 0x39)
        n = n * 10 + text.charCodeAt(i++) - 0x30;
      while (i < text.length && (text.charCodeAt(i) < 0x40 || text.charCodeAt(i) > 0x7e)) i++;
      this.move(text[i], Math.max(1, n));
      from = i + 1;
    }
    this.lineFeeds(text, from, text.length);
  }

  /** The line feeds in text[from, to): the first `most` of them come down, every one after scrolls. */
  private lineFeeds(text: string, from: number, to: number): void {
    let lfs = 0;
    for (let i = text.indexOf('\n', from); i >= 0 && i < to; i = text.indexOf('\n', i + 1)) lfs++;
    if (lfs === 0) return;
    this.beforeLastLf = Math.max(0, this.most - (lfs - 1));
    this.scrolls += Math.max(0, lfs - this.most);
    this.most = Math.max(0, this.most - lfs);
  }

  /** A CSI ending in `f` whose first parameter is n (1 when 0 or none). */
  private move(f: string | undefined, n: number): void {
    if (f === 'A' || f === 'F') this.most = Math.min(this.rows - 1, this.most + n);
    else if (f === 'B' || f === 'E') this.most = Math.max(0, this.most - n);
    // VPA, CUP and HVP: the row is the first parameter (1-based), clamped to the screen.
    else if (f === 'd' || f === 'H' || f === 'f') this.most = this.rows - Math.min(this.rows, n);
    else return;
    this.moved = true;
  }
}

/**
 * Whether `pieces` (consecutive) hold only what can be dropped (plain text, SGR, EL, cursor moves,
 * one-row edits), folding the SGR into `sgr` and following the cursor's row in `row`; a sequence
 * split between two pieces counts as one. (EL and the one-row edits change only the row they are
 * on, which scrolls out with the dropped part.)
 */
function droppablePieces(pieces: readonly string[], sgr: SgrChange, row: RowsAboveBottom): boolean {
  let carry = '';
  for (let piece of pieces) {
    if (carry) {
      const m = DROPPABLE_AT_START.exec(carry + piece.slice(0, 64));
      if (!m || m[0].length <= carry.length || (m[1] !== undefined && !sgr.apply(m[1]))) return false;
      row.follow(m[0]);
      piece = piece.slice(m[0].length - carry.length);
      carry = '';
    }
    const e = piece.lastIndexOf('\x1b');
    if (e >= 0 && piece.length - e < 64 && SGR_PREFIX.test(piece.slice(e))) {
      carry = piece.slice(e);
      piece = piece.slice(0, e);
    }
    if (NOT_PLAIN.test(piece)) return false;
    for (const m of piece.matchAll(SGR)) if (!sgr.apply(m[1]!)) return false;
    row.follow(piece);
  }
  return carry === '';
}

/**
 * Whether the kept part, which starts with the cursor on the bottom row, surely scrolls every row
 * that was on screen before it out of `keep` rows (what the cut relies on: the dropped part's rows
 * differ from what the renderer has there). Line feeds all scroll unless the cursor moves up; with
 * a move among them, `keep - 1` of them must surely scroll before anything else (a mode, a mark)
 * makes the rows unknown. Returns how many more line feeds the kept part needs (0: none).
 */
function keptScrollDeficit(kept: readonly string[], rows: number, keep: number): number {
  const row = new RowsAboveBottom(rows, 0);
  let carry = '';
  for (const p of kept) {
    let piece = carry + p;
    carry = '';
    // A sequence cut off at the end of the piece is finished in the next one.
    const e = piece.lastIndexOf('\x1b');
    if (e >= 0 && piece.length - e < 64 && SGR_PREFIX.test(piece.slice(e))) {
      carry = piece.slice(e);
      piece = piece.slice(0, e);
    }
    const bad = NOT_PLAIN.exec(piece);
    row.follow(bad ? piece.slice(0, bad.index) : piece);
    if (bad) break;
  }
  return row.moved ? Math.max(0, keep - 1 - row.scrolls) : 0;
}

/** Kept parts that need more line feeds are tried this many times, each cut that much earlier. */
const MAX_CUT_TRIES = 4;

/**
 * Cuts held output (which began in the ground state when `startGround`, or inside the escape
 * sequence `open` that the sent stream ended with) down to its first line
 * and the lines that fill the last `scrollback + rows` rows, when everything between is plain;
 * otherwise says why not. Assumes no scroll region is set (the session checks).
 */
export function cutFlood(
  held: string | readonly string[],
  rows: number,
  scrollback: number,
  startGround: boolean,
  open = '',
): FloodCut | FloodRefusal {
  if ((!startGround && !open) || rows < 1) return 'not-plain';
  const text = new ChunkText(typeof held === 'string' ? [held] : held);
  // The head runs to the first CRLF: it may finish a line (or a sequence) begun before the backlog.
  let lf = text.nextLf(0);
  while (lf >= 0 && text.charAt(lf - 1) !== '\r') lf = text.nextLf(lf + 1);
  if (lf < 0) return 'few-lines';
  const dropFrom = lf + 1;
  // The kept part starts after the keep-th LF from the end, at column 0 of a fresh row, and spans
  // at least `keep` rows: every row the terminal holds at the end comes from it.
  const keep = scrollback + rows;
  const head = text.pieces(0, lf - 1);
  // The head (after the sequence the sent stream ended inside, if any) must end outside any sequence.
  if (!endsInGround(true, (startGround ? '' : open) + head.join(''))) return 'not-plain';
  let keptLfs = keep;
  for (let attempt = 0; attempt < MAX_CUT_TRIES; attempt++) {
    let pos = text.length;
    let cutAt = -1;
    // The dropped part must itself hold `rows` line feeds, so the screen was full and scrolling when
    // the kept part began (a row made by scrolling takes the current background colour), and its
    // last line feed must surely scroll whatever its moves (checked below).
    for (let n = 0; n < keptLfs + rows - 1; n++) {
      const i = text.prevLf(pos);
      if (i < dropFrom) return 'few-lines';
      pos = i;
      if (n === keptLfs - 1) cutAt = i;
    }
    if (text.charAt(cutAt - 1) !== '\r') return 'not-plain';
    const dropTo = cutAt + 1;
    const sgr = new SgrChange();
    const row = new RowsAboveBottom(rows);
    if (!droppablePieces(text.pieces(dropFrom, dropTo), sgr, row)) return 'not-plain';
    // A move up too close to the cut: more output moves the cut past it.
    if (row.beforeLastLf > 0) return 'few-lines';
    const deficit = keptScrollDeficit(text.pieces(dropTo, text.length), rows, keep);
    if (deficit > 0) {
      keptLfs += deficit;
      continue;
    }
    // The net rendition goes first, then a screenful of line feeds: the kept part then starts, as it
    // did in the whole stream, on a row that scrolling made with the background colour then current.
    return {
      chunks: [...head, sgr.sequence() + '\r\n'.repeat(rows), ...text.pieces(dropTo, text.length)],
      dropped: dropTo - dropFrom,
    };
  }
  return 'not-plain';
}
