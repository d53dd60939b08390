// The terminal service: owns every pty session of the console, starts shells in the attached
// install's data root with its AURA_* variables, and sends risk-checked commands from elsewhere.
import { randomBytes } from 'node:crypto';
import { accessSync, constants, existsSync, statSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, isAbsolute, join } from 'node:path';
import * as pty from 'node-pty';
import type { CommandClassification } from '../../../shared/command-risk';
import { classifyCommand } from '../command-risk';
import {
  TERMINAL_FONT_SIZE,
  TERMINAL_SCROLLBACK,
  terminalSettingsSchema,
  type TerminalCommandFinished,
  type TerminalReplay,
  type TerminalRunResult,
  type TerminalSessionInfo,
  type TerminalSettings,
  type TerminalSettingsInfo,
} from '../../../shared/contract/terminal';
import { OpsError } from '../../../shared/errors';
import { AS_OF_ENV, installEnv } from '../install/env';
import type { ServiceContext } from '../context';
import { prepareShellLaunch } from './shell-integration';
import { DEFAULT_TUNABLES, TerminalSession, type SessionTunables } from './session';

/** How long `terminal:run` waits for a new shell's first prompt before typing into it anyway. */
const READY_TIMEOUT_MS = 5_000;
/** Sessions kept at once; each is a process and a replay buffer. */
const MAX_SESSIONS = 32;
/** Bracketed-paste markers; the end marker is removed from pasted text so it cannot end the paste early. */
const PASTE_START = '\x1b[200~';
const PASTE_END = '\x1b[201~';

export interface TerminalServiceOptions extends Partial<SessionTunables> {
  /** Shell used when create() names none; default $SHELL, then /bin/bash. */
  defaultShell?: string;
  /** Where the generated shell-integration files go; default <dataDir>/shell-integration. */
  integrationDir?: string;
  /** Extra environment for every shell (tests use it to point HOME at a temp dir). */
  env?: Record<string, string>;
  /** Where the settings live (the host passes ops.db); without it they last as long as the service. */
  settingsStore?: TerminalSettingsStore;
}

/** Persistence of the terminal settings, given by the host (kept out of the service: no store import). */
export interface TerminalSettingsStore {
  /** What was saved before (any shape: it is checked field by field), or undefined/null when nothing was. */
  load(): unknown;
  save(settings: TerminalSettings): void;
}

export const DEFAULT_TERMINAL_SETTINGS: TerminalSettings = {
  shell: null,
  fontSize: TERMINAL_FONT_SIZE.default,
  scrollback: TERMINAL_SCROLLBACK.default,
};

/** Keeps each saved field that is still valid; a damaged or out-of-range one falls back to its default. */
export function sanitizeSettings(raw: unknown): TerminalSettings {
  const out: TerminalSettings = { ...DEFAULT_TERMINAL_SETTINGS };
  if (!raw || typeof raw !== 'object') return out;
  const shape = terminalSettingsSchema.shape;
  const r = raw as Record<string, unknown>;
  const shell = shape.shell.safeParse(r.shell);
  if (shell.success) out.shell = shell.data;
  const fontSize = shape.fontSize.safeParse(r.fontSize);
  if (fontSize.success) out.fontSize = fontSize.data;
  const scrollback = shape.scrollback.safeParse(r.scrollback);
  if (scrollback.success) out.scrollback = scrollback.data;
  return out;
}

export interface CreateParams {
  shell?: string;
  cwd?: string;
  cols?: number;
  rows?: number;
  title?: string;
  restartId?: string;
}

export interface RunParams {
  sessionId?: string;
  command: string;
  mode?: 'run' | 'paste';
  confirmed?: boolean;
  title?: string;
  /** Tags the command this sends, so its finished record names the step run it answers. */
  runId?: string;
}

export type TerminalEventListener = (event: string, payload: unknown) => void;

/** Finds an executable: an absolute path is checked as is, a bare name is looked up on PATH. */
export function resolveShell(shell: string, pathEnv: string | undefined): string {
  const candidates = shell.includes('/')
    ? [shell]
    : (pathEnv ?? '')
        .split(delimiter)
        .filter(Boolean)
        .map((d) => join(d, shell));
  if (shell.includes('/') && !isAbsolute(shell)) {
    throw new OpsError(
      'invalid-config',
      `The shell path "${shell}" is relative. Give a full path such as /bin/bash.`,
    );
  }
  for (const c of candidates) {
    try {
      if (statSync(c).isFile()) {
        accessSync(c, constants.X_OK);
        return c;
      }
    } catch {
      // not this candidate; try the next one
    }
  }
  throw new OpsError(
    'invalid-config',
    `The shell "${shell}" was not found or is not executable. Set the terminal shell to an installed one, such as /bin/bash.`,
  );
}

export class TerminalService {
  private readonly sessions = new Map<string, TerminalSession>();
  private readonly tun: SessionTunables;
  private readonly listeners = new Set<TerminalEventListener>();
  private counter = 0;
  private disposed = false;
  private current: TerminalSettings;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly opts: TerminalServiceOptions = {},
  ) {
    this.tun = { ...DEFAULT_TUNABLES, ...stripUndefined(opts) };
    let saved: unknown;
    try {
      saved = opts.settingsStore?.load();
    } catch (err) {
      // Unreadable settings must not cost the operator a terminal: start with the defaults.
      process.stderr.write(
        `aura-ops: terminal settings could not be read, using defaults: ${(err as Error).message}\n`,
      );
    }
    this.current = sanitizeSettings(saved);
    ctx.onDispose(() => this.dispose());
  }

  /** The shell used when neither the request nor the settings name one. */
  get defaultShell(): string {
    return this.opts.defaultShell ?? process.env.SHELL ?? '/bin/bash';
  }

  settings(): TerminalSettingsInfo {
    return { settings: { ...this.current }, defaultShell: this.defaultShell };
  }

  /** Changes the given fields; a shell must exist and be executable (stored as its absolute path). */
  updateSettings(patch: Partial<TerminalSettings>): TerminalSettingsInfo {
    const next: TerminalSettings = { ...this.current, ...stripUndefined(patch) };
    if (patch.shell !== undefined && patch.shell !== null) {
      next.shell = resolveShell(patch.shell.trim(), process.env.PATH);
    }
    const checked = terminalSettingsSchema.safeParse(next);
    if (!checked.success) {
      throw new OpsError(
        'bad-request',
        `Terminal settings not saved: ${checked.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}.`,
      );
    }
    if (this.opts.settingsStore) {
      try {
        this.opts.settingsStore.save(checked.data);
      } catch (err) {
        throw new OpsError(
          'internal',
          `The terminal settings could not be saved: ${(err as Error).message}. Check that the console's data folder is writable.`,
        );
      }
    }
    this.current = checked.data;
    const info = this.settings();
    this.emit('terminal:settings-changed', info);
    return info;
  }

  /** Observe every event this service emits (walk-throughs record command-finished; CLI and bench read data). */
  onEvent(fn: TerminalEventListener): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private emit(event: string, payload: unknown): void {
    if (this.disposed) return; // the host is gone; late exit events of killed shells go nowhere
    this.ctx.emit(event, payload);
    for (const l of this.listeners) l(event, payload);
  }

  private emitSessions(): void {
    this.emit('terminal:sessions', { sessions: this.list().sessions });
  }

  get(sessionId: string): TerminalSession {
    const s = this.sessions.get(sessionId);
    if (!s)
      throw new OpsError(
        'not-found',
        `No terminal with id ${sessionId}; it was closed. Open a new terminal.`,
      );
    return s;
  }

  list(): { sessions: TerminalSessionInfo[] } {
    return { sessions: [...this.sessions.values()].map((s) => s.info()) };
  }

  create(p: CreateParams = {}): TerminalSessionInfo {
    if (this.disposed) throw new OpsError('unavailable', 'The console is shutting down.');
    let session: TerminalSession;
    if (p.restartId) {
      session = this.get(p.restartId);
      if (session.status === 'running') {
        throw new OpsError(
          'busy',
          `Terminal "${session.title}" is still running; close it first or open a new one.`,
        );
      }
    } else {
      if (this.sessions.size >= MAX_SESSIONS) {
        throw new OpsError('busy', `${MAX_SESSIONS} terminals are open; close one before opening another.`);
      }
      const n = ++this.counter;
      session = new TerminalSession(
        `t${n}-${randomBytes(3).toString('hex')}`,
        p.title ?? `Terminal ${n}`,
        this.tun,
        {
          data: (sessionId, data, offset) => this.emit('terminal:data', { sessionId, data, offset }),
          scrollback: () => this.current.scrollback,
          exit: (sessionId, exitCode, signal) => this.emit('terminal:exit', { sessionId, exitCode, signal }),
          commandFinished: (r: TerminalCommandFinished) => this.emit('terminal:command-finished', r),
          changed: () => this.emitSessions(),
        },
      );
    }

    const shellWanted =
      p.shell ?? (p.restartId ? session.shell : undefined) ?? this.current.shell ?? this.defaultShell;
    const shell = resolveShell(shellWanted, process.env.PATH);
    const install = this.ctx.getInstall();
    const baseEnv: NodeJS.ProcessEnv = { ...process.env, ...this.opts.env };
    const cwd = this.pickCwd(
      p.cwd ?? (p.restartId ? session.cwd : undefined),
      install?.paths.dataRoot,
      baseEnv.HOME,
    );
    const nonce = randomBytes(8).toString('hex');
    const launch = prepareShellLaunch(
      shell,
      this.opts.integrationDir ?? join(this.ctx.dataDir || tmpdir(), 'shell-integration'),
      nonce,
      baseEnv,
    );
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(baseEnv)) if (v !== undefined) env[k] = v;
    Object.assign(
      env,
      { TERM: 'xterm-256color', COLORTERM: 'truecolor', TERM_PROGRAM: 'aura-ops' },
      launch.env,
    );
    delete env[AS_OF_ENV];
    if (install) Object.assign(env, installEnv(install.paths, install.bundle?.asOf ?? null));
    const cols = p.cols ?? session.cols;
    const rows = p.rows ?? session.rows;
    let proc: pty.IPty;
    try {
      proc = pty.spawn(shell, launch.args, { name: 'xterm-256color', cols, rows, cwd, env });
    } catch (err) {
      throw new OpsError(
        'unavailable',
        `Could not start the shell ${shell}: ${(err as Error).message}. Check the terminal shell setting.`,
      );
    }
    session.attach({ pty: proc, shell, cwd, cols, rows, integration: launch.integration, nonce });
    this.sessions.set(session.id, session);
    this.emitSessions();
    return session.info();
  }

  private pickCwd(
    wanted: string | undefined,
    dataRoot: string | undefined,
    home: string | undefined,
  ): string {
    if (wanted !== undefined) {
      if (!isAbsolute(wanted) || !isDir(wanted)) {
        throw new OpsError(
          'bad-request',
          `The start folder "${wanted}" does not exist; pick an existing folder.`,
        );
      }
      return wanted;
    }
    if (dataRoot && isDir(dataRoot)) return dataRoot;
    return home && isDir(home) ? home : homedir();
  }

  write(sessionId: string, data: string): { written: number } {
    return { written: this.get(sessionId).write(data) };
  }

  resize(sessionId: string, cols: number, rows: number): { cols: number; rows: number } {
    this.get(sessionId).resize(cols, rows);
    return { cols, rows };
  }

  ack(sessionId: string, chars: number): { unacked: number; paused: boolean } {
    return this.get(sessionId).ack(chars);
  }

  kill(sessionId: string, remove = false): { killed: boolean; removed: boolean } {
    const s = this.get(sessionId);
    const wasRunning = s.status === 'running';
    s.kill();
    if (remove) {
      s.removed = true;
      this.sessions.delete(sessionId);
      this.emitSessions();
    }
    return { killed: wasRunning, removed: remove };
  }

  rename(sessionId: string, title: string): TerminalSessionInfo {
    const s = this.get(sessionId);
    s.title = title;
    this.emitSessions();
    return s.info();
  }

  replay(sessionId: string): TerminalReplay {
    const s = this.get(sessionId);
    const r = s.takeReplay();
    return { sessionId, data: r.data, endOffset: r.endOffset, truncated: r.truncated, info: s.info() };
  }

  /** CRLF counts as a line end (it is sent as LF); a lone CR or another control character asks. */
  classify(command: string): Promise<CommandClassification> {
    return classifyCommand(command.replace(/\r\n/g, '\n'));
  }

  /** Sends a command from elsewhere; a mutating one needs `confirmed: true` (the operator saw the exact text). */
  async run(p: RunParams): Promise<TerminalRunResult> {
    const mode = p.mode ?? 'run';
    const classification = await this.classify(p.command);
    if (classification.risk === 'mutating' && p.confirmed !== true) {
      throw new OpsError(
        'bad-request',
        `This command can change things, so it needs confirmation: ${classification.reasons.join('; ')}. Show the operator the exact command and send it again with confirmed: true.`,
        JSON.stringify(classification),
      );
    }
    const text = p.command.replace(/\r\n?/g, '\n').replace(/\n+$/, '').split(PASTE_END).join('');
    const session = p.sessionId ? this.get(p.sessionId) : this.get(this.create({ title: p.title }).id);
    if (session.status !== 'running') {
      throw new OpsError(
        'unavailable',
        `Terminal "${session.title}" has exited; restart it or send the command to a new terminal.`,
      );
    }
    if (mode === 'run' && session.isRunningCommand) {
      throw new OpsError(
        'busy',
        `Terminal "${session.title}" is still running "${session.info().currentCommand ?? 'a command'}"; wait for it to finish or send to a new terminal.`,
      );
    }
    await session.waitReady(READY_TIMEOUT_MS);
    session.expectRun(p.runId ?? null);
    const multiline = text.includes('\n');
    if (mode === 'paste') {
      if (session.bracketedPaste) session.write(PASTE_START + text + PASTE_END);
      else if (multiline) {
        throw new OpsError(
          'bad-request',
          'This shell has not turned on bracketed paste, so a multi-line command cannot be pasted without running it. Use Run, or copy it by hand.',
        );
      } else session.write(text);
    } else if (multiline && session.bracketedPaste) session.write(PASTE_START + text + PASTE_END + '\r');
    else session.write(text + '\r');
    return { sessionId: session.id, mode, classification };
  }

  dispose(): void {
    this.disposed = true;
    for (const s of this.sessions.values()) s.destroy();
    this.sessions.clear();
    this.listeners.clear();
  }
}

function isDir(p: string): boolean {
  try {
    return existsSync(p) && statSync(p).isDirectory();
  } catch {
    return false; // unreadable: treated as missing, the caller says so
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  const out: Partial<T> = {};
  for (const [k, v] of Object.entries(o)) if (v !== undefined) (out as Record<string, unknown>)[k] = v;
  return out;
}
