// The command risk verdict shared by main, the contract and the renderer, and how a command with
// control characters is shown. The classifier itself (tree-sitter based) lives in main/services/command-risk.

export type CommandRisk = 'read-only' | 'mutating';

export interface CommandClassification {
  risk: CommandRisk;
  /** Why it is mutating (one entry per finding); empty when read-only. */
  reasons: string[];
}

/**
 * Characters a terminal or a reader may act on without showing them: C0 controls except TAB and LF
 * (bash accepts a line at Ctrl-O and CR), DEL, C1 controls, and the invisible or direction-changing
 * format characters that make shown text differ from what runs.
 */
const HIDDEN_CHAR = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/u;
const HIDDEN_CHARS = /[\x00-\x08\x0b-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]/gu;

/** True when the text holds a character of HIDDEN_CHAR (TAB and LF do not count). */
export function hasHiddenChars(text: string): boolean {
  return HIDDEN_CHAR.test(text);
}

/** How one hidden character is shown: `\r`, caret notation for other C0 and DEL (`^O`, `^[`, `^?`), `\u{...}` for the rest. */
export function escapeHiddenChar(ch: string): string {
  const code = ch.codePointAt(0) ?? 0;
  if (ch === '\r') return '\\r';
  if (code < 0x20) return '^' + String.fromCharCode(code + 0x40);
  if (code === 0x7f) return '^?';
  return `\\u{${code.toString(16).toUpperCase()}}`;
}

/** The text with every hidden character made visible (see escapeHiddenChar); TAB and LF are kept. */
export function escapeHiddenChars(text: string): string {
  return text.replace(HIDDEN_CHARS, escapeHiddenChar);
}
