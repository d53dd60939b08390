// One timeline entry of a session as the panel shows it: steps and commands with their exits,
// ticks, notes, probes, pins, severity and escalation, milestones, verify, backups and overrides.
import type { SessionEvent } from '../../../../shared/contract/walkthroughs-session';
import { EMERGENCY_CHANGE_RULE } from '../../../../shared/handbook';
import { MILESTONE_LABEL } from '../../../../shared/incident-metrics';
import { StepVerdictChip } from '../Runbooks/StepFindings';

/** One timeline entry as the panel shows it. */
export default function TimelineEntry({ e }: { e: SessionEvent }) {
  switch (e.type) {
    case 'step':
      return (
        <>
          <span className={`step-status ${e.status}`}>
            {e.status === 'finished'
              ? 'Ran'
              : e.status === 'running'
                ? 'Running'
                : e.status === 'declined'
                  ? 'Declined'
                  : e.status === 'copied'
                    ? 'Copied'
                    : e.status === 'pasted'
                      ? 'Pasted'
                      : 'Not sent'}
          </span>{' '}
          step <strong>{e.stepId}</strong> <code>{e.command}</code>
          {e.status === 'finished' && (
            <span className={e.exitCode === 0 ? 'ok' : 'err'}> · exit {e.exitCode ?? '?'}</span>
          )}
          {e.verdict && <StepVerdictChip verdict={e.verdict} />}
        </>
      );
    case 'command':
      return (
        <>
          Ad hoc <code>{e.command}</code>{' '}
          <span className={e.exitCode === 0 ? 'ok' : 'err'}>exit {e.exitCode ?? '?'}</span>
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
          <code>{e.command}</code>{' '}
          <span className={e.exitCode === 0 ? 'ok' : 'err'}>exit {e.exitCode ?? '?'}</span>
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
          {e.deviation ? (
            <strong>Deviation: </strong>
          ) : e.shouldSay ? (
            <strong>The runbook should say: </strong>
          ) : null}
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
          Impact start {e.source === 'logs' ? 'proposed from the logs' : 'set'}:{' '}
          {new Date(e.time).toLocaleTimeString()}
          {e.evidence
            ? ` · ${e.evidence.file.split(/[\\/]/).pop()}${e.evidence.line ? `:${e.evidence.line}` : ''}`
            : ''}
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
          Scheduled for <strong>{new Date(e.time).toLocaleString()}</strong> (
          {e.window ? `${e.window} window` : 'outside the maintenance windows'})
        </>
      );
    case 'change-began':
      return e.inWindow ? (
        <>Began inside the {e.window} maintenance window</>
      ) : (
        <span className="warn">
          Began outside the maintenance windows (next: {e.nextWindow}). {EMERGENCY_CHANGE_RULE}.
        </span>
      );
    case 'recording':
      return (
        <span className="dim">{e.recording ? 'Recording resumed' : `Recording stopped: ${e.reason}`}</span>
      );
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
          Overrode {e.unmet.map((u) => u.label.toLowerCase()).join(', ')} for step <strong>{e.stepId}</strong>
          : “{e.reason}”
        </span>
      );
  }
}
