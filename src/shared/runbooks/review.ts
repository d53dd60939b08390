// The review workflow of a runbook (status, owner, reviewers, test evidence in its front matter),
// its lint rules, a line diff, and the draft revision a walk-through proposes. Pure: no Node, no DOM.
import { isMap, parseDocument } from 'yaml';
import { reviewAgeDays, REVIEW_MAX_AGE_DAYS } from './lint';
import { parseReviewDate } from './metadata';
import {
  REVIEW_STATUSES,
  type LastTested,
  type ReviewMeta,
  type ReviewStatus,
  type ScenarioOutcome,
} from './review-status';
import type { LintProblem, ParsedRunbook } from './types';

export { lineDiff, MAX_DIFF_LINES, REVIEW_STATUSES } from './review-status';
export type { LastTested, ReviewMeta, ReviewStatus, ScenarioOutcome, DiffLine } from './review-status';

export function emptyReview(): ReviewMeta {
  return {
    status: null,
    owner: null,
    reviewedBy: null,
    approvedBy: null,
    approvedAt: null,
    publishedAt: null,
    lastTested: null,
    revisionOf: null,
    session: null,
    problems: [],
  };
}

const norm = (k: string): string => k.toLowerCase().replace(/[\s_-]/g, '');
/** A name or a date in front matter longer than this is not a name. */
const MAX_FIELD_CHARS = 200;

function text(value: unknown): string | null {
  if (typeof value !== 'string' && typeof value !== 'number') return null;
  const s = String(value).trim();
  return s && s.length <= MAX_FIELD_CHARS ? s : null;
}

function count(value: unknown): number | null {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : null;
}

function parseLastTested(value: unknown, problems: string[]): LastTested | null {
  if (!value || typeof value !== 'object' || Array.isArray(value)) {
    problems.push('lastTested must be a map with date, scenarios and outcomes.');
    return null;
  }
  const rec = value as Record<string, unknown>;
  const date = parseReviewDate(rec.date);
  if (!date) {
    problems.push('lastTested.date must be a date as yyyy-mm-dd.');
    return null;
  }
  const scenarios = Array.isArray(rec.scenarios)
    ? rec.scenarios.filter((s): s is string => typeof s === 'string')
    : [];
  const outcomes: Record<string, ScenarioOutcome> = {};
  const raw = rec.outcomes;
  if (raw && typeof raw === 'object' && !Array.isArray(raw)) {
    for (const [k, v] of Object.entries(raw as Record<string, unknown>)) {
      const o = v && typeof v === 'object' ? (v as Record<string, unknown>) : {};
      const pass = count(o.pass);
      const fail = count(o.fail);
      const skipped = count(o.skipped) ?? 0;
      if (pass === null || fail === null) {
        problems.push(`lastTested.outcomes.${k} must give pass and fail counts.`);
        continue;
      }
      outcomes[k] = { pass, fail, skipped };
    }
  }
  return { date, scenarios, outcomes };
}

/** The review fields of a front matter (already parsed YAML); unknown keys are ignored. */
export function reviewFromFrontMatter(data: Record<string, unknown> | null): ReviewMeta {
  const out = emptyReview();
  if (!data) return out;
  for (const [key, value] of Object.entries(data)) {
    switch (norm(key)) {
      case 'status': {
        const s = typeof value === 'string' ? value.trim().toLowerCase() : '';
        if ((REVIEW_STATUSES as readonly string[]).includes(s)) out.status = s as ReviewStatus;
        else out.problems.push(`status must be one of ${REVIEW_STATUSES.join(', ')}.`);
        break;
      }
      case 'owner':
        out.owner = text(value);
        break;
      case 'reviewedby':
        out.reviewedBy = text(value);
        break;
      case 'approvedby':
        out.approvedBy = text(value);
        break;
      case 'approvedat':
        out.approvedAt = parseReviewDate(value);
        break;
      case 'publishedat':
        out.publishedAt = parseReviewDate(value);
        break;
      case 'lasttested':
        out.lastTested = parseLastTested(value, out.problems);
        break;
      case 'revisionof':
        out.revisionOf = text(value);
        break;
      case 'session':
        out.session = text(value);
        break;
      default:
        break;
    }
  }
  return out;
}

/** Test evidence: the last test ran at least one check and none of its scenarios failed. */
export function hasTestEvidence(t: LastTested | null): boolean {
  if (!t) return false;
  const all = Object.values(t.outcomes);
  return all.length > 0 && all.every((o) => o.fail === 0) && all.some((o) => o.pass > 0);
}

/**
 * Why the runbook may not move to `to` now, or null when it may. Default-deny: only the next
 * status of the handbook's process, or back to draft; each step needs what the handbook asks.
 */
export function transitionProblem(
  meta: ReviewMeta,
  lastReviewed: string | null,
  to: ReviewStatus,
  by: string,
): string | null {
  if (!by.trim()) return 'Say who you are: the record keeps who moved the runbook.';
  if (to === 'draft') return meta.status === 'draft' ? 'It is a draft already.' : null;
  const from = meta.status ?? 'draft';
  const next = REVIEW_STATUSES[REVIEW_STATUSES.indexOf(from) + 1];
  if (to !== next)
    return `A ${from} runbook moves to ${next ?? 'nothing further'}, not to ${to}: the handbook's order is draft, tested, reviewed, approved, published.`;
  if (to === 'tested' && !hasTestEvidence(meta.lastTested))
    return 'Test it in the sandbox first: "tested" needs a last test with no failed check.';
  if (to === 'reviewed' && meta.owner && meta.owner.toLowerCase() === by.trim().toLowerCase())
    return 'A peer reviews it: the owner cannot be its own reviewer.';
  if (to === 'approved' && !meta.reviewedBy) return 'It needs a peer review before approval.';
  if (to === 'published' && !meta.approvedBy)
    return "It needs the operations lead's approval before it is published.";
  if (to === 'published' && !lastReviewed) return 'It needs a review date before it is published.';
  return null;
}

/** Lint rules of the review workflow: a published runbook needs approval, test evidence and a review within 90 days. */
export function lintReview(doc: ParsedRunbook, now: Date): LintProblem[] {
  const review = doc.review;
  if (!review || doc.kind !== 'runbook') return [];
  const out: LintProblem[] = [];
  const add = (severity: LintProblem['severity'], rule: string, message: string) =>
    out.push({ file: doc.file, line: 1, severity, rule, message });
  for (const p of review.problems) add('warning', 'review-front-matter', `Front matter: ${p}`);
  if (review.status !== 'published') return out;
  if (!review.approvedBy)
    add(
      'error',
      'review-approval',
      'Published without an approval: add "approvedBy" (the operations lead) or move it back to draft.',
    );
  if (!hasTestEvidence(review.lastTested))
    add(
      'error',
      'review-tested',
      'Published without test evidence: run "Test in sandbox" (or aura-ops runbooks test) and record lastTested with no failed check.',
    );
  const reviewed = doc.meta.lastReviewed;
  if (!reviewed) add('error', 'review-age', 'Published but never reviewed: a peer review sets lastReviewed.');
  else if (reviewAgeDays(reviewed, now) > REVIEW_MAX_AGE_DAYS)
    add(
      'error',
      'review-age',
      `Published, and its last review (${reviewed}) is more than ${REVIEW_MAX_AGE_DAYS} days old: review it again.`,
    );
  return out;
}

/**
 * Set (or, with null, remove) top-level front-matter keys, keeping the rest of the file as it is.
 * A file without front matter gets one. Throws when the front matter is not a YAML map.
 */
export function setFrontMatter(source: string, fields: Record<string, unknown>): string {
  const text = source.replace(/\r\n?/g, '\n');
  const m = /^---\n([\s\S]*?)\n---(?:\n|$)/.exec(text);
  const doc = parseDocument(m ? m[1] : '');
  if (doc.errors.length > 0)
    throw new Error(`its front matter is not valid YAML (${doc.errors[0].message.split('\n')[0]})`);
  if (doc.contents !== null && !isMap(doc.contents)) throw new Error('its front matter is not a map of keys');
  for (const [k, v] of Object.entries(fields)) {
    if (v === null) doc.delete(k);
    else doc.set(k, doc.createNode(v, { flow: false }));
  }
  const yaml = doc.toString({ lineWidth: 0 }).replace(/\n$/, '');
  const rest = m ? text.slice(m[0].length) : text;
  return `---\n${yaml}\n---\n${rest}`;
}

/** The Markdown after the front matter. */
export function bodyOf(source: string): string {
  const text = source.replace(/\r\n?/g, '\n');
  const m = /^---\n[\s\S]*?\n---(?:\n|$)/.exec(text);
  return m ? text.slice(m[0].length) : text;
}

// ---------------------------------------------------------------------------------------------
// Revisions proposed from a walk-through

/** What happened in a walk-through that the runbook may need to say. */
export interface SessionFacts {
  sessionId: string;
  sessionTitle: string;
  /** Commands typed by hand in the terminal while the session recorded, in order. */
  adHoc: { command: string; exitCode: number | null }[];
  /** Steps run with a command other than the runbook's (the operator edited it). */
  edited: { stepId: string; command: string }[];
  /** Steps declined, or never run in the session. */
  skipped: { stepId: string; why: 'declined' | 'not run'; reason: string | null }[];
  /** Notes the operator marked "the runbook should say". */
  shouldSay: string[];
}

/** A command in a fence that cannot be closed by the command itself. */
function fenced(code: string, lang: string): string {
  const longest = Math.max(2, ...[...code.matchAll(/`{3,}/g)].map((m) => m[0].length));
  const f = '`'.repeat(longest + 1);
  return `${f}${lang}\n${code.replace(/\n+$/, '')}\n${f}`;
}

/** One line of Markdown text, nothing that starts a construct of its own. */
function oneLine(s: string): string {
  return s.replace(/\s+/g, ' ').trim();
}

/**
 * The proposed revision: the runbook as it is, with front matter `status: draft`, `revisionOf`
 * and `session`, edited steps replaced by the command that ran, a note after each skipped step,
 * and the ad hoc commands and "the runbook should say" notes in a section before Prevention.
 */
export function proposeRevision(
  doc: ParsedRunbook,
  source: string,
  facts: SessionFacts,
  today: string,
): string {
  const text = source.replace(/\r\n?/g, '\n');
  const lines = text.split('\n');
  // Edits from the bottom up, so earlier line numbers stay right.
  const edits: { at: number; remove: number; insert: string[] }[] = [];
  for (const step of doc.steps) {
    const block = doc.codeBlocks[step.blockIndex];
    if (!block) continue;
    const edit = facts.edited.find((e) => e.stepId === step.id);
    if (edit && block.lang !== 'console') {
      edits.push({
        at: block.line,
        remove: block.endLine - block.line - 1,
        insert: edit.command.replace(/\n+$/, '').split('\n'),
      });
    }
    const skip = facts.skipped.find((s) => s.stepId === step.id);
    if (skip) {
      const why =
        skip.why === 'declined' ? `declined${skip.reason ? ` (${oneLine(skip.reason)})` : ''}` : 'not run';
      edits.push({
        at: block.endLine,
        remove: 0,
        insert: [
          '',
          `> **Revision note:** step \`${step.id}\` was ${why} in session ${facts.sessionId.slice(0, 8)}: keep it, make it optional, or remove it.`,
        ],
      });
    }
  }
  const added: string[] = [];
  if (facts.adHoc.length > 0 || facts.shouldSay.length > 0) {
    added.push(`## Proposed from session ${facts.sessionId.slice(0, 8)} (${today})`, '');
    added.push(
      `From the walk-through "${oneLine(facts.sessionTitle)}". Move each item where it belongs, then delete this section.`,
      '',
    );
    for (const n of facts.shouldSay) added.push(`- The runbook should say: ${oneLine(n)}`);
    if (facts.shouldSay.length > 0) added.push('');
    facts.adHoc.forEach((c, i) => {
      added.push(
        `${i + 1}. Run (typed by hand during the session${c.exitCode === null ? '' : `, exit ${c.exitCode}`}):`,
        '',
      );
      added.push(
        ...fenced(c.command, 'bash')
          .split('\n')
          .map((l) => `   ${l}`),
        '',
      );
    });
  }
  if (added.length > 0) {
    const prevention =
      doc.sections.find((s) => s.name === 'Prevention') ?? doc.sections.find((s) => s.name === 'References');
    const at = prevention ? prevention.line - 1 : lines.length;
    edits.push({ at, remove: 0, insert: [...added] });
  }
  edits.sort((x, y) => y.at - x.at);
  for (const e of edits) lines.splice(e.at, e.remove, ...e.insert);
  return setFrontMatter(lines.join('\n'), {
    status: 'draft',
    revisionOf: doc.file,
    session: facts.sessionId,
    reviewedBy: null,
    approvedBy: null,
    approvedAt: null,
    publishedAt: null,
    lastTested: null,
  });
}

/** Characters kept in a revision's file name from the runbook's own name. */
const MAX_NAME_STEM = 60;

/**
 * The draft's file name, git-friendly and flat: `<runbook>.rev-<yyyymmdd>-<session8>.md`, made only
 * of [a-z0-9.-] whatever the runbook's path or the session id hold (no separators, no dot-files).
 */
export function revisionFileName(runbookFile: string, sessionId: string, today: string, attempt = 1): string {
  const base = runbookFile.split(/[\\/]/).pop() ?? '';
  const stem =
    base
      .replace(/\.md$/i, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, MAX_NAME_STEM) || 'runbook';
  const session =
    sessionId
      .toLowerCase()
      .replace(/[^a-z0-9]/g, '')
      .slice(0, 8) || 'session';
  const day = today.replace(/[^0-9]/g, '').slice(0, 8);
  return `${stem}.rev-${day}-${session}${attempt > 1 ? `-${attempt}` : ''}.md`;
}
