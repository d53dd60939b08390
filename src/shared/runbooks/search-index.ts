// A small inverted index for the runbook library: prefix search over titles, symptoms (and tags)
// and bodies, ranked title > symptoms > body, every query word must match. Pure and in-memory.

export type SearchField = 'title' | 'symptoms' | 'body';

/** A title hit outranks a symptom hit, which outranks a body hit. */
const FIELD_WEIGHT: Record<SearchField, number> = { title: 10, symptoms: 4, body: 1 };
/** A word that only starts with the query word counts for less than the whole word. */
const PREFIX_FACTOR = 0.6;
/** Query words shorter than this match whole words only (a 1-letter prefix matches everything). */
const MIN_PREFIX_LENGTH = 2;
const SNIPPET_CHARS = 160;

export interface SearchDoc {
  id: string;
  title: string;
  symptoms: string[];
  tags: string[];
  body: string;
}

export interface SearchHit {
  id: string;
  score: number;
  fields: SearchField[];
  snippet: string;
}

export function tokenize(text: string): string[] {
  return (
    text
      .toLowerCase()
      .match(/[\p{L}\p{N}]+(?:[._-][\p{L}\p{N}]+)*/gu)
      ?.flatMap((t) => {
        const parts = t.split(/[._-]/);
        return parts.length > 1 ? [t, ...parts] : [t];
      }) ?? []
  );
}

interface Posting {
  /** Term frequency per field. */
  tf: Record<SearchField, number>;
}

export class SearchIndex {
  private readonly postings = new Map<string, Map<string, Posting>>();
  private readonly docs = new Map<string, SearchDoc>();
  private sortedTerms: string[] | null = null;
  /** Lower-cased bodies for snippets, filled on first use. */
  private readonly lowerBodies = new Map<string, string>();

  get size(): number {
    return this.docs.size;
  }

  add(doc: SearchDoc): void {
    if (this.docs.has(doc.id)) this.remove(doc.id);
    this.docs.set(doc.id, doc);
    const fields: [SearchField, string][] = [
      ['title', doc.title],
      ['symptoms', [...doc.symptoms, ...doc.tags].join('\n')],
      ['body', doc.body],
    ];
    for (const [field, text] of fields) {
      for (const term of tokenize(text)) {
        let byDoc = this.postings.get(term);
        if (!byDoc) {
          byDoc = new Map();
          this.postings.set(term, byDoc);
          this.sortedTerms = null;
        }
        let p = byDoc.get(doc.id);
        if (!p) {
          p = { tf: { title: 0, symptoms: 0, body: 0 } };
          byDoc.set(doc.id, p);
        }
        p.tf[field]++;
      }
    }
  }

  remove(id: string): void {
    if (!this.docs.delete(id)) return;
    this.lowerBodies.delete(id);
    for (const [term, byDoc] of this.postings) {
      if (byDoc.delete(id) && byDoc.size === 0) {
        this.postings.delete(term);
        this.sortedTerms = null;
      }
    }
  }

  private termsWithPrefix(prefix: string): string[] {
    this.sortedTerms ??= [...this.postings.keys()].sort();
    const terms = this.sortedTerms;
    let lo = 0;
    let hi = terms.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (terms[mid] < prefix) lo = mid + 1;
      else hi = mid;
    }
    const out: string[] = [];
    for (let i = lo; i < terms.length && terms[i].startsWith(prefix); i++) out.push(terms[i]);
    return out;
  }

  search(query: string, limit = 20): SearchHit[] {
    const words = [...new Set(tokenize(query))];
    if (words.length === 0) return [];
    const n = this.docs.size;
    let acc: Map<string, { score: number; fields: Set<SearchField> }> | null = null;
    for (const word of words) {
      const terms =
        word.length >= MIN_PREFIX_LENGTH ? this.termsWithPrefix(word) : this.postings.has(word) ? [word] : [];
      const perDoc = new Map<string, { score: number; fields: Set<SearchField> }>();
      for (const term of terms) {
        const byDoc = this.postings.get(term);
        if (!byDoc) continue;
        const idf = Math.log(1 + n / byDoc.size);
        const factor = term === word ? 1 : PREFIX_FACTOR;
        for (const [id, p] of byDoc) {
          let s = 0;
          const hitFields: SearchField[] = [];
          for (const f of ['title', 'symptoms', 'body'] as const) {
            if (p.tf[f] > 0) {
              s += FIELD_WEIGHT[f] * (1 + Math.log(p.tf[f]));
              hitFields.push(f);
            }
          }
          const cur = perDoc.get(id) ?? { score: 0, fields: new Set<SearchField>() };
          cur.score = Math.max(cur.score, s * idf * factor);
          for (const f of hitFields) cur.fields.add(f);
          perDoc.set(id, cur);
        }
      }
      if (acc === null) acc = perDoc;
      else {
        const next = new Map<string, { score: number; fields: Set<SearchField> }>();
        for (const [id, v] of acc) {
          const w = perDoc.get(id);
          if (w) next.set(id, { score: v.score + w.score, fields: new Set([...v.fields, ...w.fields]) });
        }
        acc = next;
      }
      if (acc.size === 0) return [];
    }
    const hits = [...(acc ?? new Map<string, { score: number; fields: Set<SearchField> }>()).entries()]
      .map(([id, v]) => ({
        id,
        score: Math.round(v.score * 1000) / 1000,
        fields: [...v.fields],
        snippet: '',
      }))
      .sort((a, b) => b.score - a.score || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
      .slice(0, limit);
    for (const h of hits) h.snippet = this.snippet(h.id, words);
    return hits;
  }

  private snippet(id: string, words: string[]): string {
    const doc = this.docs.get(id);
    if (!doc) return '';
    const symptom = doc.symptoms.find((l) => words.some((w) => l.toLowerCase().includes(w)));
    let text = symptom ?? '';
    if (!symptom) {
      let lower = this.lowerBodies.get(id);
      if (lower === undefined) {
        lower = doc.body.toLowerCase();
        this.lowerBodies.set(id, lower);
      }
      const at = Math.min(
        ...words.map((w) => {
          const i = lower.indexOf(w);
          return i < 0 ? Infinity : i;
        }),
      );
      if (Number.isFinite(at)) {
        // The line around the first hit, at most a window of SNIPPET_CHARS around it.
        const lineStart = Math.max(doc.body.lastIndexOf('\n', at) + 1, at - SNIPPET_CHARS / 2);
        const nl = doc.body.indexOf('\n', at);
        const lineEnd = Math.min(nl < 0 ? doc.body.length : nl, lineStart + SNIPPET_CHARS * 2);
        text = doc.body.slice(lineStart, lineEnd);
      } else text = doc.symptoms[0] ?? '';
    }
    text = text
      .replace(/[#*`>|]/g, '')
      .replace(/\s+/g, ' ')
      .trim();
    return text.length > SNIPPET_CHARS ? `${text.slice(0, SNIPPET_CHARS - 1)}…` : text;
  }
}
