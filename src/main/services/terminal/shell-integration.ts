// Shell integration: bash/zsh startup files (resources/shell-integration) that source the user's own
// rc files and then report prompt, command line, start, exit code and cwd as OSC 633 sequences (VS
// Code's format), and a streaming parser that finds those sequences in pty output without holding
// more than one sequence.
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { OpsError } from '../../../shared/errors';
import { OSC_133_PREFIX, OSC_633_PREFIX } from '../../../shared/shell-integration-protocol';
import { shellIntegrationDir } from '../../paths';

/** Longest OSC 633 sequence kept while waiting for its terminator (a long command line fits). */
const MAX_OSC_CHARS = 512 * 1024;
/** Sequences the parser must not lose when a chunk ends in the middle of one. */
const WATCHED_PREFIXES = [OSC_633_PREFIX, OSC_133_PREFIX, '\x1b[?2004h', '\x1b[?2004l'];

export type ShellKind = 'bash' | 'zsh' | 'other';

export function shellKind(shellPath: string): ShellKind {
  const name = basename(shellPath).replace(/\.exe$/i, '');
  if (name === 'bash') return 'bash';
  if (name === 'zsh') return 'zsh';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Scripts: real files under resources/shell-integration (ShellCheck and `zsh -n` check them),
// copied into the session's integration folder, where bash's --rcfile and zsh's ZDOTDIR read them.

/** The bash rc file, and each zsh startup file with the resource it is copied from. */
const BASH_SCRIPT = 'aura-ops.bash';
const ZSH_SCRIPTS: ReadonlyArray<[dotfile: string, resource: string]> = [
  ['.zshenv', 'zshenv.zsh'],
  ['.zprofile', 'zprofile.zsh'],
  ['.zshrc', 'aura-ops.zsh'],
  ['.zlogin', 'zlogin.zsh'],
];
/** Every script the integration needs, for the packaging and ShellCheck tests. */
export const SHELL_INTEGRATION_SCRIPTS: readonly string[] = [BASH_SCRIPT, ...ZSH_SCRIPTS.map(([, r]) => r)];

function readScript(name: string): string {
  const dir = shellIntegrationDir();
  if (!dir) {
    throw new OpsError(
      'internal',
      'The shell-integration scripts (resources/shell-integration) are missing from this installation of the console: reinstall it, or run it from a complete checkout.',
    );
  }
  return readFileSync(join(dir, name), 'utf8');
}

export interface ShellLaunch {
  args: string[];
  env: Record<string, string>;
  integration: boolean;
}

/** Writes the integration files into `dir` (idempotent) and returns how to start `shellPath` with them. */
export function prepareShellLaunch(
  shellPath: string,
  dir: string,
  nonce: string,
  baseEnv: NodeJS.ProcessEnv,
): ShellLaunch {
  const kind = shellKind(shellPath);
  if (kind === 'bash') {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const rc = join(dir, 'bashrc');
    writeFileSync(rc, readScript(BASH_SCRIPT), { mode: 0o600 });
    return { args: ['--rcfile', rc, '-i'], env: { AURA_OPS_NONCE: nonce }, integration: true };
  }
  if (kind === 'zsh') {
    const zdir = join(dir, 'zsh');
    mkdirSync(zdir, { recursive: true, mode: 0o700 });
    for (const [dotfile, resource] of ZSH_SCRIPTS)
      writeFileSync(join(zdir, dotfile), readScript(resource), { mode: 0o600 });
    const userZdotdir = baseEnv.ZDOTDIR ?? baseEnv.HOME ?? '';
    return {
      args: ['-i'],
      env: { AURA_OPS_NONCE: nonce, ZDOTDIR: zdir, USER_ZDOTDIR: userZdotdir },
      integration: true,
    };
  }
  return { args: [], env: {}, integration: false };
}

// ---------------------------------------------------------------------------------------------
// Stream parser

export type StreamPiece = { kind: 'text'; text: string } | { kind: 'mark'; code: string; args: string[] };

/** Undoes the shell script's escaping of OSC 633 fields (\\ and \xNN). */
export function unescapeField(s: string): string {
  return s.replace(/\\(\\|x[0-9a-fA-F]{2})/g, (_m, e: string) =>
    e === '\\' ? '\\' : String.fromCharCode(parseInt(e.slice(1), 16)),
  );
}

/**
 * Splits pty output into text and shell-integration marks, in order. Holds back at most one
 * incomplete watched sequence between chunks; also tracks bracketed-paste mode (CSI ? 2004 h/l).
 */
export class ShellIntegrationParser {
  private pending = '';
  bracketedPaste = false;

  feed(chunk: string): StreamPiece[] {
    const s = this.pending + chunk;
    this.pending = '';
    const out: StreamPiece[] = [];
    let textStart = 0;
    let i = 0;
    for (;;) {
      const j = s.indexOf('\x1b', i);
      if (j < 0) break;
      const isOsc = s.startsWith(OSC_633_PREFIX, j) || s.startsWith(OSC_133_PREFIX, j);
      if (isOsc) {
        const bel = s.indexOf('\x07', j);
        const st = s.indexOf('\x1b\\', j + 1);
        let end = -1;
        let termLen = 1;
        if (bel >= 0 && (st < 0 || bel < st)) end = bel;
        else if (st >= 0) {
          end = st;
          termLen = 2;
        }
        if (end < 0) {
          if (s.length - j > MAX_OSC_CHARS) {
            i = j + 1; // unterminated and oversized: treat as plain text
            continue;
          }
          if (j > textStart) out.push({ kind: 'text', text: s.slice(textStart, j) });
          this.pending = s.slice(j);
          return out;
        }
        if (j > textStart) out.push({ kind: 'text', text: s.slice(textStart, j) });
        const parts = s.slice(j + 2, end).split(';');
        out.push({ kind: 'mark', code: parts[1] ?? '', args: parts.slice(2) });
        i = textStart = end + termLen;
        continue;
      }
      if (s.startsWith('\x1b[?2004h', j)) this.bracketedPaste = true;
      else if (s.startsWith('\x1b[?2004l', j)) this.bracketedPaste = false;
      else if (s.length - j < 9) {
        const tail = s.slice(j);
        if (WATCHED_PREFIXES.some((p) => p.startsWith(tail))) {
          if (j > textStart) out.push({ kind: 'text', text: s.slice(textStart, j) });
          this.pending = tail;
          return out;
        }
      }
      i = j + 1;
    }
    if (s.length > textStart) out.push({ kind: 'text', text: s.slice(textStart) });
    return out;
  }
}
