// Shell quoting for values the console fills into commands (install paths, URLs, dates): every value
// becomes exactly one word for bash and zsh, whatever bytes it holds, and is never expanded.

/** Characters that mean nothing to bash or zsh anywhere in a word, so a value made of them goes in bare. */
const SAFE_WORD = /^[A-Za-z0-9_./:@%+,-][A-Za-z0-9_./:@%+,=-]*$/;
/** C0 controls and DEL: a raw one in a pasted line can end it (newline, CR) or be a readline command (Ctrl-O). */
const CONTROL = /[\x00-\x1f\x7f]/;
const CONTROL_G = /[\x00-\x1f\x7f\\']/g;

/** True when `value` can be written bare in any quoting context (nothing in it is special). */
export function isShellSafe(value: string): boolean {
  return SAFE_WORD.test(value);
}

/**
 * `value` as one shell word: bare when nothing in it is special, 'single-quoted' otherwise, and
 * $'ANSI-C quoted' (bash, zsh, ksh) when it holds a control character, so the quoted text never
 * holds a raw newline, CR or other control byte that a terminal line editor would act on.
 */
export function shellQuote(value: string): string {
  if (value === '') return "''";
  if (isShellSafe(value)) return value;
  if (CONTROL.test(value)) {
    return `$'${value.replace(CONTROL_G, (c) => (c === '\\' ? '\\\\' : c === "'" ? "\\'" : `\\x${c.charCodeAt(0).toString(16).padStart(2, '0')}`))}'`;
  }
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/**
 * Where a position of a command sits for the shell: bare words (`plain`, also inside `$(...)` and
 * comments), inside "double", 'single' or $'ansi' quotes, inside `backticks`, or somewhere a value
 * would be read as code whatever its quotes: `unknown` (a here-document body, arithmetic, `[[ ]]`,
 * `${...}`, or the arguments of a command that evaluates them: eval, sh -c, ssh, let, ...).
 */
export type ShellContext = 'plain' | 'double' | 'single' | 'ansi' | 'backtick' | 'unknown';

/** What a filled value needs around it in each context; null = it cannot be filled safely there. */
export function quoteIn(value: string, context: ShellContext): string | null {
  if (isShellSafe(value)) return value;
  switch (context) {
    case 'plain':
      return shellQuote(value);
    case 'double':
      return `"${shellQuote(value)}"`;
    case 'single':
      return `'${shellQuote(value)}'`;
    case 'ansi':
      return `'${shellQuote(value)}$'`;
    case 'backtick':
    case 'unknown':
      // Backticks strip backslashes before the command runs; arithmetic, [[ ]], ${...}, a
      // here-document and evaluating commands read quoted text as code: no quoting is safe there.
      return null;
  }
}

/**
 * Commands that evaluate their arguments as shell code, arithmetic or variable names (eval, a
 * shell's -c, ssh and su join them into a command line; let/declare/read/printf -v take names and
 * arithmetic). An unsafe value in their arguments is refused, whatever its quotes.
 */
const EVALUATING_COMMANDS = new Set([
  'eval',
  'source',
  '.',
  'bash',
  'sh',
  'zsh',
  'dash',
  'ksh',
  'mksh',
  'fish',
  'csh',
  'tcsh',
  'busybox',
  'let',
  'declare',
  'typeset',
  'local',
  'export',
  'readonly',
  'read',
  'unset',
  'mapfile',
  'readarray',
  'trap',
  'alias',
  'ssh',
  'su',
  'runuser',
  'pkexec',
  'watch',
  'parallel',
  'script',
  'flock',
  'tmux',
  'screen',
]);
/** Commands that evaluate only with one of these options (printf -v NAME, sudo -s, env -S). */
const EVALUATING_WITH: Record<string, RegExp> = {
  printf: /^-v/,
  sudo: /^(-[a-zA-Z]*[si][a-zA-Z]*|--shell|--login)$/,
  doas: /^-s$/,
  env: /^(-[a-zA-Z]*S.*|--split-string.*)$/,
};

/** Do the words of a simple command so far hand a value to something that evaluates it? */
function evaluates(segment: string): boolean {
  const words = segment
    .split(/\s+/)
    .map((w) => w.replace(/^["'(]+|["')]+$/g, ''))
    .filter(Boolean);
  for (const w of words) {
    if (EVALUATING_COMMANDS.has(w)) return true;
    if (EVALUATING_WITH[w] && words.some((o) => EVALUATING_WITH[w].test(o))) return true;
  }
  return false;
}

type Frame =
  | 'plain'
  | 'double'
  | 'single'
  | 'ansi'
  | 'backtick'
  | 'sub'
  | 'brace'
  | 'arith'
  | 'oldarith'
  | 'paren'
  | 'cond';
/** Frames in which a value is read as code whatever its quotes. */
const CODE_FRAMES: readonly Frame[] = ['brace', 'arith', 'oldarith', 'cond'];

/**
 * The context of each of `positions` (ascending offsets into `text`). `skip` gives the length of a
 * placeholder that starts at a position (it is read as ordinary word characters).
 */
export function shellContexts(
  text: string,
  positions: readonly number[],
  skip: (pos: number) => number,
): ShellContext[] {
  const out: ShellContext[] = [];
  const stack: Frame[] = ['plain'];
  /** Where the current simple command of each frame starts (for the evaluating-command check). */
  const cmdStart: number[] = [0];
  let heredocPending = false;
  let inHeredoc = false;
  let inComment = false;
  let next = 0;
  const top = (): Frame => stack[stack.length - 1];
  const push = (f: Frame, at: number): void => {
    stack.push(f);
    cmdStart.push(at);
  };
  const pop = (): void => {
    if (stack.length > 1) {
      stack.pop();
      cmdStart.pop();
    }
  };
  const wordStart = (i: number): boolean => i === 0 || /[\s;&|(]/.test(text[i - 1]);
  const contextOf = (pos: number): ShellContext => {
    if (inHeredoc) return 'unknown';
    if (stack.some((f) => CODE_FRAMES.includes(f))) return 'unknown';
    // The innermost word-context frame's command: its words decide whether the value is code.
    let k = stack.length - 1;
    while (k > 0 && (stack[k] === 'double' || stack[k] === 'single' || stack[k] === 'ansi')) k--;
    if (evaluates(text.slice(cmdStart[k], pos))) return 'unknown';
    // A filled value never holds a raw newline (shellQuote escapes it), so it cannot end a comment.
    if (inComment) return 'plain';
    // Inside backticks anywhere down the stack, backslash handling changes: refuse unsafe values.
    if (stack.includes('backtick')) return 'backtick';
    const f = top();
    if (f === 'sub' || f === 'paren') return 'plain';
    return f as ShellContext;
  };
  /**
   * Opens the expansion a '$' at `at` starts ($((…)), $(…) or ${…}), in double quotes and in words
   * alike: how many characters after the '$' it takes (0: none starts there).
   */
  const openExpansion = (at: number): number => {
    if (text.startsWith('((', at + 1)) {
      push('arith', at + 3);
      return 2;
    }
    if (text[at + 1] === '(') {
      push('sub', at + 2);
      return 1;
    }
    if (text[at + 1] === '{') {
      push('brace', at + 2);
      return 1;
    }
    return 0;
  };
  let i = 0;
  while (i < text.length) {
    if (next < positions.length && i === positions[next]) {
      out.push(contextOf(i));
      next++;
      i += Math.max(1, skip(i));
      continue;
    }
    const c = text[i];
    const f = top();
    if (inHeredoc) {
      i++;
      continue;
    }
    if (inComment) {
      if (c === '\n') {
        inComment = false;
        if (heredocPending) inHeredoc = true;
        cmdStart[cmdStart.length - 1] = i + 1;
      }
      i++;
      continue;
    }
    if (f === 'single') {
      if (c === "'") pop();
      i++;
      continue;
    }
    if (f === 'ansi') {
      if (c === '\\') i += 2;
      else {
        if (c === "'") pop();
        i++;
      }
      continue;
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (f === 'double') {
      if (c === '"') pop();
      else if (c === '$') i += openExpansion(i);
      else if (c === '`') push('backtick', i + 1);
      i++;
      continue;
    }
    if (f === 'arith' && c === ')' && text[i + 1] === ')') {
      pop();
      i += 2;
      continue;
    }
    // plain, sub, paren, brace, backtick, arith, cond: word context.
    if (c === '#' && wordStart(i) && f !== 'arith' && f !== 'brace') {
      inComment = true;
      i++;
      continue;
    }
    if (c === '\n' && heredocPending) {
      inHeredoc = true;
      i++;
      continue;
    }
    if (c === "'") push('single', i + 1);
    else if (c === '"') push('double', i + 1);
    else if (c === '$' && text[i + 1] === "'") {
      push('ansi', i + 2);
      i++;
    } else if (c === '$' && text[i + 1] === '[') {
      push('oldarith', i + 2);
      i++;
    } else if (c === '$') i += openExpansion(i);
    else if (c === '(' && text[i + 1] === '(' && wordStart(i)) {
      push('arith', i + 2);
      i++;
    } else if (c === '[' && text[i + 1] === '[' && wordStart(i)) {
      push('cond', i + 2);
      i++;
    } else if (c === ']' && text[i + 1] === ']' && f === 'cond') {
      pop();
      i++;
    } else if (c === ']' && f === 'oldarith') {
      pop(); // the end of $[ ... ] (deprecated arithmetic)
    } else if (c === '(') push(f === 'arith' ? 'arith' : 'paren', i + 1);
    else if (c === ')' && (f === 'sub' || f === 'paren' || f === 'arith')) pop();
    else if (c === '}' && f === 'brace') pop();
    else if (c === '`') {
      if (f === 'backtick') pop();
      else push('backtick', i + 1);
    } else if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      heredocPending = true;
      i++;
    } else if (c === '<' && text[i + 1] === '<') i += 2;
    else if (
      c === ';' ||
      c === '&' ||
      c === '|' ||
      c === '\n' ||
      (c === '{' && wordStart(i) && /\s/.test(text[i + 1] ?? ''))
    )
      cmdStart[cmdStart.length - 1] = i + 1;
    i++;
  }
  while (next < positions.length) {
    out.push(contextOf(text.length));
    next++;
  }
  return out;
}
