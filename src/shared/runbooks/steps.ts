// Executable steps (pure): the shell code blocks of a runbook as steps, with their expectation,
// answers, filled {{variables}}, inputs, output and preconditions, and what is wrong with them.
import { parseExpectation } from './expect';
import { parseAnswers } from './findings';
import { parseStepIo } from './inputs';
import { parseRequires } from './preconditions';
import type { CodeBlock, ParseProblem, Step } from './types';
import { fillVariables, variablesIn } from './variables';

/** For a `console` block, the commands are the `$ `-prompted lines; other blocks run as written. */
function commandText(lang: string, code: string): string {
  if (lang !== 'console') return code;
  const prompted = code.split('\n').filter((l) => /^\s*\$\s/.test(l));
  return prompted.length > 0 ? prompted.map((l) => l.replace(/^\s*\$\s/, '')).join('\n') : code;
}

/**
 * The steps of the executable blocks, in order. `variables` are the install's values (undefined:
 * no install, every variable is missing); problems found are pushed onto `problems`.
 */
export function stepsOf(
  codeBlocks: CodeBlock[],
  variables: Record<string, string> | undefined,
  problems: ParseProblem[],
): Step[] {
  const vars = variables ?? {};
  const steps: Step[] = [];
  for (const block of codeBlocks) {
    if (!block.executable || block.lang === null) continue;
    const code = commandText(block.lang, block.code);
    const { expect, error } = parseExpectation(block.attrs);
    const { filled, missing, quoted, refused } = fillVariables(code, vars);
    const name = block.attrs.name && /^[\w.-]{1,80}$/.test(block.attrs.name) ? block.attrs.name : null;
    if (error)
      problems.push({ line: block.line, severity: 'error', rule: 'step-expect', message: `${error}.` });
    const declared = parseAnswers(block.attrs, expect, block.meta);
    for (const e of declared.errors)
      problems.push({ line: block.line, severity: 'error', rule: 'step-answer', message: `${e}.` });
    const list = (names: string[]) => names.map((v) => `{{${v}}}`).join(', ');
    if (quoted.length > 0) {
      problems.push({
        line: block.line,
        severity: 'warning',
        rule: 'step-variable-quoted',
        message: `${list(quoted)} is written inside quotes, backticks or a here-document: write it bare (the console shell-quotes every value it fills), e.g. sqlite3 -readonly {{dbPath}} or {{logsDir}}/errors-{{today}}.log.`,
      });
    }
    if (refused.length > 0) {
      problems.push({
        line: block.line,
        severity: 'error',
        rule: 'step-variable-unsafe',
        message: `The install's ${list(refused)} holds characters that cannot be filled safely where the step puts it (backticks, a here-document, arithmetic, [[ ]], \${...}, or the arguments of eval, sh -c, ssh, let, read, printf -v ...): there the shell reads even a quoted value as code. Pass it as a plain argument instead; the step is not filled.`,
      });
    }
    steps.push({
      id: name ?? `step-${steps.length + 1}`,
      name,
      blockIndex: block.index,
      lang: block.lang,
      line: block.line,
      section: block.section,
      code,
      filled,
      variables: variablesIn(code),
      missingVariables: variables ? [...missing, ...refused] : variablesIn(code),
      expect,
      expectError: error,
      answers: declared.answers,
      answerErrors: declared.errors,
      scenarioAnswers: declared.scenarios,
    });
    // Inputs, output and preconditions (inputs.ts, preconditions.ts); an input is not an install variable.
    const io = parseStepIo(block.attrs, code);
    const req = parseRequires(block.attrs.requires);
    for (const p of io.problems) problems.push({ line: block.line, ...p });
    for (const message of req.problems)
      problems.push({ line: block.line, severity: 'error', rule: 'step-requires', message });
    const added = steps[steps.length - 1];
    const inputNames = new Set(io.inputs.map((i) => i.name));
    Object.assign(added, {
      inputs: io.inputs,
      output: io.output,
      requires: req.requires,
      missingVariables: added.missingVariables.filter((v) => !inputNames.has(v)),
    });
  }
  const earlier = new Map(steps.map((s, k) => [s.id, k]));
  steps.forEach((s, k) => {
    for (const p of s.requires ?? []) {
      if (p.kind !== 'step-ok') continue;
      const at = earlier.get(p.step);
      if (at === undefined || at >= k)
        problems.push({
          line: s.line,
          severity: 'error',
          rule: 'step-requires',
          message: `requires step:${p.step} must name an earlier step of this runbook.`,
        });
    }
    for (const i of s.inputs ?? []) {
      if (!i.from) continue;
      const at = earlier.get(i.from.step);
      if (at === undefined || at >= k || steps[at].output?.name !== i.from.output)
        problems.push({
          line: s.line,
          severity: 'error',
          rule: 'step-input',
          message: `input-${i.name}-from="${i.from.step}.${i.from.output}" must name the output of an earlier step of this runbook.`,
        });
    }
  });
  const ids = new Set<string>();
  for (const s of steps) {
    if (ids.has(s.id))
      problems.push({
        line: s.line,
        severity: 'error',
        rule: 'step-name',
        message: `Step name "${s.id}" is used twice: give each step its own name.`,
      });
    ids.add(s.id);
  }
  return steps;
}
