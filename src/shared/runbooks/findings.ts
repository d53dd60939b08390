// Findings: a checked step declares its healthy answer and the named findings it can give, in its
// fence's info string (`ok="/HTTP 200/"`, `finding-api-not-listening="exit 7"`), and a finished
// command is answered ok / warn / finding / unexpected / error instead of a bare pass or fail (pure).
import { stripAnsi } from '../ansi';
import { MAX_CHECKED_OUTPUT_CHARS } from './expect';
import type { Expectation } from './types';

export const ANSWER_KINDS = ['ok', 'warn', 'finding'] as const;
export type AnswerKind = (typeof ANSWER_KINDS)[number];
/** What a finished check says: a declared answer, none of them (unexpected), or could not run (error). */
export type Outcome = AnswerKind | 'unexpected' | 'error' | 'unchecked';

/** Regex flags an answer may use; g and y are stateful and make repeated checks differ. */
const ALLOWED_FLAGS = new Set(['i', 'm', 's', 'u']);
/** Longest attribute value read as a condition (a regex longer than this is not a runbook's). */
export const MAX_CONDITION_CHARS = 4000;
/** Answers one step may declare: more is a mistake, and each is tried against the output. */
export const MAX_ANSWERS = 12;
/** Exit codes of a shell that could not run the command (not executable, not found). */
const COULD_NOT_RUN_EXITS = [126, 127];
/** The order answers are tried in: a problem the output shows must not hide behind a healthy match. */
const PRECEDENCE: readonly AnswerKind[] = ['finding', 'warn', 'ok'];
/** Words shown in capitals (or with their own spelling) when a finding's name is made from its key. */
const WORD_SPELLING: Record<string, string> = {
  api: 'API',
  db: 'DB',
  http: 'HTTP',
  wal: 'WAL',
  sql: 'SQL',
  sqlite: 'SQLite',
  ffmpeg: 'FFmpeg',
  redis: 'Redis',
  aura: 'Aura',
  cpu: 'CPU',
  json: 'JSON',
  url: 'URL',
  tls: 'TLS',
  dns: 'DNS',
  io: 'I/O',
  ok: 'OK',
  id: 'ID',
  ids: 'IDs',
  fts: 'FTS',
};

/** One regex clause: the output must (or, negated, must not) match it. */
export interface OutputClause {
  pattern: string;
  flags: string;
  negate: boolean;
}

/** Exit codes an answer accepts: a list, any code, or any but 0. */
export type ExitClause = { codes: number[] } | { any: true } | { nonzero: true };

/** One declared answer of a step. */
export interface Answer {
  kind: AnswerKind;
  /** The attribute's key after `warn-`/`finding-` (`api-not-listening`); `ok` for the healthy answer. */
  key: string;
  /** Shown to the operator: "API not listening". */
  label: string;
  exit: ExitClause;
  output: OutputClause[];
  /** The condition as written, e.g. `exit 7`. */
  source: string;
}

export interface ParsedAnswers {
  answers: Answer[];
  /** Parse problems (one per bad attribute); a step with any is not checked. */
  errors: string[];
  /** `scenarios="api-down:api-not-listening"`: the answer each sandbox scenario must give (`any`: any declared one). */
  scenarios: Record<string, string>;
}

/** "api-not-listening" -> "API not listening". */
export function labelOf(key: string): string {
  const words = key
    .split('-')
    .filter(Boolean)
    .map((w) => WORD_SPELLING[w.toLowerCase()] ?? w.toLowerCase());
  if (words.length === 0) return key;
  const first = words[0]!;
  words[0] = first === first.toLowerCase() ? first.charAt(0).toUpperCase() + first.slice(1) : first;
  return words.join(' ');
}

function parseExitCodes(text: string): ExitClause | string {
  const t = text.trim();
  if (t === 'any') return { any: true };
  if (t === '!0' || t === 'not 0') return { nonzero: true };
  const parts = t.split(',').map((p) => p.trim());
  const codes: number[] = [];
  for (const p of parts) {
    if (!/^\d{1,3}$/.test(p) || Number(p) > 255)
      return `"exit ${t}" is not an exit code: write exit 7, exit 7,28, exit !0 or exit any`;
    codes.push(Number(p));
  }
  return { codes };
}

function checkRegex(pattern: string, flags: string): string | null {
  const bad = [...flags].filter((f) => !ALLOWED_FLAGS.has(f));
  if (bad.length > 0) return `regex flag(s) "${bad.join('')}" not allowed; use i, m, s or u`;
  try {
    new RegExp(pattern, flags);
  } catch (err) {
    return `/${pattern}/${flags} is not a valid regular expression: ${(err as Error).message}`;
  }
  return null;
}

/**
 * A condition: clauses joined by ` and `, each `exit <codes>`, `/regex/flags` (the output matches)
 * or `!/regex/flags` (it does not). Without an exit clause the exit code must be 0.
 */
export function parseCondition(source: string): { exit: ExitClause; output: OutputClause[] } | string {
  if (source.length > MAX_CONDITION_CHARS)
    return `the condition is longer than ${MAX_CONDITION_CHARS} characters`;
  let rest = source.trim();
  if (rest === '') return 'the condition is empty: write exit 0, /regex/ or both joined by " and "';
  let exit: ExitClause | null = null;
  const output: OutputClause[] = [];
  while (rest !== '') {
    const exitMatch = /^exit\s+(.*?)(?:\s+and\s+(?=exit\b|!?\/)|$)/.exec(rest);
    if (exitMatch) {
      if (exit) return 'the condition has two exit clauses';
      const parsed = parseExitCodes(exitMatch[1]!);
      if (typeof parsed === 'string') return parsed;
      exit = parsed;
      rest = rest.slice(exitMatch[0].length);
      continue;
    }
    const negate = rest.startsWith('!/');
    if (!negate && !rest.startsWith('/'))
      return `"${rest.slice(0, 40)}" is not a clause: write exit N, /regex/flags or !/regex/flags`;
    const body = rest.slice(negate ? 2 : 1);
    // The regex ends at the first `/` followed by flags and then the end or ` and <next clause>`.
    let end = -1;
    let after = '';
    for (let j = 0; j < body.length; j++) {
      if (body[j] === '\\') {
        j++;
        continue;
      }
      if (body[j] !== '/') continue;
      const tail = /^\/([A-Za-z]*)(\s+and\s+(?=exit\b|!?\/)|\s*$)/.exec(body.slice(j));
      if (tail) {
        end = j;
        after = tail[0];
        break;
      }
    }
    if (end < 0) return `the regex /${body.slice(0, 40)} has no closing /`;
    const pattern = body.slice(0, end);
    const flags = /^\/([A-Za-z]*)/.exec(after)![1]!;
    if (pattern === '') return 'an empty regex // matches everything: leave it out';
    const problem = checkRegex(pattern, flags);
    if (problem) return problem;
    output.push({ pattern, flags, negate });
    rest = body.slice(end + after.length);
  }
  return { exit: exit ?? { codes: [0] }, output };
}

const ANSWER_KEY_RE = /^(ok|warn|finding)(?:-([a-z0-9]+(?:-[a-z0-9]+)*))?$/;

/**
 * The answers declared in a fence's attributes, in the order written. `expect`/`exit` (the simple
 * form) is the healthy answer when no `ok` is given; declaring both is a problem.
 */
export function parseAnswers(
  attrs: Record<string, string>,
  simple: Expectation | null = null,
  meta: string | null = null,
): ParsedAnswers {
  const answers: Answer[] = [];
  const errors: string[] = [];
  const keys = new Set<string>();
  // The attribute map keeps the last of two equal keys; the fence line shows whether there were two.
  const written = new Map<string, number>();
  for (const m of (meta ?? '').matchAll(/(?:^|[\s,{])((?:ok|warn|finding)(?:-[\w-]*)?)=/g))
    written.set(m[1]!, (written.get(m[1]!) ?? 0) + 1);
  for (const [attr, n] of written)
    if (n > 1) errors.push(`"${attr}" is declared ${n} times: give each answer its own name`);
  for (const [attr, value] of Object.entries(attrs)) {
    const m = ANSWER_KEY_RE.exec(attr);
    if (!m) {
      if (/^(ok|warn|finding)-/.test(attr))
        errors.push(
          `"${attr}" is not an answer name: use lower-case words joined by -, e.g. finding-api-not-listening`,
        );
      continue;
    }
    const kind = m[1] as AnswerKind;
    const key = kind === 'ok' ? 'ok' : (m[2] ?? '');
    if (kind === 'ok' && m[2]) {
      errors.push(`"${attr}": the healthy answer is just ok="..." (one per step)`);
      continue;
    }
    if (kind !== 'ok' && !key) {
      errors.push(`"${attr}" needs a name: ${kind}-<name>, e.g. ${kind}-api-not-listening`);
      continue;
    }
    if (keys.has(key)) {
      errors.push(`the answer "${key}" is declared twice`);
      continue;
    }
    keys.add(key);
    const cond = parseCondition(value);
    if (typeof cond === 'string') {
      errors.push(`${attr}="${value.length > 60 ? `${value.slice(0, 60)}…` : value}": ${cond}`);
      continue;
    }
    answers.push({
      kind,
      key,
      label: kind === 'ok' ? 'OK' : labelOf(key),
      exit: cond.exit,
      output: cond.output,
      source: value.trim(),
    });
  }
  if (simple) {
    if (keys.has('ok')) errors.push('declare the healthy answer once: ok="..." or expect/exit, not both');
    else
      answers.unshift({
        kind: 'ok',
        key: 'ok',
        label: 'OK',
        exit: { codes: [simple.exitCode] },
        output: simple.pattern ? [{ pattern: simple.pattern, flags: simple.flags, negate: false }] : [],
        source: describeSimple(simple),
      });
  }
  if (answers.length > MAX_ANSWERS) errors.push(`${answers.length} answers declared; at most ${MAX_ANSWERS}`);
  const scenarios: Record<string, string> = {};
  const rawScenarios = attrs.scenarios;
  if (rawScenarios !== undefined) {
    for (const pair of rawScenarios.split(/[\s,]+/).filter(Boolean)) {
      const sm = /^([a-z0-9-]+):([a-z0-9-]+)$/.exec(pair);
      if (!sm) {
        errors.push(`scenarios: "${pair}" is not scenario:answer (e.g. api-down:api-not-listening)`);
        continue;
      }
      // `any`: any declared answer is true there (a step that reads the day's history).
      if (!keys.has(sm[2]!) && !(sm[2] === 'ok' && simple) && sm[2] !== 'any') {
        errors.push(`scenarios: ${sm[1]} names "${sm[2]}", which the step does not declare`);
        continue;
      }
      scenarios[sm[1]!] = sm[2]!;
    }
  }
  return { answers, errors, scenarios };
}

function describeSimple(e: Expectation): string {
  return `${e.pattern ? `/${e.pattern}/${e.flags} and ` : ''}exit ${e.exitCode}`;
}

function exitMatches(exit: ExitClause, code: number): boolean {
  if ('any' in exit) return true;
  if ('nonzero' in exit) return code !== 0;
  return exit.codes.includes(code);
}

function namesExit(answers: Answer[], code: number): boolean {
  return answers.some((a) => 'codes' in a.exit && a.exit.codes.includes(code));
}

/** The verdict of one finished command against a step's answers. */
export interface StepAnswer {
  outcome: Outcome;
  /** The matched answer's key and label (null for unexpected / error / unchecked). */
  answer: string | null;
  label: string | null;
  /** What the answers expected, short: "ok: /HTTP 200/ · API not listening: exit 7". */
  expected: string;
  /** What was seen: the matched text or the output's last line, and the exit code. */
  seen: string;
  reasons: string[];
}

function lastLineOf(text: string): string {
  const line = text.trimEnd().split('\n').pop() ?? '';
  return line.length > 200 ? `${line.slice(0, 200)}…` : line;
}

/** A one-line summary of a step's answers. */
export function describeAnswers(answers: Answer[]): string {
  return answers.map((a) => `${a.kind === 'ok' ? 'ok' : `${a.kind} "${a.label}"`}: ${a.source}`).join(' · ');
}

/**
 * Answer a finished command. Order: an unknown exit code is an error (the command did not finish
 * under our eyes); then findings, warnings and the healthy answer are tried in that order, each
 * group in the order written, and the first whose every clause holds is the answer; an exit code
 * of 126/127 that no answer names is an error (could not run); anything else is unexpected.
 */
export function answerStep(answers: Answer[], output: string, exitCode: number | null): StepAnswer {
  const expected = describeAnswers(answers);
  if (answers.length === 0)
    return {
      outcome: 'unchecked',
      answer: null,
      label: null,
      expected: '(none declared)',
      seen: `exit ${exitCode ?? 'unknown'}`,
      reasons: ['the step declares no answers'],
    };
  const clean = stripAnsi(
    output.length > MAX_CHECKED_OUTPUT_CHARS ? output.slice(-MAX_CHECKED_OUTPUT_CHARS) : output,
  );
  const last = lastLineOf(clean);
  if (exitCode === null) {
    return {
      outcome: 'error',
      answer: null,
      label: null,
      expected,
      seen: `last line "${last}", exit unknown`,
      reasons: [
        'the command did not finish with a known exit code (timed out, or no shell integration): it could not be checked',
      ],
    };
  }
  for (const kind of PRECEDENCE) {
    for (const a of answers) {
      if (a.kind !== kind || !exitMatches(a.exit, exitCode)) continue;
      let matched: string | null = null;
      let holds = true;
      for (const c of a.output) {
        const m = new RegExp(c.pattern, c.flags).exec(clean);
        if (c.negate ? m !== null : m === null) {
          holds = false;
          break;
        }
        if (m && matched === null) matched = m[0];
      }
      if (!holds) continue;
      const seen = `${matched !== null ? `matched "${matched.length > 200 ? `${matched.slice(0, 200)}…` : matched}"` : `last line "${last}"`}, exit ${exitCode}`;
      return {
        outcome: a.kind,
        answer: a.key,
        label: a.label,
        expected,
        seen,
        reasons: a.kind === 'ok' ? [] : [`${a.label}: ${a.source}`],
      };
    }
  }
  const seen = `last line "${last}", exit ${exitCode}`;
  if (COULD_NOT_RUN_EXITS.includes(exitCode) && !namesExit(answers, exitCode)) {
    return {
      outcome: 'error',
      answer: null,
      label: null,
      expected,
      seen,
      reasons: [
        `exit ${exitCode}: the shell could not run the command (${exitCode === 127 ? 'a program was not found' : 'not executable'})`,
      ],
    };
  }
  return {
    outcome: 'unexpected',
    answer: null,
    label: null,
    expected,
    seen,
    reasons: [`none of the declared answers matches: saw ${seen}`],
  };
}

/** The word an outcome is shown as when no finding name applies. */
export const OUTCOME_WORD: Record<Outcome, string> = {
  ok: 'OK',
  warn: 'WARN',
  finding: 'FINDING',
  unexpected: 'UNEXPECTED',
  error: 'ERROR',
  unchecked: 'UNCHECKED',
};

/** Whether a step is checked (Run & check): it declares answers, or tried to and got them wrong. */
export function isCheckedStep(step: {
  answers: Answer[];
  answerErrors: string[];
  expectError: string | null;
}): boolean {
  return step.answers.length > 0 || step.answerErrors.length > 0 || step.expectError !== null;
}

/** Answer a finished step; a step whose declaration does not parse is an error, never a pass. */
export function checkStep(
  step: { answers: Answer[]; answerErrors: string[]; expectError: string | null },
  output: string,
  exitCode: number | null,
): StepAnswer {
  const problems = [...(step.expectError ? [step.expectError] : []), ...step.answerErrors];
  if (problems.length > 0)
    return {
      outcome: 'error',
      answer: null,
      label: null,
      expected: '(invalid declaration)',
      seen: `exit ${exitCode ?? 'unknown'}`,
      reasons: problems,
    };
  return answerStep(step.answers, output, exitCode);
}

/** Whether `pattern` with `flags` compiles (the contract checks regexes that cross into main). */
export function validRegex(pattern: string, flags: string): boolean {
  return checkRegex(pattern, flags) === null;
}

/** How a verdict reads to the operator: the finding's name, "Warning: name", or the outcome's word. */
export function outcomeText(outcome: Outcome, label: string | null | undefined): string {
  if (outcome === 'finding' && label) return label;
  if (outcome === 'warn' && label) return `Warning: ${label}`;
  return OUTCOME_WORD[outcome];
}
