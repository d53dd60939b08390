// Running one runbook step's command as `runbooks test` and Verify do: `shell -c` with the
// install's AURA_* environment and `aura-ops` first on PATH, output merged and capped, a time limit.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { InstallPaths } from '../../../shared/install-types';
import { AS_OF_ENV, installEnv } from '../install/env';
import { MAX_STEP_OUTPUT_CHARS } from './test-types';

/**
 * The environment a step runs with: this process's, the install's AURA_* paths (and a bundle's
 * recorded time, installEnv), `aura-ops` first on PATH.
 */
export function stepEnv(
  paths: InstallPaths,
  shimDir: string | null,
  base: NodeJS.ProcessEnv = process.env,
  bundleAsOf: string | null = null,
): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...base };
  // Never an as-of time inherited from the console's own environment: only the install's.
  delete env[AS_OF_ENV];
  Object.assign(env, installEnv(paths, bundleAsOf));
  env.PATH = shimDir ? `${shimDir}${path.delimiter}${base.PATH ?? ''}` : (base.PATH ?? '');
  // Plain output: no colours or pagers in captured output.
  env.NO_COLOR = '1';
  env.TERM = 'dumb';
  env.PAGER = 'cat';
  return env;
}

export interface CommandResult {
  output: string;
  exitCode: number | null;
  timedOut: boolean;
  durationMs: number;
  /** Set when the shell itself could not start. */
  spawnError: string | null;
}

/** Run one command with `shell -c`, stdout and stderr merged as a terminal shows them. */
export function runCommand(
  command: string,
  opts: { shell: string; cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CommandResult> {
  const t0 = Date.now();
  return new Promise((resolve) => {
    let output = '';
    let timedOut = false;
    const append = (d: Buffer): void => {
      output += d.toString('utf8');
      if (output.length > MAX_STEP_OUTPUT_CHARS * 2) output = output.slice(-MAX_STEP_OUTPUT_CHARS);
    };
    // Its own process group, so a timeout ends the whole pipeline, not just the shell.
    const child = spawn(opts.shell, ['-c', command], {
      cwd: opts.cwd,
      env: opts.env,
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: process.platform !== 'win32',
    });
    child.stdout.on('data', append);
    child.stderr.on('data', append);
    const timer = setTimeout(() => {
      timedOut = true;
      try {
        if (child.pid !== undefined)
          process.kill(process.platform === 'win32' ? child.pid : -child.pid, 'SIGKILL');
      } catch (err) {
        // ESRCH: it ended between the timer firing and the kill; anything else is worth showing.
        if ((err as NodeJS.ErrnoException).code !== 'ESRCH')
          output += `\n[aura-ops: could not stop the step: ${(err as Error).message}]`;
      }
    }, opts.timeoutMs);
    child.once('error', (err) => {
      clearTimeout(timer);
      resolve({
        output,
        exitCode: null,
        timedOut: false,
        durationMs: Date.now() - t0,
        spawnError: `${opts.shell} could not start (${err.message}): install it or run the step by hand.`,
      });
    });
    child.once('close', (code, signal) => {
      clearTimeout(timer);
      resolve({
        output: output.slice(-MAX_STEP_OUTPUT_CHARS),
        exitCode: code ?? (signal ? 128 + (os.constants.signals[signal] ?? 0) : null),
        timedOut,
        durationMs: Date.now() - t0,
        spawnError: null,
      });
    });
  });
}

/** The repo's bin/aura-ops.cjs, found upwards from this module (src/ in tests, out/main when built). */
export function findAuraOpsBin(start = __dirname): string | null {
  let dir = start;
  for (;;) {
    const candidate = path.join(dir, 'bin', 'aura-ops.cjs');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

/** Single-quote a word for sh. */
export function shellQuote(word: string): string {
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/**
 * A temp dir holding an `aura-ops` script that runs this console's CLI: `node bin/aura-ops.cjs`
 * by default, or any command (tests run the TypeScript sources through tsx). Remove it with `cleanup`.
 */
export function createAuraOpsShim(command: string[]): { dir: string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-shim-'));
  fs.writeFileSync(
    path.join(dir, 'aura-ops'),
    `#!/bin/sh\nexec ${command.map(shellQuote).join(' ')} "$@"\n`,
    { mode: 0o755 },
  );
  return { dir, cleanup: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
