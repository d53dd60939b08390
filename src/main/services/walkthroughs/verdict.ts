// A checked step's verdict from its output and exit code, by its declared answers (findings), and
// the verdict as Verify's before/after table shows it.
import type { StepDescriptor, StepVerdict } from '../../../shared/contract/walkthroughs-steps';
import { answerStep, outcomeText, parseAnswers } from '../../../shared/runbooks/findings';

export function toVerdict(
  desc: Pick<StepDescriptor, 'expect' | 'answers'>,
  output: string,
  exitCode: number | null,
): StepVerdict {
  // The declared answers (findings); a step of the simple form (expect/exit) has one, the healthy one.
  const answers = desc.answers ?? parseAnswers({}, desc.expect ?? null).answers;
  const r = answerStep(answers, output, exitCode);
  const status = r.outcome === 'ok' ? 'pass' : r.outcome === 'unchecked' ? 'unchecked' : 'fail';
  return {
    status,
    expected: r.expected,
    actual: r.seen,
    reasons: r.reasons,
    outcome: r.outcome,
    finding: r.outcome === 'finding' || r.outcome === 'warn' ? r.label : null,
  };
}

/** A verdict as the verify table shows it: the finding's name, not pass/fail (older sessions: status). */
export function verdictText(v: StepVerdict): string {
  return `${v.outcome ? outcomeText(v.outcome, v.finding) : v.status} (${v.actual})`;
}
