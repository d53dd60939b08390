// The review workflow of the open runbook: its status with who and when, the move to the next
// status, "Test in sandbox" with the test runner's results, and what changed since its approval.
import { useCallback, useEffect, useState } from 'react';
import type { ReviewView, RunbookDocument } from '../../../../shared/contract/runbooks';
import { REVIEW_STATUSES, type ReviewStatus as Status } from '../../../../shared/runbooks/review-status';
import { api, ApiError } from '../../transport';
import './review.css';

/** The name the operator last signed a move with, so they type it once per browser. */
const NAME_KEY = 'aura-ops.review-name';
/** Unchanged lines kept around each change in the diff view. */
const DIFF_CONTEXT_LINES = 2;

const STEP_LABEL: Record<Status, string> = {
  draft: 'Back to draft',
  tested: 'Mark tested',
  reviewed: 'Record peer review',
  approved: 'Approve',
  published: 'Publish',
};

/** The runner's statuses in the words the rest of the console uses for an answer (OK, not OK). */
const RESULT_WORDS: Record<string, string> = { pass: 'ok', fail: 'not ok' };

function message(err: unknown): string {
  return err instanceof ApiError ? err.message : String(err);
}

function storedName(): string {
  try {
    return localStorage.getItem(NAME_KEY) ?? '';
  } catch {
    return ''; // storage denied (private mode): the operator types the name each time
  }
}

export function StatusBadge({ status }: { status: Status | null | undefined }) {
  return (
    <span className={`rb-badge rb-review rb-review-${status ?? 'none'}`} data-testid="review-badge">
      {status ?? 'no status'}
    </span>
  );
}

function Diff({ lines }: { lines: NonNullable<ReviewView['changesSinceApproval']> }) {
  const changed = lines.map((l) => l.op !== 'same');
  if (!changed.includes(true)) return <p className="rb-dim">No change since the approval.</p>;
  const keep = lines.map((_, i) =>
    changed.slice(Math.max(0, i - DIFF_CONTEXT_LINES), i + DIFF_CONTEXT_LINES + 1).includes(true),
  );
  return (
    <pre className="rb-diff" data-testid="approval-diff">
      {lines.map((l, i) =>
        keep[i] ? (
          <div key={i} className={`rb-diff-${l.op}`}>
            {l.op === 'add' ? '+ ' : l.op === 'del' ? '- ' : '  '}
            {l.text}
          </div>
        ) : keep[i - 1] ? (
          <div key={i} className="rb-diff-gap">
            ⋯
          </div>
        ) : null,
      )}
    </pre>
  );
}

export default function ReviewStatus({ doc }: { doc: RunbookDocument }) {
  const [view, setView] = useState<ReviewView | null>(null);
  const [name, setName] = useState(storedName);
  const [busy, setBusy] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);

  const load = useCallback(() => {
    api.invoke('runbooks:review-get', { id: doc.id }).then(setView, (err: unknown) => setError(message(err)));
  }, [doc.id]);
  // The document object changes whenever the file does (a move rewrites its front matter).
  useEffect(load, [load, doc]);

  const run = (label: string, call: () => Promise<ReviewView>) => {
    setBusy(label);
    setError(null);
    call()
      .then(setView, (err: unknown) => setError(message(err)))
      .finally(() => setBusy(null));
  };

  const move = (to: Status) => {
    try {
      localStorage.setItem(NAME_KEY, name.trim());
    } catch {
      // storage denied: the move itself does not depend on it
    }
    run(to, () => api.invoke('runbooks:review-move', { id: doc.id, to, by: name.trim() }));
  };

  if (!view)
    return error ? (
      <p className="rb-walk-error" role="alert">
        {error}
      </p>
    ) : null;
  const r = view.review;
  const current = r.status;
  const next = REVIEW_STATUSES[current ? REVIEW_STATUSES.indexOf(current) + 1 : 0] ?? null;
  const t = r.lastTested;
  return (
    <details className="rb-review-box" data-testid="review">
      <summary>
        Review <StatusBadge status={current} />
        {t && <span className="rb-dim"> · tested {t.date}</span>}
        {view.lint.length > 0 && <span className="rb-badge rb-lint">{view.lint.length} review</span>}
      </summary>
      <dl className="rb-review-facts">
        <dt>Owner</dt>
        <dd>{r.owner ?? '—'}</dd>
        <dt>Reviewed by</dt>
        <dd>
          {r.reviewedBy ? `${r.reviewedBy}${view.lastReviewed ? ` on ${view.lastReviewed}` : ''}` : '—'}
        </dd>
        <dt>Approved by</dt>
        <dd>{r.approvedBy ? `${r.approvedBy}${r.approvedAt ? ` on ${r.approvedAt}` : ''}` : '—'}</dd>
        <dt>Last tested</dt>
        <dd data-testid="last-tested">
          {t
            ? `${t.date}: ${Object.entries(t.outcomes)
                .map(([s, o]) => `${s} ${o.pass} ok, ${o.fail} not ok, ${o.skipped} skipped`)
                .join('; ')}`
            : 'never'}
        </dd>
        {r.revisionOf && (
          <>
            <dt>Revision of</dt>
            <dd className="mono">
              {r.revisionOf}
              {r.session ? ` (session ${r.session.slice(0, 8)})` : ''}
            </dd>
          </>
        )}
      </dl>
      <p className="rb-dim">
        Kept in{' '}
        {view.keptIn === 'front-matter'
          ? "the file's front matter"
          : "the console's store (bundled runbooks are read-only)"}
        . The handbook's process: draft, test in staging, peer review, approval by the operations lead,
        publish and announce.
      </p>
      {view.lint.map((p, i) => (
        <p key={i} className={`rb-review-lint ${p.severity}`}>
          {p.message}
        </p>
      ))}
      <div className="rb-row">
        <input
          aria-label="Your name"
          placeholder="Your name"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        {next && (
          <button type="button" disabled={busy !== null || !name.trim()} onClick={() => move(next)}>
            {current === null && next === 'draft' ? 'Start as draft' : STEP_LABEL[next]}
          </button>
        )}
        {current && current !== 'draft' && (
          <button
            type="button"
            className="ghost"
            disabled={busy !== null || !name.trim()}
            onClick={() => move('draft')}
          >
            {STEP_LABEL.draft}
          </button>
        )}
        <button
          type="button"
          disabled={busy !== null || !view.sandbox}
          title={
            view.sandbox
              ? "Run the runbook's checked steps in each of its scenarios"
              : 'Attach the demo install to test in the sandbox'
          }
          onClick={() => run('test', () => api.invoke('runbooks:review-test', { id: doc.id }))}
        >
          {busy === 'test' ? 'Testing…' : 'Test in sandbox'}
        </button>
      </div>
      {error && (
        <p className="rb-walk-error" role="alert">
          {error}
        </p>
      )}
      {view.lastResults.length > 0 && (
        <table className="rb-review-results" data-testid="review-results">
          <thead>
            <tr>
              <th>Scenario</th>
              <th>Step</th>
              <th>Result</th>
              <th>Detail</th>
            </tr>
          </thead>
          <tbody>
            {view.lastResults.map((row, i) => (
              <tr key={i}>
                <td>{row.scenario}</td>
                <td className="mono">{row.step}</td>
                <td className={`rb-result-${row.status}`}>{RESULT_WORDS[row.status] ?? row.status}</td>
                <td>{row.detail}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {view.changesSinceApproval && (
        <>
          <h4>Changes since the approval</h4>
          <p className="rb-dim mono">Approved text: {view.approvedCopy}</p>
          <Diff lines={view.changesSinceApproval} />
        </>
      )}
    </details>
  );
}
