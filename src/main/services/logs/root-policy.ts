// Which folders an operator may add as log roots (every file under one becomes readable in the
// console): the install's own folders and ordinary folders under home are taken; anything else
// needs the folder's full path typed as confirmation; system folders are refused outright.
import path from 'node:path';

export type RootVerdict =
  { kind: 'allow' } | { kind: 'confirm'; reason: string } | { kind: 'refuse'; reason: string };

/**
 * Folders never taken as log roots, with everything under them: they hold credentials, keys,
 * kernel and device interfaces or the system itself, and no Aura log lives there.
 */
const POSIX_SYSTEM = [
  '/etc',
  '/proc',
  '/sys',
  '/dev',
  '/boot',
  '/root',
  '/run',
  '/var/run',
  '/var/lib',
  '/bin',
  '/sbin',
  '/lib',
  '/lib32',
  '/lib64',
  '/usr',
  '/snap',
  '/private/etc',
  '/private/var/root',
  '/System',
  '/Library/Keychains',
];

export interface RootPolicyContext {
  /** The attached install's folders (data root, logs folder): always fine. */
  installDirs: string[];
  /** The operator's home folder, or null when unknown. */
  home: string | null;
  /** Windows system folder ($SystemRoot), when on Windows. */
  windowsDir?: string | null;
  /** path module for the platform (path.win32 in tests of Windows rules). */
  pathApi?: path.PlatformPath;
}

function inside(p: path.PlatformPath, root: string, x: string): boolean {
  const rel = p.relative(root, x);
  return rel === '' || (!rel.startsWith('..') && !p.isAbsolute(rel));
}

/** `real` is the folder with symlinks resolved: a link to /etc is judged as /etc. */
export function judgeLogRoot(real: string, ctx: RootPolicyContext): RootVerdict {
  const p = ctx.pathApi ?? path;
  const norm = (x: string) => (p === path.win32 ? p.resolve(x).toLowerCase() : p.resolve(x));
  const folder = norm(real);
  if (ctx.installDirs.some((d) => inside(p, norm(d), folder))) return { kind: 'allow' };
  const home = ctx.home ? norm(ctx.home) : null;
  if (home && folder !== home && inside(p, home, folder)) {
    const rel = p.relative(home, folder).split(p.sep);
    // Dot folders under home hold keys and tokens (~/.ssh, ~/.aws, ~/.config, ~/.gnupg).
    if (!rel.some((part) => part.startsWith('.'))) return { kind: 'allow' };
    return {
      kind: 'confirm',
      reason: `${real} is a hidden folder of your home folder, where keys and tokens are usually kept.`,
    };
  }
  if (folder === p.parse(folder).root)
    return { kind: 'refuse', reason: `${real} is the root of the file system.` };
  if (home && folder === home)
    return { kind: 'confirm', reason: `${real} is your whole home folder, keys and tokens included.` };
  const system = p === path.win32 ? [ctx.windowsDir ?? 'C:\\Windows'] : POSIX_SYSTEM;
  const hit = system.find((s) => inside(p, norm(s), folder));
  if (hit)
    return {
      kind: 'refuse',
      reason: `${real} is a system folder (${hit}); it holds no Aura logs and may hold secrets.`,
    };
  if (home && inside(p, folder, home))
    return { kind: 'confirm', reason: `${real} holds your home folder, and other users' too.` };
  return { kind: 'confirm', reason: `${real} is outside the install's folders and your home folder.` };
}
