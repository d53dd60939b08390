// The review workflow and session revisions on disk: status moves (front matter of the operator's
// runbooks, the console's store for bundled ones), "Test in sandbox", the approved text, and drafts.
import fs from 'node:fs';
import path from 'node:path';
import { parse as parseYaml } from 'yaml';
import { now as clockNow } from '../../../shared/clock';
import type { ReviewTestRow, ReviewView, RevisionProposal } from '../../../shared/contract/runbooks';
import type { SessionDetail } from '../../../shared/contract/walkthroughs-session';
import { OpsError } from '../../../shared/errors';
import type { InstallCandidate } from '../../../shared/install-types';
import { parseRunbook } from '../../../shared/runbooks/parse';
import {
  bodyOf,
  lineDiff,
  lintReview,
  proposeRevision,
  reviewFromFrontMatter,
  revisionFileName,
  setFrontMatter,
  transitionProblem,
  type LastTested,
  type ReviewStatus,
  type SessionFacts,
} from '../../../shared/runbooks/review';
import { isSandbox, isScenarioName, runningScenario } from '../../sandbox/control';
import type { OpsStore } from '../store/store';
import type { WalkthroughService } from '../walkthroughs/service';
import { installVariables } from './install-variables';
import type { RunbookLibrary } from './library';
import { summarize } from './test-report';
import { loadRunbooks, switchSandboxScenario, testRunbooks } from './test-runner';
import { type StepTestResult } from './test-types';

/** A scenario's symptoms take seconds to reach the logs; failing steps are re-run for this long (as the CLI's --scenario). */
export const SANDBOX_SETTLE_MS = 20_000;
/** Drafts of one runbook from one session on one day: past this many the folder is being flooded. */
const MAX_REVISION_ATTEMPTS = 50;
/** Where the approved text of a runbook in the operator's folder is kept, beside it (hidden from the library). */
export const APPROVED_DIR = '.approved';
/** Store key prefixes: review fields of bundled runbooks, the approved text, the last test's rows. */
const KEY_REVIEW = 'runbook-review:';
const KEY_APPROVED = 'runbook-approved:';
const KEY_RESULTS = 'runbook-review-results:';

export interface ReviewServiceDeps {
  library: RunbookLibrary;
  store: OpsStore;
  walkthroughs: WalkthroughService;
  getInstall: () => InstallCandidate | null;
  /** Folder with the `aura-ops` launcher, put first on PATH for the steps (or null). */
  shimDir: () => string | null;
  onChanged: () => void;
  now?: () => Date;
}

function ymd(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function frontMatterData(source: string): Record<string, unknown> {
  const m = /^---\r?\n([\s\S]*?)\r?\n---(?:\r?\n|$)/.exec(source);
  if (!m) return {};
  try {
    const data: unknown = parseYaml(m[1]);
    return data && typeof data === 'object' && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  } catch {
    return {}; // broken front matter is reported by lint (rule front-matter); the review reads as empty
  }
}

/** Is `child` (resolved, symlinks followed) the folder `root` or inside it? */
function inside(root: string, child: string): boolean {
  const r = fs.realpathSync(root);
  const c = fs.realpathSync(child);
  return c === r || c.startsWith(r + path.sep);
}

/** Step entries whose command went to a terminal (a copy or a failed send did not run anything). */
const RAN = new Set(['running', 'pasted', 'finished']);

export class ReviewService {
  private testing = false;

  constructor(private readonly deps: ReviewServiceDeps) {}

  /** The review status of a bundled runbook (kept in the store); null for the operator's (front matter). */
  storedStatus(id: string): ReviewStatus | null {
    const fields = this.deps.store.getSetting<Record<string, unknown>>(KEY_REVIEW + id);
    return fields ? reviewFromFrontMatter(fields).status : null;
  }

  private now(): Date {
    return this.deps.now?.() ?? clockNow();
  }

  private source(abs: string): string {
    try {
      return fs.readFileSync(abs, 'utf8');
    } catch (err) {
      throw new OpsError('not-found', `Cannot read ${abs}: ${(err as Error).message}. Reload the library.`);
    }
  }

  get(id: string): ReviewView {
    const f = this.deps.library.fileOf(id);
    const source = this.source(f.abs);
    const stored = f.bundled
      ? (this.deps.store.getSetting<Record<string, unknown>>(KEY_REVIEW + id) ?? {})
      : {};
    const data = { ...frontMatterData(source), ...stored };
    const review = reviewFromFrontMatter(data);
    let text = source;
    if (f.bundled && Object.keys(stored).length > 0) {
      try {
        text = setFrontMatter(source, stored);
      } catch {
        // The file's own front matter is broken: lint reports it (rule front-matter); the stored fields are still shown in `review`.
        text = source;
      }
    }
    const doc = parseRunbook(text, { file: f.rel });
    let approvedBody: string | null = null;
    let approvedCopy: string | null = null;
    if (f.bundled) {
      approvedBody = this.deps.store.getSetting<string>(KEY_APPROVED + id) ?? null;
      approvedCopy = approvedBody === null ? null : "the console's store (ops.db)";
    } else {
      const copy = this.approvedPath(f.abs);
      if (fs.existsSync(copy)) {
        approvedBody = bodyOf(fs.readFileSync(copy, 'utf8'));
        approvedCopy = copy;
      }
    }
    const install = this.deps.getInstall();
    return {
      id,
      title: doc.meta.title ?? f.rel,
      keptIn: f.bundled ? 'console-store' : 'front-matter',
      review,
      lastReviewed: doc.meta.lastReviewed,
      approvedCopy,
      changesSinceApproval: approvedBody === null ? null : lineDiff(approvedBody, bodyOf(source)),
      lastResults: this.deps.store.getSetting<ReviewTestRow[]>(KEY_RESULTS + id) ?? [],
      sandbox: install !== null && isSandbox(install.paths.dataRoot),
      lint: lintReview(doc, this.now()),
    };
  }

  private approvedPath(abs: string): string {
    return path.join(path.dirname(abs), APPROVED_DIR, path.basename(abs));
  }

  /** Write review fields: into the file's front matter (operator's runbooks) or the store (bundled). */
  private writeFields(id: string, fields: Record<string, unknown>): void {
    const f = this.deps.library.fileOf(id);
    if (f.bundled) {
      const prev = this.deps.store.getSetting<Record<string, unknown>>(KEY_REVIEW + id) ?? {};
      const next: Record<string, unknown> = { ...prev };
      for (const [k, v] of Object.entries(fields)) {
        if (v === null) delete next[k];
        else next[k] = v;
      }
      this.deps.store.setSetting(KEY_REVIEW + id, next);
      this.deps.library.invalidate();
    } else {
      const source = this.source(f.abs);
      let text: string;
      try {
        text = setFrontMatter(source, fields);
      } catch (err) {
        throw new OpsError(
          'bad-request',
          `${f.rel} cannot be updated: ${(err as Error).message}. Fix its front matter first.`,
        );
      }
      try {
        fs.writeFileSync(f.abs, text);
      } catch (err) {
        throw new OpsError('read-only', `Could not write ${f.abs}: ${(err as Error).message}.`);
      }
      this.deps.library.refresh(true);
    }
    this.deps.onChanged();
  }

  move(id: string, to: ReviewStatus, by: string): ReviewView {
    const view = this.get(id);
    const problem = transitionProblem(view.review, view.lastReviewed, to, by);
    if (problem) throw new OpsError('bad-request', problem);
    const who = by.trim();
    const today = ymd(this.now());
    const fields: Record<string, unknown> = { status: to };
    if (to === 'draft')
      Object.assign(fields, { reviewedBy: null, approvedBy: null, approvedAt: null, publishedAt: null });
    if (to === 'tested' && !view.review.owner) fields.owner = who;
    if (to === 'reviewed') Object.assign(fields, { reviewedBy: who, lastReviewed: today });
    if (to === 'approved') {
      Object.assign(fields, { approvedBy: who, approvedAt: today });
      this.keepApproved(id);
    }
    if (to === 'published') fields.publishedAt = today;
    this.writeFields(id, fields);
    return this.get(id);
  }

  /** Keep the text as approved, to show what changed since. */
  private keepApproved(id: string): void {
    const f = this.deps.library.fileOf(id);
    const body = bodyOf(this.source(f.abs));
    if (f.bundled) {
      this.deps.store.setSetting(KEY_APPROVED + id, body);
      return;
    }
    const dir = path.dirname(this.approvedPath(f.abs));
    try {
      fs.mkdirSync(dir, { recursive: true });
      if (!inside(f.root, dir)) throw new Error(`${dir} leads outside the runbook folder`);
      const copy = this.approvedPath(f.abs);
      if (fs.existsSync(copy) && fs.lstatSync(copy).isSymbolicLink())
        throw new Error(`${copy} is a symbolic link`);
      fs.writeFileSync(copy, body);
    } catch (err) {
      throw new OpsError('read-only', `Could not keep the approved text: ${(err as Error).message}.`);
    }
  }

  /** Run the checked steps in the demo sandbox, in each scenario the runbook names (else as it is now). */
  async test(id: string): Promise<ReviewView> {
    const install = this.deps.getInstall();
    if (!install || !isSandbox(install.paths.dataRoot)) {
      throw new OpsError(
        'bad-request',
        'Test in sandbox runs against the demo install: attach it in the Install panel, then try again.',
      );
    }
    if (this.testing) throw new OpsError('bad-request', 'A sandbox test is running: wait for it to finish.');
    this.testing = true;
    const root = install.paths.dataRoot;
    const initial = runningScenario(root);
    try {
      const f = this.deps.library.fileOf(id);
      const [loaded] = loadRunbooks([f.abs], installVariables(install.paths));
      const named = loaded.scenarios.filter(isScenarioName);
      const rows: ReviewTestRow[] = [];
      const outcomes: LastTested['outcomes'] = {};
      const label = (s: string | null) => s ?? initial ?? 'current';
      let switched = false;
      for (const scenario of named.length > 0 ? named : [null]) {
        if (scenario !== null && scenario !== runningScenario(root)) {
          await switchSandboxScenario(root, scenario);
          switched = true;
        }
        const results: StepTestResult[] = await testRunbooks([loaded], {
          paths: install.paths,
          scenario: scenario ?? initial,
          shimDir: this.deps.shimDir(),
          settleMs: scenario ? SANDBOX_SETTLE_MS : 0,
        });
        const s = summarize(results);
        outcomes[label(scenario)] = { pass: s.pass, fail: s.fail, skipped: s.skipped };
        for (const r of results)
          rows.push({
            scenario: label(scenario),
            step: r.step,
            line: r.line,
            status: r.status,
            detail: r.reasons.join('; ') || r.actual,
          });
      }
      if (switched && initial) await switchSandboxScenario(root, initial);
      this.deps.store.setSetting(KEY_RESULTS + id, rows);
      const lastTested: LastTested = { date: ymd(this.now()), scenarios: Object.keys(outcomes), outcomes };
      this.writeFields(id, { lastTested });
      return this.get(id);
    } finally {
      this.testing = false;
    }
  }

  // --- revisions from sessions ---------------------------------------------------------------

  private facts(d: SessionDetail, doc: ReturnType<RunbookLibrary['fileOf']>['doc']): SessionFacts {
    const adHoc: SessionFacts['adHoc'] = [];
    const shouldSay: string[] = [];
    const lastByStep = new Map<string, Extract<SessionDetail['events'][number], { type: 'step' }>>();
    for (const e of d.events) {
      if (e.type === 'command') adHoc.push({ command: e.command, exitCode: e.exitCode });
      else if (e.type === 'note' && e.shouldSay) shouldSay.push(e.text);
      else if (e.type === 'step' && (e.runbookId === d.runbookId || e.runbookId === null))
        lastByStep.set(e.stepId, e);
    }
    const edited: SessionFacts['edited'] = [];
    const skipped: SessionFacts['skipped'] = [];
    for (const step of doc.steps) {
      const e = lastByStep.get(step.id);
      if (!e) skipped.push({ stepId: step.id, why: 'not run', reason: null });
      else if (e.status === 'declined') skipped.push({ stepId: step.id, why: 'declined', reason: e.reason });
      else if (
        RAN.has(e.status) &&
        e.command.trim() !== step.filled.trim() &&
        e.command.trim() !== step.code.trim()
      )
        edited.push({ stepId: step.id, command: e.command });
    }
    return { sessionId: d.id, sessionTitle: d.title, adHoc, edited, skipped, shouldSay };
  }

  private sessionRunbook(sessionId: string): { d: SessionDetail; f: ReturnType<RunbookLibrary['fileOf']> } {
    const d = this.deps.walkthroughs.get(sessionId);
    if (!d.runbookId)
      throw new OpsError(
        'bad-request',
        `The session "${d.title}" ran no runbook step, so there is no runbook to revise.`,
      );
    return { d, f: this.deps.library.fileOf(d.runbookId) };
  }

  /** Where drafts of this runbook go: beside it in the operator's folder, else the first folder of theirs. */
  private targetDir(f: ReturnType<RunbookLibrary['fileOf']>): { root: string; dir: string } | null {
    if (!f.bundled) return { root: f.root, dir: path.dirname(f.abs) };
    const first = this.deps.library.userFolderInfos()[0];
    return first ? { root: first.root, dir: first.root } : null;
  }

  propose(sessionId: string): RevisionProposal {
    const { d, f } = this.sessionRunbook(sessionId);
    const original = this.source(f.abs);
    const facts = this.facts(d, f.doc);
    const text = proposeRevision(parseRunbook(original, { file: f.rel }), original, facts, ymd(this.now()));
    return {
      sessionId,
      runbookId: d.runbookId as string,
      runbookTitle: f.doc.meta.title ?? f.rel,
      text,
      original,
      targetFolder: this.targetDir(f)?.dir ?? null,
      counts: {
        adHoc: facts.adHoc.length,
        edited: facts.edited.length,
        skipped: facts.skipped.length,
        shouldSay: facts.shouldSay.length,
      },
    };
  }

  /** Save the operator's text as a new draft file; the name is made here, never taken from the caller. */
  saveRevision(sessionId: string, text: string): { id: string; path: string; file: string } {
    const { d, f } = this.sessionRunbook(sessionId);
    const target = this.targetDir(f);
    if (!target)
      throw new OpsError(
        'bad-request',
        'The bundled runbooks are read-only: add a runbook folder of your own (Runbooks, "Folders and new runbook") to save drafts in.',
      );
    let draft: string;
    try {
      draft = setFrontMatter(text, { status: 'draft', revisionOf: f.rel, session: d.id });
    } catch (err) {
      throw new OpsError(
        'bad-request',
        `The draft cannot be saved: ${(err as Error).message}. Fix the front matter at the top of the text.`,
      );
    }
    if (!fs.existsSync(target.dir) || !inside(target.root, target.dir)) {
      throw new OpsError(
        'bad-request',
        `${target.dir} is not inside the runbook folder ${target.root}: nothing was written.`,
      );
    }
    const today = ymd(this.now());
    for (let attempt = 1; attempt <= MAX_REVISION_ATTEMPTS; attempt++) {
      const name = revisionFileName(f.rel, d.id, today, attempt);
      const abs = path.join(target.dir, name);
      if (path.dirname(abs) !== target.dir) throw new OpsError('internal', `Refused draft name ${name}.`);
      try {
        // wx: never overwrites, and fails on a symbolic link planted under the name.
        fs.writeFileSync(abs, draft, { flag: 'wx' });
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code;
        if (code === 'EEXIST') continue;
        if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS')
          throw new OpsError('read-only', `${target.dir} is not writable: the draft was not saved.`);
        throw new OpsError('internal', `Could not write ${abs}: ${(err as Error).message}`);
      }
      this.deps.library.refresh(true);
      this.deps.onChanged();
      const folderId =
        this.deps.library.userFolderInfos().find((x) => x.root === target.root)?.id ?? f.folderId;
      const rel = path.relative(target.root, abs).split(path.sep).join('/');
      const draftId = `${folderId}:${rel}`;
      this.deps.walkthroughs.recordRevision(d.id, { file: abs, runbookId: d.runbookId as string, draftId });
      return { id: draftId, path: abs, file: name };
    }
    throw new OpsError(
      'bad-request',
      `${MAX_REVISION_ATTEMPTS} drafts of this runbook from this session already exist in ${target.dir}: edit one of them.`,
    );
  }
}
