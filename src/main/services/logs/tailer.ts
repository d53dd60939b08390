// Follows a rolling file set (a directory + a pattern such as aura-api-*.log) like `tail -F` done
// right: newest file across the daily and _NNN size rolls, re-open on truncation, delete/recreate
// and rename (inode change), wait for a missing directory, never lose or double a line. A file
// truncated and refilled between two checks (same inode, size no smaller) is caught by its head.
import fs from 'node:fs';
import path from 'node:path';
import { LineSplitter, MAX_DISPLAY_LINE_BYTES, type SplitLine } from './line-splitter';
import { compareRollOrder, listFileSet } from './paths';

/** Poll fallback for file systems where fs.watch is silent (network shares, some containers). */
export const TAIL_POLL_MS = 250;
/** Bytes read per read call; big enough for throughput, small enough to keep latency low. */
const READ_CHUNK_BYTES = 1024 * 1024;
/** Bytes read per check before yielding to the event loop (a backlog is read over several turns). */
const READ_BUDGET_BYTES = 16 * 1024 * 1024;
/**
 * Bytes at the start of the followed file compared on every check: a different head means the
 * file was rewritten in place. 64 bytes hold a Serilog timestamp, level and correlation id.
 */
export const HEAD_FINGERPRINT_BYTES = 64;

export type TailStatusKind =
  'waiting-for-dir' | 'waiting-for-file' | 'following' | 'rotated' | 'truncated' | 'recreated' | 'error';

export interface TailStatus {
  kind: TailStatusKind;
  file: string | null;
  message: string;
}

export interface TailFile {
  path: string;
  name: string;
  /** Increments whenever the tailer starts reading a file from a new position (roll, truncate). */
  generation: number;
}

export interface TailerOptions {
  dir: string;
  pattern: string;
  /** Where to start in the newest file present at start; later files are read from 0. */
  startAt?: 'start' | 'end' | number;
  pollMs?: number;
  maxLineBytes?: number;
  /** Called with complete lines, in file order, for one file at a time. */
  onLines(lines: SplitLine[], file: TailFile): void;
  /** Called after a check that read everything available (a good moment to flush batches). */
  onIdle?(): void;
  onStatus?(status: TailStatus): void;
  /** Throws to refuse a file (path guard); the tailer reports it as an error status. */
  checkPath?(p: string): void;
  /**
   * The file set will not grow (an opened bundle's copy): a last line without its newline is a
   * whole line, cut where the copy was made, not one still being written.
   */
  ended?: boolean;
}

interface Current {
  path: string;
  name: string;
  fd: number;
  ino: number;
  dev: number;
  splitter: LineSplitter;
  generation: number;
  /** The first bytes of the file as first seen (grows up to HEAD_FINGERPRINT_BYTES). */
  head: Buffer;
}

function readHead(fd: number, size: number): Buffer {
  const want = Math.min(HEAD_FINGERPRINT_BYTES, size);
  const b = Buffer.alloc(want);
  let got = 0;
  while (got < want) {
    const n = fs.readSync(fd, b, got, want - got, got);
    if (n <= 0) break;
    got += n;
  }
  return b.subarray(0, got);
}

export class FileSetTailer {
  private cur: Current | null = null;
  private watcher: fs.FSWatcher | null = null;
  private timer: NodeJS.Timeout | null = null;
  private running = false;
  private again = false;
  private stopped = false;
  private generation = 0;
  /** Name of the last file followed (null before the first open). */
  private lastName: string | null = null;
  private lastStatus = '';
  private readonly buf = Buffer.allocUnsafe(READ_CHUNK_BYTES);
  private readonly maxLineBytes: number;

  constructor(private readonly opts: TailerOptions) {
    this.maxLineBytes = opts.maxLineBytes ?? MAX_DISPLAY_LINE_BYTES;
  }

  /** Start following; the first check runs synchronously so the initial content is read now. */
  start(): void {
    this.timer = setInterval(() => this.schedule(), this.opts.pollMs ?? TAIL_POLL_MS);
    this.timer.unref?.();
    this.runCheck();
  }

  /** The file being followed (null while waiting). */
  get currentFile(): string | null {
    return this.cur?.path ?? null;
  }

  /** Check now (tests and callers that know the file changed). */
  poke(): void {
    this.schedule();
  }

  /** Check synchronously (a caller about to act on "nothing more was written" makes sure). */
  checkNow(): void {
    this.runCheck();
  }

  stop(): void {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    this.watcher?.close();
    this.watcher = null;
    if (this.cur) {
      fs.closeSync(this.cur.fd);
      this.cur = null;
    }
  }

  private schedule(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    setImmediate(() => this.runCheck());
  }

  private runCheck(): void {
    if (this.stopped || this.running) return;
    this.running = true;
    let more = false;
    try {
      more = this.check();
    } catch (err) {
      this.status(
        'error',
        this.cur?.name ?? null,
        `Reading logs failed: ${(err as Error).message}. Retrying.`,
      );
    } finally {
      this.running = false;
    }
    if (!more) this.opts.onIdle?.();
    if (more || this.again) {
      this.again = false;
      this.schedule();
    }
  }

  private status(kind: TailStatusKind, file: string | null, message: string): void {
    const key = `${kind}|${file}|${message}`;
    if (key === this.lastStatus) return;
    this.lastStatus = key;
    this.opts.onStatus?.({ kind, file, message });
  }

  private ensureWatcher(): void {
    if (this.watcher) return;
    try {
      this.watcher = fs.watch(this.opts.dir, { persistent: false }, () => this.schedule());
      this.watcher.on('error', () => {
        // The dir went away or the watch broke: drop it; polling keeps going and re-creates it.
        this.watcher?.close();
        this.watcher = null;
      });
    } catch {
      // fs.watch is unavailable here (e.g. too many watches): the poll fallback covers it.
      this.watcher = null;
    }
  }

  /** One pass; returns true when the read budget ran out and more data is waiting. */
  private check(): boolean {
    const { dir, pattern } = this.opts;
    if (!fs.existsSync(dir)) {
      this.watcher?.close();
      this.watcher = null;
      this.status('waiting-for-dir', null, `Waiting for ${dir} to exist.`);
      return false;
    }
    this.ensureWatcher();
    let budget = READ_BUDGET_BYTES;
    for (let guard = 0; guard < 10_000; guard++) {
      const files = listFileSet(dir, pattern);
      if (!this.cur) {
        if (files.length === 0) {
          this.status('waiting-for-file', null, `Waiting for a file matching ${pattern} in ${dir}.`);
          return false;
        }
        // First open: the newest file. Later (the followed file went away): the same name when it
        // comes back, or the next one in roll order; never an older file.
        const last = this.lastName;
        const name =
          last === null ? files[files.length - 1] : files.find((f) => compareRollOrder(f, last) >= 0);
        if (name === undefined) {
          this.status('waiting-for-file', null, `Waiting for a file matching ${pattern} in ${dir}.`);
          return false;
        }
        const start = last === null ? (this.opts.startAt ?? 'end') : 'start';
        if (!this.open(name, start)) return false;
        this.status(last === null ? 'following' : 'rotated', name, `Following ${name}.`);
      }
      const cur = this.cur as Current;
      const fst = fs.fstatSync(cur.fd);
      const shrank = fst.size < cur.splitter.position;
      if (shrank || this.headChanged(cur, fst.size)) {
        // Truncated (or rewritten) in place: what was read stays, reading restarts at 0 as a new
        // generation.
        this.emit(cur, this.flushPartial(cur));
        cur.splitter.reset(0);
        cur.generation = ++this.generation;
        cur.head = readHead(cur.fd, fst.size);
        this.status(
          'truncated',
          cur.name,
          shrank
            ? `${cur.name} was truncated; reading it again from the start.`
            : `${cur.name} was rewritten in place (its first bytes changed); reading it again from the start.`,
        );
      }
      const read = this.readAvailable(cur, budget);
      budget -= read;
      if (budget <= 0) return true;
      let st: fs.Stats | null = null;
      try {
        st = fs.statSync(cur.path);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      }
      if (!st || st.ino !== cur.ino || st.dev !== cur.dev) {
        // Deleted or renamed away: the open fd still reads the old inode to its end (done above).
        this.emit(cur, this.flushPartial(cur));
        this.close();
        if (st) {
          if (!this.open(cur.name, 'start')) return false;
          this.status(
            'recreated',
            cur.name,
            `${cur.name} was replaced by a new file; following the new one.`,
          );
          continue;
        }
        // Gone: the top of the loop picks the next file in roll order, or waits for one.
        continue;
      }
      const next = files.find((f) => compareRollOrder(f, cur.name) > 0);
      if (next) {
        // Rolled (daily or _NNN): the old file is finished once a newer one exists.
        this.emit(cur, this.flushPartial(cur));
        this.close();
        if (!this.open(next, 'start')) return false;
        this.status('rotated', next, `Rolled over from ${cur.name} to ${next}.`);
        continue;
      }
      if (this.opts.ended) this.emit(cur, this.flushPartial(cur));
      return false;
    }
    return true;
  }

  /** Do the file's first bytes differ from those first seen? Extends a short fingerprint. */
  private headChanged(cur: Current, size: number): boolean {
    const now = readHead(cur.fd, size);
    if (cur.splitter.position === 0) {
      // Nothing read yet: whatever is there now is what will be read.
      cur.head = now;
      return false;
    }
    const n = Math.min(now.length, cur.head.length);
    if (!now.subarray(0, n).equals(cur.head.subarray(0, n))) return true;
    if (now.length > cur.head.length) cur.head = now;
    return false;
  }

  private open(name: string, start: 'start' | 'end' | number): boolean {
    const p = path.join(this.opts.dir, name);
    try {
      this.opts.checkPath?.(p);
    } catch (err) {
      this.status('error', name, (err as Error).message);
      return false;
    }
    let fd: number;
    try {
      fd = fs.openSync(p, 'r');
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return false;
      throw err;
    }
    const st = fs.fstatSync(fd);
    let pos = 0;
    if (start === 'end') pos = st.size;
    else if (typeof start === 'number') pos = Math.min(start, st.size);
    this.lastName = name;
    this.cur = {
      path: p,
      name,
      fd,
      ino: st.ino,
      dev: st.dev,
      splitter: new LineSplitter(pos, this.maxLineBytes),
      generation: ++this.generation,
      head: readHead(fd, st.size),
    };
    return true;
  }

  private close(): void {
    if (this.cur) fs.closeSync(this.cur.fd);
    this.cur = null;
  }

  private flushPartial(cur: Current): SplitLine[] {
    const l = cur.splitter.flushPartial();
    return l ? [l] : [];
  }

  private emit(cur: Current, lines: SplitLine[]): void {
    if (lines.length === 0) return;
    this.opts.onLines(lines, { path: cur.path, name: cur.name, generation: cur.generation });
  }

  private readAvailable(cur: Current, budget: number): number {
    let total = 0;
    while (total < budget) {
      const n = fs.readSync(cur.fd, this.buf, 0, this.buf.length, cur.splitter.position);
      if (n <= 0) break;
      total += n;
      this.emit(cur, cur.splitter.feed(this.buf.subarray(0, n)));
    }
    return total;
  }
}
