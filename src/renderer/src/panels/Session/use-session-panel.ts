// The session panel's state and actions on top of what it reads (use-session-data): recording a
// timeline event by hand (a note, a severity change), the question asked before recording moves or
// a session ends, the start form and starting or scheduling from it, verify, exporting the report,
// and the command palette's requests (open a session, start an incident, export the report).
import { useEffect, useRef, useState, type Dispatch, type RefObject, type SetStateAction } from 'react';
import type { SessionDetail, SeverityId } from '../../../../shared/contract/walkthroughs-session';
import { localTimeZone } from '../../../../shared/handbook';
import { recordingId } from '../../state/session-store';
import { sessionRequests, type SessionRequest } from '../../state/ui-bus';
import { download } from '../../download';
import { api } from '../../transport';
import {
  initialStartDraft,
  noteEvent,
  severityEvent,
  switchQuestion,
  type StartDraft,
  type StartPlan,
} from './session-forms';
import type { Question } from './session-view';
import { useSessionData, type SessionData } from './use-session-data';

/** A question on screen, and what confirming it does. */
export interface Ask extends Question {
  run: () => Promise<unknown>;
}

export type RecordEvent = Parameters<typeof api.invoke<'walkthrough:record'>>[1]['event'];

/** A severity picked but not recorded yet, and why it changes. */
export interface SeverityEdit {
  severity: SeverityId;
  reason: string;
}

export interface SessionPanelState extends SessionData {
  ask: Ask | null;
  setAsk: (ask: Ask | null) => void;
  /** The operator confirmed the question on screen. */
  confirmAsk: () => void;
  /** Puts an event on the shown session's timeline (a failure is shown, not thrown). */
  record: (event: RecordEvent) => Promise<void>;
  /** Runs `action`; when something else records, asks first and names both sessions. */
  withSwitch: (targetTitle: string, action: (from: string | null) => Promise<unknown>) => void;
  form: StartDraft;
  setForm: Dispatch<SetStateAction<StartDraft>>;
  /** The start form's title box: a palette "Start incident" focuses it. */
  titleRef: RefObject<HTMLInputElement | null>;
  /** The start form was submitted with this plan (no error in it). */
  start: (plan: Exclude<StartPlan, { error: string }>) => void;
  exportReport: (id: string, format: 'markdown' | 'json') => void;
  /** The note being written (kept while another session is browsed). */
  note: string;
  setNote: (note: string) => void;
  /** Records the note; `submitter` is the button pressed (see noteEvent). */
  addNote: (submitter: string | undefined) => void;
  sevEdit: SeverityEdit | null;
  setSevEdit: (edit: SeverityEdit | null) => void;
  changeSeverity: (edit: SeverityEdit) => void;
  /** The resolve form is open. */
  resolving: boolean;
  setResolving: (on: boolean) => void;
  verifying: boolean;
  verify: (id: string) => void;
}

export function useSessionPanel(): SessionPanelState {
  const data = useSessionData();
  const { recording, sessions, detail, setViewId, setError, fail } = data;
  const [ask, setAsk] = useState<Ask | null>(null);
  const [form, setForm] = useState<StartDraft>(() => initialStartDraft(new Date(), localTimeZone()));
  const [note, setNote] = useState('');
  const [sevEdit, setSevEdit] = useState<SeverityEdit | null>(null);
  const [resolving, setResolving] = useState(false);
  const [verifying, setVerifying] = useState(false);

  const record = async (event: RecordEvent) => {
    if (!detail) return;
    try {
      await api.invoke('walkthrough:record', { id: detail.id, event });
    } catch (err) {
      fail(err);
    }
  };

  const withSwitch = (targetTitle: string, action: (from: string | null) => Promise<unknown>) => {
    const from = recordingId();
    const message = switchQuestion(from, sessions, targetTitle);
    if (message) setAsk({ message, confirm: 'Move recording', run: () => action(from) });
    else void action(null).catch(fail);
  };

  const addNote = (submitter: string | undefined) => {
    const event = noteEvent(note, submitter);
    if (event) void record(event).then(() => setNote(''));
  };

  const changeSeverity = (edit: SeverityEdit) =>
    void record(severityEvent(edit.severity, edit.reason)).then(() => setSevEdit(null));

  const verify = (id: string) => {
    setVerifying(true);
    void api
      .invoke('walkthrough:verify', { id })
      .catch(fail)
      .finally(() => setVerifying(false));
  };

  const confirmAsk = () => {
    const a = ask;
    setAsk(null);
    void a?.run().catch(fail);
  };

  const start = (plan: Exclude<StartPlan, { error: string }>) => {
    const done = (d: SessionDetail) => {
      setViewId(d.id);
      setForm({ ...form, title: '' });
    };
    if ('schedule' in plan) return void api.invoke('walkthrough:start', plan.schedule).then(done, fail);
    withSwitch(plan.start.title, (from) =>
      api.invoke('walkthrough:start', { ...plan.start, takeRecordingFrom: from }).then(done),
    );
  };

  const exportReport = (id: string, format: 'markdown' | 'json') =>
    void api
      .invoke('walkthrough:report', { id, format })
      .then((r) => download(r.fileName, r.content, r.mime), fail);

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
        download(rep.fileName, rep.content, rep.mime);
      })
      .catch(fail);
  };
  const requestRef = useRef(onRequest);
  requestRef.current = onRequest;
  useEffect(() => sessionRequests.listen((r) => requestRef.current(r)), []);
  useEffect(() => {
    if (focusTitle > 0) titleRef.current?.focus();
  }, [focusTitle, detail]);

  return {
    ...data,
    ask,
    setAsk,
    confirmAsk,
    record,
    withSwitch,
    form,
    setForm,
    titleRef,
    start,
    exportReport,
    note,
    setNote,
    addNote,
    sevEdit,
    setSevEdit,
    changeSeverity,
    resolving,
    setResolving,
    verifying,
    verify,
  };
}
