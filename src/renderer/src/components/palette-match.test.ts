// The palette's matcher: the queries operators type ("newterm", "bak db", "High Error") find the
// entry they mean, first, and nonsense finds nothing.
import { describe, expect, it } from 'vitest';
import { matchWord, rank, scoreEntry, words } from './palette-match';

const entries = [
  { title: 'New terminal', keywords: ['shell', 'tab'] },
  { title: 'Split terminal', keywords: ['side by side'] },
  { title: 'Back up aura.db', keywords: ['backup', 'copy', 'snapshot'] },
  { title: 'Backup and Restore', symptoms: ['Need to recover data'] },
  { title: 'High Error Rates', symptoms: ['5xx responses climb', 'ERR lines in errors log'] },
  { title: 'Switch scenario…', keywords: ['demo', 'practice'] },
  { title: 'Switch scenario: Error spike', keywords: ['demo'] },
  { title: 'Export session report', keywords: ['post-mortem', 'markdown', 'download'] },
  { title: 'Database Issues', detail: 'database is locked' },
];
const titles = (q: string) => rank(q, entries).map((r) => r.item.title);

describe('palette matcher', () => {
  it('splits words at punctuation and camelCase', () => {
    expect(words('Back up aura.db')).toEqual(['back', 'up', 'aura', 'db']);
    expect(words('quickCheck')).toEqual(['quick', 'check']);
  });

  it('grades whole words over prefixes over spread word starts over in-word letters', () => {
    const exact = matchWord('error', 'High Error Rates');
    const prefix = matchWord('err', 'High Error Rates');
    const across = matchWord('newterm', 'New terminal');
    const inWord = matchWord('bak', 'Back up');
    expect(exact).toBeGreaterThan(prefix);
    expect(prefix).toBeGreaterThan(across);
    expect(across).toBeGreaterThan(inWord);
    expect(inWord).toBeGreaterThan(0);
    expect(matchWord('xyz', 'New terminal')).toBe(0);
  });

  it('finds what the operator means first', () => {
    expect(titles('High Error')[0]).toBe('High Error Rates');
    expect(titles('new terminal')[0]).toBe('New terminal');
    expect(titles('newterm')[0]).toBe('New terminal');
    expect(titles('bak db')[0]).toBe('Back up aura.db');
    expect(titles('export')[0]).toBe('Export session report');
    expect(titles('scenario')[0]).toBe('Switch scenario…');
    expect(titles('backup')).toEqual(expect.arrayContaining(['Back up aura.db', 'Backup and Restore']));
  });

  it('matches symptoms and detail text, weaker than a title', () => {
    expect(titles('5xx')).toEqual(['High Error Rates']);
    expect(titles('locked')).toEqual(['Database Issues']);
    const viaTitle = scoreEntry('restore', entries[3]!)!;
    const viaSymptom = scoreEntry('recover', entries[3]!)!;
    expect(viaTitle).toBeGreaterThan(viaSymptom);
  });

  it('takes scattered letters in a title only, never in a long description', () => {
    const scenario = {
      title: 'Switch scenario: API down',
      detail: 'The backend process is gone: port closed, no jobs picked up',
    };
    expect(scoreEntry('backup', scenario)).toBeNull();
    expect(scoreEntry('swcnro', scenario)).not.toBeNull();
  });

  it('needs every query word to match somewhere', () => {
    expect(titles('terminal zebra')).toEqual([]);
    expect(titles('qqq')).toEqual([]);
    expect(scoreEntry('new nothing', entries[0]!)).toBeNull();
  });

  it('keeps input order for an empty query and survives hostile input', () => {
    expect(titles('')).toEqual(entries.map((e) => e.title));
    expect(titles('   ')).toEqual(entries.map((e) => e.title));
    expect(titles('.*+?()[]{}|\\^$')).toEqual(entries.map((e) => e.title)); // no words: nothing filtered, no RegExp built
    expect(titles('a'.repeat(5000))).toEqual([]);
    expect(titles('\u0000\u202e')).toEqual(entries.map((e) => e.title));
  });
});

describe('palette matcher cost', () => {
  it('stays fast on a long query against many look-alike words', () => {
    const title = Array.from({ length: 40 }, () => 'aaaaaaaaaa').join(' ');
    const t0 = performance.now();
    expect(matchWord('a'.repeat(199) + 'b', title)).toBe(0);
    expect(performance.now() - t0).toBeLessThan(500);
  });
});
