// A small syntax highlighter for runbook code blocks (shell, SQL, JSON/YAML, logs): it splits code
// into classed tokens the viewer renders as spans; never HTML strings, so nothing can inject markup.

export type TokenKind =
  'comment' | 'string' | 'keyword' | 'variable' | 'number' | 'flag' | 'placeholder' | 'prompt' | 'text';

export interface Token {
  kind: TokenKind;
  text: string;
}

const SHELL_KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'while',
  'do',
  'done',
  'case',
  'esac',
  'in',
  'function',
  'export',
  'sudo',
  'echo',
  'cd',
  'grep',
  'tail',
  'curl',
  'sqlite3',
  'redis-cli',
  'systemctl',
  'ps',
  'df',
  'du',
  'free',
  'ls',
  'cat',
  'find',
  'wc',
  'jq',
  'kill',
  'rm',
  'cp',
  'mv',
]);
const SQL_KEYWORDS = new Set([
  'select',
  'from',
  'where',
  'and',
  'or',
  'not',
  'order',
  'by',
  'group',
  'limit',
  'insert',
  'into',
  'update',
  'delete',
  'set',
  'values',
  'pragma',
  'vacuum',
  'analyze',
  'join',
  'left',
  'on',
  'as',
  'count',
  'desc',
  'asc',
  'create',
  'table',
  'index',
  'drop',
  'null',
  'is',
]);
const JSON_KEYWORDS = new Set(['true', 'false', 'null']);

const SHELL_LANGS = new Set(['bash', 'sh', 'shell', 'console', 'zsh', 'powershell', 'ps1', 'pwsh', 'cmd']);

interface Rule {
  kind: TokenKind;
  re: RegExp;
}

function rulesFor(lang: string): Rule[] | null {
  const common: Rule[] = [
    { kind: 'placeholder', re: /\{\{\s*[A-Za-z][\w]*\s*\}\}/y },
    { kind: 'string', re: /"(?:[^"\\\n]|\\.)*"|'[^'\n]*'/y },
  ];
  if (SHELL_LANGS.has(lang)) {
    return [
      { kind: 'prompt', re: /(?<=^|\n)\$ /y },
      { kind: 'comment', re: /(?<=^|\s)#[^\n]*/y },
      ...common,
      { kind: 'variable', re: /\$\{[^}\n]*\}|\$[A-Za-z_][\w]*|\$[0-9?#@!$*]/y },
      { kind: 'flag', re: /(?<=\s)--?[A-Za-z][\w-]*/y },
      { kind: 'number', re: /\b\d+(?:\.\d+)?\b/y },
      { kind: 'keyword', re: /[A-Za-z][\w-]*/y },
    ];
  }
  if (lang === 'sql') {
    return [
      { kind: 'comment', re: /--[^\n]*/y },
      ...common,
      { kind: 'number', re: /\b\d+(?:\.\d+)?\b/y },
      { kind: 'keyword', re: /[A-Za-z_]\w*/y },
    ];
  }
  if (lang === 'json' || lang === 'yaml' || lang === 'yml' || lang === 'jsonl') {
    return [
      { kind: 'comment', re: /(?<=^|\s)#[^\n]*/y },
      ...common,
      { kind: 'number', re: /-?\b\d+(?:\.\d+)?(?:e[+-]?\d+)?\b/y },
      { kind: 'keyword', re: /[A-Za-z_]\w*/y },
    ];
  }
  return null;
}

function isKeyword(lang: string, word: string): boolean {
  if (SHELL_LANGS.has(lang)) return SHELL_KEYWORDS.has(word);
  if (lang === 'sql') return SQL_KEYWORDS.has(word.toLowerCase());
  return JSON_KEYWORDS.has(word);
}

/** Split `code` into tokens; unknown languages come back as one text token (placeholders marked). */
export function highlight(code: string, lang: string | null): Token[] {
  const l = (lang ?? '').toLowerCase();
  const rules = rulesFor(l) ?? [{ kind: 'placeholder' as const, re: /\{\{\s*[A-Za-z][\w]*\s*\}\}/y }];
  const out: Token[] = [];
  let text = '';
  const flush = () => {
    if (text) out.push({ kind: 'text', text });
    text = '';
  };
  let i = 0;
  while (i < code.length) {
    let matched = false;
    for (const rule of rules) {
      rule.re.lastIndex = i;
      const m = rule.re.exec(code);
      if (m && m[0].length > 0) {
        flush();
        const kind = rule.kind === 'keyword' && !isKeyword(l, m[0]) ? 'text' : rule.kind;
        out.push({ kind, text: m[0] });
        i += m[0].length;
        matched = true;
        break;
      }
    }
    if (!matched) text += code[i++];
  }
  flush();
  // Merge neighbouring text tokens (words that were not keywords).
  return out.reduce<Token[]>((acc, t) => {
    const last = acc[acc.length - 1];
    if (last && last.kind === 'text' && t.kind === 'text') last.text += t.text;
    else acc.push({ ...t });
    return acc;
  }, []);
}
