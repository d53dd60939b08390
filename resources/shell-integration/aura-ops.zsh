# Aura Ops Console shell integration for zsh: the .zshrc of the ZDOTDIR the console starts zsh with
# (your own rc files are not touched). It sources your .zshrc, then reports prompt, command line,
# start, exit code and cwd as OSC 633 sequences (codes in src/shared/shell-integration-protocol.ts).
# ShellCheck does not read zsh; the tests check this file with `zsh -n`.
__aura_zdotdir=$ZDOTDIR
ZDOTDIR=${USER_ZDOTDIR:-$HOME}
if [[ -f "$ZDOTDIR/.zshrc" ]]; then . "$ZDOTDIR/.zshrc"; fi
USER_ZDOTDIR=$ZDOTDIR
if [[ -o login ]]; then ZDOTDIR=$__aura_zdotdir; fi
__aura_nonce=${AURA_OPS_NONCE:-}
unset AURA_OPS_NONCE
if [[ -z "${__aura_si_installed:-}" && -z "${AURA_OPS_NO_SHELL_INTEGRATION:-}" ]]; then
__aura_si_installed=1
__aura_state=idle
__aura_esc() {
  local s=$1
  s=${s//\\/\\\\}
  s=${s//;/\\x3b}
  s=${s//$'\n'/\\x0a}
  s=${s//$'\r'/\\x0d}
  s=${s//$'\a'/\\x07}
  s=${s//$'\e'/\\x1b}
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
