// The walk-through session: start an incident (from the triage, carrying its severity), a change or
// a runbook walk; which session records is explicit and switching asks; milestones and times to
// acknowledge/mitigate/resolve; verify's before/after; resolve with a summary, contributing factors
// and action items; the timeline; export the post-mortem draft. Everything lives in ops.db.
// The forms' state and checks are session-forms' (unit-tested); the parts are components here.
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type {
  SessionDetail,
  SessionEvent,
  SessionSummary,
  SeverityId,
} from '../../../../shared/contract/walkthroughs-session';
import type { SweepResult } from '../../../../shared/contract/probes';
import {
  CHANGE_CHECKLISTS,
  SEVERITY_LEVELS,
  escalationAt,
  localTimeZone,
  nextWindow,
} from '../../../../shared/handbook';
import { recordingId, setRecording, useCurrentSession } from '../../state/session-store';
import { sessionRequests, type SessionRequest } from '../../state/ui-bus';
import { api, ApiError } from '../../transport';
import Contacts from './Contacts';
import { ChangeWindows, Escalation } from './IncidentStatus';
import Milestones from './Milestones';
import ResolveForm, { VerifyTable } from './ResolveForm';
import RevisionProposal from './RevisionProposal';
import StartForm from './StartForm';
import TimelineEntry from './TimelineEntry';
import { switchQuestion, toLocalInput, type StartDraft } from './session-forms';
import './session.css';

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

/** Saves `content` as a file through the browser's download (the report export). */
function download(fileName: string, mime: string, content: string) {
  const url = URL.createObjectURL(new Blob([content], { type: mime }));
  const a = document.createElement('a');
  a.href = url;
  a.download = fileName;
  a.click();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
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
  const [ask, setAsk] = useState<{ message: string; confirm: string; run: () => Promise<unknown> } | null>(
    null,
  );
  const [resolving, setResolving] = useState(false);
  const [verifying, setVerifying] = useState(false);
  const [sevEdit, setSevEdit] = useState<{ severity: SeverityId; reason: string } | null>(null);
  const [triage, setTriage] = useState<SweepResult | null>(null);
  const [form, setForm] = useState<StartDraft>({
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
      } else fail(err);
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
    const message = switchQuestion(from, sessions, targetTitle);
    if (message) setAsk({ message, confirm: 'Move recording', run: () => action(from) });
    else void action(null).catch(fail);
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
    return (
      <div className="session-panel" data-testid="session-panel">
        <h2>Walk-through</h2>
        <StartForm
          form={form}
          setForm={setForm}
          triage={triage?.triage ?? null}
          titleRef={titleRef}
          onError={setError}
          onPlan={(plan) => {
            const done = (d: SessionDetail) => {
              setViewId(d.id);
              setForm({ ...form, title: '' });
            };
            if ('schedule' in plan)
              return void api.invoke('walkthrough:start', plan.schedule).then(done, fail);
            withSwitch(plan.start.title, (from) =>
              api.invoke('walkthrough:start', { ...plan.start, takeRecordingFrom: from }).then(done),
            );
          }}
        />
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

  const lastVerify = [...detail.events]
    .reverse()
    .find((e): e is Extract<SessionEvent, { type: 'verify' }> => e.type === 'verify');
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
        {detail.kind === 'incident'
          ? 'Incident'
          : detail.kind === 'change'
            ? 'Planned change'
            : 'Runbook walk-through'}{' '}
        · {detail.status}
        {detail.runbookTitle ? ` · ${detail.runbookTitle}` : ''} · started{' '}
        {new Date(detail.startedAt).toLocaleString()}
      </p>
      {detail.status === 'active' && detail.scheduledFor !== null && (
        <p className="recording-line" data-testid="scheduled">
          Scheduled for <strong>{new Date(detail.scheduledFor).toLocaleString()}</strong>. It records once it
          begins.{' '}
          <button
            onClick={() =>
              withSwitch(detail.title, (from) =>
                api.invoke('walkthrough:begin', {
                  id: detail.id,
                  takeRecordingFrom: from,
                  timeZone: localTimeZone(),
                }),
              )
            }
          >
            Begin now
          </button>
        </p>
      )}
      {detail.status === 'active' && detail.scheduledFor === null && (
        <p className="recording-line" data-testid="recording-state">
          {isRecording ? (
            <>
              <span className="rec-badge">● Recording</span>{' '}
              <button
                className="link"
                onClick={() =>
                  setAsk({
                    message: `Stop recording into “${detail.title}”? Commands you type will no longer be recorded.`,
                    confirm: 'Stop recording',
                    run: () => setRecording(null),
                  })
                }
              >
                Stop recording
              </button>
            </>
          ) : (
            <>
              <span className="dim">Not recording.</span>{' '}
              <button
                className="link"
                onClick={() => withSwitch(detail.title, () => setRecording(detail.id))}
              >
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
              <input
                aria-label="Why the severity changes"
                placeholder="Why"
                value={sevEdit.reason}
                onChange={(e) => setSevEdit({ ...sevEdit, reason: e.target.value })}
              />
              <button
                onClick={() =>
                  void record({
                    type: 'severity',
                    severity: sevEdit.severity,
                    ...(sevEdit.reason.trim() ? { reason: sevEdit.reason } : {}),
                  }).then(() => setSevEdit(null))
                }
              >
                Change
              </button>
            </>
          )}
          <span className="spacer" />
          <button
            onClick={() => void record({ type: 'escalation', level: esc.level, reason: esc.action })}
            title="Put this escalation on the timeline"
          >
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
                  onChange={(e) =>
                    void record({
                      type: 'check',
                      itemKey: `change:${item.id}`,
                      label: `${phase.title}: ${item.text}`,
                      checked: e.target.checked,
                    })
                  }
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
            void record({
              type: 'note',
              text: note.trim(),
              deviation: submitter?.value === 'deviation',
              shouldSay: submitter?.value === 'should-say',
            }).then(() => setNote(''));
          }}
        >
          <textarea
            aria-label="Note"
            rows={2}
            placeholder="What you saw, decided or did differently…"
            value={note}
            onChange={(e) => setNote(e.target.value)}
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
            <time>{new Date(e.at).toLocaleTimeString()}</time> <TimelineEntry e={e} />
          </li>
        ))}
        {detail.events.length === 0 && (
          <li className="dim">Nothing recorded yet. Steps you run, ticks and notes appear here.</li>
        )}
      </ol>

      <div className="row actions">
        <button
          onClick={() =>
            void api
              .invoke('walkthrough:report', { id: detail.id, format: 'markdown' })
              .then((r) => download(r.fileName, r.mime, r.content), fail)
          }
        >
          Export report (Markdown)
        </button>
        <button
          onClick={() =>
            void api
              .invoke('walkthrough:report', { id: detail.id, format: 'json' })
              .then((r) => download(r.fileName, r.mime, r.content), fail)
          }
        >
          JSON
        </button>
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
                  : setAsk({
                      message: `Mark “${detail.title}” as done?`,
                      confirm: 'Done',
                      run: () => api.invoke('walkthrough:end', { id: detail.id, status: 'resolved' }),
                    })
              }
            >
              Resolve
            </button>
            <button
              className="ghost"
              onClick={() =>
                setAsk({
                  message: `Abandon “${detail.title}”? It stays in the list, marked abandoned.`,
                  confirm: 'Abandon',
                  run: () => api.invoke('walkthrough:end', { id: detail.id, status: 'abandoned' }),
                })
              }
            >
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
