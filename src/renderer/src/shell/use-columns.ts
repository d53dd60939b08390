// The shell's columns as the operator arranges them: which are folded away (Ctrl+B, Ctrl+J, the
// header buttons) and which side tab is shown (useColumns); their sizes, which live here while a
// splitter is dragged and are saved (one ops.db write) when the drag ends (useColumnSizes).
import { useCallback, useEffect, useReducer, useState } from 'react';
import type { UiSettings } from '../../../shared/contract/app';
import { foldKey } from './keys';
import { currentLayout, foldReducer, type Column, type Folded, type Layout } from './layout';

export interface Columns {
  folded: Folded;
  toggle: (column: Column) => void;
  /** Unfold a column (opening a runbook shows the runbook column). */
  show: (column: Column) => void;
  sideTab: string;
  setSideTab: (tab: string) => void;
  /** Unfold the side column and bring `tab` to the front. */
  showSide: (tab: string) => void;
}

export function useColumns(): Columns {
  const [folded, fold] = useReducer(foldReducer, { left: false, side: false });
  const [sideTab, setSideTab] = useState('health');

  const toggle = useCallback((column: Column) => fold({ type: 'toggle', column }), []);
  const show = useCallback((column: Column) => fold({ type: 'show', column }), []);
  const showSide = useCallback((tab: string) => {
    fold({ type: 'show', column: 'side' });
    setSideTab(tab);
  }, []);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const column = foldKey(e);
      if (!column) return;
      e.preventDefault();
      fold({ type: 'toggle', column });
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return { folded, toggle, show, sideTab, setSideTab, showSide };
}

export interface ColumnSizes {
  layout: Layout;
  /** A splitter moved (`done`: the drag ended, save it). */
  setLayout: (patch: Partial<Layout>, done: boolean) => void;
}

export function useColumnSizes(
  saved: Layout | undefined,
  saveUi: (patch: Partial<UiSettings>) => Promise<void>,
): ColumnSizes {
  const [drag, setDrag] = useState<Partial<Layout>>({});
  const layout = currentLayout(saved, drag);
  const setLayout = (patch: Partial<Layout>, done: boolean) => {
    if (!done) return setDrag((d) => ({ ...d, ...patch }));
    void saveUi({ layout: { ...layout, ...patch } }).finally(() => setDrag({}));
  };
  return { layout, setLayout };
}
