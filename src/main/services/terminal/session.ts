// One pty session: output batched in short windows, ack-based flow control (pause the pty when the
// renderer falls behind), a bounded replay buffer for reattaching, and shell-integration tracking
// that turns OSC 633 marks into "command finished" records.
import type { IPty } from 'node-pty';
import type { TerminalCommandFinished, TerminalSessionInfo } from '../../../shared/contract/terminal';
import { OpsError } from '../../../shared/errors';
import { cutFlood, endsInGround, type FloodRefusal } from './flood';
import { stripAnsi } from '../../../shared/ansi';
import { CWD_PROPERTY, VSCodeOscPt } from '../../../shared/shell-integration-protocol';
import { descendants, isAlive } from '../system/proc-table';
import { ReplayBuffer } from './replay-buffer';
import { ShellIntegrationParser, unescapeField } from './shell-integration';

export interface SessionTunables {
  /** Output collected for this long is sent as one event (VS Code uses 5 ms). */
  batchMs: number;
  /** A batch this large is sent at once, so one event never holds megabytes and flow control stays tight. */
  maxBatchChars: number;
  /**
   * With this many emitted chars not yet acknowledged by the renderer, further output is held back
   * (cut to what can still be on screen when it is plain text, otherwise the pty is paused).
   */
  highWatermark: number;
  /** Send what was held (and resume the pty) once the unacknowledged count falls below this. */
  lowWatermark: number;
  /** Output held back for a renderer that is behind, beyond which the pty is paused even when it could be cut. */
  maxHeldChars: number;
  /** Output kept for replay on reattach. */
  replayLimitChars: number;
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

/** Held output waiting for enough lines to be cut is allowed this many chars per terminal row. */
const HELD_CHARS_PER_ROW = 256;
/**
 * The first cut is tried once this much is held: short lines (`yes`) are cut early, so little is
 * queued ahead of the prompt after Ctrl-C; longer ones wait, doubling, for enough lines.
 */
const FIRST_CUT_CHARS = 32 * 1024;
/** A flood being cut is sent to the renderer at most this often... */
const CUT_RELEASE_MS = 200;
/** ...or once the pty has been quiet this long. */
const OUTPUT_IDLE_MS = 10;
/** DECSTBM (set the scroll region) or RIS (full reset), as the session watches for them. */
const SCROLL_REGION_OR_RIS = /\x1b\[(\d*)(?:;(\d*))?r|\x1bc/g;
/** Held output is sent in events of at most this many chars (the renderer writes 1 MB at a time). */
const RELEASE_EVENT_CHARS = 1024 * 1024;
/** Raw output kept per running command; stripped and cut to the excerpt size when it finishes. */
const EXCERPT_RAW_CHARS = 16 * 1024;
/** The command-finished excerpt: the last ~4 KB of plain text. */
const EXCERPT_CHARS = 4 * 1024;

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
  private nonce = '';
  private integrationInjected = false;
  private parser = new ShellIntegrationParser();
  private batch: string[] = [];
  private batchLen = 0;
  private batchTimer: NodeJS.Timeout | null = null;
  private offset = 0;
  private replay: ReplayBuffer;
  private unacked = 0;
  private paused = false;
  // Output held back while the renderer is behind (see flood.ts): cut to what can still be on
  // screen when it is plain text, sent when the renderer catches up.
  private holding = false;
  private held: string[] = [];
  private heldLen = 0;
  private heldCutAt = 0;
  private heldGround = true;
  /** Why the last cut attempt failed, if it did. */
  private heldRefusal: FloodRefusal | null = null;
  /** Cuts made since holding began: a flood being cut is sent a few times a second. */
  private heldCuts = 0;
  private releaseTimer: NodeJS.Timeout | null = null;
  private lastRelease = 0;
  private lastOutput = 0;
  /** The emitted stream ends outside any escape sequence. */
  private streamGround = true;
  /** A scroll region smaller than the screen is set: lines do not reach the scrollback, no cuts. */
  private scrollRegion = false;
  /** Chars of output never sent because they would have scrolled out of the terminal unseen. */
  droppedChars = 0;
  private killTimer: NodeJS.Timeout | null = null;
  /** Pids to SIGKILL when the kill grace ends (the shell and what ran under it). */
  private killList: number[] = [];

  // Shell-integration state.
  integration = false;
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

  constructor(
    readonly id: string,
    title: string,
    private readonly tun: SessionTunables,
    private readonly events: SessionEvents,
  ) {
    this.title = title;
    this.replay = new ReplayBuffer(tun.replayLimitChars);
  }

  /** Attaches a freshly spawned pty (first start or restart in place). */
  attach(s: SessionSpawn): void {
    this.pty = s.pty;
    this.shell = s.shell;
    this.cwd = s.cwd;
    this.cols = s.cols;
    this.rows = s.rows;
    this.nonce = s.nonce;
    this.integrationInjected = s.integration;
    this.status = 'running';
    this.exitCode = null;
    this.signal = null;
    this.integration = false;
    this.state = 'idle';
    this.currentCommand = null;
    this.commandLine = null;
    this.pendingRunId = null;
    this.runId = null;
    this.unacked = 0;
    this.paused = false;
    this.holding = false;
    this.held = [];
    this.heldLen = 0;
    this.streamGround = true;
    this.scrollRegion = false;
    this.parser = new ShellIntegrationParser();
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
      (this.state === 'running' ||
        (!this.integration && this.pty !== null && descendants(this.pty.pid).length > 0));
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
      integration: this.integration,
      busy,
      currentCommand: this.state === 'running' ? this.currentCommand : null,
      lastCwd: this.lastCwd,
      createdAt: this.createdAt,
    };
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

  get flow(): { unacked: number; paused: boolean; held: number } {
    return { unacked: this.unacked, paused: this.paused, held: this.heldLen };
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
    this.unacked = Math.max(0, this.unacked - chars);
    if (this.unacked < this.tun.lowWatermark) {
      if (this.holding) this.releaseWhenDue();
      else if (this.paused) this.resumePty();
    }
    return this.flow;
  }

  /** A renderer (re)attaches: it gets the retained buffer, and flow control starts over for it. */
  takeReplay(): { data: string; endOffset: number; truncated: boolean } {
    this.flush();
    this.release();
    const data = this.replay.text();
    this.unacked = 0;
    if (this.paused) this.resumePty();
    return { data, endOffset: this.offset, truncated: this.replay.truncated };
  }

  get replayChars(): number {
    return this.replay.chars;
  }

  /** Resolves once the shell shows its first prompt (or after `timeoutMs` for shells without hooks). */
  waitReady(timeoutMs: number): Promise<void> {
    if (this.state === 'prompt' || this.status !== 'running') return Promise.resolve();
    return new Promise((resolve) => {
      const t = setTimeout(done, this.integrationInjected ? timeoutMs : Math.min(timeoutMs, 300));
      const waiter = (): void => done();
      function done(): void {
        clearTimeout(t);
        resolve();
      }
      this.readyWaiters.push(waiter);
    });
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
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
    this.killLeftovers();
  }

  // -------------------------------------------------------------------------------------------

  private onOutput(d: string): void {
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
    if (d.includes('\x1b')) this.trackScrollRegion(d);
    if (this.holding) {
      this.hold(d);
      if (finished) this.events.commandFinished(finished);
      if (changed) this.events.changed();
      return;
    }
    this.batch.push(d);
    this.batchLen += d.length;
    // Output waiting in the batch counts as unacknowledged too, so holding starts not one batch late.
    if (this.unacked + this.batchLen > this.tun.highWatermark) {
      this.flush();
      this.holding = true;
      this.heldGround = this.streamGround;
      this.heldCutAt = FIRST_CUT_CHARS;
      this.heldRefusal = null;
      this.heldCuts = 0;
      if (finished) this.events.commandFinished(finished);
      if (changed) this.events.changed();
      return;
    }
    if (finished || this.batchLen >= this.tun.maxBatchChars) this.flush();
    else if (!this.batchTimer) this.batchTimer = setTimeout(() => this.flush(), this.tun.batchMs);
    if (finished) this.events.commandFinished(finished);
    if (changed) this.events.changed();
  }

  private onMark(code: string, args: string[]): TerminalCommandFinished | 'changed' | null {
    switch (code) {
      case VSCodeOscPt.PromptStart:
        return null;
      case VSCodeOscPt.CommandStart: {
        const first = !this.integration;
        this.integration = true;
        if (this.state !== 'running') this.state = 'prompt';
        const waiters = this.readyWaiters.splice(0);
        for (const w of waiters) w();
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

  private finishCommand(exitCode: number | null): TerminalCommandFinished {
    const ended = Date.now();
    const plain = stripAnsi(this.excerpt);
    const record: TerminalCommandFinished = {
      sessionId: this.id,
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

  /** Holds output for a renderer that is behind; cuts it when it can, pauses the pty when it cannot. */
  private hold(d: string): void {
    this.held.push(d);
    this.heldLen += d.length;
    this.lastOutput = Date.now();
    const scrollback = this.events.scrollback();
    if (this.heldLen > this.heldCutAt) {
      this.heldRefusal = this.cutHeld(scrollback);
      // The next attempt waits for as much again, so a backlog that cannot be cut is not rescanned
      // for every chunk, and one that can stays within about twice what the terminal can hold.
      this.heldCutAt = Math.max(FIRST_CUT_CHARS, 2 * this.heldLen);
    }
    // Too few lines yet: hold on while the lines may still be ordinary ones (a few hundred chars
    // each); past that, or with anything that must be sent, the pty waits for the renderer.
    const limit =
      this.heldRefusal === 'few-lines'
        ? Math.min(this.tun.maxHeldChars, (scrollback + 2 * this.rows) * HELD_CHARS_PER_ROW)
        : this.tun.maxHeldChars;
    const pause = this.heldRefusal === 'not-plain' || this.heldLen > limit;
    if (pause && !this.paused && this.status === 'running' && this.pty) {
      this.paused = true;
      this.pty.pause();
    }
  }

  /**
   * Cuts the held output to what can still end up on screen; why not when it cannot. A screenful
   * more than the terminal holds is kept, so a resize racing the cut (up to twice the rows) still
   * finds every row it shows.
   */
  private cutHeld(scrollback: number): FloodRefusal | null {
    const keep = scrollback + this.rows;
    const cut = this.scrollRegion ? 'not-plain' : cutFlood(this.held, this.rows, keep, this.heldGround);
    if (typeof cut === 'string') return cut;
    this.held = cut.chunks;
    this.heldLen = this.held.reduce((n, c) => n + c.length, 0);
    this.droppedChars += cut.dropped;
    this.heldCuts++;
    return null;
  }

  /**
   * The renderer caught up: held output goes now, unless it is a flood being cut, which goes at
   * most every CUT_RELEASE_MS (each send is a screenful of scrollback for the renderer to parse,
   * wasted when the next pushes it out), or as soon as the output stops (the end of a `cat`, the
   * prompt after Ctrl-C).
   */
  private releaseWhenDue(): void {
    if (!this.holding || this.unacked >= this.tun.lowWatermark) return;
    const now = Date.now();
    const wait = this.heldCuts > 0 ? this.lastRelease + CUT_RELEASE_MS - now : 0;
    if (wait <= 0 || now - this.lastOutput >= OUTPUT_IDLE_MS) {
      this.release();
      return;
    }
    this.releaseTimer ??= setTimeout(
      () => {
        this.releaseTimer = null;
        this.releaseWhenDue();
      },
      Math.min(wait, OUTPUT_IDLE_MS),
    );
  }

  /** Sends what was held (the renderer caught up, reattached, or the shell ended). */
  private release(): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    if (!this.holding) return;
    // A last cut: what arrived since the previous one may have pushed more lines out of view.
    if (this.heldCuts > 0 && this.heldLen > FIRST_CUT_CHARS) this.cutHeld(this.events.scrollback());
    this.holding = false;
    this.lastRelease = Date.now();
    const held = this.held;
    this.held = [];
    this.heldLen = 0;
    let part: string[] = [];
    let partLen = 0;
    for (const c of held) {
      part.push(c);
      partLen += c.length;
      if (partLen >= RELEASE_EVENT_CHARS) {
        this.emitData(part.join(''));
        part = [];
        partLen = 0;
      }
    }
    if (partLen) this.emitData(part.join(''));
    if (this.paused && this.unacked < this.tun.highWatermark) this.resumePty();
  }

  /** DECSTBM: a region smaller than the screen keeps lines out of the scrollback. RIS resets it. */
  private trackScrollRegion(d: string): void {
    let last: RegExpExecArray | null = null;
    for (const m of d.matchAll(SCROLL_REGION_OR_RIS)) last = m;
    if (!last) return;
    if (last[0] === '\x1bc') this.scrollRegion = false;
    else {
      const top = Number(last[1] || 1);
      const bottom = Number(last[2] || this.rows);
      this.scrollRegion = top > 1 || bottom < this.rows;
    }
  }

  private flush(): void {
    if (this.batchTimer) {
      clearTimeout(this.batchTimer);
      this.batchTimer = null;
    }
    if (!this.batchLen) return;
    const data = this.batch.length === 1 ? this.batch[0] : this.batch.join('');
    this.batch = [];
    this.batchLen = 0;
    this.emitData(data);
  }

  private emitData(data: string): void {
    this.streamGround = endsInGround(this.streamGround, data);
    this.replay.push(data);
    const offset = this.offset;
    this.offset += data.length;
    this.unacked += data.length;
    if (!this.removed) this.events.data(this.id, data, offset);
  }

  private resumePty(): void {
    this.paused = false;
    if (this.status === 'running' && this.pty) this.pty.resume();
  }

  private onExit(exitCode: number, signal: number | null): void {
    // A pending kill escalation keeps running: children that ignored SIGHUP outlive the shell.
    this.flush();
    this.release();
    const code = signal ? null : exitCode;
    let finished: TerminalCommandFinished | null = null;
    // The shell ended while a command ran (`exit 3`, or it was killed): the command ends with it.
    if (this.state === 'running') finished = this.finishCommand(code);
    this.status = 'exited';
    this.exitCode = code;
    this.signal = signal || null;
    this.paused = false;
    const how = signal ? `was stopped by signal ${signal}` : `exited with code ${exitCode}`;
    this.emitData(`\r\n\x1b[0;2m[The shell ${how}. Restart it from the tab menu.]\x1b[0m\r\n`);
    const waiters = this.readyWaiters.splice(0);
    for (const w of waiters) w();
    if (finished) this.events.commandFinished(finished);
    this.events.exit(this.id, code, this.signal);
    this.events.changed();
  }
}
