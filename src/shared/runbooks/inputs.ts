// Step inputs and outputs (pure): the `input-<name>...` and `output...` fence attributes, checking
// a value an operator typed against its input, filling it into the command with the install quoting.
import { stripAnsi } from '../ansi';
import type { StepInput, StepInputType, StepOutput } from './types';
import { fillVariables, KNOWN_VARIABLES, variablesIn } from './variables';

export const INPUT_TYPES: readonly StepInputType[] = ['text', 'integer', 'path'];
/** A typed value longer than this is a paste gone wrong, not an argument. */
export const MAX_INPUT_CHARS = 4096;
/** An output longer than this is kept cut (it is meant as one value for a later step, not a log). */
export const MAX_OUTPUT_CHARS = 4096;
/** More inputs than this is a form, not a step. */
const MAX_INPUTS_PER_STEP = 12;

const NAME_RE = /^[A-Za-z][A-Za-z0-9_]{0,39}$/;
const INPUT_ATTR_RE = /^input-([A-Za-z][A-Za-z0-9_]{0,39})(?:-(pattern|default|from|label))?$/;
const CONTROL = /[\x00-\x1f\x7f]/;
const ALLOWED_FLAGS = new Set(['i', 'm', 's', 'u']);

export interface StepIoProblem {
  severity: 'error' | 'warning';
  rule: 'step-input' | 'step-output';
  message: string;
}

function parseRegex(raw: string): { source: string; flags: string } | string {
  const m = /^\/([\s\S]*)\/([a-z]*)$/.exec(raw);
  if (!m) return `"${raw}" is not a /regex/`;
  const bad = [...m[2]].filter((f) => !ALLOWED_FLAGS.has(f));
  if (bad.length > 0) return `flag(s) "${bad.join('')}" not allowed; use i, m, s or u`;
  try {
    new RegExp(m[1], m[2]);
  } catch (err) {
    return `not a valid regular expression: ${(err as Error).message}`;
  }
  return { source: m[1], flags: m[2] };
}

/**
 * The inputs and the output a step declares in its fence attributes:
 * `input-NAME="text|integer|path"`, `input-NAME-pattern="/re/"`, `input-NAME-default="v"`,
 * `input-NAME-from="step-id.output"`, `input-NAME-label="..."`; `output="NAME"` with an optional
 * `output-match="/re(capture)/flags"`. Declarations that do not hold are problems, not inputs.
 */
export function parseStepIo(
  attrs: Record<string, string>,
  code: string,
): { inputs: StepInput[]; output: StepOutput | null; problems: StepIoProblem[] } {
  const problems: StepIoProblem[] = [];
  const err = (rule: StepIoProblem['rule'], message: string) =>
    problems.push({ severity: 'error', rule, message });
  const byName = new Map<string, Record<string, string>>();
  for (const [key, value] of Object.entries(attrs)) {
    if (!key.startsWith('input-')) continue;
    const m = INPUT_ATTR_RE.exec(key);
    if (!m) {
      err(
        'step-input',
        `"${key}" is not an input attribute: write input-NAME="text", input-NAME-pattern, -default, -from or -label (NAME: a letter, then letters, digits or _).`,
      );
      continue;
    }
    const entry = byName.get(m[1]) ?? {};
    entry[m[2] ?? 'type'] = value;
    byName.set(m[1], entry);
  }
  const used = new Set(variablesIn(code));
  const inputs: StepInput[] = [];
  for (const [name, a] of byName) {
    if (inputs.length >= MAX_INPUTS_PER_STEP) {
      err('step-input', `More than ${MAX_INPUTS_PER_STEP} inputs on one step: split it.`);
      break;
    }
    if (Object.prototype.hasOwnProperty.call(KNOWN_VARIABLES, name)) {
      err('step-input', `Input "${name}" has the name of an install variable: pick another name.`);
      continue;
    }
    const type = a.type as StepInputType | undefined;
    if (type === undefined || !INPUT_TYPES.includes(type)) {
      err(
        'step-input',
        `Input "${name}" needs input-${name}="${INPUT_TYPES.join('|')}"${type === undefined ? '' : ` (not "${type}")`}.`,
      );
      continue;
    }
    let pattern: StepInput['pattern'] = null;
    if (a.pattern !== undefined) {
      const re = parseRegex(a.pattern);
      if (typeof re === 'string') {
        err('step-input', `input-${name}-pattern: ${re}.`);
        continue;
      }
      pattern = re;
    }
    let from: StepInput['from'] = null;
    if (a.from !== undefined) {
      const dot = a.from.lastIndexOf('.');
      const step = a.from.slice(0, dot);
      const output = a.from.slice(dot + 1);
      if (dot <= 0 || !/^[\w.-]{1,80}$/.test(step) || !NAME_RE.test(output)) {
        err(
          'step-input',
          `input-${name}-from="${a.from}" must name an earlier step's output as STEP.OUTPUT.`,
        );
        continue;
      }
      from = { step, output };
    }
    const input: StepInput = {
      name,
      type,
      label: a.label?.slice(0, 200) || null,
      pattern,
      default: a.default ?? null,
      from,
    };
    if (input.default !== null) {
      const bad = validateInput(input, input.default);
      if (bad) err('step-input', `input-${name}-default: ${bad}`);
    }
    if (!used.has(name))
      problems.push({
        severity: 'warning',
        rule: 'step-input',
        message: `Input "${name}" is declared but the command never uses {{${name}}}.`,
      });
    inputs.push(input);
  }
  let output: StepOutput | null = null;
  if (attrs.output !== undefined) {
    if (!NAME_RE.test(attrs.output))
      err('step-output', `output="${attrs.output}" is not a name (a letter, then letters, digits or _).`);
    else {
      let match: StepOutput['match'] = null;
      if (attrs['output-match'] !== undefined) {
        const re = parseRegex(attrs['output-match']);
        if (typeof re === 'string') err('step-output', `output-match: ${re}.`);
        else match = re;
      }
      output = { name: attrs.output, match };
    }
  } else if (attrs['output-match'] !== undefined)
    err('step-output', 'output-match needs output="NAME" to name the value.');
  return { inputs, output, problems };
}

/**
 * Why `value` is not acceptable for `input`, or null when it is. Default-deny: one line, no control
 * characters, bounded, of the declared type, matching the declared pattern; a text or path that
 * starts with `-` is refused (a command would read it as an option, quoted or not).
 */
export function validateInput(input: StepInput, value: string): string | null {
  if (value === '') return 'a value is required.';
  if (value.length > MAX_INPUT_CHARS) return `longer than ${MAX_INPUT_CHARS} characters.`;
  if (CONTROL.test(value)) return 'holds a newline or another control character: a value is one line.';
  if (input.type === 'integer' && !/^-?[0-9]{1,15}$/.test(value)) return `"${value}" is not a whole number.`;
  if (input.type !== 'integer' && value.startsWith('-')) {
    return `starts with "-", which the command would read as an option${input.type === 'path' ? ' (write ./' + value + ' for a file of that name)' : ''}.`;
  }
  if (input.pattern && !new RegExp(input.pattern.source, input.pattern.flags).test(value))
    return `does not match /${input.pattern.source}/${input.pattern.flags}.`;
  return null;
}

export interface FilledInputs {
  /** The command with every input filled, or null when a value was refused. */
  command: string | null;
  /** Per input name, why its value was refused. */
  errors: Record<string, string>;
}

/**
 * Fill a step's inputs into its (install-filled) command, each value shell-quoted by the same
 * `fillVariables` the install variables use, so the same unsafe-context rules refuse a value
 * where even a quoted one would be read as code.
 */
export function fillInputs(
  step: { filled: string; inputs?: StepInput[] },
  values: Record<string, string>,
): FilledInputs {
  const errors: Record<string, string> = {};
  const vars: Record<string, string> = {};
  for (const input of step.inputs ?? []) {
    const value = values[input.name] ?? '';
    const bad = validateInput(input, value);
    if (bad) errors[input.name] = bad;
    else vars[input.name] = value;
  }
  if (Object.keys(errors).length > 0) return { command: null, errors };
  const { filled, refused } = fillVariables(step.filled, vars);
  for (const name of refused)
    errors[name] =
      'cannot be filled safely where the step puts it (backticks, a here-document, arithmetic, [[ ]], ${...} or the arguments of eval, sh -c, ssh ...).';
  return Object.keys(errors).length > 0 ? { command: null, errors } : { command: filled, errors };
}

/** The value a finished step gives its named output: the first capture of `match` (or its whole match), else the trimmed output. */
export function extractOutput(spec: StepOutput, output: string): { value: string } | { error: string } {
  const clean = stripAnsi(output);
  let value: string;
  if (spec.match) {
    const m = new RegExp(spec.match.source, spec.match.flags).exec(clean);
    if (!m) return { error: `the output does not match /${spec.match.source}/${spec.match.flags}` };
    value = (m[1] ?? m[0]).trim();
  } else value = clean.trim();
  if (value === '') return { error: 'the output is empty' };
  return { value: value.slice(0, MAX_OUTPUT_CHARS) };
}

/** The starting value of each input: the earlier step's output when there is one, else its default, else empty. */
export function initialValues(
  inputs: readonly StepInput[],
  outputs: Readonly<Record<string, string>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const i of inputs) {
    const fromValue = i.from ? outputs[`${i.from.step}.${i.from.output}`] : undefined;
    out[i.name] = fromValue ?? i.default ?? '';
  }
  return out;
}
