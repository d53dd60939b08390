// Resolving an incident: summary, contributing factors, what went well and badly, action items
// with owners, and a written reason when verify is not green (state in resolveReducer, the checks
// in resolveRequest); and the last verify's before/after table.
import { useReducer, type Dispatch } from 'react';
import type { SessionDetail, SessionEvent } from '../../../../shared/contract/walkthroughs-session';
import { api } from '../../transport';
import {
  EMPTY_RESOLVE,
  resolveReducer,
  resolveRequest,
  type ResolveAction,
  type ResolveDraft,
} from './session-forms';

export function VerifyTable({ e }: { e: Extract<SessionEvent, { type: 'verify' }> }) {
  return (
    <table className="verify" data-testid="verify-table">
      <caption>
        Verify at {new Date(e.at).toLocaleTimeString()}:{' '}
        <strong className={e.green ? 'ok' : 'err'}>{e.green ? 'green' : 'not green'}</strong>
      </caption>
      <thead>
        <tr>
          <th>Check</th>
          <th>Before</th>
          <th>After</th>
        </tr>
      </thead>
      <tbody>
        {e.rows.map((r, i) => (
          <tr key={i} className={r.ok ? 'ok-row' : 'bad-row'}>
            <td>{r.label}</td>
            <td>{r.before}</td>
            <td className={r.ok ? 'ok' : 'err'}>{r.after}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

/** One of the form's free-text fields: a labelled textarea bound to its field in the form's state. */
function TextField({
  field,
  label,
  aria = label,
  rows = 2,
  perLine = false,
  placeholder,
  s,
  dispatch,
}: {
  field: Extract<ResolveAction, { type: 'text' }>['field'];
  label: string;
  aria?: string;
  rows?: number;
  /** The field takes one entry per line (the report lists them). */
  perLine?: boolean;
  placeholder?: string;
  s: ResolveDraft;
  dispatch: Dispatch<ResolveAction>;
}) {
  return (
    <label>
      {label}
      {perLine && <span className="dim"> (one per line)</span>}
      <textarea
        aria-label={aria}
        rows={rows}
        value={s[field]}
        onChange={(e) => dispatch({ type: 'text', field, value: e.target.value })}
        placeholder={placeholder}
      />
    </label>
  );
}

export default function ResolveForm({
  d,
  green,
  onDone,
  onError,
}: {
  d: SessionDetail;
  green: boolean;
  onDone: () => void;
  onError: (err: unknown) => void;
}) {
  const [s, dispatch] = useReducer(resolveReducer, EMPTY_RESOLVE);
  const submit = () => {
    const r = resolveRequest(s, green);
    if ('problem' in r) return dispatch({ type: 'problem', problem: r.problem });
    dispatch({ type: 'problem', problem: null });
    api.invoke('walkthrough:end', { id: d.id, ...r.params }).then(onDone, onError);
  };
  return (
    <form
      className="resolve-form"
      data-testid="resolve-form"
      onSubmit={(e) => {
        e.preventDefault();
        submit();
      }}
    >
      <h3>Resolve</h3>
      {!green && <p className="warn">Verify is not green. Resolving anyway needs a written reason.</p>}
      <TextField
        field="summary"
        label="Summary"
        rows={3}
        s={s}
        dispatch={dispatch}
        placeholder="What happened, who was affected, what fixed it"
      />
      <TextField field="factors" label="Contributing factors" perLine s={s} dispatch={dispatch} />
      <TextField field="well" label="What went well" perLine s={s} dispatch={dispatch} />
      <TextField field="badly" label="What did not go well" perLine s={s} dispatch={dispatch} />
      <fieldset>
        <legend>Action items</legend>
        {s.items.map((it, i) => (
          <div className="row" key={i}>
            <input
              aria-label={`Action item ${i + 1}`}
              placeholder="What to do"
              value={it.text}
              onChange={(e) => dispatch({ type: 'item', index: i, text: e.target.value })}
            />
            <input
              aria-label={`Owner ${i + 1}`}
              placeholder="Owner"
              className="owner"
              value={it.owner}
              onChange={(e) => dispatch({ type: 'item', index: i, owner: e.target.value })}
            />
          </div>
        ))}
        <button type="button" className="link" onClick={() => dispatch({ type: 'add-item' })}>
          Add an action item
        </button>
      </fieldset>
      {!green && (
        <TextField
          field="override"
          label="Why resolve without a green verify"
          aria="Override reason"
          s={s}
          dispatch={dispatch}
        />
      )}
      {s.problem && (
        <p className="error" role="alert">
          {s.problem}
        </p>
      )}
      <div className="row">
        <button type="submit">Resolve incident</button>
        <button type="button" className="ghost" onClick={onDone}>
          Cancel
        </button>
      </div>
    </form>
  );
}
