// An active incident's severity (changed with a reason, recorded on the timeline) and the button
// that puts the escalation level the handbook's clock has reached on the timeline.
import type { SessionDetail, SeverityId } from '../../../../shared/contract/walkthroughs-session';
import { SEVERITY_LEVELS, escalationAt } from '../../../../shared/handbook';
import type { RecordEvent, SeverityEdit } from './use-session-panel';

export default function SeverityRow(p: {
  d: SessionDetail;
  now: number;
  edit: SeverityEdit | null;
  setEdit: (edit: SeverityEdit | null) => void;
  onChange: (edit: SeverityEdit) => void;
  record: (event: RecordEvent) => Promise<void>;
}) {
  const { d, edit, setEdit } = p;
  const esc = escalationAt(new Date(d.startedAt), new Date(d.endedAt ?? p.now));
  return (
    <div className="row wrap">
      <label className="inline">
        Severity{' '}
        <select
          aria-label="Set severity"
          value={edit?.severity ?? d.severity ?? ''}
          onChange={(e) => setEdit({ severity: e.target.value as SeverityId, reason: '' })}
        >
          <option value="" disabled>
            not set
          </option>
          {SEVERITY_LEVELS.map((l) => (
            <option key={l.id} value={l.id}>
              {l.id} {l.name} ({l.responseTime})
            </option>
          ))}
        </select>
      </label>
      {edit && edit.severity !== d.severity && (
        <>
          <input
            aria-label="Why the severity changes"
            placeholder="Why"
            value={edit.reason}
            onChange={(e) => setEdit({ ...edit, reason: e.target.value })}
          />
          <button onClick={() => p.onChange(edit)}>Change</button>
        </>
      )}
      <span className="spacer" />
      <button
        onClick={() => void p.record({ type: 'escalation', level: esc.level, reason: esc.action })}
        title="Put this escalation on the timeline"
      >
        Record escalation (level {esc.level})
      </button>
    </div>
  );
}
