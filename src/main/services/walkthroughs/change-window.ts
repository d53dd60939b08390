// Changes and the handbook's change windows: the time zone a change is planned in, and the
// timeline entries that say whether it was scheduled in, or began in, a window.
import type { SessionEventData } from '../../../shared/contract/walkthroughs-session';
import { OpsError } from '../../../shared/errors';
import { isInWindow, localTimeZone, nextWindow } from '../../../shared/handbook';

/** A valid IANA zone (the operator's), or this machine's. */
export function zoneOf(timeZone: string | undefined): string {
  if (!timeZone) return localTimeZone();
  try {
    new Intl.DateTimeFormat('en-US', { timeZone });
  } catch {
    throw new OpsError(
      'bad-request',
      `"${timeZone}" is not a time zone`,
      'Use an IANA name such as Europe/Berlin.',
    );
  }
  return timeZone;
}

/** A change scheduled for `time`: the window it falls in, if any. */
export function scheduledEntry(time: number, tz: string): SessionEventData {
  const w = isInWindow(new Date(time), tz);
  return { type: 'scheduled', time, window: w.inWindow && w.window ? w.window.label : null, timeZone: tz };
}

/** A change begins at `at`: in which window, or when the next one opens. */
export function changeBeganEntry(at: number, tz: string, scheduledFor: number | null): SessionEventData {
  const w = isInWindow(new Date(at), tz);
  const next = nextWindow(new Date(at), tz);
  return {
    type: 'change-began',
    inWindow: w.inWindow,
    window: w.window?.label ?? null,
    windowEnd: w.inWindow && w.window ? w.window.end.getTime() : null,
    nextWindow: w.inWindow ? null : next.label,
    nextWindowStart: w.inWindow ? null : next.start.getTime(),
    timeZone: tz,
    scheduledFor,
  };
}
