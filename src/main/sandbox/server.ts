// startSandbox: a live stand-in for Aura.Api on 127.0.0.1. It wires the simulated process (HTTP,
// job loop, traffic, a real redis-server) and carries out the scenario table's enter and leave
// actions, switched in-process or from any process through the control files.
import fs from 'node:fs';
import * as clock from '../../shared/clock';
import type { SandboxStatus, ScenarioName } from '../../shared/contract/sandbox';
import { AuraLogModel } from './aura-events';
import { AURA_ENVIRONMENT, AuraProcess } from './aura-process';
import {
  RedisChild,
  corruptDatabase,
  freePort,
  holdWriteLock,
  restorePristine,
  savePristine,
  which,
  type LockHolder,
} from './children';
import {
  SCENARIO_POLL_MS,
  controlFiles,
  isSandbox,
  readScenarioFile,
  readStateFile,
  sandboxLayout,
  writeControlFile,
  writeScenarioFile,
  writeStateFile,
  type SandboxLayout,
} from './control';
import { createSandbox, writeAppSettings, type CreateSandboxOptions } from './generator';
import { AuraHttpServer } from './http-server';
import { jobTick } from './job-loop';
import { SCENARIO_TABLE, scenarioEntry, type ScenarioAction } from './scenario-table';
import { AURA_FILE_SIZE_LIMIT, SerilogFileSet } from './serilog-writer';
import { UiTraffic, startFlood } from './traffic';
import { readCmdline } from '../services/system/proc-table';

/** Background job loop period: one progress step per tick (20% a step). */
export const DEFAULT_JOB_TICK_MS = 1000;
/** Simulated UI traffic (requests the web UI would make) between real requests. */
export const DEFAULT_TRAFFIC_MS = 1000;

export interface StartSandboxOptions {
  /** 0 (default) picks a free port; the CLI uses Aura's 5005. */
  port?: number;
  scenario?: ScenarioName;
  jobTickMs?: number;
  trafficMs?: number;
  /** Serilog fileSizeLimitBytes; lower it to see the size roll quickly. */
  fileSizeLimitBytes?: number;
  /** 'auto' (default): run a redis-server when one is on PATH; 'off': in-memory cache only. */
  redis?: 'auto' | 'off';
  /** Used when `dir` holds no sandbox yet: it is created first with these options. */
  create?: CreateSandboxOptions;
  seed?: number;
}

export interface SandboxHandle {
  readonly url: string;
  readonly port: number;
  readonly dir: string;
  readonly layout: SandboxLayout;
  readonly scenario: ScenarioName;
  /** Switch scenario; resolves when the new state is in place (port closed, lock held, …). */
  setScenario(name: ScenarioName): Promise<void>;
  status(): SandboxStatus;
  /** Called after every scenario change (from any source). Returns an unsubscribe function. */
  onChange(fn: (s: SandboxStatus) => void): () => void;
  /** Stop the server, timers and children; restores a pristine DB if db-corrupt was active. */
  stop(): Promise<void>;
}

/** Kill redis-servers a crashed earlier run of this sandbox left behind (recorded pids, checked by cmdline). */
function reapOrphans(dir: string): void {
  const f = controlFiles(dir).children;
  let pids: number[] = [];
  try {
    pids = (JSON.parse(fs.readFileSync(f, 'utf8')) as { pids?: number[] }).pids ?? [];
  } catch {
    return; // no record: nothing to reap
  }
  for (const pid of pids) {
    try {
      const cmd = (readCmdline(pid) ?? []).join(' ');
      const ours =
        (cmd.includes('redis-server') && cmd.includes(controlFiles(dir).redisDir)) ||
        (cmd.includes('sqlite3') && cmd.includes(sandboxLayout(dir).dbPath));
      if (ours) process.kill(pid, 'SIGKILL');
    } catch {
      // not running any more (or no /proc on this OS)
    }
  }
  fs.rmSync(f, { force: true });
}

export async function startSandbox(dir: string, opts: StartSandboxOptions = {}): Promise<SandboxHandle> {
  const layout = sandboxLayout(dir);
  if (!isSandbox(layout.dir)) createSandbox(layout.dir, opts.create ?? {});
  const files = controlFiles(layout.dir);
  const running = readStateFile(layout.dir);
  if (running && running.pid !== process.pid) {
    throw new Error(
      `A sandbox already runs from ${layout.dir} (pid ${running.pid}, ${running.url}); stop it first`,
    );
  }
  reapOrphans(layout.dir);
  // A run that died in db-corrupt leaves the pristine copy: put it back before anything opens the DB.
  if (fs.existsSync(files.pristine)) restorePristine(layout.dbPath, files.pristine);

  const seed = opts.seed ?? Date.now() % 2_147_483_647;
  const jobTickMs = opts.jobTickMs ?? DEFAULT_JOB_TICK_MS;
  const trafficMs = opts.trafficMs ?? DEFAULT_TRAFFIC_MS;

  // Redis first: its connection goes into appsettings before the "process" starts.
  let redis: RedisChild | null = null;
  const redisBin = opts.redis === 'off' ? null : which('redis-server');
  if (redisBin) {
    redis = new RedisChild(redisBin, await freePort(), files.redisDir);
    await redis.start();
  }
  const redisConnection = redis ? `127.0.0.1:${redis.port}` : null;
  let lock: LockHolder | null = null;
  /** Record our child pids (redis watchdog, lock holder) so a later run can reap them after a crash. */
  const recordChildren = (): void => {
    const pids = [
      redis?.running ? redis.pid : null,
      lock?.kind === 'sqlite3-process' ? lock.pid : null,
    ].filter((p): p is number => p !== null);
    writeControlFile(files.children, { pids });
  };

  const logs = new SerilogFileSet(layout.logsDir, {
    fileSizeLimitBytes: opts.fileSizeLimitBytes ?? AURA_FILE_SIZE_LIMIT,
  });
  const model = new AuraLogModel({
    seed,
    dataRoot: layout.dir,
    url: 'http://127.0.0.1:0',
    environment: AURA_ENVIRONMENT,
  });
  const aura = new AuraProcess(layout, model, logs, redis);
  const listeners = new Set<(s: SandboxStatus) => void>();
  const timers: NodeJS.Timeout[] = [];
  let floodTimer: NodeJS.Timeout | null = null;

  const http = new AuraHttpServer(aura);
  let port: number;
  try {
    port = await http.listen(opts.port ?? 0);
  } catch (err) {
    aura.db.close();
    logs.close();
    await redis?.stop();
    throw err;
  }
  aura.port = port;
  const url = `http://127.0.0.1:${port}`;
  model.url = url;
  writeAppSettings(layout.appSettingsPath, port, redisConnection);
  aura.write(model.startup(clock.now(), redisConnection));

  // ---- scenarios: what each action of the table's enter and leave lists does ------------------
  const actions: Record<ScenarioAction, () => Promise<void> | void> = {
    'api:crash': async () => {
      aura.write([
        model.plain(
          clock.now(),
          'FTL',
          'Application terminated unexpectedly',
          undefined,
          'System.InvalidOperationException: A fatal error occurred in the request pipeline.\n   at Aura.Api.Program.Main(String[] args)',
        ),
      ]);
      await http.close();
    },
    'api:restart': async () => {
      await http.listen(port);
      model.processId = 10_000 + Math.floor(model.rng() * 50_000);
      aura.write(model.startup(clock.now(), redisConnection));
    },
    'api:release-hung': () => http.releaseHung(),
    'db:lock': async () => {
      lock = await holdWriteLock(layout.dbPath);
    },
    'db:unlock': async () => {
      await lock?.release();
      lock = null;
    },
    'db:corrupt': () => {
      aura.db.close();
      savePristine(layout.dbPath, files.pristine);
      corruptDatabase(layout.dbPath);
      aura.reopenDb();
    },
    'db:restore': () => {
      aura.db.close();
      restorePristine(layout.dbPath, files.pristine);
      aura.reopenDb();
    },
    'providers:fail': () => {
      aura.outageSince = clock.now();
      aura.write(model.providerOutage(aura.outageSince, true));
    },
    'providers:recover': () => {
      aura.outageSince = null;
      aura.write([
        model.plain(
          clock.now(),
          'INF',
          'Circuit breaker reset for provider: OpenAI',
          'Aura.Api.Controllers.HealthController',
        ),
      ]);
    },
    'redis:stop': async () => {
      await redis?.stop();
    },
    'redis:start': async () => {
      await redis?.start();
    },
    'logs:flood': () => {
      floodTimer = startFlood(aura);
    },
    'logs:calm': () => {
      if (floodTimer) clearInterval(floodTimer);
      floodTimer = null;
    },
  };
  const perform = async (steps: readonly ScenarioAction[]): Promise<void> => {
    for (const step of steps) await actions[step]();
  };

  let chain: Promise<void> = Promise.resolve();
  const startedAt = clock.now();
  const status = (): SandboxStatus => ({
    running: !aura.stopped,
    dir: layout.dir,
    url,
    port,
    scenario: aura.scenario,
    listening: http.listening,
    redis: { enabled: redis !== null, port: redis?.port ?? null, running: redis?.running ?? false },
  });
  const writeState = (): void =>
    writeStateFile(layout.dir, {
      pid: process.pid,
      url,
      port,
      scenario: aura.scenario,
      startedAt: startedAt.toISOString(),
    });

  function transition(next: ScenarioName): Promise<void> {
    const run = chain.then(async () => {
      if (aura.stopped || next === aura.scenario) return;
      await perform(SCENARIO_TABLE[aura.scenario].leave);
      aura.scenario = next;
      try {
        await perform(SCENARIO_TABLE[next].enter);
      } catch (err) {
        // Half-entered (e.g. the lock could not be taken): fall back to healthy so the file and the
        // state agree, and the poller does not retry the failing switch forever.
        aura.scenario = 'healthy';
        writeScenarioFile(layout.dir, 'healthy');
        recordChildren();
        writeState();
        throw err;
      }
      recordChildren();
      writeState();
      const st = status();
      for (const fn of listeners) fn(st);
    });
    chain = run.catch(() => undefined);
    return run;
  }

  const handle: SandboxHandle = {
    url,
    port,
    dir: layout.dir,
    layout,
    get scenario() {
      return aura.scenario;
    },
    async setScenario(name) {
      scenarioEntry(name); // refuses a name outside the table before anything is written
      writeScenarioFile(layout.dir, name);
      await transition(name);
    },
    status,
    onChange(fn) {
      listeners.add(fn);
      return () => listeners.delete(fn);
    },
    async stop() {
      if (aura.stopped) return;
      await chain;
      for (const t of timers) clearInterval(t);
      if (floodTimer) clearInterval(floodTimer);
      aura.write([
        model.plain(clock.now(), 'INF', 'Application is shutting down...', 'Microsoft.Hosting.Lifetime'),
      ]);
      aura.stopped = true;
      await http.close();
      await lock?.release();
      lock = null;
      aura.db.close();
      // Only db-corrupt leaves a pristine copy while running: the install stops as it was made.
      if (fs.existsSync(files.pristine)) restorePristine(layout.dbPath, files.pristine);
      await redis?.stop();
      logs.close();
      fs.rmSync(files.state, { force: true });
      fs.rmSync(files.children, { force: true });
      listeners.clear();
    },
  };

  writeScenarioFile(layout.dir, opts.scenario ?? readScenarioFile(layout.dir) ?? 'healthy');
  recordChildren();
  writeState();
  timers.push(setInterval(() => jobTick(aura), jobTickMs));
  const traffic = new UiTraffic(aura);
  timers.push(setInterval(() => void traffic.tick(), trafficMs));
  timers.push(
    setInterval(() => {
      let want: ScenarioName | null;
      try {
        want = readScenarioFile(layout.dir);
      } catch {
        return; // a half-written file: the next poll sees the finished one
      }
      if (want && want !== aura.scenario)
        void transition(want).catch((err: unknown) =>
          aura.write([
            model.plain(
              clock.now(),
              'ERR',
              `Sandbox could not switch to ${want}: ${(err as Error).message}`,
              'Aura.Sandbox',
            ),
          ]),
        );
    }, SCENARIO_POLL_MS),
  );
  const initial = opts.scenario ?? readScenarioFile(layout.dir) ?? 'healthy';
  if (initial !== 'healthy') await transition(initial);
  return handle;
}
