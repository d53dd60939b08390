// The shape of one `aura-ops` sub-command: it gets its own argv (after the sub-command name) and
// returns the process exit code. Output goes through `io` so tests can capture it.
export interface CliIO {
  out(text: string): void;
  err(text: string): void;
}

export type CliCommand = (argv: string[], io: CliIO) => Promise<number>;
