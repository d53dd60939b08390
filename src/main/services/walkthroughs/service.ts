// Walk-through sessions: the rules of starting, recording, switching, verifying and ending them.
// How they are kept in ops.db is session-log.ts; step runs are step-runs.ts, Verify's rows verify.ts.
import type { InstallCandidate } from '../../../shared/install-types';
import crypto from 'node:crypto';
import type { SweepResult } from '../../../shared/contract/probes';
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import type {
  ActionItem,
  Contact,
  Milestone,
  Postmortem,
  SessionDetail,
  SessionEvent,
  SessionEventData,
  SessionEventInput,
  SessionKind,
  SessionStatus,
  SessionSummary,
  SeverityId,
} from '../../../shared/contract/walkthroughs-session';
import type { StepDescriptor, StepResult } from '../../../shared/contract/walkthroughs-steps';
import { OpsError } from '../../../shared/errors';
import type { ServiceContext } from '../context';
import type { OpsStore } from '../store/store';
import { changeBeganEntry, scheduledEntry, zoneOf } from './change-window';
import { readContacts, saveContacts } from './contacts';
import { findImpactStart, pinWithLine } from './impact';
import { observedEvent, type RequestOutcome } from './observed';
import { reportFile } from './report';
import { SessionLog } from './session-log';
import { StepRuns, type PreconditionOverride } from './step-runs';
import { isRed, triageEntry, type TriageSource } from './triage';
import { verifyRows, type StepRunner } from './verify';

const KEY_RED_SINCE = 'walkthrough.triageRedSince';

export interface StartInput {
  kind: SessionKind;
  title: string;
  runbookId?: string;
  runbookTitle?: string;
  severity?: SeverityId;
  fromTriage?: boolean;
  takeRecordingFrom?: string | null;
  scheduledFor?: number;
  timeZone?: string;
}

export interface EndInput {
  status: 'resolved' | 'abandoned';
  summary?: string;
  contributingFactors?: string[];
  actionItems?: ActionItem[];
  wentWell?: string[];
  wentBadly?: string[];
  override?: string;
}

/** The install a session records; an opened bundle with its whole sha256 (which evidence it was). */
function sessionInstallLabel(install: InstallCandidate | null): string | null {
  if (!install) return null;
  const b = install.bundle;
  return b
    ? `Bundle from ${b.host} as of ${b.asOf.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (sha256 ${b.sha256 ?? 'not computed yet'})`
    : install.label;
}

export class WalkthroughService {
  private readonly log: SessionLog;
  private readonly steps: StepRuns;

  constructor(
    private readonly store: OpsStore,
    private readonly ctx: ServiceContext,
    private readonly now: () => number = Date.now,
    private readonly deps: { triage?: TriageSource; runStep?: StepRunner } = {},
  ) {
    this.log = new SessionLog(store, ctx, now);
    this.steps = new StepRuns(this.log, ctx, now);
  }

  // --- sessions ---------------------------------------------------------------------------

  start(input: StartInput): SessionDetail {
    const scheduled = input.kind === 'change' && input.scheduledFor !== undefined;
    if (input.scheduledFor !== undefined && input.kind !== 'change')
      throw new OpsError('bad-request', 'Only a change can be scheduled.');
    const tz = zoneOf(input.timeZone);
    // A scheduled change does not record until it begins, so it takes nothing from anyone.
    const recording = scheduled ? null : this.currentId();
    if (recording && input.takeRecordingFrom !== recording) {
      const r = this.log.summary(recording);
      throw new OpsError(
        'busy',
        `"${r.title}" is recording. Starting another session moves the recording to it.`,
        `Confirm the switch (takeRecordingFrom: ${recording}), or end "${r.title}" first.`,
      );
    }
    let severity = input.severity ?? null;
    let sweep: SweepResult | null = null;
    if (input.fromTriage) {
      sweep = this.deps.triage?.latest() ?? null;
      if (!sweep)
        throw new OpsError(
          'unavailable',
          'There is no triage yet to start from.',
          'Wait for the first health sweep (or press Refresh now), then start again.',
        );
      if (input.severity && input.severity !== sweep.triage.severity) {
        throw new OpsError(
          'bad-request',
          `The triage says ${sweep.triage.severity}, not ${input.severity}.`,
          'Start from the triage, then change the severity with a reason.',
        );
      }
      severity = sweep.triage.severity;
    }
    const install = this.ctx.getInstall();
    const id = crypto.randomUUID();
    const at = this.now();
    this.log.transaction(() => {
      this.noteRecordingMoved(recording, input.title);
      this.log.insert({
        id,
        kind: input.kind,
        title: input.title,
        runbookId: input.runbookId ?? null,
        runbookTitle: input.runbookTitle ?? null,
        severity,
        installLabel: sessionInstallLabel(install),
        installRoot: install?.paths.dataRoot ?? null,
        startedAt: at,
        scheduledFor: scheduled ? input.scheduledFor! : null,
      });
      if (scheduled) {
        this.log.append(id, scheduledEntry(input.scheduledFor!, tz));
        return;
      }
      if (input.kind === 'change') this.log.append(id, changeBeganEntry(at, tz, null));
      if (sweep) {
        // The triage that started it is the first entry: what the console saw, before anyone acted.
        this.log.append(id, triageEntry(sweep));
      }
      if (severity && input.kind === 'incident')
        this.log.append(id, {
          type: 'severity',
          severity,
          reason: sweep ? 'from the triage' : 'set at start',
        });
      if (input.kind === 'incident') {
        const redSince = this.store.getSetting<number>(KEY_RED_SINCE);
        if (sweep && isRed(sweep))
          this.log.putMilestone(
            id,
            'detected',
            typeof redSince === 'number' && redSince <= at ? redSince : sweep.startedAt,
            'console',
            'the triage first went red',
          );
        this.log.putMilestone(id, 'acknowledged', at, 'console', 'the incident was opened in the console');
        const logsDir = install?.paths.logsDir;
        const evidence = logsDir ? findImpactStart(logsDir, at) : null;
        if (evidence && evidence.time !== null)
          this.log.putImpactStart(id, evidence.time, 'logs', evidence.record, null);
      }
      this.log.setRecording(id, at);
    });
    if (recording) this.log.touched(recording);
    return this.log.changed(id);
  }

  /** Begin a scheduled change: the window status at this moment goes on its timeline, and it records. */
  begin(id: string, takeRecordingFrom: string | null, timeZone?: string): SessionDetail {
    const row = this.log.row(id);
    if (row.status !== 'active' || row.scheduled_for === null)
      throw new OpsError('bad-request', `"${row.title}" is not a scheduled change waiting to begin.`);
    const tz = zoneOf(timeZone);
    const recording = this.currentId();
    if (recording && takeRecordingFrom !== recording) {
      throw new OpsError(
        'busy',
        `"${this.log.summary(recording).title}" is recording. Beginning "${row.title}" moves the recording to it.`,
        `Confirm the switch (takeRecordingFrom: ${recording}).`,
      );
    }
    const at = this.now();
    this.log.transaction(() => {
      this.noteRecordingMoved(recording, row.title);
      this.log.markBegun(id, at);
      this.log.append(id, changeBeganEntry(at, tz, row.scheduled_for));
      this.log.setRecording(id, at);
    });
    if (recording) this.log.touched(recording);
    return this.log.changed(id);
  }

  /** In the transaction that moves the recording: the session that recorded until now (if any) says where it went. */
  private noteRecordingMoved(from: string | null, toTitle: string): void {
    if (from)
      this.log.append(from, {
        type: 'recording',
        recording: false,
        reason: `recording moved to "${toTitle}"`,
      });
  }

  list(status?: SessionStatus, limit = 50): SessionSummary[] {
    return this.log.list(status, limit);
  }

  get(id: string): SessionDetail {
    return this.detail(id);
  }

  /**
   * Change which session records (or none). `from` must be the one recording now: a window that
   * has not seen the latest switch is refused instead of switching over it.
   */
  focus(id: string | null, from: string | null): string | null {
    const current = this.currentId();
    if (from !== current) {
      const what = current
        ? `"${this.log.summary(current).title}" is recording now`
        : 'Nothing is recording now';
      throw new OpsError(
        'busy',
        `Recording changed in the meantime: ${what}.`,
        'Look at the recording indicator and choose again.',
      );
    }
    if (id !== null) {
      const s = this.log.summary(id);
      if (s.status !== 'active')
        throw new OpsError(
          'bad-request',
          `The session "${s.title}" is ${s.status}`,
          'Open it to read it; start a new session to record.',
        );
    }
    if (id === current) return id;
    const at = this.now();
    this.log.transaction(() => {
      if (current)
        this.log.append(current, {
          type: 'recording',
          recording: false,
          reason: id
            ? `recording moved to "${this.log.summary(id).title}"`
            : 'recording stopped by the operator',
        });
      if (id) this.log.setRecording(id, at);
      else this.log.clearRecording();
    });
    if (current) this.log.touched(current);
    if (id) this.log.touched(id);
    this.ctx.emit('walkthrough:recording', { id });
    return id;
  }

  currentId(): string | null {
    return this.log.currentId();
  }

  record(id: string, event: SessionEventInput): SessionEvent {
    this.log.requireActive(id);
    let data: SessionEventData = event;
    if (event.type === 'severity') {
      const prev = this.log.summary(id).severity;
      if (prev === event.severity) throw new OpsError('bad-request', `The severity is already ${prev}.`);
      if (prev && !event.reason)
        throw new OpsError(
          'bad-request',
          `Changing the severity from ${prev} to ${event.severity} needs a reason.`,
          'Write why, so the record explains it.',
        );
      data = { ...event };
    }
    if (event.type === 'log-pin') data = pinWithLine(event, this.ctx.getInstall()?.paths.logsDir);
    const eventId = this.log.transaction(() => this.log.append(id, data));
    this.log.touched(id);
    return this.log.eventById(id, eventId);
  }

  // --- step runs (step-runs.ts) --------------------------------------------------------------

  /** A step is about to be sent under `desc.runId`: its entry is written first. */
  runStep<R extends { sessionId: string; mode: 'run' | 'paste' }>(
    desc: StepDescriptor,
    mode: 'run' | 'run-check' | 'paste',
    send: () => Promise<R>,
  ): Promise<R> {
    return this.steps.runStep(desc, mode, send);
  }

  /** Run was let through past unmet preconditions: the reason goes on the recording session's timeline. */
  overridePreconditions(o: PreconditionOverride): SessionEvent {
    return this.steps.overridePreconditions(o);
  }

  /** A step whose confirmation was declined (or that was only copied): recorded as that, never as run. */
  stepNotRun(desc: StepDescriptor, outcome: 'declined' | 'copied', reason?: string): { recorded: boolean } {
    return this.steps.stepNotRun(desc, outcome, reason);
  }

  /** A command finished in a terminal: it completes its step run, or is an ad hoc command. */
  commandFinished(cmd: TerminalCommandFinished & { runId?: string | null }): StepResult | null {
    return this.steps.commandFinished(cmd);
  }

  // --- what happens elsewhere in the console ---------------------------------------------

  /** A request finished elsewhere in the console: DB checks and backups and health sweeps are recorded. */
  observe(channel: string, outcome: RequestOutcome): void {
    const data = observedEvent(channel, outcome);
    if (!data) return;
    const id = this.currentId();
    if (!id) return;
    this.log.transaction(() => this.log.append(id, data));
    this.log.touched(id);
  }

  // --- triage, milestones, impact ---------------------------------------------------------

  /** Every sweep: remember when the triage first went red (the "detected" milestone). */
  observeSweep(sweep: SweepResult): void {
    const since = this.store.getSetting<number>(KEY_RED_SINCE);
    if (isRed(sweep)) {
      if (typeof since !== 'number') this.store.setSetting(KEY_RED_SINCE, sweep.startedAt);
    } else if (since !== undefined) this.store.deleteSetting(KEY_RED_SINCE);
  }

  setMilestone(id: string, milestone: Milestone, at: number, reason: string | undefined): SessionDetail {
    this.log.requireActive(id, true);
    const existing = this.log.milestones(id)[milestone];
    if (existing && !reason?.trim())
      throw new OpsError(
        'bad-request',
        `The ${milestone} time was already set; correcting it needs a reason.`,
      );
    if (at > this.now() + 60_000)
      throw new OpsError('bad-request', `The ${milestone} time is in the future.`);
    this.log.transaction(() => this.log.putMilestone(id, milestone, at, 'operator', reason?.trim() || null));
    return this.log.changed(id);
  }

  setImpactStart(id: string, at: number, reason: string): SessionDetail {
    this.log.requireActive(id, true);
    if (at > this.now() + 60_000) throw new OpsError('bad-request', 'The impact start is in the future.');
    this.log.transaction(() => this.log.putImpactStart(id, at, 'operator', null, reason));
    return this.log.changed(id);
  }

  /** Re-run the triage and the session's checked steps; before/after becomes a timeline entry. */
  async verify(id: string): Promise<SessionDetail> {
    this.log.requireActive(id);
    if (!this.deps.triage)
      throw new OpsError('unavailable', 'Verify needs the health probes, which this host does not run.');
    const d = this.detail(id);
    const { green, rows } = await verifyRows(d, { triage: this.deps.triage, runStep: this.deps.runStep });
    this.log.transaction(() => {
      this.log.append(id, { type: 'verify', green, rows });
      if (green && !this.log.milestones(id).mitigated)
        this.log.putMilestone(id, 'mitigated', this.now(), 'console', 'verify was green');
    });
    return this.log.changed(id);
  }

  end(id: string, input: EndInput): SessionDetail {
    const s = this.log.summary(id);
    if (s.status !== 'active')
      throw new OpsError('bad-request', `The session "${s.title}" is already ${s.status}`);
    const d = this.detail(id);
    if (input.status === 'resolved' && s.kind === 'incident') {
      const lastVerify = [...d.events].reverse().find((e) => e.type === 'verify');
      const green = lastVerify?.type === 'verify' && lastVerify.green;
      if (!green && !input.override?.trim()) {
        throw new OpsError(
          'bad-request',
          'Verify is not green, so resolving needs a written override.',
          'Run Verify, or write why the incident is resolved anyway.',
        );
      }
      if (!input.summary?.trim())
        throw new OpsError(
          'bad-request',
          'Resolving an incident needs a summary.',
          'Write what happened and what fixed it.',
        );
    }
    const pm: Postmortem = {
      contributingFactors: input.contributingFactors ?? [],
      actionItems: input.actionItems ?? [],
      wentWell: input.wentWell ?? [],
      wentBadly: input.wentBadly ?? [],
      resolveOverride: input.override?.trim() || null,
    };
    const at = this.now();
    this.log.transaction(() => {
      if (input.status === 'resolved' && s.kind === 'incident') {
        if (!this.log.milestones(id).mitigated)
          this.log.putMilestone(
            id,
            'mitigated',
            at,
            'console',
            pm.resolveOverride ? 'resolved with an override' : 'resolved',
          );
        this.log.putMilestone(
          id,
          'resolved',
          at,
          'console',
          pm.resolveOverride ? `resolved with an override: ${pm.resolveOverride}` : 'verify was green',
        );
      }
      this.log.markEnded(id, input.status, at, input.summary?.trim() || null, pm);
      this.log.clearRecording(id);
    });
    this.steps.forgetSession(id);
    this.ctx.emit('walkthrough:recording', { id: this.currentId() });
    return this.log.changed(id);
  }

  /** A draft revision of the session's runbook was saved: its timeline (and report) links to it. */
  recordRevision(id: string, data: { file: string; runbookId: string; draftId: string }): SessionEvent {
    this.log.requireActive(id, true);
    const eventId = this.log.transaction(() => this.log.append(id, { type: 'revision', ...data }));
    this.log.touched(id);
    return this.log.eventById(id, eventId);
  }

  report(id: string, format: 'markdown' | 'json'): { fileName: string; mime: string; content: string } {
    return reportFile(this.detail(id), format, this.now());
  }

  /** Finds a session by full id or a unique prefix (what the CLI accepts). */
  resolveId(idOrPrefix: string): string {
    return this.log.resolveId(idOrPrefix);
  }

  /** The emergency contacts, one per role, in the handbook's order; roles nobody filled are left out. */
  contacts(): Contact[] {
    return readContacts(this.store);
  }

  setContacts(list: Contact[]): Contact[] {
    return saveContacts(this.store, list);
  }

  private detail(id: string): SessionDetail {
    return this.log.detail(id);
  }
}
