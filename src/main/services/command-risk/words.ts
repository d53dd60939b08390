// Turns a word node of the bash tree into an Arg: quotes removed, escapes resolved, and what bash
// decides at run time marked. Only plain `$VAR`/`${VAR}` and a quoted `$(...)` whose command only
// reads are accepted; every other expansion makes the command ask.
import type { BashNode } from './bash-parser';
import type { Arg } from './types';

/** Checks a command substitution's inner statements; returns why they may change something. */
export type SubstitutionCheck = (node: BashNode) => string[];

export type WordResult = { arg: Arg; reasons: string[] };

const PLAIN_BRACED = /^\$\{([A-Za-z_][A-Za-z0-9_]*|[0-9])\}$/;
/** `!` starts history expansion in an interactive bash unless a blank, `=` or `(` follows. */
const HISTORY_BANG = /!(?![\s=(]|$)/;
const GLOB_CHARS = '*?[';
/** Here-doc text bash expands that the grammar leaves as plain content: backquotes, $[ ], $(( )), ${ with an operator. */
const UNPARSED_IN_HEREDOC = /`|\$\[|\$\(\(|\$\{(?![A-Za-z_][A-Za-z0-9_]*\})/;

/** The part of an unquoted word bash takes literally, and whether it globs or brace-expands. */
function unquotedWord(raw: string): { value: string; globAt: number; reason: string | null } {
  let value = '';
  let globAt = -1;
  for (let i = 0; i < raw.length; i++) {
    const c = raw[i];
    if (c === '\\') {
      if (i + 1 < raw.length) value += raw[++i];
      continue;
    }
    if (c === '{' || c === '}')
      return { value, globAt, reason: `brace expansion in ${raw} can make several words` };
    // Unquoted parentheses in a word: extglob, or zsh glob qualifiers and =(...), which run code.
    if (c === '(' || c === ')')
      return { value, globAt, reason: `unquoted parentheses in ${raw} (extglob, zsh glob qualifiers)` };
    if (i === 0 && c === '~') {
      // Tilde expansion: the home folder, known to start with '~' here and never with '-'.
      value += c;
      globAt = 1;
      continue;
    }
    if (GLOB_CHARS.includes(c) && globAt < 0) globAt = value.length;
    value += c;
  }
  return { value, globAt, reason: null };
}

/** Resolves `\"`, `\\`, `\$`, `` \` `` and line continuations inside double quotes. */
function unescapeDouble(s: string): string {
  return s.replace(/\\([\\"$`\n])/g, (_m, c: string) => (c === '\n' ? '' : c));
}

interface Piece {
  text: string;
  known: boolean;
  split: boolean;
}

function expansionPiece(n: BashNode, quoted: boolean, sub: SubstitutionCheck, reasons: string[]): Piece {
  switch (n.type) {
    case 'simple_expansion':
      return { text: n.text, known: false, split: !quoted };
    case 'expansion':
      if (!PLAIN_BRACED.test(n.text))
        reasons.push(
          `${n.text} uses a parameter operator (only plain $VAR and \${VAR} are known to only read)`,
        );
      return { text: n.text, known: false, split: !quoted };
    case 'command_substitution':
      if (n.children[0]?.type !== '$(')
        reasons.push(`backquote substitution ${n.text} (write $(...) inside double quotes)`);
      else if (!quoted)
        reasons.push(`unquoted ${n.text}: its output may split into any words, options included`);
      else reasons.push(...sub(n));
      return { text: n.text, known: false, split: !quoted };
    case 'arithmetic_expansion':
      reasons.push(`arithmetic expansion ${n.text} can run commands through array subscripts`);
      return { text: n.text, known: false, split: !quoted };
    case 'process_substitution':
      reasons.push(`process substitution ${n.text} runs a command`);
      return { text: n.text, known: false, split: true };
    default:
      reasons.push(`${n.type.replace(/_/g, ' ')} ${n.text} is not a construct known to only read`);
      return { text: n.text, known: false, split: true };
  }
}

function pieces(n: BashNode, sub: SubstitutionCheck, reasons: string[]): Piece[] {
  switch (n.type) {
    case 'word':
    case 'number': {
      if (HISTORY_BANG.test(n.text))
        reasons.push(`${n.text}: "!" may recall another command (history expansion)`);
      const w = unquotedWord(n.text);
      if (w.reason) reasons.push(w.reason);
      if (w.globAt >= 0)
        return [
          { text: w.value.slice(0, w.globAt), known: true, split: false },
          { text: w.value.slice(w.globAt), known: false, split: false },
        ];
      return [{ text: w.value, known: true, split: false }];
    }
    case 'raw_string':
      return [{ text: n.text.slice(1, -1), known: true, split: false }];
    case 'ansi_c_string': {
      const body = n.text.slice(2, -1);
      if (/\\(?![nt\\'])/.test(body))
        reasons.push(`${n.text}: escapes other than \\n, \\t, \\\\ and \\' are not read here`);
      return [
        {
          text: body.replace(/\\([nt\\'])/g, (_m, c: string) => (c === 'n' ? '\n' : c === 't' ? '\t' : c)),
          known: true,
          split: false,
        },
      ];
    }
    case 'string': {
      if (!n.text.startsWith('"')) {
        reasons.push(`${n.text}: a translated $"..." string is not read here`);
        return [{ text: n.text, known: false, split: false }];
      }
      if (HISTORY_BANG.test(n.text))
        reasons.push(`${n.text}: "!" may recall another command (history expansion)`);
      const out: Piece[] = [];
      const kids = n.children;
      kids.forEach((c, i) => {
        if (!c.isNamed) {
          if (c.type === '"' && (i === 0 || i === kids.length - 1)) return;
          out.push({ text: c.text, known: true, split: false });
        } else if (c.type === 'string_content')
          out.push({ text: unescapeDouble(c.text), known: true, split: false });
        else out.push(expansionPiece(c, true, sub, reasons));
      });
      return out;
    }
    case 'concatenation':
      return n.children.flatMap((c) => pieces(c, sub, reasons));
    default:
      return [expansionPiece(n, false, sub, reasons)];
  }
}

/** The Arg of a word node (word, string, raw_string, concatenation, expansion, ...), with why it may not only read. */
export function wordArg(n: BashNode, sub: SubstitutionCheck): WordResult {
  const reasons: string[] = [];
  const ps = pieces(n, sub, reasons);
  const known = ps.every((p) => p.known);
  let prefix = '';
  for (const p of ps) {
    if (!p.known) break;
    prefix += p.text;
  }
  const arg: Arg = {
    raw: n.text,
    value: known ? ps.map((p) => p.text).join('') : null,
    prefix,
    split: ps.some((p) => p.split),
  };
  return { arg, reasons };
}

/** Why a here-doc body's expansions may change something (a quoted delimiter leaves none), and its text when fully known. */
export function heredocBody(
  body: BashNode | null,
  quotedDelimiter: boolean,
  sub: SubstitutionCheck,
): { text: string | null; reasons: string[] } {
  if (!body) return { text: '', reasons: [] };
  if (quotedDelimiter) return { text: body.text, reasons: [] };
  const reasons: string[] = [];
  // tree-sitter-bash does not see backquotes or $[...] in a here-doc body; bash runs them.
  const hidden = UNPARSED_IN_HEREDOC.exec(body.text.replace(/\\[\s\S]/g, ''));
  if (hidden)
    reasons.push(`the here-doc holds ${hidden[0]}, which bash expands (quote the delimiter: <<'EOF')`);
  let known = true;
  for (const c of body.namedChildren) {
    if (c.type === 'heredoc_content') continue;
    known = false;
    expansionPiece(c, true, sub, reasons);
  }
  return { text: known && !hidden ? body.text : null, reasons };
}
