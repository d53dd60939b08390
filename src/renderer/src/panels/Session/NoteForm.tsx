// A note on an active session's timeline: a plain note, a deviation from the runbook, or what the
// runbook should say (which goes into the revision proposed for it).
import { submitterValue } from './session-forms';

export default function NoteForm(p: {
  note: string;
  setNote: (note: string) => void;
  onAdd: (submitter: string | undefined) => void;
}) {
  return (
    <form
      className="note"
      onSubmit={(e) => {
        e.preventDefault();
        p.onAdd(submitterValue(e));
      }}
    >
      <textarea
        aria-label="Note"
        rows={2}
        placeholder="What you saw, decided or did differently…"
        value={p.note}
        onChange={(e) => p.setNote(e.target.value)}
      />
      <div className="row">
        <button type="submit" value="note">
          Add note
        </button>
        <button type="submit" value="deviation">
          Record deviation
        </button>
        <button type="submit" value="should-say" title="Goes into the revision proposed for the runbook">
          The runbook should say
        </button>
      </div>
    </form>
  );
}
