// The logs service: tail panes over the attached install's log families (or single files under
// allowed roots). Each pane follows its file set, indexes records as they arrive, indexes the
// older part of a big file in a worker, and serves pages, filters and searches from disk.
import fs from 'node:fs';
import path from 'node:path';
import type {
  ErrorRateResult,
  HistogramResult,
  IndexedRecord,
  LogSources,
  PageResult,
  PaneInfo,
  PaneStatusKind,
  SearchResult,
} from '../../../shared/contract/logs';
import { OpsError } from '../../../shared/errors';
import {
  LEVELS,
  NO_LEVEL,
  RecordGrouper,
  levelIndex,
  type LineIn,
  type LogFormat,
  type LogLevel,
  type LogRecord,
} from '../../../shared/serilog';
import type { ServiceContext } from '../context';
import {
  compileSearch,
  detectFileFormat,
  findTailStart,
  lineTester,
  readOneRecord,
  readWholeRecord,
  searchRange,
  type CompiledSearch,
} from './file-reader';
import { buildIndex, prewarmIndexWorker } from './index-worker';
import type { SplitLine } from './line-splitter';
import { LOG_FAMILIES, assertAllowedPath, familyById, listFileSet } from './paths';
import { RecordIndex } from './record-index';
import { LogFolders } from './sources';
import { errorRateOf, histogramOf, readSetSince } from './stats';
import { FileSetTailer, type TailFile, type TailStatus } from './tailer';
import { nowMs } from '../../../shared/clock';

/** Longest wait before new records are pushed to the renderer (the contract promises <= 50 ms). */
export const BATCH_MS = 40;
/** Delay before a big file's background index starts, so the first paint is not slowed. */
const INDEX_DELAY_MS = 100;
/** Records per histogram request at most: a strip covers the visible window, not the whole file. */
const MAX_HISTOGRAM_RECORDS = 50_000;
/**
 * How long the last record stays open for continuation lines (a multi-line exception written in
 * several writes) once everything written was read; the next record start closes it at once.
 * Short enough that a lone last record still shows within the 150 ms write-to-screen goal.
 */
export const RECORD_HOLD_MS = 120;

export interface LogsServiceOptions {
  /** Folders added earlier (persisted by the host) that panes may open files from. */
  roots?: string[];
  /** Called with every added root whenever the list changes (the host persists it). */
  onRootsChanged?: (roots: string[]) => void;
  /** Override RECORD_HOLD_MS (tests use a long hold so a slow machine cannot split a record). */
  recordHoldMs?: number;
}

export interface LogFilter {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
  invert: boolean;
}

/** A time range [from, to) in epoch ms a view is limited to. */
export interface TimeRange {
  from: number;
  to: number;
}

/** What a request narrows the pane to; with none of them set the pane is shown whole. */
interface ViewQuery {
  levels?: LogLevel[];
  filter?: LogFilter;
  range?: TimeRange;
}

function narrowed(q: ViewQuery): boolean {
  return q.levels !== undefined || q.filter !== undefined || q.range !== undefined;
}

interface Segment {
  path: string;
  name: string;
  generation: number;
  /** Position (in the known index) of this segment's first record. */
  firstKnown: number;
  /** The file was truncated or replaced: its old records are no longer on disk. */
  gone: boolean;
  /**
   * Byte offset just past the last line the tailer has read from this file. Bytes after it are
   * on disk but not yet known records: a file search must stop there, or a match in them would
   * be counted against the last known record.
   */
  readEnd: number;
}

interface View {
  key: string;
  mask: boolean[];
  /** The view's line test, compiled once: the rebuild searches the files with the same search. */
  test: ((line: string) => boolean) | null;
  invert: boolean;
  range: TimeRange | null;
  positions: number[];
}

interface Pane {
  id: string;
  title: string;
  dir: string;
  pattern: string;
  format: LogFormat;
  tailer: FileSetTailer | null;
  grouper: RecordGrouper | null;
  groupGen: number;
  known: RecordIndex;
  segments: Segment[];
  prefix: RecordIndex | null;
  indexing: boolean;
  indexDone: Promise<void>;
  abort: AbortController;
  batch: IndexedRecord[];
  batchTimer: NodeJS.Timeout | null;
  /** Closes the held last record when no continuation line came in time. */
  holdTimer: NodeJS.Timeout | null;
  /** Counts onLines calls, to tell whether a check read anything. */
  lineSeq: number;
  view: View | null;
  closed: boolean;
}

export interface OpenSetOptions {
  dir: string;
  pattern: string;
  format?: LogFormat;
  title?: string;
}

export class LogsService {
  private panes = new Map<string, Pane>();
  private nextId = 1;
  private readonly folders: LogFolders;
  private readonly holdMs: number;

  constructor(
    private readonly ctx: ServiceContext,
    opts: LogsServiceOptions = {},
  ) {
    const saved = [...new Set((opts.roots ?? []).map((r) => path.resolve(r)))];
    this.folders = new LogFolders(ctx, saved, opts.onRootsChanged);
    this.holdMs = opts.recordHoldMs ?? RECORD_HOLD_MS;
    ctx.onDispose(() => this.dispose());
  }

  /** Folders panes may read: the install's logs dir, its Logs (error store) dir, added roots. */
  roots(): string[] {
    return this.folders.roots();
  }

  /** Adds a folder panes may read, judged by root-policy.ts on its real path (symlinks resolved). */
  addRoot(p: string, confirm?: string): LogSources {
    return this.folders.addRoot(p, confirm);
  }

  sources(): LogSources {
    return this.folders.sources();
  }

  openPane(p: { family?: string; path?: string; format?: LogFormat }): PaneInfo {
    if (p.family !== undefined) {
      const fam = familyById(p.family);
      if (!fam) {
        throw new OpsError(
          'bad-request',
          `Unknown log family "${p.family}". Use one of: ${LOG_FAMILIES.map((f) => f.id).join(', ')}.`,
        );
      }
      return this.openFileSet({
        dir: this.folders.familyDir(fam.id),
        pattern: fam.pattern,
        format: p.format ?? fam.format,
        title: fam.label,
      });
    }
    const file = p.path as string;
    const real = assertAllowedPath(file, this.roots());
    if (!fs.existsSync(real) || !fs.statSync(real).isFile()) {
      throw new OpsError(
        'not-found',
        `${file} is not a file. Pick a log file under ${this.roots().join(' or ')}.`,
      );
    }
    const base = path.basename(real);
    return this.openFileSet({
      dir: path.dirname(real),
      pattern: base.replace(/[*?]/g, '?'),
      format: p.format,
      title: base,
    });
  }

  /** Open a pane over `dir` + glob `pattern` (the dir must lie under an allowed root). */
  openFileSet(o: OpenSetOptions): PaneInfo {
    const roots = this.roots();
    const dir = assertAllowedPath(o.dir, roots);
    const id = `pane-${this.nextId++}`;
    const files = listFileSet(dir, o.pattern);
    const newest = files.length ? path.join(dir, files[files.length - 1]) : null;
    let format: LogFormat = o.format ?? 'plain';
    if (!o.format && newest) format = detectFileFormat(newest, path.basename(newest));
    let startAt = 0;
    let size = 0;
    if (newest) {
      assertAllowedPath(newest, roots);
      size = fs.statSync(newest).size;
      startAt = findTailStart(newest, size, format);
    }
    let resolveDone: () => void = () => {};
    const pane: Pane = {
      id,
      title: o.title ?? o.pattern,
      dir,
      pattern: o.pattern,
      format,
      tailer: null,
      grouper: null,
      groupGen: -1,
      known: new RecordIndex(),
      segments: [],
      prefix: null,
      indexing: startAt > 0,
      indexDone: new Promise<void>((r) => {
        resolveDone = r;
      }),
      abort: new AbortController(),
      batch: [],
      batchTimer: null,
      holdTimer: null,
      lineSeq: 0,
      view: null,
      closed: false,
    };
    this.panes.set(id, pane);
    pane.tailer = new FileSetTailer({
      dir,
      pattern: o.pattern,
      startAt,
      onLines: (lines, f) => this.onLines(pane, lines, f),
      onIdle: () => this.onIdle(pane),
      onStatus: (s) => this.onStatus(pane, s),
      checkPath: (fp) => {
        assertAllowedPath(fp, this.roots());
      },
    });
    pane.tailer.start();
    // What was on disk at open is complete: its last record is not held.
    this.flushGrouper(pane);
    if (newest && startAt > 0) {
      const file = newest;
      // The thread starts while the first page is served; the job is posted after the delay.
      prewarmIndexWorker();
      // Let the first page be served before the worker competes for the CPU.
      const timer = setTimeout(() => this.startIndex(pane, file, startAt, resolveDone), INDEX_DELAY_MS);
      pane.abort.signal.addEventListener('abort', () => {
        clearTimeout(timer);
        resolveDone();
      });
    } else {
      resolveDone();
    }
    return this.info(pane);
  }

  private startIndex(pane: Pane, newest: string, startAt: number, resolveDone: () => void): void {
    const id = pane.id;
    const format = pane.format;
    void buildIndex(
      newest,
      startAt,
      format,
      (pr) =>
        this.ctx.emit('logs:index-progress', {
          paneId: id,
          bytes: pr.bytes,
          totalBytes: startAt,
          records: pr.records,
          done: false,
          shift: 0,
          total: this.total(pane),
        }),
      pane.abort.signal,
    )
      .then(({ index }) => {
        if (pane.closed) return;
        this.flushBatch(pane);
        pane.prefix = index;
        pane.indexing = false;
        pane.view = null;
        this.ctx.emit('logs:index-progress', {
          paneId: id,
          bytes: startAt,
          totalBytes: startAt,
          records: index.count,
          done: true,
          shift: index.count,
          total: this.total(pane),
        });
      })
      .catch((err: unknown) => {
        pane.indexing = false;
        if (pane.closed) return;
        const message = err instanceof Error ? err.message : String(err);
        this.ctx.emit('logs:index-progress', {
          paneId: id,
          bytes: 0,
          totalBytes: startAt,
          records: 0,
          done: true,
          shift: 0,
          total: this.total(pane),
          error: message,
        });
      })
      .finally(() => resolveDone());
  }

  panesInfo(): PaneInfo[] {
    return [...this.panes.values()].map((p) => this.info(p));
  }

  /** Resolves when the pane's background index is complete (at once for small files). */
  whenIndexed(paneId: string): Promise<void> {
    return this.pane(paneId).indexDone;
  }

  closePane(paneId: string): { closed: boolean } {
    const pane = this.panes.get(paneId);
    if (!pane) return { closed: false };
    pane.closed = true;
    pane.abort.abort();
    pane.tailer?.stop();
    if (pane.batchTimer) clearTimeout(pane.batchTimer);
    if (pane.holdTimer) clearTimeout(pane.holdTimer);
    this.panes.delete(paneId);
    return { closed: true };
  }

  dispose(): void {
    for (const id of [...this.panes.keys()]) this.closePane(id);
  }

  private pane(id: string): Pane {
    const p = this.panes.get(id);
    if (!p) throw new OpsError('not-found', `No log pane ${id}: it was closed. Open the log again.`);
    return p;
  }

  private info(p: Pane): PaneInfo {
    return {
      paneId: p.id,
      title: p.title,
      dir: p.dir,
      pattern: p.pattern,
      format: p.format,
      file: p.tailer?.currentFile ?? null,
      indexing: p.indexing,
      total: this.total(p),
    };
  }

  private prefixCount(p: Pane): number {
    return p.prefix?.count ?? 0;
  }

  private total(p: Pane): number {
    return this.prefixCount(p) + p.known.count;
  }

  /**
   * Lines of the pane's last record that the tailer has read and holds open for continuation
   * lines (0 when none): a record that is still being written.
   */
  heldLines(paneId: string): number {
    return this.pane(paneId).grouper?.pendingLines ?? 0;
  }

  // ---- live path -------------------------------------------------------------------------

  private onLines(pane: Pane, lines: SplitLine[], f: TailFile): void {
    pane.lineSeq++;
    if (pane.holdTimer) {
      clearTimeout(pane.holdTimer);
      pane.holdTimer = null;
    }
    if (f.generation !== pane.groupGen) {
      this.flushGrouper(pane);
      pane.grouper = new RecordGrouper(pane.format, f.name);
      pane.groupGen = f.generation;
      pane.segments.push({
        path: f.path,
        name: f.name,
        generation: f.generation,
        firstKnown: pane.known.count,
        gone: false,
        readEnd: 0,
      });
    }
    const last = lines[lines.length - 1];
    if (last) pane.segments[pane.segments.length - 1].readEnd = last.offset + last.byteLength + 1;
    const g = pane.grouper as RecordGrouper;
    for (const l of lines) {
      const r = g.push(l);
      if (r) this.append(pane, r, g.lastLines);
    }
  }

  private onIdle(pane: Pane): void {
    // Everything written so far is read. The last record may still get continuation lines in a
    // later write: hold it open for a moment (the next record start closes it at once).
    if (pane.closed || pane.holdTimer || !pane.grouper?.hasPending) return;
    pane.holdTimer = setTimeout(() => this.holdExpired(pane), this.holdMs);
  }

  private holdExpired(pane: Pane): void {
    pane.holdTimer = null;
    if (pane.closed) return;
    // Read once more first: a write that came after the last check must not be split off.
    const seq = pane.lineSeq;
    pane.tailer?.checkNow();
    if (pane.lineSeq !== seq) return; // new lines: onIdle armed a new hold if still needed
    this.flushGrouper(pane);
    this.flushBatch(pane);
  }

  private flushGrouper(pane: Pane): void {
    if (pane.holdTimer) {
      clearTimeout(pane.holdTimer);
      pane.holdTimer = null;
    }
    const g = pane.grouper;
    const r = g?.flush();
    if (g && r) this.append(pane, r, g.lastLines);
  }

  private onStatus(pane: Pane, s: TailStatus): void {
    if (s.kind === 'truncated' || s.kind === 'recreated') {
      this.flushGrouper(pane);
      for (const seg of pane.segments) if (seg.name === s.file) seg.gone = true;
      pane.view = null;
    }
    this.ctx.emit('logs:pane-status', {
      paneId: pane.id,
      kind: s.kind as PaneStatusKind,
      file: s.file,
      message: s.message,
    });
  }

  private append(pane: Pane, r: LogRecord, lines: readonly LineIn[]): void {
    pane.known.append(r.offset, levelIndex(r.level));
    const index = this.total(pane) - 1;
    const rec: IndexedRecord = { ...r, index };
    const v = pane.view;
    if (v) {
      const verdict = viewAccepts(v, rec, lines);
      // A line cut for display cannot be judged from what was read: the next request rebuilds.
      if (verdict === null) pane.view = null;
      else if (verdict) v.positions.push(index);
    }
    pane.batch.push(rec);
    if (!pane.batchTimer) pane.batchTimer = setTimeout(() => this.flushBatch(pane), BATCH_MS);
  }

  private flushBatch(pane: Pane): void {
    if (pane.batchTimer) clearTimeout(pane.batchTimer);
    pane.batchTimer = null;
    if (pane.batch.length === 0 || pane.closed) return;
    const records = pane.batch;
    pane.batch = [];
    this.ctx.emit('logs:batch', {
      paneId: pane.id,
      records,
      first: records[0].index,
      total: this.total(pane),
    });
  }

  // ---- random access ---------------------------------------------------------------------

  private offsetAt(p: Pane, i: number): number {
    const pc = this.prefixCount(p);
    return i < pc ? (p.prefix as RecordIndex).offset(i) : p.known.offset(i - pc);
  }

  private levelAt(p: Pane, i: number): number {
    const pc = this.prefixCount(p);
    return i < pc ? (p.prefix as RecordIndex).level(i) : p.known.level(i - pc);
  }

  private segmentIndexOf(p: Pane, i: number): number {
    const k = i - this.prefixCount(p);
    if (k < 0) return 0;
    let lo = 0;
    let hi = p.segments.length - 1;
    let ans = 0;
    while (lo <= hi) {
      const m = (lo + hi) >>> 1;
      if (p.segments[m].firstKnown <= k) {
        ans = m;
        lo = m + 1;
      } else hi = m - 1;
    }
    return ans;
  }

  /** Global position range [start, end) of a segment. */
  private segmentRange(p: Pane, s: number): [number, number] {
    const pc = this.prefixCount(p);
    const start = s === 0 ? 0 : pc + p.segments[s].firstKnown;
    const end = s + 1 < p.segments.length ? pc + p.segments[s + 1].firstKnown : this.total(p);
    return [start, end];
  }

  private readRecords(p: Pane, positions: number[]): IndexedRecord[] {
    const out: IndexedRecord[] = [];
    const fds = new Map<number, number>();
    try {
      for (const i of positions) {
        const s = this.segmentIndexOf(p, i);
        const seg = p.segments[s];
        if (!seg || seg.gone) {
          out.push(goneRecord(i, this.offsetAt(p, i), seg?.name ?? ''));
          continue;
        }
        let fd = fds.get(s);
        if (fd === undefined) {
          try {
            fd = fs.openSync(seg.path, 'r');
          } catch {
            seg.gone = true;
            out.push(goneRecord(i, this.offsetAt(p, i), seg.name));
            continue;
          }
          fds.set(s, fd);
        }
        const start = this.offsetAt(p, i);
        const [, segEnd] = this.segmentRange(p, s);
        const end = i + 1 < segEnd ? this.offsetAt(p, i + 1) : fs.fstatSync(fd).size;
        const r = readOneRecord(fd, start, Math.max(end, start + 1), p.format, seg.name);
        out.push({ ...r, index: i });
      }
    } finally {
      for (const fd of fds.values()) fs.closeSync(fd);
    }
    return out;
  }

  async page(q: {
    paneId: string;
    fromLine: number;
    count: number;
    levels?: LogLevel[];
    filter?: LogFilter;
    range?: TimeRange;
  }): Promise<PageResult> {
    const p = this.pane(q.paneId);
    const unfilteredTotal = this.total(p);
    let positions: number[] | null = null;
    let total = unfilteredTotal;
    if (narrowed(q)) {
      const v = await this.view(p, q);
      positions = v.positions;
      total = positions.length;
    }
    let from = q.fromLine < 0 ? Math.max(0, total + q.fromLine) : Math.min(q.fromLine, total);
    const to = Math.min(total, from + q.count);
    if (from > to) from = to;
    const want: number[] = [];
    for (let k = from; k < to; k++) want.push(positions ? positions[k] : k);
    return { records: this.readRecords(p, want), from, total, unfilteredTotal };
  }

  private levelMask(levels?: LogLevel[]): boolean[] {
    const mask = new Array<boolean>(NO_LEVEL + 1).fill(levels === undefined);
    if (levels) for (const l of levels) mask[LEVELS.indexOf(l)] = true;
    return mask;
  }

  private compile(pattern: string, regex: boolean, caseSensitive: boolean): CompiledSearch {
    try {
      return compileSearch(pattern, { regex, caseSensitive });
    } catch (err) {
      throw new OpsError(
        'bad-request',
        `The search pattern is not a valid regular expression: ${(err as Error).message}. Fix it or turn regex off.`,
      );
    }
  }

  private async view(p: Pane, q: ViewQuery): Promise<View> {
    const { levels, filter } = q;
    const range = q.range ?? null;
    const key = JSON.stringify([levels ?? null, filter ?? null, range]);
    if (p.view?.key === key) return p.view;
    const search = filter ? this.compile(filter.text, filter.regex, filter.caseSensitive) : null;
    const mask = this.levelMask(levels);
    if (search || range) await p.indexDone;
    // Records are in time order: a range is one run of positions, found by two binary searches.
    const lo = range ? this.firstAtOrAfter(p, range.from) : 0;
    const hi = range ? this.firstAtOrAfter(p, range.to) : this.total(p);
    const positions: number[] = [];
    if (search) {
      const hits = this.matchPositions(p, search);
      let h = 0;
      for (let i = lo; i < hi; i++) {
        while (h < hits.length && hits[h] < i) h++;
        const hit = h < hits.length && hits[h] === i;
        if (hit !== filter?.invert && mask[this.levelAt(p, i)]) positions.push(i);
      }
    } else {
      for (let i = lo; i < hi; i++) if (mask[this.levelAt(p, i)]) positions.push(i);
    }
    const v: View = {
      key,
      mask,
      test: search ? lineTester(search) : null,
      invert: filter?.invert ?? false,
      range,
      positions,
    };
    p.view = v;
    return v;
  }

  /**
   * Where a segment's known records end on disk: its last read line, or the first line of a
   * record the grouper still holds open (not yet a known record) in the file being written.
   */
  private knownEnd(p: Pane, s: number): number {
    const seg = p.segments[s];
    const held = s === p.segments.length - 1 ? p.grouper?.pendingOffset : null;
    return held ?? seg.readEnd;
  }

  /** Positions of records with at least one matching line, ascending, deduplicated. */
  private matchPositions(p: Pane, search: CompiledSearch): number[] {
    const out: number[] = [];
    for (let s = 0; s < p.segments.length; s++) {
      const seg = p.segments[s];
      const [a, b] = this.segmentRange(p, s);
      if (seg.gone || a >= b) continue;
      let fd: number;
      try {
        fd = fs.openSync(seg.path, 'r');
      } catch {
        continue;
      }
      try {
        const start = this.offsetAt(p, a);
        const end = Math.min(fs.fstatSync(fd).size, this.knownEnd(p, s));
        let last = -1;
        searchRange(fd, start, end, search, (off) => {
          // Records are found in offset order, so a moving binary search lower bound suffices.
          let lo = Math.max(a, last);
          let hi = b - 1;
          let ans = -1;
          while (lo <= hi) {
            const m = (lo + hi) >>> 1;
            if (this.offsetAt(p, m) <= off) {
              ans = m;
              lo = m + 1;
            } else hi = m - 1;
          }
          if (ans >= 0 && ans !== last) {
            out.push(ans);
            last = ans;
          }
        });
      } finally {
        fs.closeSync(fd);
      }
    }
    return out;
  }

  async search(q: {
    paneId: string;
    pattern: string;
    regex: boolean;
    caseSensitive: boolean;
    levels?: LogLevel[];
    filter?: LogFilter;
    range?: TimeRange;
    limit: number;
  }): Promise<SearchResult> {
    const p = this.pane(q.paneId);
    const search = this.compile(q.pattern, q.regex, q.caseSensitive);
    await p.indexDone;
    let hits = this.matchPositions(p, search);
    if (q.levels || q.filter) {
      // Report positions in the filtered view the caller is showing.
      const v = await this.view(p, q);
      const mapped: number[] = [];
      for (const h of hits) {
        const k = lowerBound(v.positions, h);
        if (k < v.positions.length && v.positions[k] === h) mapped.push(k);
      }
      hits = mapped;
    }
    return { matches: hits.slice(0, q.limit), total: hits.length, truncated: hits.length > q.limit };
  }

  async seekTime(q: {
    paneId: string;
    time: number;
    levels?: LogLevel[];
    filter?: LogFilter;
    range?: TimeRange;
  }): Promise<{ index: number }> {
    const { index } = await this.seekTimeUnfiltered(q);
    if (!narrowed(q)) return { index };
    const v = await this.view(this.pane(q.paneId), q);
    return { index: Math.min(lowerBound(v.positions, index), Math.max(0, v.positions.length - 1)) };
  }

  private async seekTimeUnfiltered(q: { paneId: string; time: number }): Promise<{ index: number }> {
    const p = this.pane(q.paneId);
    await p.indexDone;
    return { index: Math.min(this.firstAtOrAfter(p, q.time), Math.max(0, this.total(p) - 1)) };
  }

  /** Position of the first record at or after `time` (the total when there is none). */
  private firstAtOrAfter(p: Pane, time: number): number {
    const timeAt = (i: number): number | null => {
      // Records without a time (orphan lines) borrow the next timed record's time.
      for (let k = i; k < Math.min(this.total(p), i + 50); k++) {
        const t = this.readRecords(p, [k])[0].time;
        if (t !== null) return t;
      }
      return null;
    };
    let lo = 0;
    let hi = this.total(p) - 1;
    let ans = this.total(p);
    while (lo <= hi) {
      const m = (lo + hi) >>> 1;
      const t = timeAt(m);
      if (t === null || t >= time) {
        ans = m;
        hi = m - 1;
      } else lo = m + 1;
    }
    return ans;
  }

  /**
   * Records per minute by level over [fromLine, toLine) of what the pane shows: with levels or a
   * filter, positions are in that filtered view (as logs:page counts them).
   */
  async histogram(q: {
    paneId: string;
    fromLine: number;
    toLine: number;
    levels?: LogLevel[];
    filter?: LogFilter;
    range?: TimeRange;
  }): Promise<HistogramResult> {
    const p = this.pane(q.paneId);
    const view = narrowed(q) ? (await this.view(p, q)).positions : null;
    const total = view ? view.length : this.total(p);
    const to = Math.min(total, q.toLine, q.fromLine + MAX_HISTOGRAM_RECORDS);
    const positions: number[] = [];
    for (let i = q.fromLine; i < to; i++) positions.push(view ? view[i] : i);
    return { buckets: histogramOf(this.readRecords(p, positions)) };
  }

  errorRate(q: { windowMinutes: number; family: string }, now = nowMs()): ErrorRateResult {
    const fam = familyById(q.family);
    if (!fam) throw new OpsError('bad-request', `Unknown log family "${q.family}".`);
    const dir = this.folders.familyDir(fam.id);
    assertAllowedPath(dir, this.roots());
    const since = now - q.windowMinutes * 60_000;
    const { records, files } = readSetSince(dir, fam.pattern, fam.format, since);
    return errorRateOf(records, since, now, files);
  }

  record(q: { paneId: string; offset: number; file?: string }): LogRecord {
    const p = this.pane(q.paneId);
    const seg =
      [...p.segments].reverse().find((s) => (q.file === undefined || s.name === q.file) && !s.gone) ??
      (q.file ? undefined : p.segments[p.segments.length - 1]);
    if (!seg || seg.gone) {
      throw new OpsError(
        'not-found',
        'That record is no longer on disk (its file was rolled away, truncated or replaced).',
      );
    }
    assertAllowedPath(seg.path, this.roots());
    const i = this.findPosition(p, seg, q.offset);
    const end =
      i !== null && i + 1 < this.total(p) && this.segmentIndexOf(p, i + 1) === this.segmentIndexOf(p, i)
        ? this.offsetAt(p, i + 1)
        : null;
    return readWholeRecord(seg.path, q.offset, end, p.format, seg.name);
  }

  private findPosition(p: Pane, seg: Segment, offset: number): number | null {
    const s = p.segments.indexOf(seg);
    const [a, b] = this.segmentRange(p, s);
    for (let lo = a, hi = b - 1; lo <= hi;) {
      const m = (lo + hi) >>> 1;
      const o = this.offsetAt(p, m);
      if (o === offset) return m;
      if (o < offset) lo = m + 1;
      else hi = m - 1;
    }
    return null;
  }
}

function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

function goneRecord(index: number, offset: number, file: string): IndexedRecord {
  return {
    index,
    offset,
    file,
    time: null,
    level: null,
    correlationId: null,
    traceId: null,
    spanId: null,
    source: null,
    message: '(no longer on disk: the file was truncated or replaced)',
    properties: null,
    exception: null,
    lineCount: 1,
    truncated: false,
  };
}

/**
 * Whether a live record belongs in a view: its level, then its raw lines through the view's line
 * test (a record matches when one of its lines does, as the file search counts it). Null when a
 * line was cut for display, so the lines read do not tell.
 */
function viewAccepts(v: View, r: LogRecord, lines: readonly LineIn[]): boolean | null {
  if (!v.mask[levelIndex(r.level)]) return false;
  if (v.range && (r.time === null || r.time < v.range.from || r.time >= v.range.to)) return false;
  if (!v.test) return true;
  if (lines.some((l) => l.truncated === true)) return null;
  const test = v.test;
  return lines.some((l) => test(l.text)) !== v.invert;
}
