// The walk-through session: start an incident, a change or a runbook walk; the live escalation
// clock and the severity's response time; notes and deviations; the handbook's change checklists
// and maintenance windows for a change; the timeline; export the report. Everything is written to
// ops.db as it happens, so a reload or restart resumes where the operator was.
import { useCallback, useEffect, useMemo, useState } from 'react';
import type { SessionDetail, SessionSummary, SeverityId } from '../../../../shared/contract/walkthroughs';
import {
  CHANGE_CHECKLISTS,
  EMERGENCY_CHANGE_RULE,
  SEVERITY_LEVELS,
  escalationAt,
  isInWindow,
  localTimeZone,
  nextWindow,
} from '../../../../shared/handbook';
import { setCurrentSession, useCurrentSession } from '../../state/session-store';
import { api, ApiError } from '../../transport';
import './session.css';

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

export default function SessionPanel() {
  const { id: current } = useCurrentSession();
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [note, setNote] = useState('');
  const [form, setForm] = useState<{ kind: 'incident' | 'change' | 'runbook'; title: string; severity: SeverityId | '' }>({
    kind: 'incident',
    title: '',
    severity: '',
  });
  const now = useNow(detail?.status === 'active');

  const fail = (err: unknown) => {
    const e = err as ApiError;
    setError(`${e.message}${e.detail ? ` — ${e.detail}` : ''}`);
  };

  const refresh = useCallback(async () => {
    try {
      setSessions(await api.invoke('walkthrough:list', {}));
      if (current) setDetail(await api.invoke('walkthrough:get', { id: current }));
      else setDetail(null);
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not-found') void setCurrentSession(null).catch(fail);
      else fail(err);
    }
  }, [current]);

  useEffect(() => {
    void refresh();
    return api.on('walkthrough:changed', () => void refresh());
  }, [refresh]);

  const record = async (event: Parameters<typeof api.invoke<'walkthrough:record'>>[1]['event']) => {
    if (!detail) return;
    try {
      await api.invoke('walkthrough:record', { id: detail.id, event });
    } catch (err) {
      fail(err);
    }
  };

  const changeItems = useMemo(() => CHANGE_CHECKLISTS, []);

  if (!detail) {
    return (
      <div className="session-panel" data-testid="session-panel">
        <h2>Walk-through</h2>
        <form
          className="start"
          onSubmit={(e) => {
            e.preventDefault();
            if (!form.title.trim()) return;
            api
              .invoke('walkthrough:start', {
                kind: form.kind,
                title: form.title.trim(),
                ...(form.severity ? { severity: form.severity } : {}),
              })
              .then((d) => setCurrentSession(d.id), fail);
          }}
        >
          <select aria-label="Kind" value={form.kind} onChange={(e) => setForm({ ...form, kind: e.target.value as typeof form.kind })}>
            <option value="incident">Incident</option>
            <option value="change">Planned change</option>
            <option value="runbook">Runbook walk-through</option>
          </select>
          <input aria-label="Title" placeholder="What is happening?" value={form.title} onChange={(e) => setForm({ ...form, title: e.target.value })} />
          {form.kind === 'incident' && (
            <select aria-label="Severity" value={form.severity} onChange={(e) => setForm({ ...form, severity: e.target.value as SeverityId })}>
              <option value="">Severity…</option>
              {SEVERITY_LEVELS.map((l) => (
                <option key={l.id} value={l.id}>
                  {l.id} {l.name}
                </option>
              ))}
            </select>
          )}
          <button type="submit">Start</button>
        </form>
        {error && <p className="error" role="alert">{error}</p>}
        <h3>Sessions</h3>
        {sessions.length === 0 && <p className="dim">No session recorded yet.</p>}
        <ul className="sessions">
          {sessions.map((s) => (
            <li key={s.id}>
              <button className="link" onClick={() => void (s.status === 'active' ? setCurrentSession(s.id).catch(fail) : api.invoke('walkthrough:get', { id: s.id }).then(setDetail, fail))}>
                {s.title}
              </button>{' '}
              <span className="dim">
                {s.kind} · {s.status} · {new Date(s.startedAt).toLocaleString()} · {s.eventCount} events
              </span>
            </li>
          ))}
        </ul>
      </div>
    );
  }

  return (
    <div className="session-panel" data-testid="session-panel">
      <div className="head">
        <h2>{detail.title}</h2>
        <button
          className="ghost"
          onClick={() => {
            setDetail(null);
            void setCurrentSession(null).catch(fail);
          }}
        >
          All sessions
        </button>
      </div>
      <p className="dim">
        {detail.kind === 'incident' ? 'Incident' : detail.kind === 'change' ? 'Planned change' : 'Runbook walk-through'} · {detail.status}
        {detail.runbookTitle ? ` · ${detail.runbookTitle}` : ''} · started {new Date(detail.startedAt).toLocaleString()}
      </p>
      {detail.kind === 'incident' && <Escalation s={detail} now={now} />}
      {detail.kind === 'incident' && detail.status === 'active' && (
        <label className="inline">
          Severity{' '}
          <select
            aria-label="Set severity"
            value={detail.severity ?? ''}
            onChange={(e) => void record({ type: 'severity', severity: e.target.value as SeverityId })}
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
      )}
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
            void record({ type: 'note', text: note.trim(), deviation: submitter?.value === 'deviation' }).then(() => setNote(''));
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
          </div>
        </form>
      )}

      <h3>Timeline</h3>
      <ol className="timeline" data-testid="timeline">
        {detail.events.map((e) => (
          <li key={e.id} className={e.type}>
            <time>{new Date(e.at).toLocaleTimeString()}</time>{' '}
            {e.type === 'step-run' && <>Ran step <code>{e.command}</code></>}
            {e.type === 'command-finished' && (
              <>
                <code>{e.command}</code>{' '}
                <span className={e.exitCode === 0 ? 'ok' : 'err'}>exit {e.exitCode ?? '?'}</span>
                {e.check && <span className={e.check.status === 'pass' ? 'ok' : 'err'}> · check {e.check.status}</span>}
              </>
            )}
            {e.type === 'check' && <>{e.checked ? '☑' : '☐'} {e.label}</>}
            {e.type === 'note' && <>{e.deviation ? <strong>Deviation: </strong> : null}{e.text}</>}
            {e.type === 'probe-snapshot' && <>Probe {e.title}: {e.state}</>}
            {e.type === 'log-pin' && <>Pinned log [{e.level}] {e.text.slice(0, 160)}</>}
            {e.type === 'severity' && <>Severity → {e.severity}</>}
          </li>
        ))}
        {detail.events.length === 0 && <li className="dim">Nothing recorded yet. Steps you run, ticks and notes appear here.</li>}
      </ol>

      <div className="row actions">
        <button
          onClick={() =>
            void api.invoke('walkthrough:report', { id: detail.id, format: 'markdown' }).then((r) => download(r.fileName, r.mime, r.content), fail)
          }
        >
          Export report (Markdown)
        </button>
        <button onClick={() => void api.invoke('walkthrough:report', { id: detail.id, format: 'json' }).then((r) => download(r.fileName, r.mime, r.content), fail)}>
          JSON
        </button>
        {detail.status === 'active' && (
          <>
            <span className="spacer" />
            <button onClick={() => void api.invoke('walkthrough:end', { id: detail.id, status: 'resolved' }).catch(fail)}>Resolve</button>
            <button className="ghost" onClick={() => void api.invoke('walkthrough:end', { id: detail.id, status: 'abandoned' }).catch(fail)}>
              Abandon
            </button>
          </>
        )}
      </div>
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}
