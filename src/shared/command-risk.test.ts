// How a command with control characters is shown for confirmation: each hidden character visible,
// TAB and LF kept, nothing else changed.
import { describe, expect, it } from 'vitest';
import { escapeHiddenChars, hasHiddenChars } from './command-risk';

describe('escapeHiddenChars / hasHiddenChars', () => {
  it('shows C0 controls in caret notation, CR as \\r, DEL as ^?, format characters as \\u{...}', () => {
    expect(escapeHiddenChars('echo checking disk\x0ftouch X')).toBe('echo checking disk^Otouch X');
    expect(escapeHiddenChars('echo hi\rtouch X')).toBe('echo hi\\rtouch X');
    expect(escapeHiddenChars('\x00\x1b[31m\x7f')).toBe('^@^[[31m^?');
    expect(escapeHiddenChars('a\u0085b\u202ec\u200bd\ufeff')).toBe('a\\u{85}b\\u{202E}c\\u{200B}d\\u{FEFF}');
  });

  it('keeps TAB, LF and ordinary text (quotes, unicode) as they are', () => {
    const text = 'ls -l\t\'/srv/ä/aura.db\'\ndf -h "$HOME" # ok';
    expect(escapeHiddenChars(text)).toBe(text);
    expect(hasHiddenChars(text)).toBe(false);
  });

  it('finds a hidden character anywhere, every time (no regex state carried between calls)', () => {
    for (let i = 0; i < 3; i++) {
      expect(hasHiddenChars('ls\x0f')).toBe(true);
      expect(hasHiddenChars('\rls')).toBe(true);
    }
    expect(hasHiddenChars('\x9b31m')).toBe(true);
  });
});
