// `npm start`: build when the sources are newer than the build, then open the console in Electron.
// When Electron cannot start here (no binary, no display, no better-sqlite3 for its ABI) it says why
// in one line and serves the same console to a browser instead (`aura-ops serve --open`).
import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { copyPackage, envWithoutNodedir, nodeScriptCommand } from './start-lib.mjs';

const root = path.resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const args = process.argv.slice(2);
/** An Electron that dies this fast never opened its window: treat it as "cannot start". */
const EARLY_EXIT_MS = 4000;

function newestMtime(p) {
  const st = fs.statSync(p);
  if (!st.isDirectory()) return st.mtimeMs;
  let m = 0;
  for (const e of fs.readdirSync(p)) m = Math.max(m, newestMtime(path.join(p, e)));
  return m;
}

function buildIfStale() {
  const marker = path.join(root, 'out', 'main', 'cli.js');
  const inputs = ['src', 'electron.vite.config.ts', 'package.json'].map((p) => path.join(root, p));
  const stale = !fs.existsSync(marker) || Math.max(...inputs.map(newestMtime)) > fs.statSync(marker).mtimeMs;
  if (!stale) return;
  console.log('Building the console…');
  const vite = nodeScriptCommand(root, 'electron-vite', path.join('bin', 'electron-vite.js'));
  const r = spawnSync(vite.command, [...vite.args, 'build'], {
    cwd: root,
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  if (r.status !== 0) {
    console.error('npm start: the build failed; run `npm run build` to see the full output.');
    process.exit(1);
  }
}

/** The Electron binary's path, downloading it once (quietly) when missing; or an Error saying why not. */
function electronBinary() {
  const dir = path.dirname(require.resolve('electron/package.json'));
  const pathFile = path.join(dir, 'path.txt');
  const existing = () => {
    if (!fs.existsSync(pathFile)) return null;
    const p = path.join(dir, 'dist', fs.readFileSync(pathFile, 'utf8'));
    return fs.existsSync(p) ? p : null;
  };
  if (existing()) return existing();
  const r = spawnSync(process.execPath, [path.join(dir, 'install.js')], {
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const found = existing();
  if (found) return found;
  const why =
    `${r.stderr}\n${r.stdout}`
      .split('\n')
      .map((l) => l.trim())
      .find((l) => /error|failed/i.test(l)) ?? `exit ${r.status}`;
  return new Error(`Electron's binary is not installed and could not be downloaded (${why})`);
}

/** Why Electron cannot run here, or null when it may. */
function electronBlocker(binary) {
  if (binary instanceof Error) return binary.message;
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY)
    return 'there is no display (DISPLAY is not set)';
  return ensureElectronSqlite();
}

/**
 * better-sqlite3 is not N-API: Electron needs a build for its own ABI. Keep it apart from Node's
 * (.electron-native/), so `npm test` under Node and `npm start` under Electron both work.
 */
function ensureElectronSqlite() {
  const target = path.join(root, '.electron-native', 'better_sqlite3.node');
  const version = require('electron/package.json').version;
  const stamp = path.join(root, '.electron-native', 'electron-version');
  if (fs.existsSync(target) && fs.existsSync(stamp) && fs.readFileSync(stamp, 'utf8') === version)
    return null;
  console.log(`Getting better-sqlite3 for Electron ${version} (once)…`);
  const work = path.join(root, '.electron-native', 'build');
  const pkg = path.join(root, 'node_modules', 'better-sqlite3');
  copyPackage(pkg, work);
  fs.rmSync(path.join(work, 'build'), { recursive: true, force: true });
  const env = envWithoutNodedir(process.env);
  const built = path.join(work, 'build', 'Release', 'better_sqlite3.node');
  const why = [];
  // First a prebuilt binary for Electron's ABI (what better-sqlite3's own install tries): no compiler needed.
  const pkgRequire = createRequire(fs.realpathSync(path.join(pkg, 'package.json')));
  const prebuild = firstExisting([
    () => pkgRequire.resolve('prebuild-install/bin.js'),
    () => require.resolve('prebuild-install/bin.js'),
  ]);
  if (prebuild) {
    const r = spawnSync(
      process.execPath,
      [prebuild, '--runtime', 'electron', '--target', version, '--arch', process.arch],
      {
        cwd: work,
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
        encoding: 'utf8',
      },
    );
    if (r.status !== 0 || !fs.existsSync(built))
      why.push(`no prebuilt binary (${lastLine(r.stderr, /err|warn/i) ?? `exit ${r.status}`})`);
  } else why.push('prebuild-install is not installed');
  // Then compile it against Electron's headers (needs a C++ toolchain and the network).
  if (!fs.existsSync(built)) {
    const gyp = firstExisting([
      () => require.resolve('node-gyp/bin/node-gyp.js'),
      () =>
        path.join(
          path.dirname(process.execPath),
          '..',
          'lib',
          'node_modules',
          'npm',
          'node_modules',
          'node-gyp',
          'bin',
          'node-gyp.js',
        ),
    ]);
    if (!gyp)
      return `better-sqlite3 for Electron ${version}: ${why.join('; ')}, and node-gyp was not found to build it`;
    const r = spawnSync(
      process.execPath,
      [
        gyp,
        'rebuild',
        '--release',
        `--target=${version}`,
        '--arch=' + process.arch,
        '--dist-url=https://electronjs.org/headers',
        '--nodedir=',
      ],
      { cwd: work, env, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' },
    );
    if (r.status !== 0 || !fs.existsSync(built)) {
      why.push(`node-gyp failed (${lastLine(r.stderr, /error/i) ?? `exit ${r.status}`})`);
      return `better-sqlite3 could not be got for Electron ${version}: ${why.join('; ')}`;
    }
  }
  fs.copyFileSync(built, target);
  fs.writeFileSync(stamp, version);
  return null;
}

/** The last line of `text` matching `re`, trimmed, or null. */
function lastLine(text, re) {
  const hit = (text || '')
    .split('\n')
    .filter((l) => re.test(l))
    .pop();
  return hit ? hit.trim() : null;
}

function serve(reason) {
  console.log(`Electron cannot start here: ${reason}. Serving the console to your browser instead.`);
  const child = spawn(
    process.execPath,
    [path.join(root, 'bin', 'aura-ops.cjs'), 'serve', '--open', ...args],
    { cwd: root, stdio: 'inherit' },
  );
  const forward = (sig) => child.kill(sig);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code) => process.exit(code ?? 0));
}

buildIfStale();
const binary = electronBinary();
const blocker = electronBlocker(binary);
if (blocker) {
  serve(blocker);
} else {
  const started = Date.now();
  let stderr = '';
  const child = spawn(binary, [root, ...args], { cwd: root, stdio: ['ignore', 'inherit', 'pipe'] });
  child.stderr.on('data', (d) => {
    stderr += d;
    process.stderr.write(d);
  });
  child.on('exit', (code) => {
    if (code !== 0 && Date.now() - started < EARLY_EXIT_MS) {
      const line = stderr.trim().split('\n').pop() || `exit code ${code}`;
      serve(`Electron exited at once (${line})`);
    } else process.exit(code ?? 0);
  });
}

/** The first of `candidates` (each a path getter that may throw) naming a file that exists, or null. */
function firstExisting(candidates) {
  for (const get of candidates) {
    try {
      const p = get();
      if (p && fs.existsSync(p)) return p;
    } catch {
      // not resolvable: try the next
    }
  }
  return null;
}
