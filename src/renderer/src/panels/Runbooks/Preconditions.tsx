// A step's preconditions before Run: each met or not (unknown counts as not met) with why; when
// one is not met, Run stays blocked until the operator overrides it with a written reason, which
// is recorded on the session timeline.
import { useState } from 'react';
import type { PreconditionStatus } from '../../../../shared/runbooks/preconditions';

/** A reason shorter than this says nothing ("ok", "yes"); the contract asks for the same. */
const MIN_REASON_CHARS = 8;

export default function Preconditions({
  stepId,
  statuses,
  overridden,
  onOverride,
}: {
  stepId: string;
  statuses: PreconditionStatus[];
  overridden: boolean;
  onOverride: (reason: string) => Promise<void>;
}) {
  const [open, setOpen] = useState(false);
  const [reason, setReason] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (statuses.length === 0) return null;
  const unmet = statuses.filter((s) => !s.met);
  const submit = async () => {
    setBusy(true);
    setError(null);
    try {
      await onOverride(reason.trim());
      setOpen(false);
      setReason('');
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setBusy(false);
    }
  };
  return (
    <div className="rb-pre-conds" data-testid={`preconditions-${stepId}`}>
      <ul>
        {statuses.map((s, k) => (
          <li key={k} className={`rb-cond rb-cond-${s.state}`}>
            <span className="rb-cond-mark" aria-hidden>
              {s.met ? '✓' : '✗'}
            </span>
            <span>{s.label}</span>
            <span className="rb-cond-state">
              {s.state === 'met' ? 'met' : s.state === 'unknown' ? 'unknown (not met)' : 'not met'}
            </span>
            <span className="rb-cond-why rb-dim">{s.why}</span>
          </li>
        ))}
      </ul>
      {unmet.length > 0 &&
        (overridden ? (
          <p className="rb-cond-overridden">
            Overridden for the next run; the reason is on the session timeline.
          </p>
        ) : open ? (
          <div className="rb-override">
            <label htmlFor={`rb-override-${stepId}`}>Why must this step run anyway?</label>
            <textarea
              id={`rb-override-${stepId}`}
              rows={2}
              value={reason}
              onChange={(e) => setReason(e.target.value)}
            />
            <div className="rb-row">
              <button
                type="button"
                disabled={busy || reason.trim().length < MIN_REASON_CHARS}
                onClick={() => void submit()}
              >
                Override and allow Run
              </button>
              <button type="button" onClick={() => setOpen(false)}>
                Cancel
              </button>
            </div>
            {error && (
              <p className="rb-err" role="alert">
                {error}
              </p>
            )}
          </div>
        ) : (
          <button type="button" className="rb-override-open" onClick={() => setOpen(true)}>
            Override…
          </button>
        ))}
    </div>
  );
}
