// `aura-ops runbooks test`: runs every read-only runbook step that declares answers against an
// install (bash, cwd = data root, the install's AURA_* env, `aura-ops` on PATH) and checks that it
// gives the answer wanted there: ok in the sandbox's healthy state, the named finding in each
// scenario the step names, any declared answer on an install in an unknown state (a real one).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { classifyCommand } from '../command-risk';
import type { ScenarioName } from '../../../shared/contract/sandbox';
import { OpsError } from '../../../shared/errors';
import type { InstallPaths } from '../../../shared/install-types';
import { checkStep, isCheckedStep, outcomeText, type Outcome } from '../../../shared/runbooks/findings';
import { parseRunbook } from '../../../shared/runbooks/parse';
import type { ParsedRunbook, Step } from '../../../shared/runbooks/types';
import { fillVariables } from '../../../shared/runbooks/variables';
import { fillInputs, initialValues } from '../../../shared/runbooks/inputs';
import { switchScenario } from '../../sandbox/control';
import { installVariables } from './install-variables';

/** Per-step time limit: a diagnostic step that takes longer is hung (api-hang steps use curl --max-time 5). */
export const STEP_TIMEOUT_MS = 15_000;
/** Output kept per step (the tail): expectations look at a command's result, not megabytes of it. */
export const MAX_STEP_OUTPUT_CHARS = 1024 * 1024;
/** Lines of output shown under a failing step. */
const EXCERPT_LINES = 8;
/** Characters of output shown under a failing step. */
const EXCERPT_CHARS = 800;
/** Between two re-runs of failing steps while a scenario settles. */
export const SETTLE_POLL_MS = 1000;

/** What happened to one step. The first three count as failures (exit 1). */
export type StepTestStatus =
  | 'pass'
  | 'fail'
  | 'invalid' // the answer attributes (or expect/exit) cannot be parsed
  | 'skipped-mutating' // lint-level error: a step with an expectation must only read
  | 'skipped-unfilled' // the install cannot fill a {{variable}} it uses
  | 'skipped-scenario'; // the step names no answer for this sandbox scenario

export const FAILING_STATUSES: readonly StepTestStatus[] = ['fail', 'invalid', 'skipped-mutating'];

export interface StepTestResult {
  /** The runbook file as given on the command line (or relative to its folder). */
  file: string;
  line: number;
  runbook: string;
  step: string;
  /** The sandbox scenario the install was in, when the runner switched it. */
  scenario: string | null;
  status: StepTestStatus;
  /** The command as run (variables filled). */
  command: string;
  expected: string;
  actual: string;
  /** The answer wanted here: `ok`, a finding's or warning's key, or `any` (a declared one). */
  wanted: string;
  /** The step's answer (null when it did not run). */
  outcome: Outcome | null;
  /** The matched answer's key (null for unexpected / error). */
  answer: string | null;
  /** The last lines of the output (failures only; empty for a pass). */
  excerpt: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** How many times the step ran (more than one while a scenario settled). */
  attempts: number;
  reasons: string[];
}

/** One runbook file, read and parsed with the install's variables. */
export interface LoadedRunbook {
  /** Absolute path. */
  path: string;
  /** Path shown in results. */
  display: string;
  doc: ParsedRunbook;
  /** Sandbox scenarios whose state its checked steps describe (front matter `testScenarios`). */
  scenarios: string[];
}

/** A step ready to run, or already decided (skipped / invalid). */
export interface PlannedStep {
  runbook: LoadedRunbook;
  step: Step;
  shell: string;
  decided: StepTestResult | null;
  /** The answer the step must give (see `wantedAnswer`); null when not asserted. */
  wanted?: string | null;
}

// ---------------------------------------------------------------------------------------------
// Pure parts

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

function wantedText(step: Step, wanted: string): string {
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

function blank(r: LoadedRunbook, step: Step, scenario: string | null): StepTestResult {
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

/** The environment a step runs with: this process's, the install's AURA_* paths, `aura-ops` first on PATH. */
export function stepEnv(
  paths: InstallPaths,
  shimDir: string | null,
  base: NodeJS.ProcessEnv = process.env,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  env.AURA_DATA_PATH = paths.dataRoot;
  env.AURA_LOGS_PATH = paths.logsDir;
  env.AURA_DATABASE_PATH = paths.dbPath;
  env.AURA_API_URL = paths.apiUrl;
  env.PATH = shimDir ? `${shimDir}${path.delimiter}${base.PATH ?? ''}` : (base.PATH ?? '');
  // Plain output: no colours or pagers in captured output.
  env.NO_COLOR = '1';
  env.TERM = 'dumb';
  env.PAGER = 'cat';
  return env;
}

/** The last lines of an output, for the report. */
export function excerptOf(output: string): string {
  const lines = output.replace(/\s+$/, '').split('\n');
  let text = lines.slice(-EXCERPT_LINES).join('\n');
  if (text.length > EXCERPT_CHARS) text = `…${text.slice(-EXCERPT_CHARS)}`;
  return text;
}

export interface TestSummary {
  pass: number;
  fail: number;
  skipped: number;
  ok: boolean;
}

export function summarize(results: StepTestResult[]): TestSummary {
  const fail = results.filter((r) => FAILING_STATUSES.includes(r.status)).length;
  const pass = results.filter((r) => r.status === 'pass').length;
  return { pass, fail, skipped: results.length - pass - fail, ok: fail === 0 };
}

const LABEL: Record<StepTestStatus, string> = {
  pass: 'PASS',
  fail: 'FAIL',
  invalid: 'ERROR',
  'skipped-mutating': 'ERROR',
  'skipped-unfilled': 'SKIP',
  'skipped-scenario': 'SKIP',
};

/** Human-readable report: one line per step, details under failures and skips. */
export function formatResults(results: StepTestResult[]): string {
  const lines: string[] = [];
  for (const r of results) {
    const where = `${r.file}:${r.line}`;
    const scen = r.scenario ? ` [${r.scenario}]` : '';
    lines.push(
      `${LABEL[r.status].padEnd(5)} ${where} ${r.step}${scen}${r.status === 'pass' ? `  (${r.actual})` : ''}`,
    );
    if (r.status === 'pass') continue;
    if (r.status === 'fail') {
      lines.push(`      wanted:   ${r.expected}`);
      lines.push(`      answer:   ${r.actual}${r.timedOut ? ' (timed out)' : ''}`);
    }
    for (const reason of r.reasons) lines.push(`      ${r.status === 'fail' ? 'why:      ' : ''}${reason}`);
    if (r.status === 'fail' && r.excerpt) {
      lines.push('      output:');
      for (const l of r.excerpt.split('\n')) lines.push(`        ${l}`);
    }
  }
  const s = summarize(results);
  lines.push(`${results.length} checked step(s): ${s.pass} passed, ${s.fail} failed, ${s.skipped} skipped`);
  return `${lines.join('\n')}\n`;
}

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

export interface CommandResult {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Set when the shell itself could not start. */
  spawnError: string | null;
}

/** Run one command with `shell -c`, stdout and stderr merged as a terminal shows them. */
export function runCommand(
  command: string,
  opts: { shell: string; cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const append = (d: Buffer): void => {
      output += d.toString('utf8');
      if (output.length > MAX_STEP_OUTPUT_CHARS * 2) output = output.slice(-MAX_STEP_OUTPUT_CHARS);
    };
    // Its own process group, so a timeout ends the whole pipeline, not just the shell.
    const child = spawn(opts.shell, ['-c', command], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined)
          process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch (err) {
        // ESRCH: it ended between the timer firing and the kill; anything else is worth showing.
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH')
          output += `\n[aura-ops: could not stop the step: ${(err as Error).message}]`;
      }
    }, opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({
        output,
        exitCode: null,
        timedOut: false,
        durationMs: Date.now() - t0,
        spawnError: `${opts.shell} could not start (${err.message}): install it or run the step by hand.`,
      });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        output: output.slice(-MAX_STEP_OUTPUT_CHARS),
        exitCode: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : null),
        timedOut,
        durationMs: Date.now() - t0,
        spawnError: null,
      });
    });
  });
}

/** The repo's bin/aura-ops.cjs, found upwards from this module (src/ in tests, out/main when built). */
export function findAuraOpsBin(start = __dirname): string | null {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'bin', 'aura-ops.cjs');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Single-quote a word for sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A temp dir holding an `aura-ops` script that runs this console's CLI: `node bin/aura-ops.cjs`
 * by default, or any command (tests run the TypeScript sources through tsx). Remove it with `cleanup`.
 */
export function createAuraOpsShim(command: string[]): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-shim-'));
  fs.writeFileSync(
    path.join(dir, 'aura-ops'),
    `#!/bin/sh\nexec ${command.map(shellQuote).join(' ')} "$@"\n`,
    { mode: 0o755 },
  );
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}

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
