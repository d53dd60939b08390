// The command palette's opening and closing: Ctrl+K or Ctrl+Shift+P toggles it from anywhere, the
// header button opens it, and closing gives focus back to where it was (the terminal, say).
import { useCallback, useEffect, useRef, useState } from 'react';
import { isPaletteKey } from './keys';

export interface PaletteToggle {
  open: boolean;
  /** Open from the header button (focus then stays with the page). */
  openFromButton: () => void;
  close: () => void;
}

export function usePaletteToggle(): PaletteToggle {
  const [open, setOpen] = useState(false);
  const openRef = useRef(false);
  /** Where focus was when the palette opened (the terminal, say): it goes back there on close. */
  const focusBefore = useRef<HTMLElement | null>(null);

  const close = useCallback(() => {
    openRef.current = false;
    setOpen(false);
    const back = focusBefore.current;
    focusBefore.current = null;
    if (back?.isConnected) back.focus();
  }, []);

  // The palette keys are taken in the capture phase, before the terminal's textarea (xterm would
  // send Ctrl+K to the shell and stop the event) or any other element sees them.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteKey(e)) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.repeat) return;
      if (openRef.current) return close();
      focusBefore.current = document.activeElement instanceof HTMLElement ? document.activeElement : null;
      openRef.current = true;
      setOpen(true);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [close]);

  const openFromButton = useCallback(() => {
    focusBefore.current = null;
    openRef.current = true;
    setOpen(true);
  }, []);

  return { open, openFromButton, close };
}
