// sed and awk read text, but a script can write files (sed w, s///w; awk print > f) or run commands
// (sed e, s///e; awk system(), | getline, print | cmd). Their scripts are parsed here: only the
// commands listed are accepted.
import { parseOptions } from '../options';
import { type Arg, type ToolRule, shown } from '../types';

/** sed commands that only act on the pattern and hold spaces or print. */
const SED_SIMPLE = 'pdDnNPgGhHxlq=Qz';
/** s/// flags that do not write (w) or execute (e). */
const SED_S_FLAGS = /^[gpiImM0-9]*$/;

/** Why a sed script may write or run something; null when every command is a known reader. */
export function sedScriptProblem(script: string): string | null {
  let i = 0;
  const n = script.length;
  const skipBlank = (): void => {
    while (i < n && /[\s;]/.test(script[i])) i++;
  };
  /** Reads up to an unescaped `delim`; returns false when the script ends first. */
  const until = (delim: string): boolean => {
    while (i < n && script[i] !== delim) {
      if (script[i] === '\\') i++;
      if (script[i] === '\n') return false;
      i++;
    }
    if (i >= n) return false;
    i++;
    return true;
  };
  const address = (): boolean => {
    if (/\d/.test(script[i] ?? '')) {
      while (/[\d~]/.test(script[i] ?? '')) i++;
      return true;
    }
    if (script[i] === '$') {
      i++;
      return true;
    }
    if (script[i] === '/' || script[i] === '\\') {
      const delim = script[i] === '\\' ? script[i + 1] : '/';
      i += script[i] === '\\' ? 2 : 1;
      if (!until(delim)) return false;
      while (script[i] === 'I' || script[i] === 'M') i++;
      return true;
    }
    return true;
  };
  for (skipBlank(); i < n; skipBlank()) {
    if (!address()) return 'an address it cannot read';
    if (script[i] === ',') {
      i++;
      if (script[i] === '+' || script[i] === '~') i++;
      if (!address()) return 'an address it cannot read';
    }
    while (script[i] === ' ') i++;
    if (script[i] === '!') i++;
    while (script[i] === ' ') i++;
    const c = script[i];
    if (c === undefined) return 'an address without a command';
    if (c === '{' || c === '}') {
      i++;
      continue;
    }
    if (SED_SIMPLE.includes(c)) {
      i++;
      if (c === 'q' || c === 'Q' || c === 'l') while (/\d/.test(script[i] ?? '')) i++;
      continue;
    }
    if (c === 's' || c === 'y') {
      const delim = script[i + 1];
      if (!delim || delim === '\\' || delim === '\n') return `the ${c} command has no delimiter`;
      i += 2;
      if (!until(delim) || !until(delim)) return `an unfinished ${c} command`;
      const start = i;
      while (i < n && !/[\s;}]/.test(script[i])) i++;
      const flags = script.slice(start, i);
      if (c === 'y' ? flags !== '' : !SED_S_FLAGS.test(flags))
        return `the ${c} flags "${flags}" (w writes a file, e runs a command)`;
      continue;
    }
    return `the command "${c}" (only ${SED_SIMPLE}, s and y are known to only read; w, r, e write or run)`;
  }
  return null;
}

export const sedRule: ToolRule = (args, ctx) => {
  const p = parseOptions(ctx.name, args, {
    flags: 'nErsuz',
    valued: 'el',
    long: [
      '--quiet',
      '--silent',
      '--regexp-extended',
      '--separate',
      '--unbuffered',
      '--null-data',
      '--posix',
      '--debug',
      '--sandbox',
    ],
    longValued: ['--expression', '--line-length'],
  });
  const scripts: Arg[] = p.options
    .filter((o) => o.name === '-e' || o.name === '--expression')
    .map((o) => o.value as Arg);
  if (scripts.length === 0) {
    const first = p.operands.shift();
    if (!first) return [...p.reasons, 'sed without a script'];
    scripts.push(first);
  }
  const reasons = [...p.reasons];
  for (const s of scripts) {
    if (s.value === null) reasons.push(`the sed script ${shown(s)} is only known at run time`);
    else {
      const problem = sedScriptProblem(s.value);
      if (problem) reasons.push(`sed script ${shown(s)}: ${problem}`);
    }
  }
  return reasons;
};

/** awk words that run commands or read from them, and gawk's extension and namespace syntax. */
const AWK_RUNS = /\b(system|getline|close|fflush)\b|\||@/;

/** Why an awk program may write or run something; null when it only computes and prints to stdout. */
export function awkProgramProblem(program: string): string | null {
  const runs = AWK_RUNS.exec(program.replace(/\|\|/g, ' '));
  if (runs) return `"${runs[0]}" can run a command or read its output`;
  // In print/printf, `>` and `>>` redirect to a file; elsewhere `>` compares. A program that prints
  // asks when it holds any `>`, since its strings and regexes are not parsed here.
  if (/\bprintf?\b/.test(program) && program.includes('>')) return 'print with ">" can write a file';
  return null;
}

export const awkRule: ToolRule = (args, ctx) => {
  const p = parseOptions(ctx.name, args, { valued: 'Fv', longValued: ['--field-separator', '--assign'] });
  const program = p.operands.shift();
  if (!program) return [...p.reasons, 'awk without a program'];
  if (program.value === null)
    return [...p.reasons, `the awk program ${shown(program)} is only known at run time`];
  const problem = awkProgramProblem(program.value);
  return problem ? [...p.reasons, `awk program: ${problem}`] : p.reasons;
};

export const SED_AWK_RULES: Record<string, ToolRule> = {
  sed: sedRule,
  awk: awkRule,
  gawk: awkRule,
  mawk: awkRule,
};
