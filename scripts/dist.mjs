// `npm run dist`: build, then package with electron-builder. npm's nodedir setting is dropped (it
// makes node-gyp build better-sqlite3 for Node's ABI while saying "electron", TOOLCHAIN.md §7), and
// the project's own native builds are put back afterwards: electron-builder rebuilds them for
// Electron in node_modules, which would break `npm test` and `aura-ops` under Node.
// Extra arguments go to electron-builder (`npm run dist -- --linux deb`); --prebuilt skips the build.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { envWithoutNodedir, nodeScriptCommand } from './start-lib.mjs';

const root = path.resolve(import.meta.dirname, '..');
/** Packages whose build/ electron-builder's rebuild replaces with an Electron-ABI one. */
const NATIVE = ['better-sqlite3', 'node-pty'];

const args = process.argv.slice(2);
const prebuilt = args.includes('--prebuilt');
const builderArgs = args.filter((a) => a !== '--prebuilt');

function run(cmd, env) {
  const r = spawnSync(cmd.command, cmd.args, { cwd: root, stdio: 'inherit', env });
  return r.status ?? 1;
}

if (!prebuilt) {
  const vite = nodeScriptCommand(root, 'electron-vite', path.join('bin', 'electron-vite.js'));
  if (run({ command: vite.command, args: [...vite.args, 'build'] }, process.env) !== 0) {
    console.error('npm run dist: the build failed.');
    process.exit(1);
  }
}

const saved = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-dist-natives-'));
for (const name of NATIVE) {
  const build = path.join(fs.realpathSync(path.join(root, 'node_modules', name)), 'build');
  if (fs.existsSync(build)) fs.cpSync(build, path.join(saved, name), { recursive: true });
}
let code = 1;
try {
  const builder = nodeScriptCommand(root, 'electron-builder', 'cli.js');
  code = run({ command: builder.command, args: [...builder.args, ...builderArgs] }, envWithoutNodedir(process.env));
} finally {
  for (const name of NATIVE) {
    const keep = path.join(saved, name);
    if (!fs.existsSync(keep)) continue;
    const build = path.join(fs.realpathSync(path.join(root, 'node_modules', name)), 'build');
    fs.rmSync(build, { recursive: true, force: true });
    fs.cpSync(keep, build, { recursive: true });
  }
  fs.rmSync(saved, { recursive: true, force: true });
}
if (code !== 0) console.error(`npm run dist: electron-builder failed (exit ${code}); the project's own native builds were put back.`);
process.exit(code);
