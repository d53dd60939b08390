// The session panel's forms as pure state: the start form's plan (what walkthrough:start or a
// schedule is asked for, or why not), the resolve form's reducer and its checks before
// walkthrough:end, the timeline events the note, severity and checklist controls record, the
// question asked before recording moves, and the times the panel prints.
import type {
  ActionItem,
  SessionEventInput,
  SessionSummary,
  SeverityId,
} from '../../../../shared/contract/walkthroughs-session';
import { nextWindow } from '../../../../shared/handbook';

/** A duration as m:ss, or h:mm:ss from an hour on; negative spans show as 0:00. */
export function mmss(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  return `${h > 0 ? `${h}:` : ''}${String(m).padStart(h > 0 ? 2 : 1, '0')}:${String(sec).padStart(2, '0')}`;
}

/** Value for <input type="datetime-local"> in this machine's time, to the second. */
export function toLocalInput(ms: number): string {
  const d = new Date(ms - new Date(ms).getTimezoneOffset() * 60_000);
  return d.toISOString().slice(0, 19);
}

/** The time a datetime-local value names (this machine's time), or null when it names none. */
export function fromLocalInput(v: string): number | null {
  const t = new Date(v).getTime();
  return Number.isFinite(t) ? t : null;
}

/** One item per non-empty line, trimmed. */
export function lines(text: string): string[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean);
}

// ---- Starting a session ----

export type SessionKind = 'incident' | 'change' | 'runbook';

export interface StartDraft {
  kind: SessionKind;
  title: string;
  severity: SeverityId | '';
  /** Take the severity from the triage (offered only while the triage is red). */
  fromTriage: boolean;
  /** A change's planned time (datetime-local). */
  when: string;
}

/** The start form before the operator types: an incident, its severity from the triage when red. */
export function initialStartDraft(now: Date, timeZone: string): StartDraft {
  return {
    kind: 'incident',
    title: '',
    severity: '',
    fromTriage: true,
    // A change is planned for the next maintenance window unless the operator picks another time.
    when: toLocalInput(nextWindow(now, timeZone).start.getTime()),
  };
}

/** The value of the button that submitted a form ("schedule", "deviation"…), when a button did. */
export function submitterValue(e: { nativeEvent: Event }): string | undefined {
  return ((e.nativeEvent as SubmitEvent).submitter as HTMLButtonElement | null)?.value;
}

/** The part of the latest triage the start form reads. */
export interface TriageView {
  severity: string;
  suggestions: ReadonlyArray<{ runbook: string }>;
}

/** The triage is red when it sees anything worse than SEV-4 (the handbook's "no problem"). */
export function triageIsRed(t: TriageView | null): t is TriageView {
  return t !== null && t.severity !== 'SEV-4';
}

export interface StartParams {
  kind: SessionKind;
  title: string;
  fromTriage?: true;
  severity?: SeverityId;
  runbookTitle?: string;
  timeZone?: string;
}

export type StartPlan =
  | { error: string }
  | { schedule: { kind: 'change'; title: string; scheduledFor: number; timeZone: string } }
  | { start: StartParams };

/**
 * What submitting the start form asks for. `submitter` is the button's value: a change's
 * "schedule" plans it for `when`, anything else starts now.
 */
export function startPlan(
  form: StartDraft,
  triage: TriageView | null,
  submitter: string | undefined,
  timeZone: string,
): StartPlan {
  const title = form.title.trim();
  if (!title) return { error: 'Give the session a title: what is happening?' };
  if (form.kind === 'change' && submitter === 'schedule') {
    const when = fromLocalInput(form.when);
    if (when === null) return { error: 'Pick when the change is planned.' };
    return { schedule: { kind: 'change', title, scheduledFor: when, timeZone } };
  }
  const useTriage = form.kind === 'incident' && form.fromTriage && triageIsRed(triage);
  const start: StartParams = { kind: form.kind, title };
  if (useTriage) {
    start.fromTriage = true;
    const first = triage?.suggestions[0];
    if (first) start.runbookTitle = first.runbook;
  } else if (form.kind === 'incident' && form.severity) start.severity = form.severity;
  if (form.kind === 'change') start.timeZone = timeZone;
  return { start };
}

/** The question before recording moves to `targetTitle`; null when nothing else records. */
export function switchQuestion(
  from: string | null,
  sessions: ReadonlyArray<Pick<SessionSummary, 'id' | 'title'>>,
  targetTitle: string,
): string | null {
  const cur = from ? sessions.find((s) => s.id === from) : undefined;
  if (!cur) return null;
  return `“${cur.title}” is recording. Move recording to “${targetTitle}”? “${cur.title}” stays open; its timeline notes the switch.`;
}

// ---- Recording by hand ----

/**
 * The note the note form records, or null for a blank one. `submitter` is the button's value:
 * "deviation" marks it a deviation, "should-say" sends it into the runbook's proposed revision.
 */
export function noteEvent(text: string, submitter: string | undefined): SessionEventInput | null {
  if (!text.trim()) return null;
  return {
    type: 'note',
    text: text.trim(),
    deviation: submitter === 'deviation',
    shouldSay: submitter === 'should-say',
  };
}

/** A severity change, with its reason when one was written. */
export function severityEvent(severity: SeverityId, reason: string): SessionEventInput {
  return { type: 'severity', severity, ...(reason.trim() ? { reason } : {}) };
}

/** A tick of a change checklist item: keyed "change:<item>", labelled with its phase. */
export function changeCheckEvent(
  phaseTitle: string,
  item: { id: string; text: string },
  checked: boolean,
): SessionEventInput {
  return { type: 'check', itemKey: changeCheckKey(item.id), label: `${phaseTitle}: ${item.text}`, checked };
}

export function changeCheckKey(itemId: string): string {
  return `change:${itemId}`;
}

// ---- Resolving an incident ----

export interface ResolveDraft {
  summary: string;
  /** One per line, as typed. */
  factors: string;
  well: string;
  badly: string;
  /** Why resolve without a green verify. */
  override: string;
  items: ActionItem[];
  /** What stops the resolve, shown under the form. */
  problem: string | null;
}

export const EMPTY_RESOLVE: ResolveDraft = {
  summary: '',
  factors: '',
  well: '',
  badly: '',
  override: '',
  items: [{ text: '', owner: '' }],
  problem: null,
};

export type ResolveAction =
  | { type: 'text'; field: 'summary' | 'factors' | 'well' | 'badly' | 'override'; value: string }
  | { type: 'item'; index: number; text?: string; owner?: string }
  | { type: 'add-item' }
  | { type: 'problem'; problem: string | null };

export function resolveReducer(s: ResolveDraft, a: ResolveAction): ResolveDraft {
  switch (a.type) {
    case 'text':
      return { ...s, [a.field]: a.value };
    case 'item':
      if (!Number.isInteger(a.index) || a.index < 0 || a.index >= s.items.length) return s;
      return {
        ...s,
        items: s.items.map((x, j) =>
          j === a.index ? { text: a.text ?? x.text, owner: a.owner ?? x.owner } : x,
        ),
      };
    case 'add-item':
      return { ...s, items: [...s.items, { text: '', owner: '' }] };
    case 'problem':
      return { ...s, problem: a.problem };
  }
}

export interface ResolveParams {
  status: 'resolved';
  summary: string;
  contributingFactors: string[];
  wentWell: string[];
  wentBadly: string[];
  actionItems: ActionItem[];
  override?: string;
}

/**
 * The walkthrough:end request for the draft, or what is missing: a summary, both halves of each
 * action item that has either, and a reason when verify is not green. Empty item rows are left out.
 */
export function resolveRequest(
  d: ResolveDraft,
  green: boolean,
): { problem: string } | { params: ResolveParams } {
  const actionItems = d.items.filter((i) => i.text.trim() || i.owner.trim());
  if (!d.summary.trim()) return { problem: 'Write a summary: what happened and what fixed it.' };
  if (actionItems.some((i) => !i.text.trim() || !i.owner.trim()))
    return { problem: 'Each action item needs both what to do and an owner.' };
  if (!green && !d.override.trim())
    return { problem: 'Verify is not green: write why it is resolved anyway, or run Verify.' };
  return {
    params: {
      status: 'resolved',
      summary: d.summary,
      contributingFactors: lines(d.factors),
      wentWell: lines(d.well),
      wentBadly: lines(d.badly),
      actionItems,
      ...(green ? {} : { override: d.override }),
    },
  };
}
