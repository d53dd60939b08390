// `aura-ops check` (every probe and the triage; exit 0 healthy, 1 degraded, 2 unhealthy,
// 3 unreachable) and `aura-ops bundle` (the support zip), for scripts and headless machines.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { OverallState, ProbeState, SweepResult } from '../../../shared/contract/probes';
import { OpsError } from '../../../shared/errors';
import type { InstallCandidate } from '../../../shared/install-types';
import type { CliCommand } from '../../cli-types';
import { isSandbox } from '../../sandbox/generator';
import { discoverInstalls, resolveRoot } from '../install/discover';
import { DEFAULT_BUNDLE_LINES, defaultBundleName, writeBundle } from './bundle';
import { runSweep } from './sweep';
import { nowMs } from '../../../shared/clock';

export const EXIT_CODES: Record<OverallState, number> = { healthy: 0, degraded: 1, unhealthy: 2, unreachable: 3 };
/** Exit code for a usage error; distinct from the health codes 0-3. */
const EXIT_USAGE = 64;
/** The check could not run at all (no install found): not "degraded", which 1 would mean. */
const EXIT_NO_INSTALL = 4;

function installOrExit(dir: string | undefined, cmd: string, io: Parameters<CliCommand>[1]): InstallCandidate | null {
  try {
    return resolveInstall(dir);
  } catch (err) {
    const e = err as OpsError;
    io.err(`aura-ops ${cmd}: ${e.message}${e.detail ? `\n  ${e.detail}` : ''}`);
    return null;
  }
}

const CHECK_HELP = `Usage: aura-ops check [--install DIR] [--json] [--since MINUTES]

Runs every health probe of an Aura install (API endpoints, Redis, disk, memory, processes,
aura.db, log error rate) and triages the result to a handbook severity and runbooks.

Options:
  --install DIR    Aura data root (holds aura.db, logs/, appsettings.json); default: the first
                   install found (AURA_DATA_PATH and friends, then the OS defaults)
  --json           Print the whole sweep (results, signals, triage) as JSON
  --since MIN      Ignore log signals older than MIN minutes (e.g. since a fix was applied)
  -h, --help       Show this help

Exit status: 0 healthy, 1 degraded, 2 unhealthy, 3 API unreachable, 4 no install found,
64 usage error.`;

const BUNDLE_HELP = `Usage: aura-ops bundle [--install DIR] [--out FILE] [--lines N] [--json]

Writes a support zip: probe results, triage, aura.db overview, the last N records of each log
family, appsettings.json with secrets redacted, and the console's version.

Options:
  --install DIR    Aura data root (default: the first install found)
  --out FILE       Zip to write (default: ./aura-ops-bundle-<time>.zip)
  --lines N        Log records per family (default ${DEFAULT_BUNDLE_LINES})
  --json           Print the result (file, bytes, entries) as JSON
  -h, --help       Show this help`;

/** --install DIR, else the first install discovery finds. */
export function resolveInstall(dir: string | undefined, env: NodeJS.ProcessEnv = process.env): InstallCandidate {
  if (dir) {
    const root = path.resolve(dir);
    const c = resolveRoot({ kind: isSandbox(root) ? 'sandbox' : 'manual', dataRoot: root, source: '--install', useEnv: false }, { env });
    if (!c.facts.dataRoot.exists) throw new OpsError('not-found', `No Aura data folder at ${root}`, 'Pass the folder that holds aura.db, logs/ and appsettings.json.');
    return c;
  }
  const found = discoverInstalls({ env, platform: process.platform, home: os.homedir() }).find((c) => c.found);
  if (!found) {
    throw new OpsError('not-found', 'No Aura install found on this machine', 'Pass --install DIR (the folder holding aura.db and logs/), or set AURA_DATA_PATH.');
  }
  return found;
}

const MARK: Record<ProbeState, string> = { ok: 'ok  ', degraded: 'WARN', unhealthy: 'FAIL', unreachable: 'DOWN', 'not-configured': '--  ', unknown: '??  ' };

export function formatSweep(s: SweepResult): string {
  const out = [`Aura install: ${s.installLabel ?? 'none'}${s.installId ? ` (${s.installId.replace(/^[^:]+:/, '')})` : ''}`, ''];
  for (const r of s.results) {
    out.push(`[${MARK[r.state]}] ${r.title.padEnd(15)} ${r.summary}`);
    for (const d of r.details.filter((x) => x.state && x.state !== 'ok' && x.state !== 'not-configured').slice(0, 6)) out.push(`         ${d.label}: ${d.value}`);
    out.push(`         $ ${r.shell}`);
  }
  const t = s.triage;
  out.push('', `Overall: ${s.overall.toUpperCase()} (sweep ${s.durationMs} ms)`, `Triage: ${t.severity} ${t.severityName}, respond ${t.responseTime}${t.phase === 'recovering' ? ' (recovering)' : ''}`);
  for (const x of t.suggestions) {
    out.push(`  ${x.rank}. ${x.runbook} (${x.severity}${x.phase === 'recovering' ? ', recovering' : ''})`);
    for (const r of x.reasons) out.push(`       - ${r}`);
  }
  for (const n of t.notes) out.push(`  Note (${n.runbook}): ${n.reason}`);
  return out.join('\n');
}

export const checkCommand: CliCommand = async (argv, io) => {
  let values: { install?: string; json?: boolean; since?: string; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { install: { type: 'string' }, json: { type: 'boolean' }, since: { type: 'string' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }));
  } catch (err) {
    io.err(`aura-ops check: ${(err as Error).message}\n\n${CHECK_HELP}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  let logsSince: number | undefined;
  if (values.since !== undefined) {
    const m = Number(values.since);
    if (!Number.isFinite(m) || m <= 0) {
      io.err(`aura-ops check: --since takes a number of minutes above 0, not "${values.since}"`);
      return EXIT_USAGE;
    }
    logsSince = nowMs() - m * 60_000;
  }
  const install = installOrExit(values.install, 'check', io);
  if (!install) return EXIT_NO_INSTALL;
  const sweep = await runSweep(install, { logsSince });
  io.out(values.json ? JSON.stringify(sweep, null, 2) : formatSweep(sweep));
  return EXIT_CODES[sweep.overall];
};

export const bundleCommand: CliCommand = async (argv, io) => {
  let values: { install?: string; out?: string; lines?: string; json?: boolean; help?: boolean };
  try {
    ({ values } = parseArgs({ args: argv, options: { install: { type: 'string' }, out: { type: 'string' }, lines: { type: 'string' }, json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } }, allowPositionals: false }));
  } catch (err) {
    io.err(`aura-ops bundle: ${(err as Error).message}\n\n${BUNDLE_HELP}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.out(BUNDLE_HELP);
    return 0;
  }
  const lines = values.lines === undefined ? DEFAULT_BUNDLE_LINES : Number(values.lines);
  if (!Number.isInteger(lines) || lines < 1 || lines > 20_000) {
    io.err(`aura-ops bundle: --lines takes a whole number from 1 to 20000, not "${values.lines}"`);
    return EXIT_USAGE;
  }
  const install = installOrExit(values.install, 'bundle', io);
  if (!install) return EXIT_NO_INSTALL;
  const sweep = await runSweep(install);
  const outFile = path.resolve(values.out ?? defaultBundleName());
  const r = writeBundle({ install, sweep, lines, outFile });
  io.out(values.json ? JSON.stringify(r, null, 2) : `Wrote ${r.file} (${(r.bytes / 1024).toFixed(0)} KB, ${r.entries.length} files). Triage: ${sweep.triage.severity}, ${sweep.triage.suggestions[0]?.runbook ?? '-'}.`);
  return 0;
};
