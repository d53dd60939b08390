// The log pane's windowing arithmetic: rows on screen for a scroll position, the proportional
// mapping past MAX_SCROLL_PX, the scrollTop clamp after a view shrinks, pages to fetch, and
// keeping the same records on screen when older ones are prepended.
import { describe, expect, it } from 'vitest';
import {
  BLOCK,
  MAX_SCROLL_PX,
  OVERSCAN,
  ROW,
  computeWindow,
  missingBlocks,
  prependScrollPx,
  scrollTopForRow,
} from './log-window';

describe('computeWindow', () => {
  it('maps scrollTop to rows one to one in a short view', () => {
    const w = computeWindow({ total: 1000, row: ROW, height: 300, scrollTop: 410 });
    expect(w.scaled).toBe(false);
    expect(w.contentPx).toBe(20_000);
    expect(w.visible).toBe(16);
    expect(w.first).toBe(20);
    expect(w.frac).toBeCloseTo(0.5);
    expect(w.from).toBe(20 - OVERSCAN);
    expect(w.to).toBe(20 + 16 + OVERSCAN);
  });

  it('keeps from and to inside the view at both ends', () => {
    const top = computeWindow({ total: 1000, row: ROW, height: 300, scrollTop: 0 });
    expect([top.first, top.from]).toEqual([0, 0]);
    const end = computeWindow({ total: 1000, row: ROW, height: 300, scrollTop: 20_000 - 300 });
    expect(end.to).toBe(1000);
    expect(end.first + end.visible - 1).toBeGreaterThanOrEqual(999);
  });

  it('clamps a remembered scrollTop the shrunk view cannot have, so the first rows are not skipped', () => {
    // Scrolled deep into 100k rows, then a filter leaves 10: the browser clamps to 0 silently.
    const w = computeWindow({ total: 10, row: ROW, height: 300, scrollTop: 1_500_000 });
    expect(w.first).toBe(0);
    expect(w.frac).toBe(0);
    expect(w.to).toBe(10);
    // A view a little taller than the pane: the clamp is to its own end, not 0.
    const v = computeWindow({ total: 40, row: ROW, height: 300, scrollTop: 1_500_000 });
    expect(v.first).toBe((40 * ROW - 300) / ROW);
  });

  it('maps proportionally past MAX_SCROLL_PX: the top shows row 0 and the bottom the last rows', () => {
    const total = 2_000_000; // 40M px at 20 px a row
    const height = 300;
    const top = computeWindow({ total, row: ROW, height, scrollTop: 0 });
    expect(top.scaled).toBe(true);
    expect(top.contentPx).toBe(MAX_SCROLL_PX);
    expect(top.first).toBe(0);
    const bottom = computeWindow({ total, row: ROW, height, scrollTop: MAX_SCROLL_PX - height });
    expect(bottom.first).toBe(total - bottom.visible + 1);
    expect(bottom.to).toBe(total);
    const mid = computeWindow({ total, row: ROW, height, scrollTop: (MAX_SCROLL_PX - height) / 2 });
    expect(Math.abs(mid.first - (total - mid.visible + 1) / 2)).toBeLessThanOrEqual(1);
  });

  it('stays one to one exactly at MAX_SCROLL_PX and scales one row past it', () => {
    const at = computeWindow({ total: MAX_SCROLL_PX / ROW, row: ROW, height: 300, scrollTop: 1000 });
    expect(at.scaled).toBe(false);
    expect(at.first).toBe(50);
    const past = computeWindow({ total: MAX_SCROLL_PX / ROW + 1, row: ROW, height: 300, scrollTop: 1000 });
    expect(past.scaled).toBe(true);
  });

  it('shows nothing for an empty view and never divides by zero', () => {
    const w = computeWindow({ total: 0, row: ROW, height: 300, scrollTop: 50 });
    expect([w.first, w.from, w.to, w.contentPx]).toEqual([0, 0, 0, 0]);
    expect(w.maxTop).toBe(1);
    expect(Number.isFinite(w.frac)).toBe(true);
  });
});

describe('scrollTopForRow', () => {
  it('puts the row a third down the pane in a short view, never above 0', () => {
    const input = { total: 1000, row: ROW, height: 300 };
    const w = computeWindow({ ...input, scrollTop: 0 });
    expect(scrollTopForRow(w, input, 500)).toBe(500 * ROW - 100);
    expect(scrollTopForRow(w, input, 2)).toBe(0);
  });

  it('is the inverse of the proportional mapping in a scaled view', () => {
    const input = { total: 3_000_000, row: ROW, height: 300 };
    const w0 = computeWindow({ ...input, scrollTop: 0 });
    for (const target of [0, 1_234_567, 2_999_000]) {
      const top = scrollTopForRow(w0, input, target);
      expect(top).toBeLessThanOrEqual(MAX_SCROLL_PX - 300);
      const w = computeWindow({ ...input, scrollTop: top });
      expect(Math.abs(w.first - target)).toBeLessThanOrEqual(1);
    }
  });
});

describe('missingBlocks', () => {
  it('asks for each page that lacks a row, once', () => {
    const have = new Set<number>();
    for (let i = 0; i < BLOCK; i++) have.add(i);
    expect(missingBlocks(150, 450, (i) => have.has(i))).toEqual([1, 2]);
    expect(missingBlocks(150, 200, (i) => have.has(i))).toEqual([]);
  });

  it('fetches a page whole: a missing row before `from` in the same page counts', () => {
    const have = new Set<number>();
    for (let i = 190; i < 260; i++) have.add(i);
    // Rows 190..259 are all there; page 0's rows 0..189 are not, page 1's rows past 259 are not asked.
    expect(missingBlocks(190, 260, (i) => have.has(i))).toEqual([0]);
  });

  it('asks for nothing in an empty window', () => {
    expect(missingBlocks(0, 0, () => false)).toEqual([]);
  });
});

describe('prependScrollPx', () => {
  it('moves down by the prepended rows when not following', () => {
    expect(prependScrollPx(300, 10_000, ROW, false)).toBe(300 * ROW);
  });

  it('does not move while following, for no shift, or in a scaled view', () => {
    expect(prependScrollPx(300, 10_000, ROW, true)).toBe(0);
    expect(prependScrollPx(0, 10_000, ROW, false)).toBe(0);
    expect(prependScrollPx(300, MAX_SCROLL_PX / ROW + 1, ROW, false)).toBe(0);
  });
});
