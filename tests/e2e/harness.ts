// End-to-end harness (no vitest here: benches use it too, outside a test run): runs the real `aura-ops serve` as a child process on a temp data dir and a
// temp HOME (so no real install leaks in), and drives the real renderer in the system Chromium.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { toolPath } from '../tools';

export const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'aura-ops.cjs');
/** The flags these machines need for headless Chromium (TOOLCHAIN.md). */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** Temp folders the harness made; removed when the test process exits. */
const madeDirs = new Set<string>();
process.once('exit', () => {
  for (const d of madeDirs) fs.rmSync(d, { recursive: true, force: true });
});

export function tempDir(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), `aura-ops-${prefix}-`));
  madeDirs.add(d);
  return d;
}

export interface ServeProc {
  url: string;
  openUrl: string;
  token: string;
  port: number;
  dataDir: string;
  home: string;
  output: () => string;
  proc: ChildProcess;
  stop(): Promise<void>;
}

export interface ServeOpts {
  install?: string;
  dataDir?: string;
  home?: string;
  args?: string[];
  env?: NodeJS.ProcessEnv;
}

export async function startServe(opts: ServeOpts = {}): Promise<ServeProc> {
  if (!fs.existsSync(path.join(ROOT, 'out', 'renderer', 'index.html'))) {
    throw new Error('The renderer is not built: run `npm run build` (npm test does it first).');
  }
  const dataDir = opts.dataDir ?? tempDir('data');
  const home = opts.home ?? tempDir('home');
  const args = [
    BIN,
    'serve',
    '--data-dir',
    dataDir,
    ...(opts.install ? ['--install', opts.install] : []),
    ...(opts.args ?? []),
  ];
  const env: NodeJS.ProcessEnv = { PATH: process.env.PATH, HOME: home, LANG: 'C.UTF-8', ...opts.env };
  const proc = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
  proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
  const openUrl = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its URL in time:\n${out}`)), 20_000);
    const check = () => {
      const m = /(http:\/\/\S+#token=\S+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    };
    proc.stdout!.on('data', check);
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code}:\n${out}`));
    });
  });
  const u = new URL(openUrl);
  return {
    url: `${u.origin}/`,
    openUrl,
    token: decodeURIComponent(u.hash.replace(/^#token=/, '')),
    port: Number(u.port),
    dataDir,
    home,
    output: () => out,
    proc,
    stop: () =>
      new Promise<void>((resolve) => {
        if (proc.exitCode !== null) return resolve();
        proc.once('exit', () => resolve());
        proc.kill('SIGTERM');
        setTimeout(() => proc.kill('SIGKILL'), 5000).unref();
      }),
  };
}

export interface Browser {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

export async function openBrowser(): Promise<Browser> {
  const profile = tempDir('chromium');
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: toolPath('chromium'),
    headless: true,
    args: CHROMIUM_FLAGS,
    viewport: { width: 1400, height: 860 },
  });
  // A missing element should fail a test in seconds, not hang it until the test timeout.
  context.setDefaultTimeout(10_000);
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      fs.rmSync(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Load the console in `page` as a new document. The console drops the `#token=` fragment from
 * the address once it has signed in, so a second `goto(openUrl)` on a page still showing it is a
 * same-document fragment change: nothing reloads and the last test's state (a filter, an open
 * dialog) carries over. Leaving for about:blank first makes every call a real load.
 */
export async function openConsole(page: Page, serve: Pick<ServeProc, 'url' | 'openUrl'>): Promise<void> {
  if (page.url().startsWith(serve.url)) await page.goto('about:blank');
  await page.goto(serve.openUrl);
}
