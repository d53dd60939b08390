// Running a command as this process: each out/err call is one line on stdout/stderr, and the
// command's result becomes the exit code. The `aura-ops` entry and the tests' fixtures use it.
import type { CliCommand } from './cli-types';

export function runAsProcess(cmd: CliCommand, argv: string[]): void {
  cmd(argv, {
    out: (t) => process.stdout.write(`${t}\n`),
    err: (t) => process.stderr.write(`${t}\n`),
  }).then(
    (code) => {
      // Long-running commands (serve) resolve only when they are done; exit with their code.
      process.exitCode = code;
    },
    (err: unknown) => {
      process.stderr.write(`aura-ops: ${(err as Error).message}\n`);
      process.exitCode = 1;
    },
  );
}
