// `aura-ops sandbox …`: create a demo Aura data root, run it as a live Aura on 127.0.0.1, and
// switch its fault scenarios from another shell (through the sandbox's state file).
import { parseArgs } from 'node:util';
import type { CliCommand, CliIO } from '../cli-types';
import { SCENARIOS, SCENARIO_NAMES, type ScenarioName } from '../../shared/contract/sandbox';
import { isScenarioName, switchScenario } from './control';
import { SANDBOX_DEFAULTS, createSandbox } from './generator';
import { startSandbox, type SandboxHandle } from './server';

/** How long `sandbox scenario` waits for a running sandbox to confirm the switch. */
const SWITCH_CONFIRM_TIMEOUT_MS = 10_000;

const HELP = `Usage: aura-ops sandbox <command> [options]

A faithful demo Aura install: the same files, schema, endpoints and log lines as a real one.

Commands:
  create DIR [--days N] [--projects N] [--log-mb N] [--db-mb N] [--force] [--json]
      Write a data root: appsettings.json, aura.db (EF schema, WAL) and N days of Serilog logs.
      Defaults: --days ${SANDBOX_DEFAULTS.days} --projects ${SANDBOX_DEFAULTS.projects} --log-mb ${SANDBOX_DEFAULTS.logMb} (MB per day, all five log families).
  run DIR [--port 5005] [--scenario NAME] [--size-limit BYTES]
      Serve it as a live Aura on 127.0.0.1 until Ctrl+C (creates DIR first when empty).
  scenario DIR NAME [--json]
      Switch the sandbox running from DIR to scenario NAME (or set the one the next run starts in).
  scenarios [--json]
      List the scenarios, the runbook each exercises and its handbook severity.

Run any command with --help for this text.`;

function bad(io: CliIO, msg: string): number {
  io.err(`aura-ops sandbox: ${msg}\nRun "aura-ops sandbox --help" for usage.`);
  return 2;
}

function int(v: string | undefined, name: string, min: number, max: number): number | undefined {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max)
    throw new RangeError(`--${name} must be a number from ${min} to ${max} (got "${v}")`);
  return n;
}

export const sandboxCommand: CliCommand = async (argv, io) => {
  const [sub, ...rest] = argv;
  if (!sub || sub === '--help' || sub === '-h' || sub === 'help') {
    io.out(HELP);
    return sub ? 0 : 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    io.out(HELP);
    return 0;
  }
  try {
    switch (sub) {
      case 'create':
        return create(rest, io);
      case 'run':
        return await run(rest, io);
      case 'scenario':
        return await scenario(rest, io);
      case 'scenarios':
        return scenarios(rest, io);
      default:
        return bad(io, `unknown command "${sub}"`);
    }
  } catch (err) {
    if (
      err instanceof RangeError ||
      (err as { code?: string }).code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' ||
      (err as { code?: string }).code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE'
    ) {
      return bad(io, (err as Error).message);
    }
    io.err(`aura-ops sandbox ${sub}: ${(err as Error).message}`);
    return 1;
  }
};

function create(argv: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      days: { type: 'string' },
      projects: { type: 'string' },
      'log-mb': { type: 'string' },
      'db-mb': { type: 'string' },
      force: { type: 'boolean' },
      json: { type: 'boolean' },
    },
  });
  if (positionals.length !== 1) return bad(io, 'create needs exactly one DIR');
  const t0 = Date.now();
  const r = createSandbox(positionals[0], {
    days: int(values.days, 'days', 1, 400),
    projects: int(values.projects, 'projects', 0, 100_000),
    logMb: int(values['log-mb'], 'log-mb', 0.001, 2000),
    dbMb: int(values['db-mb'], 'db-mb', 0, 10_000),
    overwrite: values.force === true,
  });
  if (values.json) {
    io.out(
      JSON.stringify({
        dir: r.dir,
        dbPath: r.dbPath,
        logsDir: r.logsDir,
        appSettingsPath: r.appSettingsPath,
        logFiles: r.logFiles,
        logBytes: r.logBytes,
        dbBytes: r.dbBytes,
        counts: r.counts,
        ms: Date.now() - t0,
      }),
    );
  } else {
    io.out(`Sandbox created in ${r.dir} (${Date.now() - t0} ms)`);
    io.out(
      `  aura.db       ${(r.dbBytes / 1_048_576).toFixed(1)} MB, ${r.counts.ProjectStates ?? 0} projects, ${r.counts.JobQueue ?? 0} jobs`,
    );
    io.out(`  logs/         ${r.logFiles.length} files, ${(r.logBytes / 1_048_576).toFixed(1)} MB`);
    io.out(`  appsettings   ${r.appSettingsPath}`);
    io.out(`Run it: aura-ops sandbox run ${r.dir}`);
  }
  return 0;
}

async function run(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { port: { type: 'string' }, scenario: { type: 'string' }, 'size-limit': { type: 'string' } },
  });
  if (positionals.length !== 1) return bad(io, 'run needs exactly one DIR');
  if (values.scenario !== undefined && !isScenarioName(values.scenario)) {
    return bad(io, `unknown scenario "${values.scenario}"; one of: ${SCENARIO_NAMES.join(', ')}`);
  }
  const port = int(values.port, 'port', 0, 65_535) ?? 5005;
  const handle: SandboxHandle = await startSandbox(positionals[0], {
    port,
    scenario: values.scenario as ScenarioName | undefined,
    fileSizeLimitBytes: int(values['size-limit'], 'size-limit', 1024, 10_000_000_000),
  });
  const st = handle.status();
  io.out(`Sandbox Aura listening on ${handle.url} (scenario: ${handle.scenario})`);
  io.out(`  data root ${handle.dir}`);
  io.out(
    `  redis     ${st.redis.enabled ? `127.0.0.1:${st.redis.port}` : 'off (no redis-server on PATH: in-memory cache)'}`,
  );
  io.out(`Switch scenarios from another shell: aura-ops sandbox scenario ${handle.dir} NAME`);
  io.out('Press Ctrl+C to stop.');
  handle.onChange((s) => io.out(`scenario -> ${s.scenario}`));
  await new Promise<void>((resolve) => {
    const done = (): void => {
      process.off('SIGINT', done);
      process.off('SIGTERM', done);
      resolve();
    };
    process.on('SIGINT', done);
    process.on('SIGTERM', done);
  });
  io.out('Stopping sandbox…');
  await handle.stop();
  return 0;
}

async function scenario(argv: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  if (positionals.length !== 2) return bad(io, 'scenario needs DIR and NAME');
  const [dir, name] = positionals;
  if (!isScenarioName(name))
    return bad(io, `unknown scenario "${name}"; one of: ${SCENARIO_NAMES.join(', ')}`);
  const outcome = await switchScenario(dir, name, {
    timeoutMs: SWITCH_CONFIRM_TIMEOUT_MS,
    ifStopped: 'record',
  });
  switch (outcome.kind) {
    case 'not-sandbox':
      io.err(
        `aura-ops sandbox scenario: ${dir} is not a sandbox; create one with "aura-ops sandbox create ${dir}"`,
      );
      return 1;
    case 'not-running':
      if (values.json) io.out(JSON.stringify({ dir, scenario: name, running: false }));
      else io.out(`No sandbox is running from ${dir}; "${name}" applies when it next runs.`);
      return 0;
    case 'switched':
      if (values.json)
        io.out(
          JSON.stringify({
            dir,
            scenario: name,
            running: true,
            url: outcome.state.url,
            pid: outcome.state.pid,
          }),
        );
      else io.out(`Sandbox at ${outcome.state.url} is now in scenario "${name}".`);
      return 0;
    case 'stopped':
      io.err(`aura-ops sandbox scenario: the sandbox from ${dir} stopped before switching`);
      return 1;
    case 'timeout':
      io.err(
        `aura-ops sandbox scenario: the sandbox (pid ${outcome.state.pid}) did not confirm "${name}" within ${SWITCH_CONFIRM_TIMEOUT_MS / 1000} s; check its output`,
      );
      return 1;
  }
}

function scenarios(argv: string[], io: CliIO): number {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: { json: { type: 'boolean' } },
  });
  if (positionals.length > 0) return bad(io, 'scenarios takes no arguments');
  if (values.json) {
    io.out(JSON.stringify(SCENARIOS));
    return 0;
  }
  const w = Math.max(...SCENARIOS.map((s) => s.name.length));
  const rw = Math.max(...SCENARIOS.map((s) => s.runbook.length));
  for (const s of SCENARIOS)
    io.out(`${s.name.padEnd(w)}  ${s.severity}  ${s.runbook.padEnd(rw)}  ${s.title}`);
  return 0;
}
