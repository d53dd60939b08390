// What a per-tool rule sees of one simple command: its words after quote removal, with what is only
// known at run time marked, and the here-doc text fed to it, if any.

/** One argument word of a command. */
export interface Arg {
  /** The word as written, for messages. */
  raw: string;
  /** Its value after quote removal when fully known; null when an expansion or a glob decides it at run time. */
  value: string | null;
  /** The known literal start of the value (the whole value when it is known). */
  prefix: string;
  /** An unquoted expansion or glob: bash may turn it into zero or several words. */
  split: boolean;
}

export interface ToolContext {
  /** The command name as the rule table knows it (e.g. `grep` for `/usr/bin/grep`). */
  name: string;
  /** Text of a here-doc or here-string given directly to this command, when fully known; else null. */
  stdinText: string | null;
}

/** Returns why the command may change something; an empty list means it only reads. */
export type ToolRule = (args: Arg[], ctx: ToolContext) => string[];

/** A word that bash could turn into an option (`-x`), or into several words. */
export function mayBeOption(a: Arg): boolean {
  return a.value === null ? a.prefix === '' || a.prefix.startsWith('-') || a.split : a.value.startsWith('-');
}

/** How a word is named in a reason. */
export function shown(a: Arg): string {
  return a.raw.length > 60 ? `${a.raw.slice(0, 57)}...` : a.raw;
}
