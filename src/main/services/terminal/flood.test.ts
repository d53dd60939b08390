// The flood cut is checked against xterm.js itself (the headless build of the same version the
// renderer uses): the whole stream and the cut stream must leave identical terminals, scrollback,
// colours and cursor included.
import { SerializeAddon } from '@xterm/addon-serialize';
import { Terminal } from '@xterm/headless';
import { describe, expect, it } from 'vitest';
import { cutFlood, endsInGround, SgrChange } from './flood';

interface Dims {
  cols: number;
  rows: number;
  scrollback: number;
}
const DIMS: Dims = { cols: 80, rows: 24, scrollback: 300 };

async function render(chunks: string[], d: Dims = DIMS): Promise<{ text: string; cursor: string }> {
  const term = new Terminal({ cols: d.cols, rows: d.rows, scrollback: d.scrollback, allowProposedApi: true });
  const ser = new SerializeAddon();
  term.loadAddon(ser as never);
  for (const c of chunks) await new Promise<void>((r) => term.write(c, r));
  const b = term.buffer.active;
  const out = { text: ser.serialize(), cursor: `${b.cursorX},${b.cursorY},${b.baseY},${b.length}` };
  term.dispose();
  return out;
}

/** Sends `sent` as is, then `backlog` cut for these dims; the terminal must match the uncut stream. */
async function expectSameScreen(sent: string, backlog: string, d: Dims = DIMS): Promise<number> {
  const cut = cutFlood(backlog, d.rows, d.scrollback, endsInGround(true, sent));
  if (typeof cut === 'string') throw new Error(`a cut was expected, got "${cut}"`);
  const [whole, short] = await Promise.all([render([sent, backlog], d), render([sent, ...cut.chunks], d)]);
  // The same backlog arriving in small pieces (split inside sequences and between CR and LF) cuts the same.
  const r = rng(backlog.length);
  const pieces: string[] = [];
  for (let i = 0; i < backlog.length;) {
    const n = 1 + Math.floor(r() * 9000);
    pieces.push(backlog.slice(i, i + n));
    i += n;
  }
  const split = cutFlood(pieces, d.rows, d.scrollback, endsInGround(true, sent));
  if (typeof split === 'string') throw new Error(`a cut of the pieces was expected, got "${split}"`);
  expect(split.chunks.join('')).toBe(cut.chunks.join(''));
  expect(short.cursor).toBe(whole.cursor);
  expect(short.text).toBe(whole.text);
  expect(cut.dropped).toBeGreaterThan(0);
  expect(cut.chunks.join('').length).toBeLessThan(backlog.length);
  return cut.dropped;
}

function lines(n: number, make: (i: number) => string): string {
  let s = '';
  for (let i = 0; i < n; i++) s += `${make(i)}\r\n`;
  return s;
}

/** A small deterministic PRNG, so a failing case can be replayed. */
function rng(seed: number): () => number {
  let x = seed;
  return () => {
    x = (x * 1103515245 + 12345) & 0x7fffffff;
    return x / 0x7fffffff;
  };
}

const SGRS = [
  '\x1b[0m',
  '\x1b[m',
  '\x1b[1m',
  '\x1b[2m',
  '\x1b[22m',
  '\x1b[3m',
  '\x1b[23m',
  '\x1b[4m',
  '\x1b[4:3m',
  '\x1b[4:0m',
  '\x1b[24m',
  '\x1b[7m',
  '\x1b[27m',
  '\x1b[9m',
  '\x1b[29m',
  '\x1b[31m',
  '\x1b[92m',
  '\x1b[39m',
  '\x1b[44m',
  '\x1b[103m',
  '\x1b[49m',
  '\x1b[38;5;208m',
  '\x1b[48;2;10;20;30m',
  '\x1b[38:2::200:100:50m',
  '\x1b[1;31;44m',
  '\x1b[0;33m',
  '\x1b[53m',
  '\x1b[55m',
  '\x1b[8m',
  '\x1b[28m',
  '\x1b[58;5;3m',
  '\x1b[59m',
  '\x1b[21m',
];

describe('the flood cut', () => {
  it('keeps plain lines: the terminal ends the same, and most of the text is not sent', async () => {
    const backlog = lines(20_000, (i) => `line ${i} ${'x'.repeat(i % 70)}`);
    const dropped = await expectSameScreen('$ cat big.log\r\n', backlog);
    expect(dropped).toBeGreaterThan(backlog.length * 0.9);
  });

  it('carries the net colour of the dropped part, with and without resets, from a coloured head', async () => {
    for (const seed of [1, 2, 3, 4, 5, 6, 7, 8]) {
      const r = rng(seed);
      const pick = () => SGRS[Math.floor(r() * SGRS.length)]!;
      const backlog = lines(3_000, (i) => `${pick()}[INF]${r() < 0.5 ? pick() : ''} job ${i} ${pick()}done`);
      await expectSameScreen(
        '\x1b[1;35mprompt$ \x1b[0m\x1b[4mcolour',
        `ed head\r\n${backlog}tail ${pick()}end`,
      );
    }
  });

  it('drops erase-in-line with the rows it erases (grep --color output), background colours included', async () => {
    const r = rng(42);
    const backlog = lines(3_000, (i) =>
      i % 4 === 0
        ? `src/app.ts:${i}:  \x1b[01;31m\x1b[Kerror\x1b[m\x1b[K in job`
        : i % 4 === 1
          ? `\x1b[44mblue row ${i}\x1b[K\x1b[0m`
          : i % 4 === 2
            ? `progress ${Math.floor(r() * 100)}%\r\x1b[2Kdone ${i}`
            : `left ${i}\x1b[1K right`,
    );
    await expectSameScreen('\x1b[41m$ grep\x1b[0m\r\n', `head\r\n${backlog}`);
    await expectSameScreen('', `head\r\n${backlog}`, { cols: 30, rows: 5, scrollback: 50 });
  });

  it('keeps lines that wrap, wide characters, tabs, backspaces and carriage-return progress bars', async () => {
    const backlog = lines(5_000, (i) =>
      i % 3 === 0
        ? `${'long '.repeat(40)}${i}`
        : i % 3 === 1
          ? `日本語の行\t${i}\tend\b!`
          : `progress 10%\r progress 90%\r done ${i}`,
    );
    await expectSameScreen('', `first\r\n${backlog}`);
    await expectSameScreen('', `first\r\n${backlog}`, { cols: 33, rows: 7, scrollback: 0 });
  });

  it('ends the same at the smallest backlog it cuts and a row more; a row less is not cut', async () => {
    const keep = DIMS.scrollback + DIMS.rows;
    for (const n of [keep + DIMS.rows - 1, keep + DIMS.rows]) {
      for (const tail of ['', 'no line feed yet']) {
        expect(
          await expectSameScreen('$ x\r\n', `head\r\n${lines(n, (i) => `${i}`)}${tail}`),
        ).toBeGreaterThan(0);
      }
    }
  });

  it('ends the same when the backlog stops mid-line and when the sent part stopped mid-line', async () => {
    await expectSameScreen('half a li', `ne\r\n${lines(2_000, (i) => `row ${i}`)}partial last`);
  });

  it('drops cursor moves and one-row edits (progress output that redraws): up and down, to a column, to a row', async () => {
    // What bench/terminal's uncuttable flood was: a move up and back down on every line.
    const upDown = lines(3_000, (i) => `2026-12-08 [INF] job ${i} progressed\x1b[A\x1b[B`);
    expect(await expectSameScreen('$ run\r\n', `head\r\n${upDown}`)).toBeGreaterThan(upDown.length * 0.8);
    // A status line redrawn above the newest row, in colour, with erases and edits of the row.
    const redraw = lines(3_000, (i) =>
      i % 3 === 0
        ? `row ${i}\x1b[2A\r\x1b[33mstatus ${i}\x1b[0m\x1b[K\x1b[2B`
        : i % 3 === 1
          ? `\x1b[Fabove\x1b[3X\x1b[E${i}\x1b[10G|\x1b[2P\x1b[4@x\x1b[3C\x1b[2Dy\x1b[5\`z`
          : `\x1b[0A\x1b[0Bplain ${i}`,
    );
    await expectSameScreen('', `head\r\n${redraw}`);
    await expectSameScreen('', `head\r\n${redraw}`, { cols: 20, rows: 4, scrollback: 10 });
    // Moves to a row (a redraw from the top), then enough lines to bring the cursor back down.
    const screens = Array.from(
      { length: 40 },
      (_, k) => `\x1b[H\x1b[${1 + (k % 30)};5Hframe ${k}\x1b[${k % 7}d${lines(30, (i) => `f${k} ${i}`)}`,
    ).join('');
    const keep = DIMS.scrollback + DIMS.rows;
    await expectSameScreen('$ top\r\n', `head\r\n${screens}${lines(keep + DIMS.rows, (i) => `after ${i}`)}`);
  });

  it('drops random mixes of moves and edits only when the terminal ends the same', async () => {
    const edits = [
      (n: number) => `\x1b[${n}C`,
      (n: number) => `\x1b[${n}D`,
      (n: number) => `\x1b[${n}G`,
      (n: number) => `\x1b[${n}\``,
      (n: number) => `\x1b[${n}X`,
      (n: number) => `\x1b[${n}P`,
      (n: number) => `\x1b[${n}@`,
      () => '\x1b[K',
      () => '\x1b[1K',
      () => '\x1b[31;44m',
      () => '\x1b[0m',
    ];
    const ups = [(n: number) => `\x1b[${n}A`, (n: number) => `\x1b[${n}F`];
    const downs = [(n: number) => `\x1b[${n}B`, (n: number) => `\x1b[${n}E`];
    const rows = [(n: number) => `\x1b[${n}d`, (n: number) => `\x1b[${n};${n * 3}H`];
    const any = [...edits, ...ups, ...downs, ...rows];
    const pick = <T>(r: () => number, xs: T[]): T => xs[Math.floor(r() * xs.length)]!;
    /** Lines whose moves up come back down (progress redraws) or, when `free`, moves of any kind anywhere. */
    const stream = (r: () => number, free: boolean) =>
      lines(1_500, (i) => {
        let l = `${i}`;
        for (let k = Math.floor(r() * 4); k > 0; k--) {
          const n = Math.floor(r() * 6);
          if (free) l += pick(r, any)(n) + 'ab';
          else if (r() < 0.3)
            l += `${pick(r, ups)(n)}${pick(r, edits)(n)}up${pick(r, downs)(Math.max(1, n))}`;
          else if (r() < 0.02) l += `${pick(r, rows)(n)}top`;
          else l += pick(r, edits)(n) + 'ab';
        }
        return l;
      });
    let balancedCuts = 0;
    let freeCuts = 0;
    for (let seed = 11; seed < 31; seed++) {
      const r = rng(seed);
      const d: Dims = {
        cols: 10 + Math.floor(r() * 60),
        rows: 2 + Math.floor(r() * 20),
        scrollback: Math.floor(r() * 60),
      };
      for (const free of [false, true]) {
        const backlog = `head\r\n${stream(r, free)}`;
        const cut = cutFlood(backlog, d.rows, d.scrollback, true);
        if (typeof cut === 'string') {
          // Never because of what it holds: only moves and edits (the cursor was not surely at the bottom).
          expect(cut, `seed ${seed}`).not.toBe('not-plain');
          continue;
        }
        if (free) freeCuts++;
        else balancedCuts++;
        await expectSameScreen('sent$ ', backlog, d);
      }
    }
    expect(balancedCuts).toBeGreaterThanOrEqual(15);
    expect(freeCuts).toBeGreaterThanOrEqual(1);
  });

  it('cuts a flood whose sent part ended inside a sequence, which the held part finishes', async () => {
    const upDown = lines(3_000, (i) => `job ${i}\x1b[A\x1b[B`);
    // The batch before holding began ended in the middle of a move: "...job 9\x1b[" | "A\x1b[B\r\n...".
    const sent = `$ run\r\n${lines(10, (i) => `early ${i}`)}job 9\x1b[`;
    const backlog = `A\x1b[B\r\n${upDown}`;
    expect(cutFlood(backlog, DIMS.rows, DIMS.scrollback, false)).toBe('not-plain');
    const cut = cutFlood(backlog, DIMS.rows, DIMS.scrollback, false, '\x1b[');
    if (typeof cut === 'string') throw new Error(`a cut was expected, got "${cut}"`);
    expect(cut.dropped).toBeGreaterThan(upDown.length * 0.8);
    const [whole, short] = await Promise.all([render([sent, backlog]), render([sent, ...cut.chunks])]);
    expect(short.cursor).toBe(whole.cursor);
    expect(short.text).toBe(whole.text);
    // A sequence that the head does not finish (a title running past the line) is still not cut.
    expect(cutFlood(`still the title\r\n${upDown}`, DIMS.rows, DIMS.scrollback, false, '\x1b]0;')).toBe(
      'not-plain',
    );
  });

  it('waits for more lines when a move up leaves the cursor off the bottom row at the cut', () => {
    const keep = DIMS.scrollback + DIMS.rows;
    const before = lines(3 * keep, (i) => `row ${i}`);
    const after = lines(keep - 1, (i) => `kept ${i}`);
    // The cut falls between the two: 5 rows up just before it, 2 line feeds to come back down.
    const text = `head\r\n${before}\x1b[5A\r\n\r\n${after}`;
    expect(cutFlood(text, DIMS.rows, DIMS.scrollback, true)).toBe('few-lines');
    expect(
      cutFlood(`${text}${lines(DIMS.rows, (i) => `more ${i}`)}`, DIMS.rows, DIMS.scrollback, true),
    ).toHaveProperty('dropped');
  });

  it('cuts earlier when moves up among the kept lines keep them from scrolling the old rows out', async () => {
    const keep = DIMS.scrollback + DIMS.rows;
    // Each of the last lines climbs two rows and comes down one: they stop scrolling at once.
    const backlog = `head\r\n${lines(3 * keep, (i) => `row ${i}`)}${lines(12, (i) => `climb ${i}\x1b[2A`)}`;
    const plainCut = cutFlood(
      `head\r\n${lines(3 * keep + 12, (i) => `row ${i}`)}`,
      DIMS.rows,
      DIMS.scrollback,
      true,
    );
    const cut = cutFlood(backlog, DIMS.rows, DIMS.scrollback, true);
    if (typeof cut === 'string' || typeof plainCut === 'string') throw new Error('cuts were expected');
    expect(cut.dropped).toBeLessThan(plainCut.dropped);
    await expectSameScreen('$ climb\r\n', backlog);
  });

  it('does not cut across modes, scrolling, screen erases, marks or a saved cursor', () => {
    const many = lines(2_000, (i) => `row ${i}`);
    const cases: Record<string, string> = {
      'save and restore the cursor': `${many}\x1b7${many}`,
      'save the cursor (CSI s)': `${many}\x1b[s${many}`,
      'scroll up': `${many}\x1b[S${many}`,
      'reverse index': `${many}\x1bM${many}`,
      'insert a line': `${many}\x1b[L${many}`,
      'a move relative to the row (VPR)': `${many}\x1b[e${many}`,
      'hide the cursor': `${many}\x1b[?25l${many}`,
      'an OSC 633 mark': `${many}\x1b]633;D;0\x07${many}`,
      'the alternate screen': `${many}\x1b[?1049h${many}`,
      'a title': `${many}\x1b]0;title\x07${many}`,
      'a bell': `${many}\x07${many}`,
      'a C1 CSI': `${many}\x9b2J${many}`,
      'erase in display': `${many}\x1b[2J${many}`,
      'an EL it does not know': `${many}\x1b[3K${many}`,
      'a charset shift': `${many}\x0e${many}`,
      'an SGR it does not model': `${many}\x1b[10m${many}`,
    };
    for (const [what, text] of Object.entries(cases)) {
      expect(cutFlood(`head\r\n${text}`, DIMS.rows, DIMS.scrollback, true), what).toBe('not-plain');
    }
    // The same text with the offending sequence among the kept lines is cut.
    expect(cutFlood(`head\r\n${many}${many}\x1b[A`, DIMS.rows, DIMS.scrollback, true)).toHaveProperty(
      'dropped',
    );
  });

  it('does not cut when the backlog began inside an escape sequence, or has too few lines', () => {
    const many = lines(2_000, (i) => `row ${i}`);
    const keep = DIMS.scrollback + DIMS.rows;
    expect(cutFlood(`1m head\r\n${many}`, DIMS.rows, DIMS.scrollback, false)).toBe('not-plain');
    expect(cutFlood(`\x1b]633;E;echo\r\n${many}`, DIMS.rows, DIMS.scrollback, true)).toBe('not-plain');
    expect(
      cutFlood(`head\r\n${lines(keep + DIMS.rows - 2, (i) => `${i}`)}`, DIMS.rows, DIMS.scrollback, true),
    ).toBe('few-lines');
    expect(cutFlood(many.replace(/\r\n/g, '\n'), DIMS.rows, DIMS.scrollback, true)).toBe('few-lines');
    expect(cutFlood(`head\r\n${many.replace(/\r\n/g, '\n')}\r\n`, DIMS.rows, DIMS.scrollback, true)).toBe(
      'not-plain',
    );
  });
});

describe('endsInGround', () => {
  it('tells a finished escape sequence from one still open at the end of a chunk', () => {
    expect(endsInGround(true, 'plain text')).toBe(true);
    expect(endsInGround(false, 'plain text')).toBe(false);
    expect(endsInGround(true, 'red \x1b[31mtext')).toBe(true);
    expect(endsInGround(true, 'red \x1b[3')).toBe(false);
    expect(endsInGround(true, 'osc \x1b]633;A')).toBe(false);
    expect(endsInGround(true, 'osc \x1b]633;A\x07')).toBe(true);
    expect(endsInGround(true, 'osc \x1b]633;A\x1b\\')).toBe(true);
    expect(endsInGround(false, 'x\x1b[?2004h ok')).toBe(true);
    expect(endsInGround(true, 'c1 \x9b')).toBe(false);
    expect(endsInGround(true, 'x\x1b')).toBe(false);
  });
});

describe('SgrChange', () => {
  it('replays the net effect of a run as one sequence', () => {
    const net = (...runs: string[]) => {
      const s = new SgrChange();
      for (const r of runs) expect(s.apply(r)).toBe(true);
      return s.sequence();
    };
    expect(net()).toBe('');
    expect(net('31', '39')).toBe('\x1b[39m');
    expect(net('1', '22', '2')).toBe('\x1b[22;2m');
    expect(net('1;31', '0', '4')).toBe('\x1b[0;4m');
    expect(net('38;5;208', '48;2;1;2;3')).toBe('\x1b[38;5;208;48;2;1;2;3m');
    expect(new SgrChange().apply('38;5')).toBe(false);
    expect(new SgrChange().apply('12')).toBe(false);
  });
});
