// A checked step's declared answers (ok, warnings, findings) in its header, and main's answer after
// Run & check: the finding's name ("API not listening") rather than a red FAIL.
import type { StepVerdict } from '../../../../shared/contract/walkthroughs-steps';
import { outcomeText, type Outcome } from '../../../../shared/runbooks/findings';
import type { Step } from '../../../../shared/runbooks/types';

/** The step's answers as small labels; each one's condition is its tooltip. */
export function StepAnswers({ step }: { step: Step }) {
  if (step.answerErrors.length > 0) return <span className="rb-err">{step.answerErrors.join('; ')}</span>;
  if (step.answers.length === 0) return null;
  return (
    <span className="rb-answers" aria-label="Declared answers">
      {step.answers.map((a) => (
        <span
          key={a.key}
          className={`rb-answer rb-answer-${a.kind}`}
          title={`${a.kind === 'ok' ? 'Healthy' : a.kind === 'warn' ? 'Warning' : 'Finding'} when ${a.source}`}
        >
          {a.label}
        </span>
      ))}
    </span>
  );
}

/** Older verdicts (recorded before findings) carry only pass / fail / unchecked. */
function outcomeOf(v: StepVerdict): Outcome {
  if (v.outcome) return v.outcome;
  return v.status === 'pass' ? 'ok' : v.status === 'unchecked' ? 'unchecked' : 'unexpected';
}

/** Main's answer to a Run & check. */
export function StepVerdictView({ verdict, testId }: { verdict: StepVerdict; testId: string }) {
  const outcome = outcomeOf(verdict);
  return (
    <div className={`rb-check rb-check-${outcome}`} data-testid={testId} data-outcome={outcome}>
      <strong>{outcomeText(outcome, verdict.finding)}</strong>
      {outcome === 'finding' && <span className="rb-dim"> (finding)</span>}
      <span> · seen {verdict.actual}</span>
      {outcome !== 'ok' && outcome !== 'finding' && outcome !== 'warn' && verdict.reasons.length > 0 && (
        <span className="rb-dim"> ({verdict.reasons.join('; ')})</span>
      )}
      <div className="rb-dim rb-check-expected">answers: {verdict.expected}</div>
    </div>
  );
}

/** A step's answer on the session timeline: "· finding API not listening". */
export function StepVerdictChip({ verdict }: { verdict: StepVerdict }) {
  const outcome = outcomeOf(verdict);
  const cls =
    outcome === 'ok'
      ? 'ok'
      : outcome === 'finding' || outcome === 'warn'
        ? 'warn'
        : outcome === 'unchecked'
          ? ''
          : 'err';
  return (
    <span className={`step-answer ${cls}`} data-outcome={outcome}>
      {' '}
      · {outcome === 'finding' ? 'finding ' : ''}
      <strong>{outcomeText(outcome, verdict.finding)}</strong>
    </span>
  );
}
