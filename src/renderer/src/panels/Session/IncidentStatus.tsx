// An incident's escalation clock (level, what to do, whom to reach now, the severity's response
// time) and a change's maintenance-window line, both from the handbook.
import { CONTACT_ROLE_LABEL, type SessionDetail } from '../../../../shared/contract/walkthroughs-session';
import {
  EMERGENCY_CHANGE_RULE,
  SEVERITY_LEVELS,
  escalationAt,
  isInWindow,
  localTimeZone,
  nextWindow,
} from '../../../../shared/handbook';
import { mmss } from './session-forms';

export function Escalation({ s, now }: { s: SessionDetail; now: number }) {
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
            <span className="dim">
              No emergency contacts are set: add them under Emergency contacts in the session list.
            </span>
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

export function ChangeWindows({ now }: { now: number }) {
  const tz = localTimeZone();
  const inWin = isInWindow(new Date(now), tz);
  const next = nextWindow(new Date(now), tz);
  return (
    <div className="windows" data-testid="maintenance-window">
      {inWin.inWindow && inWin.window ? (
        <p className="ok">
          Now is inside the {inWin.window.label} maintenance window (until{' '}
          {new Date(inWin.window.end).toLocaleTimeString()}).
        </p>
      ) : (
        <p className="warn">
          Outside the maintenance windows. Next: {next.label}, {new Date(next.start).toLocaleString()} ({tz}).{' '}
          {EMERGENCY_CHANGE_RULE}.
        </p>
      )}
    </div>
  );
}
