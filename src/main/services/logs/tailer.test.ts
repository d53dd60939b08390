// The tailer against a real writer in a temp dir: daily and size rolls, truncation, delete and
// recreate, rename, half lines, CRLF, BOM, invalid UTF-8, giant lines, a missing directory.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LineSplitter } from './line-splitter';
import { FileSetTailer, type TailStatus } from './tailer';

let dir: string;
let tailers: FileSetTailer[] = [];

beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-tailer-'));
});
afterEach(() => {
  for (const t of tailers) t.stop();
  tailers = [];
  fs.rmSync(dir, { recursive: true, force: true });
});

async function waitFor(pred: () => boolean, what: string, ms = 8000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function follow(sub = '', pattern = 'aura-api-*.log', startAt: 'start' | 'end' = 'start', ended = false) {
  const lines: string[] = [];
  const meta: Array<{ text: string; file: string; offset: number; truncated: boolean; byteLength: number }> =
    [];
  const statuses: TailStatus[] = [];
  const t = new FileSetTailer({
    dir: path.join(dir, sub),
    pattern,
    startAt,
    pollMs: 20,
    onLines: (ls, f) => {
      for (const l of ls) {
        lines.push(l.text);
        meta.push({
          text: l.text,
          file: f.name,
          offset: l.offset,
          truncated: l.truncated,
          byteLength: l.byteLength,
        });
      }
    },
    onStatus: (s) => statuses.push(s),
    ended,
  });
  tailers.push(t);
  t.start();
  return { t, lines, meta, statuses };
}

const f = (name: string) => path.join(dir, name);
const numbered = (from: number, to: number) =>
  Array.from({ length: to - from }, (_, i) => `line ${from + i}`);

describe('LineSplitter', () => {
  it('holds a half line until its newline and keeps offsets exact', () => {
    const s = new LineSplitter(0);
    expect(s.feed(Buffer.from('ab'))).toEqual([]);
    const out = s.feed(Buffer.from('c\r\nd\n'));
    expect(out).toEqual([
      { text: 'abc', offset: 0, byteLength: 4, truncated: false },
      { text: 'd', offset: 5, byteLength: 1, truncated: false },
    ]);
    expect(s.position).toBe(7);
  });
  it('cuts a giant line for display at a character boundary and flags it', () => {
    const s = new LineSplitter(0, 10);
    const out = s.feed(Buffer.from('aaaaaaaaaé' + 'x'.repeat(100) + '\nnext\n'));
    expect(out[0].truncated).toBe(true);
    expect(out[0].text).toBe('aaaaaaaaa');
    expect(out[0].byteLength).toBe(111);
    expect(out[1]).toEqual({ text: 'next', offset: 112, byteLength: 4, truncated: false });
  });
});

describe('FileSetTailer', () => {
  it('reads CRLF, a BOM and invalid UTF-8 (replacement marks, nothing dropped)', async () => {
    fs.writeFileSync(
      f('aura-api-20251208.log'),
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from('first\r\nbad '),
        Buffer.from([0xff, 0xfe]),
        Buffer.from(' end\r\n'),
      ]),
    );
    const { lines } = follow();
    await waitFor(() => lines.length === 2, 'two lines');
    expect(lines).toEqual(['first', 'bad \uFFFD\uFFFD end']);
  });

  it('keeps a multi-megabyte line whole in byte count and cut for display', async () => {
    const big = 'y'.repeat(3 * 1024 * 1024);
    fs.writeFileSync(f('aura-api-20251208.log'), `${big}\nafter\n`);
    const { meta } = follow();
    await waitFor(() => meta.length === 2, 'two lines');
    expect(meta[0].truncated).toBe(true);
    expect(meta[0].byteLength).toBe(big.length);
    expect(meta[0].text.length).toBe(64 * 1024);
    expect(meta[1]).toMatchObject({ text: 'after', offset: big.length + 1, truncated: false });
  });

  it('never loses or doubles a line across half lines, daily and size rolls, truncate, delete/recreate', async () => {
    const { lines, statuses } = follow();
    const expected: string[] = [];
    const day1 = f('aura-api-20251208.log');
    fs.writeFileSync(day1, 'line 0\nline 1\nline');
    expected.push('line 0', 'line 1');
    await waitFor(() => lines.length === 2, 'first lines');
    fs.appendFileSync(day1, ' 2\n');
    expected.push('line 2');
    // Size roll then daily roll, written without waiting: the old files must be drained first.
    fs.appendFileSync(day1, 'line 3\n');
    fs.writeFileSync(f('aura-api-20251208_001.log'), 'line 4\nline 5\n');
    fs.writeFileSync(f('aura-api-20251209.log'), 'line 6\n');
    expected.push('line 3', 'line 4', 'line 5', 'line 6');
    await waitFor(() => lines.length === expected.length, 'rolled lines');
    // Truncate in place and write again.
    fs.truncateSync(f('aura-api-20251209.log'), 0);
    await waitFor(() => statuses.some((s) => s.kind === 'truncated'), 'truncation noticed');
    fs.appendFileSync(f('aura-api-20251209.log'), 'line 7\n');
    expected.push('line 7');
    await waitFor(() => lines.length === expected.length, 'after truncate');
    // Append, then delete and recreate at once: the open handle still yields the last line.
    fs.appendFileSync(f('aura-api-20251209.log'), 'line 8\n');
    fs.unlinkSync(f('aura-api-20251209.log'));
    fs.writeFileSync(f('aura-api-20251209.log'), 'line 9\n');
    expected.push('line 8', 'line 9');
    await waitFor(() => lines.length >= expected.length, 'after recreate');
    expect(lines).toEqual(expected);
    expect(statuses.map((s) => s.kind)).toEqual(
      expect.arrayContaining(['following', 'rotated', 'truncated', 'recreated']),
    );
  });

  it('re-reads a file rewritten in place to the same or a larger size (head fingerprint)', async () => {
    const p = f('aura-api-20251208.log');
    fs.writeFileSync(
      p,
      '[2025-12-08 09:00:00.000 +00:00] first 1\n[2025-12-08 09:00:01.000 +00:00] first 2\n',
    );
    const { lines, statuses, t } = follow();
    await waitFor(() => lines.length === 2, 'first lines');
    const ino = fs.statSync(p).ino;
    // Truncate and refill in one go (no check can run in between): same inode, a bigger size,
    // so the size alone cannot tell. The tailer must start over, not read from its old offset.
    fs.writeFileSync(
      p,
      '[2025-12-08 10:00:00.000 +00:00] second 1\n[2025-12-08 10:00:01.000 +00:00] second 2\nsecond 3\n',
    );
    expect(fs.statSync(p).ino).toBe(ino);
    t.poke();
    await waitFor(() => lines.length === 5, 'the rewritten lines');
    expect(statuses.filter((s) => s.kind === 'truncated').map((s) => s.message)).toEqual([
      'aura-api-20251208.log was rewritten in place (its first bytes changed); reading it again from the start.',
    ]);
    // Rewritten to exactly the same size, then appended: still every line once.
    const same = fs.readFileSync(p, 'utf8').replace(/second/g, 'thirdd');
    fs.writeFileSync(p, same);
    t.poke();
    await waitFor(() => lines.length === 8, 'same-size rewrite');
    fs.appendFileSync(p, 'appended\n');
    await waitFor(() => lines.length === 9, 'append after rewrite');
    expect(lines).toEqual([
      '[2025-12-08 09:00:00.000 +00:00] first 1',
      '[2025-12-08 09:00:01.000 +00:00] first 2',
      '[2025-12-08 10:00:00.000 +00:00] second 1',
      '[2025-12-08 10:00:01.000 +00:00] second 2',
      'second 3',
      '[2025-12-08 10:00:00.000 +00:00] thirdd 1',
      '[2025-12-08 10:00:01.000 +00:00] thirdd 2',
      'thirdd 3',
      'appended',
    ]);
  });

  it('follows a rename away (inode change) to the new file at the same name', async () => {
    const p = f('errors-2025-12.jsonl');
    fs.writeFileSync(p, '{"a":1}\n');
    const { lines } = follow('', 'errors-????-??.jsonl');
    await waitFor(() => lines.length === 1, 'first');
    fs.appendFileSync(p, '{"a":2}\n');
    fs.renameSync(p, f('errors-2025-12-20251208-120000.jsonl'));
    fs.writeFileSync(p, '{"a":3}\n');
    await waitFor(() => lines.length >= 3, 'after rename');
    expect(lines).toEqual(['{"a":1}', '{"a":2}', '{"a":3}']);
  });

  it('waits for a directory that does not exist yet', async () => {
    const { lines, statuses } = follow('later/logs');
    await waitFor(() => statuses.some((s) => s.kind === 'waiting-for-dir'), 'waiting status');
    fs.mkdirSync(path.join(dir, 'later/logs'), { recursive: true });
    fs.writeFileSync(path.join(dir, 'later/logs/aura-api-20251208.log'), 'hello\n');
    await waitFor(() => lines.length === 1, 'line after dir appears');
    expect(lines).toEqual(['hello']);
  });

  it('shows the last line without its newline of a set that will not grow (a bundle copy), and holds it in a live one', () => {
    // A copy made while Aura wrote its last record ends mid-line: nothing more will ever come.
    fs.writeFileSync(f('aura-api-20251208.log'), 'first\nsecond\nthird, cut where the copy was made');
    const live = follow();
    const ended = follow('', 'aura-api-*.log', 'start', true);
    // start() reads synchronously: both have read the file once here.
    expect(live.lines).toEqual(['first', 'second']);
    expect(ended.lines).toEqual(['first', 'second', 'third, cut where the copy was made']);
    expect(ended.meta[2]).toMatchObject({ offset: 13, byteLength: 34 });
    // Read again: the cut line is not emitted twice.
    ended.t.checkNow();
    expect(ended.lines).toHaveLength(3);
  });

  it('starts at the end of the newest file when asked and ignores older files', async () => {
    fs.writeFileSync(f('aura-api-20251207.log'), 'old\n');
    fs.writeFileSync(f('aura-api-20251208.log'), 'already there\n');
    const { lines, t } = follow('', 'aura-api-*.log', 'end');
    fs.appendFileSync(f('aura-api-20251208.log'), 'new\n');
    t.poke();
    await waitFor(() => lines.length === 1, 'new line');
    expect(lines).toEqual(['new']);
  });

  it('loses no line while a writer appends and rolls continuously', async () => {
    const { lines } = follow();
    const TOTAL = 20_000;
    const PER_FILE = 3_000;
    let n = 0;
    let file = 0;
    const name = (i: number) => f(`aura-api-20251208${i === 0 ? '' : `_${String(i).padStart(3, '0')}`}.log`);
    while (n < TOTAL) {
      const batch: string[] = [];
      for (let i = 0; i < 250 && n < TOTAL; i++, n++) batch.push(`line ${n}`);
      // Each batch goes out in two writes split mid-line, so the tailer often sees half a line.
      const text = batch.join('\n') + '\n';
      const cut = 1 + ((n * 7919) % (text.length - 2));
      fs.appendFileSync(name(file), text.slice(0, cut));
      await new Promise((r) => setImmediate(r));
      fs.appendFileSync(name(file), text.slice(cut));
      if (n % PER_FILE === 0) file++;
      await new Promise((r) => setImmediate(r));
    }
    await waitFor(() => lines.length >= TOTAL, 'all lines', 15_000);
    expect(lines.length).toBe(TOTAL);
    expect(lines).toEqual(numbered(0, TOTAL));
  });
});
