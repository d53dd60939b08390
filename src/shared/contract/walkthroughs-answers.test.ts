// The walkthrough contract at the boundary for findings: a step's declared answers travel from the
// renderer to main, which compiles their regexes; only well-formed answers with valid regexes pass.
import { describe, expect, it } from 'vitest';
import { parseAnswers } from '../runbooks/findings';
import { parseFenceAttrs } from '../runbooks/expect';
import { walkthroughChannels } from './walkthroughs';

const schema = walkthroughChannels['walkthrough:run-step'].params;
const answers = parseAnswers(
  parseFenceAttrs(
    '{ok="/^HTTP 200 /m" finding-api-not-listening="exit 7" warn-slow="/took [0-9]{4,}ms/ and exit any"}',
  ),
).answers;
const step = (a: unknown) => ({
  step: { runId: 'run-0000-0001', stepId: 'liveness', command: 'curl x', answers: a },
  mode: 'run-check',
});

describe('walkthrough contract: answers', () => {
  it('accepts the answers the parser makes, and a step without answers', () => {
    expect(schema.safeParse(step(answers)).success).toBe(true);
    expect(
      schema.safeParse({ step: { runId: 'run-0000-0001', stepId: 's', command: 'x' }, mode: 'run' }).success,
    ).toBe(true);
  });

  it('refuses hostile answers', () => {
    const ok = answers[0]!;
    const hostile: unknown[] = [
      [],
      [{ ...ok, output: [{ pattern: '([', flags: '', negate: false }] }],
      [{ ...ok, output: [{ pattern: 'a', flags: 'g', negate: false }] }],
      [{ ...ok, output: [{ pattern: '', flags: '', negate: false }] }],
      [{ ...ok, output: [{ pattern: 'a'.repeat(5000), flags: '', negate: false }] }],
      [{ ...ok, exit: { codes: [256] } }],
      [{ ...ok, exit: { codes: [] } }],
      [{ ...ok, exit: { any: false } }],
      [{ ...ok, kind: 'pass' }],
      [{ ...ok, key: '../../etc' }],
      [{ ...ok, extra: 1 }],
      Array.from({ length: 13 }, () => ok),
      'ok',
    ];
    for (const a of hostile)
      expect(schema.safeParse(step(a)).success, JSON.stringify(a).slice(0, 80)).toBe(false);
  });
});
