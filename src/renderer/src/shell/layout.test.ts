// The shell's layout rules: a panel shows only when its feature is wired and its column is not
// folded, the side column shows the chosen tab (else its first), folding toggles and showing
// unfolds, and the sizes drawn are a drag's over the saved ones over the defaults.
import { describe, expect, it } from 'vitest';
import {
  DEFAULT_LAYOUT,
  currentLayout,
  foldReducer,
  panelsByArea,
  pct,
  shownAreas,
  shownSidePanel,
  type Placeable,
} from './layout';

const PANELS: Placeable[] = [
  { id: 'health', area: 'side', feature: 'probes' },
  { id: 'install', area: 'side', feature: 'install' },
  { id: 'runbooks', area: 'left', feature: 'runbooks' },
  { id: 'terminal', area: 'main', feature: 'terminal' },
  { id: 'logs', area: 'bottom', feature: 'logs' },
];
const ids = (ps: Placeable[]) => ps.map((p) => p.id);

describe('panelsByArea', () => {
  it('keeps the panels of wired features in each area, in their order', () => {
    const a = panelsByArea(PANELS, ['install', 'probes', 'terminal']);
    expect(ids(a.side)).toEqual(['health', 'install']);
    expect(ids(a.main)).toEqual(['terminal']);
    expect(a.left).toEqual([]);
    expect(a.bottom).toEqual([]);
  });
});

describe('shownAreas', () => {
  const all = panelsByArea(PANELS, ['probes', 'install', 'runbooks', 'terminal', 'logs']);

  it('draws nothing of a folded column, and the middle whatever is folded', () => {
    const s = shownAreas(all, { left: true, side: true });
    expect([s.left, s.side]).toEqual([[], []]);
    expect(ids(s.main)).toEqual(['terminal']);
    expect(ids(s.bottom)).toEqual(['logs']);
    expect(s.centerEmpty).toBe(false);
    expect(ids(shownAreas(all, { left: false, side: false }).left)).toEqual(['runbooks']);
  });

  it('calls the centre empty with neither terminal nor logs (the side column fills the window)', () => {
    expect(shownAreas(panelsByArea(PANELS, ['probes']), { left: false, side: false }).centerEmpty).toBe(true);
    expect(shownAreas(panelsByArea(PANELS, ['logs']), { left: false, side: false }).centerEmpty).toBe(false);
  });
});

describe('shownSidePanel', () => {
  it('is the chosen tab, else the first, else none', () => {
    const side = panelsByArea(PANELS, ['probes', 'install']).side;
    expect(shownSidePanel(side, 'install')?.id).toBe('install');
    expect(shownSidePanel(side, 'database')?.id).toBe('health');
    expect(shownSidePanel([], 'health')).toBeUndefined();
  });
});

describe('foldReducer', () => {
  it('toggles the column named and leaves the other; show unfolds and never folds', () => {
    const open = { left: false, side: false };
    expect(foldReducer(open, { type: 'toggle', column: 'left' })).toEqual({ left: true, side: false });
    expect(foldReducer({ left: true, side: true }, { type: 'toggle', column: 'side' })).toEqual({
      left: true,
      side: false,
    });
    expect(foldReducer({ left: true, side: true }, { type: 'show', column: 'left' })).toEqual({
      left: false,
      side: true,
    });
    expect(foldReducer(open, { type: 'show', column: 'side' })).toEqual(open);
  });
});

describe('currentLayout', () => {
  it('draws a drag under way over the saved sizes, and the defaults before any are read', () => {
    const saved = { leftWidth: 0.2, sideWidth: 0.25, bottomHeight: 0.5 };
    expect(currentLayout(undefined, {})).toEqual(DEFAULT_LAYOUT);
    expect(currentLayout(saved, {})).toEqual(saved);
    expect(currentLayout(saved, { sideWidth: 0.4 })).toEqual({ ...saved, sideWidth: 0.4 });
    expect(currentLayout(undefined, { leftWidth: 0.1 })).toEqual({ ...DEFAULT_LAYOUT, leftWidth: 0.1 });
  });

  it('writes a fraction as a CSS percentage to two places', () => {
    expect(pct(0.3)).toBe('30.00%');
    expect(pct(1 / 3)).toBe('33.33%');
  });
});
