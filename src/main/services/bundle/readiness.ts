// What a request on an opened bundle waits for while its files are still being verified: a log
// pane its own file (a family pane whose newest file is segmented: nothing, it shows the checked
// tail), the inspector aura.db, the log picker the newest files that have no tail to show (it
// lists the others from the manifest), runbooks the newest file of each family, and anything else
// every file and the zip's sha256. Default-deny: only requests that read none of the bundle go at once.
import path from 'node:path';
import { BUNDLE_DB_NAME } from '../probes/bundle';
import { LOG_FAMILIES } from '../logs/paths';
import { newestOfFamilies, type OpenedBundle } from './open';

/** Requests that read nothing of the bundle (the console's own state, the shell, open panes). */
const FREE_PREFIXES = ['app:', 'install:'];
const FREE = new Set([
  // An open pane's file was verified before the pane opened.
  'logs:close-pane',
  'logs:panes',
  'logs:page',
  'logs:search',
  'logs:seek-time',
  'logs:record',
  'logs:histogram',
  'logs:add-root',
  // The terminal itself (typing in the shell reads the folder as it is: verified files only).
  'terminal:create',
  'terminal:write',
  'terminal:resize',
  'terminal:ack',
  'terminal:kill',
  'terminal:list',
  'terminal:rename',
  'terminal:replay',
  'terminal:sessions',
  'terminal:settings',
  'terminal:classify',
  // Sessions and history live in ops.db.
  'walkthrough:current',
  'walkthrough:list',
  'walkthrough:get',
  'walkthrough:contacts',
  'walkthrough:recording',
  'walkthrough:focus',
  'probes:latest',
  'probes:config',
  'probes:history',
]);
/** Requests that fill runbook variables from the log files: the newest of each family. */
const FIRST_PAINT_PREFIXES = ['runbooks:'];

/** The manifest name of `p` when it lies inside the bundle's folder, else null. */
function nameInside(dir: string, p: string): string | null {
  const rel = path.relative(dir, path.resolve(p));
  if (rel === '' || rel.startsWith('..') || path.isAbsolute(rel)) return null;
  return rel.split(path.sep).join('/');
}

/** Resolves when `channel` with `params` may run on `b`; rejects with the bundle's error. */
export async function bundleReadiness(channel: string, params: unknown, b: OpenedBundle): Promise<void> {
  const files = b.files;
  if (files.status().state === 'verified' && b.origin.sha256 !== null) return;
  if (FREE.has(channel) || FREE_PREFIXES.some((x) => channel.startsWith(x))) return;
  const names = Object.keys(b.manifest.files);
  if (channel === 'logs:open-pane') {
    const p = params as { family?: string; path?: string };
    if (p.family !== undefined) {
      // A family whose newest file is segmented opens at once on its checked tail (previewTail).
      if (b.previewable(p.family)) return;
      await Promise.all((newestOfFamilies(names).get(p.family) ?? []).map((n) => files.ready(n)));
      return;
    }
    const name = typeof p.path === 'string' ? nameInside(b.dir, p.path) : null;
    if (name !== null) await files.ready(name);
    return;
  }
  if (channel === 'logs:sources') {
    // Lists a file still verifying from the manifest (pending): waits for the first-paint set only.
    const previewed = new Set(
      LOG_FAMILIES.filter((f) => b.previewable(f.id)).flatMap((f) => newestOfFamilies(names).get(f.id) ?? []),
    );
    await Promise.all(
      [...newestOfFamilies(names).values()]
        .flat()
        .filter((n) => !previewed.has(n))
        .map((n) => files.ready(n)),
    );
    return;
  }
  if (FIRST_PAINT_PREFIXES.some((x) => channel.startsWith(x))) {
    await Promise.all([...newestOfFamilies(names).values()].flat().map((n) => files.ready(n)));
    return;
  }
  if (channel.startsWith('db:')) {
    await files.ready(BUNDLE_DB_NAME);
    return;
  }
  await files.all();
  // What records the bundle (a walk-through, a report) names it by its zip's sha256.
  await b.zipSha256;
}
