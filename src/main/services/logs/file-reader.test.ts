// The streaming search against a line-by-line reference on real files: the literal prefilter and
// the chunk path must report exactly the lines a per-line regex test finds (CRLF, a line across
// the 1 MiB chunk boundary, no final newline, invalid UTF-8, matches that would span lines).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { compileSearch, requiredLiterals, searchRange, withFd } from './file-reader';

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-search-'));
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Offsets of the lines a plain per-line test matches (the reference the search must equal). */
function reference(bytes: Buffer, pattern: string, regex: boolean, caseSensitive: boolean): number[] {
  const src = regex ? pattern : pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = new RegExp(src, caseSensitive ? '' : 'i');
  const ascii = /^[\x00-\x7f]*$/.test(pattern);
  const out: number[] = [];
  let ls = 0;
  while (ls < bytes.length) {
    let nl = bytes.indexOf(0x0a, ls);
    if (nl < 0) nl = bytes.length;
    const e = nl > ls && bytes[nl - 1] === 0x0d ? nl - 1 : nl;
    if (re.test(bytes.toString(ascii ? 'latin1' : 'utf8', ls, e))) out.push(ls);
    ls = nl + 1;
  }
  return out;
}

function search(file: string, pattern: string, regex = true, caseSensitive = true): number[] {
  const size = fs.statSync(file).size;
  const hits: number[] = [];
  const n = withFd(file, (fd) =>
    searchRange(fd, 0, size, compileSearch(pattern, { regex, caseSensitive }), (o) => hits.push(o)),
  );
  expect(n).toBe(hits.length);
  return hits;
}

describe('requiredLiterals', () => {
  it.each([
    ['abc', ['abc']],
    ['a|b', []],
    ['Request completed: GET \\S+ - 5[0-9][0-9] in', ['Request completed: GET ', ' - 5', ' in']],
    ['ab?c', ['a', 'c']],
    ['ab+c', ['ab', 'c']],
    ['ab*?c', ['a', 'c']],
    ['(x|y)yz', ['yz']],
    ['a{2}bc', ['bc']],
    ['\\.json$', ['.json']],
    ['{"a":1}', ['{"a":1}']],
    ['cid1[0-9]{3}\\]', ['cid1', ']']],
    ['\\d+ms', ['ms']],
    ['+a', []],
  ])('%s -> %j', (src, want) => {
    expect(requiredLiterals(src)).toEqual(want);
  });

  it('keeps only letter-free literal parts when case is ignored', () => {
    const s = compileSearch('Status - 503 in', { regex: false, caseSensitive: false });
    expect(s.literals.map(String)).toEqual([' - 503 ']);
    expect(compileSearch('Ollama', { regex: false, caseSensitive: false }).literals).toEqual([]);
  });
});

describe('searchRange', () => {
  let file: string;
  let bytes: Buffer;
  beforeAll(() => {
    // ~2.5 MiB: rare and frequent literals, CRLF lines, invalid UTF-8, a last line without \n.
    const parts: Buffer[] = [Buffer.from('503 at the very start - 503 in x\n')];
    for (let i = 0; i < 16_000; i++) {
      const code = i % 97 === 3 ? 503 : i % 89 === 5 ? 'x503' : 200;
      const eol = i % 13 === 0 ? '\r\n' : '\n';
      parts.push(
        Buffer.from(
          `[2025-12-08 09:14:02.118 -06:00] [INF] [c${i}] [] [] Request completed: GET /api/x/${i} - ${code} in 1.5ms {"SourceContext":"Aura.Api"}${eol}`,
        ),
      );
      if (i % 1000 === 7)
        parts.push(Buffer.from([0x66, 0xff, 0xfe, 0x20, 0x63, 0x61, 0x66, 0xc3, 0xa9, 0x0a])); // "f\xff\xfe café"
      if (i % 500 === 9) parts.push(Buffer.from('line ends with a - 5\n03 in on the next line\n'));
    }
    parts.push(Buffer.from('last line - 503 in, no newline'));
    bytes = Buffer.concat(parts);
    expect(bytes.length).toBeGreaterThan(2 * 1024 * 1024);
    file = path.join(dir, 'search.log');
    fs.writeFileSync(file, bytes);
  });

  it('finds with a rare-literal prefilter exactly the lines a per-line test finds', () => {
    const pattern = 'GET \\S+ - 5[0-9][0-9] in|^503';
    // An alternation has no required literal: this runs the chunk path.
    expect(compileSearch(pattern, { regex: true, caseSensitive: true }).literals).toEqual([]);
    expect(search(file, pattern)).toEqual(reference(bytes, pattern, true, true));
    const rare = 'Request completed: GET \\S+ - 5[0-9][0-9] in';
    const want = reference(bytes, rare, true, true);
    expect(want.length).toBeGreaterThan(100);
    expect(search(file, rare)).toEqual(want);
    const anywhere = '- 5\\d\\d in';
    expect(search(file, anywhere)).toEqual(reference(bytes, anywhere, true, true));
  });

  it('uses the chunk path for a frequent literal and never matches across lines', () => {
    const frequent = 'Request completed';
    expect(search(file, frequent, false)).toEqual(reference(bytes, frequent, false, true));
    const crossing = 'a - 5[^x]*03 in';
    const want = reference(bytes, crossing, true, true);
    expect(search(file, crossing)).toEqual(want);
    // Only whole lines match: the pattern split over two lines is not found.
    expect(want.every((o) => bytes.toString('latin1', o, o + 12) !== 'line ends wi')).toBe(true);
    const eol = 'ms \\{"SourceContext":"Aura.Api"\\}$';
    expect(search(file, eol).length).toBe(16_000);
  });

  it('searches case-insensitively and with non-ASCII patterns over invalid UTF-8', () => {
    expect(search(file, 'request COMPLETED: get /API/X/1\\d{3} - 503', true, false)).toEqual(
      reference(bytes, 'request COMPLETED: get /API/X/1\\d{3} - 503', true, false),
    );
    const cafe = search(file, 'café', false);
    expect(cafe).toEqual(reference(bytes, 'café', false, true));
    expect(cafe.length).toBe(16);
    const repl = search(file, 'f\uFFFD\uFFFD caf', false);
    expect(repl).toEqual(cafe);
  });
});
