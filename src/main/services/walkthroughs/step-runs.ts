// Step runs of walk-through sessions: a step run is one timeline entry keyed by its run id, written
// when sent and completed when its command finishes (checked here, once); hand-typed commands are
// recorded as ad hoc. Steps declined or only copied, and runs past unmet preconditions, are recorded too.
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import type { SessionEvent } from '../../../shared/contract/walkthroughs-session';
import type { StepDescriptor, StepResult } from '../../../shared/contract/walkthroughs-steps';
import { OpsError } from '../../../shared/errors';
import { extractOutput } from '../../../shared/runbooks/inputs';
import type { ServiceContext } from '../context';
import type { SessionLog, StepEvent } from './session-log';
import { toVerdict } from './verdict';

/** Output kept per recorded command: enough for a report, bounded so ops.db stays small. */
export const OUTPUT_EXCERPT_CHARS = 4096;
/** Step runs main waits on at once; older unanswered ones are forgotten (their entry stays "running"). */
export const MAX_OPEN_RUNS = 500;

interface OpenRun {
  sessionId: string | null;
  desc: StepDescriptor;
  mode: 'run' | 'run-check' | 'paste';
}

/** A step run let through past its unmet preconditions, and the operator's reason. */
export interface PreconditionOverride {
  stepId: string;
  runbookId?: string;
  command: string;
  unmet: Array<{ label: string; why: string }>;
  reason: string;
}

export class StepRuns {
  private readonly runs = new Map<string, OpenRun>();

  constructor(
    private readonly log: SessionLog,
    private readonly ctx: ServiceContext,
    private readonly now: () => number,
  ) {}

  /**
   * A step is about to be sent under `desc.runId`. The entry is written before the command is
   * sent, so a crash in between still shows it; `send` failing marks it not sent.
   */
  async runStep<R extends { sessionId: string; mode: 'run' | 'paste' }>(
    desc: StepDescriptor,
    mode: 'run' | 'run-check' | 'paste',
    send: () => Promise<R>,
  ): Promise<R> {
    if (this.runs.has(desc.runId) || this.log.eventIdByRun(desc.runId) !== null) {
      throw new OpsError('bad-request', `Run id ${desc.runId} was used before; each run needs a new one.`);
    }
    const sessionId = this.log.currentId();
    const at = this.now();
    if (sessionId) {
      this.log.transaction(() => {
        this.log.append(
          sessionId,
          this.stepEntry(desc, mode, { status: mode === 'paste' ? 'pasted' : 'running', startedAt: at }),
          desc.runId,
        );
        if (desc.runbookId) this.log.claimRunbook(sessionId, desc.runbookId, desc.runbookTitle ?? null);
      });
      this.log.touched(sessionId);
    }
    this.runs.set(desc.runId, { sessionId, desc, mode });
    while (this.runs.size > MAX_OPEN_RUNS) this.runs.delete(this.runs.keys().next().value as string);
    try {
      const r = await send();
      if (sessionId) this.log.updateStep(sessionId, desc.runId, { terminalId: r.sessionId });
      return r;
    } catch (err) {
      this.runs.delete(desc.runId);
      if (sessionId)
        this.log.updateStep(sessionId, desc.runId, {
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
  overridePreconditions(o: PreconditionOverride): SessionEvent {
    const id = this.log.currentId();
    if (!id)
      throw new OpsError(
        'bad-request',
        'No session is recording, so the override could not be recorded.',
        'Start a walk-through (or record into a session) first: an override is kept on its timeline.',
      );
    const eventId = this.log.transaction(() =>
      this.log.append(id, {
        type: 'precondition-override',
        stepId: o.stepId,
        runbookId: o.runbookId ?? null,
        command: o.command,
        unmet: o.unmet,
        reason: o.reason,
      }),
    );
    this.log.touched(id);
    return this.log.eventById(id, eventId);
  }

  /** A step whose confirmation was declined (or that was only copied): recorded as that, never as run. */
  stepNotRun(desc: StepDescriptor, outcome: 'declined' | 'copied', reason?: string): { recorded: boolean } {
    const sessionId = this.log.currentId();
    if (!sessionId) return { recorded: false };
    if (this.log.eventIdByRun(desc.runId) !== null)
      throw new OpsError('bad-request', `Run id ${desc.runId} was used before; each run needs a new one.`);
    this.log.transaction(() =>
      this.log.append(
        sessionId,
        this.stepEntry(desc, outcome === 'copied' ? 'copy' : 'run', {
          status: outcome,
          reason: reason ?? (outcome === 'declined' ? 'the operator cancelled the confirmation' : null),
        }),
        desc.runId,
      ),
    );
    this.log.touched(sessionId);
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
      if (run.sessionId && this.log.isActive(run.sessionId)) {
        this.log.updateStep(run.sessionId, cmd.runId, {
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
    const id = this.log.currentId();
    if (!id) return null;
    this.log.transaction(() =>
      this.log.append(id, {
        type: 'command',
        adHoc: true,
        command: cmd.command,
        exitCode: cmd.exitCode,
        durationMs: cmd.durationMs ?? null,
        cwd: cmd.cwd ?? null,
        output,
        terminalId: cmd.sessionId ?? null,
      }),
    );
    this.log.touched(id);
    return null;
  }

  /** An ended session waits on none of its runs any more. */
  forgetSession(id: string): void {
    for (const [runId, r] of this.runs) if (r.sessionId === id) this.runs.delete(runId);
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
}
