// The process table against the real /proc: processes started here (one with ') (' and spaces in
// its name, a tree under bash, a zombie nobody reaps), ps as a second witness, and hostile lines.
import { spawn, execFileSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  descendants,
  hasProcTable,
  isAlive,
  parseStat,
  processTable,
  readCmdline,
  readStat,
} from './proc-table';

/** How long a started process may take to show the state a test waits for, on a loaded machine. */
const WAIT_MS = 15_000;

async function waitFor<T>(what: string, probe: () => T | null | undefined | false): Promise<T> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    const v = probe();
    if (v !== null && v !== undefined && v !== false) return v;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

const LINE =
  '4242 (bash) S 4000 4242 4242 34816 4242 4194560 3210 0 0 0 17 5 0 0 20 0 1 0 8675309 9277440 812 18446744073709551615';

describe('parseStat', () => {
  it('reads the fields the console uses, numbered as in proc(5)', () => {
    expect(parseStat(LINE)).toEqual({
      pid: 4242,
      comm: 'bash',
      state: 'S',
      ppid: 4000,
      utimeTicks: 17,
      stimeTicks: 5,
      startTicks: 8675309,
      rssPages: 812,
    });
  });

  it("counts the fields from the last ')' so a name holding ') (' and spaces cannot shift them", () => {
    const line = LINE.replace('(bash)', '(evil) Z 1 (x y)');
    expect(parseStat(line)).toMatchObject({ comm: 'evil) Z 1 (x y', state: 'S', ppid: 4000 });
  });

  it('refuses malformed lines instead of guessing', () => {
    for (const bad of [
      '',
      'garbage',
      '12 (x',
      'x (bash) S 1',
      LINE.split(' ').slice(0, 20).join(' '),
      LINE.replace(' S ', ' 7 '),
      LINE.replace(' 4000 ', ' -1 '),
      LINE.replace('4242 (', '0 ('),
      LINE.replace(' 812 ', ' NaN '),
    ]) {
      expect({ bad, parsed: parseStat(bad) }).toEqual({ bad, parsed: null });
    }
  });
});

describe.runIf(process.platform === 'linux')('the real /proc', () => {
  let dir: string;
  const started: ChildProcess[] = [];
  const start = (cmd: string, args: string[]): ChildProcess => {
    const child = spawn(cmd, args, { stdio: 'ignore' });
    started.push(child);
    return child;
  };
  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-proc-'));
  });
  afterEach(() => {
    for (const c of started.splice(0)) c.kill('SIGKILL');
  });
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('has a process table, with this process and its parent in it', () => {
    expect(hasProcTable()).toBe(true);
    const self = processTable()?.find((p) => p.pid === process.pid);
    expect(self).toMatchObject({ pid: process.pid, ppid: process.ppid });
    expect(self!.rssPages).toBeGreaterThan(0);
  });

  it("reads a program whose name holds ') (' and spaces, as ps does", async () => {
    const exe = path.join(dir, 'x) (y z');
    fs.copyFileSync('/bin/sleep', exe);
    fs.chmodSync(exe, 0o755);
    const child = start(exe, ['30']);
    const stat = await waitFor('the program to start', () => readStat(child.pid!));
    expect(stat).toMatchObject({ pid: child.pid, comm: 'x) (y z', ppid: process.pid });
    expect(readCmdline(child.pid!)).toEqual([exe, '30']);
    const ps = execFileSync('ps', ['-o', 'ppid=,comm=', '-p', String(child.pid)], {
      encoding: 'utf8',
    }).trim();
    expect(ps).toBe(`${process.pid} x) (y z`);
  });

  it('walks every descendant of a process, grandchildren included', async () => {
    const child = start('bash', ['-c', 'sleep 30 & (sleep 31 & wait) & wait']);
    const kids = await waitFor('three sleeps under bash', () => {
      const found = descendants(child.pid!).filter((p) => (readCmdline(p) ?? [])[0] === 'sleep');
      return found.length === 2 ? descendants(child.pid!) : null;
    });
    // bash, its subshell, and two sleeps: one child of bash, one a grandchild under the subshell.
    const table = processTable()!;
    for (const k of kids) {
      const ppid = table.find((p) => p.pid === k)?.ppid;
      expect(ppid === child.pid || kids.includes(ppid!)).toBe(true);
    }
    expect(kids.length).toBeGreaterThanOrEqual(3);
    expect(descendants(process.pid)).toEqual(expect.arrayContaining([child.pid, ...kids]));
  });

  it('tells a zombie from a live process (kill(0) alone cannot)', async () => {
    // The short sleep outlives nothing: after exec its new parent (sleep 30) never reaps it.
    const child = start('bash', ['-c', 'sleep 0.05 & exec sleep 30']);
    const zombie = await waitFor('a zombie under the exec', () =>
      descendants(child.pid!).find((p) => readStat(p)?.state === 'Z'),
    );
    expect(() => process.kill(zombie, 0)).not.toThrow();
    expect(isAlive(zombie)).toBe(false);
    expect(isAlive(child.pid!)).toBe(true);
    child.kill('SIGKILL');
    await waitFor('the killed process to be gone', () => !isAlive(child.pid!));
  });

  it('reads an ended or impossible pid as not there, and never asks about a process group', () => {
    const pidMax = Number(fs.readFileSync('/proc/sys/kernel/pid_max', 'utf8'));
    expect(readStat(pidMax + 1)).toBeNull();
    expect(readCmdline(pidMax + 1)).toBeNull();
    expect(isAlive(pidMax + 1)).toBe(false);
    for (const pid of [0, -1, -process.pid, Number.NaN, 1.5])
      expect({ pid, alive: isAlive(pid) }).toEqual({ pid, alive: false });
    expect(isAlive(process.pid)).toBe(true);
  });

  it('reports a /proc it cannot read as an error, and a missing one as no table', () => {
    expect(() => readStat(1, '/etc/hostname')).toThrow(/ENOTDIR/);
    expect(processTable(path.join(dir, 'no-such-proc'))).toBeNull();
    expect(hasProcTable(path.join(dir, 'no-such-proc'))).toBe(false);
    expect(descendants(process.pid, null)).toEqual([]);
  });
});
