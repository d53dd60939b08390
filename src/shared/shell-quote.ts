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
 * Where a position of a command sits for the shell: bare words (`plain`, also inside `$(...)`,
 * `${...}` and comments), inside "double", 'single' or $'ansi' quotes, inside `backticks`, or
 * somewhere this scanner does not follow (a here-document body): `unknown`.
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
      // Backticks strip backslashes before the command runs; a here-document body expands $(...)
      // whatever its quotes: no quoting is safe there, so the value is refused.
      return null;
  }
}

type Frame = 'plain' | 'double' | 'single' | 'ansi' | 'backtick' | 'sub' | 'brace';

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
  let heredocPending = false;
  let inHeredoc = false;
  let inComment = false;
  let next = 0;
  const top = (): Frame => stack[stack.length - 1];
  const contextOf = (): ShellContext => {
    if (inHeredoc) return 'unknown';
    // A filled value never holds a raw newline (shellQuote escapes it), so it cannot end a comment.
    if (inComment) return 'plain';
    const f = top();
    if (f === 'sub' || f === 'brace') return 'plain';
    // Inside backticks anywhere down the stack, backslash handling changes: refuse unsafe values.
    if (stack.includes('backtick')) return 'backtick';
    return f;
  };
  let i = 0;
  while (i < text.length) {
    if (next < positions.length && i === positions[next]) {
      out.push(contextOf());
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
      }
      i++;
      continue;
    }
    if (f === 'single') {
      if (c === "'") stack.pop();
      i++;
      continue;
    }
    if (f === 'ansi') {
      if (c === '\\') i += 2;
      else {
        if (c === "'") stack.pop();
        i++;
      }
      continue;
    }
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (f === 'double') {
      if (c === '"') stack.pop();
      else if (c === '$' && text[i + 1] === '(') {
        stack.push('sub');
        i++;
      } else if (c === '$' && text[i + 1] === '{') {
        stack.push('brace');
        i++;
      } else if (c === '`') stack.push('backtick');
      i++;
      continue;
    }
    // plain, sub, brace, backtick: word context.
    if (c === '#' && (i === 0 || /[\s;&|(]/.test(text[i - 1]))) {
      inComment = true;
      i++;
      continue;
    }
    if (c === '\n' && heredocPending) {
      inHeredoc = true;
      i++;
      continue;
    }
    if (c === "'") stack.push('single');
    else if (c === '"') stack.push('double');
    else if (c === '$' && text[i + 1] === "'") {
      stack.push('ansi');
      i++;
    } else if (c === '$' && text[i + 1] === '(') {
      stack.push('sub');
      i++;
    } else if (c === '$' && text[i + 1] === '{') {
      stack.push('brace');
      i++;
    } else if (c === '(' && f === 'sub') stack.push('sub');
    else if (c === ')' && f === 'sub') stack.pop();
    else if (c === '}' && f === 'brace') stack.pop();
    else if (c === '`') {
      if (f === 'backtick') stack.pop();
      else stack.push('backtick');
    } else if (c === '<' && text[i + 1] === '<' && text[i + 2] !== '<') {
      heredocPending = true;
      i++;
    } else if (c === '<' && text[i + 1] === '<') i += 2;
    i++;
  }
  while (next < positions.length) {
    out.push(contextOf());
    next++;
  }
  return out;
}
