// What `aura-ops runbooks test` works with: a loaded runbook, a planned step, a step's result
// and its status, and the limits a step runs under.
import { type Outcome } from '../../../shared/runbooks/findings';
import type { ParsedRunbook, Step } from '../../../shared/runbooks/types';

/** Per-step time limit: a diagnostic step that takes longer is hung (api-hang steps use curl --max-time 5). */
export const STEP_TIMEOUT_MS = 15_000;
/** Output kept per step (the tail): expectations look at a command's result, not megabytes of it. */
export const MAX_STEP_OUTPUT_CHARS = 1024 * 1024;
/** Lines of output shown under a failing step. */
export const EXCERPT_LINES = 8;
/** Characters of output shown under a failing step. */
export const EXCERPT_CHARS = 800;
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
