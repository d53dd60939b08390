// sqlite3 only reads when it opens the database with -readonly (otherwise closing the last
// connection checkpoints the WAL into aura.db) and every statement is a query: SELECT/VALUES/WITH
// without a writing keyword, PRAGMA in its read form from a known list, and display dot-commands.
// SQL functions that write or run code (writefile, edit, load_extension) ask.
import { REPORTING_PRAGMAS } from '../../../../shared/sqlite-pragmas';
import { parseOptions } from '../options';
import { type ToolRule, shown } from '../types';

/** Pragmas whose read form (`PRAGMA name;`, `PRAGMA name(arg);`, `pragma_name(...)`) only reports. */
const READ_PRAGMAS = new Set([
  ...REPORTING_PRAGMAS,
  // In a one-off sqlite3 shell the read form of a connection setting only reports it.
  'busy_timeout',
  'cache_size',
  'synchronous',
  'locking_mode',
  'temp_store',
  'wal_autocheckpoint',
  'foreign_keys',
  'mmap_size',
]);

/** Keywords that write, attach files or run code; a query holding one asks. */
const WRITING_WORDS = new Set([
  'insert',
  'update',
  'delete',
  'replace',
  'upsert',
  'create',
  'drop',
  'alter',
  'attach',
  'detach',
  'vacuum',
  'reindex',
  'analyze',
  'into',
  'begin',
  'commit',
  'rollback',
  'savepoint',
  'release',
  'returning',
]);

/** Functions of the sqlite3 shell and extensions that write files, start programs or load code. */
const UNSAFE_FUNCTIONS = new Set([
  'writefile',
  'edit',
  'load_extension',
  'fts3_tokenizer',
  'sqlar_compress',
  'sqlar_uncompress',
  'zipfile',
  'shell_exec',
]);

/** Dot-commands that only show something (the output and the settings of this run). */
const SAFE_DOT = new Set([
  '.tables',
  '.table',
  '.schema',
  '.indexes',
  '.indices',
  '.headers',
  '.header',
  '.mode',
  '.dbinfo',
  '.databases',
  '.show',
  '.help',
  '.timer',
  '.width',
  '.separator',
  '.nullvalue',
  '.fullschema',
  '.echo',
  '.bail',
  '.print',
  '.quit',
  '.exit',
  '.dump',
  '.eqp',
  '.changes',
]);

/** Splits SQL into statements at `;` outside quotes, and each statement into lowercased words (quoted identifiers unquoted). */
function statements(sql: string): { words: string[]; text: string }[] {
  const out: { words: string[]; text: string }[] = [];
  let words: string[] = [];
  let start = 0;
  let i = 0;
  const flush = (end: number): void => {
    if (words.length) out.push({ words, text: sql.slice(start, end).trim() });
    words = [];
    start = end + 1;
  };
  while (i < sql.length) {
    const c = sql[i];
    if (c === "'") {
      const j = sql.indexOf("'", i + 1);
      i = j < 0 ? sql.length : j + 1;
      while (sql[i] === "'") i = sql.indexOf("'", i + 1) + 1 || sql.length;
      words.push("'");
      continue;
    }
    if (c === '"' || c === '`' || c === '[') {
      const close = c === '[' ? ']' : c;
      const j = sql.indexOf(close, i + 1);
      words.push(sql.slice(i + 1, j < 0 ? sql.length : j).toLowerCase());
      i = j < 0 ? sql.length : j + 1;
      continue;
    }
    if (c === '-' && sql[i + 1] === '-') {
      const j = sql.indexOf('\n', i);
      i = j < 0 ? sql.length : j + 1;
      continue;
    }
    if (c === '/' && sql[i + 1] === '*') {
      const j = sql.indexOf('*/', i + 2);
      i = j < 0 ? sql.length : j + 2;
      continue;
    }
    if (c === ';') {
      flush(i);
      i++;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(sql.slice(i));
    if (m) {
      words.push(m[0].toLowerCase());
      i += m[0].length;
      continue;
    }
    if (!/\s/.test(c)) words.push(c);
    i++;
  }
  flush(sql.length);
  return out;
}

/** Why one SQL statement may write; null for a query that only reads. */
function sqlProblem(words: string[], text: string): string | null {
  const first = words[0];
  if (first === 'pragma') {
    // PRAGMA [schema.]name [; | (arg)] — never `= value`.
    let k = 1;
    if (words[k + 1] === '.') k += 2;
    const name = words[k];
    if (!READ_PRAGMAS.has(name)) return `PRAGMA ${name ?? ''} is not a pragma known to only read`;
    if (words.includes('=')) return `"${text}" sets a pragma`;
    if (
      name === 'journal_mode' ||
      name === 'locking_mode' ||
      name === 'synchronous' ||
      name === 'auto_vacuum' ||
      name === 'cache_size' ||
      name === 'busy_timeout' ||
      name === 'temp_store' ||
      name === 'wal_autocheckpoint' ||
      name === 'max_page_count' ||
      name === 'foreign_keys' ||
      name === 'mmap_size' ||
      name === 'user_version' ||
      name === 'application_id'
    ) {
      if (words.length > k + 1) return `"${text}" sets a pragma`;
    }
    return null;
  }
  if (!['select', 'values', 'with', 'explain'].includes(first))
    return `${first.toUpperCase()} is not a query`;
  const writing = words.find((w) => WRITING_WORDS.has(w));
  if (writing) return `${writing.toUpperCase()} in "${text}" can change data or write a file`;
  for (let k = 0; k + 1 < words.length; k++) {
    if (words[k + 1] !== '(') continue;
    const fn = words[k];
    if (UNSAFE_FUNCTIONS.has(fn)) return `${fn}() can write files, start programs or load code`;
    if (fn.startsWith('pragma_') && !READ_PRAGMAS.has(fn.slice(7)))
      return `${fn}() is not a pragma known to only read`;
  }
  return null;
}

/** Why a script (SQL and dot-commands, as an argument or a here-doc) may write; empty when it only reads. */
export function sqliteScriptProblems(script: string): string[] {
  const problems: string[] = [];
  let sql = '';
  const flushSql = (): void => {
    for (const s of statements(sql)) {
      const p = sqlProblem(s.words, s.text);
      if (p) problems.push(p);
    }
    sql = '';
  };
  for (const line of script.split('\n')) {
    const t = line.trim();
    // A dot-command is a line of its own once the SQL before it is complete (ends with `;`).
    if (t.startsWith('.') && (sql.trim() === '' || sql.trim().endsWith(';'))) {
      flushSql();
      const cmd = t.split(/\s+/)[0].toLowerCase();
      if (!SAFE_DOT.has(cmd))
        problems.push(
          `the dot-command ${cmd} is not known to only read (.output, .once, .shell, .system, .save, .import write or run)`,
        );
      continue;
    }
    sql += `${line}\n`;
  }
  flushSql();
  return problems;
}

export const sqlite3Rule: ToolRule = (args, ctx) => {
  const p = parseOptions(ctx.name, args, {
    singleDash: true,
    long: [
      '-readonly',
      '-json',
      '-csv',
      '-header',
      '-noheader',
      '-column',
      '-line',
      '-list',
      '-box',
      '-markdown',
      '-table',
      '-tabs',
      '-quote',
      '-html',
      '-bail',
      '-batch',
      '-echo',
      '-safe',
      '-version',
      '-help',
      '-nofollow',
      '--readonly',
      '--json',
      '--csv',
      '--header',
      '--noheader',
      '--safe',
      '--batch',
      '--bail',
      '--version',
    ],
    longValued: ['-separator', '-newline', '-nullvalue', '-cmd'],
  });
  const reasons = [...p.reasons];
  if (p.options.some((o) => o.name === '-cmd')) reasons.push('sqlite3 -cmd runs a command before the others');
  if (p.options.some((o) => o.name === '-version' || o.name === '--version' || o.name === '-help'))
    return reasons;
  if (!p.options.some((o) => o.name === '-readonly' || o.name === '--readonly')) {
    reasons.push('sqlite3 without -readonly opens the database for writing (closing it checkpoints the WAL)');
  }
  const [db, ...sql] = p.operands;
  if (!db) return [...reasons, 'sqlite3 without a database file is interactive'];
  if (db.value === null && db.split)
    reasons.push(`sqlite3: the database ${shown(db)} may split into several words`);
  if (sql.length === 0) {
    if (ctx.stdinText === null)
      return [
        ...reasons,
        'sqlite3 without SQL reads commands from the terminal or a pipe, which cannot be checked',
      ];
    return [...reasons, ...sqliteScriptProblems(ctx.stdinText)];
  }
  for (const s of sql) {
    if (s.value === null) reasons.push(`the SQL ${shown(s)} is only known at run time`);
    else reasons.push(...sqliteScriptProblems(s.value));
  }
  return reasons;
};

export const SQLITE_RULES: Record<string, ToolRule> = { sqlite3: sqlite3Rule };
