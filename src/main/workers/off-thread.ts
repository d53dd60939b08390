// Runs the task worker's jobs (task-types.ts) on a worker thread, so the main process's event loop
// stays free for terminals, log panes and the demo sandbox. One warm worker per lane, FIFO jobs.
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';
import { OpsError } from '../../shared/errors';
import type { TaskName, TaskReply, Tasks } from './task-types';

/** An idle worker is ended after this long: warm for the next sweep (5 s apart), not held forever. */
export const TASK_WORKER_IDLE_MS = 60_000;

/** Where the worker's code is: the built bundle's task-worker.js, or the TypeScript source under tsx/vitest. */
export function taskWorkerScript(): WorkerScript {
  return workerScript(
    'task-worker',
    typeof __dirname === 'string' ? __dirname : process.cwd(),
    'AURA_OPS_TASK_WORKER',
  );
}

/**
 * A worker entry built by electron-vite (`<entry>.js`, see electron.vite.config.ts) or, from sources,
 * `<entry>.ts` in `sourceDir` (the caller's own folder). `envVar` may name the built file's path.
 */
export function workerScript(entry: string, sourceDir: string, envVar: string): WorkerScript {
  const env = process.env[envVar];
  // Built: main's shared code may land in out/main/chunks/, the worker entry in out/main/.
  const built = [env, path.join(sourceDir, `${entry}.js`), path.join(sourceDir, '..', `${entry}.js`)].find(
    (p): p is string => !!p && fs.existsSync(p),
  );
  if (built) return { file: built, execArgv: [] };
  const source = path.join(sourceDir, `${entry}.ts`);
  if (fs.existsSync(source)) {
    // From sources (tests, benches): a worker gets no loader from its parent under vitest, so a
    // small bootstrap registers tsx's require hook and loads the TypeScript entry.
    const api = createRequire(path.join(sourceDir, 'index.js')).resolve('tsx/cjs/api');
    const boot = `require(${JSON.stringify(api)}).register();\nrequire(${JSON.stringify(source)});`;
    return { file: boot, eval: true, execArgv: [] };
  }
  throw new OpsError(
    'unavailable',
    `The worker ${entry}.js is missing from this build`,
    `Looked next to ${sourceDir}. Set ${envVar} to its path.`,
  );
}

/** A worker's code: a file, or (eval) a bootstrap source text. */
export interface WorkerScript {
  file: string;
  eval?: boolean;
  execArgv: string[];
}

interface Job {
  id: number;
  task: TaskName;
  args: unknown;
  resolve: (v: unknown) => void;
  reject: (e: Error) => void;
}

/** One lane: a worker thread running its jobs one at a time, restarted after a crash. */
export class TaskWorker {
  private worker: Worker | null = null;
  private readonly queue: Job[] = [];
  private current: Job | null = null;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | null = null;

  constructor(
    /** Named in errors ("the runbook parser stopped ..."). */
    readonly label: string,
    private readonly script: () => WorkerScript = taskWorkerScript,
  ) {}

  run<K extends TaskName>(task: K, args: Tasks[K]['args']): Promise<Tasks[K]['result']> {
    return new Promise<Tasks[K]['result']>((resolve, reject) => {
      this.queue.push({ id: this.nextId++, task, args, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Jobs queued or running. */
  get pending(): number {
    return this.queue.length + (this.current ? 1 : 0);
  }

  /** End the worker now; jobs in flight or queued fail with a clear error. */
  async shutdown(): Promise<void> {
    const w = this.worker;
    this.worker = null;
    this.clearIdle();
    const lost = [...(this.current ? [this.current] : []), ...this.queue.splice(0)];
    this.current = null;
    for (const j of lost)
      j.reject(new OpsError('unavailable', `The ${this.label} was shut down before it finished.`));
    if (w) await w.terminate();
  }

  private pump(): void {
    if (this.current || this.queue.length === 0) return;
    let w: Worker;
    try {
      w = this.ensureWorker();
    } catch (err) {
      const lost = this.queue.splice(0);
      for (const j of lost) j.reject(err instanceof Error ? err : new Error(String(err)));
      return;
    }
    this.clearIdle();
    w.ref();
    const job = this.queue.shift()!;
    this.current = job;
    w.postMessage({ id: job.id, task: job.task, args: job.args });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const s = this.script();
    const w = new Worker(s.file, { eval: s.eval === true, execArgv: s.execArgv });
    w.on('message', (m: TaskReply) => {
      const job = this.current;
      if (this.worker !== w || !job || job.id !== m.id) return;
      this.current = null;
      if (m.ok) job.resolve(m.value);
      else job.reject(new OpsError('internal', `The ${this.label} failed: ${m.error}`));
      this.afterJob(w);
    });
    w.on('error', (err) => this.onCrash(w, `it failed: ${err.message}`));
    w.on('exit', (code) => this.onCrash(w, `it exited with code ${code}`));
    this.worker = w;
    return w;
  }

  private onCrash(w: Worker, why: string): void {
    if (this.worker !== w) return; // an old worker ended on purpose
    this.worker = null;
    this.clearIdle();
    const job = this.current;
    this.current = null;
    // Only the job in flight fails; queued jobs get a fresh worker.
    job?.reject(new OpsError('unavailable', `The ${this.label} stopped unexpectedly (${why}); try again.`));
    this.pump();
  }

  private afterJob(w: Worker): void {
    if (this.queue.length > 0) return this.pump();
    // Idle: do not hold the process open, and end the thread after a while.
    w.unref();
    this.idleTimer = setTimeout(() => {
      if (this.worker === w && !this.current) {
        this.worker = null;
        void w.terminate();
      }
    }, TASK_WORKER_IDLE_MS);
    this.idleTimer.unref();
  }

  private clearIdle(): void {
    if (this.idleTimer) clearTimeout(this.idleTimer);
    this.idleTimer = null;
  }
}

/** The log probe's lane (every 5 s: never queued behind a big runbook). */
export const logProbeWorker = new TaskWorker('log probe worker');
/** The sweep's /proc scan (Linux): hundreds of small synchronous reads, 30-90 ms under load. */
export const processListWorker = new TaskWorker('process list worker');
/** The runbook parser's lane (a 9 MB file takes seconds). */
export const runbookParseWorker = new TaskWorker('runbook parser');
