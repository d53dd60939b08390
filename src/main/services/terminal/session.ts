// One pty session: its lifecycle (attach, restart in place, the kill escalation over the shell's
// process tree, exit) and the glue between the pty, its output flow (output-flow.ts: batching,
// ack-based flow control, replay) and its shell-integration tracking (command-tracker.ts).
import type { IPty } from 'node-pty';
import type { TerminalCommandFinished, TerminalSessionInfo } from '../../../shared/contract/terminal';
import { OpsError } from '../../../shared/errors';
import { descendants, isAlive } from '../system/proc-table';
import { CommandTracker } from './command-tracker';
import { OutputFlow, type FlowTunables } from './output-flow';

export interface SessionTunables extends FlowTunables {
  /** After SIGHUP, wait this long before SIGKILL of the shell and its children. */
  killGraceMs: number;
}

export const DEFAULT_TUNABLES: SessionTunables = {
  batchMs: 5,
  maxBatchChars: 64 * 1024,
  // VS Code resumes at 5k; here the renderer acks per coalesced write, so resuming only when
  // nearly everything is acked left the pipe empty for a round trip each cycle. 200k/100k keeps it
  // full (bench/terminal, before held output was cut: 3.4 -> 4.3 MB/s through Chromium) with
  // Ctrl-C p95 unchanged (~0.16 s).
  highWatermark: 200_000,
  lowWatermark: 100_000,
  maxHeldChars: 32 * 1024 * 1024,
  replayLimitChars: 512 * 1024,
  killGraceMs: 2_000,
};

export interface SessionEvents {
  data(sessionId: string, data: string, offset: number): void;
  /** Scrollback rows of the renderer's terminal, so held output is never cut to fewer rows. */
  scrollback(): number;
  exit(sessionId: string, exitCode: number | null, signal: number | null): void;
  commandFinished(record: TerminalCommandFinished): void;
  changed(): void;
}

export interface SessionSpawn {
  pty: IPty;
  shell: string;
  cwd: string;
  cols: number;
  rows: number;
  integration: boolean;
  nonce: string;
}

export class TerminalSession {
  title: string;
  readonly createdAt = new Date().toISOString();
  shell = '';
  cwd = '';
  cols = 80;
  rows = 24;
  status: 'running' | 'exited' = 'running';
  exitCode: number | null = null;
  signal: number | null = null;
  removed = false;

  private pty: IPty | null = null;
  private integrationInjected = false;
  private readonly output: OutputFlow;
  private readonly commands: CommandTracker;
  private killTimer: NodeJS.Timeout | null = null;
  /** Pids to SIGKILL when the kill grace ends (the shell and what ran under it). */
  private killList: number[] = [];

  constructor(
    readonly id: string,
    title: string,
    private readonly tun: SessionTunables,
    private readonly events: SessionEvents,
  ) {
    this.title = title;
    this.output = new OutputFlow(tun, {
      runningPty: () => (this.status === 'running' ? this.pty : null),
      rows: () => this.rows,
      scrollback: () => events.scrollback(),
      data: (data, offset) => {
        if (!this.removed) events.data(this.id, data, offset);
      },
    });
    this.commands = new CommandTracker(id);
  }

  /** Attaches a freshly spawned pty (first start or restart in place). */
  attach(s: SessionSpawn): void {
    this.pty = s.pty;
    this.shell = s.shell;
    this.cwd = s.cwd;
    this.cols = s.cols;
    this.rows = s.rows;
    this.integrationInjected = s.integration;
    this.status = 'running';
    this.exitCode = null;
    this.signal = null;
    this.commands.restart(s.nonce);
    this.output.restart();
    const pty = s.pty;
    pty.onData((d) => {
      if (this.pty === pty) this.onOutput(d);
    });
    pty.onExit(({ exitCode, signal }) => {
      if (this.pty === pty) this.onExit(exitCode, signal ?? null);
    });
  }

  info(): TerminalSessionInfo {
    const busy =
      this.status === 'running' &&
      (this.commands.isRunningCommand ||
        (!this.commands.integration && this.pty !== null && descendants(this.pty.pid).length > 0));
    return {
      id: this.id,
      title: this.title,
      shell: this.shell,
      cwd: this.cwd,
      pid: this.status === 'running' && this.pty ? this.pty.pid : null,
      cols: this.cols,
      rows: this.rows,
      status: this.status,
      exitCode: this.exitCode,
      signal: this.signal,
      integration: this.commands.integration,
      busy,
      currentCommand: this.commands.isRunningCommand ? this.commands.currentCommand : null,
      lastCwd: this.commands.lastCwd,
      createdAt: this.createdAt,
    };
  }

  get bracketedPaste(): boolean {
    return this.commands.bracketedPaste;
  }

  /** The next command to start is the one terminal:run is sending now (see CommandTracker.expectRun). */
  expectRun(runId: string | null): void {
    this.commands.expectRun(runId);
  }

  get isRunningCommand(): boolean {
    return this.commands.isRunningCommand;
  }

  get flow(): { unacked: number; paused: boolean; held: number } {
    return this.output.flow;
  }

  /** Chars of output never sent because they would have scrolled out of the terminal unseen. */
  get droppedChars(): number {
    return this.output.droppedChars;
  }

  private livePty(): IPty {
    if (this.status !== 'running' || !this.pty) {
      throw new OpsError(
        'unavailable',
        `Terminal "${this.title}" has exited; restart it or open a new terminal.`,
      );
    }
    return this.pty;
  }

  write(data: string): number {
    this.livePty().write(data);
    return data.length;
  }

  resize(cols: number, rows: number): void {
    this.livePty().resize(cols, rows);
    this.cols = cols;
    this.rows = rows;
  }

  ack(chars: number): { unacked: number; paused: boolean; held: number } {
    return this.output.ack(chars);
  }

  /** A renderer (re)attaches: it gets the retained buffer, and flow control starts over for it. */
  takeReplay(): { data: string; endOffset: number; truncated: boolean } {
    return this.output.takeReplay();
  }

  get replayChars(): number {
    return this.output.replayChars;
  }

  /** Resolves once the shell shows its first prompt (or after `timeoutMs` for shells without hooks). */
  waitReady(timeoutMs: number): Promise<void> {
    if (this.commands.atPrompt || this.status !== 'running') return Promise.resolve();
    return this.commands.waitPrompt(this.integrationInjected ? timeoutMs : Math.min(timeoutMs, 300));
  }

  kill(): void {
    if (this.status !== 'running' || !this.pty) return;
    const pid = this.pty.pid;
    const kids = descendants(pid);
    try {
      this.pty.kill('SIGHUP');
    } catch (err) {
      throw new OpsError('internal', `Could not stop terminal "${this.title}": ${(err as Error).message}`);
    }
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killList = [pid, ...kids];
    this.killTimer = setTimeout(() => this.killLeftovers(), this.tun.killGraceMs);
    this.killTimer.unref();
  }

  private killLeftovers(): void {
    if (this.killTimer) clearTimeout(this.killTimer);
    this.killTimer = null;
    const pids = [
      ...this.killList,
      ...(this.pty && this.status === 'running' ? [this.pty.pid, ...descendants(this.pty.pid)] : []),
    ];
    this.killList = [];
    for (const p of new Set(pids)) {
      if (isAlive(p)) {
        try {
          process.kill(p, 'SIGKILL');
        } catch {
          // it exited between the check and the signal: nothing left to stop
        }
      }
    }
  }

  /** Immediate SIGKILL of the shell and everything under it (host shutdown). */
  destroy(): void {
    this.output.stop();
    this.killLeftovers();
  }

  // -------------------------------------------------------------------------------------------

  private onOutput(d: string): void {
    const { finished, changed } = this.commands.feed(d);
    this.output.push(d, finished !== null);
    if (finished) this.events.commandFinished(finished);
    if (changed) this.events.changed();
  }

  private onExit(exitCode: number, signal: number | null): void {
    // A pending kill escalation keeps running: children that ignored SIGHUP outlive the shell.
    this.output.flush();
    this.output.release();
    const code = signal ? null : exitCode;
    let finished: TerminalCommandFinished | null = null;
    // The shell ended while a command ran (`exit 3`, or it was killed): the command ends with it.
    if (this.commands.isRunningCommand) finished = this.commands.finishCommand(code);
    this.status = 'exited';
    this.exitCode = code;
    this.signal = signal || null;
    const how = signal ? `was stopped by signal ${signal}` : `exited with code ${exitCode}`;
    this.output.end(`\r\n\x1b[0;2m[The shell ${how}. Restart it from the tab menu.]\x1b[0m\r\n`);
    this.commands.wakeWaiters();
    if (finished) this.events.commandFinished(finished);
    this.events.exit(this.id, code, this.signal);
    this.events.changed();
  }
}
