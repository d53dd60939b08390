// The session panel's forms as pure state: what the start form asks for (or why not), the
// resolve form's reducer and its checks, the events the note, severity and checklist controls
// record, the question before recording moves, and the times.
import { describe, expect, it } from 'vitest';
import { nextWindow } from '../../../../shared/handbook';
import {
  EMPTY_RESOLVE,
  changeCheckEvent,
  fromLocalInput,
  initialStartDraft,
  lines,
  mmss,
  noteEvent,
  resolveReducer,
  resolveRequest,
  severityEvent,
  startPlan,
  submitterValue,
  switchQuestion,
  toLocalInput,
  triageIsRed,
  type ResolveAction,
  type ResolveDraft,
  type StartDraft,
} from './session-forms';

const TZ = 'Europe/Berlin';
const draft = (over: Partial<StartDraft> = {}): StartDraft => ({
  kind: 'incident',
  title: 'API down',
  severity: '',
  fromTriage: true,
  when: '2026-12-07T22:00:00',
  ...over,
});
const RED = {
  severity: 'SEV-2',
  suggestions: [{ runbook: 'High Error Rate' }, { runbook: 'API Not Responding' }],
};
const GREEN = { severity: 'SEV-4', suggestions: [] };

describe('startPlan', () => {
  it('refuses a title of only spaces, and trims the one it sends', () => {
    expect(startPlan(draft({ title: '  \t ' }), null, 'start', TZ)).toEqual({
      error: 'Give the session a title: what is happening?',
    });
    expect(startPlan(draft({ title: '  API down \n' }), null, 'start', TZ)).toEqual({
      start: { kind: 'incident', title: 'API down' },
    });
  });

  it('takes the severity and first runbook from a red triage when asked to', () => {
    expect(startPlan(draft({ severity: 'SEV-3' }), RED, 'start', TZ)).toEqual({
      start: { kind: 'incident', title: 'API down', fromTriage: true, runbookTitle: 'High Error Rate' },
    });
  });

  it('uses the picked severity when the triage is green, or the operator unticked it', () => {
    expect(triageIsRed(GREEN)).toBe(false);
    expect(startPlan(draft({ severity: 'SEV-3' }), GREEN, 'start', TZ)).toEqual({
      start: { kind: 'incident', title: 'API down', severity: 'SEV-3' },
    });
    expect(startPlan(draft({ severity: 'SEV-1', fromTriage: false }), RED, 'start', TZ)).toEqual({
      start: { kind: 'incident', title: 'API down', severity: 'SEV-1' },
    });
  });

  it('sends a red triage without suggestions as fromTriage alone', () => {
    expect(startPlan(draft(), { severity: 'SEV-1', suggestions: [] }, 'start', TZ)).toEqual({
      start: { kind: 'incident', title: 'API down', fromTriage: true },
    });
  });

  it('never sends a severity or the triage for a change or a walk-through', () => {
    expect(startPlan(draft({ kind: 'change', severity: 'SEV-1' }), RED, 'start', TZ)).toEqual({
      start: { kind: 'change', title: 'API down', timeZone: TZ },
    });
    expect(startPlan(draft({ kind: 'runbook', severity: 'SEV-1' }), RED, undefined, TZ)).toEqual({
      start: { kind: 'runbook', title: 'API down' },
    });
  });

  it('schedules a change for the picked time, and refuses a time that is not one', () => {
    const plan = startPlan(draft({ kind: 'change', when: '2026-12-07T22:00' }), null, 'schedule', TZ);
    expect(plan).toEqual({
      schedule: {
        kind: 'change',
        title: 'API down',
        scheduledFor: new Date('2026-12-07T22:00').getTime(),
        timeZone: TZ,
      },
    });
    for (const when of ['', 'tomorrow', '2026-13-45T99:00']) {
      expect(startPlan(draft({ kind: 'change', when }), null, 'schedule', TZ)).toEqual({
        error: 'Pick when the change is planned.',
      });
    }
  });

  it('starts an incident now even when a hostile submitter says schedule', () => {
    expect(startPlan(draft({ when: 'x' }), null, 'schedule', TZ)).toEqual({
      start: { kind: 'incident', title: 'API down' },
    });
  });
});

describe('initialStartDraft', () => {
  it('is an untitled incident from the triage, a change in it planned for the next maintenance window', () => {
    const now = new Date('2026-12-07T10:00:00Z');
    const d = initialStartDraft(now, TZ);
    expect({ ...d, when: '' }).toEqual({
      kind: 'incident',
      title: '',
      severity: '',
      fromTriage: true,
      when: '',
    });
    expect(fromLocalInput(d.when)).toBe(nextWindow(now, TZ).start.getTime());
  });
});

describe('submitterValue', () => {
  it('is the value of the button that submitted the form, and none when no button did', () => {
    expect(submitterValue({ nativeEvent: { submitter: { value: 'schedule' } } as unknown as Event })).toBe(
      'schedule',
    );
    expect(submitterValue({ nativeEvent: { submitter: null } as unknown as Event })).toBeUndefined();
  });
});

describe('events recorded by hand', () => {
  it('records a note trimmed, as a deviation or for the runbook by the button pressed, and no blank one', () => {
    expect(noteEvent('  saw 5xx \n', 'note')).toEqual({
      type: 'note',
      text: 'saw 5xx',
      deviation: false,
      shouldSay: false,
    });
    expect(noteEvent('skipped step 3', 'deviation')).toMatchObject({ deviation: true, shouldSay: false });
    expect(noteEvent('check the disk first', 'should-say')).toMatchObject({
      deviation: false,
      shouldSay: true,
    });
    expect(noteEvent('pressed Enter', undefined)).toMatchObject({ deviation: false, shouldSay: false });
    expect(noteEvent(' \n\t', 'note')).toBeNull();
  });

  it('sends a severity change with its reason only when one was written', () => {
    expect(severityEvent('SEV-1', 'customers see errors')).toEqual({
      type: 'severity',
      severity: 'SEV-1',
      reason: 'customers see errors',
    });
    expect(severityEvent('SEV-3', '   ')).toEqual({ type: 'severity', severity: 'SEV-3' });
  });

  it('keys a change checklist tick by its item and labels it with its phase', () => {
    expect(changeCheckEvent('Pre-Change', { id: 'backup', text: 'Back up aura.db' }, true)).toEqual({
      type: 'check',
      itemKey: 'change:backup',
      label: 'Pre-Change: Back up aura.db',
      checked: true,
    });
  });
});

describe('switchQuestion', () => {
  const sessions = [
    { id: 's1', title: 'Disk full' },
    { id: 's2', title: 'Upgrade' },
  ];

  it('asks, naming both sessions, when another session records', () => {
    const q = switchQuestion('s1', sessions, 'API down');
    expect(q).toContain('“Disk full” is recording');
    expect(q).toContain('Move recording to “API down”');
  });

  it('does not ask when nothing records, or the recording one is not in the list', () => {
    expect(switchQuestion(null, sessions, 'API down')).toBeNull();
    expect(switchQuestion('gone', sessions, 'API down')).toBeNull();
  });
});

describe('resolveReducer and resolveRequest', () => {
  const run = (...actions: ResolveAction[]): ResolveDraft => actions.reduce(resolveReducer, EMPTY_RESOLVE);

  it('asks for a summary first', () => {
    expect(resolveRequest(run({ type: 'text', field: 'summary', value: '   ' }), true)).toEqual({
      problem: 'Write a summary: what happened and what fixed it.',
    });
  });

  it('needs both halves of an action item, and leaves empty rows out', () => {
    const half = run(
      { type: 'text', field: 'summary', value: 'x' },
      { type: 'item', index: 0, text: 'Add an alert' },
    );
    expect(resolveRequest(half, true)).toEqual({
      problem: 'Each action item needs both what to do and an owner.',
    });
    const whole = resolveReducer(resolveReducer(half, { type: 'item', index: 0, owner: 'Ana' }), {
      type: 'add-item',
    });
    const r = resolveRequest(whole, true);
    expect('params' in r && r.params.actionItems).toEqual([{ text: 'Add an alert', owner: 'Ana' }]);
  });

  it('needs a written reason without a green verify, and sends it only then', () => {
    const d = run({ type: 'text', field: 'summary', value: 'Restarted the API' });
    expect(resolveRequest(d, false)).toEqual({
      problem: 'Verify is not green: write why it is resolved anyway, or run Verify.',
    });
    const why = resolveReducer(d, {
      type: 'text',
      field: 'override',
      value: 'verify cannot reach Redis from here',
    });
    const notGreen = resolveRequest(why, false);
    expect('params' in notGreen && notGreen.params.override).toBe('verify cannot reach Redis from here');
    const green = resolveRequest(why, true);
    expect('params' in green && 'override' in green.params).toBe(false);
  });

  it('sends the lists one item per non-empty line', () => {
    const d = run(
      { type: 'text', field: 'summary', value: 'Disk filled' },
      { type: 'text', field: 'factors', value: ' logs not rotated \n\n  no alert\n' },
      { type: 'text', field: 'well', value: 'quick triage' },
      { type: 'text', field: 'badly', value: '' },
    );
    expect(resolveRequest(d, true)).toEqual({
      params: {
        status: 'resolved',
        summary: 'Disk filled',
        contributingFactors: ['logs not rotated', 'no alert'],
        wentWell: ['quick triage'],
        wentBadly: [],
        actionItems: [],
      },
    });
  });

  it('ignores an edit of an action item that does not exist, and keeps the start state untouched', () => {
    const d = run(
      { type: 'item', index: 5, text: 'x' },
      { type: 'item', index: -1, owner: 'y' },
      { type: 'item', index: 0.5, owner: 'z' },
    );
    expect(d.items).toEqual([{ text: '', owner: '' }]);
    run({ type: 'item', index: 0, text: 'mutate?' }, { type: 'problem', problem: 'p' });
    expect(EMPTY_RESOLVE.items).toEqual([{ text: '', owner: '' }]);
    expect(EMPTY_RESOLVE.problem).toBeNull();
  });
});

describe('times and lines', () => {
  it('prints spans as m:ss, and h:mm:ss from an hour on', () => {
    expect(mmss(-5000)).toBe('0:00');
    expect(mmss(65_999)).toBe('1:05');
    expect(mmss(3_600_000 + 61_000)).toBe('1:01:01');
  });

  it('round-trips a datetime-local value to the second in this machine’s zone', () => {
    const t = Date.UTC(2026, 2, 8, 8, 30, 15);
    expect(fromLocalInput(toLocalInput(t))).toBe(t);
    expect(fromLocalInput('not a time')).toBeNull();
  });

  it('splits lines, trimmed, without empty ones', () => {
    expect(lines('\n a \r\n\t\nb')).toEqual(['a', 'b']);
  });
});
