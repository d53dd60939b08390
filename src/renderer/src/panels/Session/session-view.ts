// What the session panel shows and asks, as pure functions: a session kind's name, the latest
// verify on its timeline, and the questions asked before recording stops or a session ends.
import type { SessionEvent, SessionKind } from '../../../../shared/contract/walkthroughs-session';

export function kindLabel(kind: SessionKind): string {
  return kind === 'incident' ? 'Incident' : kind === 'change' ? 'Planned change' : 'Runbook walk-through';
}

export type VerifyEvent = Extract<SessionEvent, { type: 'verify' }>;

/** The newest verify on the timeline (its before/after table is shown, its colour gates resolving). */
export function lastVerify(events: readonly SessionEvent[]): VerifyEvent | undefined {
  return [...events].reverse().find((e): e is VerifyEvent => e.type === 'verify');
}

/** A question and the word on its confirming button. */
export interface Question {
  message: string;
  confirm: string;
}

export function stopRecordingQuestion(title: string): Question {
  return {
    message: `Stop recording into “${title}”? Commands you type will no longer be recorded.`,
    confirm: 'Stop recording',
  };
}

/** Before a change or a walk-through is marked done, or any session is abandoned. */
export function endQuestion(title: string, status: 'resolved' | 'abandoned'): Question {
  return status === 'resolved'
    ? { message: `Mark “${title}” as done?`, confirm: 'Done' }
    : { message: `Abandon “${title}”? It stays in the list, marked abandoned.`, confirm: 'Abandon' };
}
