// The runbook library: Markdown runbooks from the bundled folder and folders the operator adds,
// parsed (with install variables filled), linted, indexed for search and browsable by category.
// Files are re-read only when their mtime or size changes; a rescan happens at most every few s.
// Walking and parsing a folder is in library-folders.ts, the summary rows in library-summary.ts.
import fs from 'node:fs';
import path from 'node:path';
import type {
  RunbookDocument,
  RunbookFolderInfo,
  RunbookLibraryView,
  RunbookSearchHit,
  RunbookSummary,
} from '../../../shared/contract/runbooks';
import { OpsError } from '../../../shared/errors';
import type { InstallCandidate } from '../../../shared/install-types';
import { lintRunbook } from '../../../shared/runbooks/lint';
import type { ReviewStatus } from '../../../shared/runbooks/review';
import { SearchIndex } from '../../../shared/runbooks/search-index';
import { fileNameFor, runbookTemplate } from '../../../shared/runbooks/template';
import type { LintProblem, ParsedRunbook, RunbookCategory, Severity } from '../../../shared/runbooks/types';
import { variablesFromInstall } from '../../../shared/runbooks/variables';
import { installVariables } from './install-variables';
import { now as clockNow } from '../../../shared/clock';
import { runbookParseWorker, type TaskWorker } from '../../workers/off-thread';
import {
  checkFolder,
  expandHome,
  newFolder,
  OFF_THREAD_PARSE_BYTES,
  preparse,
  scanFolder,
  type CachedFile,
  type Folder,
  type Preparsed,
} from './library-folders';
import { indexCategories, lintContextOf, summarize, type SummaryContext } from './library-summary';

/** Between two requests closer than this, the folders are not re-stat'ed. */
const RESCAN_MIN_INTERVAL_MS = 2000;

export interface RunbookLibraryOptions {
  /** The console's own runbooks (resources/runbooks), or null (CLI on explicit folders). */
  bundledDir: string | null;
  /** Folders added by the operator (persisted by the caller). */
  folders?: string[];
  getInstall?: () => InstallCandidate | null;
  now?: () => Date;
  /** Called with the full list of user folders after add/remove, to persist it. */
  onFoldersChanged?: (folders: string[]) => void;
  /** Called when the library changed (wire to ctx.emit('runbooks:changed', ...)). */
  onChanged?: (reason: 'folders' | 'created' | 'files') => void;
  /** A review status kept outside the file (bundled runbooks: the console's store), or null. */
  reviewStatusOf?: (id: string) => ReviewStatus | null;
  /** The worker lane big files are parsed on (default: the shared runbook parser). */
  parseWorker?: TaskWorker;
  /** Files from this size on are parsed on the worker (default OFF_THREAD_PARSE_BYTES). */
  offThreadBytes?: number;
}

interface Entry {
  folder: Folder;
  rel: string;
  doc: ParsedRunbook;
  lint: LintProblem[];
  summary: RunbookSummary;
}

export class RunbookLibrary {
  private readonly folders: Folder[] = [];
  private readonly index = new SearchIndex();
  /** Search index content per id, to know what to re-add. */
  private readonly indexed = new Map<string, ParsedRunbook>();
  private lastScan = 0;
  /** Bumped whenever the set of parsed files changes; summaries and lint are cached per generation and day. */
  private generation = 0;
  private entriesCache: { key: string; list: Entry[] } | null = null;
  private readonly opts: RunbookLibraryOptions;

  constructor(opts: RunbookLibraryOptions) {
    this.opts = opts;
    if (opts.bundledDir) this.folders.push(newFolder(path.resolve(opts.bundledDir), true));
    for (const f of opts.folders ?? []) {
      const root = path.resolve(expandHome(f));
      if (!this.folders.some((x) => x.root === root)) this.folders.push(newFolder(root, false));
    }
  }

  /** Today and the review statuses kept outside the files, as the lint context and summaries read them. */
  private readonly summaryContext: SummaryContext = {
    now: () => this.now(),
    reviewStatusOf: (id) => this.opts.reviewStatusOf?.(id) ?? null,
  };

  private now(): Date {
    return this.opts.now?.() ?? clockNow();
  }

  private variables(): Record<string, string> {
    const install = this.opts.getInstall?.() ?? null;
    const paths = install?.paths ?? null;
    // An opened support bundle's day is the day it was made: {{today}} and the live-log files are its own.
    const at = install?.bundle ? new Date(install.bundle.asOf) : this.now();
    try {
      return installVariables(paths, at);
    } catch {
      // The logs folder cannot be listed: the live-log variables stay unfilled, and the viewer
      // names them as "Not filled" on every step that uses them instead of the library failing.
      return variablesFromInstall(paths, at);
    }
  }

  /** Re-read changed files of every folder (at most every RESCAN_MIN_INTERVAL_MS unless forced). */
  refresh(force = false): void {
    const t = Date.now();
    if (!force && t - this.lastScan < RESCAN_MIN_INTERVAL_MS) return;
    this.lastScan = t;
    const vars = this.variables();
    const varsKey = JSON.stringify(vars);
    let changed = false;
    for (const folder of this.folders) changed = scanFolder(folder, vars, varsKey) || changed;
    if (changed) this.reindex();
  }

  /** library-folders' preparse with this library's worker lane and size line. */
  private preparse(
    folder: Folder,
    vars: Record<string, string>,
    varsKey: string,
  ): Promise<Map<string, Preparsed>> {
    return preparse(
      folder,
      vars,
      varsKey,
      this.opts.parseWorker ?? runbookParseWorker,
      this.opts.offThreadBytes ?? OFF_THREAD_PARSE_BYTES,
    );
  }

  private refreshing: Promise<void> | null = null;

  /**
   * refresh() with big files parsed on the worker thread: what the hosts call, so a 9 MB runbook
   * never stalls the main loop. Concurrent callers share one pass.
   */
  refreshAsync(force = false): Promise<void> {
    if (this.refreshing) return this.refreshing;
    const t = Date.now();
    if (!force && t - this.lastScan < RESCAN_MIN_INTERVAL_MS) return Promise.resolve();
    const run = (async () => {
      const vars = this.variables();
      const varsKey = JSON.stringify(vars);
      const pre = new Map<Folder, Map<string, Preparsed>>();
      for (const folder of this.folders) pre.set(folder, await this.preparse(folder, vars, varsKey));
      this.lastScan = Date.now();
      let changed = false;
      for (const folder of this.folders)
        changed = scanFolder(folder, vars, varsKey, pre.get(folder)) || changed;
      if (changed) this.reindex();
    })();
    this.refreshing = run.finally(() => {
      this.refreshing = null;
    });
    return this.refreshing;
  }

  private reindex(): void {
    this.generation++;
    const live = new Set<string>();
    for (const folder of this.folders) {
      for (const [rel, f] of folder.files) {
        if (f.doc.kind !== 'runbook') continue;
        const id = `${folder.id}:${rel}`;
        live.add(id);
        if (this.indexed.get(id) === f.doc) continue;
        this.index.add({
          id,
          title: f.doc.meta.title ?? rel,
          symptoms: f.doc.meta.symptoms,
          tags: f.doc.meta.tags,
          body: f.doc.body,
        });
        this.indexed.set(id, f.doc);
      }
    }
    for (const id of [...this.indexed.keys()]) {
      if (!live.has(id)) {
        this.index.remove(id);
        this.indexed.delete(id);
      }
    }
  }

  private entries(): Entry[] {
    // Staleness and review age depend on the date, so the cache also turns over at midnight.
    const key = `${this.generation}:${this.now().toISOString().slice(0, 10)}`;
    if (this.entriesCache?.key === key) return this.entriesCache.list;
    const out: Entry[] = [];
    for (const folder of this.folders) {
      const ctx = lintContextOf(folder, this.summaryContext);
      const cats = indexCategories(folder);
      for (const [rel, f] of folder.files) {
        const lint = lintRunbook(f.doc, ctx);
        out.push({
          folder,
          rel,
          doc: f.doc,
          lint,
          summary: summarize(folder, rel, f.doc, lint, cats, this.summaryContext),
        });
      }
    }
    this.entriesCache = { key, list: out };
    return out;
  }

  /** Every file with its lint problems (for the CLI). File paths are absolute. */
  lintAll(): { summary: RunbookSummary; doc: ParsedRunbook; path: string; problems: LintProblem[] }[] {
    this.refresh(true);
    return this.entries().map((e) => ({
      summary: e.summary,
      doc: e.doc,
      path: path.join(e.folder.root, e.rel),
      problems: e.lint.map((p) => ({ ...p, file: path.join(e.folder.root, e.rel) })),
    }));
  }

  folderInfos(): RunbookFolderInfo[] {
    return this.folders.map((f) => {
      const home =
        [...f.files.keys()].find((rel) => f.files.get(rel)?.doc.kind === 'index' && !rel.includes('/')) ??
        null;
      return {
        id: f.id,
        path: f.root,
        bundled: f.bundled,
        count: [...f.files.values()].filter((x) => x.doc.kind === 'runbook').length,
        homeId: home ? `${f.id}:${home}` : null,
        error: f.error,
        skipped: [...f.skipped],
      };
    });
  }

  list(rescan = false): RunbookLibraryView {
    this.refresh(rescan);
    const folders = this.folderInfos();
    const runbooks = this.entries().map((e) => e.summary);
    runbooks.sort((a, b) =>
      a.kind === b.kind ? a.title.localeCompare(b.title) : a.kind === 'index' ? -1 : 1,
    );
    return {
      folders,
      runbooks,
      homeId:
        folders.find((f) => f.bundled && f.homeId)?.homeId ?? folders.find((f) => f.homeId)?.homeId ?? null,
      installAttached: (this.opts.getInstall?.() ?? null) !== null,
    };
  }

  private locate(id: string): { folder: Folder; rel: string; file: CachedFile } {
    const sep = id.indexOf(':');
    const folder = sep > 0 ? this.folders.find((f) => f.id === id.slice(0, sep)) : undefined;
    const rel = id.slice(sep + 1);
    const file = folder?.files.get(rel);
    if (!folder || !file)
      throw new OpsError(
        'not-found',
        `No runbook "${id}" in the library: it may have been moved or deleted. Reload the library.`,
      );
    return { folder, rel, file };
  }

  get(id: string): RunbookDocument {
    this.refresh();
    const { folder, rel, file } = this.locate(id);
    const doc = file.doc;
    const lint = lintRunbook(doc, lintContextOf(folder, this.summaryContext));
    const summary = summarize(folder, rel, doc, lint, indexCategories(folder), this.summaryContext);
    const linkTargets = doc.links.map((l) =>
      l.kind === 'runbook' && l.target && folder.files.has(l.target) ? `${folder.id}:${l.target}` : null,
    );
    return { ...doc, id, folderId: folder.id, summary, lint, linkTargets, variables: this.variables() };
  }

  search(q: string, limit = 20): RunbookSearchHit[] {
    this.refresh();
    const hits = this.index.search(q, limit);
    if (hits.length === 0) return [];
    const byId = new Map(this.entries().map((e) => [e.summary.id, e.summary]));
    return hits.flatMap((h) => {
      const summary = byId.get(h.id);
      return summary ? [{ ...h, summary }] : [];
    });
  }

  userFolders(): string[] {
    return this.folders.filter((f) => !f.bundled).map((f) => f.root);
  }

  addFolder(input: string): RunbookLibraryView {
    const root = checkFolder(input);
    if (!this.folders.some((f) => f.root === root)) {
      const vars = this.variables();
      this.admitFolder(newFolder(root, false), vars, JSON.stringify(vars));
    }
    return this.list();
  }

  /** Scans a new folder (with what the worker parsed ahead, if any) and adds it; refuses one without runbooks. */
  private admitFolder(
    folder: Folder,
    vars: Record<string, string>,
    varsKey: string,
    pre?: Map<string, Preparsed>,
  ): void {
    scanFolder(folder, vars, varsKey, pre);
    if (folder.files.size === 0) {
      throw new OpsError(
        'not-found',
        `No Markdown files (*.md) in "${folder.root}": add the folder that holds the runbooks (e.g. an Aura checkout's docs/operations/runbooks).`,
      );
    }
    this.folders.push(folder);
    this.reindex();
    this.opts.onFoldersChanged?.(this.userFolders());
    this.opts.onChanged?.('folders');
  }

  /** addFolder with big files parsed on the worker thread (what the hosts call). */
  async addFolderAsync(input: string): Promise<RunbookLibraryView> {
    const root = checkFolder(input);
    if (!this.folders.some((f) => f.root === root)) {
      const folder = newFolder(root, false);
      const vars = this.variables();
      const varsKey = JSON.stringify(vars);
      const pre = await this.preparse(folder, vars, varsKey);
      // Added by another call while this one waited for the worker.
      if (this.folders.some((f) => f.root === root)) return this.list();
      this.admitFolder(folder, vars, varsKey, pre);
    }
    return this.list();
  }

  removeFolder(id: string): RunbookLibraryView {
    const i = this.folders.findIndex((f) => f.id === id);
    if (i < 0) throw new OpsError('not-found', `No runbook folder "${id}": reload the library.`);
    if (this.folders[i].bundled)
      throw new OpsError('bad-request', "The console's bundled runbooks cannot be removed.");
    this.folders.splice(i, 1);
    this.reindex();
    this.opts.onFoldersChanged?.(this.userFolders());
    this.opts.onChanged?.('folders');
    return this.list();
  }

  /** Where a runbook's file is (for the review workflow, which writes drafts and front matter). */
  fileOf(id: string): {
    abs: string;
    root: string;
    rel: string;
    bundled: boolean;
    folderId: string;
    doc: ParsedRunbook;
  } {
    this.refresh();
    const { folder, rel, file } = this.locate(id);
    return {
      abs: path.join(folder.root, ...rel.split('/')),
      root: folder.root,
      rel,
      bundled: folder.bundled,
      folderId: folder.id,
      doc: file.doc,
    };
  }

  /** The operator's folders (writable ones come first in the list the operator added). */
  userFolderInfos(): { id: string; root: string }[] {
    return this.folders.filter((f) => !f.bundled).map((f) => ({ id: f.id, root: f.root }));
  }

  /** Forget cached summaries (a review status kept outside the files changed). */
  invalidate(): void {
    this.entriesCache = null;
  }

  /** Write a new runbook from the six-section template; refuses to overwrite. */
  create(input: { folderId: string; title: string; category: RunbookCategory; severity?: Severity }): {
    id: string;
    path: string;
  } {
    const folder = this.folders.find((f) => f.id === input.folderId);
    if (!folder)
      throw new OpsError('not-found', `No runbook folder "${input.folderId}": reload the library.`);
    const name = fileNameFor(input.title);
    const abs = path.join(folder.root, name);
    const now = this.now();
    const today = `${now.getFullYear()}-${String(now.getMonth() + 1).padStart(2, '0')}-${String(now.getDate()).padStart(2, '0')}`;
    const text = runbookTemplate({
      title: input.title.trim(),
      category: input.category,
      severity: input.severity,
      today,
    });
    try {
      fs.writeFileSync(abs, text, { flag: 'wx' });
    } catch (err) {
      const code = (err as NodeJS.ErrnoException).code;
      if (code === 'EEXIST')
        throw new OpsError('bad-request', `${name} already exists in ${folder.root}: choose another title.`);
      if (code === 'EACCES' || code === 'EPERM' || code === 'EROFS') {
        throw new OpsError(
          'read-only',
          `${folder.root} is not writable: add a folder of your own and create the runbook there.`,
        );
      }
      throw new OpsError('internal', `Could not write ${abs}: ${(err as Error).message}`);
    }
    this.refresh(true);
    this.opts.onChanged?.('created');
    return { id: `${folder.id}:${name}`, path: abs };
  }
}
