// The shell's own keys, read from a key event: Ctrl+K or Ctrl+Shift+P for the command palette,
// Ctrl+B and Ctrl+J to fold the runbook and side columns (Cmd for Ctrl on macOS).
import type { Column } from './layout';

export type KeyLike = Pick<KeyboardEvent, 'key' | 'ctrlKey' | 'metaKey' | 'shiftKey' | 'altKey'>;

/** Ctrl+K or Ctrl+Shift+P (Cmd on macOS) opens and closes the palette. */
export function isPaletteKey(e: KeyLike): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return false;
  const k = e.key.toLowerCase();
  return (k === 'k' && !e.shiftKey) || (k === 'p' && e.shiftKey);
}

/** The column Ctrl+B (runbooks) or Ctrl+J (side) folds or unfolds; null for any other key. */
export function foldKey(e: KeyLike): Column | null {
  if (!(e.ctrlKey || e.metaKey) || e.shiftKey) return null;
  const k = e.key.toLowerCase();
  return k === 'b' ? 'left' : k === 'j' ? 'side' : null;
}
