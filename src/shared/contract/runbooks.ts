// Contract domain "runbooks": the library (bundled and user folders), a parsed runbook with its
// sections, steps (variables filled from the attached install) and lint problems, search, authoring.
import { z } from 'zod';
import type {
  LintProblem,
  ParsedRunbook,
  RunbookCategory,
  RunbookLink,
  SectionName,
  Severity,
} from '../runbooks/types';
import { RUNBOOK_CATEGORIES, SEVERITIES } from '../runbooks/types';
import type { DiffLine, ReviewMeta, ReviewStatus } from '../runbooks/review-status';
import { REVIEW_STATUSES } from '../runbooks/review-status';
import type { SearchField } from '../runbooks/search-index';
import { event, request } from './define';

export interface RunbookFolderInfo {
  id: string;
  path: string;
  /** The console's own runbooks (resources/runbooks); cannot be removed. */
  bundled: boolean;
  /** Runbooks found (index files not counted). */
  count: number;
  /** Id of the folder's README.md / index.md (the handbook home), or null. */
  homeId: string | null;
  /** Why the folder could not be read (moved, no permission), or null. */
  error: string | null;
  /** Files skipped (too large, too many), each with the reason. */
  skipped: string[];
}

export interface RunbookSummary {
  id: string;
  folderId: string;
  /** Path relative to its folder, posix. */
  file: string;
  kind: 'runbook' | 'index';
  title: string;
  category: RunbookCategory | null;
  /** Where the category came from: front matter, a bold line, or the folder index's heading. */
  categorySource: 'front-matter' | 'inferred' | 'index' | 'none';
  severity: Severity | null;
  estimatedTime: string | null;
  symptoms: string[];
  tags: string[];
  lastReviewed: string | null;
  /** Not reviewed within 90 days (or never). */
  stale: boolean;
  /** The review workflow's status (front matter `status`, or the console's store for bundled ones). */
  reviewStatus?: ReviewStatus | null;
  reviewAgeDays: number | null;
  sections: SectionName[];
  codeBlocks: number;
  steps: number;
  /** Steps that declare an expectation (Run & check). */
  checkedSteps: number;
  errors: number;
  warnings: number;
}

export interface RunbookLibraryView {
  folders: RunbookFolderInfo[];
  runbooks: RunbookSummary[];
  /** The handbook home: the bundled folder's index, else the first folder's. */
  homeId: string | null;
  /** True when install variables are filled from an attached install. */
  installAttached: boolean;
}

export interface RunbookDocument extends ParsedRunbook {
  id: string;
  folderId: string;
  summary: RunbookSummary;
  lint: LintProblem[];
  /** Same order as `links`: the library id a runbook link opens, or null when it does not resolve. */
  linkTargets: (string | null)[];
  /** Variable values used to fill steps (paths of the attached install, dates). */
  variables: Record<string, string>;
}

export interface RunbookSearchHit {
  id: string;
  score: number;
  fields: SearchField[];
  snippet: string;
  summary: RunbookSummary;
}

export type { RunbookLink };

const id = z.string().min(1).max(4096);

export const runbooksChannels = {
  'runbooks:list': request<RunbookLibraryView>()(z.object({ rescan: z.boolean().default(false) }).strict()),
  'runbooks:get': request<RunbookDocument>()(z.object({ id }).strict()),
  'runbooks:search': request<RunbookSearchHit[]>()(
    z.object({ q: z.string().max(200), limit: z.number().int().min(1).max(100).default(20) }).strict(),
  ),
  /** Add a folder of Markdown runbooks (absolute path or ~/...); it persists across restarts. */
  'runbooks:add-folder': request<RunbookLibraryView>()(
    z.object({ path: z.string().min(1).max(4096) }).strict(),
  ),
  'runbooks:remove-folder': request<RunbookLibraryView>()(z.object({ id }).strict()),
  /** Create a runbook from the handbook's six-section template in a library folder. */
  'runbooks:new': request<{ id: string; path: string }>()(
    z
      .object({
        folderId: id,
        title: z.string().trim().min(4).max(120),
        category: z.enum(RUNBOOK_CATEGORIES),
        severity: z.enum(SEVERITIES).optional(),
      })
      .strict(),
  ),
} as const;

export const runbooksEvents = {
  /** The library changed (folder added/removed, runbook created, files changed on disk). */
  'runbooks:changed': event<{ reason: 'folders' | 'created' | 'files' }>(),
} as const;

// --- Review workflow and revisions (issue 17, items 4 and 5) ---------------------------------

/** One checked step's result in "Test in sandbox", shown as the test runner gives it. */
export interface ReviewTestRow {
  scenario: string;
  step: string;
  line: number;
  status: string;
  detail: string;
}

export interface ReviewView {
  id: string;
  title: string;
  /** Where the status is kept: the file's front matter (your folders) or the console's store (bundled). */
  keptIn: 'front-matter' | 'console-store';
  review: ReviewMeta;
  lastReviewed: string | null;
  /** Where the approved text is kept, or null before the first approval. */
  approvedCopy: string | null;
  /** The body now against the approved body; null when nothing was approved yet. */
  changesSinceApproval: DiffLine[] | null;
  /** The last "Test in sandbox" step by step (kept in the console's store). */
  lastResults: ReviewTestRow[];
  /** The attached install is the demo sandbox (Test in sandbox can run). */
  sandbox: boolean;
  /** Lint messages of the review rules. */
  lint: LintProblem[];
}

export interface RevisionProposal {
  sessionId: string;
  runbookId: string;
  runbookTitle: string;
  /** The proposed draft (Markdown with front matter). */
  text: string;
  /** The runbook as it is now, to diff against. */
  original: string;
  /** The folder the draft will be saved in, or null when there is none to write to. */
  targetFolder: string | null;
  /** What the proposal drew on. */
  counts: { adHoc: number; edited: number; skipped: number; shouldSay: number };
}

const sessionId = z.string().regex(/^[A-Za-z0-9-]{1,64}$/, 'a session id');

export const runbookReviewChannels = {
  'runbooks:review-get': request<ReviewView>()(z.object({ id }).strict()),
  /** Move a runbook along draft -> tested -> reviewed -> approved -> published (or back to draft). */
  'runbooks:review-move': request<ReviewView>()(
    z
      .object({
        id,
        to: z.enum(REVIEW_STATUSES),
        by: z
          .string()
          .trim()
          .min(1)
          .max(120)
          .regex(/^[^\p{Cc}]+$/u, 'a name without control characters'),
      })
      .strict(),
  ),
  /** Run the runbook's checked steps in the demo sandbox in each of its scenarios; records lastTested. */
  'runbooks:review-test': request<ReviewView>()(z.object({ id }).strict()),
  /** Propose a revision of the session's runbook from what happened in the session. */
  'runbooks:revision-propose': request<RevisionProposal>()(z.object({ sessionId }).strict()),
  /** Save the (edited) proposal as a draft file beside the runbook; never overwrites. */
  'runbooks:revision-save': request<{ id: string; path: string; file: string }>()(
    z
      .object({
        sessionId,
        text: z
          .string()
          .min(1)
          .max(256 * 1024),
      })
      .strict(),
  ),
} as const;
