// The logs service: tail panes over the attached install's log families (or single files under
// allowed roots). Each pane follows its file set (ingest.ts), indexes the older part of a big file
// in a worker, and serves pages, filters (views.ts) and searches from disk (pane.ts).
import fs from 'node:fs';
import path from 'node:path';
import type {
  LogFileInfo,
  PanePreview,
  ErrorRateResult,
  HistogramResult,
  LogSources,
  PageResult,
  PaneInfo,
  SearchResult,
  TimeRange,
} from '../../../shared/contract/logs';
import { OpsError } from '../../../shared/errors';
import type { LogFormat, LogLevel, LogRecord } from '../../../shared/serilog';
import type { ServiceContext } from '../context';
import { detectFileFormat, findTailStart, lastRecordsStart, readWholeRecord } from './file-reader';
import { LiveIngest, RECORD_HOLD_MS } from './ingest';
import { findPosition, offsetAt, paneTotal, readRecords, segmentIndexOf, type Pane } from './pane';
import { LOG_FAMILIES, assertAllowedPath, familyById, listFileSet } from './paths';
import { RecordIndex } from './record-index';
import { LogFolders } from './sources';
import { errorRateOf, histogramOf, readSetSince } from './stats';
import { FileSetTailer } from './tailer';
import {
  compile,
  firstAtOrAfter,
  lowerBound,
  matchPositions,
  narrowed,
  viewOf,
  type LogFilter,
} from './views';
import { nowMs } from '../../../shared/clock';

/** Records per histogram request at most: a strip covers the visible window, not the whole file. */
const MAX_HISTOGRAM_RECORDS = 50_000;

export interface LogsServiceOptions {
  /** Folders added earlier (persisted by the host) that panes may open files from. */
  roots?: string[];
  /** Called with every added root whenever the list changes (the host persists it). */
  onRootsChanged?: (roots: string[]) => void;
  /** Override RECORD_HOLD_MS (tests use a long hold so a slow machine cannot split a record). */
  recordHoldMs?: number;
  /**
   * The host's source of checked tails: for a family whose newest file an opened bundle is still
   * verifying, the folder holding its tail; null to open the family's own folder.
   */
  previewOf?: (familyId: string) => PreviewSource | null;
  /** Files of a family that are not on disk yet, listed by logs:sources (an opened bundle's). */
  pendingFiles?: (familyId: string) => LogFileInfo[];
  /**
   * Whether the files in `dir` will never grow (an opened bundle's): a pane over them shows a last
   * line without its newline as a record instead of waiting for the rest of it.
   */
  filesEnded?: (dir: string) => boolean;
}

export interface OpenSetOptions {
  dir: string;
  pattern: string;
  format?: LogFormat;
  title?: string;
  /**
   * Start at the last N records of the newest file and index nothing before them (`aura-ops logs
   * tail`); without it a pane starts at the first-paint tail and indexes the rest in a worker.
   */
  tailRecords?: number;
  /** The pane shows a bundled file's checked tail (PaneInfo.preview). */
  preview?: PanePreview;
}

/** A folder of checked tails for a family, from the opened bundle (LogsServiceOptions.previewOf). */
export interface PreviewSource {
  dir: string;
  preview: PanePreview;
}

export class LogsService {
  private panes = new Map<string, Pane>();
  private nextId = 1;
  private readonly folders: LogFolders;
  private readonly ingest: LiveIngest;

  /** Folders of checked tails this service was given (previewOf): readable by their panes. */
  private readonly previewDirs = new Set<string>();
  private readonly previewOf: ((familyId: string) => PreviewSource | null) | undefined;
  private readonly filesEnded: (dir: string) => boolean;

  constructor(ctx: ServiceContext, opts: LogsServiceOptions = {}) {
    const saved = [...new Set((opts.roots ?? []).map((r) => path.resolve(r)))];
    this.folders = new LogFolders(ctx, saved, opts.onRootsChanged, opts.pendingFiles);
    this.ingest = new LiveIngest(ctx, opts.recordHoldMs ?? RECORD_HOLD_MS);
    this.previewOf = opts.previewOf;
    this.filesEnded = opts.filesEnded ?? (() => false);
    ctx.onDispose(() => this.dispose());
  }

  /**
   * Folders panes may read: the install's logs dir, its Logs (error store) dir, added roots, and
   * the folders of checked tails the host made (never one a request named).
   */
  roots(): string[] {
    return [...this.folders.roots(), ...this.previewDirs];
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
      // An opened bundle still verifying this family's newest file: its checked tail, at once.
      const preview = this.previewOf?.(fam.id) ?? null;
      if (preview) this.previewDirs.add(path.resolve(preview.dir));
      return this.openFileSet({
        dir: preview ? preview.dir : this.folders.familyDir(fam.id),
        pattern: fam.pattern,
        format: p.format ?? fam.format,
        title: fam.label,
        ...(preview ? { preview: preview.preview } : {}),
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
      startAt =
        o.tailRecords === undefined
          ? findTailStart(newest, size, format)
          : lastRecordsStart(newest, size, format, o.tailRecords);
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
      indexing: startAt > 0 && o.tailRecords === undefined,
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
      preview: o.preview ?? null,
    };
    this.panes.set(id, pane);
    pane.tailer = new FileSetTailer({
      dir,
      pattern: o.pattern,
      startAt,
      onLines: (lines, f) => this.ingest.onLines(pane, lines, f),
      onIdle: () => this.ingest.onIdle(pane),
      onStatus: (s) => this.ingest.onStatus(pane, s),
      checkPath: (fp) => {
        assertAllowedPath(fp, this.roots());
      },
      ended: o.preview !== undefined || this.filesEnded(dir),
    });
    pane.tailer.start();
    // What was on disk at open is complete: its last record is not held.
    this.ingest.flushGrouper(pane);
    if (newest && startAt > 0 && o.tailRecords === undefined)
      this.ingest.scheduleIndex(pane, newest, startAt, resolveDone);
    else resolveDone();
    return this.info(pane);
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
    pane.known.close();
    pane.prefix?.close();
    if (pane.batchTimer) clearTimeout(pane.batchTimer);
    if (pane.holdTimer) clearTimeout(pane.holdTimer);
    this.panes.delete(paneId);
    return { closed: true };
  }

  /** Closes every pane; the folders of checked tails go with them (their bundle is closing). */
  dispose(): void {
    for (const id of [...this.panes.keys()]) this.closePane(id);
    this.previewDirs.clear();
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
      total: paneTotal(p),
      ...(p.preview ? { preview: p.preview } : {}),
    };
  }

  /**
   * Lines of the pane's last record that the tailer has read and holds open for continuation
   * lines (0 when none): a record that is still being written.
   */
  heldLines(paneId: string): number {
    return this.pane(paneId).grouper?.pendingLines ?? 0;
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
    const unfilteredTotal = paneTotal(p);
    let positions: number[] | null = null;
    let total = unfilteredTotal;
    if (narrowed(q)) {
      const v = await viewOf(p, q);
      positions = v.positions;
      total = positions.length;
    }
    let from = q.fromLine < 0 ? Math.max(0, total + q.fromLine) : Math.min(q.fromLine, total);
    const to = Math.min(total, from + q.count);
    if (from > to) from = to;
    const want: number[] = [];
    for (let k = from; k < to; k++) want.push(positions ? positions[k] : k);
    return { records: readRecords(p, want), from, total, unfilteredTotal };
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
    const search = compile(q.pattern, q.regex, q.caseSensitive);
    await p.indexDone;
    let hits = matchPositions(p, search);
    if (q.levels || q.filter) {
      // Report positions in the filtered view the caller is showing.
      const v = await viewOf(p, q);
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
    const v = await viewOf(this.pane(q.paneId), q);
    return { index: Math.min(lowerBound(v.positions, index), Math.max(0, v.positions.length - 1)) };
  }

  private async seekTimeUnfiltered(q: { paneId: string; time: number }): Promise<{ index: number }> {
    const p = this.pane(q.paneId);
    await p.indexDone;
    return { index: Math.min(firstAtOrAfter(p, q.time), Math.max(0, paneTotal(p) - 1)) };
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
    const view = narrowed(q) ? (await viewOf(p, q)).positions : null;
    const total = view ? view.length : paneTotal(p);
    const to = Math.min(total, q.toLine, q.fromLine + MAX_HISTOGRAM_RECORDS);
    const positions: number[] = [];
    for (let i = q.fromLine; i < to; i++) positions.push(view ? view[i] : i);
    return { buckets: histogramOf(readRecords(p, positions)) };
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
    const i = findPosition(p, seg, q.offset);
    const end =
      i !== null && i + 1 < paneTotal(p) && segmentIndexOf(p, i + 1) === segmentIndexOf(p, i)
        ? offsetAt(p, i + 1)
        : null;
    return readWholeRecord(seg.path, q.offset, end, p.format, seg.name);
  }
}
