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

// Chaining, so the user's own hooks keep working and ours still fire:
// - bash-preexec loaded (__bp_imported / bash_preexec_imported): register through its
//   precmd_functions / preexec_functions arrays and leave its DEBUG trap and PROMPT_COMMAND alone.
// - otherwise an existing DEBUG trap is kept and runs after ours in the same trap, with $? and $_
//   as they were; an existing PROMPT_COMMAND (string or array) runs inside __aura_prompt_cmd, so
//   nothing of ours runs after it (a preexec-style hook treats the first command after its own
//   PROMPT_COMMAND as the user's), and later additions to PROMPT_COMMAND are adopted at each prompt.
const BASH_RC = String.raw`# Aura Ops Console shell integration for bash (generated; your own rc files are not touched).
# It sources ~/.bashrc as bash would, then reports prompt/command/exit/cwd as OSC 633 sequences.
if [ -r "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
__aura_nonce="${'$'}{AURA_OPS_NONCE:-}"
unset AURA_OPS_NONCE
if [ -z "${'$'}{__aura_si_installed:-}" ] && [ -z "${'$'}{AURA_OPS_NO_SHELL_INTEGRATION:-}" ]; then
__aura_si_installed=1
__aura_state=idle
__aura_histnum=""
__aura_user_pc=""
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
__aura_status() { return "${'$'}{1:-0}"; }
__aura_histline() {
  local h
  h=$(HISTTIMEFORMAT= builtin history 1)
  if [[ $h =~ ^[[:space:]]*([0-9]+)[*]?[[:space:]]+(.*)$ ]]; then
    __aura_hnum=${'$'}{BASH_REMATCH[1]}; __aura_hcmd=${'$'}{BASH_REMATCH[2]}
  else
    __aura_hnum=""; __aura_hcmd=""
  fi
}
__aura_command_start() {
  __aura_state=running
  __aura_esc "$1"
  builtin printf '\e]633;E;%s;%s\a\e]633;C\a' "$__aura_escaped" "$__aura_nonce"
}
# DEBUG trap: $1 is $_ of the previous command; after this call $_ and $? are what they were, so a
# chained trap that follows in the same trap string sees them unchanged.
__aura_preexec() {
  local ec=$?
  if [ "$__aura_state" = prompt ] && [ -z "${'$'}{COMP_LINE:-}" ]; then
    case "${'$'}{FUNCNAME[1]-}:$BASH_COMMAND" in
      __aura_*|*:__aura_prompt_cmd*) ;;
      *)
        __aura_histline
        local cmd=$BASH_COMMAND
        if [ -n "$__aura_hnum" ] && [ "$__aura_hnum" != "$__aura_histnum" ]; then
          cmd=$__aura_hcmd
        elif [ -n "$__aura_hcmd" ] && [[ "$__aura_hcmd" == *"$BASH_COMMAND"* ]]; then
          cmd=$__aura_hcmd
        fi
        __aura_command_start "$cmd"
        ;;
    esac
  fi
  return $ec
}
__aura_prompt_start() {
  if [ "$__aura_state" = prompt ]; then
    # No DEBUG trap fired, yet a new history entry exists: a lone subshell such as "(exit 3)" ran.
    # Report it now (command, exit code, cwd; its output went by before we knew).
    __aura_histline
    if [ -n "$__aura_hnum" ] && [ "$__aura_hnum" != "$__aura_histnum" ]; then
      __aura_command_start "$__aura_hcmd"
    fi
  fi
  if [ "$__aura_state" = running ]; then
    builtin printf '\e]633;D;%s\a' "$1"
  elif [ "$__aura_state" = prompt ]; then
    builtin printf '\e]633;D\a'
  fi
  __aura_state=idle
  __aura_esc "$PWD"
  builtin printf '\e]633;P;Cwd=%s\a' "$__aura_escaped"
}
__aura_prompt_end() {
  if [[ "$PS1" != *'633;A'* ]]; then PS1='\[\e]633;A\a\]'"$PS1"'\[\e]633;B\a\]'; fi
  __aura_histline
  __aura_histnum=$__aura_hnum
  __aura_state=prompt
}
__aura_trim() {
  local s=$1
  while [[ "$s" == [[:space:]\;]* ]]; do s=${'$'}{s#?}; done
  while [[ "$s" == *[[:space:]\;] ]]; do s=${'$'}{s%?}; done
  __aura_trimmed=$s
}
# Makes PROMPT_COMMAND just __aura_prompt_cmd again, keeping whatever else was put there.
__aura_adopt_pc() {
  local pc
  if [[ ${'$'}{PROMPT_COMMAND@a} == *a* ]]; then
    local IFS=$'\n'
    pc="${'$'}{PROMPT_COMMAND[*]}"
  else
    pc=${'$'}{PROMPT_COMMAND-}
  fi
  [ "$pc" = __aura_prompt_cmd ] && return 0
  if [[ "$pc" == *__aura_prompt_cmd* ]]; then
    __aura_trim "${'$'}{pc//__aura_prompt_cmd/}"
    [ -n "$__aura_trimmed" ] && __aura_user_pc=${'$'}{__aura_user_pc:+$__aura_user_pc$'\n'}$__aura_trimmed
  else
    __aura_trim "$pc"
    __aura_user_pc=$__aura_trimmed
  fi
  unset PROMPT_COMMAND
  PROMPT_COMMAND=__aura_prompt_cmd
}
__aura_prompt_cmd() {
  local __aura_ec=$?
  __aura_prompt_start "$__aura_ec"
  if [ -n "$__aura_user_pc" ]; then
    __aura_status "$__aura_ec"
    builtin eval "$__aura_user_pc"
  fi
  __aura_adopt_pc
  __aura_prompt_end
}
if [ -n "${'$'}{__bp_imported:-}${'$'}{bash_preexec_imported:-}" ]; then
  __aura_bp_precmd() {
    __aura_prompt_start "$?"
    # Our prompt wrapper must run after every other precmd (one may set PS1): keep it last.
    if [[ "${'$'}{precmd_functions[${'$'}{#precmd_functions[@]}-1]}" != __aura_prompt_end ]]; then
      local f
      local -a keep=()
      for f in "${'$'}{precmd_functions[@]}"; do [ "$f" = __aura_prompt_end ] || keep+=("$f"); done
      precmd_functions=("${'$'}{keep[@]}" __aura_prompt_end)
    fi
  }
  __aura_bp_preexec() {
    local ec=$?
    [ "$__aura_state" = prompt ] && __aura_command_start "$1"
    return $ec
  }
  precmd_functions=(__aura_bp_precmd "${'$'}{precmd_functions[@]}" __aura_prompt_end)
  preexec_functions+=(__aura_bp_preexec)
else
  __aura_adopt_pc
  __aura_dbg_action() { builtin eval "set -- $1"; __aura_dbg=${'$'}{3-}; }
  __aura_dbg_action "$(trap -p DEBUG)"
  if [ -n "$__aura_dbg" ]; then
    trap -- '__aura_preexec "$_"'$'\n'"$__aura_dbg" DEBUG
  else
    trap '__aura_preexec "$_"' DEBUG
  fi
  unset __aura_dbg
  unset -f __aura_dbg_action
fi
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
