// Step syntax and checkExpectation: fence attributes, expectation parsing, pass/fail decisions.
import { describe, expect, it } from 'vitest';
import { checkExpectation, parseExpectation, parseFenceAttrs } from './expect';

describe('parseFenceAttrs', () => {
  it('reads quoted, single-quoted, bare and flag attributes; ignores text outside braces', () => {
    expect(parseFenceAttrs('{name="db-integrity" expect="/^ok$/m" exit=0 readonly}')).toEqual({
      name: 'db-integrity',
      expect: '/^ok$/m',
      exit: '0',
      readonly: 'true',
    });
    expect(parseFenceAttrs("title {expect='a \\' b', other=x}")).toEqual({ expect: "a ' b", other: 'x' });
    expect(parseFenceAttrs('{expect="say \\"hi\\""}')).toEqual({ expect: 'say "hi"' });
    expect(parseFenceAttrs(null)).toEqual({});
    expect(parseFenceAttrs('no braces here')).toEqual({});
  });
});

describe('parseExpectation', () => {
  it('takes /regex/flags, a literal otherwise, and exit codes', () => {
    expect(parseExpectation({ expect: '/^ok$/m' })).toEqual({
      expect: { pattern: '^ok$', flags: 'm', exitCode: 0 },
      error: null,
    });
    const lit = parseExpectation({ expect: 'a.b (c)' }).expect!;
    expect(new RegExp(lit.pattern).test('xx a.b (c) yy')).toBe(true);
    expect(new RegExp(lit.pattern).test('aXb (c)')).toBe(false);
    expect(parseExpectation({ exit: '1' }).expect).toEqual({ pattern: '', flags: '', exitCode: 1 });
    expect(parseExpectation({})).toEqual({ expect: null, error: null });
  });

  it('rejects bad regexes, stateful flags and bad exit codes with a message', () => {
    expect(parseExpectation({ expect: '/(x/' }).error).toMatch(/not a valid regular expression/);
    expect(parseExpectation({ expect: '/x/g' }).error).toMatch(/flag\(s\) "g" not allowed/);
    expect(parseExpectation({ expect: '/x/', exit: 'zero' }).error).toMatch(/not an exit code/);
  });
});

describe('checkExpectation', () => {
  const step = (e: string, exit?: string) => {
    const attrs: Record<string, string> = { expect: e };
    if (exit !== undefined) attrs.exit = exit;
    const { expect: x, error } = parseExpectation(attrs);
    return { expect: x, expectError: error };
  };

  it('passes when the output matches and the exit code is the expected one', () => {
    const r = checkExpectation(step('/^ok$/m'), 'header\nok\n', 0);
    expect(r.status).toBe('pass');
    expect(r.match).toBe('ok');
    expect(r.expected).toBe('/^ok$/m and exit 0');
  });

  it('fails on a non-matching output, naming the reason and the last line', () => {
    const r = checkExpectation(
      step('/^ok$/m'),
      '*** in database main ***\nPage 3: btreeInitPage() returns error code 11\n',
      0,
    );
    expect(r.status).toBe('fail');
    expect(r.outputOk).toBe(false);
    expect(r.actual).toContain('btreeInitPage');
    expect(r.reasons[0]).toMatch(/does not match/);
  });

  it('fails on the wrong exit code even when the output matches, and on an unknown one', () => {
    expect(checkExpectation(step('/ok/'), 'ok', 1).status).toBe('fail');
    expect(checkExpectation(step('/ok/'), 'ok', null).reasons[0]).toMatch(/unknown/);
    expect(
      checkExpectation(step('/refused/', '7'), 'curl: (7) Failed to connect: Connection refused', 7).status,
    ).toBe('pass');
  });

  it('strips terminal escapes before matching', () => {
    expect(checkExpectation(step('/^ok$/m'), '\u001b[1;32mok\u001b[0m\r\n', 0).status).toBe('pass');
    // tput sgr0 writes a charset designation before the SGR reset: it is not part of the answer.
    expect(checkExpectation(step('/^ok$/m'), '\u001b[32mok\u001b(B\u001b[m\r\n', 0).status).toBe('pass');
  });

  it('is unchecked without an expectation or with an invalid one', () => {
    expect(checkExpectation({ expect: null, expectError: null }, 'x', 0).status).toBe('unchecked');
    expect(checkExpectation(step('/(/'), 'x', 0).status).toBe('unchecked');
  });
});
