// What the session panel shows and asks: each kind's name, the newest verify on the timeline
// (not the first), and the questions before recording stops or a session is done or abandoned.
import { describe, expect, it } from 'vitest';
import type { SessionEvent } from '../../../../shared/contract/walkthroughs-session';
import { endQuestion, kindLabel, lastVerify, stopRecordingQuestion } from './session-view';

const at = { at: 0, sessionId: 's' };
const verify = (id: number, green: boolean): SessionEvent => ({ id, ...at, type: 'verify', green, rows: [] });
const note = (id: number): SessionEvent => ({
  id,
  ...at,
  type: 'note',
  text: 'n',
  deviation: false,
});

describe('kindLabel', () => {
  it('names each kind of session', () => {
    expect((['incident', 'change', 'runbook'] as const).map(kindLabel)).toEqual([
      'Incident',
      'Planned change',
      'Runbook walk-through',
    ]);
  });
});

describe('lastVerify', () => {
  it('is the newest verify, whatever came after it, and none before the first', () => {
    expect(lastVerify([verify(1, false), note(2), verify(3, true), note(4)])).toMatchObject({
      id: 3,
      green: true,
    });
    expect(lastVerify([note(1)])).toBeUndefined();
    expect(lastVerify([])).toBeUndefined();
  });

  it('leaves the timeline in its order', () => {
    const events = [verify(1, true), note(2)];
    lastVerify(events);
    expect(events.map((e) => e.id)).toEqual([1, 2]);
  });
});

describe('questions', () => {
  it('names the session and says what stopping recording means', () => {
    expect(stopRecordingQuestion('API down')).toEqual({
      message: 'Stop recording into “API down”? Commands you type will no longer be recorded.',
      confirm: 'Stop recording',
    });
  });

  it('asks before marking done, and says an abandoned session stays listed', () => {
    expect(endQuestion('Upgrade', 'resolved')).toEqual({
      message: 'Mark “Upgrade” as done?',
      confirm: 'Done',
    });
    expect(endQuestion('Upgrade', 'abandoned')).toEqual({
      message: 'Abandon “Upgrade”? It stays in the list, marked abandoned.',
      confirm: 'Abandon',
    });
  });
});
