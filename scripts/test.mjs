// `npm test`: typecheck, lint, build, the Electron security scan and Prettier's check (side by
// side), then every vitest suite (unit, integration, end-to-end), then the unit and integration
// suites again under libfaketime at instants that break date logic. Stops at the first failing step, ends with one
// summary line.
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
/**
 * The type checker: TypeScript 7's native compiler (package typescript-native), the same checks as
 * TypeScript 6 at about a third of the CPU. TypeScript 6 stays the `typescript` package, for
 * typescript-eslint and electron-vite, which need its JavaScript API (TS 7 has none).
 */
const TSC = path.join(root, 'node_modules', 'typescript-native', 'bin', 'tsc');
const reportDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-test-'));
const report = path.join(reportDir, 'vitest.json');
/** Every vitest JSON report of this run (the normal pass, then each faketime pass). */
const reports = [report];
/**
 * The tests' TMPDIR: every temp folder a suite makes (hundreds per run: installs, ops.db files,
 * Chromium profiles) lands here; a run that passes removes it and the reports, a failing run keeps them.
 */
const scratch = path.join(reportDir, 'tmp');
fs.mkdirSync(scratch);
process.env.TMPDIR = scratch;
const only = process.argv.slice(2);
/**
 * The CLI the checks' build makes from these sources. Suites that run `aura-ops` many times (the
 * bundled runbooks' steps) use it rather than compiling the sources through tsx on every call; the
 * tests only start once the build has passed.
 */
process.env.AURA_OPS_BUILT_CLI = path.join(root, 'out', 'main', 'cli.js');

const FAKETIME = '/usr/bin/faketime';
/** The real local date (yyyy-mm-dd), so the night instants fall on tonight, as on a real install. */
const today = (() => {
  const d = new Date();
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
})();
/**
 * Instants the unit and integration suites are run at again, under libfaketime ('@' = start the
 * clock there and let it run): today's files barely exist; the day turns during the run; and
 * Chicago's spring-forward hour (02:00 CST becomes 03:00 CDT) turns mid-run.
 */
const FAKE_INSTANTS = [
  { label: `${today} 00:00:20`, spec: `@${today} 00:00:20`, tz: undefined },
  { label: `${today} 23:59:40`, spec: `@${today} 23:59:40`, tz: undefined },
  {
    label: '2026-03-08 01:59:30 America/Chicago (DST starts)',
    spec: '@2026-03-08 01:59:30',
    tz: 'America/Chicago',
  },
];
/**
 * Children (sandbox, redis-server, sqlite3, shells) inherit libfaketime through LD_PRELOAD; without
 * DONT_RESET each would start again at the instant, behind its parent. Monotonic time stays real:
 * timers, deadlines and durations are not what these passes test.
 */
const FAKETIME_ENV = { FAKETIME_DONT_RESET: '1', FAKETIME_DONT_FAKE_MONOTONIC: '1' };
/**
 * Left out of the faketime passes, to keep CI within 15 minutes on two cores; they all run in the
 * normal pass. The end-to-end tests (the same services driven through Chromium); the pty and
 * reader-process suites, which test processes and time limits rather than dates (they passed under
 * faketime at 23:59:40 when this was set up); and suites with no date logic in what they test:
 * the command-risk classifier (bash grammar; 433 cases, many run in a real bash), shell quoting,
 * the package layout electron-builder makes, and those listed below. Everything that names, rolls,
 * windows or stamps by date stays in: log files and their rolls, the sandbox's history, triage
 * ages, probes, ops.db and walk-through times, backups, bundles, runbook review dates and the
 * runbook steps.
 */
const FAKETIME_EXCLUDE = [
  'tests/e2e/**',
  'src/main/services/terminal/**',
  'src/main/services/database/guarantees.test.ts',
  'src/main/services/command-risk/**',
  'src/shared/shell-quote.test.ts',
  'tests/packaging/**',
  // Static rules (eslint and tsc over probe files), the runbook parser, and the worker-thread
  // suites whose clocks are pinned in the test: the wall clock cannot change what they check.
  'tests/layers.test.ts',
  'src/shared/runbooks/parse.test.ts',
  'src/main/workers/off-thread.test.ts',
  'src/main/services/runbooks/library-off-thread.test.ts',
  // The desktop host booted under a stand-in Electron: window, hardening and shutdown. Its demo's
  // dated files are the sandbox's, whose own suites stay in.
  'tests/desktop/**',
  // Pure rules that never read a clock nor name anything by date: the renderer's palette match, keys,
  // layout, browse paging, export, log window and cache, and terminal tabs; the command gate of a
  // bundle, serve's Host/Origin checks and the preload's allowlist; the record index and its
  // worker (byte offsets and levels); the log-root policy; the contract's schemas for runbooks and
  // answers; the Serilog record-start rule; the command-risk and redaction tables.
  'src/renderer/src/components/palette-match.test.ts',
  'src/renderer/src/shell/{keys,layout}.test.ts',
  'src/renderer/src/panels/Database/{db-browse,export}.test.ts',
  'src/renderer/src/panels/Logs/{log-window,record-cache}.test.ts',
  'src/renderer/src/panels/Terminal/terminal-tabs.test.ts',
  'src/main/services/bundle/gate.test.ts',
  'src/main/hosts/security.test.ts',
  'src/preload/preload.test.ts',
  'src/main/services/logs/{record-index,index-worker,root-policy}.test.ts',
  'src/shared/contract/{runbooks,walkthroughs-answers}.test.ts',
  'src/shared/{log-record-start,command-risk,redact}.test.ts',
];

/**
 * Run side by side before the tests: each is one single-threaded process and none reads what another
 * writes (the build writes out/, which the others leave out; the scan reads src/ and keeps its report
 * in its own temp folder), so on two cores they take about as long as the whole-tree typecheck and
 * the lint one after the other. The whole tree is typechecked (tests included, DOM and Node types),
 * then each layer with only its own types (README, Architecture).
 */
const checks = [
  ...['tsconfig.json', 'tsconfig.shared.json', 'tsconfig.renderer.json', 'tsconfig.main.json'].map((p) => [
    `typecheck ${p}`,
    process.execPath,
    [TSC, '--noEmit', '-p', p],
  ]),
  [
    'lint',
    bin('eslint'),
    ['--max-warnings=0', '--no-error-on-unmatched-pattern', 'src', 'tests', 'bench', 'scripts'],
  ],
  ['build', bin('electron-vite'), ['build']],
  ['security scan', process.execPath, [path.join(root, 'scripts', 'scan.mjs')]],
  // Code and configuration in Prettier's form (.prettierrc.json; .prettierignore leaves out Markdown).
  ['format', bin('prettier'), ['--check', '.']],
];
const steps = [
  [
    'tests',
    bin('vitest'),
    ['run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...only],
  ],
  ...fakeTimeSteps(),
];

/** One step per instant (with the same file filter as the normal pass); none with AURA_OPS_FAKETIME=0 outside CI. */
function fakeTimeSteps() {
  if (process.env.AURA_OPS_FAKETIME === '0' && process.env.CI !== 'true') return [];
  // Only end-to-end files asked for: nothing of them runs under faketime.
  if (only.length > 0 && only.every((f) => f.replace(/^\.\//, '').startsWith('tests/e2e'))) return [];
  if (!fs.existsSync(FAKETIME)) {
    const msg = `the faketime passes need ${FAKETIME} (apt-get install faketime)`;
    if (process.env.CI === 'true') {
      console.error(`npm test: ${msg}; refusing to skip them under CI.`);
      process.exit(1);
    }
    console.error(`SKIPPED: ${msg}.`);
    return [];
  }
  const shims = realClockShims();
  return FAKE_INSTANTS.map((inst, i) => {
    const out = path.join(reportDir, `vitest-faketime-${i + 1}.json`);
    reports.push(out);
    const env = {
      ...process.env,
      ...FAKETIME_ENV,
      ...(inst.tz ? { TZ: inst.tz } : {}),
      PATH: `${shims}${path.delimiter}${process.env.PATH ?? ''}`,
      REDIS_SERVER_PATH: path.join(shims, 'redis-server'),
    };
    return [
      `tests at ${inst.label} (faketime)`,
      FAKETIME,
      [
        '-f',
        inst.spec,
        bin('vitest'),
        'run',
        ...FAKETIME_EXCLUDE.flatMap((g) => ['--exclude', g]),
        '--reporter=dot',
        '--reporter=json',
        `--outputFile=${out}`,
        ...only,
      ],
      env,
    ];
  });
}

/**
 * A folder put first on PATH in the faketime passes where `redis-server` and `redis-cli` run on the
 * real clock: Debian builds both with jemalloc, which aborts under libfaketime (a recursive
 * clock_gettime at load), nothing of ours. Redis only holds the cache; its clock is not under test.
 */
function realClockShims() {
  const dir = path.join(reportDir, 'real-clock-bin');
  fs.mkdirSync(dir, { recursive: true });
  for (const tool of ['redis-server', 'redis-cli']) {
    fs.writeFileSync(
      path.join(dir, tool),
      `#!/bin/sh\n# ${tool} cannot start under libfaketime: run it on the real clock.\nunset LD_PRELOAD FAKETIME\nexec /usr/bin/${tool} "$@"\n`,
      { mode: 0o755 },
    );
  }
  return dir;
}

await runChecks();
for (const [name, cmd, args, env] of steps) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: env ?? process.env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    summary();
    console.error(
      `npm test: step "${name}" failed (exit ${r.status ?? r.signal}) after ${secs} s; the tests' temp files are kept in ${scratch}`,
    );
    process.exit(1);
  }
  process.stdout.write(`=== ${name}: ok (${secs} s) ===\n`);
}
const skipped = summary();
if (skipped > 0 && process.env.CI === 'true') {
  console.error(`npm test: ${skipped} test(s) were skipped; under CI every suite must run.`);
  process.exit(1);
}
fs.rmSync(reportDir, { recursive: true, force: true, maxRetries: 3 });

/**
 * Runs `checks` at once, each with its output kept apart and printed whole when it ends (in the
 * listed order, so the log reads as before); exits after all of them if any failed.
 */
async function runChecks() {
  process.stdout.write(
    `\n=== ${checks.map(([name]) => name).join(', ')} (side by side; each one's output follows when it ends) ===\n`,
  );
  const runs = checks.map(([name, cmd, args]) => {
    const started = Date.now();
    const child = spawn(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'pipe'], env: process.env });
    const chunks = [];
    child.stdout.on('data', (d) => chunks.push(d));
    child.stderr.on('data', (d) => chunks.push(d));
    return new Promise((resolve) => {
      child.on('error', (err) =>
        resolve({
          name,
          code: `${err.message}`,
          output: Buffer.concat(chunks),
          secs: ((Date.now() - started) / 1000).toFixed(1),
        }),
      );
      child.on('close', (code, signal) =>
        resolve({
          name,
          code: code ?? signal,
          output: Buffer.concat(chunks),
          secs: ((Date.now() - started) / 1000).toFixed(1),
        }),
      );
    });
  });
  const failed = [];
  for (const run of runs) {
    const r = await run;
    process.stdout.write(`\n=== ${r.name} ===\n`);
    process.stdout.write(r.output);
    if (r.code === 0) process.stdout.write(`=== ${r.name}: ok (${r.secs} s) ===\n`);
    else failed.push(r);
  }
  if (failed.length > 0) {
    for (const r of failed)
      console.error(`npm test: step "${r.name}" failed (exit ${r.code}) after ${r.secs} s`);
    fs.rmSync(reportDir, { recursive: true, force: true, maxRetries: 3 });
    process.exit(1);
  }
}

/** Prints one line per vitest pass and the closing total line; returns how many tests were skipped. */
function summary() {
  const total = { passed: 0, failed: 0, skipped: 0 };
  const done = reports.filter((f) => fs.existsSync(f));
  for (const file of done) {
    const j = JSON.parse(fs.readFileSync(file, 'utf8'));
    const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
    if (skipped > 0) {
      console.log(`\nSkipped tests (${path.basename(file)}):`);
      for (const f of j.testResults ?? []) {
        for (const t of f.assertionResults ?? []) {
          if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo')
            console.log(`  ${path.relative(root, f.name)}: ${t.fullName}`);
        }
      }
    }
    if (done.length > 1)
      console.log(
        `${path.basename(file, '.json')}: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`,
      );
    total.passed += j.numPassedTests ?? 0;
    total.failed += j.numFailedTests ?? 0;
    total.skipped += skipped;
  }
  if (done.length === 0) return 0;
  console.log(`\ntests: ${total.passed} passed, ${total.failed} failed, ${total.skipped} skipped`);
  return total.skipped;
}
