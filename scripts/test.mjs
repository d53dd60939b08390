// `npm test`: typecheck, lint, build, every vitest suite (unit, integration, end-to-end), then the
// Electron security scan. Stops at the first failing step and ends with one summary line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const bin = (name) => path.join(root, 'node_modules', '.bin', name);
const report = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-test-')), 'vitest.json');
const only = process.argv.slice(2);

const steps = [
  ['typecheck', bin('tsc'), ['--noEmit', '-p', 'tsconfig.json']],
  ['lint', bin('eslint'), ['--max-warnings=0', '--no-error-on-unmatched-pattern', 'src', 'tests', 'bench', 'scripts']],
  ['build', bin('electron-vite'), ['build']],
  ['tests', bin('vitest'), ['run', '--reporter=default', '--reporter=json', `--outputFile=${report}`, ...only]],
  ['security scan', process.execPath, [path.join(root, 'scripts', 'scan.mjs')]],
];

for (const [name, cmd, args] of steps) {
  process.stdout.write(`\n=== ${name} ===\n`);
  const started = Date.now();
  const r = spawnSync(cmd, args, { cwd: root, stdio: 'inherit', env: process.env });
  const secs = ((Date.now() - started) / 1000).toFixed(1);
  if (r.status !== 0) {
    summary();
    console.error(`npm test: step "${name}" failed (exit ${r.status ?? r.signal}) after ${secs} s`);
    process.exit(1);
  }
  process.stdout.write(`=== ${name}: ok (${secs} s) ===\n`);
}
const skipped = summary();
if (skipped > 0 && process.env.CI === 'true') {
  console.error(`npm test: ${skipped} test(s) were skipped; under CI every suite must run.`);
  process.exit(1);
}

/** Prints the closing line and returns how many tests were skipped. */
function summary() {
  if (!fs.existsSync(report)) return 0;
  const j = JSON.parse(fs.readFileSync(report, 'utf8'));
  const skipped = (j.numPendingTests ?? 0) + (j.numTodoTests ?? 0);
  if (skipped > 0) {
    console.log('\nSkipped tests:');
    for (const file of j.testResults ?? []) {
      for (const t of file.assertionResults ?? []) {
        if (t.status === 'pending' || t.status === 'skipped' || t.status === 'todo') console.log(`  ${path.relative(root, file.name)}: ${t.fullName}`);
      }
    }
  }
  console.log(`\ntests: ${j.numPassedTests} passed, ${j.numFailedTests} failed, ${skipped} skipped`);
  return skipped;
}
