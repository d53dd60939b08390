// The shell-integration escape codes our bash and zsh scripts (resources/shell-integration) write and
// the pty parser and the terminal view read: OSC 633, VS Code's format, so the names follow its own.

/** The OSC number (`Ps`) of a shell-integration sequence: `ESC ] Ps ; Pt BEL`. */
export enum ShellIntegrationOscPs {
  /** FinalTerm's sequences (OSC 133), written by other shells' integrations; read the same way. */
  FinalTerm = 133,
  /** VS Code's sequences (OSC 633), the ones our scripts write. */
  VSCode = 633,
}

/** The first field of an OSC 633 sequence: what happened. Any other code is ignored. */
export enum VSCodeOscPt {
  /** `633;A`: a prompt starts (written at the start of PS1). */
  PromptStart = 'A',
  /** `633;B`: the prompt ends and the user's input starts (end of PS1); the shell is ready. */
  CommandStart = 'B',
  /** `633;C`: the command line was accepted and now runs; its output follows. */
  CommandExecuted = 'C',
  /** `633;D[;<exit code>]`: the command finished; without a code, nothing ran (an empty line). */
  CommandFinished = 'D',
  /** `633;E;<command line>;<nonce>`: the command line about to run, escaped (\\ and \xNN); the nonce proves it is ours. */
  CommandLine = 'E',
  /** `633;P;<key>=<value>`: a property of the shell; we write `Cwd=<escaped path>`. */
  Property = 'P',
}

/** The property key the scripts write with `633;P` when the working directory changes. */
export const CWD_PROPERTY = 'Cwd=';

/** The start of an OSC 633 sequence: what the pty parser and the stripper look for. */
export const OSC_633_PREFIX = `\x1b]${ShellIntegrationOscPs.VSCode};`;
/** The start of an OSC 133 sequence. */
export const OSC_133_PREFIX = `\x1b]${ShellIntegrationOscPs.FinalTerm};`;
