// The record-start rules on bytes (the index worker) and on lines (the parser, the live tail, the
// CLI) give the same answers: real heads of every level, every near miss of a head, CRLF, BOM, and
// the JSON Lines levels the index reads without decoding against what the parser makes of them.
import { describe, expect, it } from 'vitest';
import {
  NO_LEVEL,
  SERILOG_HEAD_BYTES,
  isRecordStart,
  isSerilogStart,
  jsonLevelAt,
  serilogLevelAt,
  utf8BomLength,
} from './log-record-start';
import { LEVELS, levelIndex, parseErrorsJsonl, parseSerilog, parseStartupJsonl } from './serilog';

const HEAD = '[2025-12-08 09:14:02.118 -06:00] [INF] ';
const bytesOf = (line: string) => Buffer.from(line, 'utf8');

describe('serilogLevelAt and isSerilogStart', () => {
  it('read the level of a real head of every level and either offset sign', () => {
    for (const [i, lv] of LEVELS.entries()) {
      for (const sign of ['+', '-']) {
        const line = `[2025-12-08 09:14:02.118 ${sign}05:30] [${lv}] [c1] [] [] Request completed {"N":1}`;
        expect(isSerilogStart(line)).toBe(true);
        expect(serilogLevelAt(bytesOf(line), 0)).toBe(i);
        expect(parseSerilog([line]).level).toBe(lv);
      }
    }
  });

  it('agree on every one-character change of a head (the index and the parser cut records alike)', () => {
    const swaps = ['0', '9', 'a', 'Z', ' ', '[', ']', '-', '+', ':', '.', '\t', 'é', '\u0000'];
    let rejected = 0;
    for (let at = 0; at < SERILOG_HEAD_BYTES; at++) {
      for (const c of swaps) {
        const line = `${HEAD.slice(0, at)}${c}${HEAD.slice(at + 1)}message`;
        const onLine = isSerilogStart(line);
        const onBytes = serilogLevelAt(bytesOf(line), 0) >= 0;
        expect(onBytes, JSON.stringify(line)).toBe(onLine);
        if (!onLine) rejected++;
      }
    }
    // Most swaps break the head: the check is not vacuous.
    expect(rejected).toBeGreaterThan(400);
  });

  it('refuse near misses: a long level word, an unknown level, no space after the level, a cut head', () => {
    const misses = [
      '[2025-12-08 09:14:02.118 -06:00] [INFO] long level word',
      '[2025-12-08 09:14:02.118 -06:00] [Ixx] unknown level',
      '[2025-12-08 09:14:02.118 -06:00] [INF]no space',
      '[2025-12-08 09:14:02.118 -06:00] [INF]',
      '[2025-12-08 09:14:02.118 -06:00] [inf] lower case',
      '[2025-12-08 09:14:02.118 06:00] [INF] no sign',
      '   at Aura.Api.Program.Main() in /src/Program.cs:line 42',
      '',
      '[',
    ];
    for (const line of misses) {
      expect(isSerilogStart(line), line).toBe(false);
      expect(serilogLevelAt(bytesOf(line), 0), line).toBe(-1);
    }
  });

  it('test the head where it starts in a buffer, and never past the buffer', () => {
    const text = `first line\n${HEAD}second\n`;
    const b = bytesOf(text);
    expect(serilogLevelAt(b, 0)).toBe(-1);
    expect(serilogLevelAt(b, 'first line\n'.length)).toBe(2);
    // The same bytes cut one short of the head: no match, whatever lies beyond the view.
    const cut = b.subarray(0, 'first line\n'.length + SERILOG_HEAD_BYTES - 1);
    expect(serilogLevelAt(cut, 'first line\n'.length)).toBe(-1);
  });

  it('keep a CRLF line a start (the \\r is past the head) and a continuation line not one', () => {
    const crlf = `${HEAD}message {"A":1}\r`;
    expect(isSerilogStart(crlf)).toBe(true);
    expect(serilogLevelAt(bytesOf(`${crlf}\n`), 0)).toBe(2);
    expect(isRecordStart('System.Exception: boom\r', 'serilog')).toBe(false);
  });

  it('make every line a record start in JSON Lines and plain text', () => {
    for (const f of ['errors-jsonl', 'startup-jsonl', 'plain'] as const) {
      expect(isRecordStart('   at X.Run()', f)).toBe(true);
      expect(isRecordStart('', f)).toBe(true);
    }
    expect(isRecordStart('   at X.Run()', 'serilog')).toBe(false);
  });
});

describe('utf8BomLength', () => {
  it('counts a UTF-8 BOM at the given position only', () => {
    const withBom = Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), bytesOf(HEAD)]);
    expect(utf8BomLength(withBom)).toBe(3);
    expect(serilogLevelAt(withBom, utf8BomLength(withBom))).toBe(2);
    expect(utf8BomLength(bytesOf(HEAD))).toBe(0);
    expect(utf8BomLength(Buffer.from([0xef, 0xbb]))).toBe(0);
    expect(utf8BomLength(Buffer.from([0xef, 0xbb, 0xbe]))).toBe(0);
  });
});

describe('jsonLevelAt', () => {
  const window = 4096;
  it('reads the errors-*.jsonl Severity the parser reads, and NO_LEVEL when it has none', () => {
    const lines = [0, 1, 2, 3, 4, 5]
      .map(
        (sev) => `{"Timestamp":"2025-12-08T15:00:00.1234567Z","Severity":${sev},"Category":1,"Message":"m"}`,
      )
      .concat([
        '{"Timestamp":"2025-12-08T15:00:00Z","Severity":9,"Message":"out of range"}',
        '{"Timestamp":"2025-12-08T15:00:00Z","Message":"none"}',
      ]);
    for (const line of lines) {
      const b = bytesOf(line);
      expect(jsonLevelAt(b, 0, Math.min(b.length, window), 'errors-jsonl'), line).toBe(
        levelIndex(parseErrorsJsonl([line]).level),
      );
    }
    expect(jsonLevelAt(bytesOf(lines[4]), 0, 10, 'errors-jsonl')).toBe(NO_LEVEL);
  });

  it('reads the startup log level word the parser reads', () => {
    for (const word of [
      'silly',
      'verbose',
      'trace',
      'debug',
      'info',
      'INFO',
      'warn',
      'warning',
      'error',
      'fatal',
      'critical',
    ]) {
      const line = `{"level":"${word}","timestamp":"2025-12-08T15:00:00Z","component":"main","message":"m"}`;
      expect(jsonLevelAt(bytesOf(line), 0, line.length, 'startup-jsonl'), word).toBe(
        levelIndex(parseStartupJsonl([line]).level),
      );
    }
  });

  it('finds a level only inside the record it was given', () => {
    const two = bytesOf('{"Message":"no level"}\n{"Severity":4}\n');
    const firstEnd = two.indexOf(10);
    expect(jsonLevelAt(two, 0, firstEnd, 'errors-jsonl')).toBe(NO_LEVEL);
    expect(jsonLevelAt(two, firstEnd + 1, two.length, 'errors-jsonl')).toBe(4);
    expect(jsonLevelAt(two, 0, two.length, 'plain')).toBe(NO_LEVEL);
  });
});
