// The log pane's tool row: groups in the order they give way; those that do not fit the pane's
// width move into an overflow (⋯) menu that closes on a click elsewhere or Escape.
import { useEffect, useLayoutEffect, useRef, useState, type ReactElement } from 'react';

export interface ToolGroup {
  key: string;
  node: ReactElement;
}

/** Room the ⋯ menu button takes (its width, ~30 px, and a little slack). */
const MENU_BUTTON_PX = 34;

/**
 * One row of tool groups; the groups that do not fit the pane's width are hidden there and shown
 * in an overflow menu instead. Widths are measured once per group (they do not change).
 */
export default function LogToolbar({ groups }: { groups: ToolGroup[] }): ReactElement {
  const bar = useRef<HTMLDivElement>(null);
  const widths = useRef(new Map<string, number>());
  const [fit, setFit] = useState(groups.length);
  const [open, setOpen] = useState(false);
  const keys = groups.map((g) => g.key).join(',');
  useLayoutEffect(() => {
    const el = bar.current;
    if (!el) return;
    const measure = () => {
      for (const child of Array.from(el.querySelectorAll<HTMLElement>(':scope > [data-group]'))) {
        const k = child.dataset.group as string;
        if (!child.hidden && child.offsetWidth > 0) widths.current.set(k, child.offsetWidth);
      }
      const cs = getComputedStyle(el);
      const gap = parseFloat(cs.columnGap) || 0;
      const content = el.clientWidth - parseFloat(cs.paddingLeft) - parseFloat(cs.paddingRight);
      const ws = keys.split(',').map((k) => widths.current.get(k));
      const fits = (room: number): number => {
        let used = 0;
        let n = 0;
        for (const w of ws) {
          if (w === undefined || used + w > room) break;
          used += w + gap;
          n++;
        }
        return n;
      };
      // All groups without the menu button, or as many as leave room for it.
      const all = fits(content);
      setFit(all === ws.length ? all : fits(content - MENU_BUTTON_PX - gap));
    };
    measure();
    // The bar's width changes with the pane; a group's with its content (the match count).
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    for (const child of Array.from(el.querySelectorAll(':scope > [data-group]'))) ro.observe(child);
    return () => ro.disconnect();
  }, [keys]);
  const menu = groups.slice(fit);
  const more = useRef<HTMLSpanElement>(null);
  useEffect(() => {
    if (menu.length === 0 && open) setOpen(false);
  }, [menu.length, open]);
  // The menu closes on a click elsewhere or Escape.
  useEffect(() => {
    if (!open) return;
    const away = (e: PointerEvent) => {
      if (more.current && !more.current.contains(e.target as Node)) setOpen(false);
    };
    const esc = (e: KeyboardEvent) => {
      if (e.key === 'Escape') setOpen(false);
    };
    document.addEventListener('pointerdown', away);
    document.addEventListener('keydown', esc);
    return () => {
      document.removeEventListener('pointerdown', away);
      document.removeEventListener('keydown', esc);
    };
  }, [open]);
  return (
    <div className="logs-tools" ref={bar}>
      {groups.map((g, i) => (
        // Groups past `fit` stay rendered (invisible) only until they were measured.
        <div
          key={g.key}
          data-group={g.key}
          className="logs-group"
          hidden={i >= fit && widths.current.has(g.key)}
        >
          {i < fit || !widths.current.has(g.key) ? g.node : null}
        </div>
      ))}
      {menu.length > 0 ? (
        <span className="logs-more" ref={more}>
          <button
            aria-label="More log tools"
            aria-expanded={open}
            aria-haspopup="true"
            title={`More: ${menu.map((g) => g.key).join(', ')}`}
            onClick={() => setOpen((o) => !o)}
          >
            ⋯
          </button>
          {open ? (
            <div className="logs-menu" role="group" aria-label="More log tools" data-testid="log-tools-menu">
              {menu.map((g) => (
                <div key={g.key} className="logs-menu-row">
                  {g.node}
                </div>
              ))}
            </div>
          ) : null}
        </span>
      ) : null}
    </div>
  );
}
