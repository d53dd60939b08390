// Contract domain "terminal": pty sessions (create, write, resize, ack-based flow control, replay on
// reattach), commands sent from elsewhere (risk-checked), and shell-integration command events.
import { z } from 'zod';
import type { CommandClassification } from '../command-risk';
import { event, request } from './define';
import { runIdSchema } from './walkthroughs-steps';

export interface TerminalSessionInfo {
  id: string;
  title: string;
  /** Absolute path of the shell binary. */
  shell: string;
  /** Start directory (the install's data root, or home when none is attached). */
  cwd: string;
  pid: number | null;
  cols: number;
  rows: number;
  status: 'running' | 'exited';
  exitCode: number | null;
  signal: number | null;
  /** Shell-integration hooks were injected (bash, zsh) and have reported a prompt. */
  integration: boolean;
  /** A command is running: known from shell integration, or the shell has child processes. */
  busy: boolean;
  /** Command line of the running command, when shell integration knows it. */
  currentCommand: string | null;
  /** Last working directory reported by the shell. */
  lastCwd: string | null;
  createdAt: string;
}

export interface TerminalCommandFinished {
  sessionId: string;
  command: string;
  /** Null when the shell did not report one. */
  exitCode: number | null;
  /** Working directory the command ran in. */
  cwd: string | null;
  startedAt: string;
  endedAt: string;
  durationMs: number;
  /** Last ~4 KB of the command's output, ANSI stripped. */
  outputExcerpt: string;
  /** The run id terminal:run sent it under (a runbook step), or null for a command typed by hand. */
  runId: string | null;
}

export interface TerminalReplay {
  sessionId: string;
  /** The retained tail of the session's output, to write into a fresh xterm. */
  data: string;
  /** Offset (in chars since the session started) where `data` ends; drop live data before it. */
  endOffset: number;
  /** True when older output was dropped to keep the buffer bounded. */
  truncated: boolean;
  info: TerminalSessionInfo;
}

export interface TerminalRunResult {
  sessionId: string;
  mode: 'run' | 'paste';
  classification: CommandClassification;
}

/** The operator's terminal preferences, kept in ops.db by the host. */
export interface TerminalSettings {
  /** Shell for new terminals; null: the default ($SHELL, then /bin/bash, or the --shell flag). */
  shell: string | null;
  fontSize: number;
  /** Lines xterm keeps above the screen. */
  scrollback: number;
}

export interface TerminalSettingsInfo {
  settings: TerminalSettings;
  /** The shell used while `settings.shell` is null. */
  defaultShell: string;
}

/** Readable range for a terminal font; outside it the panel is unusable. */
export const TERMINAL_FONT_SIZE = { min: 8, max: 32, default: 13 } as const;
/** Scrollback lines: xterm holds them in memory per terminal (~100 bytes a line at 120 columns). */
export const TERMINAL_SCROLLBACK = { min: 0, max: 100_000, default: 5_000 } as const;

export const terminalSettingsSchema = z
  .object({
    shell: z.string().trim().min(1).max(4096).nullable(),
    fontSize: z.number().int().min(TERMINAL_FONT_SIZE.min).max(TERMINAL_FONT_SIZE.max),
    scrollback: z.number().int().min(TERMINAL_SCROLLBACK.min).max(TERMINAL_SCROLLBACK.max),
  })
  .strict();

const sessionId = z.string().min(1).max(64);
/** Largest single write accepted: a multi-megabyte paste is fine, an unbounded one is not. */
const MAX_WRITE_CHARS = 16 * 1024 * 1024;
/** A command line sent from elsewhere (runbook step); long scripts belong in files. */
const MAX_COMMAND_CHARS = 256 * 1024;

export const terminalChannels = {
  /** Start a shell; `restartId` restarts an exited session in place (same id, title and tab). */
  'terminal:create': request<TerminalSessionInfo>()(
    z
      .object({
        shell: z.string().min(1).max(4096).optional(),
        cwd: z.string().min(1).max(4096).optional(),
        cols: z.number().int().min(2).max(1000).default(80),
        rows: z.number().int().min(1).max(500).default(24),
        title: z.string().min(1).max(80).optional(),
        restartId: sessionId.optional(),
      })
      .strict(),
  ),
  'terminal:list': request<{ sessions: TerminalSessionInfo[] }>()(z.object({}).strict()),
  /** Raw input (keystrokes, pastes) to the pty. */
  'terminal:write': request<{ written: number }>()(
    z.object({ sessionId, data: z.string().max(MAX_WRITE_CHARS) }).strict(),
  ),
  'terminal:resize': request<{ cols: number; rows: number }>()(
    z
      .object({ sessionId, cols: z.number().int().min(2).max(1000), rows: z.number().int().min(1).max(500) })
      .strict(),
  ),
  /** The renderer has written `chars` characters of terminal:data into xterm. */
  'terminal:ack': request<{ unacked: number; paused: boolean }>()(
    z
      .object({
        sessionId,
        chars: z
          .number()
          .int()
          .min(0)
          .max(1 << 30),
      })
      .strict(),
  ),
  /** Stop the shell (SIGHUP, then SIGKILL to it and its children); `remove` also forgets the tab. */
  'terminal:kill': request<{ killed: boolean; removed: boolean }>()(
    z.object({ sessionId, remove: z.boolean().default(false) }).strict(),
  ),
  'terminal:rename': request<TerminalSessionInfo>()(
    z.object({ sessionId, title: z.string().trim().min(1).max(80) }).strict(),
  ),
  /**
   * Send a command from elsewhere (a runbook step) to a chosen session or a new one. A mutating
   * command is refused unless `confirmed` is true; 'paste' leaves it on the prompt without Enter.
   */
  'terminal:run': request<TerminalRunResult>()(
    z
      .object({
        sessionId: sessionId.optional(),
        command: z.string().min(1).max(MAX_COMMAND_CHARS),
        mode: z.enum(['run', 'paste']).default('run'),
        confirmed: z.boolean().default(false),
        title: z.string().min(1).max(80).optional(),
        /** Tags the command so its terminal:command-finished names this run (see walkthrough:run-step). */
        runId: runIdSchema.optional(),
      })
      .strict(),
  ),
  /** The retained output of a session, for a renderer that (re)attaches. Resets its flow-control count. */
  'terminal:replay': request<TerminalReplay>()(z.object({ sessionId }).strict()),
  /** Reads the terminal settings; with `set`, changes the given fields first (a shell is checked). */
  'terminal:settings': request<TerminalSettingsInfo>()(
    z.object({ set: terminalSettingsSchema.partial().optional() }).strict(),
  ),
  'terminal:classify': request<CommandClassification>()(
    z.object({ command: z.string().max(MAX_COMMAND_CHARS) }).strict(),
  ),
} as const;

export const terminalEvents = {
  /** Batched pty output; `offset` is the char count emitted before this chunk. */
  'terminal:data': event<{ sessionId: string; data: string; offset: number }>(),
  'terminal:exit': event<{ sessionId: string; exitCode: number | null; signal: number | null }>(),
  'terminal:command-finished': event<TerminalCommandFinished>(),
  /** The full session list, whenever a session starts, exits, is renamed, removed or changes busy state. */
  'terminal:sessions': event<{ sessions: TerminalSessionInfo[] }>(),
  /** The settings changed (in this window or another). */
  'terminal:settings-changed': event<TerminalSettingsInfo>(),
} as const;
