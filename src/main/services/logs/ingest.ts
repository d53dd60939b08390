// How records reach a pane: the tailer's lines grouped into records, the last record held open for
// continuation lines, new records pushed to the renderer in short batches, and the worker's index
// of the older part of a big file merged in front of them.
import type { IndexedRecord, PaneStatusKind } from '../../../shared/contract/logs';
import { RecordGrouper, levelIndex, type LineIn, type LogRecord } from '../../../shared/serilog';
import type { ServiceContext } from '../context';
import { buildIndex, prewarmIndexWorker } from './index-worker';
import type { SplitLine } from './line-splitter';
import { paneTotal, type Pane } from './pane';
import type { TailFile, TailStatus } from './tailer';
import { viewAccepts } from './views';

/** Longest wait before new records are pushed to the renderer (the contract promises <= 50 ms). */
export const BATCH_MS = 40;
/** Delay before a big file's background index starts, so the first paint is not slowed. */
const INDEX_DELAY_MS = 100;
/**
 * How long the last record stays open for continuation lines (a multi-line exception written in
 * several writes) once everything written was read; the next record start closes it at once.
 * Short enough that a lone last record still shows within the 150 ms write-to-screen goal.
 */
export const RECORD_HOLD_MS = 120;

export class LiveIngest {
  constructor(
    private readonly ctx: ServiceContext,
    private readonly holdMs: number,
  ) {}

  /** Indexes the part of `newest` before `startAt` in the worker, shortly, unless the pane closes first. */
  scheduleIndex(pane: Pane, newest: string, startAt: number, resolveDone: () => void): void {
    const file = newest;
    // The thread starts while the first page is served; the job is posted after the delay.
    prewarmIndexWorker();
    // Let the first page be served before the worker competes for the CPU.
    const timer = setTimeout(() => this.startIndex(pane, file, startAt, resolveDone), INDEX_DELAY_MS);
    pane.abort.signal.addEventListener('abort', () => {
      clearTimeout(timer);
      resolveDone();
    });
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
          total: paneTotal(pane),
        }),
      pane.abort.signal,
    )
      .then(({ index }) => {
        if (pane.closed) {
          index.close();
          return;
        }
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
          total: paneTotal(pane),
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
          total: paneTotal(pane),
          error: message,
        });
      })
      .finally(() => resolveDone());
  }

  onLines(pane: Pane, lines: SplitLine[], f: TailFile): void {
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

  onIdle(pane: Pane): void {
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

  flushGrouper(pane: Pane): void {
    if (pane.holdTimer) {
      clearTimeout(pane.holdTimer);
      pane.holdTimer = null;
    }
    const g = pane.grouper;
    const r = g?.flush();
    if (g && r) this.append(pane, r, g.lastLines);
  }

  onStatus(pane: Pane, s: TailStatus): void {
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
    const index = paneTotal(pane) - 1;
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
      total: paneTotal(pane),
    });
  }
}
