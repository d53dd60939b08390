// Helpers of `npm start` (scripts/start.mjs) that differ per platform or install layout, kept apart
// so tests/start-script.test.ts can check them without starting anything.
import fs from 'node:fs';
import path from 'node:path';

/**
 * The command that runs a package's CLI script with this Node. On Windows `.bin/NAME` is a shell
 * script without an extension (spawning it fails), so run the package's JS entry directly.
 * @param {string} root @param {string} pkg @param {string} entry @returns {{ command: string, args: string[] }}
 */
export function nodeScriptCommand(root, pkg, entry) {
  return { command: process.execPath, args: [path.join(root, 'node_modules', pkg, entry)] };
}

/**
 * Copies a package folder for a private rebuild. A linked install (pnpm, npm link, a workspace)
 * makes node_modules/NAME a symlink: copy what it points to, never the link, or deleting the copy's
 * build/ would delete the real package's.
 * @param {string} from @param {string} to
 */
export function copyPackage(from, to) {
  const real = fs.realpathSync(from);
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(real, to, { recursive: true, dereference: true });
  if (fs.lstatSync(to).isSymbolicLink()) throw new Error(`copying ${from} produced a link, not a copy`);
}

/**
 * npm passes its settings to scripts as npm_config_*; `nodedir` would make node-gyp build for
 * Node's ABI while saying "electron" (TOOLCHAIN.md §7). The environment without it.
 * @param {NodeJS.ProcessEnv} env @returns {NodeJS.ProcessEnv}
 */
export function envWithoutNodedir(env) {
  const out = Object.fromEntries(Object.entries(env).filter(([k]) => !/^npm_config_nodedir$/i.test(k)));
  out.npm_config_nodedir = '';
  return out;
}
