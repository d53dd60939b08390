// The step syntax: fence info-string attributes (```bash {name="db-integrity" expect="/^ok$/m"}),
// and checking a finished command's output and exit code against a step's expectation (pure).
import { stripAnsi } from '../ansi';
import type { Expectation, Step } from './types';

/** Regex flags an expectation may use; g and y are stateful and make repeated checks differ. */
const ALLOWED_FLAGS = new Set(['i', 'm', 's', 'u']);
/** Only the last part of a long output is checked: expectations describe a command's result. */
export const MAX_CHECKED_OUTPUT_CHARS = 256 * 1024;

/**
 * Parse `{key="value" key2='v' key3=bare flag}` from a fence's meta. Values in double quotes may
 * escape `\"` and `\\`. Text outside braces is ignored (GitHub ignores the whole meta).
 */
export function parseFenceAttrs(meta: string | null | undefined): Record<string, string> {
  const attrs: Record<string, string> = {};
  if (!meta) return attrs;
  const open = meta.indexOf('{');
  const close = meta.lastIndexOf('}');
  if (open < 0 || close <= open) return attrs;
  const src = meta.slice(open + 1, close);
  let i = 0;
  while (i < src.length) {
    while (i < src.length && /[\s,]/.test(src[i])) i++;
    const keyMatch = /^[A-Za-z_][\w-]*/.exec(src.slice(i));
    if (!keyMatch) {
      i++;
      continue;
    }
    const key = keyMatch[0];
    i += key.length;
    if (src[i] !== '=') {
      attrs[key] = 'true';
      continue;
    }
    i++;
    const quote = src[i];
    let value = '';
    if (quote === '"' || quote === "'") {
      i++;
      while (i < src.length && src[i] !== quote) {
        if (src[i] === '\\' && (src[i + 1] === quote || src[i + 1] === '\\')) {
          value += src[i + 1];
          i += 2;
          continue;
        }
        value += src[i];
        i++;
      }
      i++;
    } else {
      while (i < src.length && !/[\s,]/.test(src[i])) value += src[i++];
    }
    attrs[key] = value;
  }
  return attrs;
}

function escapeRegex(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * `expect="/src/flags"` is a regex; any other text is a literal that must appear in the output.
 * `exit="N"` sets the expected exit code (default 0). Returns an error message for a bad value.
 */
export function parseExpectation(attrs: Record<string, string>): {
  expect: Expectation | null;
  error: string | null;
} {
  const raw = attrs.expect;
  const exitRaw = attrs.exit;
  let exitCode = 0;
  if (exitRaw !== undefined) {
    if (!/^\d{1,3}$/.test(exitRaw))
      return { expect: null, error: `exit="${exitRaw}" is not an exit code (0-255)` };
    exitCode = Number(exitRaw);
  }
  if (raw === undefined) {
    return exitRaw === undefined
      ? { expect: null, error: null }
      : { expect: { pattern: '', flags: '', exitCode }, error: null };
  }
  let pattern: string;
  let flags = '';
  const m = /^\/([\s\S]*)\/([a-z]*)$/.exec(raw);
  if (m) {
    pattern = m[1];
    flags = m[2];
    const bad = [...flags].filter((f) => !ALLOWED_FLAGS.has(f));
    if (bad.length > 0)
      return { expect: null, error: `expect flag(s) "${bad.join('')}" not allowed; use i, m, s or u` };
  } else {
    pattern = escapeRegex(raw);
  }
  try {
    new RegExp(pattern, flags);
  } catch (err) {
    return { expect: null, error: `expect is not a valid regular expression: ${(err as Error).message}` };
  }
  return { expect: { pattern, flags, exitCode }, error: null };
}

export type CheckStatus = 'pass' | 'fail' | 'unchecked';

export interface CheckResult {
  status: CheckStatus;
  /** Human-readable expected side, e.g. "/^ok$/m and exit 0". */
  expected: string;
  /** The exit code and the matched text (or the output's last line when nothing matched). */
  actual: string;
  exitCodeOk: boolean;
  outputOk: boolean;
  /** The matched text, when the pattern matched. */
  match: string | null;
  reasons: string[];
}

/** Compare a finished command (its output and exit code) with the step's expectation. */
export function checkExpectation(
  step: Pick<Step, 'expect' | 'expectError'>,
  output: string,
  exitCode: number | null,
): CheckResult {
  if (step.expectError) {
    return {
      status: 'unchecked',
      expected: '(invalid expectation)',
      actual: '',
      exitCodeOk: false,
      outputOk: false,
      match: null,
      reasons: [step.expectError],
    };
  }
  const exp = step.expect;
  if (!exp) {
    return {
      status: 'unchecked',
      expected: '(none declared)',
      actual: `exit ${exitCode ?? 'unknown'}`,
      exitCodeOk: exitCode === 0,
      outputOk: true,
      match: null,
      reasons: ['the step declares no expectation'],
    };
  }
  const clean = stripAnsi(
    output.length > MAX_CHECKED_OUTPUT_CHARS ? output.slice(-MAX_CHECKED_OUTPUT_CHARS) : output,
  );
  const reasons: string[] = [];
  const exitCodeOk = exitCode === exp.exitCode;
  if (!exitCodeOk)
    reasons.push(
      exitCode === null
        ? 'the exit code is unknown (no shell integration?)'
        : `exit code ${exitCode}, expected ${exp.exitCode}`,
    );
  let match: string | null = null;
  let outputOk = true;
  if (exp.pattern !== '') {
    const m = new RegExp(exp.pattern, exp.flags).exec(clean);
    match = m ? m[0] : null;
    outputOk = m !== null;
    if (!outputOk) reasons.push(`output does not match /${exp.pattern}/${exp.flags}`);
  }
  const lastLine = clean.trimEnd().split('\n').pop() ?? '';
  const expected = `${exp.pattern !== '' ? `/${exp.pattern}/${exp.flags} and ` : ''}exit ${exp.exitCode}`;
  const actual = `${match !== null ? `matched "${match}"` : `last line "${lastLine}"`}, exit ${exitCode ?? 'unknown'}`;
  return {
    status: exitCodeOk && outputOk ? 'pass' : 'fail',
    expected,
    actual,
    exitCodeOk,
    outputOk,
    match,
    reasons,
  };
}
