// Command risk classifier: tokenizes a POSIX shell command line (quotes, escapes, pipes, lists,
// subshells, here-docs, redirections) and decides whether it only reads or may change something.
// Used before any command is sent to a terminal from elsewhere; unknown commands count as mutating.

export type CommandRisk = 'read-only' | 'mutating';

export interface CommandClassification {
  risk: CommandRisk;
  /** Why it is mutating (one entry per finding); empty when read-only. */
  reasons: string[];
}

/** Nesting limit for $( ), backticks and `sh -c`: deeper input is treated as mutating, not recursed. */
const MAX_DEPTH = 8;

// ---------------------------------------------------------------------------------------------
// Tokenizer

interface WordTok {
  t: 'word';
  v: string;
  raw: string;
}
interface OpTok {
  t: 'op';
  v: string;
}
interface RedirTok {
  t: 'redir';
  v: string;
  fd: string | null;
  /** Here-doc body (filled in when the newline after `<<` is reached). */
  body?: string;
}
type Token = WordTok | OpTok | RedirTok;

const REDIR_OPS = ['<<<', '<<-', '&>>', '<<', '<>', '<&', '>>', '>&', '>|', '&>', '<', '>'];

/** Reads a balanced `( ... )` starting at src[start] === '('; returns the inner text and the index after `)`. */
function readParen(src: string, start: number): { inner: string; end: number } {
  let depth = 0;
  let i = start;
  while (i < src.length) {
    const c = src[i];
    if (c === '\\') {
      i += 2;
      continue;
    }
    if (c === "'") {
      const j = src.indexOf("'", i + 1);
      i = j < 0 ? src.length : j + 1;
      continue;
    }
    if (c === '"') {
      i++;
      while (i < src.length && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
      i++;
      continue;
    }
    if (c === '(') depth++;
    else if (c === ')') {
      depth--;
      if (depth === 0) return { inner: src.slice(start + 1, i), end: i + 1 };
    }
    i++;
  }
  return { inner: src.slice(start + 1), end: src.length };
}

function readBacktick(src: string, start: number): { inner: string; end: number } {
  let i = start + 1;
  let inner = '';
  while (i < src.length && src[i] !== '`') {
    if (src[i] === '\\' && i + 1 < src.length) {
      inner += src[i + 1];
      i += 2;
      continue;
    }
    inner += src[i];
    i++;
  }
  return { inner, end: i + 1 };
}

function ansiC(body: string): string {
  return body.replace(/\\(x[0-9a-fA-F]{1,2}|[nrtae'"\\])/g, (_m, e: string) => {
    if (e[0] === 'x') return String.fromCharCode(parseInt(e.slice(1), 16));
    return (
      (
        { n: '\n', r: '\r', t: '\t', a: '\x07', e: '\x1b', "'": "'", '"': '"', '\\': '\\' } as Record<
          string,
          string
        >
      )[e] ?? e
    );
  });
}

function tokenize(src: string, subs: string[]): Token[] {
  const tokens: Token[] = [];
  const n = src.length;
  let i = 0;
  let word = '';
  let raw = '';
  let inWord = false;
  let heredocNext: RedirTok | null = null;
  const pending: { tok: RedirTok; delim: string; strip: boolean }[] = [];

  const flush = (): void => {
    if (!inWord) return;
    if (heredocNext) {
      pending.push({ tok: heredocNext, delim: word, strip: heredocNext.v === '<<-' });
      heredocNext = null;
    }
    tokens.push({ t: 'word', v: word, raw });
    word = '';
    raw = '';
    inWord = false;
  };

  const readHeredocs = (): void => {
    for (const h of pending) {
      const lines: string[] = [];
      while (i < n) {
        const nl = src.indexOf('\n', i);
        const lineEnd = nl < 0 ? n : nl;
        let line = src.slice(i, lineEnd);
        i = nl < 0 ? n : nl + 1;
        if (h.strip) line = line.replace(/^\t+/, '');
        if (line === h.delim) break;
        lines.push(line);
      }
      h.tok.body = lines.join('\n');
    }
    pending.length = 0;
  };

  while (i < n) {
    const c = src[i];
    if (c === '\\') {
      if (src[i + 1] === '\n') {
        i += 2;
        continue;
      }
      word += src[i + 1] ?? '';
      raw += src.slice(i, i + 2);
      inWord = true;
      i += 2;
      continue;
    }
    if (c === "'") {
      const j = src.indexOf("'", i + 1);
      const end = j < 0 ? n : j;
      word += src.slice(i + 1, end);
      raw += src.slice(i, end + 1);
      inWord = true;
      i = end + 1;
      continue;
    }
    if (c === '$' && src[i + 1] === "'") {
      let j = i + 2;
      while (j < n && src[j] !== "'") j += src[j] === '\\' ? 2 : 1;
      word += ansiC(src.slice(i + 2, j));
      raw += src.slice(i, j + 1);
      inWord = true;
      i = j + 1;
      continue;
    }
    if (c === '"') {
      inWord = true;
      raw += '"';
      i++;
      while (i < n && src[i] !== '"') {
        const d = src[i];
        if (d === '\\' && i + 1 < n && '$`"\\\n'.includes(src[i + 1])) {
          if (src[i + 1] !== '\n') word += src[i + 1];
          raw += src.slice(i, i + 2);
          i += 2;
          continue;
        }
        if (d === '$' && src[i + 1] === '(') {
          const r = readParen(src, i + 1);
          if (src[i + 2] !== '(') subs.push(r.inner);
          word += '$(…)';
          raw += src.slice(i, r.end);
          i = r.end;
          continue;
        }
        if (d === '`') {
          const r = readBacktick(src, i);
          subs.push(r.inner);
          word += '$(…)';
          raw += src.slice(i, r.end);
          i = r.end;
          continue;
        }
        word += d;
        raw += d;
        i++;
      }
      raw += '"';
      i++;
      continue;
    }
    if (c === '$' && src[i + 1] === '(') {
      const r = readParen(src, i + 1);
      if (src[i + 2] !== '(') subs.push(r.inner); // $(( )) is arithmetic, not a command
      word += '$(…)';
      raw += src.slice(i, r.end);
      inWord = true;
      i = r.end;
      continue;
    }
    if (c === '`') {
      const r = readBacktick(src, i);
      subs.push(r.inner);
      word += '$(…)';
      raw += src.slice(i, r.end);
      inWord = true;
      i = r.end;
      continue;
    }
    if ((c === '<' || c === '>') && src[i + 1] === '(' && !inWord) {
      const r = readParen(src, i + 1);
      subs.push(r.inner);
      word += '/dev/fd/63';
      raw += src.slice(i, r.end);
      inWord = true;
      i = r.end;
      continue;
    }
    if (c === '#' && !inWord) {
      while (i < n && src[i] !== '\n') i++;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\r') {
      flush();
      i++;
      continue;
    }
    if (c === '\n') {
      flush();
      tokens.push({ t: 'op', v: '\n' });
      i++;
      if (pending.length) readHeredocs();
      continue;
    }
    if (c === '&' && src[i + 1] === '>') {
      flush();
      const op = src.startsWith('&>>', i) ? '&>>' : '&>';
      tokens.push({ t: 'redir', v: op, fd: null });
      i += op.length;
      continue;
    }
    if (c === ';' || c === '|' || c === '&' || c === '(' || c === ')') {
      flush();
      const two = src.slice(i, i + 2);
      const op = ['||', '&&', ';;', '|&'].includes(two) ? two : c;
      tokens.push({ t: 'op', v: op });
      i += op.length;
      continue;
    }
    if (c === '<' || c === '>') {
      let fd: string | null = null;
      if (inWord && /^\d+$/.test(raw)) {
        fd = word;
        word = '';
        raw = '';
        inWord = false;
      } else flush();
      const op = REDIR_OPS.find((o) => src.startsWith(o, i)) ?? c;
      const tok: RedirTok = { t: 'redir', v: op, fd };
      tokens.push(tok);
      if (op === '<<' || op === '<<-') heredocNext = tok;
      i += op.length;
      continue;
    }
    word += c;
    raw += c;
    inWord = true;
    i++;
  }
  flush();
  if (pending.length) readHeredocs();
  return tokens;
}

// ---------------------------------------------------------------------------------------------
// Structure: pipelines of simple commands

interface Redir {
  op: string;
  fd: string | null;
  target: string | null;
  body: string | null;
}
interface SimpleCommand {
  words: WordTok[];
  redirs: Redir[];
}

function toPipelines(tokens: Token[]): SimpleCommand[][] {
  const pipelines: SimpleCommand[][] = [];
  let pipe: SimpleCommand[] = [];
  let cmd: SimpleCommand = { words: [], redirs: [] };
  const endCmd = (): void => {
    if (cmd.words.length || cmd.redirs.length) pipe.push(cmd);
    cmd = { words: [], redirs: [] };
  };
  const endPipe = (): void => {
    endCmd();
    if (pipe.length) pipelines.push(pipe);
    pipe = [];
  };
  for (let k = 0; k < tokens.length; k++) {
    const tok = tokens[k];
    if (tok.t === 'word') cmd.words.push(tok);
    else if (tok.t === 'redir') {
      const next = tokens[k + 1];
      let target: string | null = null;
      if (next && next.t === 'word') {
        target = next.v;
        k++;
      }
      const body = tok.v === '<<<' ? target : (tok.body ?? null);
      cmd.redirs.push({ op: tok.v, fd: tok.fd, target, body });
    } else if (tok.v === '|' || tok.v === '|&') endCmd();
    else endPipe();
  }
  endPipe();
  return pipelines;
}

// ---------------------------------------------------------------------------------------------
// Rules

interface Stdin {
  /** Text known to arrive on stdin (here-doc, here-string, piped echo), or null when unknown. */
  text: string | null;
  /** True when something feeds stdin (pipe or `<` file or here-doc). */
  fed: boolean;
}

type Rule = (args: string[], stdin: Stdin, depth: number) => string[];

const SAFE_WRITE_TARGETS = /^\/dev\/(null|stdout|stderr|tty|fd\/\d+)$/;

function base(cmd: string): string {
  const s = cmd.lastIndexOf('/');
  return s >= 0 ? cmd.slice(s + 1) : cmd;
}

const ok: string[] = [];

/** Read-only no matter the arguments (they cannot write files by themselves). */
const ALWAYS_READ_ONLY = new Set([
  'cat',
  'tac',
  'yes',
  'tail',
  'head',
  'less',
  'more',
  'grep',
  'egrep',
  'fgrep',
  'rg',
  'zgrep',
  'zcat',
  'bzcat',
  'xzcat',
  'ls',
  'll',
  'dir',
  'df',
  'du',
  'free',
  'ps',
  'pgrep',
  'pidof',
  'uptime',
  'whoami',
  'id',
  'groups',
  'hostname',
  'uname',
  'pwd',
  'echo',
  'printf',
  'date',
  'stat',
  'file',
  'wc',
  'cut',
  'tr',
  'jq',
  'column',
  'nl',
  'od',
  'hexdump',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'sha512sum',
  'cksum',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'which',
  'type',
  'whereis',
  'printenv',
  'lsof',
  'ss',
  'netstat',
  'ping',
  'dig',
  'nslookup',
  'host',
  'test',
  '[',
  '[[',
  'true',
  'false',
  'sleep',
  'seq',
  'tree',
  'locate',
  'clear',
  'man',
  'help',
  'nproc',
  'lscpu',
  'lsblk',
  'getent',
  'last',
  'w',
  'who',
  'vmstat',
  'iostat',
  'mpstat',
  'sensors',
  'nvidia-smi',
  'base64',
  'strings',
  'diff',
  'cmp',
  'comm',
  'cd',
  'pushd',
  'popd',
  'export',
  'alias',
  'history',
  'top',
  'htop',
  'ffprobe',
  'uniq',
  'fold',
  'rev',
  'expand',
  'paste',
  'join',
  'look',
  'tput',
  'stty',
  'tty',
  'locale',
  'env',
  'lsmod',
  'lspci',
  'lsusb',
  'curl-config',
  'pstree',
  'iotop',
  'dmidecode',
  'findmnt',
  'blkid',
  'xxd',
  'wait',
  'jobs',
  'exit',
  'logout',
  'set',
  'shopt',
  'unset',
  'read',
  'dotnet-counters',
  'dotnet-trace-list',
  'traceroute',
  'tracepath',
  'mtr',
  'nc-z',
  'timedatectl-status',
  'hostnamectl-status',
]);

/** Shell keywords that introduce a command (the rest is classified) or carry none. */
const KEYWORD_PREFIX = new Set(['if', 'then', 'else', 'elif', 'do', 'while', 'until', '!', '{', '}', 'time']);
const KEYWORD_ONLY = new Set(['fi', 'done', 'esac', 'for', 'select', 'case', 'in', 'function']);

const SQLITE_READ_PRAGMAS = new Set([
  'quick_check',
  'integrity_check',
  'table_info',
  'table_xinfo',
  'table_list',
  'index_list',
  'index_info',
  'index_xinfo',
  'foreign_key_list',
  'foreign_key_check',
  'journal_mode',
  'user_version',
  'page_count',
  'page_size',
  'freelist_count',
  'database_list',
  'compile_options',
  'schema_version',
  'application_id',
  'encoding',
  'collation_list',
  'function_list',
  'pragma_list',
  'module_list',
  'busy_timeout',
  'synchronous',
  'wal_checkpoint_status',
  'data_version',
  'max_page_count',
  'cache_size',
  'auto_vacuum',
  'foreign_keys',
]);
const SQLITE_READ_DOT = new Set([
  '.tables',
  '.schema',
  '.indexes',
  '.indices',
  '.dbinfo',
  '.headers',
  '.header',
  '.mode',
  '.width',
  '.timer',
  '.help',
  '.show',
  '.databases',
  '.fullschema',
  '.quit',
  '.exit',
  '.echo',
  '.nullvalue',
  '.separator',
  '.bail',
  '.stats',
  '.eqp',
  '.changes',
  '.print',
  '.lint',
  '.dbconfig',
  '.expert',
]);

/** Checks SQL text (statements and dot-commands) against the read-only forms. */
function sqlReasons(sql: string): string[] {
  const reasons: string[] = [];
  const lines = sql.split('\n');
  const statements: string[] = [];
  let buf = '';
  for (const line of lines) {
    const trimmed = line.trim();
    if (trimmed.startsWith('.') && !buf.slice(buf.lastIndexOf(';') + 1).trim()) {
      const dot = trimmed.split(/\s+/)[0].toLowerCase();
      if (!SQLITE_READ_DOT.has(dot)) reasons.push(`sqlite3 ${dot} can write or run things`);
      continue;
    }
    buf += line + '\n';
  }
  // Split on semicolons outside quotes.
  let cur = '';
  let q: string | null = null;
  for (const ch of buf) {
    if (q) {
      if (ch === q) q = null;
    } else if (ch === "'" || ch === '"' || ch === '`') q = ch;
    else if (ch === ';') {
      statements.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  statements.push(cur);
  for (const st of statements) {
    const s = st
      .replace(/--[^\n]*/g, ' ')
      .replace(/\/\*[\s\S]*?\*\//g, ' ')
      .trim();
    if (!s) continue;
    const upper = s.toUpperCase();
    const first = upper.split(/[\s(]+/)[0];
    if (first === 'SELECT' || first === 'VALUES' || first === 'EXPLAIN' || first === 'WITH') {
      const m = /\b(DELETE|UPDATE|INSERT|REPLACE|DROP)\b/.exec(upper.replace(/'[^']*'/g, "''"));
      if (first === 'WITH' && m) reasons.push(`SQL ${m[1]} changes data`);
      continue;
    }
    if (first === 'PRAGMA') {
      const m = /^PRAGMA\s+(?:\w+\.)?(\w+)\s*(=|\()?/i.exec(s);
      const name = m?.[1]?.toLowerCase() ?? '';
      const isSet = m?.[2] === '=';
      const isCall = m?.[2] === '(';
      const readFn = [
        'table_info',
        'table_xinfo',
        'index_list',
        'index_info',
        'index_xinfo',
        'foreign_key_list',
        'foreign_key_check',
        'quick_check',
        'integrity_check',
      ];
      if (!isSet && SQLITE_READ_PRAGMAS.has(name) && (!isCall || readFn.includes(name))) continue;
      reasons.push(`SQL PRAGMA ${name || '?'}${isSet ? ' = …' : ''} can change the database`);
      continue;
    }
    reasons.push(`SQL ${first} changes the database`);
  }
  return reasons;
}

const sqlite3Rule: Rule = (args, stdin) => {
  const valueOpts = new Set([
    '-cmd',
    '-separator',
    '-newline',
    '-nullvalue',
    '-vfs',
    '-mmap',
    '-lookaside',
    '-maxsize',
    '-pagecache',
    '-heap',
    '-escape',
  ]);
  let readonlyFlag = false;
  const sqlParts: string[] = [];
  const reasons: string[] = [];
  const positional: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    const opt = a.startsWith('--') ? a.slice(1) : a;
    if (opt === '-readonly') readonlyFlag = true;
    else if (opt === '-init') {
      reasons.push('sqlite3 -init runs commands from a file');
      k++;
    } else if (opt === '-cmd') sqlParts.push(args[++k] ?? '');
    else if (valueOpts.has(opt)) k++;
    else if (a.startsWith('-') && a !== '-') continue;
    else positional.push(a);
  }
  sqlParts.push(...positional.slice(1));
  const hasSqlArgs = positional.length > 1;
  if (!hasSqlArgs) {
    if (stdin.text !== null) sqlParts.push(stdin.text);
    else if (stdin.fed) reasons.push('sqlite3 reads SQL from stdin that cannot be checked');
    else if (!readonlyFlag) reasons.push('opens an interactive sqlite3 shell that can change the database');
  }
  reasons.push(...sqlReasons(sqlParts.join(';\n')));
  // -readonly opens the file read-only: SQL cannot write, but dot-commands (.output, .shell) still can.
  if (readonlyFlag) return reasons.filter((r) => !r.startsWith('SQL '));
  return reasons;
};

const REDIS_READ = new Set([
  'PING',
  'INFO',
  'GET',
  'MGET',
  'KEYS',
  'SCAN',
  'SSCAN',
  'HSCAN',
  'ZSCAN',
  'TTL',
  'PTTL',
  'DBSIZE',
  'EXISTS',
  'TYPE',
  'STRLEN',
  'HGET',
  'HMGET',
  'HGETALL',
  'HKEYS',
  'HVALS',
  'HLEN',
  'HEXISTS',
  'LLEN',
  'LRANGE',
  'LINDEX',
  'SMEMBERS',
  'SCARD',
  'SISMEMBER',
  'ZRANGE',
  'ZCARD',
  'ZSCORE',
  'ZRANK',
  'TIME',
  'ROLE',
  'LASTSAVE',
  'OBJECT',
  'MONITOR',
  'ECHO',
  'XLEN',
  'XRANGE',
  'XINFO',
  'PUBSUB',
  'COMMAND',
]);
const REDIS_READ_PAIRS = new Set([
  'CONFIG GET',
  'CLIENT LIST',
  'CLIENT INFO',
  'MEMORY USAGE',
  'MEMORY STATS',
  'MEMORY DOCTOR',
  'SLOWLOG GET',
  'SLOWLOG LEN',
  'LATENCY LATEST',
  'LATENCY DOCTOR',
  'LATENCY HISTORY',
  'CLUSTER INFO',
  'CLUSTER NODES',
  'ACL WHOAMI',
]);
const REDIS_READ_MODES = new Set([
  '--scan',
  '--bigkeys',
  '--memkeys',
  '--hotkeys',
  '--stat',
  '--latency',
  '--latency-history',
  '--latency-dist',
  '--intrinsic-latency',
]);

function redisLineReasons(words: string[]): string[] {
  if (!words.length) return ok;
  const cmd = words[0].toUpperCase();
  const pair = `${cmd} ${(words[1] ?? '').toUpperCase()}`;
  if (REDIS_READ.has(cmd) || REDIS_READ_PAIRS.has(pair)) return ok;
  return [`redis-cli ${words.slice(0, cmd.length <= 8 && words[1] ? 2 : 1).join(' ')} changes Redis`];
}

const redisRule: Rule = (args, stdin) => {
  const valueOpts = new Set([
    '-h',
    '-p',
    '-a',
    '-n',
    '-u',
    '-s',
    '-r',
    '-i',
    '-d',
    '-D',
    '-t',
    '--user',
    '--pass',
    '--askpass',
    '--sni',
    '--cacert',
    '--cacertdir',
    '--cert',
    '--key',
    '--pattern',
    '--count',
    '--quoted-pattern',
    '--rdb',
    '--functions-rdb',
    '--eval',
    '--resp2',
    '--resp3',
  ]);
  const positional: string[] = [];
  let readMode = false;
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (REDIS_READ_MODES.has(a)) readMode = true;
    else if (a === '--eval') return ['redis-cli --eval runs a Lua script'];
    else if (a === '--pipe') return ['redis-cli --pipe sends raw commands'];
    else if (valueOpts.has(a)) k++;
    else if (a.startsWith('-') && positional.length === 0) continue;
    else positional.push(a);
  }
  if (positional.length) return redisLineReasons(positional);
  if (readMode) return ok;
  if (stdin.text !== null) {
    return stdin.text
      .split('\n')
      .map((l) => l.trim().split(/\s+/).filter(Boolean))
      .flatMap(redisLineReasons);
  }
  if (stdin.fed) return ['redis-cli reads commands from stdin that cannot be checked'];
  return ['opens an interactive redis-cli that can change Redis'];
};

const curlRule: Rule = (args) => {
  const reasons: string[] = [];
  const writeOutput = (v: string | undefined): void => {
    if (v !== undefined && v !== '-' && !SAFE_WRITE_TARGETS.test(v)) reasons.push(`curl writes to ${v}`);
  };
  const method = (v: string | undefined): void => {
    if (v && !['GET', 'HEAD', 'OPTIONS'].includes(v.toUpperCase()))
      reasons.push(`curl sends an HTTP ${v.toUpperCase()}`);
  };
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a.startsWith('--')) {
      const [name, inline] = a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
      if (name === '--request') method(inline ?? args[++k]);
      else if (/^--(data|data-\w+|form|form-string|json|upload-file)$/.test(name))
        reasons.push(`curl ${name} sends data`);
      else if (name === '--output') writeOutput(inline ?? args[++k]);
      else if (name === '--remote-name' || name === '--remote-name-all' || name === '--output-dir')
        reasons.push(`curl ${name} writes a file`);
      else if (
        [
          '--header',
          '--user',
          '--user-agent',
          '--max-time',
          '--connect-timeout',
          '--cacert',
          '--cert',
          '--key',
          '--proxy',
          '--resolve',
          '--write-out',
          '--retry',
          '--unix-socket',
          '--url',
        ].includes(name) &&
        inline === undefined
      )
        k++;
      continue;
    }
    if (a.startsWith('-') && a.length > 1) {
      for (let j = 1; j < a.length; j++) {
        const f = a[j];
        const rest = a.slice(j + 1);
        if ('XdFToHuAmwEKxe'.includes(f)) {
          const val = rest || args[++k];
          if (f === 'X') method(val);
          else if (f === 'd' || f === 'F' || f === 'T') reasons.push(`curl -${f} sends data`);
          else if (f === 'o') writeOutput(val);
          break;
        }
        if (f === 'O') reasons.push('curl -O writes a file');
      }
    }
  }
  return reasons;
};

const wgetRule: Rule = (args) => {
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '--spider') return ok;
    const m = /^-q?O(.*)$/.exec(a) ?? /^--output-document=?(.*)$/.exec(a);
    if (m) {
      const v = m[1] || args[k + 1];
      if (v === '-' || SAFE_WRITE_TARGETS.test(v ?? '')) return ok;
      return [`wget writes to ${v}`];
    }
    if (a === '--post-data' || a.startsWith('--post-') || a.startsWith('--method'))
      return ['wget sends data'];
  }
  return ['wget saves the download to a file'];
};

const findRule: Rule = (args, _stdin, depth) => {
  const reasons: string[] = [];
  for (let k = 0; k < args.length; k++) {
    const a = args[k];
    if (a === '-delete') reasons.push('find -delete removes files');
    else if (['-exec', '-execdir', '-ok', '-okdir'].includes(a)) {
      const end = args.findIndex((x, j) => j > k && (x === ';' || x === '+'));
      const inner = args.slice(k + 1, end < 0 ? undefined : end).filter((x) => x !== '{}');
      const sub = classifyWords(inner, { text: null, fed: false }, depth + 1);
      if (sub.length) reasons.push(`find ${a} runs: ${sub.join('; ')}`);
      if (end > 0) k = end;
    } else if (/^-f(print|print0|printf|ls)$/.test(a)) reasons.push(`find ${a} writes a file`);
  }
  return reasons;
};

/** A command whose first positional argument (after global options) picks the action. */
function verbRule(
  name: string,
  readVerbs: string[],
  opts: { valueOpts?: string[]; noVerb?: 'read' | 'mutating' } = {},
): Rule {
  const read = new Set(readVerbs);
  const valueOpts = new Set(opts.valueOpts ?? []);
  return (args) => {
    let k = 0;
    while (k < args.length && args[k].startsWith('-')) {
      if (read.has(args[k])) return ok;
      if (valueOpts.has(args[k])) k++;
      k++;
    }
    const verb = args[k];
    if (verb === undefined) return opts.noVerb === 'read' ? ok : [`${name} without a sub-command`];
    if (read.has(verb)) return ok;
    return [`${name} ${verb} changes state`];
  };
}

const systemctlRule = verbRule(
  'systemctl',
  [
    'status',
    'show',
    'cat',
    'list-units',
    'list-unit-files',
    'list-timers',
    'list-sockets',
    'list-dependencies',
    'list-jobs',
    'is-active',
    'is-enabled',
    'is-failed',
    'is-system-running',
    'get-default',
    'help',
    '--version',
    '--help',
  ],
  {
    valueOpts: [
      '-n',
      '--lines',
      '-o',
      '--output',
      '-t',
      '--type',
      '--state',
      '-p',
      '--property',
      '-H',
      '--host',
      '-M',
    ],
    noVerb: 'read',
  },
);

const gitRule: Rule = (args) => {
  const read = new Set([
    'status',
    'log',
    'diff',
    'show',
    'rev-parse',
    'describe',
    'blame',
    'ls-files',
    'ls-tree',
    'shortlog',
    'reflog',
    'grep',
    'cat-file',
    'whatchanged',
    'version',
    'help',
    'config-get',
    'fetch-dry',
  ]);
  let k = 0;
  while (k < args.length && args[k].startsWith('-'))
    k += ['-C', '-c', '--git-dir', '--work-tree'].includes(args[k]) ? 2 : 1;
  const verb = args[k];
  const rest = args.slice(k + 1);
  if (verb === undefined || read.has(verb)) return ok;
  if (
    verb === 'branch' &&
    rest.every((a) => ['-a', '-r', '-v', '-vv', '--list', '--show-current', '-l'].includes(a))
  )
    return ok;
  if (
    verb === 'remote' &&
    (rest.length === 0 || rest[0] === '-v' || rest[0] === 'show' || rest[0] === 'get-url')
  )
    return ok;
  if (verb === 'stash' && (rest[0] === 'list' || rest[0] === 'show')) return ok;
  if (verb === 'tag' && (rest.length === 0 || rest[0] === '-l' || rest[0] === '--list')) return ok;
  if (
    verb === 'config' &&
    (rest.includes('--get') || rest.includes('--list') || rest.includes('-l') || rest.includes('--get-all'))
  )
    return ok;
  return [`git ${verb} changes the repository or working tree`];
};

const DOCKER_READ = new Set([
  'ps',
  'logs',
  'inspect',
  'images',
  'stats',
  'version',
  'info',
  'top',
  'port',
  'events',
  'history',
  'diff',
  'search',
  'ls',
  'list',
  'df',
  'show',
  'config',
  '--version',
  '--help',
  'help',
]);
const DOCKER_MGMT = new Set([
  'container',
  'image',
  'volume',
  'network',
  'system',
  'context',
  'builder',
  'plugin',
  'node',
  'service',
  'stack',
  'secret',
  'config',
  'manifest',
  'buildx',
]);

const composeRule = (prefix: string, args: string[]): string[] => {
  const valueOpts = new Set([
    '-f',
    '--file',
    '-p',
    '--project-name',
    '--project-directory',
    '--env-file',
    '--profile',
    '--ansi',
    '--progress',
    '--parallel',
  ]);
  let k = 0;
  while (k < args.length && args[k].startsWith('-')) k += valueOpts.has(args[k]) ? 2 : 1;
  const verb = args[k];
  if (verb === undefined) return ok;
  if (['ps', 'logs', 'config', 'images', 'top', 'version', 'ls', 'port', 'events', 'help'].includes(verb))
    return ok;
  return [`${prefix} ${verb} changes containers`];
};

const dockerRule: Rule = (args) => {
  let k = 0;
  while (k < args.length && args[k].startsWith('-'))
    k += ['-H', '--host', '--context', '-c', '--config', '-l', '--log-level'].includes(args[k]) ? 2 : 1;
  const verb = args[k];
  if (verb === undefined) return ok;
  if (verb === 'compose') return composeRule('docker compose', args.slice(k + 1));
  if (DOCKER_MGMT.has(verb)) {
    const sub = args.slice(k + 1).find((a) => !a.startsWith('-'));
    if (sub === undefined || DOCKER_READ.has(sub)) return ok;
    return [`docker ${verb} ${sub} changes containers or images`];
  }
  if (DOCKER_READ.has(verb)) return ok;
  return [`docker ${verb} changes containers or images`];
};

const dotnetRule: Rule = (args) => {
  if (args.length === 0) return ok;
  const [a, b, c] = args;
  if (['--info', '--version', '--list-sdks', '--list-runtimes', '--help', '-h', 'help'].includes(a))
    return ok;
  if (a === 'ef') {
    if (
      (b === 'migrations' && (c === 'list' || c === 'has-pending-model-changes')) ||
      (b === 'dbcontext' && (c === 'info' || c === 'list'))
    )
      return ok;
    if (b === 'database' && c === 'update') return ['dotnet ef database update changes the database schema'];
    return [`dotnet ef ${[b, c].filter(Boolean).join(' ')} changes the database or the project`];
  }
  if ((a === 'tool' || a === 'workload') && (b === 'list' || b === 'search')) return ok;
  if (a === 'list' || (a === 'nuget' && b === 'locals' && args.includes('--list'))) return ok;
  if (a === 'dev-certs' && b === 'https' && args.includes('--check')) return ok;
  return [`dotnet ${a} builds, runs or changes things`];
};

function packageRule(name: string, readVerbs: string[]): Rule {
  const read = new Set(readVerbs);
  return (args) => {
    const verb = args.find((a) => !a.startsWith('-')) ?? args[0];
    if (verb === undefined || read.has(verb)) return ok;
    if (name === 'pacman' && /^-(Q|Ss|Si|F)/.test(args[0] ?? '')) return ok;
    return [`package manager: ${name} ${verb}`];
  };
}

const PACKAGE_RULES: Record<string, Rule> = {
  apt: packageRule('apt', ['list', 'show', 'search', 'policy', 'depends', 'rdepends', '--version', 'help']),
  'apt-get': packageRule('apt-get', ['--version', 'check', 'changelog', '--simulate', '-s']),
  'apt-cache': packageRule('apt-cache', [
    'show',
    'search',
    'policy',
    'depends',
    'rdepends',
    'showpkg',
    'stats',
    'madison',
    'pkgnames',
  ]),
  dnf: packageRule('dnf', [
    'list',
    'info',
    'search',
    'repolist',
    'provides',
    'history',
    '--version',
    'check-update',
  ]),
  yum: packageRule('yum', ['list', 'info', 'search', 'repolist', 'provides', 'history', 'check-update']),
  zypper: packageRule('zypper', ['search', 'se', 'info', 'if', 'list-updates', 'lu', 'repos', 'lr']),
  pacman: packageRule('pacman', []),
  apk: packageRule('apk', ['info', 'search', 'list', 'policy', 'stats', '--version']),
  brew: packageRule('brew', [
    'list',
    'ls',
    'info',
    'search',
    'outdated',
    'config',
    'doctor',
    'deps',
    '--version',
  ]),
  snap: packageRule('snap', ['list', 'info', 'find', 'version', 'services', 'changes']),
  flatpak: packageRule('flatpak', ['list', 'info', 'search', 'remotes', 'history']),
  npm: packageRule('npm', [
    'ls',
    'list',
    'view',
    'info',
    'outdated',
    'search',
    'help',
    'doctor',
    'explain',
    'why',
    '--version',
    '-v',
  ]),
  pnpm: packageRule('pnpm', ['ls', 'list', 'outdated', 'why', '--version']),
  yarn: packageRule('yarn', ['list', 'info', 'outdated', 'why', '--version']),
  pip: packageRule('pip', ['list', 'show', 'freeze', 'check', 'search', '--version', 'help']),
  pip3: packageRule('pip3', ['list', 'show', 'freeze', 'check', 'search', '--version', 'help']),
  gem: packageRule('gem', ['list', 'info', 'search', 'query', 'environment', '--version']),
  cargo: packageRule('cargo', ['--version', 'search', 'tree', 'metadata', 'help']),
  dpkg: packageRule('dpkg', [
    '-l',
    '-L',
    '-s',
    '-S',
    '--list',
    '--status',
    '--listfiles',
    '--search',
    '-p',
    '--print-architecture',
    '--version',
  ]),
  rpm: packageRule('rpm', ['-q', '-qa', '-qi', '-ql', '-qf', '--query', '--version']),
  snapd: packageRule('snapd', []),
};

const MUTATING_COMMANDS: Record<string, string> = {
  rm: 'rm removes files',
  rmdir: 'rmdir removes directories',
  mv: 'mv moves or overwrites files',
  cp: 'cp writes files',
  dd: 'dd writes raw data',
  truncate: 'truncate cuts files',
  shred: 'shred destroys files',
  touch: 'touch creates or changes files',
  mkdir: 'mkdir creates directories',
  ln: 'ln creates links',
  install: 'install copies files',
  chmod: 'chmod changes permissions',
  chown: 'chown changes ownership',
  chgrp: 'chgrp changes group ownership',
  chattr: 'chattr changes file attributes',
  kill: 'kill sends signals to processes',
  pkill: 'pkill kills processes',
  killall: 'killall kills processes',
  reboot: 'reboot restarts the machine',
  shutdown: 'shutdown stops the machine',
  halt: 'halt stops the machine',
  poweroff: 'poweroff stops the machine',
  mkfs: 'mkfs formats a disk',
  fdisk: 'fdisk changes partitions',
  parted: 'parted changes partitions',
  umount: 'umount detaches a file system',
  iptables: 'iptables changes the firewall',
  ufw: 'ufw changes the firewall',
  useradd: 'useradd changes users',
  userdel: 'userdel changes users',
  passwd: 'passwd changes passwords',
  crontab: 'crontab changes scheduled jobs',
  eval: 'eval runs arbitrary text',
  source: 'source runs a script in this shell',
  '.': '. runs a script in this shell',
  npx: 'npx downloads and runs a package',
  rsync: 'rsync writes files',
  scp: 'scp copies files',
  unlink: 'unlink removes a file',
  setfacl: 'setfacl changes permissions',
  patch: 'patch edits files',
  'redis-server': 'starts a Redis server',
  ssh: 'ssh runs commands on another machine',
};

const RULES: Record<string, Rule> = {
  ...PACKAGE_RULES,
  sqlite3: sqlite3Rule,
  'redis-cli': redisRule,
  curl: curlRule,
  wget: wgetRule,
  find: findRule,
  systemctl: systemctlRule,
  git: gitRule,
  docker: dockerRule,
  podman: dockerRule,
  'docker-compose': (args) => composeRule('docker-compose', args),
  dotnet: dotnetRule,
  service: (args) =>
    args.includes('status') || args[0] === '--status-all'
      ? ok
      : [`service ${args.join(' ')} changes a service`],
  journalctl: (args) => {
    const bad = args.find((a) => /^--(vacuum|rotate|flush|sync|relinquish|setup-keys)/.test(a));
    return bad ? [`journalctl ${bad} changes the journal`] : ok;
  },
  tee: (args) => {
    const files = args.filter((a) => !a.startsWith('-') && !SAFE_WRITE_TARGETS.test(a));
    return files.length ? [`tee writes to ${files.join(', ')}`] : ok;
  },
  sed: (args) =>
    args.some((a) => a === '-i' || a.startsWith('--in-place') || /^-[a-zA-Z]*i/.test(a))
      ? ['sed -i edits files in place']
      : ok,
  awk: (args) =>
    args.some((a) => /system\s*\(|print[f]?[^|]*>|\|\s*"/.test(a))
      ? ['awk program writes files or runs commands']
      : ok,
  sort: (args) =>
    args.some((a) => a === '-o' || a.startsWith('--output') || /^-[a-zA-Z]*o/.test(a))
      ? ['sort -o writes a file']
      : ok,
  tar: (args) => {
    const first = args[0] ?? '';
    if (/^-?[a-zA-Z]*t/.test(first) || args.includes('--list')) return ok;
    return ['tar creates or extracts files'];
  },
  unzip: (args) =>
    args.includes('-l') || args.includes('-t') || args.includes('-Z') ? ok : ['unzip extracts files'],
  gzip: (args) =>
    args.some((a) => /^-[a-zA-Z]*[cltd]*[lt]/.test(a) || a === '-c' || a === '--list' || a === '--test')
      ? ok
      : ['gzip replaces files'],
  gunzip: (args) =>
    args.includes('-c') || args.includes('-l') || args.includes('-t') ? ok : ['gunzip replaces files'],
  ffmpeg: (args) =>
    args.length === 0 ||
    args.every(
      (a) =>
        /^-(version|h|help|encoders|decoders|codecs|formats|hwaccels|filters|pix_fmts|muxers|demuxers|protocols|buildconf|hide_banner|loglevel|v)$/.test(
          a,
        ) || /^(quiet|error|warning|info)$/.test(a),
    )
      ? ok
      : ['ffmpeg writes an output file'],
  ip: (args) =>
    args.some((a) => ['add', 'del', 'delete', 'set', 'flush', 'change', 'replace', 'append'].includes(a))
      ? [`ip ${args.join(' ')} changes the network`]
      : ok,
  mount: (args) =>
    args.filter((a) => !a.startsWith('-')).length === 0 ? ok : ['mount attaches a file system'],
  dmesg: (args) =>
    args.some((a) => a === '-c' || a === '-C' || a === '--clear' || a === '--read-clear')
      ? ['dmesg -c clears the kernel log']
      : ok,
  kill: (args) => (args[0] === '-l' || args[0] === '-L' ? ok : ['kill sends signals to processes']),
  uniq: (args) => (args.filter((a) => !a.startsWith('-')).length >= 2 ? ['uniq writes its output file'] : ok),
  hostnamectl: (args) =>
    args.length === 0 || args[0] === 'status' ? ok : [`hostnamectl ${args[0]} changes the host`],
  timedatectl: (args) =>
    args.length === 0 || args[0] === 'status' || args[0] === 'show' || args[0] === 'list-timezones'
      ? ok
      : [`timedatectl ${args[0]} changes the clock`],
  sysctl: (args) =>
    args.some((a) => a === '-w' || a === '-p' || a.includes('=')) ? ['sysctl changes kernel settings'] : ok,
  nc: (args) => (args.some((a) => /^-[a-zA-Z]*z/.test(a)) ? ok : ['nc sends data to a socket']),
  openssl: (args) =>
    ['version', 'x509', 's_client', 'ciphers', 'verify'].includes(args[0] ?? '') && !args.includes('-out')
      ? ok
      : ['openssl writes keys or files'],
  'aura-ops': (args) => {
    // The console's own CLI: each sub-command is known, so none falls to "unknown".
    if (args.includes('--help') || args.includes('-h')) return ok;
    const words = args.filter((a) => !a.startsWith('-'));
    const sub = words[0];
    switch (sub) {
      case undefined:
      case 'help':
      case 'check':
      case 'logs':
        return ok;
      case 'db':
        return words.includes('backup') ? ['aura-ops db backup writes a backup file'] : ok;
      case 'runbooks':
        if (words[1] === 'new') return ['aura-ops runbooks new writes a runbook file'];
        return args.includes('--scenario') ? ['aura-ops runbooks test --scenario switches the sandbox scenario'] : ok;
      case 'report':
        return args.includes('--out') ? ['aura-ops report --out writes a file'] : ok;
      case 'terminal':
        return words[1] === 'classify' ? ok : ['aura-ops terminal run runs a command in a shell'];
      case 'sandbox':
        return words[1] === 'scenarios' ? ok : [`aura-ops sandbox ${words[1] ?? ''} changes the demo install`.replace(/ +changes/, ' changes')];
      case 'bundle':
        return ['aura-ops bundle writes a zip file'];
      case 'serve':
        return ['aura-ops serve starts a server that gives a browser a shell'];
      default:
        return [`aura-ops ${sub} is not a known read-only command`];
    }
  },
};

// ---------------------------------------------------------------------------------------------
// Wrappers (sudo, env, nohup, ...) and the per-command decision

/** Option letters of wrapper commands that take a value, so the wrapped command is found. */
const WRAPPERS: Record<string, { valueOpts: string[]; positionalBefore?: number; note?: string }> = {
  sudo: {
    valueOpts: ['-u', '-g', '-h', '-C', '-p', '-U', '-r', '-t', '-D', '-R', '--user', '--group'],
    note: 'runs as root (sudo)',
  },
  doas: { valueOpts: ['-u', '-C'], note: 'runs as root (doas)' },
  nohup: { valueOpts: [] },
  time: { valueOpts: ['-f', '-o'] },
  command: { valueOpts: [] },
  builtin: { valueOpts: [] },
  exec: { valueOpts: ['-a'] },
  nice: { valueOpts: ['-n'] },
  ionice: { valueOpts: ['-c', '-n', '-p'] },
  stdbuf: { valueOpts: ['-i', '-o', '-e'] },
  timeout: { valueOpts: ['-s', '-k', '--signal', '--kill-after'], positionalBefore: 1 },
  watch: { valueOpts: ['-n', '--interval', '-d'] },
  unbuffer: { valueOpts: [] },
  setsid: { valueOpts: [] },
  chronic: { valueOpts: [] },
  strace: { valueOpts: ['-e', '-o', '-p', '-s'] },
  xargs: {
    valueOpts: [
      '-I',
      '-n',
      '-P',
      '-d',
      '-L',
      '-s',
      '-E',
      '-a',
      '--max-args',
      '--max-procs',
      '--delimiter',
      '--arg-file',
    ],
  },
};

function isAssignment(raw: string): boolean {
  return /^[A-Za-z_][A-Za-z0-9_]*(\[[^\]]*\])?\+?=/.test(raw);
}

/** Reasons for one simple command given as words; empty means read-only. */
function classifyWords(words: string[], stdin: Stdin, depth: number, raws?: string[]): string[] {
  let args = words.slice();
  let rawArgs = raws ? raws.slice() : words.slice();
  const notes: string[] = [];
  // VAR=value prefixes only set the environment of the command.
  while (args.length && isAssignment(rawArgs[0])) {
    args = args.slice(1);
    rawArgs = rawArgs.slice(1);
  }
  for (let guard = 0; guard < 16 && args.length; guard++) {
    const name = base(args[0]);
    if (KEYWORD_ONLY.has(name)) return ok;
    if (KEYWORD_PREFIX.has(name)) {
      args = args.slice(1);
      rawArgs = rawArgs.slice(1);
      continue;
    }
    if (name === 'env') {
      let k = 1;
      while (k < args.length) {
        if (args[k] === '-u' || args[k] === '-C' || args[k] === '--unset' || args[k] === '--chdir') k += 2;
        else if (args[k] === '-S' || args[k] === '--split-string') {
          return classifyText(args[k + 1] ?? '', depth + 1);
        } else if (args[k].startsWith('-')) k++;
        else if (isAssignment(args[k])) k++;
        else break;
      }
      if (k >= args.length) return ok; // plain `env` prints the environment
      args = args.slice(k);
      rawArgs = args.slice();
      continue;
    }
    if (name === 'command' && (args[1] === '-v' || args[1] === '-V')) return ok;
    const wrap = WRAPPERS[name];
    if (wrap) {
      let k = 1;
      let positionals = wrap.positionalBefore ?? 0;
      while (k < args.length) {
        const a = args[k];
        if (a === '--') {
          k++;
          break;
        }
        if (wrap.valueOpts.includes(a)) k += 2;
        else if (a.startsWith('-') && a.length > 1) k++;
        else if (positionals > 0) {
          positionals--;
          k++;
        } else break;
      }
      if (k >= args.length) return ok; // `xargs` alone runs echo; `sudo -v`, bare `time`
      if (wrap.note) notes.push(wrap.note);
      args = args.slice(k);
      rawArgs = args.slice();
      continue;
    }
    break;
  }
  if (!args.length) return ok;
  const name = base(args[0]);
  const rest = args.slice(1);

  if (name.includes('$(…)') || name.startsWith('$'))
    return [`the command name "${args[0]}" is only known at run time`];

  if (['bash', 'sh', 'zsh', 'dash', 'ksh', 'fish'].includes(name)) {
    const c = rest.findIndex((a) => a === '-c' || /^-[a-zA-Z]*c$/.test(a));
    if (c >= 0) {
      if (depth >= MAX_DEPTH) return ['command nesting is too deep to check'];
      return classifyText(rest[c + 1] ?? '', depth + 1);
    }
    if (rest.length === 0 && stdin.text !== null) return classifyText(stdin.text, depth + 1);
    return [
      `${name} ${rest.length ? `runs the script ${rest[0]}` : 'starts a shell that reads unchecked commands'}`,
    ];
  }

  const rule = RULES[name];
  if (rule) {
    const r = rule(rest, stdin, depth);
    return r.length ? [...notes, ...r] : ok;
  }
  const fixed = MUTATING_COMMANDS[name];
  if (fixed) return [...notes, fixed];
  if (ALWAYS_READ_ONLY.has(name)) return ok;
  return [...notes, `unknown command "${name}" (not on the read-only list)`];
}

function classifyText(text: string, depth: number): string[] {
  if (depth > MAX_DEPTH) return ['command nesting is too deep to check'];
  const subs: string[] = [];
  const tokens = tokenize(text, subs);
  const reasons: string[] = [];
  for (const pipeline of toPipelines(tokens)) {
    let prevEchoText: string | null = null;
    pipeline.forEach((cmd, idx) => {
      for (const r of cmd.redirs) {
        const writes =
          ['>', '>>', '>|', '&>', '&>>', '<>'].includes(r.op) ||
          (r.op === '>&' && r.target !== null && !/^(\d+|-)$/.test(r.target));
        if (writes && !(r.target && SAFE_WRITE_TARGETS.test(r.target))) {
          reasons.push(`writes to ${r.target ?? '?'} (${r.fd ?? ''}${r.op})`);
        }
      }
      const docRedir = cmd.redirs.find((r) => r.op === '<<' || r.op === '<<-' || r.op === '<<<');
      const fileIn = cmd.redirs.some((r) => r.op === '<' || r.op === '<&');
      const stdin: Stdin = docRedir
        ? { text: docRedir.body ?? '', fed: true }
        : fileIn
          ? { text: null, fed: true }
          : idx > 0
            ? { text: prevEchoText, fed: true }
            : { text: null, fed: false };
      const words = cmd.words.map((w) => w.v);
      const raws = cmd.words.map((w) => w.raw);
      reasons.push(...classifyWords(words, stdin, depth, raws));
      const first = words.find((w, k) => !isAssignment(raws[k]));
      prevEchoText =
        first === 'echo' || first === 'printf'
          ? words
              .slice(words.indexOf(first) + 1)
              .filter((w) => !/^-[neE]+$/.test(w))
              .join(' ')
              .replace(/\\n/g, '\n')
          : null;
    });
  }
  for (const s of subs) reasons.push(...classifyText(s, depth + 1));
  return reasons;
}

/** Classifies a shell command line: read-only only when every part of it is known to only read. */
export function classifyCommand(text: string): CommandClassification {
  const reasons = [...new Set(classifyText(text, 0))];
  return { risk: reasons.length ? 'mutating' : 'read-only', reasons };
}
