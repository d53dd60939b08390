// `aura-ops terminal classify|run`: the command risk check and a one-shot shell command through the
// same pty service (shell integration reports the exit code), for scripts and for checking it.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { classifyCommand } from '../command-risk';
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import { OpsError } from '../../../shared/errors';
import type { CliCommand, CliIO } from '../../cli-types';
import type { ServiceContext } from '../context';
import { stripAnsi } from '../../../shared/ansi';
import { VSCodeOscPt } from '../../../shared/shell-integration-protocol';
import { ShellIntegrationParser } from './shell-integration';
import { TerminalService } from './service';

/** `terminal run` gives up after this long unless --timeout says otherwise. */
const DEFAULT_RUN_TIMEOUT_S = 300;
/** Exit code when a mutating command is refused for want of --yes. */
const EXIT_NEEDS_CONFIRMATION = 3;

const HELP = `Usage:
  aura-ops terminal classify [--json] COMMAND...
      Say whether a shell command only reads or may change something, and why.
  aura-ops terminal run [--yes] [--shell PATH] [--cwd DIR] [--timeout S] [--json] COMMAND...
      Run COMMAND in a fresh pty shell (bash/zsh with shell integration) and exit with its exit
      code. A mutating command needs --yes (exit ${EXIT_NEEDS_CONFIRMATION} without it). Output streams as it
      comes; --json prints only the finished record {command, exitCode, cwd, durationMs, outputExcerpt}.
The shell inherits this environment, so AURA_DATA_PATH, AURA_LOGS_PATH, AURA_DATABASE_PATH and
AURA_API_URL pass through as set.`;

/** parseArgs with its error turned into a message that says what to do. */
function flags<T extends NonNullable<Parameters<typeof parseArgs>[0]>['options']>(
  argv: string[],
  options: T,
) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true });
  } catch (err) {
    throw new OpsError(
      'bad-request',
      `${(err as Error).message.split('.')[0]}. Put the command after --, e.g. aura-ops terminal run -- rm -f x.`,
    );
  }
}

async function classify(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = flags(argv, {
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (!positionals.length)
    throw new OpsError(
      'bad-request',
      'Give the command to classify, e.g. aura-ops terminal classify "rm -rf Temp".',
    );
  const r = await classifyCommand(positionals.join(' '));
  if (values.json) io.out(JSON.stringify(r));
  else
    io.out(
      r.risk === 'read-only' ? 'read-only' : `mutating:\n${r.reasons.map((x) => `  - ${x}`).join('\n')}`,
    );
  return 0;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = flags(argv, {
    yes: { type: 'boolean', short: 'y' },
    shell: { type: 'string' },
    cwd: { type: 'string' },
    timeout: { type: 'string' },
    json: { type: 'boolean' },
    help: { type: 'boolean', short: 'h' },
  });
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  const command = positionals.join(' ');
  if (!command)
    throw new OpsError(
      'bad-request',
      'Give the command to run, e.g. aura-ops terminal run -- tail -n 5 logs/x.log.',
    );
  const timeoutS = values.timeout === undefined ? DEFAULT_RUN_TIMEOUT_S : Number(values.timeout);
  if (!Number.isFinite(timeoutS) || timeoutS <= 0)
    throw new OpsError('bad-request', `--timeout must be a number of seconds, not "${values.timeout}".`);
  const verdict = await classifyCommand(command);
  if (verdict.risk === 'mutating' && !values.yes) {
    io.err(
      `This command may change things:\n${verdict.reasons.map((x) => `  - ${x}`).join('\n')}\nRun again with --yes to confirm.`,
    );
    return EXIT_NEEDS_CONFIRMATION;
  }

  const dataDir = mkdtempSync(join(tmpdir(), 'aura-ops-term-'));
  const disposers: (() => void | Promise<void>)[] = [];
  const ctx: ServiceContext = {
    dataDir,
    getInstall: () => null,
    emit: () => undefined,
    onDispose: (fn) => disposers.push(fn),
  };
  const service = new TerminalService(ctx, values.shell ? { defaultShell: values.shell } : {});
  try {
    const info = service.create({
      cwd: values.cwd ?? process.cwd(),
      cols: process.stdout.columns || 120,
      rows: 40,
    });
    if (!info.shell.endsWith('bash') && !info.shell.endsWith('zsh')) {
      throw new OpsError(
        'invalid-config',
        `terminal run needs bash or zsh for exit codes; ${info.shell} has no shell integration. Pass --shell /bin/bash.`,
      );
    }
    // Only the command's own output is printed: the text between its C (started) and D (done) marks.
    const parser = new ShellIntegrationParser();
    let inCommand = false;
    // Pty output arrives in chunks cut anywhere, even inside a line or an escape: lines are printed
    // whole, the last partial one when the command ends.
    let partial = '';
    const printLines = (text: string, end: boolean) => {
      const lines = (partial + text).split('\n');
      partial = end ? '' : lines.pop()!;
      for (const l of end && lines[lines.length - 1] === '' ? lines.slice(0, -1) : lines) {
        io.out(stripAnsi(l.replace(/\r+$/, '')));
      }
    };
    const finished = new Promise<TerminalCommandFinished | null>((resolve) => {
      service.onEvent((event, payload) => {
        if (event === 'terminal:data') {
          const d = payload as { data: string };
          service.ack(info.id, d.data.length);
          for (const piece of parser.feed(d.data)) {
            if (piece.kind === 'mark') {
              if (piece.code === VSCodeOscPt.CommandExecuted) inCommand = true;
              else if (piece.code === VSCodeOscPt.CommandFinished && inCommand) {
                inCommand = false;
                if (partial && !values.json) printLines('', true);
              }
            } else if (inCommand && !values.json) printLines(piece.text, false);
          }
        } else if (event === 'terminal:command-finished') resolve(payload as TerminalCommandFinished);
        else if (event === 'terminal:exit') resolve(null);
      });
    });
    await service.run({ sessionId: info.id, command, confirmed: true });
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), timeoutS * 1000);
    });
    const r = await Promise.race([finished, timeout]);
    clearTimeout(timer);
    if (r === 'timeout') {
      io.err(
        `The command did not finish within ${timeoutS} s; it was stopped. Use --timeout for longer commands.`,
      );
      return 124;
    }
    if (r === null) {
      io.err('The shell exited before the command finished.');
      return 1;
    }
    if (values.json) io.out(JSON.stringify(r));
    return r.exitCode ?? 1;
  } finally {
    for (const d of disposers) await d();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

export const terminalCommand: CliCommand = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(HELP);
    return sub ? 0 : 2;
  }
  if (sub === 'classify') return classify(rest, io);
  if (sub === 'run') return run(rest, io);
  io.err(`aura-ops terminal: unknown sub-command "${sub}".\n${HELP}`);
  return 2;
};
