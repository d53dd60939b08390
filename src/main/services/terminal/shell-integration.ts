// Shell integration: generated bash/zsh startup files that source the user's own rc files and then
// report prompt, command line, start, exit code and cwd as OSC 633 sequences (VS Code's format), and
// a streaming parser that finds those sequences in pty output without holding more than one sequence.
import { mkdirSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';

/** Longest OSC 633 sequence kept while waiting for its terminator (a long command line fits). */
const MAX_OSC_CHARS = 512 * 1024;
/** Sequences the parser must not lose when a chunk ends in the middle of one. */
const WATCHED_PREFIXES = ['\x1b]633;', '\x1b]133;', '\x1b[?2004h', '\x1b[?2004l'];

export type ShellKind = 'bash' | 'zsh' | 'other';

export function shellKind(shellPath: string): ShellKind {
  const name = basename(shellPath).replace(/\.exe$/i, '');
  if (name === 'bash') return 'bash';
  if (name === 'zsh') return 'zsh';
  return 'other';
}

// ---------------------------------------------------------------------------------------------
// Scripts

const BASH_RC = String.raw`# Aura Ops Console shell integration for bash (generated; your own rc files are not touched).
# It sources ~/.bashrc as bash would, then reports prompt/command/exit/cwd as OSC 633 sequences.
if [ -r "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
__aura_nonce="${'$'}{AURA_OPS_NONCE:-}"
unset AURA_OPS_NONCE
if [ -z "${'$'}{__aura_si_installed:-}" ] && [ -z "${'$'}{AURA_OPS_NO_SHELL_INTEGRATION:-}" ]; then
__aura_si_installed=1
__aura_state=idle
__aura_histnum=""
__aura_esc() {
  local s=$1
  s=${'$'}{s//\\/\\\\}
  s=${'$'}{s//;/\\x3b}
  s=${'$'}{s//$'\n'/\\x0a}
  s=${'$'}{s//$'\r'/\\x0d}
  s=${'$'}{s//$'\a'/\\x07}
  s=${'$'}{s//$'\e'/\\x1b}
  __aura_escaped=$s
}
__aura_histline() {
  local h
  h=$(HISTTIMEFORMAT= builtin history 1)
  if [[ $h =~ ^[[:space:]]*([0-9]+)[*]?[[:space:]]+(.*)$ ]]; then
    __aura_hnum=${'$'}{BASH_REMATCH[1]}; __aura_hcmd=${'$'}{BASH_REMATCH[2]}
  else
    __aura_hnum=""; __aura_hcmd=""
  fi
}
__aura_preexec() {
  [ "$__aura_state" = prompt ] || return 0
  [ -n "${'$'}{COMP_LINE:-}" ] && return 0
  case "$BASH_COMMAND" in __aura_prompt_start*) return 0 ;; esac
  __aura_state=running
  __aura_histline
  local cmd=$BASH_COMMAND
  if [ -n "$__aura_hnum" ] && [ "$__aura_hnum" != "$__aura_histnum" ]; then
    cmd=$__aura_hcmd
  elif [ -n "$__aura_hcmd" ] && [[ "$__aura_hcmd" == *"$BASH_COMMAND"* ]]; then
    cmd=$__aura_hcmd
  fi
  __aura_esc "$cmd"
  builtin printf '\e]633;E;%s;%s\a\e]633;C\a' "$__aura_escaped" "$__aura_nonce"
}
__aura_prompt_start() {
  local ec=$?
  if [ "$__aura_state" = running ]; then
    builtin printf '\e]633;D;%s\a' "$ec"
  elif [ "$__aura_state" = prompt ]; then
    builtin printf '\e]633;D\a'
  fi
  __aura_state=idle
  __aura_esc "$PWD"
  builtin printf '\e]633;P;Cwd=%s\a' "$__aura_escaped"
  return $ec
}
__aura_prompt_end() {
  local ec=$?
  if [[ "$PS1" != *'633;A'* ]]; then PS1='\[\e]633;A\a\]'"$PS1"'\[\e]633;B\a\]'; fi
  __aura_histline
  __aura_histnum=$__aura_hnum
  __aura_state=prompt
  return $ec
}
if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
  PROMPT_COMMAND=(__aura_prompt_start "${'$'}{PROMPT_COMMAND[@]}" __aura_prompt_end)
else
  __aura_pc="${'$'}{PROMPT_COMMAND:-}"
  while [[ "$__aura_pc" == *[[:space:]\;] ]]; do __aura_pc=${'$'}{__aura_pc%?}; done
  PROMPT_COMMAND="__aura_prompt_start${'$'}{__aura_pc:+; $__aura_pc}; __aura_prompt_end"
  unset __aura_pc
fi
if [ -z "$(trap -p DEBUG)" ]; then trap '__aura_preexec' DEBUG; fi
fi
`;

/** zsh reads startup files from $ZDOTDIR; each of ours sources the user's file with ZDOTDIR restored. */
function zshForward(file: string): string {
  return `# Aura Ops Console shell integration for zsh (generated): forwards to your own ${file}.
if [[ -f "\${USER_ZDOTDIR:-$HOME}/${file}" ]]; then
  __aura_zdotdir=$ZDOTDIR; ZDOTDIR=\${USER_ZDOTDIR:-$HOME}
  . "\${USER_ZDOTDIR:-$HOME}/${file}"
  USER_ZDOTDIR=$ZDOTDIR; ZDOTDIR=$__aura_zdotdir
fi
`;
}

const ZSH_RC = String.raw`# Aura Ops Console shell integration for zsh (generated; your own rc files are not touched).
__aura_zdotdir=$ZDOTDIR
ZDOTDIR=${'$'}{USER_ZDOTDIR:-$HOME}
if [[ -f "$ZDOTDIR/.zshrc" ]]; then . "$ZDOTDIR/.zshrc"; fi
USER_ZDOTDIR=$ZDOTDIR
if [[ -o login ]]; then ZDOTDIR=$__aura_zdotdir; fi
__aura_nonce=${'$'}{AURA_OPS_NONCE:-}
unset AURA_OPS_NONCE
if [[ -z "${'$'}{__aura_si_installed:-}" && -z "${'$'}{AURA_OPS_NO_SHELL_INTEGRATION:-}" ]]; then
__aura_si_installed=1
__aura_state=idle
__aura_esc() {
  local s=$1
  s=${'$'}{s//\\/\\\\}
  s=${'$'}{s//;/\\x3b}
  s=${'$'}{s//$'\n'/\\x0a}
  s=${'$'}{s//$'\r'/\\x0d}
  s=${'$'}{s//$'\a'/\\x07}
  s=${'$'}{s//$'\e'/\\x1b}
  REPLY=$s
}
__aura_precmd() {
  local ec=$?
  if [[ $__aura_state == running ]]; then
    builtin printf '\e]633;D;%s\a' "$ec"
  elif [[ $__aura_state == prompt ]]; then
    builtin printf '\e]633;D\a'
  fi
  __aura_esc "$PWD"
  builtin printf '\e]633;P;Cwd=%s\a' "$REPLY"
  return $ec
}
__aura_prompt_wrap() {
  if [[ $PS1 != *'633;A'* ]]; then PS1=$'%{\e]633;A\a%}'"$PS1"$'%{\e]633;B\a%}'; fi
  __aura_state=prompt
}
__aura_preexec() {
  __aura_state=running
  __aura_esc "$1"
  builtin printf '\e]633;E;%s;%s\a\e]633;C\a' "$REPLY" "$__aura_nonce"
}
precmd_functions=(__aura_precmd $precmd_functions __aura_prompt_wrap)
preexec_functions=(__aura_preexec $preexec_functions)
fi
if [[ ! -o login ]]; then ZDOTDIR=$USER_ZDOTDIR; unset __aura_zdotdir; fi
`;

const ZSH_LOGIN = `${zshForward('.zlogin')}ZDOTDIR=\${USER_ZDOTDIR:-$HOME}
`;

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
    writeFileSync(rc, BASH_RC, { mode: 0o600 });
    return { args: ['--rcfile', rc, '-i'], env: { AURA_OPS_NONCE: nonce }, integration: true };
  }
  if (kind === 'zsh') {
    const zdir = join(dir, 'zsh');
    mkdirSync(zdir, { recursive: true, mode: 0o700 });
    writeFileSync(join(zdir, '.zshenv'), zshForward('.zshenv'), { mode: 0o600 });
    writeFileSync(join(zdir, '.zprofile'), zshForward('.zprofile'), { mode: 0o600 });
    writeFileSync(join(zdir, '.zshrc'), ZSH_RC, { mode: 0o600 });
    writeFileSync(join(zdir, '.zlogin'), ZSH_LOGIN, { mode: 0o600 });
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
      const isOsc = s.startsWith('\x1b]633;', j) || s.startsWith('\x1b]133;', j);
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

/** Removes terminal control sequences and resolves carriage-return overwrites, for plain excerpts. */
export function stripAnsi(s: string): string {
  return s
    .replace(/\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g, '')
    .replace(/\x1b[P^_X][^\x1b]*\x1b\\/g, '')
    .replace(/\x1b\[[0-?]*[ -/]*[@-~]/g, '')
    .replace(/\x1b[()#%*+][0-9A-Za-z]/g, '')
    .replace(/\x1b[@-Z\\-_=>78c]/g, '')
    .replace(/\r+\n/g, '\n')
    .replace(/[^\n]*\r/g, '')
    .replace(/[\x00-\x08\x0b-\x1f\x7f]/g, '');
}
