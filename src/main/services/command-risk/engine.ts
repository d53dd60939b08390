// The default-deny walk over a bash syntax tree: a command line only reads when every node is of a
// kind listed here, every tool has a rule table that accepts its words, and nothing is redirected
// anywhere but /dev/null or another descriptor. Whatever else it meets becomes a reason to ask.
import type { BashNode } from './bash-parser';
import { isHarmlessName } from './names';
import { RULES, describeUnknownTool } from './rules';
import { type Arg, shown } from './types';
import { heredocBody, wordArg } from './words';

/** Nesting limit for quoted $(...): deeper text is not walked, it asks. */
const MAX_SUBSTITUTION_DEPTH = 4;

/** Nesting limit for groups, loops and conditions: deeper text asks (and the walk's stack stays small). */
const MAX_NESTING = 64;

/** Folders whose programs are the system's own: `/usr/bin/grep` is grep; `./grep` is anything. */
const SYSTEM_BIN = /^\/(usr\/(local\/)?)?s?bin\/[^/]+$/;

/** Environment a command may be given (`LC_ALL=C grep`): locale and time zone names, never paths. */
const SAFE_ASSIGNMENT = /^(LC_[A-Z]+|LANG|LANGUAGE|TZ)=[A-Za-z0-9_.@+:-]*$/;

/** Syntax zsh acts on when `#` does not start a comment: expansions, operators, redirections, history. */
const ZSH_ACTIVE_IN_COMMENT = /[$`;|&<>(){}!\\]/;

const TOO_DEEP = `groups or loops nested more than ${MAX_NESTING} deep are too deep to check`;

const OUTPUT_OPS = new Set(['>', '>>', '&>', '&>>', '>|']);
const REDIRECT_OPS = new Set([...OUTPUT_OPS, '<', '>&', '<&', '<>', '>&-', '<&-']);

interface Redirects {
  reasons: string[];
  stdinText: string | null;
}

class Walk {
  readonly reasons: string[] = [];

  constructor(private readonly depth: number) {}

  private sub = (n: BashNode): string[] => {
    if (this.depth >= MAX_SUBSTITUTION_DEPTH)
      return [`$(...) nested more than ${MAX_SUBSTITUTION_DEPTH} deep is too deep to check`];
    const inner = new Walk(this.depth + 1);
    for (const c of n.namedChildren) inner.statement(c, false);
    return inner.reasons;
  };

  private word(n: BashNode): Arg {
    const r = wordArg(n, this.sub);
    this.reasons.push(...r.reasons);
    return r.arg;
  }

  /** One statement. `piped`: its stdin comes from a pipe or an enclosing redirection. */
  private nesting = 0;

  statement(n: BashNode, piped: boolean): void {
    if (this.nesting >= MAX_NESTING) {
      if (!this.reasons.includes(TOO_DEEP)) this.reasons.push(TOO_DEEP);
      return;
    }
    this.nesting++;
    try {
      this.statementOf(n, piped);
    } finally {
      this.nesting--;
    }
  }

  private statementOf(n: BashNode, piped: boolean): void {
    switch (n.type) {
      case 'comment':
        // zsh without interactive_comments (its default) runs a `#` line as a command.
        if (ZSH_ACTIVE_IN_COMMENT.test(n.text))
          this.reasons.push(`the comment ${n.text} holds shell syntax, which zsh runs as a command`);
        return;
      case 'command':
        this.command(n, { reasons: [], stdinText: null }, piped);
        return;
      case 'redirected_statement': {
        const body = n.childForFieldName('body');
        const redirs = this.redirects(n.childrenForFieldName('redirect'));
        this.reasons.push(...redirs.reasons);
        if (!body) return;
        if (body.type === 'command') this.command(body, redirs, piped);
        else this.statement(body, true);
        return;
      }
      case 'pipeline':
        n.namedChildren.forEach((c, i) => this.statement(c, piped || i > 0));
        return;
      case 'list':
      case 'negated_command':
      case 'subshell':
      case 'compound_statement':
      case 'if_statement':
      case 'elif_clause':
      case 'else_clause':
      case 'while_statement':
      case 'do_group':
        for (const c of n.namedChildren) this.statement(c, piped);
        return;
      case 'for_statement':
        this.forLoop(n, piped);
        return;
      case 'test_command':
        this.test(n);
        return;
      case 'variable_assignment':
      case 'variable_assignments':
        this.reasons.push(`${n.text} sets a shell variable, which can change what later commands do`);
        return;
      case 'function_definition':
        this.reasons.push(`defines a function, which can make a tool name run something else`);
        return;
      case 'declaration_command':
      case 'unset_command':
        this.reasons.push(
          `${n.text.split(/\s/)[0]} changes shell variables, which can change what later commands do`,
        );
        return;
      default:
        this.reasons.push(
          `${n.type.replace(/_/g, ' ')} (${shown({ raw: n.text, value: null, prefix: '', split: false })}) is not a construct known to only read`,
        );
    }
  }

  private forLoop(n: BashNode, piped: boolean): void {
    if (n.children[0]?.type !== 'for') {
      this.reasons.push('only `for NAME in WORDS` loops are read here');
      return;
    }
    const variable = n.childForFieldName('variable');
    if (!variable || !isHarmlessName(variable.text)) {
      this.reasons.push(`the loop sets ${variable?.text ?? 'a variable'}, a name a shell gives a meaning`);
    }
    for (const v of n.childrenForFieldName('value')) this.word(v);
    const body = n.childForFieldName('body');
    if (body) this.statement(body, piped);
  }

  /** `[ ... ]` only: `[[ ]]` evaluates array subscripts and arithmetic, `-v`/`-R` evaluate subscripts. */
  private test(n: BashNode): void {
    if (n.children[0]?.type !== '[') {
      this.reasons.push('[[ ... ]] can run commands through array subscripts; use [ ... ]');
      return;
    }
    const visit = (x: BashNode): void => {
      if (x.type === 'test_operator') {
        if (x.text === '-v' || x.text === '-R')
          this.reasons.push(`[ ${x.text} ] evaluates an array subscript, which can run commands`);
        return;
      }
      if (
        ['unary_expression', 'binary_expression', 'parenthesized_expression', 'negated_expression'].includes(
          x.type,
        )
      ) {
        for (const c of x.namedChildren) visit(c);
        return;
      }
      this.word(x);
    };
    for (const c of n.namedChildren) visit(c);
  }

  private redirects(nodes: BashNode[]): Redirects {
    const out: Redirects = { reasons: [], stdinText: null };
    for (const r of nodes) {
      if (r.type === 'herestring_redirect') {
        const w = r.namedChildren[0];
        const a = w ? this.word(w) : null;
        out.stdinText = a?.value != null ? `${a.value}\n` : null;
        continue;
      }
      if (r.type === 'heredoc_redirect') {
        const start = r.namedChildren.find((c) => c.type === 'heredoc_start')?.text ?? '';
        const body = heredocBody(
          r.namedChildren.find((c) => c.type === 'heredoc_body') ?? null,
          /['"\\]/.test(start),
          this.sub,
        );
        out.reasons.push(...body.reasons);
        out.stdinText = body.text;
        if (r.namedChildren.some((c) => !['heredoc_start', 'heredoc_body', 'heredoc_end'].includes(c.type))) {
          out.reasons.push('a here-doc line that also pipes or redirects is not read here');
        }
        continue;
      }
      if (r.type !== 'file_redirect') {
        out.reasons.push(`${r.type.replace(/_/g, ' ')} ${r.text} is not a redirection known to only read`);
        continue;
      }
      const op = r.children.find((c) => !c.isNamed && REDIRECT_OPS.has(c.type))?.type;
      const dest = r.childForFieldName('destination');
      const target = dest ? this.word(dest) : null;
      if (op === '<') {
        out.stdinText = null;
        continue;
      }
      if (
        op === '>&-' ||
        op === '<&-' ||
        ((op === '>&' || op === '<&') && target?.value != null && /^(\d+|-)$/.test(target.value))
      )
        continue;
      if ((op && OUTPUT_OPS.has(op)) || op === '>&') {
        if (target?.value === '/dev/null') continue;
        out.reasons.push(`writes to ${target ? shown(target) : 'a file'} (${op})`);
        continue;
      }
      out.reasons.push(`the redirection ${r.text} is not known to only read`);
    }
    return out;
  }

  private command(n: BashNode, outer: Redirects, piped: boolean): void {
    const inner = this.redirects(n.namedChildren.filter((c) => c.type.endsWith('_redirect')));
    this.reasons.push(...inner.reasons);
    const stdinText = piped ? null : (inner.stdinText ?? outer.stdinText);
    let name: Arg | null = null;
    const args: Arg[] = [];
    for (const c of n.namedChildren) {
      if (c.type.endsWith('_redirect')) continue;
      if (c.type === 'variable_assignment') {
        const valueNode = c.childForFieldName('value');
        const value = valueNode ? this.word(valueNode).value : '';
        const nameText = c.childForFieldName('name')?.text ?? '';
        // `NAME=value` only: `NAME+=`, `NAME[i]=` and run-time values ask.
        const plain = c.text.slice(nameText.length).startsWith('=');
        if (value === null || !plain || !SAFE_ASSIGNMENT.test(`${nameText}=${value}`)) {
          this.reasons.push(
            `${c.text} sets the environment of the command, which can make it run other code`,
          );
        }
        continue;
      }
      if (c.type === 'command_name') {
        const w = c.namedChildren[0];
        name = w ? this.word(w) : null;
        continue;
      }
      args.push(this.word(c));
    }
    if (!name) {
      if (args.length === 0 && n.namedChildren.every((c) => c.type !== 'variable_assignment')) return;
      this.reasons.push('assignments without a command change the shell');
      return;
    }
    this.tool(name, args, stdinText);
  }

  /** A tool and its words, after wrappers (`time`, `timeout`, `env LC_ALL=C`) are taken off. */
  private tool(nameArg: Arg, args: Arg[], stdinText: string | null): void {
    if (nameArg.value === null) {
      this.reasons.push(`the command name ${shown(nameArg)} is only known at run time`);
      return;
    }
    let name = nameArg.value;
    if (name.includes('/')) {
      if (!SYSTEM_BIN.test(name)) {
        this.reasons.push(`runs the program ${name}, which is not a system tool`);
        return;
      }
      name = name.slice(name.lastIndexOf('/') + 1);
    }
    const rest = this.unwrap(name, args);
    if (rest === 'checked') return;
    if (rest) {
      if (rest.length === 0) return;
      this.tool(rest[0], rest.slice(1), stdinText);
      return;
    }
    const rule = Object.prototype.hasOwnProperty.call(RULES, name) ? RULES[name] : undefined;
    if (!rule) {
      this.reasons.push(describeUnknownTool(name));
      return;
    }
    this.reasons.push(...rule(args, { name, stdinText }));
  }

  /** For a wrapper, the command it runs (null: not a wrapper; 'checked': reasons already given). */
  private unwrap(name: string, args: Arg[]): Arg[] | 'checked' | null {
    if (name === 'time') {
      let i = 0;
      while (i < args.length && args[i].value === '-p') i++;
      return args.slice(i);
    }
    if (name === 'env') {
      // `env` alone prints the environment; `env LC_ALL=C cmd` sets a locale. Options (-i, -S, -u) ask.
      let i = 0;
      for (; i < args.length; i++) {
        const v = args[i].value;
        if (v === null || v.startsWith('-')) {
          this.reasons.push(
            `env ${shown(args[i])}: only locale and time zone variables are known to be safe`,
          );
          return 'checked';
        }
        if (!v.includes('=')) break;
        if (!SAFE_ASSIGNMENT.test(v)) {
          this.reasons.push(
            `env ${shown(args[i])} sets the environment of the command, which can make it run other code`,
          );
          return 'checked';
        }
      }
      return args.slice(i);
    }
    if (name === 'timeout') {
      // timeout [--preserve-status|--foreground|-v] [-s SIG] [-k DUR] DURATION COMMAND...
      let i = 0;
      while (i < args.length) {
        const v = args[i].value;
        if (v === '--preserve-status' || v === '--foreground' || v === '-v' || v === '--verbose') i++;
        else if ((v === '-s' || v === '-k') && i + 1 < args.length) i += 2;
        else break;
      }
      const duration = args[i]?.value;
      if (!duration || !/^\d+(\.\d+)?[smhd]?$/.test(duration)) {
        this.reasons.push('timeout: only `timeout [-s SIG] [-k DUR] DURATION COMMAND` is read here');
        return 'checked';
      }
      return args.slice(i + 1);
    }
    return null;
  }
}

/** Why the statements under `root` may change something; empty when they only read. */
export function reasonsForTree(root: BashNode): string[] {
  const out: string[] = [];
  const multiline = root.endPosition.row > root.startPosition.row;
  for (const c of root.namedChildren) {
    const w = new Walk(0);
    w.statement(c, false);
    // A multi-line command is read line by line: each reason says where.
    const where = multiline ? `line ${c.startPosition.row + 1}: ` : '';
    out.push(...w.reasons.map((r) => where + r));
  }
  return out;
}

/** The first syntax error of a tree, as `line:column` text for a reason. */
export function firstError(root: BashNode): string | null {
  if (!root.hasError) return null;
  const stack: BashNode[] = [root];
  while (stack.length) {
    const n = stack.pop() as BashNode;
    if (n.type === 'ERROR' || n.isMissing) {
      const p = n.startPosition;
      return `line ${p.row + 1}, column ${p.column + 1}`;
    }
    for (let i = n.childCount - 1; i >= 0; i--) {
      const c = n.child(i);
      if (c?.hasError || c?.type === 'ERROR' || c?.isMissing) stack.push(c);
    }
  }
  return 'somewhere';
}
