// Real-pty integration tests of the terminal service: bash with the injected shell integration,
// flow control under a flood, Ctrl-C, SIGINT-ignoring children, replay bounds, errors, run/paste.
import { Terminal } from '@xterm/headless';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { terminalChannels } from '../../../shared/contract/terminal';
import type { InstallCandidate } from '../../../shared/install-types';
import { OpsError } from '../../../shared/errors';
import { terminalHandlers } from './handlers';
import { descendants, isAlive, readCmdline } from '../system/proc-table';
import type { TerminalServiceOptions } from './service';
import { fakeInstall, harness as makeHarness, makeFixture, type Fixture, type Harness } from './test-support';

let fx: Fixture;
let root: string;
let home: string;
let dataRoot: string;

beforeAll(() => {
  fx = makeFixture();
  ({ root, home, dataRoot } = fx);
  // A user rc that sets a PROMPT_COMMAND ending in ';' and a plain prompt: the hooks must cope.
  writeFileSync(join(home, '.bashrc'), "PS1='$ '\nPROMPT_COMMAND='__user_pc=1;'\nexport FROM_USER_RC=yes\n");
});

afterEach(() => fx.disposeServices());

afterAll(() => fx.cleanup());

/** The shared harness, bound to this file's fixture. */
function harness(
  opts: TerminalServiceOptions = {},
  install: InstallCandidate | null = fakeInstall(dataRoot),
  autoAck = true,
): Harness {
  return makeHarness(fx, opts, install, autoAck);
}

/**
 * A shell for the flood tests: small flow-control watermarks, no automatic ack, past its first
 * command with everything so far acked.
 */
async function floodShell(create: { cols?: number; rows?: number } = {}, scrollback?: number) {
  const h = harness({ highWatermark: 50_000, lowWatermark: 5_000 }, fakeInstall(dataRoot), false);
  if (scrollback !== undefined) h.svc.updateSettings({ scrollback });
  const info = h.svc.create(create);
  await h.runAndWait(info.id, 'true');
  h.svc.ack(info.id, 1 << 30);
  return { h, info };
}

/** Acks what arrives, as a renderer that keeps up does, until the flood (the second command) finishes. */
function ackUntilFloodDone(h: Harness, id: string, ms?: number) {
  let acked = 0;
  return h.waitFor(
    () => {
      const got = h.output(id).length;
      if (got > acked) {
        h.svc.ack(id, got - acked);
        acked = got;
      }
      return h.finished(id)[1];
    },
    'the flood to finish',
    ms,
  );
}

describe('terminal service (real pty, bash)', () => {
  it('starts in the install data root with the AURA_* variables and reports each command', async () => {
    const h = harness();
    const info = h.svc.create({ cols: 100, rows: 30 });
    expect(info.cwd).toBe(dataRoot);
    expect(info.status).toBe('running');
    const env = await h.runAndWait(
      info.id,
      'echo "D=$AURA_DATA_PATH L=$AURA_LOGS_PATH B=$AURA_DATABASE_PATH U=$AURA_API_URL R=$FROM_USER_RC"',
    );
    expect(env.outputExcerpt).toContain(
      `D=${dataRoot} L=${join(dataRoot, 'logs')} B=${join(dataRoot, 'aura.db')} U=http://127.0.0.1:5999 R=yes`,
    );
    expect(env.exitCode).toBe(0);
    expect(env.cwd).toBe(dataRoot);

    const fail = await h.runAndWait(info.id, 'ls /definitely-not-here; (exit 7)');
    expect(fail.command).toBe('ls /definitely-not-here; (exit 7)');
    expect(fail.exitCode).toBe(7);
    expect(fail.outputExcerpt).toMatch(/No such file or directory/);
    expect(fail.outputExcerpt).not.toContain('\x1b');
    expect(Date.parse(fail.endedAt)).toBeGreaterThanOrEqual(Date.parse(fail.startedAt));

    const cd = await h.runAndWait(info.id, 'cd logs && pwd');
    expect(cd.cwd).toBe(dataRoot);
    const next = await h.runAndWait(info.id, 'true');
    expect(next.cwd).toBe(join(dataRoot, 'logs'));
    expect(h.svc.list().sessions[0]).toMatchObject({
      integration: true,
      busy: false,
      lastCwd: join(dataRoot, 'logs'),
    });
    expect(h.events.some((e) => e.event === 'terminal:sessions')).toBe(true);
  });

  it('falls back to the home folder when no install is attached, and passes no AURA_ variables', async () => {
    const h = harness({}, null);
    const info = h.svc.create({});
    expect(info.cwd).toBe(home);
    const r = await h.runAndWait(info.id, 'echo "[${AURA_DATA_PATH-unset}]"');
    expect(r.outputExcerpt).toContain('[unset]');
  });

  it("gives a bundle's shell the bundle's recorded time (AURA_OPS_AS_OF), and a live install's shell none", async () => {
    const live = harness();
    const l = live.svc.create({});
    expect((await live.runAndWait(l.id, 'echo "[${AURA_OPS_AS_OF-unset}]"')).outputExcerpt).toContain(
      '[unset]',
    );
    const asOf = '2026-12-01T09:30:00.000Z';
    const b = harness(
      {},
      {
        ...fakeInstall(dataRoot),
        kind: 'bundle',
        bundle: {
          file: '/b.zip',
          sha256: 'a'.repeat(64),
          host: 'pc',
          asOf,
          timeZone: 'UTC',
          auraVersion: null,
          consoleVersion: 't',
        },
      },
    );
    const info = b.svc.create({});
    expect((await b.runAndWait(info.id, 'echo "[${AURA_OPS_AS_OF-unset}]"')).outputExcerpt).toContain(
      `[${asOf}]`,
    );
  });

  it('refuses a wrong shell path with a clear message', () => {
    const h = harness();
    expect(() => h.svc.create({ shell: '/nope/bash' })).toThrow(OpsError);
    try {
      h.svc.create({ shell: '/nope/bash' });
    } catch (err) {
      expect((err as OpsError).code).toBe('invalid-config');
      expect((err as OpsError).message).toMatch(/"\/nope\/bash" was not found.*such as \/bin\/bash/);
    }
    expect(() => h.svc.create({ shell: 'bin/bash' })).toThrow(/relative/);
    expect(() => h.svc.create({ cwd: join(root, 'missing') })).toThrow(/does not exist/);
    expect(h.svc.list().sessions).toEqual([]);
  });

  it('pauses the pty when output is not acknowledged, and resumes on ack', async () => {
    const { h, info } = await floodShell();
    await h.svc.run({
      sessionId: info.id,
      command: 'head -c 2000000 /dev/zero | tr "\\0" "x"; echo',
      confirmed: true,
    });
    const s = h.svc.get(info.id);
    await h.waitFor(() => s.flow.paused, 'the pty to pause');
    const stalled = h.output(info.id).length;
    await new Promise((r) => setTimeout(r, 300));
    // Paused: at most what was already read from the pty before pause() took effect arrives.
    expect(h.output(info.id).length - stalled).toBeLessThan(70_000);
    expect(h.output(info.id).length).toBeLessThan(500_000);
    expect(h.finished(info.id).length).toBe(1);
    // A consumer that acks what it got lets the command finish.
    const done = await ackUntilFloodDone(h, info.id);
    expect(done.exitCode).toBe(0);
    expect((h.output(info.id).match(/x/g) ?? []).length).toBeGreaterThanOrEqual(2_000_000);
  });

  /**
   * Runs `command`, which prints the numbers 1 to `last` a line each, on a 100x30 terminal with
   * 1,000 rows of scrollback and no ack at all: it must finish, and little may be sent meanwhile.
   * Then the renderer catches up: what it gets must leave its terminal as the whole stream would
   * have, every row it holds there, consecutive, up to `last`. Lines are at most `lineChars` long:
   * what is held stays within twice what the terminal holds. Returns the session and its record.
   */
  async function floodToTheEnd(command: string, last: number, lineChars: number) {
    const { h, info } = await floodShell({ cols: 100, rows: 30 }, 1_000);
    const before = h.output(info.id).length;
    await h.svc.run({ sessionId: info.id, command, confirmed: true });
    const s = h.svc.get(info.id);
    const done = await h.waitFor(() => h.finished(info.id)[1], 'the flood to finish without acks', 30_000);
    expect(done.exitCode).toBe(0);
    expect(s.flow.paused).toBe(false);
    expect(s.flow.held).toBeLessThan(2 * (1_000 + 30) * lineChars + 100_000);
    expect(h.output(info.id).length - before).toBeLessThan(100_000);
    h.svc.ack(info.id, 1 << 30);
    const out = await h.waitFor(() => {
      const o = h.output(info.id);
      return o.includes(String(last)) && o.slice(o.lastIndexOf(String(last))).includes('\x1b]633;D') && o;
    }, 'the held output');
    const term = new Terminal({ cols: 100, rows: 30, scrollback: 1_000, allowProposedApi: true });
    await new Promise<void>((r) => term.write(out, r));
    const b = term.buffer.active;
    const rows: string[] = [];
    for (let i = 0; i < b.length; i++) rows.push(b.getLine(i)!.translateToString(true));
    term.dispose();
    const numbers = rows.filter((r) => /^\d+$/.test(r)).map(Number);
    expect(numbers.length).toBeGreaterThan(1_000);
    expect(numbers[numbers.length - 1]).toBe(last);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true);
    expect(rows[0]).toMatch(/^\d+$/);
    return { done, session: s };
  }

  it('keeps reading a plain flood the renderer cannot keep up with, and sends only what stays on screen', async () => {
    // 2,000,000 numbered lines (~15 MB), 9 chars at most with CRLF.
    const { done, session } = await floodToTheEnd('seq 1 2000000', 2_000_000, 9);
    expect(done.outputExcerpt).toMatch(/1999999\r?\n2000000/);
    expect(session.droppedChars).toBeGreaterThan(10_000_000);
  });

  it('keeps reading a progress flood that moves the cursor up and back down, and cuts it like plain lines', async () => {
    const { session } = await floodToTheEnd("seq 1 1000000 | sed 's/$/\\x1b[A\\x1b[B/'", 1_000_000, 15);
    expect(session.droppedChars).toBeGreaterThan(5_000_000);
  });

  it('pauses a flood it cannot cut (the cursor saved and restored on every line)', async () => {
    const { h, info } = await floodShell();
    await h.svc.run({
      sessionId: info.id,
      command: "seq 1 500000 | sed 's/$/\\x1b7\\x1b8/'",
      confirmed: true,
    });
    const s = h.svc.get(info.id);
    await h.waitFor(() => s.flow.paused, 'the pty to pause');
    await new Promise((r) => setTimeout(r, 300));
    expect(h.finished(info.id).length).toBe(1);
    expect(s.droppedChars).toBe(0);
    const done = await ackUntilFloodDone(h, info.id, 30_000);
    expect(done.exitCode).toBe(0);
    expect(h.output(info.id)).toContain('\r\n250000\x1b7\x1b8\r\n');
  });

  it('delivers Ctrl-C during a flood', async () => {
    const h = harness();
    const info = h.svc.create({});
    await h.runAndWait(info.id, 'true');
    await h.svc.run({ sessionId: info.id, command: 'yes flood', confirmed: true });
    await h.waitFor(() => h.output(info.id).length > 1_000_000, '1 MB of flood');
    h.svc.write(info.id, '\x03');
    const r = await h.waitFor(() => h.finished(info.id)[1], 'yes to stop');
    expect(r.command).toBe('yes flood');
    expect(r.exitCode).toBe(130);
    expect(r.outputExcerpt.length).toBeLessThanOrEqual(4096);
  });

  it('stops a process that ignores SIGINT and SIGHUP by escalating to SIGKILL', async () => {
    const h = harness({ killGraceMs: 300 });
    const info = h.svc.create({});
    await h.runAndWait(info.id, 'true');
    await h.svc.run({
      sessionId: info.id,
      command: `bash -c "trap '' INT HUP; while :; do sleep 0.05; done"`,
      confirmed: true,
    });
    const s = h.svc.get(info.id);
    // The hook itself forks ($(history 1)), so wait for the command to start before looking for it.
    const isStubborn = (pid: number) => (readCmdline(pid) ?? []).join(' ').includes('trap');
    // A `sleep` under it means the loop runs, so its `trap '' INT HUP` is in force (under load the
    // process can exist before it has set the trap, and then Ctrl-C would end it).
    const isSleep = (pid: number) => (readCmdline(pid) ?? [])[0] === 'sleep';
    await h.waitFor(
      () =>
        s.isRunningCommand &&
        descendants(info.pid as number).some(isStubborn) &&
        descendants(info.pid as number).some(isSleep),
      'the child to start',
    );
    const kids = descendants(info.pid as number);
    const before = h.output(info.id).length;
    h.svc.write(info.id, '\x03');
    // The tty echoes ^C as it signals the foreground group: from then on Ctrl-C has been delivered.
    await h.waitFor(() => h.output(info.id).slice(before).includes('^C'), 'the tty to take the Ctrl-C');
    expect(kids.filter((pid) => isStubborn(pid)).length).toBeGreaterThan(0);
    expect(s.info().busy).toBe(true);
    expect(h.svc.kill(info.id).killed).toBe(true);
    const exit = await h.waitFor(
      () => h.events.find((e) => e.event === 'terminal:exit'),
      'the shell to exit',
    );
    expect((exit.payload as { sessionId: string }).sessionId).toBe(info.id);
    await h.waitFor(() => kids.every((k) => !isAlive(k)), 'children to be gone');
    expect(s.info().status).toBe('exited');
    expect(h.output(info.id)).toMatch(/\[The shell (was stopped by signal|exited with code)/);
  });

  it('keeps the replay buffer bounded and replays the newest output', async () => {
    const h = harness({ replayLimitChars: 64 * 1024 });
    const info = h.svc.create({});
    const r = await h.runAndWait(info.id, 'for i in $(seq 1 40000); do echo "line-$i"; done');
    expect(r.exitCode).toBe(0);
    const rep = h.svc.replay(info.id);
    expect(rep.truncated).toBe(true);
    expect(rep.data.length).toBeLessThanOrEqual(64 * 1024);
    expect(rep.data).toContain('line-40000');
    expect(rep.data).not.toContain('line-1\r\n');
    expect(rep.endOffset).toBe(h.output(info.id).length);
    expect(rep.info.id).toBe(info.id);
  });

  it('passes a single multi-megabyte line through intact with a bounded excerpt', async () => {
    const h = harness();
    const info = h.svc.create({});
    const r = await h.runAndWait(info.id, 'head -c 3000000 /dev/zero | tr "\\0" "q"; echo END');
    expect(r.exitCode).toBe(0);
    const out = h.output(info.id);
    // Checked without printing: a failure message holding 3 MB helps nobody.
    expect(out.includes('q'.repeat(3_000_000) + 'END\r\n')).toBe(true);
    expect(out.includes('q'.repeat(3_000_001))).toBe(false);
    expect(r.outputExcerpt.length).toBeLessThanOrEqual(4096);
    expect(/^q+END\n?$/.test(r.outputExcerpt)).toBe(true);
  });

  it('refuses a mutating command without confirmation, runs read-only ones, and pastes without Enter', async () => {
    const h = harness();
    await expect(h.svc.run({ command: 'rm -rf ./Temp' })).rejects.toMatchObject({
      code: 'bad-request',
      message: expect.stringMatching(/needs confirmation: rm removes files/),
    });
    expect(h.svc.list().sessions).toEqual([]); // nothing was started or sent

    const ran = await h.svc.run({ command: 'echo read-only-ok', title: 'From runbook' });
    expect(ran.classification.risk).toBe('read-only');
    const f = await h.waitFor(() => h.finished(ran.sessionId)[0], 'the run');
    expect(f.command).toBe('echo read-only-ok');
    expect(h.svc.list().sessions[0].title).toBe('From runbook');

    await h.svc.run({
      sessionId: ran.sessionId,
      command: 'touch pasted-file',
      mode: 'paste',
      confirmed: true,
    });
    await h.waitFor(() => h.output(ran.sessionId).includes('touch pasted-file'), 'the paste to echo');
    expect(h.finished(ran.sessionId).length).toBe(1);
    h.svc.write(ran.sessionId, '\r');
    const pasted = await h.waitFor(
      () => h.finished(ran.sessionId)[1],
      'the pasted command to run after Enter',
    );
    expect(pasted.command).toBe('touch pasted-file');
    expect(pasted.exitCode).toBe(0);
  });

  it('refuses a run with control characters unless confirmed: bash would run what follows ^O or CR', async () => {
    const h = harness();
    const info = h.svc.create({ title: 'ctl' });
    await h.runAndWait(info.id, 'true');
    for (const [command, file] of [
      ['echo hi\rtouch after-cr', 'after-cr'],
      ['echo checking disk\x0ftouch after-ctrl-o', 'after-ctrl-o'],
    ]) {
      await expect(h.svc.run({ sessionId: info.id, command })).rejects.toMatchObject({
        code: 'bad-request',
        message: expect.stringMatching(/needs confirmation: holds the control character (\\r|\^O)/),
      });
      expect(h.finished(info.id).length).toBe(1); // nothing was sent
      expect(existsSync(join(dataRoot, file))).toBe(false);
    }
    // Confirmed (the operator saw it escaped), it runs, and the part after the control character ran too.
    await h.svc.run({ sessionId: info.id, command: 'echo hi\rtouch after-cr', confirmed: true });
    await h.waitFor(
      () => existsSync(join(dataRoot, 'after-cr')) || null,
      'the confirmed command to touch after-cr',
    );
    expect(await h.svc.classify('df -h\r\nfree -m')).toEqual({ risk: 'read-only', reasons: [] });
  });

  it('shows the exit code when the shell exits, and restarts in place', async () => {
    const h = harness();
    const info = h.svc.create({ title: 'ops' });
    await h.runAndWait(info.id, 'true');
    await h.svc.run({ sessionId: info.id, command: 'exit 3', confirmed: true });
    const exit = await h.waitFor(() => h.events.find((e) => e.event === 'terminal:exit'), 'exit');
    expect(exit.payload).toEqual({ sessionId: info.id, exitCode: 3, signal: null });
    expect(h.output(info.id)).toContain('[The shell exited with code 3.');
    expect(() => h.svc.write(info.id, 'x')).toThrow(/has exited; restart it/);
    const again = h.svc.create({ restartId: info.id });
    expect(again).toMatchObject({ id: info.id, title: 'ops', status: 'running' });
    const r = await h.runAndWait(info.id, 'echo back');
    expect(r.outputExcerpt).toContain('back');
  });

  it('serves the contract through terminalHandlers with validated params', async () => {
    const h = harness();
    const handlers = terminalHandlers(h.svc);
    const call = async <C extends keyof typeof terminalChannels>(c: C, raw: unknown) => {
      const parsed = terminalChannels[c].params.parse(raw);
      return (handlers[c] as (p: unknown) => unknown)(parsed);
    };
    const info = (await call('terminal:create', {})) as { id: string; cols: number };
    expect(info.cols).toBe(80);
    expect(await call('terminal:resize', { sessionId: info.id, cols: 120, rows: 40 })).toEqual({
      cols: 120,
      rows: 40,
    });
    expect(await call('terminal:rename', { sessionId: info.id, title: '  logs  ' })).toMatchObject({
      title: 'logs',
    });
    expect(await call('terminal:classify', { command: 'redis-cli FLUSHALL' })).toMatchObject({
      risk: 'mutating',
    });
    expect(() => terminalChannels['terminal:run'].params.parse({ command: '' })).toThrow();
    expect(await call('terminal:kill', { sessionId: info.id, remove: true })).toEqual({
      killed: true,
      removed: true,
    });
    expect(await call('terminal:list', {})).toEqual({ sessions: [] });
    await expect(call('terminal:write', { sessionId: info.id, data: 'x' })).rejects.toMatchObject({
      code: 'not-found',
    });
  });
});
