// A log pane's view parameters and the small steps of its controls: what the server is asked for,
// when two views are the same, the level toggles, match stepping and the search highlight.
import { describe, expect, it } from 'vitest';
import { LEVELS, type LogLevel } from '../../../../shared/serilog';
import {
  appliedFilter,
  buildViewParams,
  highlightRegex,
  isFilteredView,
  matchesFrom,
  stepMatch,
  toggleLevel,
  viewKeyOf,
} from './log-view';

const ALL: ReadonlySet<LogLevel> = new Set(LEVELS);

describe('buildViewParams', () => {
  it('sends nothing for all levels, no filter and no range: the unfiltered view', () => {
    const p = buildViewParams(ALL, null, null, null);
    expect(p).toEqual({ levels: undefined, filter: undefined, range: undefined });
    expect(isFilteredView(p)).toBe(false);
  });

  it('sends the levels shown, in the levels order whatever order they were toggled in', () => {
    const a = buildViewParams(new Set<LogLevel>(['ERR', 'WRN']), null, null, null);
    const b = buildViewParams(new Set<LogLevel>(['WRN', 'ERR']), null, null, null);
    expect(a.levels).toEqual(['WRN', 'ERR']);
    expect(viewKeyOf(a)).toBe(viewKeyOf(b));
    expect(isFilteredView(a)).toBe(true);
  });

  it('matches a typed filter case-insensitively, in or out, plain or regex', () => {
    const p = buildViewParams(ALL, { text: 'Timeout|5\\d\\d', regex: true, invert: true }, null, null);
    expect(p.filter).toEqual({ text: 'Timeout|5\\d\\d', regex: true, caseSensitive: false, invert: true });
    expect(isFilteredView(p)).toBe(true);
  });

  it('lets a correlation id win over the typed filter, matched as written and never as a regex', () => {
    const cid = '0HN.*(a+)+$';
    const p = buildViewParams(ALL, { text: 'error', regex: true, invert: true }, cid, null);
    expect(p.filter).toEqual({ text: cid, regex: false, caseSensitive: true, invert: false });
  });

  it('carries a time range and keys it apart from the same view without it', () => {
    const range = { from: 1_000, to: 61_000 };
    const p = buildViewParams(ALL, null, null, range);
    expect(p.range).toEqual(range);
    expect(isFilteredView(p)).toBe(true);
    expect(viewKeyOf(p)).not.toBe(viewKeyOf(buildViewParams(ALL, null, null, null)));
  });

  it('keys views apart that differ only in case or mode of the filter', () => {
    const base = buildViewParams(ALL, { text: 'err', regex: false, invert: false }, null, null);
    const out = buildViewParams(ALL, { text: 'err', regex: false, invert: true }, null, null);
    const upper = buildViewParams(ALL, { text: 'ERR', regex: false, invert: false }, null, null);
    expect(new Set([viewKeyOf(base), viewKeyOf(out), viewKeyOf(upper)]).size).toBe(3);
  });

  it('does not let a hostile filter text change the key of another view', () => {
    // Text that looks like the key's own JSON stays inside its string.
    const a = buildViewParams(ALL, { text: '","regex":true,"x":"', regex: false, invert: false }, null, null);
    const b = buildViewParams(ALL, { text: '', regex: true, invert: false }, null, null);
    expect(viewKeyOf(a)).not.toBe(viewKeyOf(b));
    expect(JSON.parse(viewKeyOf(a))).toEqual(JSON.parse(JSON.stringify(a)));
  });
});

describe('appliedFilter', () => {
  it('applies a copy of the draft, and an empty text removes the filter', () => {
    const draft = { text: 'db', regex: false, invert: false };
    const f = appliedFilter(draft);
    expect(f).toEqual(draft);
    expect(f).not.toBe(draft);
    expect(appliedFilter({ text: '', regex: true, invert: true })).toBeNull();
  });
});

describe('toggleLevel', () => {
  it('turns a level off and on', () => {
    const off = toggleLevel(ALL, 'DBG');
    expect(off.has('DBG')).toBe(false);
    expect(off.size).toBe(LEVELS.length - 1);
    expect(toggleLevel(off, 'DBG').has('DBG')).toBe(true);
  });

  it('keeps the last level on: the same set comes back', () => {
    const one: ReadonlySet<LogLevel> = new Set<LogLevel>(['ERR']);
    expect(toggleLevel(one, 'ERR')).toBe(one);
  });
});

describe('matches', () => {
  it('starts at the newest match, or none', () => {
    expect(matchesFrom([3, 9, 40], 7)).toEqual({ list: [3, 9, 40], total: 7, at: 2 });
    expect(matchesFrom([], 0).at).toBe(-1);
  });

  it('steps both ways and wraps around', () => {
    const m = matchesFrom([3, 9, 40], 3);
    expect(stepMatch(m, 1)?.at).toBe(0);
    expect(stepMatch(m, -1)?.at).toBe(1);
    expect(stepMatch({ ...m, at: 0 }, -1)?.at).toBe(2);
  });

  it('has no step without matches', () => {
    expect(stepMatch(null, 1)).toBeNull();
    expect(stepMatch(matchesFrom([], 0), -1)).toBeNull();
  });
});

describe('highlightRegex', () => {
  it('escapes plain text so its characters match themselves', () => {
    const re = highlightRegex({ text: 'a.b(1)', regex: false });
    expect(re?.test('xA.B(1)')).toBe(true);
    expect(highlightRegex({ text: 'a.b', regex: false })?.test('axb')).toBe(false);
  });

  it('uses a regex as given, case-insensitively and global', () => {
    const re = highlightRegex({ text: 'err(or)?', regex: true });
    expect(re?.flags).toBe('gi');
    expect('ERROR err'.match(re as RegExp)).toEqual(['ERROR', 'err']);
  });

  it('gives no highlight for no text or a regex that does not compile', () => {
    expect(highlightRegex({ text: '', regex: true })).toBeNull();
    expect(highlightRegex({ text: '([', regex: true })).toBeNull();
  });
});
