# Aura Ops Console shell integration for zsh: the .zprofile of the console's ZDOTDIR. zsh reads its
# startup files from $ZDOTDIR, so this one sources your own .zprofile with ZDOTDIR restored.
if [[ -f "${USER_ZDOTDIR:-$HOME}/.zprofile" ]]; then
  __aura_zdotdir=$ZDOTDIR; ZDOTDIR=${USER_ZDOTDIR:-$HOME}
  . "${USER_ZDOTDIR:-$HOME}/.zprofile"
  USER_ZDOTDIR=$ZDOTDIR; ZDOTDIR=$__aura_zdotdir
fi
