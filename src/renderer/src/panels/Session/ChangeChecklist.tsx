// A planned change's checklists (the handbook's pre-change, during and post-change items): each
// tick is recorded on the session's timeline; closed once the session has ended.
import type { SessionDetail } from '../../../../shared/contract/walkthroughs-session';
import { CHANGE_CHECKLISTS } from '../../../../shared/handbook';
import { changeCheckEvent, changeCheckKey } from './session-forms';
import type { RecordEvent } from './use-session-panel';

export default function ChangeChecklist(p: {
  d: SessionDetail;
  record: (event: RecordEvent) => Promise<void>;
}) {
  return CHANGE_CHECKLISTS.map((phase) => (
    <fieldset key={phase.phase} className="checklist">
      <legend>{phase.title}</legend>
      {phase.items.map((item) => (
        <label key={item.id}>
          <input
            type="checkbox"
            disabled={p.d.status !== 'active'}
            checked={p.d.checks[changeCheckKey(item.id)]?.checked ?? false}
            onChange={(e) => void p.record(changeCheckEvent(phase.title, item, e.target.checked))}
          />{' '}
          {item.text}
        </label>
      ))}
    </fieldset>
  ));
}
