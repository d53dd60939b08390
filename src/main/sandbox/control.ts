// The sandbox's control API: where a sandbox's files are, whether a folder is one, and the control
// files through which any process (CLI, console, runbook tests) reads and switches a running one.
import fs from 'node:fs';
import path from 'node:path';
import * as clock from '../../shared/clock';
import { SCENARIO_NAMES, type ScenarioName } from '../../shared/contract/sandbox';

/** How often a running sandbox re-reads its scenario file (cross-process switching). */
export const SCENARIO_POLL_MS = 200;
/** How often a caller waiting for a switch re-reads the state file: twice per sandbox poll. */
const SWITCH_WAIT_POLL_MS = 100;

/** Marker that tells a sandbox apart from a real install (never deleted by overwrite of a non-sandbox). */
export const SANDBOX_MARKER = 'sandbox.json';

export interface SandboxLayout {
  dir: string;
  dbPath: string;
  logsDir: string;
  appSettingsPath: string;
  tempDir: string;
  /** The sandbox's own bookkeeping (state file, pristine DB copy, redis data). */
  controlDir: string;
}

/** What a running sandbox records in state.json (and what other processes read back). */
export interface SandboxState {
  pid: number;
  url: string;
  port: number;
  scenario: ScenarioName;
  startedAt: string;
}

export function sandboxLayout(dir: string): SandboxLayout {
  const abs = path.resolve(dir);
  return {
    dir: abs,
    dbPath: path.join(abs, 'aura.db'),
    logsDir: path.join(abs, 'logs'),
    appSettingsPath: path.join(abs, 'appsettings.json'),
    tempDir: path.join(abs, 'Temp'),
    controlDir: path.join(abs, '.aura-sandbox'),
  };
}

export function isSandbox(dir: string): boolean {
  return fs.existsSync(path.join(sandboxLayout(dir).controlDir, SANDBOX_MARKER));
}

/** The boundary check for a scenario name from outside (CLI, files, requests): the table's names only. */
export function isScenarioName(s: string): s is ScenarioName {
  return (SCENARIO_NAMES as readonly string[]).includes(s);
}

/** Paths of the control files inside `<dir>/.aura-sandbox/`. */
export function controlFiles(dir: string): {
  scenario: string;
  state: string;
  pristine: string;
  children: string;
  redisDir: string;
} {
  const c = sandboxLayout(dir).controlDir;
  return {
    scenario: path.join(c, 'scenario.json'),
    state: path.join(c, 'state.json'),
    pristine: path.join(c, 'pristine.db'),
    children: path.join(c, 'children.json'),
    redisDir: path.join(c, 'redis'),
  };
}

/**
 * Control files are read by other processes (the CLI, the console) at any moment: written to a
 * temp file and renamed, so a reader sees the old whole file or the new one, never a half-written
 * one (which reads as "no sandbox running").
 */
export function writeControlFile(f: string, value: unknown): void {
  fs.mkdirSync(path.dirname(f), { recursive: true });
  const tmp = `${f}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, JSON.stringify(value) + '\n');
  fs.renameSync(tmp, f);
}

/** Ask a sandbox (running or not) to use `name`: a running one picks it up within SCENARIO_POLL_MS. */
export function writeScenarioFile(dir: string, name: ScenarioName): void {
  writeControlFile(controlFiles(dir).scenario, { scenario: name, requestedAt: clock.now().toISOString() });
}

/** Read a control file's JSON; null when it is missing or not (yet) whole JSON. */
function readControlJson(f: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(f, 'utf8')) as unknown;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || err instanceof SyntaxError) return null;
    throw err;
  }
}

/** The scenario asked for in scenario.json; null when none, or when it names no known scenario. */
export function readScenarioFile(dir: string): ScenarioName | null {
  const v = readControlJson(controlFiles(dir).scenario) as { scenario?: unknown } | null;
  return v && typeof v.scenario === 'string' && isScenarioName(v.scenario) ? v.scenario : null;
}

/** The state file a running sandbox keeps: pid, url and scenario (null when none is running). */
export function readStateFile(dir: string): SandboxState | null {
  const v = readControlJson(controlFiles(dir).state) as SandboxState | null;
  if (v === null) return null;
  try {
    process.kill(v.pid, 0);
  } catch {
    return null; // stale: that process is gone
  }
  return v;
}

/** Record the running sandbox's state for other processes. */
export function writeStateFile(dir: string, state: SandboxState): void {
  writeControlFile(controlFiles(dir).state, state);
}

/** The scenario the sandbox running from `dir` reports, or null (no sandbox, or none running). */
export function runningScenario(dir: string): ScenarioName | null {
  return isSandbox(dir) ? (readStateFile(dir)?.scenario ?? null) : null;
}

/** How a switch through the control files ended. */
export type SwitchOutcome =
  | { kind: 'not-sandbox' }
  /** No sandbox runs from the folder (with `ifStopped: 'record'`, the next run starts in the scenario). */
  | { kind: 'not-running' }
  | { kind: 'switched'; state: SandboxState }
  /** The sandbox ended while the switch was pending. */
  | { kind: 'stopped' }
  /** `state` is the last one read: still in another scenario. */
  | { kind: 'timeout'; state: SandboxState };

/**
 * Switch the sandbox in `dir` to `name` through its scenario file and wait (up to `timeoutMs`) for
 * its state file to report it. With `ifStopped: 'record'` the request is written even when no
 * sandbox runs, so the next run starts in it; with 'refuse' nothing is written then.
 */
export async function switchScenario(
  dir: string,
  name: ScenarioName,
  opts: { timeoutMs: number; ifStopped: 'record' | 'refuse' },
): Promise<SwitchOutcome> {
  if (!isSandbox(dir)) return { kind: 'not-sandbox' };
  if (opts.ifStopped === 'record') writeScenarioFile(dir, name);
  if (!readStateFile(dir)) return { kind: 'not-running' };
  if (opts.ifStopped === 'refuse') writeScenarioFile(dir, name);
  const deadline = Date.now() + opts.timeoutMs;
  for (;;) {
    const state = readStateFile(dir);
    if (!state) return { kind: 'stopped' };
    if (state.scenario === name) return { kind: 'switched', state };
    if (Date.now() > deadline) return { kind: 'timeout', state };
    await new Promise((r) => setTimeout(r, SWITCH_WAIT_POLL_MS));
  }
}
