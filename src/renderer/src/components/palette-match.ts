// Fuzzy, ranked matching for the command palette: every query word must match some field of an
// entry, as a whole word, a word start, word starts run together ("newterm") or a subsequence.
// Pure, so the ranking is unit-tested without a browser.

/** How well one query word matched one word of a field, best first. */
const MATCH = {
  exact: 1,
  prefix: 0.85,
  /** The query word is spread over the starts of consecutive words: "newterm" → "new terminal". */
  acrossWords: 0.75,
  /** Letters of one word in order, starting with its first: "bak" → "back". */
  inWord: 0.55,
  /** Letters in order anywhere in the field: the weakest match that still counts. */
  subsequence: 0.25,
} as const;

/** A title hit counts more than a keyword, a keyword more than a symptom or a detail line. */
export const FIELD_WEIGHT = { title: 1, keywords: 0.9, symptoms: 0.7, detail: 0.45 } as const;
export type MatchField = keyof typeof FIELD_WEIGHT;

/** Query words longer than this are not tried as a loose subsequence (too many false hits). */
const SUBSEQUENCE_MIN_CHARS = 3;

export interface Matchable {
  title: string;
  keywords?: readonly string[];
  symptoms?: readonly string[];
  detail?: string;
}

/** Lower-case words of a text: letters and digits, split at anything else and at camelCase humps. */
export function words(text: string): string[] {
  return (
    text
      .replace(/([a-z])([A-Z])/g, '$1 $2')
      .toLowerCase()
      .match(/[\p{L}\p{N}]+/gu) ?? []
  );
}

function isSubsequence(needle: string, hay: string): boolean {
  let i = 0;
  for (let j = 0; j < hay.length && i < needle.length; j++) if (hay[j] === needle[i]) i++;
  return i === needle.length;
}

/**
 * Can `q` be cut into pieces, each a prefix of the next word, starting at word `from`? Memoised on
 * (position in q, word), so a long query against many look-alike words stays polynomial.
 */
function acrossWords(q: string, ws: string[], from: number): boolean {
  const memo = new Map<number, boolean>();
  const go = (pos: number, wi: number): boolean => {
    if (pos === q.length) return true;
    const w = ws[wi];
    if (!w) return false;
    const key = pos * (ws.length + 1) + wi;
    const seen = memo.get(key);
    if (seen !== undefined) return seen;
    let ok = false;
    for (let n = Math.min(w.length, q.length - pos); n >= 1 && !ok; n--) {
      if (q.startsWith(w.slice(0, n), pos) && go(pos + n, wi + 1)) ok = true;
    }
    memo.set(key, ok);
    return ok;
  };
  return go(0, from);
}

/**
 * The best score of one query word against one field's text (0 when it does not match). `loose`
 * allows the scattered-letters match, which only a short text like a title can take without
 * matching nearly every query (a long description holds the letters of almost any word).
 */
export function matchWord(q: string, text: string, loose = true): number {
  const ws = words(text);
  if (ws.length === 0 || q.length === 0) return 0;
  if (ws.includes(q)) return MATCH.exact;
  if (ws.some((w) => w.startsWith(q))) return MATCH.prefix;
  for (let i = 0; i < ws.length; i++)
    if (ws[i]![0] === q[0] && acrossWords(q, ws, i)) return MATCH.acrossWords;
  if (ws.some((w) => w[0] === q[0] && isSubsequence(q, w))) return MATCH.inWord;
  if (loose && q.length >= SUBSEQUENCE_MIN_CHARS && isSubsequence(q, ws.join(''))) return MATCH.subsequence;
  return 0;
}

function fieldTexts(e: Matchable): [MatchField, string][] {
  const out: [MatchField, string][] = [['title', e.title]];
  if (e.keywords?.length) out.push(['keywords', e.keywords.join(' ')]);
  for (const s of e.symptoms ?? []) out.push(['symptoms', s]);
  if (e.detail) out.push(['detail', e.detail]);
  return out;
}

/**
 * The entry's score for a query (higher is better), or null when some query word matches nothing.
 * An empty query matches everything with score 0. The whole query with its spaces removed is also
 * tried against the title, so "new term" and "newterm" find the same thing.
 */
export function scoreEntry(query: string, e: Matchable): number | null {
  const qs = words(query);
  if (qs.length === 0) return 0;
  const fields = fieldTexts(e);
  let total = 0;
  for (const q of qs) {
    let best = 0;
    for (const [f, text] of fields)
      best = Math.max(best, matchWord(q, text, f === 'title') * FIELD_WEIGHT[f]);
    if (best === 0) {
      total = -1;
      break;
    }
    total += best;
  }
  const joined = qs.join('');
  const whole = qs.length > 1 ? matchWord(joined, e.title) : 0;
  if (total < 0) return whole > 0 ? whole : null;
  return Math.max(total / qs.length, whole);
}

export interface Ranked<T> {
  item: T;
  score: number;
}

/**
 * Entries that match, best first; equal scores keep the shorter title first (the general command
 * before its variants: "Switch scenario…" before "Switch scenario: API down"), then input order.
 */
export function rank<T extends Matchable>(
  query: string,
  entries: readonly T[],
  boost: (e: T) => number = () => 0,
): Ranked<T>[] {
  const out: (Ranked<T> & { i: number })[] = [];
  entries.forEach((item, i) => {
    const s = scoreEntry(query, item);
    if (s !== null) out.push({ item, score: s === 0 && words(query).length === 0 ? 0 : s + boost(item), i });
  });
  if (words(query).length === 0) return out;
  return out
    .sort((a, b) => b.score - a.score || a.item.title.length - b.item.title.length || a.i - b.i)
    .map(({ item, score }) => ({ item, score }));
}
