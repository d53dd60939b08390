// Shell-integration tracking for one session: the OSC 633 marks the shell hooks write turn into the
// shell's state (at a prompt, running a command), its cwd, and "command finished" records with the
// command's exit code, duration and the tail of its output.
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import { stripAnsi } from '../../../shared/ansi';
import { CWD_PROPERTY, VSCodeOscPt } from '../../../shared/shell-integration-protocol';
import { ShellIntegrationParser, unescapeField } from './shell-integration';

/** Raw output kept per running command; stripped and cut to the excerpt size when it finishes. */
const EXCERPT_RAW_CHARS = 16 * 1024;
/** The command-finished excerpt: the last ~4 KB of plain text. */
const EXCERPT_CHARS = 4 * 1024;

export class CommandTracker {
  /** The shell's hooks reported in: a prompt was marked since the shell started. */
  integration = false;
  private nonce = '';
  private parser = new ShellIntegrationParser();
  private state: 'idle' | 'prompt' | 'running' = 'idle';
  currentCommand: string | null = null;
  private commandLine: string | null = null;
  private startedAt = 0;
  private commandCwd: string | null = null;
  /** Run id of the command just sent by terminal:run; the next command start takes it. */
  private pendingRunId: string | null = null;
  private runId: string | null = null;
  lastCwd: string | null = null;
  private excerpt = '';
  private readyWaiters: (() => void)[] = [];

  constructor(private readonly sessionId: string) {}

  /** A shell starts (first start or restart in place): what the previous one marked no longer holds. */
  restart(nonce: string): void {
    this.nonce = nonce;
    this.integration = false;
    this.state = 'idle';
    this.currentCommand = null;
    this.commandLine = null;
    this.pendingRunId = null;
    this.runId = null;
    this.parser = new ShellIntegrationParser();
  }

  get bracketedPaste(): boolean {
    return this.parser.bracketedPaste;
  }

  /**
   * The next command to start in this shell is the one terminal:run is sending now: its finished
   * record carries `runId` (null: a command sent without one, recorded as ad hoc).
   */
  expectRun(runId: string | null): void {
    this.pendingRunId = runId;
  }

  get isRunningCommand(): boolean {
    return this.state === 'running';
  }

  get atPrompt(): boolean {
    return this.state === 'prompt';
  }

  /** Resolves at the next prompt mark, when the shell ends, or after `ms`. */
  waitPrompt(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(done, ms);
      const waiter = (): void => done();
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.readyWaiters.push(waiter);
    });
  }

  /** Resolves every waitPrompt (a prompt came, or the shell ended). */
  wakeWaiters(): void {
    const waiters = this.readyWaiters.splice(0);
    for (const w of waiters) w();
  }

  /**
   * Reads the marks in a chunk of output: the record of a command that finished in it, and whether
   * what the session reports about the shell changed.
   */
  feed(d: string): { finished: TerminalCommandFinished | null; changed: boolean } {
    let finished: TerminalCommandFinished | null = null;
    let changed = false;
    for (const piece of this.parser.feed(d)) {
      if (piece.kind === 'text') {
        if (this.state === 'running') this.addExcerpt(piece.text);
        continue;
      }
      const r = this.onMark(piece.code, piece.args);
      if (r === 'changed') changed = true;
      else if (r) {
        finished = r;
        changed = true;
      }
    }
    return { finished, changed };
  }

  private onMark(code: string, args: string[]): TerminalCommandFinished | 'changed' | null {
    switch (code) {
      case VSCodeOscPt.PromptStart:
        return null;
      case VSCodeOscPt.CommandStart: {
        const first = !this.integration;
        this.integration = true;
        if (this.state !== 'running') this.state = 'prompt';
        this.wakeWaiters();
        return first ? 'changed' : null;
      }
      case VSCodeOscPt.CommandLine:
        // The nonce proves the line came from our hook, not from output that imitates it.
        if (args.length >= 2 && args[args.length - 1] === this.nonce) {
          this.commandLine = unescapeField(args.slice(0, -1).join(';'));
        }
        return null;
      case VSCodeOscPt.CommandExecuted:
        this.state = 'running';
        this.startedAt = Date.now();
        this.commandCwd = this.lastCwd;
        this.currentCommand = this.commandLine ?? '';
        this.commandLine = null;
        this.runId = this.pendingRunId;
        this.pendingRunId = null;
        this.excerpt = '';
        return 'changed';
      case VSCodeOscPt.CommandFinished: {
        if (this.state !== 'running') return null;
        const code = args[0] !== undefined && /^-?\d+$/.test(args[0]) ? Number(args[0]) : null;
        return this.finishCommand(code);
      }
      case VSCodeOscPt.Property: {
        const kv = args.join(';');
        if (kv.startsWith(CWD_PROPERTY)) this.lastCwd = unescapeField(kv.slice(CWD_PROPERTY.length));
        return null;
      }
      default:
        return null;
    }
  }

  /** Ends the running command (its finish mark came, or the shell ended) and makes its record. */
  finishCommand(exitCode: number | null): TerminalCommandFinished {
    const ended = Date.now();
    const plain = stripAnsi(this.excerpt);
    const record: TerminalCommandFinished = {
      sessionId: this.sessionId,
      command: this.currentCommand ?? '',
      exitCode,
      cwd: this.commandCwd,
      startedAt: new Date(this.startedAt).toISOString(),
      endedAt: new Date(ended).toISOString(),
      durationMs: ended - this.startedAt,
      outputExcerpt: plain.length > EXCERPT_CHARS ? plain.slice(plain.length - EXCERPT_CHARS) : plain,
      runId: this.runId,
    };
    this.runId = null;
    this.state = 'idle';
    this.currentCommand = null;
    this.excerpt = '';
    return record;
  }

  private addExcerpt(text: string): void {
    if (text.length >= EXCERPT_RAW_CHARS) {
      this.excerpt = text.slice(text.length - EXCERPT_RAW_CHARS);
      return;
    }
    this.excerpt += text;
    if (this.excerpt.length > 2 * EXCERPT_RAW_CHARS)
      this.excerpt = this.excerpt.slice(this.excerpt.length - EXCERPT_RAW_CHARS);
  }
}
