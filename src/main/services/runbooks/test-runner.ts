// `aura-ops runbooks test`: runs every read-only runbook step that declares answers against an
// install (bash, cwd = data root, the install's AURA_* env, `aura-ops` on PATH) and checks that it
// gives the answer wanted there: ok in the sandbox's healthy state, the named finding in each
// scenario the step names, any declared answer on an install in an unknown state (a real one).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ScenarioName } from '../../../shared/contract/sandbox';
import { OpsError } from '../../../shared/errors';
import type { InstallPaths } from '../../../shared/install-types';
import { checkStep, outcomeText } from '../../../shared/runbooks/findings';
import { parseRunbook } from '../../../shared/runbooks/parse';
import { fillVariables } from '../../../shared/runbooks/variables';
import { fillInputs, initialValues } from '../../../shared/runbooks/inputs';
import { switchScenario } from '../../sandbox/control';
import { installVariables } from './install-variables';
import {
  type StepTestResult,
  type LoadedRunbook,
  type PlannedStep,
  STEP_TIMEOUT_MS,
  SETTLE_POLL_MS,
} from './test-types';
import { blank, declaredScenarios, planSteps, runbookScenarios, wantedText } from './test-plan';
import { runCommand, stepEnv } from './step-command';
import { excerptOf } from './test-report';

// ---------------------------------------------------------------------------------------------
// Loading

function walkMarkdown(dir: string, out: string[], depth = 0): void {
  const entries = fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name));
  for (const e of entries) {
    if (e.name.startsWith('.') || e.name === 'node_modules') continue;
    const abs = path.join(dir, e.name);
    if (e.isDirectory()) {
      if (depth < 6) walkMarkdown(abs, out, depth + 1);
    } else if (/\.md$/i.test(e.name)) out.push(abs);
  }
}

/** Read runbooks from files and folders, parsed with the install's variables. Throws on a missing path. */
export function loadRunbooks(
  targets: string[],
  vars: Record<string, string>,
  cwd = process.cwd(),
): LoadedRunbook[] {
  const files: { abs: string; root: string }[] = [];
  for (const t of targets) {
    const abs = path.resolve(cwd, t);
    if (!fs.existsSync(abs))
      throw new OpsError(
        'not-found',
        `"${t}" does not exist: pass a runbook file or the folder that holds them.`,
      );
    if (fs.statSync(abs).isDirectory()) {
      const found: string[] = [];
      walkMarkdown(abs, found);
      for (const f of found) files.push({ abs: f, root: abs });
    } else files.push({ abs, root: path.dirname(abs) });
  }
  const seen = new Set<string>();
  const out: LoadedRunbook[] = [];
  for (const f of files) {
    if (seen.has(f.abs)) continue;
    seen.add(f.abs);
    const source = fs.readFileSync(f.abs, 'utf8');
    const rel = path.relative(f.root, f.abs).split(path.sep).join('/');
    const display = path.relative(cwd, f.abs);
    const doc = parseRunbook(source, { file: rel, variables: vars });
    out.push({
      path: f.abs,
      display: display.startsWith('..') ? f.abs : display,
      doc,
      scenarios: runbookScenarios(doc, declaredScenarios(source)),
    });
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Running

export interface RunStepsOptions {
  paths: InstallPaths;
  /** The sandbox scenario the install is in (null: unknown, scenario-specific steps are skipped). */
  scenario: string | null;
  /** Directory put first on PATH (the `aura-ops` shim), or null. */
  shimDir: string | null;
  timeoutMs?: number;
  /** Re-run failing steps for up to this long (a scenario's symptoms take seconds to reach the logs). */
  settleMs?: number;
  /** Called after each step's final result (progress output). */
  onResult?: (r: StepTestResult) => void;
}

async function runOne(p: PlannedStep, opts: RunStepsOptions, attempts: number): Promise<StepTestResult> {
  // Filled again as the step runs: the live log ({{apiLog}}, ...) may have rolled since loading.
  const installed = fillVariables(p.step.code, installVariables(opts.paths)).filled;
  // Inputs get their defaults (planSteps skipped a step without usable ones).
  const inputs = p.step.inputs ?? [];
  const withDefaults =
    inputs.length > 0 ? fillInputs({ filled: installed, inputs }, initialValues(inputs, {})) : null;
  if (withDefaults && withDefaults.command === null) {
    return {
      ...blank(p.runbook, p.step, opts.scenario),
      status: 'skipped-unfilled',
      command: installed,
      attempts,
      reasons: Object.entries(withDefaults.errors).map(
        ([k, why]) => `input ${k} has no usable default: ${why}`,
      ),
    };
  }
  const command = withDefaults?.command ?? installed;
  const base = { ...blank(p.runbook, p.step, opts.scenario), command };
  const env = stepEnv(opts.paths, opts.shimDir);
  const cwd = fs.existsSync(opts.paths.dataRoot) ? opts.paths.dataRoot : os.tmpdir();
  const res = await runCommand(command, {
    shell: p.shell,
    cwd,
    env,
    timeoutMs: opts.timeoutMs ?? STEP_TIMEOUT_MS,
  });
  if (res.spawnError)
    return {
      ...base,
      status: 'fail',
      attempts,
      durationMs: res.durationMs,
      actual: 'did not run',
      reasons: [res.spawnError],
    };
  const wanted = p.wanted ?? 'any';
  const check = checkStep(p.step, res.output, res.timedOut ? null : res.exitCode);
  const given = check.outcome === 'ok' || check.outcome === 'warn' || check.outcome === 'finding';
  const pass = given && (wanted === 'any' || check.answer === wanted);
  const reasons = res.timedOut
    ? [
        `timed out after ${Math.round((opts.timeoutMs ?? STEP_TIMEOUT_MS) / 1000)} s`,
        ...check.reasons.filter((r) => !r.startsWith('the command did not finish')),
      ]
    : check.reasons;
  return {
    ...base,
    status: pass ? 'pass' : 'fail',
    expected: wantedText(p.step, wanted),
    actual: `${outcomeText(check.outcome, check.label)}: ${check.seen}`,
    wanted,
    outcome: check.outcome,
    answer: check.answer,
    excerpt: pass ? '' : excerptOf(res.output),
    exitCode: res.exitCode,
    timedOut: res.timedOut,
    durationMs: res.durationMs,
    attempts,
    reasons: pass
      ? []
      : given
        ? [`answered ${outcomeText(check.outcome, check.label)}, wanted ${wantedText(p.step, wanted)}`]
        : reasons,
  };
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Run the planned steps one after another; re-run failures until they pass or `settleMs` is over. */
export async function runPlannedSteps(
  planned: PlannedStep[],
  opts: RunStepsOptions,
): Promise<StepTestResult[]> {
  const deadline = Date.now() + (opts.settleMs ?? 0);
  const results: (StepTestResult | null)[] = planned.map((p) =>
    p.decided ? { ...p.decided, scenario: opts.scenario } : null,
  );
  let attempt = 0;
  for (;;) {
    attempt++;
    for (let i = 0; i < planned.length; i++) {
      const prev = results[i];
      if (planned[i].decided || (prev && prev.status === 'pass')) continue;
      results[i] = await runOne(planned[i], opts, attempt);
    }
    const failing = results.some((r, i) => !planned[i].decided && r?.status !== 'pass');
    if (!failing || Date.now() + SETTLE_POLL_MS > deadline) break;
    await sleep(SETTLE_POLL_MS);
  }
  const final = results.map((r) => r as StepTestResult);
  for (const r of final) opts.onResult?.(r);
  return final;
}

/** Plan and run the checked steps of these runbooks against an install in a known (or unknown) state. */
export async function testRunbooks(
  runbooks: LoadedRunbook[],
  opts: RunStepsOptions,
): Promise<StepTestResult[]> {
  const planned = (await Promise.all(runbooks.map((r) => planSteps(r, opts.scenario)))).flat();
  return runPlannedSteps(planned, opts);
}

// ---------------------------------------------------------------------------------------------
// Sandbox scenarios (CI: the runbooks are checked against the demo install in the state they describe)

/** How long a running sandbox may take to switch scenario (db-locked waits for a sqlite3 lock holder). */
export const SCENARIO_SWITCH_TIMEOUT_MS = 20_000;

/**
 * Switch the sandbox running from `dir` to `name` through its scenario file and wait until its
 * state file reports it. Throws with what to do when no sandbox runs there.
 */
export async function switchSandboxScenario(
  dir: string,
  name: ScenarioName,
  timeoutMs = SCENARIO_SWITCH_TIMEOUT_MS,
): Promise<void> {
  const outcome = await switchScenario(dir, name, { timeoutMs, ifStopped: 'refuse' });
  switch (outcome.kind) {
    case 'switched':
      return;
    case 'not-sandbox':
      throw new OpsError(
        'bad-request',
        `--scenario switches the demo sandbox, and ${dir} is not one: drop --scenario to test a real install as it is.`,
      );
    case 'not-running':
      throw new OpsError(
        'unavailable',
        `No sandbox runs from ${dir}: start it first with \`aura-ops sandbox run ${dir} --port 0\`.`,
      );
    case 'stopped':
      throw new OpsError(
        'unavailable',
        `The sandbox in ${dir} stopped while switching to ${name}: start it again.`,
      );
    case 'timeout':
      throw new OpsError(
        'timeout',
        `The sandbox in ${dir} did not switch to ${name} within ${timeoutMs / 1000} s (it reports ${outcome.state.scenario}): check its output.`,
      );
  }
}
