// The bundled runbook library (resources/runbooks) is true and tested: it lints clean, every
// runbook has at least three checked read-only steps that answer OK against the healthy sandbox,
// and in each fault scenario a runbook is about its steps give their named findings (one sandbox,
// switched from scenario to scenario).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ScenarioName } from '../../../shared/contract/sandbox';
import type { InstallPaths } from '../../../shared/install-types';
import { variablesFromInstall } from '../../../shared/runbooks/variables';
import { createSandbox, startSandbox, type SandboxHandle } from '../../sandbox';
import { resolveRoot } from '../install/discover';
import { installVariables, listLogNames } from './install-variables';
import { RunbookLibrary } from './library';
import { createAuraOpsShim } from './step-command';
import { planSteps } from './test-plan';
import { formatResults } from './test-report';
import { loadRunbooks, testRunbooks } from './test-runner';
import { FAILING_STATUSES, type LoadedRunbook } from './test-types';

const REPO = path.resolve(__dirname, '../../../..');
const RUNBOOKS_DIR = path.join(REPO, 'resources', 'runbooks');
/** A scenario's symptoms reach the logs within a few job/traffic ticks (1 s each); poll up to this. */
const SETTLE_MS = 20_000;
/**
 * Per-step time limit here: `aura-ops` steps run this checkout's CLI from source through tsx, which
 * compiles on every start; on a loaded two-core machine `aura-ops db check` took over 15 s in healthy.
 */
const STEP_LIMIT_MS = 40_000;
/**
 * The handbook's runbooks and the sandbox states their checks are asserted in (issue 9): every
 * runbook answers OK in healthy, and each incident runbook gives its findings in its scenarios (issue 17).
 */
const PLAN: [ScenarioName, string[]][] = [
  [
    'healthy',
    [
      'README.md',
      'deployment.md',
      'backup-and-restore.md',
      'monitoring.md',
      'performance-tuning.md',
      'log-management.md',
      'database-maintenance.md',
      'dependency-updates.md',
      'cache-management.md',
      'database-issues.md',
      'high-error-rates.md',
      'provider-failures.md',
      'service-degradation.md',
    ],
  ],
  ['api-down', ['service-degradation.md']],
  ['api-hang', ['service-degradation.md']],
  ['error-spike', ['high-error-rates.md']],
  ['slow-db', ['service-degradation.md']],
  ['db-locked', ['database-issues.md']],
  ['db-corrupt', ['database-issues.md']],
  ['provider-outage', ['provider-failures.md']],
  ['redis-down', ['cache-management.md']],
];
const TWELVE = [
  'deployment.md',
  'backup-and-restore.md',
  'monitoring.md',
  'performance-tuning.md',
  'service-degradation.md',
  'high-error-rates.md',
  'database-issues.md',
  'provider-failures.md',
  'log-management.md',
  'database-maintenance.md',
  'cache-management.md',
  'dependency-updates.md',
];
/** Checked read-only steps every runbook runs in healthy, and how many of them must answer OK there (not just `any`). */
const MIN_CHECKED_STEPS = 3;
const MIN_OK_IN_HEALTHY = 2;
/** In each fault scenario a runbook is about, at least this many of its steps must give their named finding. */
const MIN_FINDINGS = 1;
/** Size roll of the running sandbox: a few seconds of its traffic, so the day rolls to _001, _002... while the steps run. */
const ROLL_BYTES = 48 * 1024;

/** Install paths shaped like an attached install with Redis configured (every variable fillable). */
function fakePaths(): InstallPaths {
  return {
    dataRoot: '/data',
    logsDir: '/data/logs',
    dbPath: '/data/aura.db',
    appSettingsPath: '/data/appsettings.json',
    apiUrl: 'http://127.0.0.1:5005',
    tempDir: '/data/Temp',
    redis: { enabled: true, connection: '127.0.0.1:6379', host: '127.0.0.1', port: 6379, hasPassword: false },
  };
}

describe('the bundled runbook library', () => {
  it('has the handbook index and its twelve runbooks, each linked from the index', () => {
    const files = fs
      .readdirSync(RUNBOOKS_DIR)
      .filter((f) => f.endsWith('.md'))
      .sort();
    expect(files).toEqual(['README.md', ...TWELVE].sort());
    const index = fs.readFileSync(path.join(RUNBOOKS_DIR, 'README.md'), 'utf8');
    for (const f of TWELVE) expect(index).toContain(`](./${f})`);
  });

  it('lints without errors', () => {
    const lib = new RunbookLibrary({ bundledDir: null, folders: [RUNBOOKS_DIR] });
    const errors = lib
      .lintAll()
      .flatMap((e) =>
        e.problems
          .filter((p) => p.severity === 'error')
          .map((p) => `${path.basename(p.file)}:${p.line} ${p.rule} ${p.message}`),
      );
    expect(errors).toEqual([]);
  });

  it('declares in front matter the scenarios the plan tests it under', () => {
    const runbooks = loadRunbooks([RUNBOOKS_DIR], variablesFromInstall(fakePaths(), new Date(), []));
    for (const r of runbooks) {
      const expected = PLAN.filter(([, files]) => files.includes(path.basename(r.path))).map(([s]) => s);
      expect({ file: path.basename(r.path), scenarios: r.scenarios }).toEqual({
        file: path.basename(r.path),
        scenarios: expected,
      });
    }
  });

  it(`gives every runbook at least ${MIN_CHECKED_STEPS} checked read-only steps in healthy and a named finding in each of its other scenarios`, async () => {
    const runbooks = loadRunbooks([RUNBOOKS_DIR], variablesFromInstall(fakePaths(), new Date(), []));
    for (const r of runbooks) {
      for (const scenario of r.scenarios) {
        const plan = await planSteps(r, scenario);
        const problems = plan
          .filter((p) => p.decided && FAILING_STATUSES.includes(p.decided.status))
          .map((p) => `${p.step.id}: ${p.decided?.reasons.join('; ')}`);
        expect(problems, `${path.basename(r.path)} in ${scenario}`).toEqual([]);
        const runnable = plan.filter((p) => p.decided === null);
        if (scenario === 'healthy')
          expect(runnable.length, `${path.basename(r.path)} in ${scenario}`).toBeGreaterThanOrEqual(
            MIN_CHECKED_STEPS,
          );
        else
          expect(
            runnable.filter((p) => p.wanted !== 'ok' && p.wanted !== 'any').length,
            `${path.basename(r.path)} in ${scenario}`,
          ).toBeGreaterThanOrEqual(MIN_FINDINGS);
      }
    }
  });
});

describe('the runbooks against the sandbox', () => {
  let dir: string;
  let sandbox: SandboxHandle | null = null;
  let shim: { dir: string; cleanup(): void } | null = null;
  let paths: InstallPaths;
  let runbooks: LoadedRunbook[];
  let rollsAtStart = 0;
  const mainLogRolls = (): number =>
    listLogNames(paths.logsDir).filter((n) => /^aura-api-\d{8}_\d{3}\.log$/.test(n)).length;

  beforeAll(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-content-'));
    createSandbox(path.join(dir, 'aura'), { days: 2 });
    // Small rolls, as on a busy day: the live file is `_NNN` and moves on during the test.
    sandbox = await startSandbox(path.join(dir, 'aura'), {
      port: 0,
      scenario: 'healthy',
      fileSizeLimitBytes: ROLL_BYTES,
    });
    // Resolved after the start: the sandbox writes its port and Redis address into appsettings.json.
    paths = resolveRoot(
      { kind: 'manual', dataRoot: sandbox.dir, source: 'test', useEnv: false },
      { env: {} },
    ).paths;
    runbooks = loadRunbooks([RUNBOOKS_DIR], installVariables(paths));
    rollsAtStart = mainLogRolls();
    // `aura-ops` in steps runs this checkout's CLI: as `npm test` built it from these sources before
    // the tests (AURA_OPS_BUILT_CLI), else from source through tsx (no build needed, but tsx compiles
    // the CLI on every call: about 1.7 CPU-s more each, and the steps call it a few dozen times).
    const built = process.env.AURA_OPS_BUILT_CLI;
    shim = createAuraOpsShim(
      built && fs.existsSync(built)
        ? [process.execPath, built]
        : [process.execPath, require.resolve('tsx/cli'), path.join(REPO, 'src', 'main', 'cli.ts')],
    );
  });

  afterAll(async () => {
    await sandbox?.stop();
    shim?.cleanup();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('passes every checked step of each runbook in its scenario', async () => {
    expect(paths.redis.host, 'redis-server must be installed for the Cache Management checks').not.toBeNull();
    const failures: string[] = [];
    for (const [scenario, files] of PLAN) {
      await sandbox?.setScenario(scenario);
      const selected = runbooks.filter((r) => files.includes(path.basename(r.path)));
      expect(selected).toHaveLength(files.length);
      const results = await testRunbooks(selected, {
        paths,
        scenario,
        shimDir: shim?.dir ?? null,
        settleMs: SETTLE_MS,
        timeoutMs: STEP_LIMIT_MS,
      });
      const failed = results.filter((r) => r.status !== 'pass' && r.status !== 'skipped-scenario');
      if (failed.length > 0) failures.push(`${scenario}:\n${formatResults(failed)}`);
      for (const f of files) {
        const passed = results.filter((r) => r.status === 'pass' && r.file.endsWith(f));
        if (scenario === 'healthy') {
          if (passed.length < MIN_CHECKED_STEPS)
            failures.push(`${scenario}: ${f} passed only ${passed.length} checked step(s)`);
          const ok = passed.filter((r) => r.outcome === 'ok').length;
          if (ok < MIN_OK_IN_HEALTHY) failures.push(`${scenario}: ${f} answered OK in only ${ok} step(s)`);
        } else {
          const found = passed.filter((r) => r.outcome === 'finding' || r.outcome === 'warn').length;
          if (found < MIN_FINDINGS)
            failures.push(`${scenario}: ${f} gave its named finding in only ${found} step(s)`);
        }
      }
    }
    expect(failures.join('\n')).toBe('');
    // The steps ran while the sandbox rolled its main log at size: there are more `_NNN` files now.
    expect(mainLogRolls()).toBeGreaterThan(rollsAtStart);
  }, 240_000);
});
