// The review workflow's names and shapes and its line diff, without YAML or the parser, for the
// contract and the renderer; the rest of the logic is in review.ts.

/** The handbook's review process, in order: draft, test in staging, peer review, approval, publish. */
export const REVIEW_STATUSES = ['draft', 'tested', 'reviewed', 'approved', 'published'] as const;
export type ReviewStatus = (typeof REVIEW_STATUSES)[number];

/** What one sandbox scenario gave when the runbook's checked steps ran in it. */
export interface ScenarioOutcome {
  pass: number;
  fail: number;
  skipped: number;
}

export interface LastTested {
  /** yyyy-mm-dd */
  date: string;
  scenarios: string[];
  outcomes: Record<string, ScenarioOutcome>;
}

export interface ReviewMeta {
  status: ReviewStatus | null;
  owner: string | null;
  reviewedBy: string | null;
  approvedBy: string | null;
  /** yyyy-mm-dd of the approval. */
  approvedAt: string | null;
  publishedAt: string | null;
  lastTested: LastTested | null;
  /** A draft revision: the runbook it revises (path in its folder) and the session it came from. */
  revisionOf: string | null;
  session: string | null;
  /** Front-matter values that could not be read, each as a sentence. */
  problems: string[];
}

export interface DiffLine {
  op: 'same' | 'add' | 'del';
  text: string;
}

/** Past this many lines on each side the diff is not aligned (the LCS table would be too big). */
export const MAX_DIFF_LINES = 4000;

/** A line diff (longest common subsequence), for "what changed since approval" and the revision view. */
export function lineDiff(before: string, after: string): DiffLine[] {
  const a = before.split('\n');
  const b = after.split('\n');
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let endA = a.length;
  let endB = b.length;
  while (endA > start && endB > start && a[endA - 1] === b[endB - 1]) {
    endA--;
    endB--;
  }
  const head: DiffLine[] = a.slice(0, start).map((t) => ({ op: 'same', text: t }));
  const tail: DiffLine[] = a.slice(endA).map((t) => ({ op: 'same', text: t }));
  const ma = a.slice(start, endA);
  const mb = b.slice(start, endB);
  if (ma.length > MAX_DIFF_LINES || mb.length > MAX_DIFF_LINES) {
    return [
      ...head,
      ...ma.map((t): DiffLine => ({ op: 'del', text: t })),
      ...mb.map((t): DiffLine => ({ op: 'add', text: t })),
      ...tail,
    ];
  }
  const n = ma.length;
  const m = mb.length;
  const lcs: Uint32Array[] = Array.from({ length: n + 1 }, () => new Uint32Array(m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--)
      lcs[i][j] = ma[i] === mb[j] ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
  }
  const mid: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (ma[i] === mb[j]) {
      mid.push({ op: 'same', text: ma[i] });
      i++;
      j++;
    } else if (lcs[i + 1][j] >= lcs[i][j + 1]) mid.push({ op: 'del', text: ma[i++] });
    else mid.push({ op: 'add', text: mb[j++] });
  }
  while (i < n) mid.push({ op: 'del', text: ma[i++] });
  while (j < m) mid.push({ op: 'add', text: mb[j++] });
  return [...head, ...mid, ...tail];
}
