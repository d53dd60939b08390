# shellcheck shell=bash
# Aura Ops Console shell integration for bash, started as `bash --rcfile <this file> -i` (your own
# rc files are not touched). It sources ~/.bashrc as bash would, then reports prompt, command line,
# start, exit code and cwd as OSC 633 sequences (VS Code's format; the codes are listed in
# src/shared/shell-integration-protocol.ts).
#
# Chaining, so the user's own hooks keep working and ours still fire:
# - bash-preexec loaded (__bp_imported / bash_preexec_imported): register through its
#   precmd_functions / preexec_functions arrays and leave its DEBUG trap and PROMPT_COMMAND alone.
# - otherwise an existing DEBUG trap is kept and runs after ours in the same trap, with $? and $_
#   as they were; an existing PROMPT_COMMAND (string or array) runs inside __aura_prompt_cmd, so
#   nothing of ours runs after it (a preexec-style hook treats the first command after its own
#   PROMPT_COMMAND as the user's), and later additions to PROMPT_COMMAND are adopted at each prompt.
# shellcheck source=/dev/null
if [ -r "$HOME/.bashrc" ]; then . "$HOME/.bashrc"; fi
__aura_nonce="${AURA_OPS_NONCE:-}"
unset AURA_OPS_NONCE
if [ -z "${__aura_si_installed:-}" ] && [ -z "${AURA_OPS_NO_SHELL_INTEGRATION:-}" ]; then
__aura_si_installed=1
__aura_state=idle
__aura_histnum=""
__aura_user_pc=""
__aura_esc() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//;/\\x3b}
  s=${s//$'\n'/\\x0a}
  s=${s//$'\r'/\\x0d}
  s=${s//$'\a'/\\x07}
  s=${s//$'\e'/\\x1b}
  __aura_escaped=$s
}
__aura_status() { return "${1:-0}"; }
__aura_histline() {
  local h
  h=$(HISTTIMEFORMAT='' builtin history 1)
  if [[ $h =~ ^[[:space:]]*([0-9]+)[*]?[[:space:]]+(.*)$ ]]; then
    __aura_hnum=${BASH_REMATCH[1]}; __aura_hcmd=${BASH_REMATCH[2]}
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
  if [ "$__aura_state" = prompt ] && [ -z "${COMP_LINE:-}" ]; then
    case "${FUNCNAME[1]-}:$BASH_COMMAND" in
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
  while [[ "$s" == [[:space:]\;]* ]]; do s=${s#?}; done
  while [[ "$s" == *[[:space:]\;] ]]; do s=${s%?}; done
  __aura_trimmed=$s
}
# Makes PROMPT_COMMAND just __aura_prompt_cmd again, keeping whatever else was put there.
__aura_adopt_pc() {
  local pc
  if [[ ${PROMPT_COMMAND@a} == *a* ]]; then
    local IFS=$'\n'
    pc="${PROMPT_COMMAND[*]}"
  else
    pc=${PROMPT_COMMAND-}
  fi
  [ "$pc" = __aura_prompt_cmd ] && return 0
  if [[ "$pc" == *__aura_prompt_cmd* ]]; then
    __aura_trim "${pc//__aura_prompt_cmd/}"
    [ -n "$__aura_trimmed" ] && __aura_user_pc=${__aura_user_pc:+$__aura_user_pc$'\n'}$__aura_trimmed
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
if [ -n "${__bp_imported:-}${bash_preexec_imported:-}" ]; then
  __aura_bp_precmd() {
    __aura_prompt_start "$?"
    # Our prompt wrapper must run after every other precmd (one may set PS1): keep it last.
    if [[ "${precmd_functions[${#precmd_functions[@]}-1]}" != __aura_prompt_end ]]; then
      local f
      local -a keep=()
      for f in "${precmd_functions[@]}"; do [ "$f" = __aura_prompt_end ] || keep+=("$f"); done
      precmd_functions=("${keep[@]}" __aura_prompt_end)
    fi
  }
  __aura_bp_preexec() {
    local ec=$?
    [ "$__aura_state" = prompt ] && __aura_command_start "$1"
    return $ec
  }
  precmd_functions=(__aura_bp_precmd "${precmd_functions[@]}" __aura_prompt_end)
  preexec_functions+=(__aura_bp_preexec)
else
  __aura_adopt_pc
  __aura_dbg_action() { builtin eval "set -- $1"; __aura_dbg=${3-}; }
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
