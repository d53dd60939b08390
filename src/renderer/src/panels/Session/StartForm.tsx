// The form that starts a session: an incident (severity picked, or taken from a red triage with
// its first runbook), a planned change (now, or scheduled for a time), or a runbook walk-through.
// What a submit asks for is startPlan's.
import type { Dispatch, RefObject, SetStateAction } from 'react';
import type { SeverityId } from '../../../../shared/contract/walkthroughs-session';
import { SEVERITY_LEVELS, localTimeZone } from '../../../../shared/handbook';
import {
  startPlan,
  submitterValue,
  triageIsRed,
  type StartDraft,
  type StartPlan,
  type TriageView,
} from './session-forms';

export default function StartForm(p: {
  form: StartDraft;
  setForm: Dispatch<SetStateAction<StartDraft>>;
  triage: TriageView | null;
  titleRef: RefObject<HTMLInputElement | null>;
  /** The plan of a valid submit: schedule a change, or start now. */
  onPlan: (plan: Exclude<StartPlan, { error: string }>) => void;
  onError: (message: string) => void;
}) {
  const { form, setForm, triage } = p;
  const red = triageIsRed(triage);
  const useTriage = form.kind === 'incident' && form.fromTriage && red;
  return (
    <form
      className="start"
      onSubmit={(e) => {
        e.preventDefault();
        const plan = startPlan(form, triage, submitterValue(e), localTimeZone());
        if ('error' in plan) return p.onError(plan.error);
        p.onPlan(plan);
      }}
    >
      <select
        aria-label="Kind"
        value={form.kind}
        onChange={(e) => setForm({ ...form, kind: e.target.value as StartDraft['kind'] })}
      >
        <option value="incident">Incident</option>
        <option value="change">Planned change</option>
        <option value="runbook">Runbook walk-through</option>
      </select>
      <input
        ref={p.titleRef}
        aria-label="Title"
        placeholder="What is happening?"
        value={form.title}
        onChange={(e) => setForm({ ...form, title: e.target.value })}
      />
      {form.kind === 'incident' && red && (
        <label className="from-triage">
          <input
            type="checkbox"
            checked={form.fromTriage}
            onChange={(e) => setForm({ ...form, fromTriage: e.target.checked })}
          />{' '}
          From the triage ({triage?.severity})
        </label>
      )}
      {form.kind === 'incident' && !useTriage && (
        <select
          aria-label="Severity"
          value={form.severity}
          onChange={(e) => setForm({ ...form, severity: e.target.value as SeverityId })}
        >
          <option value="">Severity…</option>
          {SEVERITY_LEVELS.map((l) => (
            <option key={l.id} value={l.id}>
              {l.id} {l.name}
            </option>
          ))}
        </select>
      )}
      {form.kind === 'change' && (
        <label className="when">
          When{' '}
          <input
            type="datetime-local"
            step={60}
            aria-label="When"
            value={form.when}
            onChange={(e) => setForm({ ...form, when: e.target.value })}
          />
        </label>
      )}
      {form.kind === 'change' && (
        <button type="submit" value="schedule">
          Schedule
        </button>
      )}
      <button type="submit" value="start">
        {form.kind === 'change' ? 'Start now' : 'Start'}
      </button>
    </form>
  );
}
