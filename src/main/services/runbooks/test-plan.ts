// Which steps `runbooks test` runs and what each must answer: the scenarios a runbook's checks
// are asserted in (front matter and fence attributes), and a plan per step (run it, or the reason
// it is skipped or invalid).
import { parse as parseYaml } from 'yaml';
import { classifyCommand } from '../command-risk';
import { isCheckedStep } from '../../../shared/runbooks/findings';
import type { ParsedRunbook, Step } from '../../../shared/runbooks/types';
import { fillInputs, initialValues } from '../../../shared/runbooks/inputs';
import { type StepTestResult, type LoadedRunbook, type PlannedStep } from './test-types';

const FRONT_MATTER_RE = /^---\r?\n([\s\S]*?)\r?\n---\r?\n/;
const SCENARIO_KEYS = ['testScenarios', 'test_scenarios', 'test-scenarios'];

function asList(value: unknown): string[] {
  if (Array.isArray(value))
    return value
      .filter((v): v is string => typeof v === 'string')
      .map((v) => v.trim())
      .filter(Boolean);
  if (typeof value === 'string')
    return value
      .split(/[\s,]+/)
      .map((v) => v.trim())
      .filter(Boolean);
  return [];
}

/** The `testScenarios` front-matter list (the parser keeps unknown keys out of its model). */
export function declaredScenarios(source: string): string[] {
  const m = FRONT_MATTER_RE.exec(source);
  if (!m) return [];
  let data: unknown;
  try {
    data = parseYaml(m[1]);
  } catch {
    return []; // broken front matter is reported by lint (rule front-matter), not here
  }
  if (!data || typeof data !== 'object') return [];
  const rec = data as Record<string, unknown>;
  for (const k of SCENARIO_KEYS) if (k in rec) return asList(rec[k]);
  return [];
}

/** The scenarios a step is limited to by its fence attribute `scenario="a,b"` (empty: any state). */
export function stepScenarios(doc: ParsedRunbook, step: Step): string[] {
  return asList(doc.codeBlocks[step.blockIndex]?.attrs.scenario ?? '');
}

/**
 * The answer a step must give in a sandbox scenario, or null when it is not asserted there:
 * `scenarios="api-down:api-not-listening"` names them; the healthy state wants ok unless named
 * otherwise. The older `scenario="a,b"` limits a step to those scenarios, each wanting ok.
 * An install in an unknown state (`scenario` null, e.g. a real one) wants any declared answer.
 */
export function wantedAnswer(doc: ParsedRunbook, step: Step, scenario: string | null): string | null {
  // The older form's ok describes a fault (e.g. exit 28 for api-hang): not true of an unknown state.
  if (scenario === null) return stepScenarios(doc, step).length > 0 ? null : 'any';
  const named = step.scenarioAnswers[scenario];
  if (named) return named;
  const only = stepScenarios(doc, step);
  if (only.length > 0) return only.includes(scenario) ? 'ok' : null;
  return scenario === 'healthy' && step.answers.some((a) => a.kind === 'ok') ? 'ok' : null;
}

/** The sandbox scenarios a runbook's checks are asserted in: front matter, healthy, and those its steps name. */
export function runbookScenarios(doc: ParsedRunbook, declared: string[]): string[] {
  const out = new Set(declared);
  for (const step of doc.steps) {
    if (!isCheckedStep(step)) continue;
    if (step.answers.some((a) => a.kind === 'ok') && stepScenarios(doc, step).length === 0)
      out.add('healthy');
    for (const s of Object.keys(step.scenarioAnswers)) out.add(s);
    for (const s of stepScenarios(doc, step)) out.add(s);
  }
  return [...out];
}

export function wantedText(step: Step, wanted: string): string {
  if (wanted === 'any') return 'any declared answer';
  const a = step.answers.find((x) => x.key === wanted);
  return a ? `${a.kind === 'ok' ? 'ok' : `${a.kind} "${a.label}"`} (${a.source})` : wanted;
}

/** The program that runs a block of this language (`console` blocks were reduced to their `$ ` lines). */
export function shellFor(lang: string): string {
  if (lang === 'sh') return 'sh';
  if (lang === 'zsh') return 'zsh';
  return 'bash';
}

export function blank(r: LoadedRunbook, step: Step, scenario: string | null): StepTestResult {
  return {
    file: r.display,
    line: step.line,
    runbook: r.doc.meta.title ?? r.display,
    step: step.id,
    scenario,
    status: 'fail',
    command: step.filled,
    expected: '',
    actual: '',
    wanted: '',
    outcome: null,
    answer: null,
    excerpt: '',
    exitCode: null,
    timedOut: false,
    durationMs: 0,
    attempts: 0,
    reasons: [],
  };
}

/**
 * Decide for each step with an expectation whether it runs: refuse mutating ones (a lint-level
 * error), skip those the install cannot fill or that are written for another scenario.
 * `scenario` null means the install's state is unknown: scenario-specific steps are skipped.
 */
export async function planSteps(r: LoadedRunbook, scenario: string | null): Promise<PlannedStep[]> {
  const out: PlannedStep[] = [];
  for (const step of r.doc.steps) {
    if (!isCheckedStep(step)) continue;
    const base = blank(r, step, scenario);
    const planned: PlannedStep = { runbook: r, step, shell: shellFor(step.lang), decided: null };
    out.push(planned);
    if (step.expectError || step.answerErrors.length > 0) {
      planned.decided = {
        ...base,
        status: 'invalid',
        expected: '(invalid declaration)',
        reasons: [...(step.expectError ? [step.expectError] : []), ...step.answerErrors],
      };
      continue;
    }
    // A step with inputs is tested with their defaults; one without a valid default cannot run unattended.
    const withDefaults = step.inputs?.length ? fillInputs(step, initialValues(step.inputs, {})) : null;
    if (withDefaults && withDefaults.command === null) {
      planned.decided = {
        ...base,
        status: 'skipped-unfilled',
        reasons: Object.entries(withDefaults.errors).map(
          ([k, why]) => `input ${k} has no usable default: ${why}`,
        ),
      };
      continue;
    }
    const risk = await classifyCommand(withDefaults?.command ?? step.filled);
    if (risk.risk === 'mutating') {
      planned.decided = {
        ...base,
        status: 'skipped-mutating',
        expected: 'a read-only command',
        actual: 'mutating',
        reasons: [
          `a checked step must only read (lint-level error): ${risk.reasons.join('; ')}. Remove its answers (ok, warn-*, finding-*, expect, exit) or make the command read-only.`,
        ],
      };
      continue;
    }
    if (step.missingVariables.length > 0) {
      planned.decided = {
        ...base,
        status: 'skipped-unfilled',
        reasons: [`the install does not give ${step.missingVariables.map((v) => `{{${v}}}`).join(', ')}`],
      };
      continue;
    }
    const wanted = wantedAnswer(r.doc, step, scenario);
    planned.wanted = wanted;
    if (wanted === null) {
      const named = [...Object.keys(step.scenarioAnswers), ...stepScenarios(r.doc, step)];
      planned.decided = {
        ...base,
        status: 'skipped-scenario',
        reasons: [
          scenario === null
            ? `written for the sandbox scenario${named.length > 1 ? 's' : ''} ${named.join(', ')} (pass --scenario to check it)`
            : `no answer is named for the sandbox scenario ${scenario}${named.length > 0 ? ` (the step names ${named.join(', ')})` : ''}`,
        ],
      };
    }
  }
  return out;
}
