// What the runbook library shows of its parsed files: the categories a folder's index assigns, the
// context the linter checks links and review dates against, and each file's summary row.
import type { RunbookSummary } from '../../../shared/contract/runbooks';
import { isStale, reviewAgeDays, type LintContext } from '../../../shared/runbooks/lint';
import { parseCategory } from '../../../shared/runbooks/metadata';
import type { ReviewStatus } from '../../../shared/runbooks/review';
import type { LintProblem, ParsedRunbook, RunbookCategory } from '../../../shared/runbooks/types';
import type { Folder } from './library-folders';

/** What a summary depends on besides the file: today, and a review status kept outside the file. */
export interface SummaryContext {
  now: () => Date;
  reviewStatusOf?: (id: string) => ReviewStatus | null;
}

/** What the linter asks of a folder: index categories, today, which files and headings exist. */
export function lintContextOf(folder: Folder, ctx: Pick<SummaryContext, 'now'>): LintContext {
  const cats = indexCategories(folder);
  return {
    categoryOf: (file) => cats.get(file) ?? null,
    now: ctx.now(),
    exists: (target) => folder.files.has(target),
    slugsOf: (target) => folder.files.get(target)?.doc.headings.map((h) => h.slug) ?? null,
  };
}

/** Categories the folder's index assigns by listing a runbook under a category heading. */
export function indexCategories(folder: Folder): Map<string, RunbookCategory> {
  const out = new Map<string, RunbookCategory>();
  for (const [, f] of folder.files) {
    if (f.doc.kind !== 'index') continue;
    for (const link of f.doc.links) {
      if (link.kind !== 'runbook' || !link.target) continue;
      const heading = [...f.doc.headings].reverse().find((h) => h.line <= link.line);
      const cat = heading ? parseCategory(heading.text) : null;
      if (cat && !out.has(link.target)) out.set(link.target, cat);
    }
  }
  return out;
}

/** The summary row the list shows of one file, with its lint counts. */
export function summarize(
  folder: Folder,
  rel: string,
  doc: ParsedRunbook,
  lint: LintProblem[],
  cats: Map<string, RunbookCategory>,
  ctx: SummaryContext,
): RunbookSummary {
  const now = ctx.now();
  const fromIndex = cats.get(rel) ?? null;
  const category = doc.meta.category ?? fromIndex;
  const categorySource = doc.meta.category
    ? doc.meta.sources.category === 'front-matter'
      ? 'front-matter'
      : 'inferred'
    : fromIndex
      ? 'index'
      : 'none';
  return {
    id: `${folder.id}:${rel}`,
    folderId: folder.id,
    file: rel,
    kind: doc.kind,
    title: doc.meta.title ?? rel,
    category,
    categorySource,
    severity: doc.meta.severity,
    estimatedTime: doc.meta.estimatedTime,
    symptoms: doc.meta.symptoms,
    tags: doc.meta.tags,
    lastReviewed: doc.meta.lastReviewed,
    stale: doc.kind === 'runbook' && isStale(doc.meta.lastReviewed, now),
    reviewStatus:
      doc.kind === 'runbook'
        ? (ctx.reviewStatusOf?.(`${folder.id}:${rel}`) ?? doc.review?.status ?? null)
        : null,
    reviewAgeDays: doc.meta.lastReviewed ? reviewAgeDays(doc.meta.lastReviewed, now) : null,
    sections: doc.sections.map((s) => s.name),
    codeBlocks: doc.codeBlocks.length,
    steps: doc.steps.length,
    checkedSteps: doc.steps.filter((s) => s.answers.length > 0).length,
    errors: lint.filter((p) => p.severity === 'error').length,
    warnings: lint.filter((p) => p.severity === 'warning').length,
  };
}
