// `aura-ops runbooks list|lint|test [DIR...]`: what the library understood of each runbook, the
// handbook's standards as file:line messages (exit 1 on errors), and its checked steps run against
// an install (exit 1 when one fails) for editors and CI.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OpsError } from '../../../shared/errors';
import { formatProblem } from '../../../shared/runbooks/lint';
import { SCENARIO_NAMES, type ScenarioName } from '../../../shared/contract/sandbox';
import { installVariables } from './install-variables';
import type { CliCommand, CliIO } from '../../cli-types';
import { resolveRoot } from '../install/discover';
import { RunbookLibrary } from './library';
import { createAuraOpsShim, findAuraOpsBin } from './step-command';
import { formatResults, summarize } from './test-report';
import { loadRunbooks, switchSandboxScenario, testRunbooks } from './test-runner';
import { STEP_TIMEOUT_MS, type StepTestResult } from './test-types';
import { isScenarioName, runningScenario } from '../../sandbox/control';
import { now as clockNow } from '../../../shared/clock';

const HELP = `Usage: aura-ops runbooks <command> [DIR...] [options]

Commands:
  list [DIR...]   Show what the console understood of each runbook: title, category,
                  severity, the six sections found, code blocks and executable steps.
  lint [DIR...]   Check the handbook's standards (title, six sections, steps under
                  Resolution, fenced code with a language, reviewed within 90 days,
                  links that resolve). Prints file:line messages; exit 1 on errors.
  test [PATH...] --install DIR [--scenario NAME|all]
                  Run every read-only step that declares answers (ok=, finding-*=,
                  warn-*=, or expect/exit) against the install in DIR and check that
                  it gives the answer wanted there: OK in the sandbox's healthy state,
                  the finding its scenarios="..." names in a fault scenario, any
                  declared answer on an install in an unknown state (a real one).
                  Reports pass/fail per step (file:line, step, wanted vs answer).
                  Steps run with bash, cwd = the data root, the install's AURA_*
                  variables and this console's aura-ops on PATH. Mutating steps are
                  never run: one with answers is an error. Exit 1 when a step fails.

DIR defaults to the bundled runbooks (resources/runbooks, or $AURA_OPS_RUNBOOKS_DIR);
test also takes single runbook files.

Options:
  --json          Print data as JSON
  --now DATE      Reference date for the review rule (yyyy-mm-dd; default today)
  --install DIR   (test) The Aura data root: a sandbox dir, ~/.local/share/Aura, ...
  --scenario S    (test) Switch the sandbox running from DIR to scenario S first and test
                  the runbooks tested there (healthy, their testScenarios and the
                  scenarios their steps name); a step that names no answer for S is
                  skipped. "all" walks every scenario the runbooks name and switches
                  back at the end. Start the sandbox first:
                  aura-ops sandbox run DIR --port 0
  --settle SEC    (test) Re-run failing steps for up to SEC seconds while a scenario's
                  symptoms reach the logs (default 20 with --scenario, else 0)
  --timeout SEC   (test) Time limit per step (default ${STEP_TIMEOUT_MS / 1000})
  -h, --help      Show this help
`;

/** The bundled runbooks: $AURA_OPS_RUNBOOKS_DIR, else resources/runbooks in cwd or a parent. */
export function findBundledRunbooks(start = process.cwd()): string | null {
  const env = process.env.AURA_OPS_RUNBOOKS_DIR;
  if (env) return path.resolve(env);
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'resources', 'runbooks');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function libraryFor(dirs: string[], now: Date): RunbookLibrary {
  const folders = dirs.length > 0 ? dirs : [findBundledRunbooks()].filter((d): d is string => d !== null);
  if (folders.length === 0) {
    throw new OpsError(
      'not-found',
      'No runbook folder given and no resources/runbooks found: pass a folder, e.g. `aura-ops runbooks lint docs/`.',
    );
  }
  for (const d of folders) {
    const abs = path.resolve(d);
    if (!fs.existsSync(abs)) throw new OpsError('not-found', `Folder "${d}" does not exist: check the path.`);
    if (!fs.statSync(abs).isDirectory())
      throw new OpsError('bad-request', `"${d}" is a file: pass the folder that holds the runbooks.`);
  }
  return new RunbookLibrary({
    bundledDir: null,
    folders: folders.map((d) => path.resolve(d)),
    now: () => now,
  });
}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r.startsWith('..') ? p : r;
}

function listCmd(lib: RunbookLibrary, json: boolean, io: CliIO): number {
  const entries = lib.lintAll();
  if (json) {
    io.out(
      `${JSON.stringify(
        entries.map((e) => ({
          path: rel(e.path),
          ...e.summary,
          codeBlocks: e.doc.codeBlocks.map((b) => {
            const step = e.doc.steps.find((s) => s.blockIndex === b.index);
            return {
              line: b.line,
              lang: b.lang,
              section: b.section,
              executable: b.executable,
              step: step
                ? { id: step.id, expect: step.expect, answers: step.answers, variables: step.variables }
                : null,
            };
          }),
        })),
        null,
        2,
      )}`,
    );
    return 0;
  }
  if (entries.length === 0) io.out('No Markdown files found.');
  for (const e of entries) {
    const s = e.summary;
    const badges = [
      s.category ?? 'no category',
      s.severity ?? 'no severity',
      s.estimatedTime,
      s.stale && s.kind === 'runbook' ? 'STALE' : null,
    ].filter(Boolean);
    io.out(`${rel(e.path)}\n  ${s.kind === 'index' ? '[index] ' : ''}${s.title} (${badges.join(', ')})`);
    if (s.kind === 'runbook') {
      const missing = ['Overview', 'Symptoms', 'Diagnosis', 'Resolution', 'Prevention', 'References'].filter(
        (n) => !(s.sections as string[]).includes(n),
      );
      io.out(
        `  sections: ${s.sections.join(', ') || 'none'}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}`,
      );
    }
    const blocks = e.doc.codeBlocks.map((b) => {
      const step = e.doc.steps.find((x) => x.blockIndex === b.index);
      return `${b.lang ?? '?'}@${b.line}${step ? ` step ${step.id}${step.answers.length > 0 ? ` +answers(${step.answers.map((a) => a.key).join(',')})` : ''}` : ''}`;
    });
    io.out(`  code blocks: ${blocks.length}${blocks.length ? `: ${blocks.join('; ')}` : ''}`);
  }
  return 0;
}

function lintCmd(lib: RunbookLibrary, json: boolean, io: CliIO): number {
  const entries = lib.lintAll();
  const problems = entries.flatMap((e) => e.problems.map((p) => ({ ...p, file: rel(p.file) })));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  if (json) {
    io.out(`${JSON.stringify({ files: entries.length, errors, warnings, problems }, null, 2)}`);
  } else {
    for (const p of problems) io.out(`${formatProblem(p)}`);
    io.out(`${entries.length} file(s): ${errors} error(s), ${warnings} warning(s)`);
  }
  return errors > 0 ? 1 : 0;
}

interface TestFlags {
  install?: string;
  scenario?: string;
  settle?: string;
  timeout?: string;
}

/** Seconds from a flag, or an error message. */
function seconds(flag: string, value: string | undefined, fallback: number): number | string {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0 || n > 3600)
    return `--${flag} "${value}" is not a number of seconds (0-3600).`;
  return n * 1000;
}

async function testCmd(targets: string[], flags: TestFlags, json: boolean, io: CliIO): Promise<number> {
  if (!flags.install) {
    io.err(
      'runbooks test needs --install DIR: the Aura data root to test against (a sandbox dir, ~/.local/share/Aura, %LOCALAPPDATA%\\Aura, ...).',
    );
    return 2;
  }
  const timeoutMs = seconds('timeout', flags.timeout, STEP_TIMEOUT_MS);
  if (typeof timeoutMs === 'string' || timeoutMs === 0) {
    io.err(`${typeof timeoutMs === 'string' ? timeoutMs : '--timeout must be above 0.'}`);
    return 2;
  }
  const install = resolveRoot(
    { kind: 'manual', dataRoot: flags.install, source: '--install', useEnv: false },
    { env: process.env },
  );
  if (!install.facts.dataRoot.exists) {
    io.err(`No folder at ${install.paths.dataRoot}: pass the data root that holds aura.db and logs/.`);
    return 2;
  }
  if (!install.found)
    io.err(`Warning: ${install.paths.dataRoot} holds neither aura.db nor logs/; steps will probably fail.`);

  let scenarios: (ScenarioName | null)[] = [null];
  const folders =
    targets.length > 0 ? targets : [findBundledRunbooks()].filter((d): d is string => d !== null);
  if (folders.length === 0) {
    io.err('No runbook folder given and no resources/runbooks found: pass a folder or file.');
    return 2;
  }
  const runbooks = loadRunbooks(folders, installVariables(install.paths));
  if (flags.scenario !== undefined) {
    if (flags.scenario === 'all') {
      const named = new Set(runbooks.flatMap((r) => r.scenarios));
      scenarios = SCENARIO_NAMES.filter((n) => named.has(n));
    } else {
      const names = flags.scenario
        .split(',')
        .map((n) => n.trim())
        .filter(Boolean);
      const bad = names.filter((n) => !isScenarioName(n));
      if (bad.length > 0 || names.length === 0) {
        io.err(
          `Unknown scenario "${bad.join(', ') || flags.scenario}": use one of ${SCENARIO_NAMES.join(', ')} or all.`,
        );
        return 2;
      }
      scenarios = names as ScenarioName[];
    }
    if (scenarios.length === 0) {
      io.err('No runbook lists a sandbox scenario under testScenarios in its front matter: nothing to test.');
      return 1;
    }
  }
  const settleMs = seconds('settle', flags.settle, flags.scenario !== undefined ? 20_000 : 0);
  if (typeof settleMs === 'string') {
    io.err(`${settleMs}`);
    return 2;
  }

  const bin = findAuraOpsBin();
  if (!bin)
    io.err(
      'Warning: bin/aura-ops.cjs not found next to this build; steps that call aura-ops use the one on PATH.',
    );
  const shim = bin ? createAuraOpsShim([process.execPath, bin]) : null;
  const initial = flags.scenario === 'all' ? runningScenario(install.paths.dataRoot) : null;
  const all: StepTestResult[] = [];
  try {
    for (const scenario of scenarios) {
      const selected = scenario === null ? runbooks : runbooks.filter((r) => r.scenarios.includes(scenario));
      if (scenario !== null) {
        await switchSandboxScenario(install.paths.dataRoot, scenario);
        if (!json) io.out(`Scenario ${scenario}: ${selected.length} runbook(s)`);
      }
      const results = await testRunbooks(selected, {
        paths: install.paths,
        scenario,
        shimDir: shim?.dir ?? null,
        timeoutMs,
        settleMs,
      });
      if (!json) io.out(formatResults(results));
      all.push(...results);
    }
  } finally {
    shim?.cleanup();
    if (initial && scenarios.length > 0 && scenarios[scenarios.length - 1] !== initial) {
      await switchSandboxScenario(install.paths.dataRoot, initial).catch((err: unknown) =>
        io.err(`Could not switch the sandbox back to ${initial}: ${(err as Error).message}`),
      );
    }
  }
  const summary = summarize(all);
  if (json) {
    io.out(
      `${JSON.stringify({ install: { dataRoot: install.paths.dataRoot, apiUrl: install.paths.apiUrl }, scenarios, summary, results: all }, null, 2)}`,
    );
  } else if (scenarios.length > 1) {
    io.out(
      `All scenarios: ${all.length} checked step(s): ${summary.pass} passed, ${summary.fail} failed, ${summary.skipped} skipped`,
    );
  }
  if (all.length === 0 && !json)
    io.out(
      'No step declares answers (ok="...", finding-<name>="...", or expect="..."/exit="...") in these runbooks.',
    );
  return summary.ok ? 0 : 1;
}

export const runbooksCommand: CliCommand = async (argv, io) => {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
        now: { type: 'string' },
        install: { type: 'string' },
        scenario: { type: 'string' },
        settle: { type: 'string' },
        timeout: { type: 'string' },
      },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const [sub, ...dirs] = parsed.positionals;
  if (parsed.values.help || !sub) {
    io.out(HELP);
    return sub || parsed.values.help ? 0 : 2;
  }
  let now = clockNow();
  if (typeof parsed.values.now === 'string') {
    now = new Date(`${parsed.values.now}T12:00:00Z`);
    if (Number.isNaN(now.getTime())) {
      io.err(`--now "${parsed.values.now}" is not a date: use yyyy-mm-dd.`);
      return 2;
    }
  }
  const json = parsed.values.json === true;
  try {
    if (sub === 'list') return listCmd(libraryFor(dirs, now), json, io);
    if (sub === 'lint') return lintCmd(libraryFor(dirs, now), json, io);
    if (sub === 'test') {
      const v = parsed.values;
      return await testCmd(
        dirs,
        {
          install: typeof v.install === 'string' ? v.install : undefined,
          scenario: typeof v.scenario === 'string' ? v.scenario : undefined,
          settle: typeof v.settle === 'string' ? v.settle : undefined,
          timeout: typeof v.timeout === 'string' ? v.timeout : undefined,
        },
        json,
        io,
      );
    }
    io.err(`Unknown command "${sub}".\n\n${HELP}`);
    return 2;
  } catch (err) {
    if (err instanceof OpsError) {
      io.err(`${err.message}`);
      return 2;
    }
    throw err;
  }
};
