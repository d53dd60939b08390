// Terminal output as plain text: the one ANSI/ECMA-48 stripper for step checks, outputs, command
// excerpts and the CLI. A single linear scan that reads escapes the way a VT parser does.

const ESC = 0x1b;
const BEL = 0x07;
/** CAN and SUB cancel an escape sequence in progress (and are consumed with it). */
const CAN = 0x18;
const SUB = 0x1a;
/** 8-bit C1 introducers and terminator (U+0080 to U+009F once the pty output is decoded). */
const C1_DCS = 0x90;
const C1_SOS = 0x98;
const C1_CSI = 0x9b;
const C1_ST = 0x9c;
const C1_OSC = 0x9d;
const C1_PM = 0x9e;
const C1_APC = 0x9f;

/** A character that stays in the text: printable, tab, newline or carriage return (resolved after). */
function isKept(c: number): boolean {
  if (c === 0x09 || c === 0x0a || c === 0x0d) return true;
  if (c < 0x20 || c === 0x7f) return false;
  return c < 0x80 || c > 0x9f;
}

/** CSI parameters (0x30-0x3F) and intermediates (0x20-0x2F) up to a final byte (0x40-0x7E). */
function skipCsi(s: string, j: number): number {
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if (c >= 0x40 && c <= 0x7e) return j + 1;
    if (c >= 0x20 && c <= 0x3f) {
      j++;
      continue;
    }
    // Anything else ends a malformed sequence; CAN and SUB go with it, the rest is read anew.
    return c === CAN || c === SUB ? j + 1 : j;
  }
  return j; // cut off at the end of the text: nothing of it is shown
}

/**
 * A control string (OSC, DCS, SOS, PM, APC) up to its terminator: ST (ESC \ or 0x9C), or BEL for
 * OSC (xterm's form). An ESC that does not start ST ends the string and begins a new sequence.
 */
function skipString(s: string, j: number, osc: boolean): number {
  while (j < s.length) {
    const c = s.charCodeAt(j);
    if ((osc && c === BEL) || c === C1_ST || c === CAN || c === SUB) return j + 1;
    if (c === ESC) return s.charCodeAt(j + 1) === 0x5c ? j + 2 : j;
    j++;
  }
  return j; // unterminated: a terminal shows none of it either
}

/** The index just after the control character or escape sequence that starts at `i`. */
function skipControl(s: string, i: number): number {
  const c = s.charCodeAt(i);
  if (c === C1_CSI) return skipCsi(s, i + 1);
  if (c === C1_OSC) return skipString(s, i + 1, true);
  if (c === C1_DCS || c === C1_SOS || c === C1_PM || c === C1_APC) return skipString(s, i + 1, false);
  if (c !== ESC) return i + 1; // another C0 or C1 control, or DEL: dropped on its own
  if (i + 1 >= s.length) return i + 1; // a lone ESC at the end
  const next = s.charCodeAt(i + 1);
  if (next === 0x5b) return skipCsi(s, i + 2); // ESC [
  if (next === 0x5d) return skipString(s, i + 2, true); // ESC ]
  if (next === 0x50 || next === 0x58 || next === 0x5e || next === 0x5f) return skipString(s, i + 2, false); // ESC P X ^ _
  if (next >= 0x20 && next <= 0x2f) {
    // nF: intermediates then a final, e.g. charset designations ESC ( B, ESC ) 0, ESC # 8, ESC % G.
    let j = i + 2;
    while (j < s.length && s.charCodeAt(j) >= 0x20 && s.charCodeAt(j) <= 0x2f) j++;
    const f = s.charCodeAt(j);
    return f >= 0x30 && f <= 0x7e ? j + 1 : j;
  }
  if (next >= 0x30 && next <= 0x7e) return i + 2; // ESC 7, ESC =, ESC M, ESC c, a stray ESC \ ...
  return i + 1; // a lone ESC before a control or non-ASCII character: only the ESC goes
}

/**
 * The text a reader sees in terminal output: every escape sequence and control character removed
 * (CSI, OSC ended by BEL or ST, DCS/SOS/PM/APC, charset and other ESC forms, their 8-bit C1 forms,
 * a lone ESC), CR LF read as LF, and a carriage return's overwrite resolved (what follows the last
 * CR of a line is what stays, as with a progress counter). Tabs and newlines are kept.
 */
export function stripAnsi(text: string): string {
  const parts: string[] = [];
  let start = 0;
  let i = 0;
  while (i < text.length) {
    if (isKept(text.charCodeAt(i))) {
      i++;
      continue;
    }
    if (i > start) parts.push(text.slice(start, i));
    i = skipControl(text, i);
    start = i;
  }
  if (start < text.length) parts.push(text.slice(start));
  const plain = parts.join('');
  if (!plain.includes('\r')) return plain;
  // Per line, linear: CRs before the newline are CR LF; else the text after the last CR stays.
  return plain
    .split('\n')
    .map((line) => {
      let end = line.length;
      while (end > 0 && line.charCodeAt(end - 1) === 0x0d) end--;
      const body = line.slice(0, end);
      return body.slice(body.lastIndexOf('\r') + 1);
    })
    .join('\n');
}
