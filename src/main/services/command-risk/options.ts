// The option parser the rule tables share: getopt-style short clusters (`-sS`, `-n5`), long options
// (`--max-time 5`, `--max-time=5`), `--` and, for tools such as sqlite3 and find, single-dash long words.
import { type Arg, mayBeOption, shown } from './types';

/** The options of one tool known to only read; anything not listed makes the command ask. */
export interface OptionTable {
  /** Short options without a value, e.g. 'sSfL'. */
  flags?: string;
  /** Short options that take a value, e.g. 'mwH'. */
  valued?: string;
  /** Long options without a value, with their dashes: '--silent'. */
  long?: readonly string[];
  /** Long options that take a value: '--max-time'. */
  longValued?: readonly string[];
  /** `-20` means a count (head, tail). */
  numeric?: boolean;
  /** Every option of this tool only reads (cat, ls, grep): options are not checked one by one. */
  anyOption?: boolean;
  /** Options are whole words with one dash (`-readonly`, `-show_format`): `flags`/`valued` are unused. */
  singleDash?: boolean;
}

export interface ParsedOption {
  /** As written, e.g. '-o', '--max-time'. */
  name: string;
  value: Arg | null;
}

export interface ParsedArgs {
  options: ParsedOption[];
  operands: Arg[];
  reasons: string[];
}

function literal(raw: string, value: string): Arg {
  return { raw, value, prefix: value, split: false };
}

/** Splits args into options and operands by the table, with a reason for each option it does not know. */
export function parseOptions(tool: string, args: Arg[], t: OptionTable): ParsedArgs {
  const out: ParsedArgs = { options: [], operands: [], reasons: [] };
  const long = new Set(t.long ?? []);
  const longValued = new Set(t.longValued ?? []);
  const unknown = (opt: string): void => {
    out.reasons.push(`${tool} ${opt} is not an option known to only read`);
  };
  let i = 0;
  for (; i < args.length; i++) {
    const a = args[i];
    if (a.value === '--') {
      i++;
      break;
    }
    if (a.value === null) {
      if (!mayBeOption(a)) {
        out.operands.push(a);
        continue;
      }
      const eq = a.prefix.indexOf('=');
      if (!a.split && a.prefix.startsWith('--') && eq > 0 && longValued.has(a.prefix.slice(0, eq))) {
        out.options.push({ name: a.prefix.slice(0, eq), value: { ...a, prefix: a.prefix.slice(eq + 1) } });
        continue;
      }
      if (t.anyOption && !a.prefix.startsWith('-')) {
        out.operands.push(a);
        continue;
      }
      out.reasons.push(`${tool}: ${shown(a)} may turn into an option only known at run time`);
      continue;
    }
    const v = a.value;
    if (v === '-' || !v.startsWith('-')) {
      out.operands.push(a);
      continue;
    }
    if (t.numeric && /^-\d+$/.test(v)) {
      out.options.push({ name: v, value: null });
      continue;
    }
    if (v.startsWith('--') || t.singleDash) {
      const eq = v.indexOf('=');
      const name = eq > 0 ? v.slice(0, eq) : v;
      if (t.anyOption) out.options.push({ name, value: eq > 0 ? literal(a.raw, v.slice(eq + 1)) : null });
      else if (longValued.has(name)) {
        if (eq > 0) out.options.push({ name, value: literal(a.raw, v.slice(eq + 1)) });
        else if (i + 1 < args.length) out.options.push({ name, value: args[++i] });
        else out.reasons.push(`${tool} ${name} needs a value`);
      } else if (long.has(name) && eq < 0) out.options.push({ name, value: null });
      else unknown(name);
      continue;
    }
    // A short cluster: flags, then perhaps one valued option taking the rest or the next word.
    if (t.anyOption) {
      out.options.push({ name: v, value: null });
      continue;
    }
    for (let k = 1; k < v.length; k++) {
      const c = v[k];
      if (t.valued?.includes(c)) {
        const rest = v.slice(k + 1);
        if (rest) out.options.push({ name: `-${c}`, value: literal(a.raw, rest) });
        else if (i + 1 < args.length) out.options.push({ name: `-${c}`, value: args[++i] });
        else out.reasons.push(`${tool} -${c} needs a value`);
        break;
      }
      if (t.flags?.includes(c)) out.options.push({ name: `-${c}`, value: null });
      else {
        unknown(`-${c}`);
        break;
      }
    }
  }
  for (; i < args.length; i++) out.operands.push(args[i]);
  return out;
}

/** A tool whose listed options only read, with no further check of its operands. */
export function optionsOnly(t: OptionTable): (args: Arg[], ctx: { name: string }) => string[] {
  return (args, ctx) => parseOptions(ctx.name, args, t).reasons;
}
