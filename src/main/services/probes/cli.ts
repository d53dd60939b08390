// `aura-ops check` (every probe and the triage; exit 0 healthy, 1 degraded, 2 unhealthy,
// 3 unreachable) and `aura-ops bundle` (the support zip), for scripts and headless machines.
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { OverallState, ProbeState, SweepResult } from '../../../shared/contract/probes';
import { OpsError } from '../../../shared/errors';
import type { InstallCandidate } from '../../../shared/install-types';
import type { CliCommand } from '../../cli-types';
import { isSandbox } from '../../sandbox/control';
import { discoverInstalls, resolveRoot } from '../install/discover';
import fs from 'node:fs';
import {
  DEFAULT_BUNDLE_HOURS,
  DEFAULT_BUNDLE_LINES,
  defaultBundleName,
  planBundle,
  writeBundle,
  type BundleFullOptions,
} from './bundle';
import { openBundle } from '../bundle/open';
import { replayCheck } from '../bundle/replay';
import { DatabaseService } from '../database/service';
import { makePrivateDir } from '../store/private-files';
import { runSweep } from './sweep';
import { nowMs } from '../../../shared/clock';

export const EXIT_CODES: Record<OverallState, number> = {
  healthy: 0,
  degraded: 1,
  unhealthy: 2,
  unreachable: 3,
};
/** Exit code for a usage error; distinct from the health codes 0-3. */
const EXIT_USAGE = 64;
/** The check could not run at all (no install found): not "degraded", which 1 would mean. */
const EXIT_NO_INSTALL = 4;

function installOrExit(
  dir: string | undefined,
  cmd: string,
  io: Parameters<CliCommand>[1],
): InstallCandidate | null {
  try {
    return resolveInstall(dir);
  } catch (err) {
    const e = err as OpsError;
    io.err(`aura-ops ${cmd}: ${e.message}${e.detail ? `\n  ${e.detail}` : ''}`);
    return null;
  }
}

const CHECK_HELP = `Usage: aura-ops check [--install DIR] [--json] [--since MINUTES]
       aura-ops check --bundle FILE [--json]

Runs every health probe of an Aura install (API endpoints, Redis, disk, memory, processes,
aura.db, log error rate) and triages the result to a handbook severity and runbooks.

With --bundle, opens a support bundle (made with aura-ops bundle --with-db) instead: the probes as
they were recorded, the log signals read again from the bundle's log files at the time it was
made, and the triage replayed from them. Nothing on this machine is probed.

Options:
  --bundle FILE    A support bundle zip to check offline (its files are verified first)
  --install DIR    Aura data root (holds aura.db, logs/, appsettings.json); default: the first
                   install found (AURA_DATA_PATH and friends, then the OS defaults)
  --json           Print the whole sweep (results, signals, triage) as JSON
  --since MIN      Ignore log signals older than MIN minutes (e.g. since a fix was applied)
  -h, --help       Show this help

Exit status: 0 healthy, 1 degraded, 2 unhealthy, 3 API unreachable, 4 no install found,
64 usage error.`;

const BUNDLE_HELP = `Usage: aura-ops bundle [--install DIR] [--out FILE] [--lines N] [--json]
       aura-ops bundle --with-db [--hours H] [--leave-out NAME]... [--dry-run] [--install DIR] [--out FILE]

Writes a support zip: probe results, triage, aura.db overview, the last N records of each log
family, appsettings.json with secrets redacted, and the console's version.

--with-db makes a bundle that can be opened elsewhere (aura-ops serve --bundle, check --bundle):
a WAL-safe backup of aura.db, the whole log files written in the last H hours, and a manifest
with the console and Aura versions, the machine's time zone, every file's sha256 and the
redaction counts per rule. Every file goes through the same redaction as the rest.

Options:
  --with-db        Whole log files and a copy of aura.db (see above)
  --hours H        With --with-db: log files written in the last H hours (default ${DEFAULT_BUNDLE_HOURS})
  --leave-out NAME A file of the bundle to leave out (as --dry-run lists it); repeatable
  --dry-run        List what would go in, with sizes and redactions, and write nothing
  --install DIR    Aura data root (default: the first install found)
  --out FILE       Zip to write (default: ./aura-ops-bundle-<time>.zip)
  --lines N        Log records per family (default ${DEFAULT_BUNDLE_LINES})
  --json           Print the result (file, bytes, entries) as JSON
  -h, --help       Show this help`;

/** --install DIR, else the first install discovery finds. */
export function resolveInstall(
  dir: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): InstallCandidate {
  if (dir) {
    const root = path.resolve(dir);
    const c = resolveRoot(
      { kind: isSandbox(root) ? 'sandbox' : 'manual', dataRoot: root, source: '--install', useEnv: false },
      { env },
    );
    if (!c.facts.dataRoot.exists)
      throw new OpsError(
        'not-found',
        `No Aura data folder at ${root}`,
        'Pass the folder that holds aura.db, logs/ and appsettings.json.',
      );
    return c;
  }
  const found = discoverInstalls({ env, platform: process.platform, home: os.homedir() }).find(
    (c) => c.found,
  );
  if (!found) {
    throw new OpsError(
      'not-found',
      'No Aura install found on this machine',
      'Pass --install DIR (the folder holding aura.db and logs/), or set AURA_DATA_PATH.',
    );
  }
  return found;
}

const MARK: Record<ProbeState, string> = {
  ok: 'ok  ',
  degraded: 'WARN',
  unhealthy: 'FAIL',
  unreachable: 'DOWN',
  'not-configured': '--  ',
  unknown: '??  ',
};

export function formatSweep(s: SweepResult): string {
  const out = [
    `Aura install: ${s.installLabel ?? 'none'}${s.installId ? ` (${s.installId.replace(/^[^:]+:/, '')})` : ''}`,
    '',
  ];
  for (const r of s.results) {
    out.push(`[${MARK[r.state]}] ${r.title.padEnd(15)} ${r.summary}`);
    for (const d of r.details
      .filter((x) => x.state && x.state !== 'ok' && x.state !== 'not-configured')
      .slice(0, 6))
      out.push(`         ${d.label}: ${d.value}`);
    out.push(`         $ ${r.shell}`);
  }
  const t = s.triage;
  out.push(
    '',
    `Overall: ${s.overall.toUpperCase()} (sweep ${s.durationMs} ms)`,
    `Triage: ${t.severity} ${t.severityName}, respond ${t.responseTime}${t.phase === 'recovering' ? ' (recovering)' : ''}`,
  );
  for (const x of t.suggestions) {
    out.push(`  ${x.rank}. ${x.runbook} (${x.severity}${x.phase === 'recovering' ? ', recovering' : ''})`);
    for (const r of x.reasons) out.push(`       - ${r}`);
  }
  for (const n of t.notes) out.push(`  Note (${n.runbook}): ${n.reason}`);
  return out.join('\n');
}

export const checkCommand: CliCommand = async (argv, io) => {
  let values: { install?: string; json?: boolean; since?: string; bundle?: string; help?: boolean };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        install: { type: 'string' },
        json: { type: 'boolean' },
        since: { type: 'string' },
        bundle: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
  } catch (err) {
    io.err(`aura-ops check: ${(err as Error).message}\n\n${CHECK_HELP}`);
    return EXIT_USAGE;
  }
  if (values.help) {
    io.out(CHECK_HELP);
    return 0;
  }
  if (values.bundle !== undefined) {
    if (values.install !== undefined || values.since !== undefined) {
      io.err(
        'aura-ops check: --bundle checks the bundle as it was made; it takes neither --install nor --since',
      );
      return EXIT_USAGE;
    }
    return checkBundle(values.bundle, values.json === true, io);
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

/** The bundle's words, then the replayed sweep; exit code from the replayed verdict. */
async function checkBundle(file: string, json: boolean, io: Parameters<CliCommand>[1]): Promise<number> {
  const into = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-bundle-check-'));
  try {
    let opened;
    try {
      // Every file is verified before the check answers (not the paint path).
      opened = await openBundle(file, into);
    } catch (err) {
      const e = err as OpsError;
      io.err(`aura-ops check: ${e.message}${e.detail ? `\n  ${e.detail}` : ''}`);
      return EXIT_NO_INSTALL;
    }
    const r = replayCheck(opened);
    if (json)
      io.out(
        JSON.stringify(
          { bundle: opened.origin, recorded: r.recorded, agrees: r.agrees, ...r.sweep },
          null,
          2,
        ),
      );
    else {
      io.out(
        [
          `${opened.install.label}`,
          `Time zone of that machine: ${opened.origin.timeZone}; Aura ${opened.origin.auraVersion ?? 'version unknown'}. Probes as recorded; log signals re-read from the bundle's logs.`,
          '',
          formatSweep(r.sweep),
          '',
          r.agrees
            ? `Recorded check: ${r.recorded.severity}, ${r.recorded.top ?? 'no runbook'} (the replay agrees).`
            : `Recorded check: ${r.recorded.severity}, ${r.recorded.top ?? 'no runbook'}; the replay differs (the bundle's logs may be cut short or redacted).`,
        ].join('\n'),
      );
    }
    return EXIT_CODES[r.sweep.overall];
  } finally {
    fs.rmSync(into, { recursive: true, force: true });
  }
}

/**
 * A WAL-safe copy of aura.db (SQLite's online backup, in the reader process) into a private temp
 * folder; null with the reason when there is no aura.db or the copy fails (the bundle says so).
 */
export async function backupForBundle(
  install: InstallCandidate,
): Promise<{ file: string | null; reason: string | null; cleanup: () => void }> {
  const dbPath = install.paths.dbPath;
  if (!fs.existsSync(dbPath))
    return { file: null, reason: `no aura.db at ${dbPath}`, cleanup: () => undefined };
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-bundle-db-'));
  makePrivateDir(tmp);
  const cleanup = (): void => fs.rmSync(tmp, { recursive: true, force: true });
  const svc = new DatabaseService({ dataDir: tmp, dbPath: () => dbPath, emit: () => undefined });
  try {
    const b = await svc.backup({ out: path.join(tmp, 'aura.db'), jobId: 'bundle-backup' });
    return { file: b.file, reason: null, cleanup };
  } catch (err) {
    cleanup();
    return {
      file: null,
      reason: `the backup of aura.db failed: ${(err as Error).message}`,
      cleanup: () => undefined,
    };
  } finally {
    await svc.dispose();
  }
}

export const bundleCommand: CliCommand = async (argv, io) => {
  let values: {
    install?: string;
    out?: string;
    lines?: string;
    json?: boolean;
    help?: boolean;
    'with-db'?: boolean;
    hours?: string;
    'leave-out'?: string[];
    'dry-run'?: boolean;
  };
  try {
    ({ values } = parseArgs({
      args: argv,
      options: {
        install: { type: 'string' },
        out: { type: 'string' },
        lines: { type: 'string' },
        json: { type: 'boolean' },
        'with-db': { type: 'boolean' },
        hours: { type: 'string' },
        'leave-out': { type: 'string', multiple: true },
        'dry-run': { type: 'boolean' },
        help: { type: 'boolean', short: 'h' },
      },
      allowPositionals: false,
    }));
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
  const hours = values.hours === undefined ? DEFAULT_BUNDLE_HOURS : Number(values.hours);
  if (!Number.isFinite(hours) || hours <= 0 || hours > 24 * 31) {
    io.err(
      `aura-ops bundle: --hours takes a number of hours above 0 and at most 744 (a month), not "${values.hours}"`,
    );
    return EXIT_USAGE;
  }
  if (values.hours !== undefined && !values['with-db']) {
    io.err(
      'aura-ops bundle: --hours goes with --with-db (whole log files); without it the bundle takes the last --lines records',
    );
    return EXIT_USAGE;
  }
  const install = installOrExit(values.install, 'bundle', io);
  if (!install) return EXIT_NO_INSTALL;
  const sweep = await runSweep(install);
  const exclude = values['leave-out'] ?? [];
  if (values['dry-run']) {
    const plan = planBundle({
      install,
      sweep,
      lines,
      exclude,
      ...(values['with-db'] ? { full: { hours, dbBackup: null } } : {}),
    });
    io.out(
      values.json
        ? JSON.stringify(plan, null, 2)
        : [
            ...plan.files.map(
              (f) =>
                `${f.name.padEnd(48)} ${String(f.bytes).padStart(12)} bytes${f.redactions ? `, ${f.redactions} redacted` : ''}`,
            ),
            ...(values['with-db']
              ? [`${'db/aura.db'.padEnd(48)} (a WAL-safe backup, made when the bundle is written)`]
              : []),
            ...plan.leftOut.map((f) => `left out: ${f.name} (${f.reason})`),
            `Redactions by rule: ${
              Object.entries(plan.redactions)
                .filter(([, v]) => v > 0)
                .map(([k, v]) => `${k} ${v}`)
                .join(', ') || 'none'
            }`,
          ].join('\n'),
    );
    return 0;
  }
  const outFile = path.resolve(values.out ?? defaultBundleName());
  let full: BundleFullOptions | undefined;
  let cleanup = (): void => undefined;
  if (values['with-db']) {
    const b = exclude.includes('db/aura.db')
      ? { file: null, reason: null, cleanup }
      : await backupForBundle(install);
    if (b.reason) io.err(`aura-ops bundle: aura.db is left out: ${b.reason}`);
    full = {
      hours,
      dbBackup: b.file,
      dbLeftOutReason: b.reason ?? (b.file ? null : 'left out by the operator'),
    };
    cleanup = b.cleanup;
  }
  let r;
  try {
    r = writeBundle({ install, sweep, lines, outFile, exclude, ...(full ? { full } : {}) });
  } finally {
    cleanup();
  }
  io.out(
    values.json
      ? JSON.stringify(r, null, 2)
      : `Wrote ${r.file} (${(r.bytes / 1024).toFixed(0)} KB, ${r.entries.length} files). Triage: ${sweep.triage.severity}, ${sweep.triage.suggestions[0]?.runbook ?? '-'}.`,
  );
  return 0;
};
