// The log pane's record cache stays bounded through a flood and keeps the rows around the focus.
import { describe, expect, it } from 'vitest';
import { CACHE_KEEP_ROWS, CACHE_MAX_ROWS, RecordCache } from './record-cache';
import { rec } from './test-records';

describe('RecordCache', () => {
  it('stays bounded while following a flood and keeps the live end', () => {
    const c = new RecordCache();
    let peak = 0;
    for (let i = 0; i < 100_000; i++) {
      c.set(i, rec(i));
      // Following: the viewport sits on the newest rows.
      c.setFocus(Math.max(0, i - 30));
      peak = Math.max(peak, c.size);
    }
    expect(peak).toBe(CACHE_MAX_ROWS);
    expect(c.size).toBeLessThanOrEqual(CACHE_MAX_ROWS);
    expect(c.size).toBeGreaterThanOrEqual(CACHE_KEEP_ROWS);
    for (let i = 99_950; i < 100_000; i++) expect(c.get(i)?.message).toBe(`line ${i}`);
    expect(c.has(0)).toBe(false);
  });

  it('keeps the rows around where the operator scrolled to', () => {
    const c = new RecordCache(100, 50);
    for (let i = 0; i < 100; i++) c.set(i, rec(i));
    c.setFocus(10);
    c.set(500, rec(500));
    expect(c.size).toBe(50);
    for (let i = 0; i < 35; i++) expect(c.has(i)).toBe(true);
    expect(c.has(500)).toBe(false);
  });

  it('refuses a keep size outside 1..max', () => {
    expect(() => new RecordCache(10, 0)).toThrow(/keep/);
    expect(() => new RecordCache(10, 11)).toThrow(/keep/);
  });
});

describe('RecordCache.shift', () => {
  it('moves every row and its index by the records the index prepended, and the focus with them', () => {
    const c = new RecordCache(10, 5);
    for (let i = 0; i < 5; i++) c.set(i, rec(i));
    c.setFocus(4);
    c.shift(1000);
    expect(c.has(0)).toBe(false);
    expect(c.get(1004)).toMatchObject({ index: 1004, offset: 400, message: 'line 4' });
    expect(c.size).toBe(5);
    // Eviction now keeps the rows around the shifted focus (1004), not around 4.
    for (let i = 0; i < 6; i++) c.set(i, rec(i));
    expect(c.has(1004)).toBe(true);
    expect(c.has(0)).toBe(false);
  });
});
