// Walk-through sessions in ops.db: each event is written the moment it happens (a crash loses
// nothing). A step run is one timeline entry keyed by its run id, written when sent and completed
// when its command finishes (checked here, once); hand-typed commands are recorded as ad hoc.
import type { InstallCandidate } from '../../../shared/install-types';
import path from 'node:path';
import crypto from 'node:crypto';
import type { SweepResult } from '../../../shared/contract/probes';
import type { BackupResult, CheckResult } from '../../../shared/contract/database';
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import {
  CONTACT_ROLES,
  CONTACT_ROLE_LABEL,
  MILESTONES,
  type ActionItem,
  type Contact,
  type LogEvidence,
  type Milestone,
  type MilestoneEntry,
  type Postmortem,
  type SessionDetail,
  type SessionEvent,
  type SessionEventData,
  type SessionEventInput,
  type SessionKind,
  type SessionStatus,
  type SessionSummary,
  type SeverityId,
  type StepDescriptor,
  type StepResult,
  type StepVerdict,
  type SystemEvent,
  type VerifyRow,
} from '../../../shared/contract/walkthroughs';
import { OpsError } from '../../../shared/errors';
import { answerStep, outcomeText, parseAnswers } from '../../../shared/runbooks/findings';
import { extractOutput } from '../../../shared/runbooks/inputs';
import { classifyCommand } from '../command-risk';
import { isInWindow, localTimeZone, nextWindow } from '../../../shared/handbook';
import type { ServiceContext } from '../context';
import type { OpsStore } from '../store/store';
import { renderJson, renderMarkdown } from './report';
import { findImpactStart, lineAt } from './impact';

const KEY_CURRENT = 'walkthrough.current';
const KEY_RED_SINCE = 'walkthrough.triageRedSince';
const KEY_CONTACTS = 'walkthrough.contacts';
/** Output kept per recorded command: enough for a report, bounded so ops.db stays small. */
export const OUTPUT_EXCERPT_CHARS = 4096;
/** Step runs main waits on at once; older unanswered ones are forgotten (their entry stays "running"). */
export const MAX_OPEN_RUNS = 500;
/** A verify re-run of one checked step may take this long (the runbook test runner's limit). */
export const VERIFY_STEP_TIMEOUT_MS = 15_000;

type StepEvent = Extract<SystemEvent, { type: 'step' }>;

interface SessionRow {
  id: string;
  kind: SessionKind;
  title: string;
  runbook_id: string | null;
  runbook_title: string | null;
  severity: SeverityId | null;
  status: SessionStatus;
  install_label: string | null;
  install_root: string | null;
  started_at: number;
  ended_at: number | null;
  summary: string | null;
  impact_start: string | null;
  postmortem: string | null;
  scheduled_for: number | null;
  event_count: number;
}

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

/** What the service needs from the probes (absent in the CLI, where nothing sweeps). */
export interface TriageSource {
  latest(): SweepResult | null;
  /** `logsSince`: ignore log records older than this (the fix), as `aura-ops check` can. */
  sweep(opts?: { logsSince?: number }): Promise<SweepResult>;
}

/** Entries that are something the operator did; the last one before Verify is taken as the fix. */
const ACTION_TYPES = new Set(['step', 'command', 'note', 'check', 'log-pin', 'db-backup']);

/** Runs one checked step non-interactively (verify); the runtime gives the runbook runner. */
export type StepRunner = (command: string) => Promise<{ output: string; exitCode: number | null }>;

interface OpenRun {
  sessionId: string | null;
  desc: StepDescriptor;
  mode: 'run' | 'run-check' | 'paste';
}

const EMPTY_POSTMORTEM: Postmortem = {
  contributingFactors: [],
  actionItems: [],
  wentWell: [],
  wentBadly: [],
  resolveOverride: null,
};

/** Triage severities that mean something is wrong (SEV-4 is the all-clear or a cosmetic issue). */
function isRed(sweep: SweepResult): boolean {
  return sweep.triage.severity !== 'SEV-4';
}

/** The install a session records; an opened bundle with its whole sha256 (which evidence it was). */
function sessionInstallLabel(install: InstallCandidate | null): string | null {
  if (!install) return null;
  const b = install.bundle;
  return b
    ? `Bundle from ${b.host} as of ${b.asOf.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (sha256 ${b.sha256})`
    : install.label;
}

export class WalkthroughService {
  private readonly runs = new Map<string, OpenRun>();

  constructor(
    private readonly store: OpsStore,
    private readonly ctx: ServiceContext,
    private readonly now: () => number = Date.now,
    private readonly deps: { triage?: TriageSource; runStep?: StepRunner } = {},
  ) {}

  // --- sessions ---------------------------------------------------------------------------

  start(input: StartInput): SessionDetail {
    const scheduled = input.kind === 'change' && input.scheduledFor !== undefined;
    if (input.scheduledFor !== undefined && input.kind !== 'change')
      throw new OpsError('bad-request', 'Only a change can be scheduled.');
    const tz = zoneOf(input.timeZone);
    // A scheduled change does not record until it begins, so it takes nothing from anyone.
    const recording = scheduled ? null : this.currentId();
    if (recording && input.takeRecordingFrom !== recording) {
      const r = this.summary(recording);
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
    const write = this.store.db.transaction(() => {
      if (recording)
        this.append(recording, {
          type: 'recording',
          recording: false,
          reason: `recording moved to "${input.title}"`,
        });
      this.store.db
        .prepare(
          `INSERT INTO sessions (id, kind, title, runbook_id, runbook_title, severity, status, install_label, install_root, started_at, scheduled_for)
           VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
        )
        .run(
          id,
          input.kind,
          input.title,
          input.runbookId ?? null,
          input.runbookTitle ?? null,
          severity,
          sessionInstallLabel(install),
          install?.paths.dataRoot ?? null,
          at,
          scheduled ? input.scheduledFor! : null,
        );
      if (scheduled) {
        const when = new Date(input.scheduledFor!);
        const w = isInWindow(when, tz);
        this.append(id, {
          type: 'scheduled',
          time: input.scheduledFor!,
          window: w.inWindow && w.window ? w.window.label : null,
          timeZone: tz,
        });
        return;
      }
      if (input.kind === 'change') this.append(id, this.windowStatus(at, tz, null));
      if (sweep) {
        // The triage that started it is the first entry: what the console saw, before anyone acted.
        this.append(id, {
          type: 'triage',
          severity: sweep.triage.severity,
          headline: sweep.triage.headline,
          overall: sweep.overall,
          reasons: sweep.triage.suggestions.flatMap((s) => s.reasons.map((r) => `${r} -> ${s.runbook}`)),
          probes: sweep.results.map((r) => ({
            id: r.id,
            title: r.title,
            state: r.state,
            summary: r.summary,
          })),
        });
      }
      if (severity && input.kind === 'incident')
        this.append(id, { type: 'severity', severity, reason: sweep ? 'from the triage' : 'set at start' });
      if (input.kind === 'incident') {
        const redSince = this.store.getSetting<number>(KEY_RED_SINCE);
        if (sweep && isRed(sweep))
          this.putMilestone(
            id,
            'detected',
            typeof redSince === 'number' && redSince <= at ? redSince : sweep.startedAt,
            'console',
            'the triage first went red',
          );
        this.putMilestone(id, 'acknowledged', at, 'console', 'the incident was opened in the console');
        const logsDir = install?.paths.logsDir;
        const evidence = logsDir ? findImpactStart(logsDir, at) : null;
        if (evidence && evidence.time !== null)
          this.putImpactStart(id, evidence.time, 'logs', evidence.record, null);
      }
      this.setRecording(id, at);
    });
    write();
    if (recording) this.touched(recording);
    return this.changed(id);
  }

  /** Begin a scheduled change: the window status at this moment goes on its timeline, and it records. */
  begin(id: string, takeRecordingFrom: string | null, timeZone?: string): SessionDetail {
    const row = this.row(id);
    if (row.status !== 'active' || row.scheduled_for === null)
      throw new OpsError('bad-request', `"${row.title}" is not a scheduled change waiting to begin.`);
    const tz = zoneOf(timeZone);
    const recording = this.currentId();
    if (recording && takeRecordingFrom !== recording) {
      throw new OpsError(
        'busy',
        `"${this.summary(recording).title}" is recording. Beginning "${row.title}" moves the recording to it.`,
        `Confirm the switch (takeRecordingFrom: ${recording}).`,
      );
    }
    const at = this.now();
    this.store.db.transaction(() => {
      if (recording)
        this.append(recording, {
          type: 'recording',
          recording: false,
          reason: `recording moved to "${row.title}"`,
        });
      this.store.db
        .prepare(`UPDATE sessions SET started_at = ?, scheduled_for = NULL WHERE id = ?`)
        .run(at, id);
      this.append(id, this.windowStatus(at, tz, row.scheduled_for));
      this.setRecording(id, at);
    })();
    if (recording) this.touched(recording);
    return this.changed(id);
  }

  private windowStatus(at: number, tz: string, scheduledFor: number | null): SessionEventData {
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

  list(status?: SessionStatus, limit = 50): SessionSummary[] {
    const rows = this.store.db
      .prepare(
        `SELECT s.*, (SELECT count(*) FROM session_events e WHERE e.session_id = s.id) AS event_count
         FROM sessions s ${status ? 'WHERE s.status = ?' : ''} ORDER BY s.started_at DESC LIMIT ?`,
      )
      .all(...(status ? [status, limit] : [limit])) as SessionRow[];
    return rows.map(toSummary);
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
      const what = current ? `"${this.summary(current).title}" is recording now` : 'Nothing is recording now';
      throw new OpsError(
        'busy',
        `Recording changed in the meantime: ${what}.`,
        'Look at the recording indicator and choose again.',
      );
    }
    if (id !== null) {
      const s = this.summary(id);
      if (s.status !== 'active')
        throw new OpsError(
          'bad-request',
          `The session "${s.title}" is ${s.status}`,
          'Open it to read it; start a new session to record.',
        );
    }
    if (id === current) return id;
    const at = this.now();
    this.store.db.transaction(() => {
      if (current)
        this.append(current, {
          type: 'recording',
          recording: false,
          reason: id ? `recording moved to "${this.summary(id).title}"` : 'recording stopped by the operator',
        });
      if (id) this.setRecording(id, at);
      else this.store.deleteSetting(KEY_CURRENT);
    })();
    if (current) this.touched(current);
    if (id) this.touched(id);
    this.ctx.emit('walkthrough:recording', { id });
    return id;
  }

  currentId(): string | null {
    const id = this.store.getSetting<string>(KEY_CURRENT);
    if (!id) return null;
    const row = this.store.db.prepare(`SELECT status FROM sessions WHERE id = ?`).get(id) as
      { status: string } | undefined;
    return row?.status === 'active' ? id : null;
  }

  record(id: string, event: SessionEventInput): SessionEvent {
    this.requireActive(id);
    let data: SessionEventData = event;
    if (event.type === 'severity') {
      const prev = this.summary(id).severity;
      if (prev === event.severity) throw new OpsError('bad-request', `The severity is already ${prev}.`);
      if (prev && !event.reason)
        throw new OpsError(
          'bad-request',
          `Changing the severity from ${prev} to ${event.severity} needs a reason.`,
          'Write why, so the record explains it.',
        );
      data = { ...event };
    }
    if (event.type === 'log-pin') data = this.pinWithLine(event);
    const eventId = this.store.db.transaction(() => this.append(id, data))();
    this.touched(id);
    return this.eventById(id, eventId);
  }

  /**
   * A pinned record names its file and line, so the report can point at it: the line is counted
   * from the record's byte offset in the attached install's logs folder. Only a plain file name
   * is looked up there; anything else is kept as given, without a line.
   */
  private pinWithLine(pin: Extract<SessionEventInput, { type: 'log-pin' }>): SessionEventData {
    const { offset, ...rest } = pin;
    const logsDir = this.ctx.getInstall()?.paths.logsDir;
    if (
      offset === undefined ||
      rest.line !== undefined ||
      !logsDir ||
      !/^[\w.-]+$/.test(rest.file) ||
      rest.file.startsWith('.')
    )
      return rest;
    const line = lineAt(path.join(logsDir, rest.file), offset);
    return line === null ? rest : { ...rest, line };
  }

  // --- step runs ----------------------------------------------------------------------------

  /**
   * A step is about to be sent under `desc.runId`. The entry is written before the command is
   * sent, so a crash in between still shows it; `send` failing marks it not sent.
   */
  async runStep<R extends { sessionId: string; mode: 'run' | 'paste' }>(
    desc: StepDescriptor,
    mode: 'run' | 'run-check' | 'paste',
    send: () => Promise<R>,
  ): Promise<R> {
    if (this.runs.has(desc.runId) || this.eventIdByRun(desc.runId) !== null) {
      throw new OpsError('bad-request', `Run id ${desc.runId} was used before; each run needs a new one.`);
    }
    const sessionId = this.currentId();
    const at = this.now();
    if (sessionId) {
      this.store.db.transaction(() => {
        this.append(
          sessionId,
          this.stepEntry(desc, mode, { status: mode === 'paste' ? 'pasted' : 'running', startedAt: at }),
          desc.runId,
        );
        // A session started without a runbook belongs to the first runbook whose steps it runs.
        if (desc.runbookId) {
          this.store.db
            .prepare(
              `UPDATE sessions SET runbook_id = ?, runbook_title = coalesce(runbook_title, ?) WHERE id = ? AND runbook_id IS NULL`,
            )
            .run(desc.runbookId, desc.runbookTitle ?? null, sessionId);
        }
      })();
      this.touched(sessionId);
    }
    this.runs.set(desc.runId, { sessionId, desc, mode });
    while (this.runs.size > MAX_OPEN_RUNS) this.runs.delete(this.runs.keys().next().value as string);
    try {
      const r = await send();
      if (sessionId) this.updateStep(sessionId, desc.runId, { terminalId: r.sessionId });
      return r;
    } catch (err) {
      this.runs.delete(desc.runId);
      if (sessionId)
        this.updateStep(sessionId, desc.runId, {
          status: 'not-sent',
          reason: (err as Error).message.slice(0, 2000),
        });
      throw err;
    }
  }

  /**
   * Run was let through past unmet preconditions: the reason is written on the recording
   * session's timeline. Without a recording session there is no timeline, so it is refused.
   */
  overridePreconditions(o: {
    stepId: string;
    runbookId?: string;
    command: string;
    unmet: Array<{ label: string; why: string }>;
    reason: string;
  }): SessionEvent {
    const id = this.currentId();
    if (!id)
      throw new OpsError(
        'bad-request',
        'No session is recording, so the override could not be recorded.',
        'Start a walk-through (or record into a session) first: an override is kept on its timeline.',
      );
    const eventId = this.store.db.transaction(() =>
      this.append(id, {
        type: 'precondition-override',
        stepId: o.stepId,
        runbookId: o.runbookId ?? null,
        command: o.command,
        unmet: o.unmet,
        reason: o.reason,
      }),
    )();
    this.touched(id);
    return this.eventById(id, eventId);
  }

  /** A step whose confirmation was declined (or that was only copied): recorded as that, never as run. */
  stepNotRun(desc: StepDescriptor, outcome: 'declined' | 'copied', reason?: string): { recorded: boolean } {
    const sessionId = this.currentId();
    if (!sessionId) return { recorded: false };
    if (this.eventIdByRun(desc.runId) !== null)
      throw new OpsError('bad-request', `Run id ${desc.runId} was used before; each run needs a new one.`);
    this.store.db.transaction(() =>
      this.append(
        sessionId,
        this.stepEntry(desc, outcome === 'copied' ? 'copy' : 'run', {
          status: outcome,
          reason: reason ?? (outcome === 'declined' ? 'the operator cancelled the confirmation' : null),
        }),
        desc.runId,
      ),
    )();
    this.touched(sessionId);
    return { recorded: true };
  }

  /**
   * A command finished in a terminal. With a run id it completes that step's entry and its check
   * (the one verdict the renderer shows); without, it is an ad hoc command of the recording session.
   */
  commandFinished(cmd: TerminalCommandFinished & { runId?: string | null }): StepResult | null {
    const run = cmd.runId ? this.runs.get(cmd.runId) : undefined;
    const output = (cmd.outputExcerpt ?? '').slice(-OUTPUT_EXCERPT_CHARS);
    if (run && cmd.runId) {
      this.runs.delete(cmd.runId);
      const verdict =
        run.mode === 'run-check' || run.desc.expect || run.desc.answers
          ? toVerdict(run.desc, output, cmd.exitCode)
          : null;
      const endedAt = Date.parse(cmd.endedAt);
      if (run.sessionId && this.isActive(run.sessionId)) {
        this.updateStep(run.sessionId, cmd.runId, {
          status: 'finished',
          terminalId: cmd.sessionId,
          endedAt: Number.isFinite(endedAt) ? endedAt : this.now(),
          exitCode: cmd.exitCode,
          durationMs: cmd.durationMs,
          output,
          verdict: run.mode === 'run-check' ? verdict : null,
        });
      }
      const result: StepResult = {
        runId: cmd.runId,
        stepId: run.desc.stepId,
        runbookId: run.desc.runbookId ?? null,
        sessionId: run.sessionId,
        exitCode: cmd.exitCode,
        verdict: run.mode === 'run-check' ? verdict : null,
      };
      // A named output is taken here, from the same output the verdict reads, for later steps' inputs.
      if (run.desc.output) {
        const got =
          cmd.exitCode === 0
            ? extractOutput(run.desc.output, output)
            : { error: `the step exited ${cmd.exitCode ?? 'with an unknown code'}` };
        result.output = { name: run.desc.output.name, ...got };
      }
      this.ctx.emit('walkthrough:step-result', result);
      return result;
    }
    const id = this.currentId();
    if (!id) return null;
    this.store.db.transaction(() =>
      this.append(id, {
        type: 'command',
        adHoc: true,
        command: cmd.command,
        exitCode: cmd.exitCode,
        durationMs: cmd.durationMs ?? null,
        cwd: cmd.cwd ?? null,
        output,
        terminalId: cmd.sessionId ?? null,
      }),
    )();
    this.touched(id);
    return null;
  }

  // --- what happens elsewhere in the console ---------------------------------------------

  /** A request finished elsewhere in the console: DB checks and backups and health sweeps are recorded. */
  observe(
    channel: string,
    outcome: { ok: true; result: unknown } | { ok: false; error: { message: string } },
  ): void {
    if (channel !== 'db:check' && channel !== 'db:backup' && channel !== 'probes:sweep') return;
    const id = this.currentId();
    if (!id) return;
    let data: SessionEventData;
    if (channel === 'db:check') {
      const r = outcome.ok ? (outcome.result as CheckResult) : null;
      data = r
        ? {
            type: 'db-check',
            check: `${r.kind} check`,
            ok: r.ok,
            detail: r.ok
              ? `${r.tablesChecked} tables checked in ${Math.round(r.elapsedMs)} ms`
              : r.problems.join('\n').slice(0, 4000),
          }
        : { type: 'db-check', check: 'check', ok: false, detail: outcome.ok ? '' : outcome.error.message };
    } else if (channel === 'db:backup') {
      const r = outcome.ok ? (outcome.result as BackupResult) : null;
      data = r
        ? {
            type: 'db-backup',
            file: r.file,
            bytes: r.size,
            ok: true,
            detail: `${r.damaged ? 'DAMAGED: the copy fails quick_check (kept as evidence; do not restore from it). ' : ''}${r.pages} pages, sha256 ${r.sha256}, ${Math.round(r.elapsedMs)} ms`,
          }
        : {
            type: 'db-backup',
            file: '',
            bytes: null,
            ok: false,
            detail: outcome.ok ? '' : outcome.error.message,
          };
    } else {
      if (!outcome.ok) return; // a sweep that failed says so in the Health panel; nothing was seen
      const r = outcome.result as SweepResult;
      const notOk = r.results.filter((p) => p.state !== 'ok' && p.state !== 'not-configured');
      data = {
        type: 'probe-snapshot',
        title: 'Health sweep',
        state: r.overall,
        summary:
          `${r.triage.headline}${notOk.length ? ` | ${notOk.map((p) => `${p.title}: ${p.state} (${p.summary})`).join('; ')}` : ''}`.slice(
            0,
            4000,
          ),
      };
    }
    this.store.db.transaction(() => this.append(id, data))();
    this.touched(id);
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
    this.requireActive(id, true);
    const existing = this.milestones(id)[milestone];
    if (existing && !reason?.trim())
      throw new OpsError(
        'bad-request',
        `The ${milestone} time was already set; correcting it needs a reason.`,
      );
    if (at > this.now() + 60_000)
      throw new OpsError('bad-request', `The ${milestone} time is in the future.`);
    this.store.db.transaction(() =>
      this.putMilestone(id, milestone, at, 'operator', reason?.trim() || null),
    )();
    return this.changed(id);
  }

  setImpactStart(id: string, at: number, reason: string): SessionDetail {
    this.requireActive(id, true);
    if (at > this.now() + 60_000) throw new OpsError('bad-request', 'The impact start is in the future.');
    this.store.db.transaction(() => this.putImpactStart(id, at, 'operator', null, reason))();
    return this.changed(id);
  }

  /** Re-run the triage and the session's checked steps; before/after becomes a timeline entry. */
  async verify(id: string): Promise<SessionDetail> {
    this.requireActive(id);
    if (!this.deps.triage)
      throw new OpsError('unavailable', 'Verify needs the health probes, which this host does not run.');
    const d = this.detail(id);
    const rows: VerifyRow[] = [];
    // Log lines written before the fix (the crash that started it all) must not keep verify red:
    // the logs are read from the operator's last recorded action on.
    const lastAction = [...d.events].reverse().find((e) => ACTION_TYPES.has(e.type));
    const logsSince = lastAction?.at ?? d.startedAt;
    const sweep = await this.deps.triage.sweep({ logsSince });
    const snap = d.events.find((e): e is Extract<SessionEvent, { type: 'triage' }> => e.type === 'triage');
    const triageOk = !isRed(sweep);
    const why = triageOk ? '' : `: ${sweep.triage.suggestions[0]?.reasons[0] ?? sweep.triage.headline}`;
    const since = new Date(logsSince).toISOString().slice(11, 19);
    rows.push({
      kind: 'triage',
      label: `Triage (logs since ${since} UTC)`,
      before: snap ? `${snap.severity} (${snap.overall})` : '—',
      after: `${sweep.triage.severity} (${sweep.overall})${why}`,
      ok: triageOk,
    });
    for (const r of sweep.results) {
      const before = snap?.probes.find((p) => p.id === r.id)?.state ?? '—';
      // Probe rows show what changed; the triage above already weighs them, so they do not block.
      if (before !== r.state)
        rows.push({
          kind: 'probe',
          label: r.title,
          before,
          after: r.state,
          ok: r.state === 'ok' || r.state === 'not-configured',
        });
    }
    // Each checked step once: its first verdict in the session, and a fresh read-only re-run.
    const seen = new Set<string>();
    for (const e of d.events) {
      if (e.type !== 'step' || e.mode !== 'run-check' || (!e.expect && !e.answers) || seen.has(e.stepId))
        continue;
      seen.add(e.stepId);
      const before = e.verdict ? verdictText(e.verdict) : e.status;
      if ((await classifyCommand(e.command)).risk !== 'read-only') {
        rows.push({
          kind: 'step',
          label: e.stepId,
          before,
          after: 'not re-run: it can change things',
          ok: true,
        });
        continue;
      }
      if (!this.deps.runStep) {
        rows.push({
          kind: 'step',
          label: e.stepId,
          before,
          after: 'not re-run: no install attached',
          ok: false,
        });
        continue;
      }
      const out = await this.deps.runStep(e.command);
      const v = toVerdict({ expect: e.expect ?? undefined, answers: e.answers }, out.output, out.exitCode);
      rows.push({ kind: 'step', label: e.stepId, before, after: verdictText(v), ok: v.status === 'pass' });
    }
    // The triage decides: a step's expectation may describe the symptom (a check that confirms the
    // fault passes before and fails after), so step rows are evidence for the operator, not a gate.
    const green = triageOk;
    this.store.db.transaction(() => {
      this.append(id, { type: 'verify', green, rows });
      if (green && !this.milestones(id).mitigated)
        this.putMilestone(id, 'mitigated', this.now(), 'console', 'verify was green');
    })();
    return this.changed(id);
  }

  end(id: string, input: EndInput): SessionDetail {
    const s = this.summary(id);
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
    this.store.db.transaction(() => {
      if (input.status === 'resolved' && s.kind === 'incident') {
        if (!this.milestones(id).mitigated)
          this.putMilestone(
            id,
            'mitigated',
            at,
            'console',
            pm.resolveOverride ? 'resolved with an override' : 'resolved',
          );
        this.putMilestone(
          id,
          'resolved',
          at,
          'console',
          pm.resolveOverride ? `resolved with an override: ${pm.resolveOverride}` : 'verify was green',
        );
      }
      this.store.db
        .prepare(
          `UPDATE sessions SET status = ?, ended_at = ?, summary = coalesce(?, summary), postmortem = ? WHERE id = ?`,
        )
        .run(input.status, at, input.summary?.trim() || null, JSON.stringify(pm), id);
      if (this.store.getSetting<string>(KEY_CURRENT) === id) this.store.deleteSetting(KEY_CURRENT);
    })();
    for (const [runId, r] of this.runs) if (r.sessionId === id) this.runs.delete(runId);
    this.ctx.emit('walkthrough:recording', { id: this.currentId() });
    return this.changed(id);
  }

  /** A draft revision of the session's runbook was saved: its timeline (and report) links to it. */
  recordRevision(id: string, data: { file: string; runbookId: string; draftId: string }): SessionEvent {
    this.requireActive(id, true);
    const eventId = this.store.db.transaction(() => this.append(id, { type: 'revision', ...data }))();
    this.touched(id);
    return this.eventById(id, eventId);
  }

  report(id: string, format: 'markdown' | 'json'): { fileName: string; mime: string; content: string } {
    const d = this.detail(id);
    const stamp = new Date(d.startedAt).toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const slug =
      d.title
        .toLowerCase()
        .replace(/[^a-z0-9]+/g, '-')
        .replace(/^-|-$/g, '')
        .slice(0, 48) || 'session';
    return format === 'json'
      ? { fileName: `${stamp}-${slug}.json`, mime: 'application/json', content: renderJson(d, this.now()) }
      : { fileName: `${stamp}-${slug}.md`, mime: 'text/markdown', content: renderMarkdown(d, this.now()) };
  }

  /** Finds a session by full id or a unique prefix (what the CLI accepts). */
  resolveId(idOrPrefix: string): string {
    if (!/^[0-9a-f-]{1,64}$/i.test(idOrPrefix))
      throw new OpsError(
        'bad-request',
        `"${idOrPrefix}" is not a session id`,
        'List sessions with `aura-ops report --list`.',
      );
    const rows = this.store.db
      .prepare(`SELECT id FROM sessions WHERE id LIKE ? || '%' LIMIT 2`)
      .all(idOrPrefix) as Array<{ id: string }>;
    if (rows.length === 0)
      throw new OpsError(
        'not-found',
        `No session ${idOrPrefix}`,
        'List sessions with `aura-ops report --list`.',
      );
    if (rows.length > 1)
      throw new OpsError(
        'bad-request',
        `"${idOrPrefix}" matches several sessions`,
        'Give more characters of the id.',
      );
    return rows[0]!.id;
  }

  /** The emergency contacts, one per role, in the handbook's order; roles nobody filled are left out. */
  contacts(): Contact[] {
    const stored = this.store.getSetting<Contact[]>(KEY_CONTACTS);
    if (!Array.isArray(stored)) return [];
    return CONTACT_ROLES.flatMap((role) =>
      stored.filter((c) => c && c.role === role && typeof c.name === 'string' && c.name.trim()).slice(0, 1),
    );
  }

  setContacts(list: Contact[]): Contact[] {
    const roles = list.map((c) => c.role);
    if (new Set(roles).size !== roles.length)
      throw new OpsError('bad-request', 'Each role has one contact; a role was given twice.');
    const bad = list.find((c) => c.name.trim() && !c.reach.trim());
    if (bad)
      throw new OpsError('bad-request', `Say how to reach ${bad.name} (${CONTACT_ROLE_LABEL[bad.role]}).`);
    this.store.setSetting(
      KEY_CONTACTS,
      list.filter((c) => c.name.trim()),
    );
    return this.contacts();
  }

  // --- internals ----------------------------------------------------------------------------

  private requireActive(id: string, allowEnded = false): SessionSummary {
    const s = this.summary(id);
    if (s.status !== 'active' && !allowEnded) {
      throw new OpsError(
        'bad-request',
        `The session "${s.title}" is ${s.status}; nothing more can be recorded in it`,
        'Start a new session to go on.',
      );
    }
    return s;
  }

  private isActive(id: string): boolean {
    const row = this.store.db.prepare(`SELECT status FROM sessions WHERE id = ?`).get(id) as
      { status: string } | undefined;
    return row?.status === 'active';
  }

  private setRecording(id: string, at: number): void {
    this.store.setSetting(KEY_CURRENT, id);
    void at;
    this.ctx.emit('walkthrough:recording', { id });
  }

  private append(id: string, data: SessionEventData, runId: string | null = null): number {
    const info = this.store.db
      .prepare(`INSERT INTO session_events (session_id, at, type, data, run_id) VALUES (?, ?, ?, ?, ?)`)
      .run(id, this.now(), data.type, JSON.stringify(data), runId);
    if (data.type === 'check') {
      this.store.db
        .prepare(
          `INSERT INTO session_checks (session_id, item_key, label, checked, at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(session_id, item_key) DO UPDATE SET checked = excluded.checked, label = excluded.label, at = excluded.at`,
        )
        .run(id, data.itemKey, data.label, data.checked ? 1 : 0, this.now());
    }
    if (data.type === 'severity')
      this.store.db.prepare(`UPDATE sessions SET severity = ? WHERE id = ?`).run(data.severity, id);
    return Number(info.lastInsertRowid);
  }

  private stepEntry(desc: StepDescriptor, mode: StepEvent['mode'], patch: Partial<StepEvent>): StepEvent {
    return {
      type: 'step',
      runId: desc.runId,
      stepId: desc.stepId,
      runbookId: desc.runbookId ?? null,
      command: desc.command,
      mode,
      status: 'running',
      terminalId: null,
      expect: desc.expect ?? null,
      ...(desc.answers ? { answers: desc.answers } : {}),
      startedAt: null,
      endedAt: null,
      exitCode: null,
      durationMs: null,
      output: '',
      verdict: null,
      reason: null,
      ...patch,
    };
  }

  private eventIdByRun(runId: string): number | null {
    const row = this.store.db.prepare(`SELECT id FROM session_events WHERE run_id = ?`).get(runId) as
      { id: number } | undefined;
    return row?.id ?? null;
  }

  private updateStep(sessionId: string, runId: string, patch: Partial<StepEvent>): void {
    const row = this.store.db
      .prepare(`SELECT id, data FROM session_events WHERE run_id = ? AND session_id = ?`)
      .get(runId, sessionId) as { id: number; data: string } | undefined;
    if (!row) return;
    const next = { ...(JSON.parse(row.data) as StepEvent), ...patch };
    this.store.db
      .prepare(`UPDATE session_events SET data = ? WHERE id = ?`)
      .run(JSON.stringify(next), row.id);
    this.touched(sessionId);
  }

  private putMilestone(
    id: string,
    milestone: Milestone,
    at: number,
    source: 'console' | 'operator',
    reason: string | null,
  ): void {
    const previous = this.milestones(id)[milestone]?.at ?? null;
    this.store.db
      .prepare(
        `INSERT INTO session_milestones (session_id, milestone, at, source, reason) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(session_id, milestone) DO UPDATE SET at = excluded.at, source = excluded.source, reason = excluded.reason`,
      )
      .run(id, milestone, at, source, reason);
    this.append(id, { type: 'milestone', milestone, time: at, previous, source, reason });
  }

  private putImpactStart(
    id: string,
    at: number,
    source: 'logs' | 'operator',
    evidence: LogEvidence | null,
    reason: string | null,
  ): void {
    const prev = this.impactStart(id);
    this.store.db
      .prepare(`UPDATE sessions SET impact_start = ? WHERE id = ?`)
      .run(JSON.stringify({ at, source, evidence }), id);
    this.append(id, { type: 'impact-start', time: at, previous: prev?.at ?? null, source, evidence, reason });
  }

  private milestones(id: string): Partial<Record<Milestone, MilestoneEntry>> {
    const out: Partial<Record<Milestone, MilestoneEntry>> = {};
    for (const r of this.store.db
      .prepare(`SELECT milestone, at, source, reason FROM session_milestones WHERE session_id = ?`)
      .all(id) as Array<{
      milestone: Milestone;
      at: number;
      source: 'console' | 'operator';
      reason: string | null;
    }>) {
      if ((MILESTONES as readonly string[]).includes(r.milestone))
        out[r.milestone] = { at: r.at, source: r.source, reason: r.reason };
    }
    return out;
  }

  private impactStart(id: string): SessionDetail['impactStart'] {
    const row = this.store.db.prepare(`SELECT impact_start FROM sessions WHERE id = ?`).get(id) as
      { impact_start: string | null } | undefined;
    return row?.impact_start ? (JSON.parse(row.impact_start) as SessionDetail['impactStart']) : null;
  }

  private summary(id: string): SessionSummary {
    return toSummary(this.row(id));
  }

  private row(id: string): SessionRow {
    const row = this.store.db
      .prepare(
        `SELECT s.*, (SELECT count(*) FROM session_events e WHERE e.session_id = s.id) AS event_count FROM sessions s WHERE s.id = ?`,
      )
      .get(id) as SessionRow | undefined;
    if (!row)
      throw new OpsError(
        'not-found',
        `No walk-through session with id ${id}`,
        'It may have been recorded with another --data-dir.',
      );
    return row;
  }

  private eventById(sessionId: string, eventId: number): SessionEvent {
    const r = this.store.db.prepare(`SELECT id, at, data FROM session_events WHERE id = ?`).get(eventId) as {
      id: number;
      at: number;
      data: string;
    };
    return { ...(JSON.parse(r.data) as SessionEventData), id: r.id, at: r.at, sessionId };
  }

  private detail(id: string): SessionDetail {
    const row = this.row(id);
    const events = (
      this.store.db
        .prepare(`SELECT id, at, data FROM session_events WHERE session_id = ? ORDER BY id`)
        .all(id) as Array<{
        id: number;
        at: number;
        data: string;
      }>
    ).map((r) => ({ ...(JSON.parse(r.data) as SessionEventData), id: r.id, at: r.at, sessionId: id }));
    const checks: SessionDetail['checks'] = {};
    for (const c of this.store.db
      .prepare(`SELECT item_key, label, checked, at FROM session_checks WHERE session_id = ?`)
      .all(id) as Array<{
      item_key: string;
      label: string;
      checked: number;
      at: number;
    }>) {
      checks[c.item_key] = { label: c.label, checked: c.checked === 1, at: c.at };
    }
    const postmortem = row.postmortem
      ? { ...EMPTY_POSTMORTEM, ...(JSON.parse(row.postmortem) as Partial<Postmortem>) }
      : { ...EMPTY_POSTMORTEM };
    return {
      ...toSummary(row),
      scheduledFor: row.scheduled_for,
      contacts: this.contacts(),
      events,
      checks,
      milestones: this.milestones(id),
      impactStart: this.impactStart(id),
      postmortem,
    };
  }

  /** Tell every window the session changed (its summary only: a write stays O(1) in the timeline length). */
  private touched(id: string): void {
    this.ctx.emit('walkthrough:changed', toSummary(this.row(id)));
  }

  private changed(id: string): SessionDetail {
    this.touched(id);
    return this.detail(id);
  }
}

/** A valid IANA zone (the operator's), or this machine's. */
function zoneOf(timeZone: string | undefined): string {
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

function toVerdict(
  desc: Pick<StepDescriptor, 'expect' | 'answers'>,
  output: string,
  exitCode: number | null,
): StepVerdict {
  // The declared answers (findings); a step of the simple form (expect/exit) has one, the healthy one.
  const answers = desc.answers ?? parseAnswers({}, desc.expect ?? null).answers;
  const r = answerStep(answers, output, exitCode);
  const status = r.outcome === 'ok' ? 'pass' : r.outcome === 'unchecked' ? 'unchecked' : 'fail';
  return {
    status,
    expected: r.expected,
    actual: r.seen,
    reasons: r.reasons,
    outcome: r.outcome,
    finding: r.outcome === 'finding' || r.outcome === 'warn' ? r.label : null,
  };
}

/** A verdict as the verify table shows it: the finding's name, not pass/fail (older sessions: status). */
function verdictText(v: StepVerdict): string {
  return `${v.outcome ? outcomeText(v.outcome, v.finding) : v.status} (${v.actual})`;
}

function toSummary(r: SessionRow): SessionSummary {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    runbookId: r.runbook_id,
    runbookTitle: r.runbook_title,
    severity: r.severity,
    status: r.status,
    installLabel: r.install_label,
    installRoot: r.install_root,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    summary: r.summary,
    eventCount: r.event_count,
  };
}
