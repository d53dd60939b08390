// `aura-ops terminal classify|run` end to end: a real pty shell, its exit code, and the refusal of
// a mutating command without --yes.
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../cli-types';
import { terminalCommand } from './cli';

const dir = mkdtempSync(join(tmpdir(), 'aura-term-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function capture(): CliIO & { outs: string[]; errs: string[] } {
  const outs: string[] = [];
  const errs: string[] = [];
  return { outs, errs, out: (t) => outs.push(t), err: (t) => errs.push(t) };
}

describe('aura-ops terminal', () => {
  it('classifies as JSON', async () => {
    const io = capture();
    expect(await terminalCommand(['classify', '--json', 'redis-cli', 'FLUSHALL'], io)).toBe(0);
    expect(JSON.parse(io.outs[0])).toEqual({
      risk: 'mutating',
      reasons: ['the Redis command FLUSHALL is not known to only read'],
    });
  });

  it('runs a command in a pty and exits with its exit code, printing only its output', async () => {
    const io = capture();
    const code = await terminalCommand(
      ['run', '--shell', '/bin/bash', '--cwd', dir, '--', 'echo first; ls /no-such-dir'],
      io,
    );
    expect(code).toBe(2);
    expect(io.outs.join('\n')).toMatch(/^first\nls: cannot access '\/no-such-dir'/);
  });

  it('prints a line written in two bursts as one line, and a last line without a newline', async () => {
    const io = capture();
    const code = await terminalCommand(
      ['run', '--shell', '/bin/bash', '--cwd', dir, '--', "printf 'half '; sleep 0.3; printf 'line\\nlast'"],
      io,
    );
    expect(code).toBe(0);
    expect(io.outs).toEqual(['half line', 'last']);
  });

  it('prints the finished record with --json', async () => {
    const io = capture();
    expect(await terminalCommand(['run', '--json', '--cwd', dir, '--', 'pwd'], io)).toBe(0);
    const rec = JSON.parse(io.outs[io.outs.length - 1]);
    expect(rec).toMatchObject({ command: 'pwd', exitCode: 0, cwd: dir });
    expect(rec.outputExcerpt.trim()).toBe(dir);
  });

  it('refuses a mutating command without --yes and runs it with --yes', async () => {
    const io = capture();
    const target = join(dir, 'made-by-cli');
    expect(await terminalCommand(['run', '--cwd', dir, '--', `touch ${target}`], io)).toBe(3);
    expect(io.errs.join('\n')).toMatch(/touch creates files or changes their times[\s\S]*--yes/);
    expect(existsSync(target)).toBe(false);
    expect(await terminalCommand(['run', '--yes', '--cwd', dir, '--', `touch ${target}`], capture())).toBe(0);
    expect(existsSync(target)).toBe(true);
  });

  it('says what to do for a wrong shell and for flags in the command', async () => {
    await expect(terminalCommand(['run', '--shell', '/nope/sh', '--', 'true'], capture())).rejects.toThrow(
      /not found or is not executable/,
    );
    await expect(terminalCommand(['run', 'rm', '-f', 'x'], capture())).rejects.toThrow(
      /Put the command after --/,
    );
  });
});
