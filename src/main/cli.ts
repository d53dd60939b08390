// The `aura-ops` command line: the same services as the window, for scripts, headless machines and
// the end-to-end tests. Each sub-command lives with its service; this file only dispatches.
import type { CliCommand, CliIO } from './cli-types';
import { runAsProcess } from './cli-process';
import { serveCommand } from './hosts/serve-command';
import { sandboxCommand } from './sandbox/cli';
import { reportCommand } from './services/walkthroughs/cli';
import { dbCommand } from './services/database/cli';
import { runbooksCommand } from './services/runbooks/cli';
import { logsCommand } from './services/logs/cli';
import { bundleCommand, checkCommand } from './services/probes/cli';
import { terminalCommand } from './services/terminal/cli';
import { APP_VERSION } from './version';

interface CommandEntry {
  run: CliCommand;
  summary: string;
}

export const COMMANDS: Record<string, CommandEntry> = {
  serve: { run: serveCommand, summary: 'Serve the console to a browser on this machine (token-protected)' },
  sandbox: { run: sandboxCommand, summary: 'Create and run a demo Aura install with fault scenarios' },
  db: {
    run: dbCommand,
    summary: 'Inspect aura.db read-only: overview, tables, queries, checks, WAL-safe backup',
  },
  check: {
    run: checkCommand,
    summary: 'Probe the install (API, Redis, disk, memory, processes, aura.db, logs) and triage',
  },
  bundle: {
    run: bundleCommand,
    summary: 'Write a support bundle zip (probes, triage, DB overview, log tails, redacted config)',
  },
  terminal: {
    run: terminalCommand,
    summary: 'Classify a command as read-only or mutating, or run it in a pty',
  },
  logs: { run: logsCommand, summary: "Tail, search and measure the error rate of Aura's rolling logs" },
  runbooks: { run: runbooksCommand, summary: 'List and lint runbook folders' },
  report: {
    run: reportCommand,
    summary: 'Print a walk-through session as a Markdown incident report or JSON',
  },
};

export function usage(): string {
  const width = Math.max(...Object.keys(COMMANDS).map((k) => k.length));
  const lines = Object.entries(COMMANDS).map(([name, c]) => `  ${name.padEnd(width)}  ${c.summary}`);
  return [
    `aura-ops ${APP_VERSION}: an operations console for a local Aura Video Studio install`,
    '',
    'Usage: aura-ops <command> [options]',
    '',
    'Commands:',
    ...lines,
    '',
    'Options:',
    '  -h, --help     Show this help (and `aura-ops <command> --help` for a command)',
    '  -v, --version  Print the version',
    '',
    'Environment:',
    '  AURA_OPS_DATA_DIR  Where the console keeps its own ops.db (default: the per-user config folder)',
    '  AURA_DATA_PATH, AURA_LOGS_PATH, AURA_DATABASE_PATH, AURA_API_URL  Read as Aura reads them',
  ].join('\n');
}

export async function runCli(argv: string[], io: CliIO): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '-h' || name === '--help' || name === 'help') {
    io.out(usage());
    return name ? 0 : 2;
  }
  if (name === '-v' || name === '--version') {
    io.out(APP_VERSION);
    return 0;
  }
  const cmd = COMMANDS[name];
  if (!cmd) {
    io.err(`aura-ops: unknown command "${name}". Run aura-ops --help for the list.`);
    return 2;
  }
  try {
    return await cmd.run(rest, io);
  } catch (err) {
    const e = err as Error & { code?: string; detail?: string };
    io.err(`aura-ops ${name}: ${e.message}${e.detail ? `\n  ${e.detail}` : ''}`);
    return 1;
  }
}

/** Process entry: run with this process's argv and set its exit code. */
export function main(): void {
  runAsProcess(runCli, process.argv.slice(2));
}

if (require.main === module) main();
