// The runbook column wired to the rest of the console: Run and Run & check send a step to the
// terminal under a new run id (mutating steps ask first); main checks the finished command once
// and this shows its verdict; while a session records, every step run and task-list tick is
// recorded in it. "Walk through" starts a session for the open runbook (from the triage when the
// triage suggests it, so the incident carries the triage's severity).
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { SweepResult } from '../../../../shared/contract/probes';
import type { RunbookDocument } from '../../../../shared/contract/runbooks';
import type { SessionDetail } from '../../../../shared/contract/walkthroughs-session';
import type { StepVerdict } from '../../../../shared/contract/walkthroughs-steps';
import { fillInputs } from '../../../../shared/runbooks/inputs';
import {
  apiFactFromSweep,
  factsFromEvents,
  type PreconditionFacts,
} from '../../../../shared/runbooks/preconditions';
import type { Step } from '../../../../shared/runbooks/types';
import { LIVE_LOG_VARIABLES } from '../../../../shared/runbooks/variables';
import { recordingId, useCurrentSession } from '../../state/session-store';
import { api, ApiError } from '../../transport';
import { requestTerminalRun } from '../Terminal/run-request';
import RunbooksPanel from './RunbooksPanel';
import type { RunStepMode } from './RunbookViewer';
import ReviewStatus from './ReviewStatus';
import { StepRunContext, type GateEntry, type StepRunContextValue } from './step-gate';

/** A Run & check waits this long for its command to finish before it is dropped. */
const PENDING_CHECK_MS = 10 * 60_000;
const LIVE_LOG_NAMES = new Set(Object.values(LIVE_LOG_VARIABLES));
/** Preconditions are re-read this often: maintenance windows and probe ages move by the minute. */
const FACTS_TICK_MS = 15_000;

function newRunId(): string {
  return crypto.randomUUID();
}

export default function RunbookWorkbench({ terminal }: { terminal: boolean }) {
  const { id: sessionId } = useCurrentSession();
  const [session, setSession] = useState<SessionDetail | null>(null);
  const [checks, setChecks] = useState<Record<string, StepVerdict>>({});
  const [error, setError] = useState<string | null>(null);
  /** Run id -> the step it runs, for the Run & checks this window sent. */
  const pending = useRef(new Map<string, { step: Step; docId: string | null; at: number }>());
  const [openDoc, setOpenDoc] = useState<RunbookDocument | null>(null);
  /** Named outputs of finished steps, by runbook id, then "step-id.output". */
  const [outputs, setOutputs] = useState<Record<string, Record<string, string>>>({});
  const [sweep, setSweep] = useState<SweepResult | null>(null);
  const [now, setNow] = useState(() => Date.now());
  /** Typed input values and unused overrides of the open runbook's steps, by step id. */
  const [gates, setGates] = useState<Record<string, GateEntry>>({});

  const fail = (err: unknown) =>
    setError(err instanceof ApiError ? `${err.message}${err.detail ? ` — ${err.detail}` : ''}` : String(err));

  useEffect(() => {
    if (!sessionId) return setSession(null);
    let live = true;
    const load = () =>
      api.invoke('walkthrough:get', { id: sessionId }).then(
        (d) => live && setSession(d),
        () => live && setSession(null),
      );
    void load();
    const off = api.on('walkthrough:changed', (s) => {
      if (s.id === sessionId) void load();
    });
    return () => {
      live = false;
      off();
    };
  }, [sessionId]);

  // The API probe (for "API stopped") and a clock tick (windows, probe age) feed the preconditions.
  useEffect(() => {
    let live = true;
    void api.invoke('probes:latest', {}).then(
      (r) => live && setSweep(r),
      () => live && setSweep(null),
    );
    const off = api.on('probes:update', (r) => {
      setSweep(r);
      setNow(Date.now());
    });
    const timer = setInterval(() => setNow(Date.now()), FACTS_TICK_MS);
    return () => {
      live = false;
      off();
      clearInterval(timer);
    };
  }, []);

  // A finished step's named output is kept for later steps' inputs (whichever window ran it).
  useEffect(
    () =>
      api.on('walkthrough:step-result', (e) => {
        const o = e.output;
        if (!o || !('value' in o) || !e.runbookId) return;
        const rb = e.runbookId;
        setOutputs((all) => ({ ...all, [rb]: { ...all[rb], [`${e.stepId}.${o.name}`]: o.value } }));
      }),
    [],
  );

  // Main's verdict on a finished step answers the Run & check that sent it, by its run id.
  useEffect(
    () =>
      api.on('walkthrough:step-result', (e) => {
        const p = pending.current.get(e.runId);
        if (!p) return;
        pending.current.delete(e.runId);
        if (Date.now() - p.at > PENDING_CHECK_MS || !e.verdict) return;
        const v = e.verdict;
        setChecks((c) => ({ ...c, [p.step.id]: v }));
      }),
    [],
  );

  const onOpen = useCallback((doc: RunbookDocument | null) => setOpenDoc(doc), []);
  // Check results belong to the runbook they were run from.
  const openId = openDoc?.id ?? null;
  useEffect(() => setChecks({}), [openId]);
  useEffect(() => setGates({}), [openId]);

  const active = session?.status === 'active' ? session : null;

  // A step that reads a live log ({{apiLog}}, ...) is filled again as it runs: the log may have
  // rolled at size since the runbook was opened.
  const onRunStep = (
    step: Step,
    mode: RunStepMode,
    doc: RunbookDocument,
    inputs?: Record<string, string>,
  ) => {
    if (mode === 'copy' || !step.variables.some((v) => LIVE_LOG_NAMES.has(v)))
      return sendStep(step, mode, doc, inputs);
    void api.invoke('runbooks:get', { id: doc.id }).then((fresh) => {
      const now = fresh.steps.find((s) => s.id === step.id);
      if (!now) return fail(new Error(`Step ${step.id} is no longer in ${doc.file}: reopen the runbook.`));
      sendStep(now, mode, doc, inputs);
    }, fail);
  };

  const sendStep = (step: Step, mode: RunStepMode, doc: RunbookDocument, inputs?: Record<string, string>) => {
    const runId = newRunId();
    // Input values are filled by the same quoting as install variables, as late as the live logs.
    const filled =
      step.inputs && step.inputs.length > 0
        ? fillInputs(step, inputs ?? {})
        : { command: step.filled, errors: {} };
    if (filled.command === null) {
      return fail(
        new Error(
          `Step ${step.id}: ${Object.entries(filled.errors)
            .map(([k, v]) => `${k} ${v}`)
            .join('; ')}`,
        ),
      );
    }
    const command = filled.command;
    const desc = {
      runId,
      stepId: step.id,
      runbookId: doc.id,
      runbookTitle: doc.summary.title,
      command,
      ...(step.expect ? { expect: step.expect } : {}),
      ...(step.answers.length > 0 && step.answerErrors.length === 0 ? { answers: step.answers } : {}),
      ...(step.output ? { output: step.output } : {}),
    };
    if (mode === 'copy') {
      void api.invoke('walkthrough:step-not-run', { step: desc, outcome: 'copied' }).catch(fail);
      return;
    }
    if (mode === 'run-check') pending.current.set(runId, { step, docId: doc.id, at: Date.now() });
    requestTerminalRun({ command, mode: 'run', step: { ...desc, check: mode === 'run-check' } });
  };

  // What the preconditions of the open runbook are evaluated against (default-deny: null = unknown).
  const facts = useMemo<PreconditionFacts>(() => {
    const fromSession =
      active && openId ? factsFromEvents(active.events, openId) : { backups: [], stepOutcomes: {} };
    // Without a session, this window's own Run & check verdicts (made in main) are what is known.
    const local = Object.fromEntries(
      Object.entries(checks).map(([id, c]) => [id, { status: c.status, at: now }]),
    );
    return {
      now,
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone || null,
      session: active ? { id: active.id, title: active.title } : null,
      backups: fromSession.backups,
      stepOutcomes: active ? fromSession.stepOutcomes : local,
      api: apiFactFromSweep(sweep),
    };
  }, [sweep, active, openId, checks, now]);

  const stepCtx = useMemo<StepRunContextValue>(
    () => ({
      facts,
      outputs: (openId && outputs[openId]) || {},
      onOverride: async (step, command, unmet, reason) => {
        await api.invoke('walkthrough:override', {
          stepId: step.id,
          ...(openId ? { runbookId: openId } : {}),
          command,
          unmet: unmet.map((u) => ({ label: u.label, why: u.why })),
          reason,
        });
      },
      gates,
      updateGate: (stepId, f) =>
        setGates((all) => ({ ...all, [stepId]: f(all[stepId] ?? { typed: {}, overridden: false }) })),
    }),
    [facts, outputs, openId, gates],
  );

  const startWalk = async (doc: RunbookDocument) => {
    const kind =
      doc.summary.category === 'Incident Response'
        ? 'incident'
        : doc.summary.category === 'Maintenance'
          ? 'change'
          : 'runbook';
    // An incident started while the triage points at this runbook carries the triage's severity.
    const latest = kind === 'incident' ? await api.invoke('probes:latest', {}) : null;
    const fromTriage =
      !!latest &&
      latest.triage.severity !== 'SEV-4' &&
      latest.triage.suggestions.some((s) => s.runbook === doc.summary.title);
    await api.invoke('walkthrough:start', {
      kind,
      title: doc.summary.title,
      runbookId: doc.id,
      runbookTitle: doc.summary.title,
      ...(fromTriage
        ? { fromTriage: true }
        : doc.summary.severity && kind === 'incident'
          ? { severity: doc.summary.severity }
          : {}),
      takeRecordingFrom: recordingId(),
    });
  };

  const onToggleTask = (doc: RunbookDocument, key: string, label: string, checked: boolean) => {
    if (!active) return;
    const itemKey = `${doc.id}#${key}`;
    // Show the tick at once; the session reload that follows the write confirms it (or undoes it on error).
    setSession((s) =>
      s ? { ...s, checks: { ...s.checks, [itemKey]: { label, checked, at: Date.now() } } } : s,
    );
    void api
      .invoke('walkthrough:record', { id: active.id, event: { type: 'check', itemKey, label, checked } })
      .catch((err: unknown) => {
        fail(err);
        void api.invoke('walkthrough:get', { id: active.id }).then(setSession, fail);
      });
  };

  const tasks = (doc: RunbookDocument | null): Record<string, boolean> | undefined => {
    if (!active || !doc) return undefined;
    const out: Record<string, boolean> = {};
    const prefix = `${doc.id}#`;
    for (const [k, v] of Object.entries(active.checks))
      if (k.startsWith(prefix)) out[k.slice(prefix.length)] = v.checked;
    return out;
  };

  const headerExtra = (doc: RunbookDocument) =>
    doc.kind !== 'runbook' ? null : (
      <div className="rb-walk" data-testid="walkthrough-bar">
        {active ? (
          <span className="rb-walk-on">● Recording in “{active.title}”</span>
        ) : (
          <button onClick={() => void startWalk(doc).catch(fail)}>Walk through</button>
        )}
        {error && (
          <span className="rb-walk-error" role="alert">
            {error}
          </span>
        )}
        <ReviewStatus doc={doc} />
      </div>
    );

  return (
    <StepRunContext.Provider value={stepCtx}>
      <RunbooksPanel
        onRunStep={terminal ? onRunStep : undefined}
        checks={checks}
        tasks={active ? tasks(openDoc) : undefined}
        onToggleTask={active ? onToggleTask : undefined}
        headerExtra={headerExtra}
        onOpen={onOpen}
      />
    </StepRunContext.Provider>
  );
}
