// The walk-through session: start an incident (from the triage, carrying its severity), a change or
// a runbook walk; which session records is explicit and switching asks; milestones and times to
// acknowledge/mitigate/resolve; verify's before/after; resolve with a summary, contributing factors
// and action items; the timeline; export the post-mortem draft. Everything lives in ops.db.
// The state and actions are useSessionPanel's, the forms' state and checks session-forms' (both
// unit-tested where pure); the parts are components here.
import { localTimeZone } from '../../../../shared/handbook';
import { setRecording } from '../../state/session-store';
import { api } from '../../transport';
import ChangeChecklist from './ChangeChecklist';
import Contacts from './Contacts';
import { ChangeWindows, Escalation } from './IncidentStatus';
import Milestones from './Milestones';
import NoteForm from './NoteForm';
import ResolveForm, { VerifyTable } from './ResolveForm';
import RevisionProposal from './RevisionProposal';
import SessionActions from './SessionActions';
import SeverityRow from './SeverityRow';
import StartForm from './StartForm';
import TimelineEntry from './TimelineEntry';
import { kindLabel, lastVerify, stopRecordingQuestion } from './session-view';
import { useSessionPanel, type Ask } from './use-session-panel';
import './session.css';

function AskBox({ ask, onConfirm, onCancel }: { ask: Ask; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="ask" role="alertdialog" aria-label="Confirm" data-testid="confirm-switch">
      <p>{ask.message}</p>
      <div className="row">
        <button onClick={onConfirm}>{ask.confirm}</button>
        <button className="ghost" onClick={onCancel}>
          Cancel
        </button>
      </div>
    </div>
  );
}

export default function SessionPanel() {
  const s = useSessionPanel();
  const { detail, recording, error, fail, setViewId, setAsk, withSwitch, now } = s;

  const askBox = s.ask && <AskBox ask={s.ask} onConfirm={s.confirmAsk} onCancel={() => setAsk(null)} />;
  const errorLine = error && (
    <p className="error" role="alert">
      {error}
    </p>
  );

  if (!detail) {
    return (
      <div className="session-panel" data-testid="session-panel">
        <h2>Walk-through</h2>
        <StartForm
          form={s.form}
          setForm={s.setForm}
          triage={s.triage?.triage ?? null}
          titleRef={s.titleRef}
          onError={s.setError}
          onPlan={s.start}
        />
        {askBox}
        {errorLine}
        <Contacts onError={fail} />
        <h3>Sessions</h3>
        {s.sessions.length === 0 && <p className="dim">No session recorded yet.</p>}
        <ul className="sessions">
          {s.sessions.map((x) => (
            <li key={x.id}>
              <button className="link" onClick={() => setViewId(x.id)}>
                {x.title}
              </button>{' '}
              {x.id === recording && <span className="rec-badge">● recording</span>}{' '}
              <span className="dim">
                {x.kind} · {x.status} · {new Date(x.startedAt).toLocaleString()} · {x.eventCount} events
              </span>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  const verified = lastVerify(detail.events);
  const isRecording = detail.id === recording;
  const active = detail.status === 'active';

  return (
    <div className="session-panel" data-testid="session-panel">
      <div className="head">
        <h2>{detail.title}</h2>
        <button className="ghost" onClick={() => setViewId(null)}>
          All sessions
        </button>
      </div>
      <p className="dim">
        {kindLabel(detail.kind)} · {detail.status}
        {detail.runbookTitle ? ` · ${detail.runbookTitle}` : ''} · started{' '}
        {new Date(detail.startedAt).toLocaleString()}
      </p>
      {active && detail.scheduledFor !== null && (
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
      {active && detail.scheduledFor === null && (
        <p className="recording-line" data-testid="recording-state">
          {isRecording ? (
            <>
              <span className="rec-badge">● Recording</span>{' '}
              <button
                className="link"
                onClick={() =>
                  setAsk({ ...stopRecordingQuestion(detail.title), run: () => setRecording(null) })
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
      {detail.kind === 'incident' && active && (
        <SeverityRow
          d={detail}
          now={now}
          edit={s.sevEdit}
          setEdit={s.setSevEdit}
          onChange={s.changeSeverity}
          record={s.record}
        />
      )}
      {detail.kind === 'incident' && <Milestones d={detail} now={now} onError={fail} />}
      {detail.kind === 'change' && active && <ChangeWindows now={now} />}
      {detail.kind === 'change' && <ChangeChecklist d={detail} record={s.record} />}

      {active && <NoteForm note={s.note} setNote={s.setNote} onAdd={s.addNote} />}

      {verified && <VerifyTable e={verified} />}
      {s.resolving && active && (
        <ResolveForm
          d={detail}
          green={!!verified?.green}
          onDone={() => {
            // Stay on the resolved session (its report is what comes next), not on "nothing records".
            setViewId(detail.id);
            s.setResolving(false);
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

      <SessionActions
        d={detail}
        verifying={s.verifying}
        onVerify={() => s.verify(detail.id)}
        onResolve={() => s.setResolving(true)}
        onExport={(format) => s.exportReport(detail.id, format)}
        setAsk={setAsk}
      />
      {errorLine}
    </div>
  );
}
