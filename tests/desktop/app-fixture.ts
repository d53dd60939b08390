// Lays out a built app the way Electron would see it in development, with Electron's native split
// simulated: node_modules/better-sqlite3 holds a stub that registers Electron 45's ABI (so Node
// refuses it like Electron refuses a Node build), and the good build sits in .electron-native/.
import { execFileSync, fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { descendants as procDescendants, readCmdline } from '../../src/main/services/system/proc-table';
import { IPC_INVOKE } from '../../src/shared/ipc-channels';
import type { ControlRequest, StandInReport } from './control-protocol';

export const REPO = path.resolve(__dirname, '..', '..');
const PRELOAD = path.join(__dirname, 'preload.cjs');

/** Electron's NODE_MODULE_VERSION, from the installed electron package. */
export function electronAbi(): number {
  return Number(fs.readFileSync(path.join(REPO, 'node_modules', 'electron', 'abi_version'), 'utf8').trim());
}

/** A .node file that registers itself with `abi` as its module version, and does nothing else. */
function compileAbiStub(dir: string, abi: number): string {
  const src = path.join(dir, 'abi-stub.c');
  fs.writeFileSync(
    src,
    [
      'struct node_module { int nm_version; unsigned int nm_flags; void *nm_dso_handle; const char *nm_filename;',
      '  void *nm_register_func; void *nm_context_register_func; const char *nm_modname; void *nm_priv; struct node_module *nm_link; };',
      'extern void node_module_register(void *);',
      `static struct node_module m = { ${abi}, 0, 0, "abi-stub.c", 0, 0, "better_sqlite3", 0, 0 };`,
      '__attribute__((constructor)) static void reg(void) { node_module_register(&m); }',
      '',
    ].join('\n'),
  );
  const out = path.join(dir, 'better_sqlite3.node');
  try {
    execFileSync('cc', ['-shared', '-fPIC', '-o', out, src], { stdio: ['ignore', 'ignore', 'pipe'] });
  } catch (err) {
    throw new Error(
      `compiling the ABI stub needs a C compiler (cc; apt-get install build-essential): ${(err as Error).message}`,
    );
  }
  return out;
}

/**
 * A temp app folder: out/ (the build under test: AURA_OPS_DESKTOP_OUT, or the repo's), package.json,
 * resources/, node_modules linked to the repo's except better-sqlite3 (the ABI stub), .electron-native/.
 */
export function makeDesktopApp(): string {
  const outDir = process.env.AURA_OPS_DESKTOP_OUT ?? path.join(REPO, 'out');
  if (!fs.existsSync(path.join(outDir, 'main', 'index.js')))
    throw new Error(`no build at ${outDir}: run npx electron-vite build first`);
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-desktop-app-'));
  fs.cpSync(outDir, path.join(root, 'out'), { recursive: true });
  fs.copyFileSync(path.join(REPO, 'package.json'), path.join(root, 'package.json'));
  fs.symlinkSync(path.join(REPO, 'resources'), path.join(root, 'resources'));
  const modules = path.join(root, 'node_modules');
  fs.mkdirSync(modules);
  for (const name of fs.readdirSync(path.join(REPO, 'node_modules'))) {
    if (name === 'better-sqlite3' || name.startsWith('.')) continue;
    fs.symlinkSync(path.join(REPO, 'node_modules', name), path.join(modules, name));
  }
  const realSqlite = path.join(REPO, 'node_modules', 'better-sqlite3');
  const sqlite = path.join(modules, 'better-sqlite3');
  fs.mkdirSync(path.join(sqlite, 'build', 'Release'), { recursive: true });
  fs.copyFileSync(path.join(realSqlite, 'package.json'), path.join(sqlite, 'package.json'));
  fs.cpSync(path.join(realSqlite, 'lib'), path.join(sqlite, 'lib'), { recursive: true });
  compileAbiStub(path.join(sqlite, 'build', 'Release'), electronAbi());
  fs.mkdirSync(path.join(root, '.electron-native'));
  fs.copyFileSync(
    path.join(realSqlite, 'build', 'Release', 'better_sqlite3.node'),
    path.join(root, '.electron-native', 'better_sqlite3.node'),
  );
  return root;
}

export interface Exit {
  code: number | null;
  signal: NodeJS.Signals | null;
}

/** The app's main process under Node with the stand-in electron, and the reports it sends. */
export class AppProcess {
  readonly child: ChildProcess;
  readonly reports: StandInReport[] = [];
  readonly exited: Promise<Exit>;
  output = '';
  private nextId = 1;
  private listeners: Array<() => void> = [];

  constructor(root: string, args: string[], opts: { cwd: string; env?: NodeJS.ProcessEnv }) {
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...opts.env,
      NODE_OPTIONS: `--require ${JSON.stringify(PRELOAD)}`,
    };
    for (const k of Object.keys(env)) if (k.startsWith('AURA_')) delete env[k];
    this.child = fork(path.join(root, 'out', 'main', 'index.js'), args, {
      cwd: opts.cwd,
      env,
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
      serialization: 'advanced',
    });
    this.child.stdout?.on('data', (d) => (this.output += String(d)));
    this.child.stderr?.on('data', (d) => (this.output += String(d)));
    this.child.on('message', (m) => {
      this.reports.push(m as StandInReport);
      for (const l of this.listeners.slice()) l();
    });
    this.exited = new Promise((resolve) =>
      this.child.on('exit', (code, signal) => resolve({ code, signal })),
    );
    this.exited.then(() => {
      for (const l of this.listeners.slice()) l();
    });
  }

  get pid(): number {
    return this.child.pid ?? -1;
  }

  /** The first report matching `pred` (already received or coming), or an error after `ms`. */
  waitFor<T extends StandInReport>(what: string, pred: (r: StandInReport) => r is T, ms: number): Promise<T>;
  waitFor(what: string, pred: (r: StandInReport) => boolean, ms: number): Promise<StandInReport>;
  waitFor(what: string, pred: (r: StandInReport) => boolean, ms: number): Promise<StandInReport> {
    return new Promise((resolve, reject) => {
      const check = () => {
        const hit = this.reports.find(pred);
        if (hit) {
          done();
          resolve(hit);
        } else if (this.child.exitCode !== null || this.child.signalCode !== null) {
          done();
          reject(
            new Error(
              `the app ended (${this.child.exitCode ?? this.child.signalCode}) before ${what}; output:\n${this.output.slice(-3000)}`,
            ),
          );
        }
      };
      const timer = setTimeout(() => {
        done();
        reject(
          new Error(
            `no ${what} within ${ms} ms; reports: ${JSON.stringify(this.reports.map((r) => r.t))}; output:\n${this.output.slice(-3000)}`,
          ),
        );
      }, ms);
      const done = () => {
        clearTimeout(timer);
        this.listeners = this.listeners.filter((l) => l !== check);
      };
      this.listeners.push(check);
      check();
    });
  }

  /** Sends a control request to the stand-in and returns its answer (or throws its error). */
  async request(req: ControlRequest, ms = 30_000): Promise<unknown> {
    const id = this.nextId++;
    this.child.send({ ...req, id });
    const reply = await this.waitFor(`the reply to ${req.t}`, (r) => r.t === 'reply' && r.id === id, ms);
    if (reply.t !== 'reply') throw new Error('unreachable');
    if (!reply.ok) throw new Error(reply.error);
    return reply.value;
  }

  /** A contract call over the IPC path (the preload's one invoke channel), from the given frame. */
  invoke(channel: string, params: unknown, frameUrl: string, ms?: number): Promise<unknown> {
    return this.request({ t: 'invoke', channel: IPC_INVOKE, args: [channel, params], frameUrl }, ms);
  }

  async waitExit(ms: number): Promise<Exit> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new Error(`the app did not exit within ${ms} ms; output:\n${this.output.slice(-3000)}`)),
        ms,
      );
    });
    try {
      return await Promise.race([this.exited, timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  kill(): void {
    if (this.child.exitCode === null && this.child.signalCode === null) this.child.kill('SIGKILL');
  }
}

/** Every process below `pid` now (Linux /proc), with its command line. */
export function descendants(pid: number): Array<{ pid: number; cmd: string }> {
  return procDescendants(pid).flatMap((p) => {
    const argv = readCmdline(p);
    return argv === null ? [] : [{ pid: p, cmd: argv.join(' ') }]; // ended while we looked
  });
}
