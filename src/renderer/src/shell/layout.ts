// The console shell's layout as pure rules: which panels each area shows (the build's features,
// the folded columns), which side tab is on screen, the column sizes (saved, or dragged right now)
// and how folding and showing a column changes what is folded.
import type { UiSettings } from '../../../shared/contract/app';

export type Area = 'left' | 'main' | 'bottom' | 'side';

/** What the layout needs of a panel: where it goes and the feature that must be wired for it. */
export interface Placeable {
  id: string;
  area: Area;
  feature: string;
}

/** The panels of each area whose feature this build wires, in their order, folded or not. */
export function panelsByArea<P extends Placeable>(
  panels: readonly P[],
  features: readonly string[],
): Record<Area, P[]> {
  const enabled = panels.filter((p) => features.includes(p.feature));
  const inArea = (a: Area) => enabled.filter((p) => p.area === a);
  return { left: inArea('left'), main: inArea('main'), bottom: inArea('bottom'), side: inArea('side') };
}

/** Columns the operator folded away to give the terminal and logs room (Ctrl+B, Ctrl+J). */
export interface Folded {
  left: boolean;
  side: boolean;
}
export type Column = keyof Folded;

export interface ShownAreas<P> extends Record<Area, P[]> {
  /** Neither terminal nor logs: the side column fills the window. */
  centerEmpty: boolean;
}

/** What is drawn: a folded column shows nothing; the centre is empty when it has no panel at all. */
export function shownAreas<P>(byArea: Record<Area, P[]>, folded: Folded): ShownAreas<P> {
  return {
    left: folded.left ? [] : byArea.left,
    main: byArea.main,
    bottom: byArea.bottom,
    side: folded.side ? [] : byArea.side,
    centerEmpty: byArea.main.length === 0 && byArea.bottom.length === 0,
  };
}

/** The side panel on screen: the chosen tab, else the first there is. */
export function shownSidePanel<P extends { id: string }>(side: readonly P[], tab: string): P | undefined {
  return side.find((p) => p.id === tab) ?? side[0];
}

export type FoldAction = { type: 'toggle'; column: Column } | { type: 'show'; column: Column };

export function foldReducer(s: Folded, a: FoldAction): Folded {
  switch (a.type) {
    case 'toggle':
      return { ...s, [a.column]: !s[a.column] };
    case 'show':
      return { ...s, [a.column]: false };
  }
}

export type Layout = UiSettings['layout'];

/** Before the settings are read (and for a console that never saved any). */
export const DEFAULT_LAYOUT: Layout = { leftWidth: 0.3, sideWidth: 0.3, bottomHeight: 0.48 };

/** The sizes drawn: what a drag under way says, over what was saved, over the defaults. */
export function currentLayout(saved: Layout | undefined, drag: Partial<Layout>): Layout {
  return { ...(saved ?? DEFAULT_LAYOUT), ...drag };
}

/** A fraction of the window as a CSS percentage. */
export function pct(f: number): string {
  return `${(f * 100).toFixed(2)}%`;
}
