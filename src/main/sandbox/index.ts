// The sandbox Aura: a faithful demo install (files, schema, endpoints, log lines) with live fault
// scenarios. It is the console's built-in default and the fixture every test uses.
//
// API (all Node-side; nothing here imports electron):
//
//   createSandbox(dir, { days = 7, projects = 24, logMb = 1, dbMb = 0, port = 5005, seed, now, overwrite })
//     -> CreateSandboxResult { dir, dbPath, logsDir, appSettingsPath, tempDir, controlDir, logFiles, logBytes, dbBytes, counts }
//     Synchronous. Writes <dir>/appsettings.json, <dir>/aura.db (EF schema of FACTS §3, WAL, the 8 real
//     migrations, rows in every status), <dir>/logs/{aura-api,errors,warnings,performance,audit}-yyyyMMdd.log
//     (+ a `_001` size roll on the day before today) and <dir>/.aura-sandbox/ (control files). `logMb` is
//     MB per day summed over the five families. Defaults take well under 2 s. Refuses a non-empty
//     non-sandbox dir; `overwrite` replaces an existing sandbox.
//
//   startSandbox(dir, { port = 0, scenario = 'healthy', jobTickMs = 1000, trafficMs = 1000,
//                       fileSizeLimitBytes = 100 MB, redis = 'auto', create, seed })
//     -> Promise<SandboxHandle { url, port, dir, layout, scenario, setScenario(name), status(), onChange(fn), stop() }>
//     Creates the sandbox first when `dir` holds none (with `create` options). Serves Aura's health and
//     diagnostics endpoints on 127.0.0.1 (port 0 = a free port), logs every request as Aura does,
//     runs a job loop writing JobQueue/JobProgressHistory, and (redis 'auto') a real redis-server on a
//     free port written into appsettings Caching:RedisConnection. Always `await handle.stop()`:
//     it closes the port, ends redis-server and the lock holder, and restores aura.db after db-corrupt.
//
//   Scenarios (SCENARIOS, in src/shared/contract/sandbox.ts, say what each one shows; scenario-table.ts
//   says how it is made: its enter and leave actions and its effects). Switch with
//   handle.setScenario(name), or from any process through the control API (control.ts):
//   switchScenario(dir, name, …) / writeScenarioFile(dir, name) / `aura-ops sandbox scenario DIR NAME`;
//   a running sandbox polls <dir>/.aura-sandbox/scenario.json every 200 ms and records its state in
//   state.json. Code outside this folder imports the control API (or this index), not the simulator.
//
//   A request's way through: http-server.ts (log lines, api-hang) -> routes.ts -> health.ts (bodies),
//   with the process state (aura.db, logs, active effects) in aura-process.ts; the job loop in
//   job-loop.ts, the web UI's background requests and log-flood in traffic.ts.
//
//   Log fixtures: serilog-writer.ts (formatLine, SerilogFileSet, SERILOG_LINE_RE, AURA_SINKS) and
//   aura-events.ts (AuraLogModel: startup, request, provider, cache and job events).
//
// Not in FACTS, so shaped by judgement: the bodies of /api/health/llm|tts|images and /api/version, the
// job-loop log messages, and the simulated drive/ffmpeg facts (the sandbox reports a 256 GB drive with
// 118 GB free and a managed ffmpeg, so "healthy" is healthy on any machine).
export {
  SCENARIOS,
  SCENARIO_NAMES,
  type ScenarioInfo,
  type ScenarioName,
  type SandboxStatus,
} from '../../shared/contract/sandbox';
export {
  createSandbox,
  SANDBOX_DEFAULTS,
  type CreateSandboxOptions,
  type CreateSandboxResult,
} from './generator';
export {
  SCENARIO_POLL_MS,
  sandboxLayout,
  isSandbox,
  isScenarioName,
  writeScenarioFile,
  readScenarioFile,
  readStateFile,
  runningScenario,
  switchScenario,
  type SandboxLayout,
  type SandboxState,
  type SwitchOutcome,
} from './control';
export { startSandbox, type SandboxHandle, type StartSandboxOptions } from './server';
export { SCENARIO_TABLE, type ScenarioEffects, type ScenarioEntry } from './scenario-table';
export { sandboxHandlers } from './handlers';
export { sandboxCommand } from './cli';
export * from './serilog-writer';
export { AuraLogModel, makeRng } from './aura-events';
