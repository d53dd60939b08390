// Which log files exist and which may be opened: file-set patterns (aura-api-*.log), the roll
// order of Serilog names (yyyyMMdd then _NNN), the Aura log families, and the path guard that
// resolves symlinks and refuses anything outside the install's logs dir or user-added roots.
import fs from 'node:fs';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';
import type { LogFormat } from '../../../shared/serilog';

export interface LogFamily {
  id: string;
  label: string;
  pattern: string;
  format: LogFormat;
}

/** The families an Aura logs dir holds (FACTS §2.2, §2.4, §2.7). */
export const LOG_FAMILIES: readonly LogFamily[] = [
  { id: 'aura-api', label: 'Main log (aura-api)', pattern: 'aura-api-*.log', format: 'serilog' },
  { id: 'errors', label: 'Errors', pattern: 'errors-*.log', format: 'serilog' },
  { id: 'warnings', label: 'Warnings (includes errors)', pattern: 'warnings-*.log', format: 'serilog' },
  { id: 'performance', label: 'Performance', pattern: 'performance-*.log', format: 'serilog' },
  { id: 'audit', label: 'Audit (unfiltered)', pattern: 'audit-*.log', format: 'serilog' },
  // Only the live month file; size-rolled archives carry a -yyyyMMdd-HHmmss suffix.
  {
    id: 'errors-jsonl',
    label: 'Error store (errors-yyyy-MM.jsonl)',
    pattern: 'errors-????-??.jsonl',
    format: 'errors-jsonl',
  },
  { id: 'startup', label: 'Desktop startup', pattern: 'startup-????-*.log', format: 'startup-jsonl' },
];

export function familyById(id: string): LogFamily | undefined {
  return LOG_FAMILIES.find((f) => f.id === id);
}

/** Glob with `*` and `?` only, matched against a base name. */
export function globToRegExp(pattern: string): RegExp {
  const src = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${src}$`);
}

const collator = new Intl.Collator('en', { numeric: true });

/** Roll order: `x-20251208.log` < `x-20251208_001.log` < `x-20251208_002.log` < `x-20251209.log`. */
export function compareRollOrder(a: string, b: string): number {
  const key = (n: string): string => n.replace(/\.[^.]+$/, '');
  return collator.compare(key(a), key(b));
}

/** Matching files of a directory in roll order (oldest first); [] when the dir is missing. */
export function listFileSet(dir: string, pattern: string): string[] {
  const re = globToRegExp(pattern);
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw err;
  }
  return names.filter((n) => re.test(n)).sort(compareRollOrder);
}

/** Is `p` the folder `root` or inside it (by path, links not followed)? */
export function isInside(root: string, p: string): boolean {
  const rel = path.relative(root, p);
  return rel === '' || (!rel.startsWith('..') && !path.isAbsolute(rel));
}

/** realpath of the longest existing prefix, plus the rest (for dirs that do not exist yet). */
export function resolveReal(p: string): string {
  const abs = path.resolve(p);
  let head = abs;
  const tail: string[] = [];
  for (;;) {
    try {
      return path.join(fs.realpathSync(head), ...tail.reverse());
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
      const parent = path.dirname(head);
      if (parent === head) return abs;
      tail.push(path.basename(head));
      head = parent;
    }
  }
}

/** Resolve `p` (symlinks too) and refuse it unless it lies under one of `roots`. */
export function assertAllowedPath(p: string, roots: readonly string[]): string {
  const real = resolveReal(p);
  for (const r of roots) {
    if (isInside(resolveReal(r), real)) return real;
  }
  throw new OpsError(
    'forbidden-path',
    `Refusing to open ${p}: it is outside the install's logs folder and the folders you added.`,
    roots.length
      ? `Allowed roots: ${roots.join(', ')}. Add the folder as a log root to open it.`
      : 'No install is attached: attach one or add a log folder first.',
  );
}
