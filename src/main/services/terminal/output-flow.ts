// The output side of one pty session: output batched in short windows, ack-based flow control
// (while the renderer is behind, output is held back and cut to what can still be on screen when it
// is plain text, see flood.ts, or the pty is paused), and the replay buffer for reattaching.
import type { IPty } from 'node-pty';
import { cutFlood, endsInGround, type FloodRefusal } from './flood';
import { ReplayBuffer } from './replay-buffer';

export interface FlowTunables {
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
}

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
/** An unfinished escape sequence longer than this (a long OSC) is not kept: no cut after it. */
const MAX_OPEN_ESCAPE_CHARS = 256;
/** Held output is sent in events of at most this many chars (the renderer writes 1 MB at a time). */
const RELEASE_EVENT_CHARS = 1024 * 1024;

/** What the flow needs from its session. */
export interface FlowSink {
  /** The pty while the shell runs, else null: it is paused and resumed for the renderer. */
  runningPty(): IPty | null;
  /** Rows of the terminal now. */
  rows(): number;
  /** Scrollback rows of the renderer's terminal, so held output is never cut to fewer rows. */
  scrollback(): number;
  /** Sends output that starts at `offset` in the session's stream. */
  data(data: string, offset: number): void;
}

export class OutputFlow {
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
  /** The escape sequence the sent stream ended inside when holding began ('' when none or unknown). */
  private heldOpen = '';
  /** Why the last cut attempt failed, if it did. */
  private heldRefusal: FloodRefusal | null = null;
  /** Cuts made since holding began: a flood being cut is sent a few times a second. */
  private heldCuts = 0;
  private releaseTimer: NodeJS.Timeout | null = null;
  private lastRelease = 0;
  private lastOutput = 0;
  /** The emitted stream ends outside any escape sequence. */
  private streamGround = true;
  /**
   * The unfinished escape sequence the emitted stream ends with, while it ends inside one ('' when
   * it does not, or when the sequence is too long to keep): a flood split by the batching in the
   * middle of a sequence can still be cut, the head finishing it.
   */
  private streamOpen = '';
  /** A scroll region smaller than the screen is set: lines do not reach the scrollback, no cuts. */
  private scrollRegion = false;
  /** Chars of output never sent because they would have scrolled out of the terminal unseen. */
  droppedChars = 0;

  constructor(
    private readonly tun: FlowTunables,
    private readonly sink: FlowSink,
  ) {
    this.replay = new ReplayBuffer(tun.replayLimitChars);
  }

  /** A new pty is attached: flow control starts over (the stream and its replay go on). */
  restart(): void {
    this.unacked = 0;
    this.paused = false;
    this.holding = false;
    this.held = [];
    this.heldLen = 0;
    this.streamGround = true;
    this.streamOpen = '';
    this.scrollRegion = false;
  }

  get flow(): { unacked: number; paused: boolean; held: number } {
    return { unacked: this.unacked, paused: this.paused, held: this.heldLen };
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

  /**
   * Takes a chunk of pty output: batched, or held while the renderer is behind. `flushNow` sends
   * the batch at once (a command finished in it, so its record follows its output).
   */
  push(d: string, flushNow: boolean): void {
    if (d.includes('\x1b')) this.trackScrollRegion(d);
    if (this.holding) {
      this.hold(d);
      return;
    }
    this.batch.push(d);
    this.batchLen += d.length;
    // Output waiting in the batch counts as unacknowledged too, so holding starts not one batch late.
    if (this.unacked + this.batchLen > this.tun.highWatermark) {
      this.flush();
      this.holding = true;
      this.heldGround = this.streamGround;
      this.heldOpen = this.streamGround ? '' : this.streamOpen;
      this.heldCutAt = FIRST_CUT_CHARS;
      this.heldRefusal = null;
      this.heldCuts = 0;
      return;
    }
    if (flushNow || this.batchLen >= this.tun.maxBatchChars) this.flush();
    else if (!this.batchTimer) this.batchTimer = setTimeout(() => this.flush(), this.tun.batchMs);
  }

  /** Stops the batch and release timers (the session is destroyed). */
  stop(): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    if (this.batchTimer) clearTimeout(this.batchTimer);
    this.batchTimer = null;
  }

  /** The shell ended: the pty is no longer paused, and `notice` is the last output. */
  end(notice: string): void {
    this.paused = false;
    this.emitData(notice);
  }

  /** Holds output for a renderer that is behind; cuts it when it can, pauses the pty when it cannot. */
  private hold(d: string): void {
    this.held.push(d);
    this.heldLen += d.length;
    this.lastOutput = Date.now();
    const scrollback = this.sink.scrollback();
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
        ? Math.min(this.tun.maxHeldChars, (scrollback + 2 * this.sink.rows()) * HELD_CHARS_PER_ROW)
        : this.tun.maxHeldChars;
    const pause = this.heldRefusal === 'not-plain' || this.heldLen > limit;
    if (pause && !this.paused) {
      const pty = this.sink.runningPty();
      if (pty) {
        this.paused = true;
        pty.pause();
      }
    }
  }

  /**
   * Cuts the held output to what can still end up on screen; why not when it cannot. A screenful
   * more than the terminal holds is kept, so a resize racing the cut (up to twice the rows) still
   * finds every row it shows.
   */
  private cutHeld(scrollback: number): FloodRefusal | null {
    const rows = this.sink.rows();
    const keep = scrollback + rows;
    const cut = this.scrollRegion
      ? 'not-plain'
      : cutFlood(this.held, rows, keep, this.heldGround, this.heldOpen);
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
  release(): void {
    if (this.releaseTimer) clearTimeout(this.releaseTimer);
    this.releaseTimer = null;
    if (!this.holding) return;
    // A last cut: what arrived since the previous one may have pushed more lines out of view.
    if (this.heldCuts > 0 && this.heldLen > FIRST_CUT_CHARS) this.cutHeld(this.sink.scrollback());
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
      const rows = this.sink.rows();
      const bottom = Number(last[2] || rows);
      this.scrollRegion = top > 1 || bottom < rows;
    }
  }

  /** Sends the batch now. */
  flush(): void {
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
    if (this.streamGround) this.streamOpen = '';
    else {
      const e = data.lastIndexOf('\x1b');
      const open = e >= 0 ? data.slice(e) : this.streamOpen ? this.streamOpen + data : '';
      this.streamOpen = open.length <= MAX_OPEN_ESCAPE_CHARS ? open : '';
    }
    this.replay.push(data);
    const offset = this.offset;
    this.offset += data.length;
    this.unacked += data.length;
    this.sink.data(data, offset);
  }

  private resumePty(): void {
    this.paused = false;
    this.sink.runningPty()?.resume();
  }
}
