// One executor lane: a db-worker process (forked, or an Electron utilityProcess) running
// requests one at a time, each with a time limit. A timeout or cancel kills the process (SIGKILL; the OS drops its locks) and the
// next request starts a fresh one, so the main thread never waits on SQLite.
import { OpsError } from '../../../shared/errors';
import type { WorkerError, WorkerMessage, WorkerProgress, WorkerRequest, WorkerResults } from './protocol';
import { workerLauncher, type WorkerLauncher, type WorkerProcess } from './worker-process';

/** Starting a Node process and opening the file; generous because the machine may be loaded. */
const START_TIMEOUT_MS = 30_000;
/** How much of the executor's stderr to keep for an error message. */
const STDERR_TAIL_CHARS = 4000;

export interface ExecutorOptions {
  /** Path of the executor script (worker-script.ts: the built db-worker.cjs, or db-worker.ts compiled). */
  workerScript: string;
  /** better-sqlite3 binary for this runtime (Electron needs its own ABI build). */
  nativeBinding?: string;
  /** Node binary to run a forked executor; defaults to this process. */
  execPath?: string;
  /** How to start the process; defaults to the host's (worker-process.ts). */
  launcher?: WorkerLauncher;
}

export interface RunOptions {
  timeoutMs: number;
  requestId?: string;
  onProgress?: (p: WorkerProgress) => void;
  /** The file the request needs open: opened first when the process has another (or none). */
  open?: { key: string; file: string; busyTimeoutMs: number };
}

/** Raised to the service, which maps SQLite codes to user-facing OpsErrors. */
export class WorkerFailure extends Error {
  readonly code: string;
  constructor(err: WorkerError) {
    super(err.message);
    this.name = 'WorkerFailure';
    this.code = err.code;
  }
}

interface Task {
  req: WorkerRequest;
  opts: RunOptions;
  resolve: (v: unknown) => void;
  reject: (e: unknown) => void;
}

export class Executor {
  private child: WorkerProcess | null = null;
  private openedKey: string | null = null;
  private nextId = 1;
  private queue: Task[] = [];
  private running: Task | null = null;
  private pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: unknown) => void; onProgress?: (p: WorkerProgress) => void }
  >();
  private stderrTail = '';
  private readyWaiters: { resolve: () => void; reject: (e: unknown) => void }[] = [];
  private isReady = false;
  private disposed = false;
  private readonly exitWaiters = new Map<WorkerProcess, () => void>();

  constructor(
    readonly name: string,
    private readonly options: ExecutorOptions,
  ) {}

  /** Pid of the live executor process, if any (tests check it is replaced after a timeout). */
  get pid(): number | null {
    return this.child?.pid ?? null;
  }

  /** The requestId of the task handed to the process (not one still queued), or null. */
  get runningRequestId(): string | null {
    return this.running?.opts.requestId ?? null;
  }

  get busy(): boolean {
    return this.running !== null || this.queue.length > 0;
  }

  run<K extends WorkerRequest['op']>(
    req: Extract<WorkerRequest, { op: K }>,
    opts: RunOptions,
  ): Promise<WorkerResults[K]> {
    if (this.disposed)
      return Promise.reject(new OpsError('unavailable', 'The database inspector is shutting down.'));
    return new Promise<WorkerResults[K]>((resolve, reject) => {
      this.queue.push({ req, opts, resolve: resolve as (v: unknown) => void, reject });
      this.pump();
    });
  }

  /** Starts the process ahead of the first request. */
  prewarm(): Promise<void> {
    return this.ensureReady();
  }

  /** Cancel one request (or all with no id): queued ones are dropped, a running one kills the process. */
  cancel(requestId?: string): number {
    let n = 0;
    const err = () => new OpsError('cancelled', 'The request was cancelled.');
    this.queue = this.queue.filter((t) => {
      if (requestId === undefined || t.opts.requestId === requestId) {
        t.reject(err());
        n += 1;
        return false;
      }
      return true;
    });
    if (this.running && (requestId === undefined || this.running.opts.requestId === requestId)) {
      n += 1;
      this.kill(err());
    }
    return n;
  }

  async dispose(): Promise<void> {
    this.disposed = true;
    this.cancel();
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      this.exitWaiters.set(child, resolve);
      // A graceful stop lets the worker close its connection; kill it if it does not exit.
      if (!child.requestStop()) child.kill();
      setTimeout(() => child.kill(), 1000).unref();
    });
    this.child = null;
  }

  private pump(): void {
    if (this.running || this.queue.length === 0) return;
    const task = this.queue.shift() as Task;
    this.running = task;
    this.execute(task)
      .then(task.resolve, task.reject)
      .finally(() => {
        if (this.running === task) this.running = null;
        this.pump();
      });
  }

  /** Rejects (and kills the process) when `work` outlives `ms`; the error says which limit was hit. */
  private async limited<T>(work: Promise<T>, ms: number, onTimeout: () => OpsError): Promise<T> {
    const timer = setTimeout(() => this.kill(onTimeout()), ms);
    try {
      return await work;
    } finally {
      clearTimeout(timer);
    }
  }

  private async execute(task: Task): Promise<unknown> {
    // Starting the process and opening the file do not count against the query's time limit.
    await this.limited(
      this.ensureReady(),
      START_TIMEOUT_MS,
      () =>
        new OpsError(
          'unavailable',
          `The database executor did not start within ${START_TIMEOUT_MS} ms.`,
          'The machine is overloaded; retry.',
        ),
    );
    const open = task.opts.open;
    if (open && this.openedKey !== open.key) {
      this.openedKey = null;
      const req: WorkerRequest = { op: 'open', file: open.file, busyTimeoutMs: open.busyTimeoutMs };
      if (this.options.nativeBinding) req.nativeBinding = this.options.nativeBinding;
      await this.limited(
        this.send(req),
        START_TIMEOUT_MS,
        () =>
          new OpsError(
            'unavailable',
            `Opening ${open.file} took longer than ${START_TIMEOUT_MS} ms.`,
            'Check the disk holding aura.db (network drive, failing disk).',
          ),
      );
      this.openedKey = open.key;
    }
    return this.limited(
      this.send(task.req, task.opts.onProgress),
      task.opts.timeoutMs,
      () =>
        new OpsError(
          'timeout',
          `The query ran longer than its time limit (${task.opts.timeoutMs} ms) and was stopped.`,
          'Add a WHERE clause or LIMIT, or raise the time limit for this query.',
        ),
    );
  }

  private send(req: WorkerRequest, onProgress?: (p: WorkerProgress) => void): Promise<unknown> {
    const child = this.ensureChild();
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject, onProgress });
      child.send({ ...req, id }, (err) => {
        if (this.pending.delete(id))
          reject(new OpsError('internal', `Cannot reach the database executor: ${err.message}`));
      });
    });
  }

  private ensureReady(): Promise<void> {
    this.ensureChild();
    if (this.isReady) return Promise.resolve();
    return new Promise((resolve, reject) => this.readyWaiters.push({ resolve, reject }));
  }

  private ensureChild(): WorkerProcess {
    if (this.child) return this.child;
    this.isReady = false;
    const env: NodeJS.ProcessEnv = { ...process.env };
    const launch = this.options.launcher ?? workerLauncher();
    const child = launch(this.options.workerScript, env, this.options.execPath);
    this.stderrTail = '';
    child.stderr?.setEncoding('utf8');
    child.stderr?.on('data', (chunk: string) => {
      this.stderrTail = (this.stderrTail + chunk).slice(-STDERR_TAIL_CHARS);
    });
    child.onMessage((msg) => this.onMessage(msg as WorkerMessage));
    child.onExit((how) => {
      this.exitWaiters.get(child)?.();
      this.exitWaiters.delete(child);
      this.onExit(child, how);
    });
    this.child = child;
    return child;
  }

  private onMessage(msg: WorkerMessage): void {
    if (msg.type === 'ready') {
      this.isReady = true;
      for (const w of this.readyWaiters.splice(0)) w.resolve();
    } else if (msg.type === 'progress') {
      this.pending.get(msg.id)?.onProgress?.(msg.progress);
    } else if (msg.type === 'result') {
      const p = this.pending.get(msg.id);
      if (!p) return;
      this.pending.delete(msg.id);
      if (msg.ok) p.resolve(msg.value);
      else p.reject(new WorkerFailure(msg.error));
    }
  }

  private onExit(child: WorkerProcess, how: string): void {
    if (this.child !== child) return;
    this.child = null;
    this.openedKey = null;
    const detail = this.stderrTail.trim();
    const err = new OpsError(
      'internal',
      `The database executor ${how}.`,
      detail
        ? detail
        : 'The next request starts a fresh executor; if this repeats, check the better-sqlite3 binary.',
    );
    this.failPending(err);
  }

  private kill(reason: OpsError): void {
    const child = this.child;
    this.child = null;
    this.openedKey = null;
    this.failPending(reason);
    if (child) child.kill();
  }

  private failPending(err: unknown): void {
    for (const w of this.readyWaiters.splice(0)) w.reject(err);
    const all = [...this.pending.values()];
    this.pending.clear();
    for (const p of all) p.reject(err);
  }
}
