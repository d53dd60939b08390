// The report of a `runbooks test` run: counts, and one line per step with details under
// failures and skips.
import {
  type StepTestStatus,
  FAILING_STATUSES,
  type StepTestResult,
  EXCERPT_LINES,
  EXCERPT_CHARS,
} from './test-types';

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
