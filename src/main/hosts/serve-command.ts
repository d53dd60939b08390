// `aura-ops serve`: start the console runtime and the serve host, print the tokenised URL, and run
// until interrupted. Also what `npm start` falls back to when Electron cannot start.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIO } from '../cli-types';
import { Runtime } from '../runtime';
import { defaultDataDir } from '../services/store/store';
import { startServe } from './serve';
import { startDemoIfNeeded, type DemoMode } from '../demo';

export const SERVE_HELP = `Usage: aura-ops serve [options]

Serve the console to a browser on this machine. It prints a URL with a per-launch token; open
that exact URL. The page trades the token for a session kept in that tab only (a reload keeps
it); a tab opened without the token gets nothing but a note on how to get in.

The token may also come from the environment: AURA_OPS_TOKEN (removed from the environment
before any shell starts, so terminals do not inherit it). Give it at most one way.

Options:
  --port N          Port to listen on (default: a free port)
  --host ADDR       Address to bind (default 127.0.0.1). Anything but loopback exposes a shell
                    to your network: the console warns loudly.
  --install DIR     Attach the Aura install whose data root is DIR (kept for later runs)
  --bundle FILE     Open a support bundle (aura-ops bundle --with-db) read-only instead of a live
                    install: its logs, its aura.db copy, its probes as recorded, and the runbook
                    steps that read files; the demo install does not start
  --data-dir DIR    Where the console keeps ops.db (default: $AURA_OPS_DATA_DIR or the per-user
                    config folder)
  --token-file F    Read the token from file F (first line; the file must not be readable by
                    group or others) instead of making a random one
  --token T         Use this token; other users can see it in the process list, so prefer
                    --token-file or the AURA_OPS_TOKEN environment variable
  --demo            Run and attach the built-in demo install (a sandbox Aura) even when a real
                    install is found
  --no-demo         Never start the demo install; by default it starts when no install is found
  --open            Open the URL in the default browser when one is available
  -h, --help        Show this help`;

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '::1']);

export function rendererDirDefault(): string {
  return process.env.AURA_OPS_RENDERER_DIR ?? path.join(__dirname, '..', 'renderer');
}

export const serveCommand: CliCommand = async (argv, io) => {
  const { values } = parseArgs({
    args: argv,
    options: {
      port: { type: 'string' },
      host: { type: 'string' },
      install: { type: 'string' },
      bundle: { type: 'string' },
      'data-dir': { type: 'string' },
      token: { type: 'string' },
      'token-file': { type: 'string' },
      open: { type: 'boolean', default: false },
      demo: { type: 'boolean' },
      'no-demo': { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: false,
  });
  if (values.help) {
    io.out(SERVE_HELP);
    return 0;
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) {
    io.err(`aura-ops serve: --port must be a number from 0 to 65535, got "${values.port}"`);
    return 2;
  }
  const host = values.host ?? '127.0.0.1';
  const given = readGivenToken(values.token, values['token-file'], io);
  if (given === false) return 2;
  // A test seam: the end-to-end test of a bundle's first paint holds its verification back.
  const verifyDelay = Number(process.env.AURA_OPS_TEST_VERIFY_DELAY_MS ?? 0);
  const runtime = new Runtime({
    dataDir: values['data-dir'] ?? defaultDataDir(),
    host: 'serve',
    explicitInstall: values.install ?? null,
    ...(verifyDelay > 0 && verifyDelay <= 60_000 ? { bundleVerifyDelayMs: verifyDelay } : {}),
  });
  if (values.bundle !== undefined) {
    if (values.install !== undefined || values.demo) {
      io.err(
        'aura-ops serve: --bundle opens a bundle instead of an install; it takes neither --install nor --demo',
      );
      await runtime.dispose();
      return 2;
    }
    try {
      const b = await runtime.openBundle(values.bundle);
      io.out(`Opened ${b.label}, read-only, extracted in ${b.paths.dataRoot}`);
    } catch (err) {
      const e = err as Error & { detail?: string };
      io.err(`aura-ops serve: ${e.message}${e.detail ? `\n  ${e.detail}` : ''}`);
      await runtime.dispose();
      return 2;
    }
  }
  void runtime.startBackground();
  const demoMode: DemoMode =
    values['no-demo'] || values.bundle !== undefined ? 'off' : values.demo ? 'on' : 'auto';
  try {
    const demo = await startDemoIfNeeded(runtime, demoMode);
    if (demo) io.out(`Demo install (sandbox Aura) running at ${demo.url}, data in ${demo.dir}`);
  } catch (err) {
    io.err(
      `aura-ops serve: the demo install could not start: ${(err as Error).message}. The console runs without it.`,
    );
  }
  const handle = await startServe({
    runtime,
    rendererDir: rendererDirDefault(),
    host,
    port,
    ...(given !== null ? { token: given } : {}),
  }).catch(async (err: unknown) => {
    await runtime.dispose();
    throw err;
  });

  if (!LOOPBACK.has(host)) {
    io.err(
      [
        '!!! WARNING: serving on a non-loopback address (' + host + ').',
        '!!! Anyone who can reach this address and learns the token gets a shell on this machine.',
        '!!! Use the default 127.0.0.1 unless you know exactly why not.',
      ].join('\n'),
    );
  }
  const cur = runtime.install.current();
  io.out(`Aura Ops Console ${host === '127.0.0.1' ? '' : `(bound to ${host}) `}is serving at:`);
  io.out(`  ${handle.openUrl}`);
  io.out(
    cur
      ? `Attached install: ${cur.label} at ${cur.paths.dataRoot}`
      : 'No Aura install found yet: open the console to pick or add one.',
  );
  io.out(`Console data: ${runtime.dataDir}`);
  io.out('Press Ctrl+C to stop.');
  if (values.open) openBrowser(handle.openUrl, io);

  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  io.out('Stopping…');
  await handle.close();
  await runtime.dispose();
  return 0;
};

/** Env variable a script can pass the token in (unlike argv, not world-readable in /proc). */
export const TOKEN_ENV = 'AURA_OPS_TOKEN';
/** Shorter tokens could be guessed by another local user trying them one by one. */
const MIN_TOKEN_CHARS = 16;

/**
 * The token the operator chose (--token-file, AURA_OPS_TOKEN or --token), null for a random one,
 * or false after printing why it cannot be used. Always removes AURA_OPS_TOKEN from the
 * environment, so the shells this console starts never inherit it.
 */
export function readGivenToken(
  flag: string | undefined,
  file: string | undefined,
  io: CliIO,
): string | null | false {
  const fromEnv = process.env[TOKEN_ENV];
  delete process.env[TOKEN_ENV];
  const sources = [
    flag !== undefined && '--token',
    file !== undefined && '--token-file',
    fromEnv !== undefined && TOKEN_ENV,
  ].filter((x): x is string => typeof x === 'string');
  if (sources.length === 0) return null;
  if (sources.length > 1) {
    io.err(
      `aura-ops serve: the token was given ${sources.length} ways (${sources.join(', ')}); give it one way.`,
    );
    return false;
  }
  let token: string;
  let where: string;
  if (file !== undefined) {
    where = `the token file ${file}`;
    let st: fs.Stats;
    try {
      st = fs.statSync(file);
      token = fs.readFileSync(file, 'utf8').split(/\r?\n/)[0]!;
    } catch (err) {
      io.err(`aura-ops serve: cannot read --token-file ${file}: ${(err as Error).message}`);
      return false;
    }
    if (process.platform !== 'win32' && (st.mode & 0o077) !== 0) {
      io.err(
        `aura-ops serve: ${file} can be read by other users (mode ${(st.mode & 0o777).toString(8)}); run: chmod 600 ${file}`,
      );
      return false;
    }
  } else if (flag !== undefined) {
    where = '--token';
    token = flag;
    io.err(
      'aura-ops serve: note: --token is visible to other users in the process list; prefer --token-file or AURA_OPS_TOKEN.',
    );
  } else {
    where = TOKEN_ENV;
    token = fromEnv!;
  }
  if (token.length < MIN_TOKEN_CHARS) {
    io.err(`aura-ops serve: ${where}: the token must be at least ${MIN_TOKEN_CHARS} characters`);
    return false;
  }
  if (/[\x00-\x20\x7f]/.test(token)) {
    io.err(`aura-ops serve: ${where}: the token must not contain spaces or control characters`);
    return false;
  }
  return token;
}

function openBrowser(url: string, io: CliIO): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'cmd' : 'xdg-open';
  const args = process.platform === 'win32' ? ['/c', 'start', '""', url] : [url];
  if (process.platform === 'linux' && !process.env.DISPLAY && !process.env.WAYLAND_DISPLAY) {
    io.out('No display found: open the URL above in a browser on this machine.');
    return;
  }
  try {
    const child = spawn(cmd, args, { stdio: 'ignore', detached: true });
    child.on('error', () => io.out('Could not start a browser: open the URL above yourself.'));
    child.unref();
  } catch {
    io.out('Could not start a browser: open the URL above yourself.');
  }
}
