// The runbook library's folders on disk: checking a folder the operator adds, walking one for its
// Markdown files within limits (size, count, depth, links kept inside), and re-parsing only the
// files whose mtime, size or install variables changed; big files can be parsed ahead on the worker.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';
import { parseRunbook } from '../../../shared/runbooks/parse';
import type { ParsedRunbook } from '../../../shared/runbooks/types';
import type { TaskWorker } from '../../workers/off-thread';

/** Runbooks are small; a larger Markdown file is skipped rather than read into memory. */
export const MAX_FILE_BYTES = 16 * 1024 * 1024;
/** A folder with more Markdown than this is probably not a runbook folder (e.g. a whole home dir). */
export const MAX_FILES_PER_FOLDER = 1000;
/** Runbook folders are shallow; deeper trees are not walked. */
const MAX_DEPTH = 6;
const SKIP_DIRS = new Set(['node_modules', '.git', 'bin', 'obj']);
/**
 * Files at least this big are parsed on the worker thread by the async paths (add folder, list,
 * get, search from a host): micromark's list handling is superlinear, so a 50 KB list takes
 * seconds and a 9 MB nested file minutes; a bundled runbook (10-20 KB of prose) takes tens of ms.
 */
export const OFF_THREAD_PARSE_BYTES = 64 * 1024;

/** A file parsed ahead on the worker, used by the synchronous scan when the file is unchanged. */
export interface Preparsed {
  mtimeMs: number;
  size: number;
  varsKey: string;
  doc: ParsedRunbook;
}

export interface CachedFile {
  mtimeMs: number;
  size: number;
  varsKey: string;
  doc: ParsedRunbook;
}

export interface Folder {
  id: string;
  root: string;
  bundled: boolean;
  error: string | null;
  skipped: string[];
  /** Relative posix path -> parsed file. */
  files: Map<string, CachedFile>;
}

/** A parse still good for the file as it is now: same mtime and size, same install variables. */
function isCurrent<T extends CachedFile>(f: T | undefined, stat: fs.Stats, varsKey: string): f is T {
  return !!f && f.mtimeMs === stat.mtimeMs && f.size === stat.size && f.varsKey === varsKey;
}

function folderIdFor(root: string, bundled: boolean): string {
  if (bundled) return 'bundled';
  return `f${crypto.createHash('sha1').update(root).digest('hex').slice(0, 10)}`;
}

export function expandHome(p: string): string {
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

export function newFolder(root: string, bundled: boolean): Folder {
  return { id: folderIdFor(root, bundled), root, bundled, error: null, skipped: [], files: new Map() };
}

/** The Markdown files under a folder with their stats (null when the folder cannot be read). */
function walkFolder(folder: Folder): Map<string, { abs: string; stat: fs.Stats }> | null {
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

/** Re-read what changed in a folder (new, changed or gone files); true when its set of parsed files changed. */
export function scanFolder(
  folder: Folder,
  vars: Record<string, string>,
  varsKey: string,
  pre?: Map<string, Preparsed>,
): boolean {
  const found = walkFolder(folder);
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
    if (isCurrent(folder.files.get(rel), stat, varsKey)) continue;
    const ahead = pre?.get(rel);
    if (isCurrent(ahead, stat, varsKey)) {
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
 * Parse on the worker the files a scan of `folder` would parse, so that the synchronous scan after
 * it finds them ready: the big ones, and all of them when together they come to `offThreadBytes`
 * (200 small runbooks block the loop as long as one big one). A file the worker cannot parse is
 * left to the scan, which names it.
 */
export async function preparse(
  folder: Folder,
  vars: Record<string, string>,
  varsKey: string,
  lane: TaskWorker,
  offThreadBytes: number,
): Promise<Map<string, Preparsed>> {
  const out = new Map<string, Preparsed>();
  const found = walkFolder(folder);
  if (!found) return out;
  const stale = [...found].filter(([rel, { stat }]) => !isCurrent(folder.files.get(rel), stat, varsKey));
  const all = stale.reduce((n, [, { stat }]) => n + stat.size, 0) >= offThreadBytes;
  for (const [rel, { abs, stat }] of stale) {
    if (!all && stat.size < offThreadBytes) continue;
    const doc = await lane.run('parse-runbook', { abs, file: rel, variables: vars });
    out.set(rel, { mtimeMs: stat.mtimeMs, size: stat.size, varsKey, doc });
  }
  return out;
}
