// Which variable names a command may assign (a `for` loop or `read`) without changing what later
// commands do: a name bash or zsh gives a meaning is refused.

/**
 * Lowercase names bash or zsh give a meaning: assigning them (a `for` or `read` variable) changes what
 * later commands do (zsh's `path` is PATH, `functions`/`aliases` redefine commands).
 */
const SPECIAL_LOWERCASE = new Set([
  'histchars',
  'auto_resume',
  'path',
  'fpath',
  'cdpath',
  'manpath',
  'module_path',
  'mailpath',
  'prompt',
  'psvar',
  'watch',
  'status',
  'pipestatus',
  'argv',
  'options',
  'aliases',
  'galiases',
  'saliases',
  'functions',
  'builtins',
  'commands',
  'parameters',
  'dirstack',
  'nameddirs',
  'userdirs',
  'history',
  'historywords',
  'jobdirs',
  'jobstates',
  'jobtexts',
  'modules',
  'reswords',
  'signals',
  'termcap',
  'terminfo',
  'widgets',
  'keymaps',
  'patchars',
  'precmd_functions',
  'preexec_functions',
  'chpwd_functions',
  'periodic_functions',
  'zshaddhistory_functions',
  'zshexit_functions',
  'mapfile',
  'sysparams',
  'epochtime',
  'random',
  'seconds',
]);

/** A variable a `for` loop or `read` may set: lowercase, short, and no name a shell gives a meaning. */
export function isHarmlessName(name: string): boolean {
  return /^[a-z][a-z0-9_]{0,23}$/.test(name) && !SPECIAL_LOWERCASE.has(name);
}
