// The terminal bar's actions: Split, Find, Settings, and the same in a ⋯ menu for a narrow bar
// (the menu closes on a click outside it or Escape; its items close it themselves).
import { useEffect, useState } from 'react';

export default function TerminalActions(p: {
  split: boolean;
  onSplit: () => void;
  onFind: () => void;
  settingsReady: boolean;
  settingsOpen: boolean;
  onSettings: (open: boolean) => void;
}) {
  const [moreOpen, setMoreOpen] = useState(false);
  // The actions menu closes on a click anywhere outside it (its own items close it themselves).
  useEffect(() => {
    if (!moreOpen) return;
    const onDown = (e: PointerEvent) => {
      const t = e.target as Element | null;
      if (!t?.closest('.term-menu, .term-more')) setMoreOpen(false);
    };
    window.addEventListener('pointerdown', onDown);
    return () => window.removeEventListener('pointerdown', onDown);
  }, [moreOpen]);

  return (
    <>
      <div className="term-actions" role="toolbar" aria-label="Terminal actions">
        <button
          type="button"
          className="ghost term-wide"
          onClick={() => p.onSplit()}
          aria-pressed={p.split}
          title="Split side by side"
        >
          {p.split ? 'Unsplit' : 'Split'}
        </button>
        <button
          type="button"
          className="ghost term-wide"
          onClick={p.onFind}
          title="Find in the focused terminal (Ctrl+Shift+F)"
        >
          Find
        </button>
        <button
          type="button"
          className="ghost term-wide"
          onClick={() => p.onSettings(!p.settingsOpen)}
          aria-expanded={p.settingsOpen}
          aria-label="Terminal settings"
          title="Terminal settings"
          disabled={!p.settingsReady}
        >
          ⚙
        </button>
        <button
          type="button"
          className="ghost term-more"
          aria-label="More terminal actions"
          aria-haspopup="menu"
          aria-expanded={moreOpen}
          onClick={() => setMoreOpen((o) => !o)}
        >
          ⋯
        </button>
      </div>
      {moreOpen && (
        <div
          className="term-menu"
          role="menu"
          aria-label="Terminal actions"
          onKeyDown={(e) => e.key === 'Escape' && setMoreOpen(false)}
        >
          <button
            type="button"
            role="menuitem"
            autoFocus
            onClick={() => {
              setMoreOpen(false);
              p.onSplit();
            }}
          >
            {p.split ? 'Unsplit' : 'Split side by side'}
          </button>
          <button
            type="button"
            role="menuitem"
            onClick={() => {
              setMoreOpen(false);
              p.onFind();
            }}
          >
            Find
          </button>
          <button
            type="button"
            role="menuitem"
            disabled={!p.settingsReady}
            onClick={() => {
              setMoreOpen(false);
              p.onSettings(true);
            }}
          >
            Settings…
          </button>
        </div>
      )}
    </>
  );
}
