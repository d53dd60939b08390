// `npm run dist`: build, then package with electron-builder. npm's nodedir setting is dropped (it
// makes node-gyp build better-sqlite3 for Node's ABI while saying "electron", TOOLCHAIN.md §7), and
// the project's own native builds are put back afterwards: electron-builder rebuilds them for
// Electron in node_modules, which would break `npm test` and `aura-ops` under Node.
// Extra arguments go to electron-builder (`npm run dist -- --linux deb`); --prebuilt skips the build.
import { spawnSync } from 'node:child_process';
import crypto from 'node:crypto';
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

/** A digest of every file under dir (paths and contents), to see whether a rebuild touched it. */
function digest(dir) {
  const h = crypto.createHash('sha256');
  const walk = (d) => {
    for (const e of fs.readdirSync(d, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const p = path.join(d, e.name);
      h.update(path.relative(dir, p));
      if (e.isDirectory()) walk(p);
      else if (e.isFile()) h.update(fs.readFileSync(p));
    }
  };
  if (fs.existsSync(dir)) walk(dir);
  return h.digest('hex');
}
const buildDir = (name) => path.join(fs.realpathSync(path.join(root, 'node_modules', name)), 'build');

const saved = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-dist-natives-'));
const before = {};
for (const name of NATIVE) {
  const build = buildDir(name);
  before[name] = digest(build);
  if (fs.existsSync(build)) fs.cpSync(build, path.join(saved, name), { recursive: true });
}
let code = 1;
try {
  const builder = nodeScriptCommand(root, 'electron-builder', 'cli.js');
  code = run(
    { command: builder.command, args: [...builder.args, ...builderArgs] },
    envWithoutNodedir(process.env),
  );
} finally {
  for (const name of NATIVE) {
    const keep = path.join(saved, name);
    const build = buildDir(name);
    // Untouched (npmRebuild off): leave it, so a test run reading it meanwhile never sees it missing.
    if (!fs.existsSync(keep) || digest(build) === before[name]) continue;
    console.log(`npm run dist: putting back the Node build of ${name}`);
    fs.rmSync(build, { recursive: true, force: true });
    fs.cpSync(keep, build, { recursive: true });
  }
  fs.rmSync(saved, { recursive: true, force: true });
}
if (code !== 0)
  console.error(
    `npm run dist: electron-builder failed (exit ${code}); the project's own native builds were put back.`,
  );
process.exit(code);
