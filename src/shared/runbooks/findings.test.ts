// The findings grammar (ok= / warn-*= / finding-*= / scenarios=) and how a finished command is
// answered: precedence, unexpected output, commands that could not run, hostile attribute values.
import { describe, expect, it } from 'vitest';
import { parseFenceAttrs } from './expect';
import { answerStep, checkStep, labelOf, parseAnswers, parseCondition, type Answer } from './findings';
import { parseRunbook } from './parse';

const answersOf = (meta: string): Answer[] => {
  const p = parseAnswers(parseFenceAttrs(meta));
  expect(p.errors).toEqual([]);
  return p.answers;
};

const LIVENESS =
  '{name="liveness" ok="/^HTTP 200/m" finding-api-not-listening="exit 7" finding-api-hung="exit 28"}';

describe('parseCondition', () => {
  it('reads exit clauses, regexes, negated regexes and their conjunction, in either order', () => {
    expect(parseCondition('exit 7')).toEqual({ exit: { codes: [7] }, output: [] });
    expect(parseCondition('exit 7,28')).toEqual({ exit: { codes: [7, 28] }, output: [] });
    expect(parseCondition('exit any and /x/')).toEqual({
      exit: { any: true },
      output: [{ pattern: 'x', flags: '', negate: false }],
    });
    expect(parseCondition('/HTTP\\/1.1 200/i and exit !0')).toEqual({
      exit: { nonzero: true },
      output: [{ pattern: 'HTTP\\/1.1 200', flags: 'i', negate: false }],
    });
    // Without an exit clause the command must have succeeded.
    expect(parseCondition('/a/ and !/b c/m')).toEqual({
      exit: { codes: [0] },
      output: [
        { pattern: 'a', flags: '', negate: false },
        { pattern: 'b c', flags: 'm', negate: true },
      ],
    });
  });

  it('keeps slashes and " and " inside a regex that is not followed by another clause', () => {
    expect(parseCondition('/a/b and c/')).toEqual({
      exit: { codes: [0] },
      output: [{ pattern: 'a/b and c', flags: '', negate: false }],
    });
    expect(parseCondition('/[/]x\\//')).toEqual({
      exit: { codes: [0] },
      output: [{ pattern: '[/]x\\/', flags: '', negate: false }],
    });
  });

  it.each([
    ['', /empty/],
    ['   ', /empty/],
    ['exit', /not a clause/],
    ['exit 256', /not an exit code/],
    ['exit -1', /not an exit code/],
    ['exit 7 and exit 8', /two exit clauses/],
    ['/([/', /not a valid regular expression/],
    ['/a/g', /not allowed/],
    ['/a/y', /not allowed/],
    ['//', /empty regex/],
    ['/unclosed', /no closing \//],
    ['HTTP 200', /not a clause/],
    ['exit 0 or exit 7', /not an exit code/],
    ['/a/ and', /no closing|not a clause/],
  ])('refuses %j with a clear problem', (src, why) => {
    const r = parseCondition(src);
    expect(typeof r).toBe('string');
    expect(r).toMatch(why);
  });
});

describe('parseAnswers', () => {
  it('reads the healthy answer and named findings in the order written, with readable names', () => {
    const a = answersOf(LIVENESS);
    expect(a.map((x) => [x.kind, x.key, x.label])).toEqual([
      ['ok', 'ok', 'OK'],
      ['finding', 'api-not-listening', 'API not listening'],
      ['finding', 'api-hung', 'API hung'],
    ]);
    expect(labelOf('wal-too-large')).toBe('WAL too large');
    expect(labelOf('slow-requests')).toBe('Slow requests');
    expect(labelOf('ffmpeg-missing')).toBe('FFmpeg missing');
  });

  it('turns the simple form (expect/exit) into the healthy answer and refuses both forms at once', () => {
    const doc = parseRunbook(
      '# T\n```bash {expect="/^ok$/m"}\nsqlite3 -readonly x "PRAGMA quick_check;"\n```\n',
      { file: 't.md' },
    );
    expect(doc.steps[0].answers).toEqual([
      {
        kind: 'ok',
        key: 'ok',
        label: 'OK',
        exit: { codes: [0] },
        output: [{ pattern: '^ok$', flags: 'm', negate: false }],
        source: '/^ok$/m and exit 0',
      },
    ]);
    const both = parseRunbook('# T\n```bash {expect="ok" ok="exit 0"}\necho ok\n```\n', { file: 't.md' });
    expect(both.steps[0].answerErrors).toEqual([
      'declare the healthy answer once: ok="..." or expect/exit, not both',
    ]);
    expect(both.problems.map((p) => p.rule)).toContain('step-answer');
  });

  it('reads scenarios="scenario:answer" and refuses an answer the step does not declare', () => {
    const p = parseAnswers(
      parseFenceAttrs(`${LIVENESS.slice(0, -1)} scenarios="api-down:api-not-listening, api-hang:api-hung"}`),
    );
    expect(p.scenarios).toEqual({ 'api-down': 'api-not-listening', 'api-hang': 'api-hung' });
    const bad = parseAnswers(parseFenceAttrs('{ok="exit 0" scenarios="api-down:api-gone db-locked"}'));
    expect(bad.errors).toEqual([
      'scenarios: api-down names "api-gone", which the step does not declare',
      'scenarios: "db-locked" is not scenario:answer (e.g. api-down:api-not-listening)',
    ]);
  });

  it.each([
    ['{finding="exit 7"}', /needs a name/],
    ['{warn="exit 1"}', /needs a name/],
    ['{ok-extra="exit 0"}', /the healthy answer is just ok/],
    ['{finding-API_Down="exit 7"}', /not an answer name/],
    ['{finding-x-="exit 7"}', /not an answer name/],
    ['{finding-a="$(rm -rf /)"}', /not a clause/],
    ['{finding-a="/(a+)+$/ and exit 9999"}', /not an exit code/],
    ['{finding-a="/\\u{110000}/u"}', /not a valid regular expression/],
  ])('%s is a parse problem, never a crash', (meta, why) => {
    const p = parseAnswers(parseFenceAttrs(meta), null, meta);
    expect(p.errors.join('\n')).toMatch(why);
  });

  it('refuses an answer declared twice on the fence line, and a condition too long to be one', () => {
    const meta = '{finding-a="exit 7" finding-a="exit 8"}';
    expect(parseAnswers(parseFenceAttrs(meta), null, meta).errors).toContain(
      '"finding-a" is declared 2 times: give each answer its own name',
    );
    expect(parseCondition(`/${'a'.repeat(5000)}/`)).toMatch(/longer than 4000/);
  });

  it('caps the number of answers', () => {
    const many = Array.from({ length: 13 }, (_, i) => `finding-f${i}="exit ${i + 1}"`).join(' ');
    expect(parseAnswers(parseFenceAttrs(`{${many}}`)).errors.join()).toMatch(/at most 12/);
  });

  it('a runbook with a bad answer still parses, with the problem on the fence line', () => {
    const doc = parseRunbook('# T\n\n```bash {name="s" ok="/([/"}\necho x\n```\n', { file: 't.md' });
    expect(doc.steps[0].answers).toEqual([]);
    expect(doc.problems).toEqual([
      expect.objectContaining({ line: 3, severity: 'error', rule: 'step-answer' }),
    ]);
    expect(checkStep(doc.steps[0], 'x', 0)).toMatchObject({
      outcome: 'error',
      expected: '(invalid declaration)',
    });
  });
});

describe('answerStep', () => {
  const live = answersOf(LIVENESS);

  it('answers ok, or the finding whose condition holds', () => {
    expect(answerStep(live, 'HTTP 200 in 0.01s\n', 0)).toMatchObject({
      outcome: 'ok',
      answer: 'ok',
      label: 'OK',
      seen: 'matched "HTTP 200", exit 0',
    });
    expect(answerStep(live, 'curl: (7) Failed to connect to 127.0.0.1 port 5005\n', 7)).toMatchObject({
      outcome: 'finding',
      answer: 'api-not-listening',
      label: 'API not listening',
    });
    expect(answerStep(live, 'curl: (28) Operation timed out\n', 28)).toMatchObject({
      outcome: 'finding',
      label: 'API hung',
    });
  });

  it('says "unexpected" and what it saw when no declared answer matches', () => {
    const r = answerStep(live, 'HTTP 503 in 0.2s\n', 0);
    expect(r).toMatchObject({
      outcome: 'unexpected',
      answer: null,
      seen: 'last line "HTTP 503 in 0.2s", exit 0',
    });
    expect(r.reasons[0]).toBe(
      'none of the declared answers matches: saw last line "HTTP 503 in 0.2s", exit 0',
    );
  });

  it('is an error (could not run) for an unknown exit code or a missing program, unless an answer names it', () => {
    expect(answerStep(live, 'HTTP 200\n', null)).toMatchObject({ outcome: 'error' });
    expect(answerStep(live, 'bash: curl: command not found\n', 127)).toMatchObject({
      outcome: 'error',
      reasons: ['exit 127: the shell could not run the command (a program was not found)'],
    });
    const named = answersOf('{ok="exit 0" finding-no-sqlite3="exit 127"}');
    expect(answerStep(named, '', 127)).toMatchObject({ outcome: 'finding', label: 'No sqlite3' });
  });

  it('tries findings, then warnings, then ok: a problem never hides behind a healthy match', () => {
    const a = answersOf('{ok="/requests/" warn-some-slow="/Slow request/" finding-many-5xx="/5xx=[1-9]/"}');
    expect(answerStep(a, 'requests 10 5xx=0\n', 0).outcome).toBe('ok');
    expect(answerStep(a, 'requests 10 5xx=0 Slow request\n', 0)).toMatchObject({
      outcome: 'warn',
      label: 'Some slow',
    });
    expect(answerStep(a, 'requests 10 5xx=3 Slow request\n', 0)).toMatchObject({
      outcome: 'finding',
      label: 'Many 5xx',
    });
  });

  it('accepts every form in which Aura writes a slow request', () => {
    const a = answersOf(
      '{ok="exit 1" finding-slow-requests="/(Slow request:|SLOW REQUEST DETECTED:|Slow request detected:) [A-Z]+ \\S+ took [0-9.]+ms/"}',
    );
    for (const line of [
      'Slow request: GET /api/projects took 1287ms (threshold: 1000ms). StatusCode: 200',
      'SLOW REQUEST DETECTED: POST /api/script took 48213.551ms (Status: 200)',
      'Slow request detected: POST /api/script took 48213.551ms (Status: 200) [CorrelationId: c7e9]',
    ])
      expect(answerStep(a, `${line}\n`, 0), line).toMatchObject({
        outcome: 'finding',
        label: 'Slow requests',
      });
    expect(answerStep(a, '', 1).outcome).toBe('ok');
  });

  it('strips terminal escapes and reads only the tail of a huge output', () => {
    expect(answerStep(live, '\u001b[32mHTTP 200\u001b[0m\r\n', 0).outcome).toBe('ok');
    const huge = `HTTP 200\n${'x'.repeat(300 * 1024)}\n`;
    expect(answerStep(live, huge, 0).outcome).toBe('unexpected');
  });

  it('a negated clause holds only when the output lacks the text', () => {
    const a = answersOf('{ok="!/\\[(ERR|FTL)\\]/" finding-errors="/\\[(ERR|FTL)\\]/"}');
    expect(answerStep(a, '[INF] fine\n', 0).outcome).toBe('ok');
    expect(answerStep(a, '[ERR] boom\n', 0)).toMatchObject({ outcome: 'finding', label: 'Errors' });
  });

  it('declares nothing: unchecked', () => {
    expect(answerStep([], 'x', 0).outcome).toBe('unchecked');
  });
});
