# Aura Ops Console shell integration for zsh: the .zlogin of the console's ZDOTDIR. zsh reads its
# startup files from $ZDOTDIR, so this one sources your own .zlogin with ZDOTDIR restored.
if [[ -f "${USER_ZDOTDIR:-$HOME}/.zlogin" ]]; then
  __aura_zdotdir=$ZDOTDIR; ZDOTDIR=${USER_ZDOTDIR:-$HOME}
  . "${USER_ZDOTDIR:-$HOME}/.zlogin"
  USER_ZDOTDIR=$ZDOTDIR; ZDOTDIR=$__aura_zdotdir
fi
ZDOTDIR=${USER_ZDOTDIR:-$HOME}
