// An incident's impact start and milestones (acknowledged, mitigated, resolved) with the times
// between them; an active incident's times can be set or corrected with a reason.
import { useState } from 'react';
import type { Milestone, SessionDetail } from '../../../../shared/contract/walkthroughs-session';
import {
  MILESTONE_ORDER,
  formatSpan,
  incidentTimes,
  MILESTONE_LABEL,
} from '../../../../shared/incident-metrics';
import { api, ApiError } from '../../transport';
import { fromLocalInput, toLocalInput } from './session-forms';

export default function Milestones({
  d,
  now,
  onError,
}: {
  d: SessionDetail;
  now: number;
  onError: (err: unknown) => void;
}) {
  const [edit, setEdit] = useState<{ what: Milestone | 'impact'; value: string; reason: string } | null>(
    null,
  );
  const changes = d.events.flatMap((e) =>
    e.type === 'severity' ? [{ at: e.at, severity: e.severity }] : [],
  );
  const t = incidentTimes({
    milestones: d.milestones,
    impactStart: d.impactStart?.at ?? null,
    changes,
    end: d.endedAt ?? now,
  });
  const span = (x: number | null) => (x === null ? '—' : formatSpan(x));
  const save = () => {
    if (!edit) return;
    const at = fromLocalInput(edit.value);
    if (at === null)
      return onError(new ApiError({ code: 'bad-request', message: 'That is not a date and time.' }));
    const p =
      edit.what === 'impact'
        ? api.invoke('walkthrough:impact-start', { id: d.id, at, reason: edit.reason })
        : api.invoke('walkthrough:milestone', {
            id: d.id,
            milestone: edit.what,
            at,
            ...(edit.reason.trim() ? { reason: edit.reason } : {}),
          });
    p.then(() => setEdit(null), onError);
  };
  return (
    <section className="milestones" data-testid="milestones">
      <table>
        <tbody>
          <tr>
            <th>Impact start</th>
            <td>{d.impactStart ? new Date(d.impactStart.at).toLocaleTimeString() : '—'}</td>
            <td className="dim">
              {d.impactStart?.evidence
                ? `${d.impactStart.evidence.file.split(/[\\/]/).pop()}${d.impactStart.evidence.line ? `:${d.impactStart.evidence.line}` : ''}`
                : d.impactStart
                  ? 'set by you'
                  : ''}
            </td>
            <td>
              {d.status === 'active' && (
                <button
                  className="link"
                  onClick={() =>
                    setEdit({
                      what: 'impact',
                      value: toLocalInput(d.impactStart?.at ?? d.startedAt),
                      reason: '',
                    })
                  }
                >
                  Edit
                </button>
              )}
            </td>
          </tr>
          {MILESTONE_ORDER.map((m) => {
            const e = d.milestones[m];
            return (
              <tr key={m} data-milestone={m}>
                <th>{MILESTONE_LABEL[m]}</th>
                <td>{e ? new Date(e.at).toLocaleTimeString() : '—'}</td>
                <td className="dim">{e ? (e.source === 'console' ? 'by the console' : 'by you') : ''}</td>
                <td>
                  {d.status === 'active' && m !== 'resolved' && (
                    <button
                      className="link"
                      onClick={() =>
                        setEdit({ what: m, value: toLocalInput(e?.at ?? Date.now()), reason: '' })
                      }
                    >
                      {e ? 'Edit' : 'Set'}
                    </button>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
      <p className="dim times" data-testid="incident-times">
        To acknowledge {span(t.timeToAcknowledgeMs)} · to mitigate {span(t.timeToMitigateMs)} · to resolve{' '}
        {span(t.timeToResolveMs)} · impact {span(t.impactDurationMs)}
      </p>
      {edit && (
        <form
          className="edit-time"
          onSubmit={(e) => {
            e.preventDefault();
            save();
          }}
        >
          <label>
            {edit.what === 'impact' ? 'Impact start' : MILESTONE_LABEL[edit.what]}{' '}
            <input
              type="datetime-local"
              step={1}
              aria-label="Time"
              value={edit.value}
              onChange={(e) => setEdit({ ...edit, value: e.target.value })}
            />
          </label>
          <input
            aria-label="Reason"
            placeholder="Why (needed to correct a time)"
            value={edit.reason}
            onChange={(e) => setEdit({ ...edit, reason: e.target.value })}
          />
          <button type="submit">Save</button>
          <button type="button" className="ghost" onClick={() => setEdit(null)}>
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}
