// The walk-through session: start an incident (from the triage, carrying its severity), a change or
// a runbook walk; which session records is explicit and switching asks; milestones and times to
// acknowledge/mitigate/resolve; verify's before/after; resolve with a summary, contributing factors
// and action items; the timeline; export the post-mortem draft. Everything lives in ops.db.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import {
  CONTACT_ROLES,
  CONTACT_ROLE_LABEL,
  type ActionItem,
  type Contact,
  type Milestone,
  type SessionDetail,
  type SessionEvent,
  type SessionSummary,
  type SeverityId,
} from '../../../../shared/contract/walkthroughs';
import type { SweepResult } from '../../../../shared/contract/probes';
import {
  CHANGE_CHECKLISTS,
  EMERGENCY_CHANGE_RULE,
  SEVERITY_LEVELS,
  escalationAt,
  isInWindow,
  localTimeZone,
  nextWindow,
} from '../../../../shared/handbook';
import { MILESTONE_ORDER, formatSpan, incidentTimes, MILESTONE_LABEL } from '../../../../shared/incident-metrics';
import { recordingId, setRecording, useCurrentSession } from '../../state/session-store';
import { sessionRequests, type SessionRequest } from '../../state/ui-bus';
import { api, ApiError } from '../../transport';
import RevisionProposal from './RevisionProposal';
import './session.css';
import { StepVerdictChip } from '../Runbooks/StepFindings';

/**
 * The session shown, kept while the panel is hidden behind another tab (undefined: follow the
 * recording one). Browsing never changes which session records.
 */
let keptViewId: string | null | undefined;

/** The clock redraws once a second; escalation levels change on minute boundaries. */
const CLOCK_TICK_MS = 1000;

function useNow(active: boolean): number {
  const [now, setNow] = useState(Date.now());
  useEffect(() => {
    if (!active) return;
    const t = setInterval(() => setNow(Date.now()), CLOCK_TICK_MS);
    return () => clearInterval(t);
  }, [active]);
  return now;
}

function mmss(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(sec).padStart(2, '0')}`;
}

/** Value for <input type="datetime-local"> in this machine's time, to the second. */
function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

function fromLocalInput(v: string): number | null {
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? t : null;
}

function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

function download(fileName: string, mime: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function Escalation({ s, now }: { s: SessionDetail; now: number }) {
  const esc = escalationAt(new Date(s.startedAt), new Date(s.endedAt ?? now));
  const sev = s.severity ? SEVERITY_LEVELS.find((l) => l.id === s.severity) : null;
  const responseDue = sev && sev.responseMinutes !== null ? s.startedAt + sev.responseMinutes * 60_000 : null;
  return (
    <div className="escalation" data-testid="escalation">
      <div className={`level level-${esc.level}`}>
        <strong>Level {esc.level}</strong> · {esc.action}
      </div>
      <div className="dim">
        Elapsed {mmss(esc.elapsedMs)}
        {esc.next && esc.msToNext !== null && (
          <>
            {' '}
            · Level {esc.next.level} ({esc.next.action.toLowerCase()}) in {mmss(esc.msToNext)}
          </>
        )}
      </div>
      {esc.level >= 2 && !s.endedAt && (
        <div className="contacts-now" data-testid="contacts-now">
          {s.contacts.length === 0 ? (
            <span className="dim">No emergency contacts are set: add them under Emergency contacts in the session list.</span>
          ) : (
            <>
              Reach now:{' '}
              {s.contacts
                .filter((c) => (esc.level === 2 ? c.role === 'on-call' : true))
                .map((c) => `${CONTACT_ROLE_LABEL[c.role]}: ${c.name} (${c.reach})`)
                .join(' · ')}
            </>
          )}
        </div>
      )}
      {sev && (
        <div className="dim">
          {sev.id} response time: {sev.responseTime}
          {responseDue !== null && now < responseDue && ` (due in ${mmss(responseDue - now)})`}
          {responseDue !== null && now >= responseDue && <span className="err"> (overdue)</span>}
        </div>
      )}
    </div>
  );
}

function ChangeWindows({ now }: { now: number }) {
  const tz = localTimeZone();
  const inWin = isInWindow(new Date(now), tz);
  const next = nextWindow(new Date(now), tz);
  return (
    <div className="windows" data-testid="maintenance-window">
      {inWin.inWindow && inWin.window ? (
        <p className="ok">Now is inside the {inWin.window.label} maintenance window (until {new Date(inWin.window.end).toLocaleTimeString()}).</p>
      ) : (
        <p className="warn">
          Outside the maintenance windows. Next: {next.label}, {new Date(next.start).toLocaleString()} ({tz}). {EMERGENCY_CHANGE_RULE}.
        </p>
      )}
    </div>
  );
}

/** One timeline entry as the panel shows it. */
function Entry({ e }: { e: SessionEvent }) {
  switch (e.type) {
    case 'step':
      return (
        <>
          <span className={`step-status ${e.status}`}>{e.status === 'finished' ? 'Ran' : e.status === 'running' ? 'Running' : e.status === 'declined' ? 'Declined' : e.status === 'copied' ? 'Copied' : e.status === 'pasted' ? 'Pasted' : 'Not sent'}</span> step{' '}
          <strong>{e.stepId}</strong> <code>{e.command}</code>
          {e.status === 'finished' && <span className={e.exitCode === 0 ? 'ok' : 'err'}> · exit {e.exitCode ?? '?'}</span>}
          {e.verdict && <StepVerdictChip verdict={e.verdict} />}
        </>
      );
    case 'command':
      return (
        <>
          Ad hoc <code>{e.command}</code> <span className={e.exitCode === 0 ? 'ok' : 'err'}>exit {e.exitCode ?? '?'}</span>
        </>
      );
    case 'step-run':
      return (
        <>
          Ran step <code>{e.command}</code>
        </>
      );
    case 'command-finished':
      return (
        <>
          <code>{e.command}</code> <span className={e.exitCode === 0 ? 'ok' : 'err'}>exit {e.exitCode ?? '?'}</span>
        </>
      );
    case 'check':
      return (
        <>
          {e.checked ? '☑' : '☐'} {e.label}
        </>
      );
    case 'note':
      return (
        <>
          {e.deviation ? <strong>Deviation: </strong> : e.shouldSay ? <strong>The runbook should say: </strong> : null}
          {e.text}
        </>
      );
    case 'probe-snapshot':
      return (
        <>
          Probe {e.title}: {e.state}
        </>
      );
    case 'log-pin':
      return (
        <>
          Pinned log record {e.file}
          {e.line ? `:${e.line}` : ''} [{e.level}] {e.text.slice(0, 160)}
        </>
      );
    case 'severity':
      return (
        <>
          Severity → <strong>{e.severity}</strong>
          {e.reason ? ` (${e.reason})` : ''}
        </>
      );
    case 'escalation':
      return (
        <>
          <strong>Escalated</strong> (level {e.level}){e.to ? ` to ${e.to}` : ''}
          {e.reason ? `: ${e.reason}` : ''}
        </>
      );
    case 'triage':
      return (
        <>
          Triage <strong>{e.severity}</strong>: {e.headline}
        </>
      );
    case 'milestone':
      return (
        <>
          Milestone <strong>{MILESTONE_LABEL[e.milestone]}</strong> at {new Date(e.time).toLocaleTimeString()}
          {e.reason ? ` (${e.reason})` : ''}
        </>
      );
    case 'impact-start':
      return (
        <>
          Impact start {e.source === 'logs' ? 'proposed from the logs' : 'set'}: {new Date(e.time).toLocaleTimeString()}
          {e.evidence ? ` · ${e.evidence.file.split(/[\\/]/).pop()}${e.evidence.line ? `:${e.evidence.line}` : ''}` : ''}
        </>
      );
    case 'verify':
      return (
        <>
          Verify: <strong className={e.green ? 'ok' : 'err'}>{e.green ? 'green' : 'not green'}</strong>
        </>
      );
    case 'scheduled':
      return (
        <>
          Scheduled for <strong>{new Date(e.time).toLocaleString()}</strong> ({e.window ? `${e.window} window` : 'outside the maintenance windows'})
        </>
      );
    case 'change-began':
      return e.inWindow ? (
        <>Began inside the {e.window} maintenance window</>
      ) : (
        <span className="warn">Began outside the maintenance windows (next: {e.nextWindow}). {EMERGENCY_CHANGE_RULE}.</span>
      );
    case 'recording':
      return <span className="dim">{e.recording ? 'Recording resumed' : `Recording stopped: ${e.reason}`}</span>;
    case 'db-backup':
      return (
        <>
          DB backup {e.ok ? 'written' : 'failed'}: <code>{e.file}</code>
        </>
      );
    case 'db-check':
      return (
        <>
          DB check {e.check}: <span className={e.ok ? 'ok' : 'err'}>{e.ok ? 'ok' : 'problem'}</span>
        </>
      );
    case 'revision':
      return (
        <>
          Draft revision saved: <code>{e.file}</code>
        </>
      );
    case 'precondition-override':
      return (
        <span className="warn" title={e.unmet.map((u) => `${u.label}: ${u.why}`).join('\n')}>
          Overrode {e.unmet.map((u) => u.label.toLowerCase()).join(', ')} for step <strong>{e.stepId}</strong>: “{e.reason}”
        </span>
      );
  }
}

function Milestones({ d, now, onError }: { d: SessionDetail; now: number; onError: (err: unknown) => void }) {
  const [edit, setEdit] = useState<{ what: Milestone | 'impact'; value: string; reason: string } | null>(null);
  const changes = d.events.flatMap((e) => (e.type === 'severity' ? [{ at: e.at, severity: e.severity }] : []));
  const t = incidentTimes({ milestones: d.milestones, impactStart: d.impactStart?.at ?? null, changes, end: d.endedAt ?? now });
  const span = (x: number | null) => (x === null ? '—' : formatSpan(x));
  const save = () => {
    if (!edit) return;
    const at = fromLocalInput(edit.value);
    if (at === null) return onError(new ApiError({ code: 'bad-request', message: 'That is not a date and time.' }));
    const p =
      edit.what === 'impact'
        ? api.invoke('walkthrough:impact-start', { id: d.id, at, reason: edit.reason })
        : api.invoke('walkthrough:milestone', { id: d.id, milestone: edit.what, at, ...(edit.reason.trim() ? { reason: edit.reason } : {}) });
    p.then(() => setEdit(null), onError);
  };
  return (
    <section className="milestones" data-testid="milestones">
      <table>
        <tbody>
          <tr>
            <th>Impact start</th>
            <td>{d.impactStart ? new Date(d.impactStart.at).toLocaleTimeString() : '—'}</td>
            <td className="dim">{d.impactStart?.evidence ? `${d.impactStart.evidence.file.split(/[\\/]/).pop()}${d.impactStart.evidence.line ? `:${d.impactStart.evidence.line}` : ''}` : d.impactStart ? 'set by you' : ''}</td>
            <td>
              {d.status === 'active' && (
                <button className="link" onClick={() => setEdit({ what: 'impact', value: toLocalInput(d.impactStart?.at ?? d.startedAt), reason: '' })}>
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
                    <button className="link" onClick={() => setEdit({ what: m, value: toLocalInput(e?.at ?? Date.now()), reason: '' })}>
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
        To acknowledge {span(t.timeToAcknowledgeMs)} · to mitigate {span(t.timeToMitigateMs)} · to resolve {span(t.timeToResolveMs)} · impact {span(t.impactDurationMs)}
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
            <input type="datetime-local" step={1} aria-label="Time" value={edit.value} onChange={(e) => setEdit({ ...edit, value: e.target.value })} />
          </label>
          <input aria-label="Reason" placeholder="Why (needed to correct a time)" value={edit.reason} onChange={(e) => setEdit({ ...edit, reason: e.target.value })} />
          <button type="submit">Save</button>
          <button type="button" className="ghost" onClick={() => setEdit(null)}>
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}

/** The handbook's emergency contacts, one per role, kept in ops.db. */
function Contacts({ onError }: { onError: (err: unknown) => void }) {
  const [list, setList] = useState<Contact[] | null>(null);
  const [saved, setSaved] = useState(false);
  // The parent's error handler changes every render; the list is read once.
  const onErrorRef = useRef(onError);
  onErrorRef.current = onError;
  useEffect(() => {
    void api.invoke('walkthrough:contacts', {}).then(setList, (err: unknown) => onErrorRef.current(err));
  }, []);
  if (!list) return null;
  const get = (role: Contact['role']) => list.find((c) => c.role === role) ?? { role, name: '', reach: '' };
  const put = (c: Contact) => {
    setSaved(false);
    setList([...list.filter((x) => x.role !== c.role), c]);
  };
  return (
    <details className="contacts" data-testid="contacts">
      <summary>Emergency contacts</summary>
      <form
        onSubmit={(e) => {
          e.preventDefault();
          api.invoke('walkthrough:contacts', { set: CONTACT_ROLES.map(get) }).then((l) => {
            setList(l);
            setSaved(true);
          }, onError);
        }}
      >
        {CONTACT_ROLES.map((role) => (
          <div className="row" key={role}>
            <span className="role">{CONTACT_ROLE_LABEL[role]}</span>
            <input aria-label={`${CONTACT_ROLE_LABEL[role]} name`} placeholder="Name" value={get(role).name} onChange={(e) => put({ ...get(role), name: e.target.value })} />
            <input aria-label={`${CONTACT_ROLE_LABEL[role]} how to reach`} placeholder="How to reach" value={get(role).reach} onChange={(e) => put({ ...get(role), reach: e.target.value })} />
          </div>
        ))}
        <div className="row">
          <button type="submit">Save contacts</button>
          {saved && <span className="ok">Saved.</span>}
        </div>
      </form>
    </details>
  );
}

function VerifyTable({ e }: { e: Extract<SessionEvent, { type: 'verify' }> }) {
  return (
    <table className="verify" data-testid="verify-table">
      <caption>
        Verify at {new Date(e.at).toLocaleTimeString()}: <strong className={e.green ? 'ok' : 'err'}>{e.green ? 'green' : 'not green'}</strong>
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

function ResolveForm({ d, green, onDone, onError }: { d: SessionDetail; green: boolean; onDone: () => void; onError: (err: unknown) => void }) {
  const [summary, setSummary] = useState('');
  const [factors, setFactors] = useState('');
  const [well, setWell] = useState('');
  const [badly, setBadly] = useState('');
  const [override, setOverride] = useState('');
  const [items, setItems] = useState<ActionItem[]>([{ text: '', owner: '' }]);
  const [problem, setProblem] = useState<string | null>(null);
  const submit = () => {
    const actionItems = items.filter((i) => i.text.trim() || i.owner.trim());
    if (!summary.trim()) return setProblem('Write a summary: what happened and what fixed it.');
    if (actionItems.some((i) => !i.text.trim() || !i.owner.trim())) return setProblem('Each action item needs both what to do and an owner.');
    if (!green && !override.trim()) return setProblem('Verify is not green: write why it is resolved anyway, or run Verify.');
    setProblem(null);
    api
      .invoke('walkthrough:end', {
        id: d.id,
        status: 'resolved',
        summary,
        contributingFactors: lines(factors),
        wentWell: lines(well),
        wentBadly: lines(badly),
        actionItems,
        ...(green ? {} : { override }),
      })
      .then(onDone, onError);
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
        <textarea aria-label="Summary" rows={3} value={summary} onChange={(e) => setSummary(e.target.value)} placeholder="What happened, who was affected, what fixed it" />
      </label>
      <label>
        Contributing factors <span className="dim">(one per line)</span>
        <textarea aria-label="Contributing factors" rows={2} value={factors} onChange={(e) => setFactors(e.target.value)} />
      </label>
      <label>
        What went well <span className="dim">(one per line)</span>
        <textarea aria-label="What went well" rows={2} value={well} onChange={(e) => setWell(e.target.value)} />
      </label>
      <label>
        What did not go well <span className="dim">(one per line)</span>
        <textarea aria-label="What did not go well" rows={2} value={badly} onChange={(e) => setBadly(e.target.value)} />
      </label>
      <fieldset>
        <legend>Action items</legend>
        {items.map((it, i) => (
          <div className="row" key={i}>
            <input aria-label={`Action item ${i + 1}`} placeholder="What to do" value={it.text} onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, text: e.target.value } : x)))} />
            <input aria-label={`Owner ${i + 1}`} placeholder="Owner" className="owner" value={it.owner} onChange={(e) => setItems(items.map((x, j) => (j === i ? { ...x, owner: e.target.value } : x)))} />
          </div>
        ))}
        <button type="button" className="link" onClick={() => setItems([...items, { text: '', owner: '' }])}>
          Add an action item
        </button>
      </fieldset>
      {!green && (
        <label>
          Why resolve without a green verify
          <textarea aria-label="Override reason" rows={2} value={override} onChange={(e) => setOverride(e.target.value)} />
        </label>
      )}
      {problem && (
        <p className="error" role="alert">
          {problem}
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

export default function SessionPanel() {
  const { id: recording } = useCurrentSession();
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  /** The session shown: the recording one unless the operator opened another. Browsing never changes recording. */
  const [viewId, setViewIdState] = useState<string | null | undefined>(keptViewId);
  const setViewId = (id: string | null | undefined) => {
    keptViewId = id;
    setViewIdState(id);
  };
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [ask, setAsk] = useState<{ message: string; confirm: string; run: () => Promise<unknown> } | null>(null);
  const [resolving, setResolving] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [sevEdit, setSevEdit] = useState<{ severity: SeverityId; reason: string } | null>(null);
  const [triage, setTriage] = useState<SweepResult | null>(null);
  const [form, setForm] = useState<{ kind: 'incident' | 'change' | 'runbook'; title: string; severity: SeverityId | ''; fromTriage: boolean; when: string }>({
    kind: 'incident',
    title: '',
    severity: '',
    fromTriage: true,
    // A change is planned for the next maintenance window unless the operator picks another time.
    when: toLocalInput(nextWindow(new Date(), localTimeZone()).start.getTime()),
  });
  const shownId = viewId === undefined ? recording : viewId;
  const now = useNow(detail?.status === 'active');

  const fail = (err: unknown) => {
    const e = err as ApiError;
    setError(`${e.message}${e.detail ? ` — ${e.detail}` : ''}`);
  };

  const refresh = useCallback(async () => {
    try {
      setSessions(await api.invoke('walkthrough:list', {}));
      setDetail(shownId ? await api.invoke('walkthrough:get', { id: shownId }) : null);
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not-found') {
        keptViewId = null;
        setViewIdState(null);
      }
      else fail(err);
    }
  }, [shownId]);

  useEffect(() => {
    void refresh();
    return api.on('walkthrough:changed', () => void refresh());
  }, [refresh]);

  // The latest triage, for "Start from the triage".
  useEffect(() => {
    void api.invoke('probes:latest', {}).then(setTriage, () => setTriage(null));
    return api.on('probes:update', setTriage);
  }, []);

  const record = async (event: Parameters<typeof api.invoke<'walkthrough:record'>>[1]['event']) => {
    if (!detail) return;
    try {
      await api.invoke('walkthrough:record', { id: detail.id, event });
    } catch (err) {
      fail(err);
    }
  };

  /** Runs `action`; when something else records, asks first and names both sessions. */
  const withSwitch = (targetTitle: string, action: (from: string | null) => Promise<unknown>) => {
    const from = recordingId();
    const cur = sessions.find((s) => s.id === from);
    if (from && cur) {
      setAsk({
        message: `“${cur.title}” is recording. Move recording to “${targetTitle}”? “${cur.title}” stays open; its timeline notes the switch.`,
        confirm: 'Move recording',
        run: () => action(from),
      });
    } else void action(null).catch(fail);
  };

  // Requests from the command palette: open a session, start an incident, export the report.
  const titleRef = useRef<HTMLInputElement>(null);
  const [focusTitle, setFocusTitle] = useState(0);
  const onRequest = (r: SessionRequest) => {
    if ('open' in r) return setViewId(r.open);
    if ('startIncident' in r) {
      setViewId(null);
      setForm((f) => ({ ...f, kind: 'incident' }));
      setFocusTitle((n) => n + 1);
      return;
    }
    // The session on screen, else the recording one, else the latest (the list may not be loaded yet).
    const known = detail?.id ?? recording;
    void (known ? Promise.resolve(known) : api.invoke('walkthrough:list', {}).then((l) => l[0]?.id ?? null))
      .then(async (target) => {
        if (!target) return setError('No session to export yet: start an incident or a walk-through first.');
        setViewId(target);
        const rep = await api.invoke('walkthrough:report', { id: target, format: 'markdown' });
        download(rep.fileName, rep.mime, rep.content);
      })
      .catch(fail);
  };
  const requestRef = useRef(onRequest);
  requestRef.current = onRequest;
  useEffect(() => sessionRequests.listen((r) => requestRef.current(r)), []);
  useEffect(() => {
    if (focusTitle > 0) titleRef.current?.focus();
  }, [focusTitle, detail]);

  const changeItems = useMemo(() => CHANGE_CHECKLISTS, []);
  const triageRed = !!triage && triage.triage.severity !== 'SEV-4';

  const askBox = ask && (
    <div className="ask" role="alertdialog" aria-label="Confirm" data-testid="confirm-switch">
      <p>{ask.message}</p>
      <div className="row">
        <button
          onClick={() => {
            const a = ask;
            setAsk(null);
            void a.run().catch(fail);
          }}
        >
          {ask.confirm}
        </button>
        <button className="ghost" onClick={() => setAsk(null)}>
          Cancel
        </button>
      </div>
    </div>
  );

  if (!detail) {
    const useTriage = form.kind === 'incident' && form.fromTriage && triageRed;
    return (
      <div className="session-panel" data-testid="session-panel">
        <h2>Walk-through</h2>
        <form
          className="start"
          onSubmit={(e) => {
            e.preventDefault();
            if (!form.title.trim()) return setError('Give the session a title: what is happening?');
            const title = form.title.trim();
            const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
            if (form.kind === 'change' && submitter?.value === 'schedule') {
              const when = fromLocalInput(form.when);
              if (when === null) return setError('Pick when the change is planned.');
              void api
                .invoke('walkthrough:start', { kind: 'change', title, scheduledFor: when, timeZone: localTimeZone() })
                .then((d) => {
                  setViewId(d.id);
                  setForm({ ...form, title: '' });
                }, fail);
              return;
            }
            withSwitch(title, (from) =>
              api
                .invoke('walkthrough:start', {
                  kind: form.kind,
                  title,
                  ...(useTriage ? { fromTriage: true } : form.severity && form.kind === 'incident' ? { severity: form.severity } : {}),
                  ...(form.kind === 'incident' && useTriage && triage?.triage.suggestions[0] ? { runbookTitle: triage.triage.suggestions[0].runbook } : {}),
                  ...(form.kind === 'change' ? { timeZone: localTimeZone() } : {}),
                  takeRecordingFrom: from,
                })
                .then((d) => {
                  setViewId(d.id);
                  setForm({ ...form, title: '' });
                }),
            );
          }}
        >
          <select aria-label="Kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as typeof form.kind })}>
            <option value="incident">Incident</option>
            <option value="change">Planned change</option>
            <option value="runbook">Runbook walk-through</option>
          </select>
          <input ref={titleRef} aria-label="Title" placeholder="What is happening?" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
          {form.kind === 'incident' && triageRed && (
            <label className="from-triage">
              <input type="checkbox" checked={form.fromTriage} onChange={(e) => setForm({ ...form, fromTriage: e.target.checked })} /> From the triage (
              {triage?.triage.severity})
            </label>
          )}
          {form.kind === 'incident' && !useTriage && (
            <select aria-label="Severity" value={form.severity} onChange={(e) => setForm({ ...form, severity: e.target.value as SeverityId })}>
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
              When <input type="datetime-local" step={60} aria-label="When" value={form.when} onChange={(e) => setForm({ ...form, when: e.target.value })} />
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
        {askBox}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
        <Contacts onError={fail} />
        <h3>Sessions</h3>
        {sessions.length === 0 && <p className="dim">No session recorded yet.</p>}
        <ul className="sessions">
          {sessions.map((s) => (
            <li key={s.id}>
              <button className="link" onClick={() => setViewId(s.id)}>
                {s.title}
              </button>{' '}
              {s.id === recording && <span className="rec-badge">● recording</span>}{' '}
              <span className="dim">
                {s.kind} · {s.status} · {new Date(s.startedAt).toLocaleString()} · {s.eventCount} events
              </span>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  const lastVerify = [...detail.events].reverse().find((e): e is Extract<SessionEvent, { type: 'verify' }> => e.type === 'verify');
  const isRecording = detail.id === recording;
  const esc = escalationAt(new Date(detail.startedAt), new Date(detail.endedAt ?? now));

  return (
    <div className="session-panel" data-testid="session-panel">
      <div className="head">
        <h2>{detail.title}</h2>
        <button className="ghost" onClick={() => setViewId(null)}>
          All sessions
        </button>
      </div>
      <p className="dim">
        {detail.kind === 'incident' ? 'Incident' : detail.kind === 'change' ? 'Planned change' : 'Runbook walk-through'} · {detail.status}
        {detail.runbookTitle ? ` · ${detail.runbookTitle}` : ''} · started {new Date(detail.startedAt).toLocaleString()}
      </p>
      {detail.status === 'active' && detail.scheduledFor !== null && (
        <p className="recording-line" data-testid="scheduled">
          Scheduled for <strong>{new Date(detail.scheduledFor).toLocaleString()}</strong>. It records once it begins.{' '}
          <button onClick={() => withSwitch(detail.title, (from) => api.invoke('walkthrough:begin', { id: detail.id, takeRecordingFrom: from, timeZone: localTimeZone() }))}>Begin now</button>
        </p>
      )}
      {detail.status === 'active' && detail.scheduledFor === null && (
        <p className="recording-line" data-testid="recording-state">
          {isRecording ? (
            <>
              <span className="rec-badge">● Recording</span>{' '}
              <button className="link" onClick={() => setAsk({ message: `Stop recording into “${detail.title}”? Commands you type will no longer be recorded.`, confirm: 'Stop recording', run: () => setRecording(null) })}>
                Stop recording
              </button>
            </>
          ) : (
            <>
              <span className="dim">Not recording.</span>{' '}
              <button className="link" onClick={() => withSwitch(detail.title, () => setRecording(detail.id))}>
                Record into this session
              </button>
            </>
          )}
        </p>
      )}
      {askBox}
      {detail.kind === 'incident' && <Escalation s={detail} now={now} />}
      {detail.kind === 'incident' && detail.status === 'active' && (
        <div className="row wrap">
          <label className="inline">
            Severity{' '}
            <select
              aria-label="Set severity"
              value={sevEdit?.severity ?? detail.severity ?? ''}
              onChange={(e) => setSevEdit({ severity: e.target.value as SeverityId, reason: '' })}
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
          {sevEdit && sevEdit.severity !== detail.severity && (
            <>
              <input aria-label="Why the severity changes" placeholder="Why" value={sevEdit.reason} onChange={(e) => setSevEdit({ ...sevEdit, reason: e.target.value })} />
              <button onClick={() => void record({ type: 'severity', severity: sevEdit.severity, ...(sevEdit.reason.trim() ? { reason: sevEdit.reason } : {}) }).then(() => setSevEdit(null))}>
                Change
              </button>
            </>
          )}
          <span className="spacer" />
          <button onClick={() => void record({ type: 'escalation', level: esc.level, reason: esc.action })} title="Put this escalation on the timeline">
            Record escalation (level {esc.level})
          </button>
        </div>
      )}
      {detail.kind === 'incident' && <Milestones d={detail} now={now} onError={fail} />}
      {detail.kind === 'change' && detail.status === 'active' && <ChangeWindows now={now} />}
      {detail.kind === 'change' &&
        changeItems.map((phase) => (
          <fieldset key={phase.phase} className="checklist">
            <legend>{phase.title}</legend>
            {phase.items.map((item) => (
              <label key={item.id}>
                <input
                  type="checkbox"
                  disabled={detail.status !== 'active'}
                  checked={detail.checks[`change:${item.id}`]?.checked ?? false}
                  onChange={(e) => void record({ type: 'check', itemKey: `change:${item.id}`, label: `${phase.title}: ${item.text}`, checked: e.target.checked })}
                />{' '}
                {item.text}
              </label>
            ))}
          </fieldset>
        ))}

      {detail.status === 'active' && (
        <form
          className="note"
          onSubmit={(e) => {
            e.preventDefault();
            const submitter = (e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null;
            if (!note.trim()) return;
            void record({ type: 'note', text: note.trim(), deviation: submitter?.value === 'deviation', shouldSay: submitter?.value === 'should-say' }).then(() => setNote(''));
          }}
        >
          <textarea aria-label="Note" rows={2} placeholder="What you saw, decided or did differently…" value={note} onChange={(e) => setNote(e.target.value)} />
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
      )}

      {lastVerify && <VerifyTable e={lastVerify} />}
      {resolving && detail.status === 'active' && (
        <ResolveForm
          d={detail}
          green={!!lastVerify?.green}
          onDone={() => {
            // Stay on the resolved session (its report is what comes next), not on "nothing records".
            setViewId(detail.id);
            setResolving(false);
          }}
          onError={fail}
        />
      )}

      {detail.runbookId && <RevisionProposal d={detail} />}

      <h3>Timeline</h3>
      <ol className="timeline" data-testid="timeline">
        {detail.events.map((e) => (
          <li key={e.id} className={e.type} data-type={e.type}>
            <time>{new Date(e.at).toLocaleTimeString()}</time> <Entry e={e} />
          </li>
        ))}
        {detail.events.length === 0 && <li className="dim">Nothing recorded yet. Steps you run, ticks and notes appear here.</li>}
      </ol>

      <div className="row actions">
        <button onClick={() => void api.invoke('walkthrough:report', { id: detail.id, format: 'markdown' }).then((r) => download(r.fileName, r.mime, r.content), fail)}>
          Export report (Markdown)
        </button>
        <button onClick={() => void api.invoke('walkthrough:report', { id: detail.id, format: 'json' }).then((r) => download(r.fileName, r.mime, r.content), fail)}>JSON</button>
        {detail.status === 'active' && (
          <>
            <span className="spacer" />
            {detail.kind === 'incident' && (
              <button
                disabled={verifying}
                onClick={() => {
                  setVerifying(true);
                  void api
                    .invoke('walkthrough:verify', { id: detail.id })
                    .catch(fail)
                    .finally(() => setVerifying(false));
                }}
              >
                {verifying ? 'Verifying…' : 'Verify'}
              </button>
            )}
            <button
              onClick={() =>
                detail.kind === 'incident'
                  ? setResolving(true)
                  : setAsk({ message: `Mark “${detail.title}” as done?`, confirm: 'Done', run: () => api.invoke('walkthrough:end', { id: detail.id, status: 'resolved' }) })
              }
            >
              Resolve
            </button>
            <button className="ghost" onClick={() => setAsk({ message: `Abandon “${detail.title}”? It stays in the list, marked abandoned.`, confirm: 'Abandon', run: () => api.invoke('walkthrough:end', { id: detail.id, status: 'abandoned' }) })}>
              Abandon
            </button>
          </>
        )}
      </div>
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </div>
  );
}
