// The allowlist: every tool known to only read (in some of its forms), each with its rule table.
// A tool not here asks; for the common writers the reason says what they do.
import type { ToolRule } from '../types';
import { FIND_TAR_RULES } from './find-tar';
import { NETWORK_RULES } from './network';
import { REDIS_RULES } from './redis-cli';
import { SED_AWK_RULES } from './sed-awk';
import { SERVICE_RULES } from './services';
import { SQLITE_RULES } from './sqlite3';
import { SYSTEM_RULES } from './system';
import { TEXT_RULES } from './text';

export const RULES: Readonly<Record<string, ToolRule>> = {
  ...TEXT_RULES,
  ...SYSTEM_RULES,
  ...SED_AWK_RULES,
  ...FIND_TAR_RULES,
  ...NETWORK_RULES,
  ...SQLITE_RULES,
  ...REDIS_RULES,
  ...SERVICE_RULES,
};

/** What common tools off the allowlist do, so the operator reads why the console asks. */
const WHAT_IT_DOES: Record<string, string> = {
  rm: 'removes files',
  rmdir: 'removes folders',
  mv: 'moves or renames files',
  cp: 'copies files',
  touch: 'creates files or changes their times',
  mkdir: 'creates folders',
  ln: 'creates links',
  chmod: 'changes permissions',
  chown: 'changes owners',
  dd: 'writes to files or devices',
  truncate: 'cuts files',
  kill: 'signals processes',
  pkill: 'signals processes',
  killall: 'signals processes',
  sudo: 'runs a command as root',
  su: 'runs a command as another user',
  eval: 'runs text as a command',
  source: 'runs a script in this shell',
  '.': 'runs a script in this shell',
  exec: 'replaces the shell',
  bash: 'starts a shell that can run anything',
  sh: 'starts a shell that can run anything',
  zsh: 'starts a shell that can run anything',
  xargs: 'runs a command built from its input',
  nohup: 'writes nohup.out',
  alias: 'can make a tool name run something else',
  unalias: 'changes what tool names run',
  set: "changes the shell's behaviour",
  shopt: "changes the shell's behaviour",
  cd: "changes the terminal's folder for later commands",
  git: "runs programs named in the repository's config (core.pager, core.fsmonitor)",
  strace: 'runs a program under a tracer (and -o writes a file)',
  less: 'is a pager that can run commands and save files',
  more: 'is a pager that can run commands',
  vi: 'is an editor',
  vim: 'is an editor',
  nano: 'is an editor',
  watch: 'runs a command again and again',
  command: 'runs a command past functions and aliases',
  builtin: 'runs a shell builtin',
  apt: 'installs or removes packages',
  'apt-get': 'installs or removes packages',
  npm: 'installs packages and runs scripts',
  pip: 'installs packages',
  service: 'controls services',
  reboot: 'restarts the machine',
  shutdown: 'stops the machine',
  crontab: 'changes scheduled jobs',
};

export function describeUnknownTool(name: string): string {
  const does = Object.prototype.hasOwnProperty.call(WHAT_IT_DOES, name) ? WHAT_IT_DOES[name] : null;
  return does ? `${name} ${does}` : `"${name}" is not on the list of tools known to only read`;
}
