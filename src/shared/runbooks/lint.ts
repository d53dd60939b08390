// Lint a parsed runbook against the handbook's standards: a clear title, the six sections in
// order, numbered or imperative steps under Resolution, fenced code with a language, a review
// within a quarter, links that resolve. Pure: file existence comes in through the context.
import { slugify } from './paths';
import { lintReview } from './review';
import { SECTION_NAMES, type LintProblem, type ParsedRunbook, type ProblemSeverity } from './types';
import { LIVE_LOG_VARIABLES } from './variables';

/** The handbook asks for a quarterly review. */
export const REVIEW_MAX_AGE_DAYS = 90;
const DAY_MS = 24 * 60 * 60 * 1000;
/** A log file named by today's date in a command (`aura-api-{{today}}.log`); group 1 is the family prefix. */
const TODAY_LOG_RE = /([a-z][a-z-]*)?-\{\{\s*today\s*\}\}\.log\b/;
/** Titles that say nothing about the problem or task. */
const VAGUE_TITLES = new Set(['runbook', 'untitled', 'todo', 'draft', 'notes', 'new runbook', 'readme']);
/** Openings that make a step advice instead of an action ("You should...", "Maybe..."). */
const NON_IMPERATIVE_OPENINGS =
  /^(you|we|the operator|operators?|maybe|perhaps|possibly|it|this|there|one should)\b/i;

export interface LintContext {
  /** Reference date for the review rule (injectable for tests). */
  now: Date;
  /** Does a link target (posix path relative to the library folder root) exist? */
  exists(target: string): boolean;
  /** Heading slugs of a target runbook, to check #fragments; null when unknown (not checked). */
  slugsOf?(target: string): string[] | null;
  /** A category the library knows from elsewhere (the folder index lists the file under it). */
  categoryOf?(file: string): string | null;
}

/** Age in whole days of a yyyy-mm-dd date relative to `now` (UTC calendar days). */
export function reviewAgeDays(lastReviewed: string, now: Date): number {
  const [y, m, d] = lastReviewed.split('-').map(Number);
  const reviewed = Date.UTC(y, m - 1, d);
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  return Math.floor((today - reviewed) / DAY_MS);
}

export function isStale(lastReviewed: string | null, now: Date): boolean {
  return lastReviewed === null || reviewAgeDays(lastReviewed, now) > REVIEW_MAX_AGE_DAYS;
}

/** GitHub also accepts a fragment as written, so compare both raw and slugged forms. */
function fragmentMatches(fragment: string, slugs: string[]): boolean {
  let decoded = fragment;
  try {
    decoded = decodeURIComponent(fragment);
  } catch {
    // A malformed escape cannot match a heading; compare it as written.
    decoded = fragment;
  }
  const f = decoded.toLowerCase();
  return slugs.includes(f) || slugs.includes(slugify(decoded));
}

export function lintRunbook(doc: ParsedRunbook, ctx: LintContext): LintProblem[] {
  const out: LintProblem[] = [];
  const add = (line: number, severity: ProblemSeverity, rule: string, message: string) =>
    out.push({ file: doc.file, line, severity, rule, message });
  const titleLine = doc.headings.find((h) => h.depth === 1)?.line ?? 1;

  for (const p of doc.problems) add(p.line, p.severity, p.rule, p.message);

  // A clear title.
  const title = doc.meta.title?.trim() ?? '';
  if (!title)
    add(
      1,
      'error',
      'title',
      'No title: add a "# Title" heading or a title in the front matter that names the problem or task.',
    );
  else if (title.length < 4 || VAGUE_TITLES.has(title.toLowerCase())) {
    add(
      titleLine,
      'warning',
      'title',
      `Title "${title}" is vague: describe the problem or task (e.g. "Database Issues").`,
    );
  }

  // Links that resolve (runbooks and indexes alike).
  const ownSlugs = doc.headings.map((h) => h.slug);
  for (const link of doc.links) {
    if (link.kind === 'runbook' && link.target !== null) {
      if (link.target.startsWith('..') || !ctx.exists(link.target)) {
        add(
          link.line,
          'error',
          'link',
          `Link "${link.href}" does not resolve to a runbook in this library: fix the path or remove the link.`,
        );
        continue;
      }
      const slugs = link.fragment ? (ctx.slugsOf?.(link.target) ?? null) : null;
      if (link.fragment && slugs && !fragmentMatches(link.fragment, slugs)) {
        add(
          link.line,
          'warning',
          'link',
          `Link "${link.href}": ${link.target} has no heading "#${link.fragment}".`,
        );
      }
    } else if (link.kind === 'anchor' && link.fragment && !fragmentMatches(link.fragment, ownSlugs)) {
      add(
        link.line,
        'warning',
        'link',
        `Link "${link.href}": this document has no heading "#${link.fragment}".`,
      );
    }
  }

  // Code fences with a language.
  for (const block of doc.codeBlocks) {
    if (block.lang === null) {
      add(
        block.line,
        'error',
        'code-lang',
        'Code block without a language: name it (```bash for commands, ```text for output, ```json, ```sql, ...).',
      );
    }
  }

  // The live log by its variable: `-{{today}}.log` is only the day's first file (FACTS §2.2 size rolls).
  for (const step of doc.steps) {
    const m = TODAY_LOG_RE.exec(step.code);
    if (!m) continue;
    const prefix = m[1] ?? '';
    const variable = Object.prototype.hasOwnProperty.call(LIVE_LOG_VARIABLES, prefix)
      ? LIVE_LOG_VARIABLES[prefix]
      : null;
    const fix = variable
      ? `use {{${variable}}} (bare: the console quotes it)`
      : `use the family's live-log variable (${Object.values(LIVE_LOG_VARIABLES)
          .map((v) => `{{${v}}}`)
          .join(', ')})`;
    add(
      step.line,
      'warning',
      'live-log',
      `"${m[0]}" is the day's first file only; once the day rolls at size the live file is _001, _002...: ${fix}.`,
    );
  }

  if (doc.kind === 'index') return sortProblems(out);

  // The six sections, in order.
  const found = new Map(doc.sections.map((s) => [s.name, s]));
  for (const name of SECTION_NAMES) {
    if (!found.has(name))
      add(
        titleLine,
        'error',
        'sections',
        `Missing section "${name}": the handbook's format has Overview, Symptoms, Diagnosis, Resolution, Prevention, References.`,
      );
  }
  const order = doc.sections.map((s) => SECTION_NAMES.indexOf(s.name));
  doc.sections.forEach((s, i) => {
    if (i > 0 && order[i] < order[i - 1])
      add(
        s.line,
        'warning',
        'section-order',
        `Section "${s.name}" comes after "${doc.sections[i - 1].name}": keep the handbook's order.`,
      );
  });

  // Numbered or imperative steps under Resolution.
  const res = found.get('Resolution');
  if (res) {
    const inRes = (line: number) => line > res.line && line <= res.endLine;
    const lists = doc.lists.filter((l) => inRes(l.line));
    const stepHeadings = doc.headings.filter((h) => inRes(h.line) && h.depth > res.depth);
    const hasNumbered = lists.some((l) => l.ordered);
    const bulletItems = lists
      .filter((l) => !l.ordered)
      .flatMap((l) => l.items)
      .filter((t) => !/^\[[ xX]\]/.test(t));
    const imperativeBullets = bulletItems.filter((t) => t && !NON_IMPERATIVE_OPENINGS.test(t));
    if (!hasNumbered && stepHeadings.length === 0 && imperativeBullets.length === 0) {
      add(
        res.line,
        'error',
        'resolution-steps',
        'Resolution has no steps: write them as a numbered list of actions ("1. Stop the API").',
      );
    }
    for (const l of lists) {
      for (const item of l.items) {
        if (NON_IMPERATIVE_OPENINGS.test(item)) {
          add(
            l.line,
            'warning',
            'imperative',
            `Step "${item.slice(0, 50)}" is not an action: start with an imperative verb ("Restart", "Check").`,
          );
        }
      }
    }
  }

  // Metadata the library browses by.
  if (!doc.meta.category && !ctx.categoryOf?.(doc.file))
    add(
      1,
      'warning',
      'category',
      'No category: add "category: System Operations | Incident Response | Maintenance" to the front matter.',
    );

  // Reviewed within a quarter.
  if (!doc.meta.lastReviewed) {
    add(1, 'warning', 'last-reviewed', 'No review date: add "lastReviewed: yyyy-mm-dd" to the front matter.');
  } else {
    const age = reviewAgeDays(doc.meta.lastReviewed, ctx.now);
    if (age > REVIEW_MAX_AGE_DAYS)
      add(
        1,
        'warning',
        'last-reviewed',
        `Last reviewed ${doc.meta.lastReviewed} (${age} days ago): review it (quarterly) and update lastReviewed.`,
      );
    else if (age < 0)
      add(
        1,
        'warning',
        'last-reviewed',
        `Review date ${doc.meta.lastReviewed} is in the future: use the date of the review.`,
      );
  }
  out.push(...lintReview(doc, ctx.now));
  return sortProblems(out);
}

function sortProblems(list: LintProblem[]): LintProblem[] {
  return list.sort((a, b) => a.line - b.line || a.rule.localeCompare(b.rule));
}

export function hasErrors(problems: LintProblem[]): boolean {
  return problems.some((p) => p.severity === 'error');
}

/** "file:line: severity rule: message" as compilers print it (editors jump to it). */
export function formatProblem(p: LintProblem): string {
  return `${p.file}:${p.line}: ${p.severity} ${p.rule}: ${p.message}`;
}
