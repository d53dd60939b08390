// Builds a file's record index in a worker thread (the UI and the tailer stay responsive while a
// gigabyte is scanned). One worker serves every index job in turn and stays warm between jobs:
// a thread start costs 50-250 ms on a busy machine, more than scanning 200 MB. The worker's code is
// log-index-worker.ts (built as out/main/log-index-worker.js; from sources under tsx and vitest).
import { Worker } from 'node:worker_threads';
import type { LogFormat } from '../../../shared/serilog';
import { OpsError } from '../../../shared/errors';
import { RecordIndex } from './record-index';
import { workerScript, type WorkerScript } from '../../workers/off-thread';

export interface IndexProgress {
  bytes: number;
  total: number;
  records: number;
}

export interface IndexResult {
  index: RecordIndex;
  /** Newline count in the range (what `wc -l` reports). */
  lines: number;
}

/** An idle worker is ended after this long: warm for the next pane, not a thread held forever. */
const WORKER_IDLE_MS = 60_000;

/** A job as posted to the worker (log-index-worker.ts). */
export interface IndexJobMessage {
  id: number;
  path: string;
  end: number;
  format: LogFormat;
  /** Int32 flag the worker reads between reads: 1 = stop. */
  cancel: SharedArrayBuffer;
}

/** What the worker posts back: batches of record starts, progress, and one final answer. */
export type IndexWorkerMessage =
  | { id: number; type: 'chunk'; offsets: Float64Array; levels: Uint8Array; count: number }
  | { id: number; type: 'progress'; bytes: number; records: number }
  | { id: number; type: 'done'; lines: number; records: number }
  | { id: number; type: 'cancelled' }
  | { id: number; type: 'error'; message: string };

interface Job {
  id: number;
  path: string;
  end: number;
  format: LogFormat;
  /** Int32 flag the worker reads between reads: 1 = stop. */
  cancel: SharedArrayBuffer;
  index: RecordIndex;
  onProgress?: (p: IndexProgress) => void;
  resolve: (r: IndexResult) => void;
  reject: (e: Error) => void;
  /** The caller gave up (aborted): its promise is settled, the worker may still be finishing. */
  abandoned: boolean;
}

/** The shared index worker: a FIFO of jobs, one running at a time. */
class IndexWorkerHost {
  private worker: Worker | null = null;
  private queue: Job[] = [];
  private running: Job | null = null;
  private idleTimer: NodeJS.Timeout | null = null;
  private nextId = 1;

  /** Start the thread now (a big file was opened: its index job follows shortly). */
  prewarm(): void {
    this.ensureWorker();
    if (!this.running) this.armIdle();
  }

  submit(job: Omit<Job, 'id' | 'cancel' | 'index' | 'abandoned'>, signal?: AbortSignal): void {
    const full: Job = {
      ...job,
      id: this.nextId++,
      cancel: new SharedArrayBuffer(4),
      index: new RecordIndex(),
      abandoned: false,
    };
    if (signal) {
      const onAbort = () => this.cancel(full);
      if (signal.aborted) {
        onAbort();
        return;
      }
      signal.addEventListener('abort', onAbort, { once: true });
      const settle = (fn: () => void) => () => {
        signal.removeEventListener('abort', onAbort);
        fn();
      };
      const { resolve, reject } = full;
      full.resolve = (r) => settle(() => resolve(r))();
      full.reject = (e) => settle(() => reject(e))();
    }
    this.queue.push(full);
    this.pump();
  }

  /** End the thread (tests, benches measuring a cold start, process shutdown). */
  async shutdown(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const lost = [...(this.running ? [this.running] : []), ...this.queue];
    this.running = null;
    this.queue = [];
    for (const j of lost) this.fail(j, 'the index worker was shut down. Reopen the pane to retry.');
    if (w) await w.terminate();
  }

  private cancel(job: Job): void {
    if (job.abandoned) return;
    job.abandoned = true;
    job.index.close();
    Atomics.store(new Int32Array(job.cancel), 0, 1);
    this.queue = this.queue.filter((j) => j !== job);
    job.reject(new OpsError('cancelled', 'Indexing was cancelled (the pane was closed).'));
    // A running job stops at its next read and answers 'cancelled'; the queue moves on then.
  }

  private fail(job: Job, why: string): void {
    if (job.abandoned) return;
    job.abandoned = true;
    job.index.close();
    job.reject(new OpsError('internal', `Indexing ${job.path} failed: ${why}`));
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const script = indexWorkerScript();
    const w = new Worker(script.file, { eval: script.eval === true, execArgv: script.execArgv });
    w.on('message', (m: IndexWorkerMessage) => this.onMessage(m));
    w.on('error', (err) => this.onCrash(w, `${err.message}. Close and reopen the pane to retry.`));
    w.on('exit', (code) =>
      this.onCrash(w, `the worker stopped unexpectedly (exit ${code}). Reopen the pane to retry.`),
    );
    this.worker = w;
    return w;
  }

  private onCrash(w: Worker, why: string): void {
    if (this.worker !== w) return; // an old worker that was shut down on purpose
    this.worker = null;
    const job = this.running;
    this.running = null;
    if (job) this.fail(job, why);
    this.pump();
  }

  private armIdle(): void {
    this.worker?.unref();
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = setTimeout(() => void this.shutdown(), WORKER_IDLE_MS);
    this.idleTimer.unref();
  }

  private pump(): void {
    if (this.running) return;
    const job = this.queue.shift();
    if (!job) {
      if (this.worker) this.armIdle();
      return;
    }
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
    const w = this.ensureWorker();
    // A job in progress keeps the process alive (a CLI awaiting its index must not exit early).
    w.ref();
    this.running = job;
    const msg: IndexJobMessage = {
      id: job.id,
      path: job.path,
      end: job.end,
      format: job.format,
      cancel: job.cancel,
    };
    w.postMessage(msg);
  }

  private onMessage(m: IndexWorkerMessage): void {
    const job = this.running;
    if (!job || job.id !== m.id) return;
    if (m.type === 'chunk') {
      if (!job.abandoned) job.index.adoptMany(m.offsets, m.levels, m.count);
      return;
    }
    if (m.type === 'progress') {
      if (!job.abandoned) job.onProgress?.({ bytes: m.bytes, total: job.end, records: job.index.count });
      return;
    }
    this.running = null;
    if (m.type === 'done') {
      if (!job.abandoned) {
        job.abandoned = true;
        job.resolve({ index: job.index, lines: m.lines });
      }
    } else if (m.type === 'error') {
      this.fail(job, `${m.message}. Close and reopen the pane to retry.`);
    }
    // 'cancelled': the caller was told when it aborted.
    this.pump();
  }
}

/** The worker's code: out/main/log-index-worker.js when built, log-index-worker.ts from sources. */
export function indexWorkerScript(): WorkerScript {
  return workerScript(
    'log-index-worker',
    typeof __dirname === 'string' ? __dirname : process.cwd(),
    'AURA_OPS_LOG_INDEX_WORKER',
  );
}

const host = new IndexWorkerHost();

/** Start the index thread ahead of a job (its start-up then overlaps the first paint). */
export function prewarmIndexWorker(): void {
  host.prewarm();
}

/** End the index thread; the next job starts a new one. */
export function shutdownIndexWorker(): Promise<void> {
  return host.shutdown();
}

/**
 * Index the records of [0, end) of a file in the shared worker. `signal` aborts (the job stops at
 * its next read; the promise rejects with code 'cancelled' at once).
 */
export function buildIndex(
  path: string,
  end: number,
  format: LogFormat,
  onProgress?: (p: IndexProgress) => void,
  signal?: AbortSignal,
): Promise<IndexResult> {
  return new Promise((resolve, reject) => {
    if (end <= 0) {
      resolve({ index: new RecordIndex(), lines: 0 });
      return;
    }
    host.submit({ path, end, format, onProgress, resolve, reject }, signal);
  });
}
