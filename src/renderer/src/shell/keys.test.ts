// The shell's keys: Ctrl+K and Ctrl+Shift+P (Cmd on macOS) toggle the palette, never with Alt;
// Ctrl+B folds the runbook column and Ctrl+J the side column, never with Shift.
import { describe, expect, it } from 'vitest';
import { foldKey, isPaletteKey, type KeyLike } from './keys';

const key = (k: string, mods: Partial<Omit<KeyLike, 'key'>> = {}): KeyLike => ({
  key: k,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  altKey: false,
  ...mods,
});

describe('isPaletteKey', () => {
  it('takes Ctrl+K, Cmd+K and Ctrl+Shift+P, in either case', () => {
    expect(isPaletteKey(key('k', { ctrlKey: true }))).toBe(true);
    expect(isPaletteKey(key('K', { metaKey: true }))).toBe(true);
    expect(isPaletteKey(key('P', { ctrlKey: true, shiftKey: true }))).toBe(true);
  });

  it('leaves plain letters, Alt, Ctrl+Shift+K and Ctrl+P to the page (the terminal, say)', () => {
    expect(isPaletteKey(key('k'))).toBe(false);
    expect(isPaletteKey(key('k', { ctrlKey: true, altKey: true }))).toBe(false);
    expect(isPaletteKey(key('k', { ctrlKey: true, shiftKey: true }))).toBe(false);
    expect(isPaletteKey(key('p', { ctrlKey: true }))).toBe(false);
  });
});

describe('foldKey', () => {
  it('names the runbook column for Ctrl+B and the side column for Ctrl+J (Cmd too)', () => {
    expect(foldKey(key('b', { ctrlKey: true }))).toBe('left');
    expect(foldKey(key('J', { metaKey: true }))).toBe('side');
  });

  it('is null without Ctrl or Cmd, with Shift, or for another key', () => {
    expect(foldKey(key('b'))).toBeNull();
    expect(foldKey(key('j', { ctrlKey: true, shiftKey: true }))).toBeNull();
    expect(foldKey(key('k', { ctrlKey: true }))).toBeNull();
  });
});
