// How the aura.db reader process is started: a forked Node child by default, or what a host sets
// (the Electron host sets an Electron utilityProcess, because the RunAsNode fuse is off there).
import { fork } from 'node:child_process';

/** The few things the executor needs from its reader process, whatever started it. */
export interface WorkerProcess {
  readonly pid: number | undefined;
  readonly stderr: NodeJS.ReadableStream | null;
  send(message: unknown, onError: (err: Error) => void): void;
  onMessage(listener: (message: unknown) => void): void;
  /** Called once: the process ended (or could not start, with `error`). */
  onExit(listener: (how: string) => void): void;
  /** Asks the process to finish cleanly (closing its connection); false when it cannot be asked. */
  requestStop(): boolean;
  kill(): void;
}

export type WorkerLauncher = (script: string, env: NodeJS.ProcessEnv, execPath?: string) => WorkerProcess;

/** A plain Node child (the serve host, the CLI under Node, tests). */
export const forkLauncher: WorkerLauncher = (script, env, execPath) => {
  const child = fork(script, [], {
    serialization: 'advanced',
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
    // Do not inherit loaders (tsx, vitest): the worker script is plain CommonJS (built, or compiled
    // from db-worker.ts by worker-script.ts) and starts faster without them.
    execArgv: [],
    execPath: execPath ?? process.execPath,
    env,
  });
  return {
    get pid() {
      return child.pid;
    },
    stderr: child.stderr,
    send(message, onError) {
      child.send(message as object, (err) => {
        if (err) onError(err);
      });
    },
    onMessage(listener) {
      child.on('message', listener);
    },
    onExit(listener) {
      let done = false;
      const once = (how: string) => {
        if (done) return;
        done = true;
        listener(how);
      };
      child.on('error', (err) => once(`could not start: ${err.message}`));
      child.on('exit', (code, signal) => once(`ended (${signal ?? `exit code ${code}`})`));
    },
    requestStop() {
      if (!child.connected) return false;
      child.disconnect();
      return true;
    },
    kill() {
      child.kill('SIGKILL');
    },
  };
};

let current: WorkerLauncher = forkLauncher;

/** Set once by a host at startup (Electron: a utilityProcess launcher). */
export function setWorkerLauncher(launcher: WorkerLauncher): void {
  current = launcher;
}

export function workerLauncher(): WorkerLauncher {
  return current;
}
