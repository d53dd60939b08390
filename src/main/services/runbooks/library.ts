// The runbook library: Markdown runbooks from the bundled folder and folders the operator adds,
// parsed (with install variables filled), linted, indexed for search and browsable by category.
// Files are re-read only when their mtime or size changes; a rescan happens at most every few s.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
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
import { isStale, lintRunbook, reviewAgeDays, type LintContext } from '../../../shared/runbooks/lint';
import { parseCategory } from '../../../shared/runbooks/metadata';
import { parseRunbook } from '../../../shared/runbooks/parse';
import type { ReviewStatus } from '../../../shared/runbooks/review';
import { SearchIndex } from '../../../shared/runbooks/search-index';
import { fileNameFor, runbookTemplate } from '../../../shared/runbooks/template';
import type { LintProblem, ParsedRunbook, RunbookCategory, Severity } from '../../../shared/runbooks/types';
import { variablesFromInstall } from '../../../shared/runbooks/variables';
import { installVariables } from './install-variables';
import { now as clockNow } from '../../../shared/clock';
import { runbookParseWorker, type TaskWorker } from '../../workers/off-thread';

/** Runbooks are small; a larger Markdown file is skipped rather than read into memory. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** A folder with more Markdown than this is probably not a runbook folder (e.g. a whole home dir). */
export const MAX_FILES_PER_FOLDER = 1000;
/** Runbook folders are shallow; deeper trees are not walked. */
const MAX_DEPTH = 6;
/** Between two requests closer than this, the folders are not re-stat'ed. */
const RESCAN_MIN_INTERVAL_MS = 2000;
const SKIP_DIRS = new Set(['node_modules', '.git', 'bin', 'obj']);
/**
 * Files at least this big are parsed on the worker thread by the async paths (add folder, list,
 * get, search from a host): micromark's list handling is superlinear, so a 50 KB list takes
 * seconds and a 9 MB nested file minutes; a bundled runbook (10-20 KB of prose) takes tens of ms.
 */
export const OFF_THREAD_PARSE_BYTES = 64 * 1024;

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

/** A file parsed ahead on the worker, used by the synchronous scan when the file is unchanged. */
interface Preparsed {
  mtimeMs: number;
  size: number;
  varsKey: string;
  doc: ParsedRunbook;
}

interface CachedFile {
  mtimeMs: number;
  size: number;
  varsKey: string;
  doc: ParsedRunbook;
}

interface Folder {
  id: string;
  root: string;
  bundled: boolean;
  error: string | null;
  skipped: string[];
  /** Relative posix path -> parsed file. */
  files: Map<string, CachedFile>;
}

interface Entry {
  folder: Folder;
  rel: string;
  doc: ParsedRunbook;
  lint: LintProblem[];
  summary: RunbookSummary;
}

function folderIdFor(root: string, bundled: boolean): string {
  if (bundled) return 'bundled';
  return `f${crypto.createHash('sha1').update(root).digest('hex').slice(0, 10)}`;
}

function expandHome(p: string): string {
  return p === '~' || p.startsWith('~/') ? path.join(os.homedir(), p.slice(1)) : p;
}

/** Check a folder an operator wants to add: absolute, a directory, readable. Returns its real path. */
export function checkFolder(input: string): string {
  const expanded = expandHome(input.trim());
  if (!path.isAbsolute(expanded)) {
    throw new OpsError(
      'bad-request',
      `"${input}" is not an absolute path: give the full path of a folder of Markdown runbooks.`,
    );
  }
  let real: string;
  try {
    real = fs.realpathSync(expanded);
  } catch {
    throw new OpsError('not-found', `Folder "${expanded}" does not exist: check the path.`);
  }
  if (!fs.statSync(real).isDirectory())
    throw new OpsError('bad-request', `"${real}" is a file, not a folder: add the folder that holds it.`);
  try {
    fs.accessSync(real, fs.constants.R_OK | fs.constants.X_OK);
  } catch (err) {
    throw new OpsError(
      'forbidden-path',
      `Folder "${real}" cannot be read: check its permissions.`,
      (err as Error).message,
    );
  }
  return real;
}

function toPosix(rel: string): string {
  return rel.split(path.sep).join('/');
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
    if (opts.bundledDir) this.folders.push(this.makeFolder(path.resolve(opts.bundledDir), true));
    for (const f of opts.folders ?? []) {
      const root = path.resolve(expandHome(f));
      if (!this.folders.some((x) => x.root === root)) this.folders.push(this.makeFolder(root, false));
    }
  }

  private makeFolder(root: string, bundled: boolean): Folder {
    return { id: folderIdFor(root, bundled), root, bundled, error: null, skipped: [], files: new Map() };
  }

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
    for (const folder of this.folders) changed = this.scanFolder(folder, vars, varsKey) || changed;
    if (changed) this.reindex();
  }

  /** The Markdown files under a folder with their stats (null when the folder cannot be read). */
  private walkFolder(folder: Folder): Map<string, { abs: string; stat: fs.Stats }> | null {
    folder.skipped = [];
    const found = new Map<string, { abs: string; stat: fs.Stats }>();
    try {
      const st = fs.statSync(folder.root);
      if (!st.isDirectory()) throw new Error('not a directory');
      folder.error = null;
    } catch (err) {
      folder.error = `Folder ${folder.root} cannot be read (${(err as Error).message}): was it moved? Remove it or restore it.`;
      return null;
    }
    const walk = (dir: string, depth: number): void => {
      let entries: fs.Dirent[];
      try {
        entries = fs.readdirSync(dir, { withFileTypes: true });
      } catch (err) {
        folder.skipped.push(`${dir}: cannot be read (${(err as Error).message})`);
        return;
      }
      entries.sort((a, b) => a.name.localeCompare(b.name));
      for (const e of entries) {
        if (e.name.startsWith('.')) continue;
        const abs = path.join(dir, e.name);
        if (e.isDirectory()) {
          if (depth < MAX_DEPTH && !SKIP_DIRS.has(e.name)) walk(abs, depth + 1);
          continue;
        }
        if (!/\.md$/i.test(e.name) || !(e.isFile() || e.isSymbolicLink())) continue;
        let stat: fs.Stats;
        try {
          // A symlinked file must stay inside the folder: never read outside a configured root.
          if (e.isSymbolicLink()) {
            const real = fs.realpathSync(abs);
            if (!real.startsWith(folder.root + path.sep)) {
              folder.skipped.push(`${toPosix(path.relative(folder.root, abs))}: links outside the folder`);
              continue;
            }
          }
          stat = fs.statSync(abs);
        } catch (err) {
          folder.skipped.push(`${toPosix(path.relative(folder.root, abs))}: ${(err as Error).message}`);
          continue;
        }
        if (!stat.isFile()) continue;
        if (stat.size > MAX_FILE_BYTES) {
          folder.skipped.push(
            `${toPosix(path.relative(folder.root, abs))}: ${Math.round(stat.size / 1048576)} MB is too large for a runbook`,
          );
          continue;
        }
        if (found.size >= MAX_FILES_PER_FOLDER) {
          folder.skipped.push(`more than ${MAX_FILES_PER_FOLDER} Markdown files: the rest are not read`);
          return;
        }
        found.set(toPosix(path.relative(folder.root, abs)), { abs, stat });
      }
    };
    walk(folder.root, 0);
    return found;
  }

  private scanFolder(
    folder: Folder,
    vars: Record<string, string>,
    varsKey: string,
    pre?: Map<string, Preparsed>,
  ): boolean {
    const found = this.walkFolder(folder);
    if (!found) {
      const had = folder.files.size > 0;
      folder.files.clear();
      return had;
    }
    let changed = false;
    for (const rel of [...folder.files.keys()]) {
      if (!found.has(rel)) {
        folder.files.delete(rel);
        changed = true;
      }
    }
    for (const [rel, { abs, stat }] of found) {
      const cached = folder.files.get(rel);
      if (
        cached &&
        cached.mtimeMs === stat.mtimeMs &&
        cached.size === stat.size &&
        cached.varsKey === varsKey
      )
        continue;
      const ahead = pre?.get(rel);
      if (ahead && ahead.mtimeMs === stat.mtimeMs && ahead.size === stat.size && ahead.varsKey === varsKey) {
        folder.files.set(rel, ahead);
        changed = true;
        continue;
      }
      let text: string;
      try {
        text = fs.readFileSync(abs, 'utf8');
      } catch (err) {
        folder.skipped.push(`${rel}: ${(err as Error).message}`);
        folder.files.delete(rel);
        continue;
      }
      folder.files.set(rel, {
        mtimeMs: stat.mtimeMs,
        size: stat.size,
        varsKey,
        doc: parseRunbook(text, { file: rel, variables: vars }),
      });
      changed = true;
    }
    return changed;
  }

  /**
   * Parse on the worker the big files a scan of `folder` would parse, so that the synchronous scan
   * after it finds them ready. A file the worker cannot parse is left to the scan, which names it.
   */
  private async preparse(
    folder: Folder,
    vars: Record<string, string>,
    varsKey: string,
  ): Promise<Map<string, Preparsed>> {
    const out = new Map<string, Preparsed>();
    const found = this.walkFolder(folder);
    if (!found) return out;
    const lane = this.opts.parseWorker ?? runbookParseWorker;
    for (const [rel, { abs, stat }] of found) {
      if (stat.size < (this.opts.offThreadBytes ?? OFF_THREAD_PARSE_BYTES)) continue;
      const cached = folder.files.get(rel);
      if (
        cached &&
        cached.mtimeMs === stat.mtimeMs &&
        cached.size === stat.size &&
        cached.varsKey === varsKey
      )
        continue;
      const doc = await lane.run('parse-runbook', { abs, file: rel, variables: vars });
      out.set(rel, { mtimeMs: stat.mtimeMs, size: stat.size, varsKey, doc });
    }
    return out;
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
        changed = this.scanFolder(folder, vars, varsKey, pre.get(folder)) || changed;
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

  private lintContext(folder: Folder): LintContext {
    const cats = this.indexCategories(folder);
    return {
      categoryOf: (file) => cats.get(file) ?? null,
      now: this.now(),
      exists: (target) => folder.files.has(target),
      slugsOf: (target) => folder.files.get(target)?.doc.headings.map((h) => h.slug) ?? null,
    };
  }

  /** Categories the folder's index assigns by listing a runbook under a category heading. */
  private indexCategories(folder: Folder): Map<string, RunbookCategory> {
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

  private summarize(
    folder: Folder,
    rel: string,
    doc: ParsedRunbook,
    lint: LintProblem[],
    cats: Map<string, RunbookCategory>,
  ): RunbookSummary {
    const now = this.now();
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
          ? (this.opts.reviewStatusOf?.(`${folder.id}:${rel}`) ?? doc.review?.status ?? null)
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

  private entries(): Entry[] {
    // Staleness and review age depend on the date, so the cache also turns over at midnight.
    const key = `${this.generation}:${this.now().toISOString().slice(0, 10)}`;
    if (this.entriesCache?.key === key) return this.entriesCache.list;
    const out: Entry[] = [];
    for (const folder of this.folders) {
      const ctx = this.lintContext(folder);
      const cats = this.indexCategories(folder);
      for (const [rel, f] of folder.files) {
        const lint = lintRunbook(f.doc, ctx);
        out.push({ folder, rel, doc: f.doc, lint, summary: this.summarize(folder, rel, f.doc, lint, cats) });
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
    const lint = lintRunbook(doc, this.lintContext(folder));
    const summary = this.summarize(folder, rel, doc, lint, this.indexCategories(folder));
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
      this.admitFolder(this.makeFolder(root, false), vars, JSON.stringify(vars));
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
    this.scanFolder(folder, vars, varsKey, pre);
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
      const folder = this.makeFolder(root, false);
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
