// Test support for the terminal suites: a temp home and install folder, a fake attached install, and
// a harness around a real TerminalService that records events and waits for finished commands.
import { mkdirSync, mkdtempSync, realpathSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import type { InstallCandidate } from '../../../shared/install-types';
import type { ServiceContext } from '../context';
import { TerminalService, type TerminalServiceOptions } from './service';

export interface Fixture {
  root: string;
  home: string;
  dataRoot: string;
  /** Disposes every service made by harness() so far (call in afterEach). */
  disposeServices(): void;
  /** Removes the temp folders (call in afterAll). */
  cleanup(): void;
}

const made = new WeakMap<Fixture, TerminalService[]>();

export function makeFixture(prefix = 'aura-term-test-'): Fixture {
  const root = realpathSync(mkdtempSync(join(tmpdir(), prefix)));
  const home = join(root, 'home');
  const dataRoot = join(root, 'Aura Data');
  mkdirSync(home);
  mkdirSync(join(dataRoot, 'logs'), { recursive: true });
  const fx: Fixture = {
    root,
    home,
    dataRoot,
    disposeServices: () => {
      for (const s of (made.get(fx) ?? []).splice(0)) s.dispose();
    },
    cleanup: () => rmSync(root, { recursive: true, force: true }),
  };
  made.set(fx, []);
  return fx;
}

export function fakeInstall(dataRoot: string): InstallCandidate {
  const fact = (path: string) => ({ path, exists: true, size: null });
  return {
    id: 'test',
    kind: 'manual',
    label: 'test install',
    source: 'test',
    paths: {
      dataRoot,
      logsDir: join(dataRoot, 'logs'),
      dbPath: join(dataRoot, 'aura.db'),
      appSettingsPath: null,
      apiUrl: 'http://127.0.0.1:5999',
      tempDir: join(dataRoot, 'Temp'),
      redis: { enabled: false, connection: null, host: null, port: null, hasPassword: false },
    },
    facts: {
      dataRoot: fact(dataRoot),
      logsDir: fact(join(dataRoot, 'logs')),
      db: fact(join(dataRoot, 'aura.db')),
      dbWal: fact(''),
      dbShm: fact(''),
      appSettings: null,
    },
    found: true,
    problems: [],
  };
}

export interface Harness {
  svc: TerminalService;
  events: { event: string; payload: unknown }[];
  output(sessionId: string): string;
  finished(sessionId: string): TerminalCommandFinished[];
  waitFor<T>(fn: () => T | undefined | null | false, what: string, ms?: number): Promise<T>;
  runAndWait(sessionId: string, command: string): Promise<TerminalCommandFinished>;
  /** Types a line (as a user would) and waits for its command-finished record. */
  typeAndWait(sessionId: string, line: string): Promise<TerminalCommandFinished>;
}

/** `autoAck` plays the renderer: every data event is acknowledged as it arrives. */
export function harness(
  fx: Fixture,
  opts: TerminalServiceOptions = {},
  install: InstallCandidate | null = fakeInstall(fx.dataRoot),
  autoAck = true,
): Harness {
  const events: { event: string; payload: unknown }[] = [];
  const ctx: ServiceContext = {
    dataDir: fx.root,
    getInstall: () => install,
    emit: (event, payload) => events.push({ event, payload }),
    onDispose: () => undefined,
  };
  const svc = new TerminalService(ctx, {
    defaultShell: '/bin/bash',
    ...opts,
    env: { HOME: fx.home, HISTFILE: join(fx.root, 'hist'), ...opts.env },
  });
  made.get(fx)?.push(svc);
  if (autoAck) {
    svc.onEvent((event, payload) => {
      const p = payload as { sessionId: string; data: string };
      if (event === 'terminal:data' && svc.list().sessions.some((x) => x.id === p.sessionId))
        svc.ack(p.sessionId, p.data.length);
    });
  }
  const data = (id: string) =>
    events
      .filter((e) => e.event === 'terminal:data' && (e.payload as { sessionId: string }).sessionId === id)
      .map((e) => (e.payload as { data: string }).data);
  const h: Harness = {
    svc,
    events,
    output: (id) => data(id).join(''),
    finished: (id) =>
      events
        .filter(
          (e) =>
            e.event === 'terminal:command-finished' &&
            (e.payload as TerminalCommandFinished).sessionId === id,
        )
        .map((e) => e.payload as TerminalCommandFinished),
    async waitFor(fn, what, ms = 8000) {
      const end = Date.now() + ms;
      for (;;) {
        const v = fn();
        if (v) return v;
        if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
        await new Promise((r) => setTimeout(r, 10));
      }
    },
    async runAndWait(id, command) {
      const before = h.finished(id).length;
      await svc.run({ sessionId: id, command, confirmed: true });
      return h.waitFor(() => h.finished(id)[before], `"${command}" to finish`);
    },
    async typeAndWait(id, line) {
      const before = h.finished(id).length;
      await svc.get(id).waitReady(5000);
      svc.write(id, `${line}\r`);
      return h.waitFor(() => h.finished(id)[before], `"${line}" to finish`);
    },
  };
  return h;
}
