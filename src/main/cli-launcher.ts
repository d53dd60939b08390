// Puts `aura-ops` on the console's terminal PATH: a small launcher script in the data dir that runs
// the CLI with this app's own runtime (Node for serve; the Electron binary in CLI mode for desktop).
import fs from 'node:fs';
import path from 'node:path';

/** The command line that runs the CLI; the launcher appends the user's arguments. */
export interface CliCommand {
  command: string;
  args: string[];
}

/** Marker argument: the Electron entry runs the CLI instead of opening a window. */
export const CLI_MODE_ARG = '--aura-ops-cli';

/** POSIX single quotes hold anything but a single quote, which is closed, escaped and reopened. */
export function shQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/**
 * cmd.exe: a path is double-quoted; `"` cannot occur in a Windows path, `%` is doubled so it is not
 * expanded. Anything else that cmd would read as a line break is refused.
 */
export function cmdQuote(s: string): string {
  if (/["\r\n\0]/.test(s))
    throw new Error(`cannot write a launcher for a path holding a quote or line break: ${JSON.stringify(s)}`);
  return `"${s.replace(/%/g, '%%')}"`;
}

export function posixLauncher(cli: CliCommand): string {
  const words = [cli.command, ...cli.args].map(shQuote).join(' ');
  return [
    '#!/bin/sh',
    "# Written by Aura Ops Console: runs its `aura-ops` CLI with the app's own runtime.",
    `exec ${words} "$@"`,
    '',
  ].join('\n');
}

export function windowsLauncher(cli: CliCommand): string {
  const words = [cli.command, ...cli.args].map(cmdQuote).join(' ');
  return [
    '@echo off',
    "rem Written by Aura Ops Console: runs its aura-ops CLI with the app's own runtime.",
    `${words} %*`,
    '',
  ].join('\r\n');
}

/**
 * Writes `<dir>/aura-ops` (and `aura-ops.cmd` on Windows) and returns `dir`, to be put first on the
 * terminal's PATH. The folder is the console's own (inside its data dir), owner-only.
 */
export function writeCliLauncher(
  dir: string,
  cli: CliCommand,
  platform: NodeJS.Platform = process.platform,
): string {
  fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
  if (platform === 'win32') {
    fs.writeFileSync(path.join(dir, 'aura-ops.cmd'), windowsLauncher(cli));
  } else {
    const file = path.join(dir, 'aura-ops');
    fs.writeFileSync(file, posixLauncher(cli), { mode: 0o700 });
    // writeFileSync keeps the mode of an existing file: set it every time.
    fs.chmodSync(file, 0o700);
  }
  return dir;
}

/** The built CLI (out/main/cli.js) next to this bundle, or null when running from sources. */
export function builtCliScript(): string | null {
  const here = typeof __dirname === 'string' ? __dirname : null;
  if (!here) return null;
  for (const dir of [here, path.dirname(here)]) {
    const cli = path.join(dir, 'cli.js');
    if (fs.existsSync(cli) && fs.existsSync(path.join(dir, 'index.js'))) return cli;
  }
  return null;
}
