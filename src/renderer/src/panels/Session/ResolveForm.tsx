// Resolving an incident: summary, contributing factors, what went well and badly, action items
// with owners, and a written reason when verify is not green (state in resolveReducer, the checks
// in resolveRequest); and the last verify's before/after table.
import { useReducer } from 'react';
import type { SessionDetail, SessionEvent } from '../../../../shared/contract/walkthroughs';
import { api } from '../../transport';
import { EMPTY_RESOLVE, resolveReducer, resolveRequest } from './session-forms';

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
      <label>
        Summary
        <textarea
          aria-label="Summary"
          rows={3}
          value={s.summary}
          onChange={(e) => dispatch({ type: 'text', field: 'summary', value: e.target.value })}
          placeholder="What happened, who was affected, what fixed it"
        />
      </label>
      <label>
        Contributing factors <span className="dim">(one per line)</span>
        <textarea
          aria-label="Contributing factors"
          rows={2}
          value={s.factors}
          onChange={(e) => dispatch({ type: 'text', field: 'factors', value: e.target.value })}
        />
      </label>
      <label>
        What went well <span className="dim">(one per line)</span>
        <textarea
          aria-label="What went well"
          rows={2}
          value={s.well}
          onChange={(e) => dispatch({ type: 'text', field: 'well', value: e.target.value })}
        />
      </label>
      <label>
        What did not go well <span className="dim">(one per line)</span>
        <textarea
          aria-label="What did not go well"
          rows={2}
          value={s.badly}
          onChange={(e) => dispatch({ type: 'text', field: 'badly', value: e.target.value })}
        />
      </label>
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
        <label>
          Why resolve without a green verify
          <textarea
            aria-label="Override reason"
            rows={2}
            value={s.override}
            onChange={(e) => dispatch({ type: 'text', field: 'override', value: e.target.value })}
          />
        </label>
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
