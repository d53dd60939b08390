// What an opened bundle refuses: it is evidence, not an install. Steps that read the bundle's
// files run; a step that needs the live API, Redis or this machine's processes and disks is "not
// available in a bundle"; anything that could change something, and the demo's scenario controls,
// are refused. Default-deny: a step runs only when every command word is a known file reader.
import type { CommandClassification } from '../../../shared/command-risk';
import { OpsError } from '../../../shared/errors';

/** Tools that read the bundle's files (logs, the aura.db copy, the redacted config). */
const FILE_READERS = new Set([
  'cat',
  'head',
  'tail',
  'grep',
  'egrep',
  'fgrep',
  'zgrep',
  'zcat',
  'wc',
  'sort',
  'uniq',
  'cut',
  'awk',
  'sed',
  'tr',
  'less',
  'more',
  'ls',
  'stat',
  'file',
  'du',
  'find',
  'jq',
  'sqlite3',
  'column',
  'nl',
  'tac',
  'date',
  'echo',
  'printf',
  'basename',
  'dirname',
  'test',
  '[',
  'true',
  'false',
]);
/** Shell grammar words that start a line or a list item, not a tool. */
const KEYWORDS = new Set([
  'if',
  'then',
  'else',
  'elif',
  'fi',
  'for',
  'in',
  'do',
  'done',
  'while',
  'until',
  '!',
  '{',
  '}',
]);
/** `aura-ops` sub-commands that read files given to them; check, bundle and serve probe this machine. */
const AURA_OPS_FILE_COMMANDS = new Set(['logs', 'db', 'runbooks']);

/**
 * The words of each simple command in `command`: split at unquoted pipes, lists and lines, and at
 * every `$(` or backquote (quoted or not: a substitution runs whatever it holds). Single quotes
 * hide nothing from the split but their own text; assignments and grammar words are skipped.
 */
function commandWords(command: string): string[][] {
  const segs: string[][] = [];
  let words: string[] = [];
  let word = '';
  let quote: "'" | '"' | null = null;
  /** The quoting around each open substitution, restored when it closes. */
  const outer: ("'" | '"' | null)[] = [];
  let inBackquote = false;
  const endWord = (): void => {
    if (word !== '') words.push(word);
    word = '';
  };
  const endSeg = (): void => {
    endWord();
    while (words.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(words[0])) words.shift();
    while (words.length && KEYWORDS.has(words[0])) words.shift();
    if (words.length) segs.push(words);
    words = [];
  };
  for (let i = 0; i < command.length; i++) {
    const c = command[i];
    if (quote === "'") {
      if (c === "'") quote = null;
      else word += c;
      continue;
    }
    if ((c === '$' && command[i + 1] === '(') || (c === '`' && !inBackquote)) {
      // A substitution: what follows is a command of its own, with quoting of its own.
      endSeg();
      outer.push(quote);
      quote = null;
      if (c === '$') i++;
      else inBackquote = true;
      continue;
    }
    if (quote === null && outer.length > 0 && (c === ')' || (c === '`' && inBackquote))) {
      endSeg();
      quote = outer.pop() ?? null;
      if (c === '`') inBackquote = false;
      continue;
    }
    if (quote === '"') {
      if (c === '"') quote = null;
      else if (c === '\\' && i + 1 < command.length) word += command[++i];
      else word += c;
      continue;
    }
    if (c === "'" || c === '"') quote = c;
    else if (c === '\\' && i + 1 < command.length) word += command[++i];
    else if ('|;&\n'.includes(c)) endSeg();
    else if (/\s/.test(c) || c === '(' || c === ')') endWord();
    else word += c;
  }
  endSeg();
  return segs;
}

/**
 * Why `command` cannot run against a bundle, or null when it only reads files. `classification`
 * is the console's read-only verdict for the same text; `apiUrl` is the API the bundle recorded.
 */
export function bundleStepBlock(
  command: string,
  classification: CommandClassification,
  apiUrl: string,
): string | null {
  if (classification.risk !== 'read-only')
    return 'Not available in a bundle: this step can change things, and a bundle is read-only evidence.';
  let host = '';
  try {
    host = new URL(apiUrl).host;
  } catch {
    host = '';
  }
  if ((host && command.includes(host)) || /\b(127\.0\.0\.1|localhost)(:\d+)?\b/.test(command)) {
    return "Not available in a bundle: this step calls Aura's API, which was the customer's and is not here. The bundle's probes show what it answered (as of the bundle's time).";
  }
  for (const words of commandWords(command)) {
    const tool = words[0].split('/').pop() ?? words[0];
    if (tool === 'aura-ops' && AURA_OPS_FILE_COMMANDS.has(words[1] ?? '')) continue;
    if (!FILE_READERS.has(tool)) {
      return `Not available in a bundle: \`${tool}\` looks at the live machine (its processes, disks, network or services), not at the bundle's files. The bundle's probes show what was recorded.`;
    }
  }
  return null;
}

/** Channels a bundle refuses outright: the demo's scenario controls act on a live sandbox. */
const REFUSED_CHANNELS = new Set(['sandbox:set-scenario']);

/**
 * The gate api.ts applies while a bundle is attached; throws OpsError('read-only') with the reason.
 * `classify` is the terminal's read-only classifier.
 */
export async function bundleGate(
  channel: string,
  params: unknown,
  deps: { classify: (c: string) => Promise<CommandClassification>; apiUrl: string },
): Promise<void> {
  if (REFUSED_CHANNELS.has(channel))
    throw new OpsError(
      'read-only',
      'Not available in a bundle: the demo install is not running while a bundle is open.',
    );
  let command: string | null = null;
  const p = params as { command?: unknown; step?: { command?: unknown } };
  if (channel === 'terminal:run' && typeof p.command === 'string') command = p.command;
  if (channel === 'walkthrough:run-step' && typeof p.step?.command === 'string') command = p.step.command;
  if (command === null) return;
  const why = bundleStepBlock(command, await deps.classify(command), deps.apiUrl);
  if (why) throw new OpsError('read-only', why);
}
