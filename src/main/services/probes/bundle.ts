// The support bundle: one zip with the probe results, the triage, an aura.db overview, the last N
// records of each log family (or, full, whole log files and a WAL-safe aura.db copy), the install's
// appsettings.json with secrets redacted, and a manifest with versions and every file's sha256.
// Here: what goes in (the plan) and the writing; the logs are read by bundle-logs.ts, the aura.db
// overview by bundle-db-overview.ts.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BundleResult, SweepResult } from '../../../shared/contract/probes';
import type { InstallCandidate } from '../../../shared/install-types';
import { Redactor } from '../../../shared/redact';
import { APP_VERSION } from '../../version';
import { parseAppSettings } from '../install/appsettings';
import { LOG_FAMILIES } from '../logs/paths';
import { makePrivateDir, PRIVATE_FILE_MODE, restrictFiles } from '../store/private-files';
import { dbOverview } from './bundle-db-overview';
import { lastRecords, readWholeLog, recentLogFiles, type RecordsTail } from './bundle-logs';
import { ZipFileWriter, type SegmentIndex } from './zip';
import { now as clockNow } from '../../../shared/clock';

/** Default number of log records per family. */
export const DEFAULT_BUNDLE_LINES = 500;

function triageText(s: SweepResult, redact: Redactor): string {
  const t = s.triage;
  const lines = [
    `Aura Ops Console ${APP_VERSION} support bundle, ${new Date(s.startedAt).toISOString()}`,
    `Install: ${s.installLabel ?? 'none'} (${s.installId ?? '-'})`,
    `Overall: ${s.overall}`,
    '',
    `Triage: ${t.severity} ${t.severityName}, respond ${t.responseTime}`,
    ...t.suggestions.map(
      (x) =>
        `  ${x.rank}. ${x.runbook} (${x.severity}${x.phase === 'recovering' ? ', recovering' : ''})\n${x.reasons.map((r) => `       - ${r}`).join('\n')}`,
    ),
    ...t.notes.map((n) => `  Note (${n.runbook}): ${n.reason}`),
    '',
    'Probes:',
    ...s.results.map((r) => `  [${r.state}] ${r.title}: ${r.summary}\n      $ ${r.shell}`),
  ];
  return redact.text(lines.join('\n')) + '\n';
}

/** Manifest format of a bundle that can be opened: every file's sha256 and size are listed. */
export const BUNDLE_FORMAT = 'aura-ops-bundle';
export const BUNDLE_FORMAT_VERSION = 2;
/** Where a full bundle keeps its WAL-safe copy of aura.db. */
export const BUNDLE_DB_NAME = 'db/aura.db';
/** Bytes per deflate segment of a bundled log: a tail read inflates one or two of them. */
export const LOG_SEGMENT_BYTES = 1024 * 1024;
/** Default span of whole log files in a full bundle: the day of the incident and the night before. */
export const DEFAULT_BUNDLE_HOURS = 24;

export interface BundleFullOptions {
  /** Whole log files written in the last `hours` (by modification time; each family's newest always). */
  hours: number;
  /** A WAL-safe backup of aura.db made by the caller (SQLite's backup API), or null for none. */
  dbBackup: string | null;
  /** Why there is no aura.db copy, when there is none (named in the manifest's leftOut). */
  dbLeftOutReason?: string | null;
  /** The probe history to include (the console's ops.db); the CLI has only its own sweep. */
  history?: unknown;
}

export interface BundleInput {
  install: InstallCandidate | null;
  sweep: SweepResult;
  lines?: number;
  outFile: string;
  /** Whole log files and aura.db: a bundle that `serve --bundle` and `check --bundle` can open. */
  full?: BundleFullOptions;
  /** Files (zip names) the operator chose to leave out; named in the manifest. */
  exclude?: string[];
}

/** What goes into a bundle, before it is written: the names, sizes and redactions (the UI's preview). */
export interface BundlePlan {
  files: { name: string; bytes: number; redactions: number }[];
  leftOut: { name: string; reason: string }[];
  redactions: Record<string, number>;
}

interface BundleFile {
  name: string;
  data: () => Buffer | string;
}

/** The files of a bundle in order, each read and redacted only when written (one in memory at a time). */
function bundleFiles(
  { install, sweep, lines = DEFAULT_BUNDLE_LINES, full }: BundleInput,
  redact: Redactor,
): BundleFile[] {
  const files: BundleFile[] = [];
  const add = (name: string, data: () => Buffer | string): void => {
    files.push({ name, data });
  };
  const redactText = (t: string): string => redact.text(t);
  add('summary.txt', () => triageText(sweep, redact));
  add('probes.json', () =>
    redactText(
      JSON.stringify(
        {
          overall: sweep.overall,
          startedAt: sweep.startedAt,
          durationMs: sweep.durationMs,
          results: sweep.results,
          signals: sweep.signals,
        },
        null,
        2,
      ),
    ),
  );
  add('triage.json', () => redactText(JSON.stringify(sweep.triage, null, 2)));
  if (full)
    add('probe-history.json', () =>
      redactText(JSON.stringify(full.history ?? { sweeps: [sweep.startedAt] }, null, 2)),
    );
  if (install) {
    add('install.json', () =>
      redactText(
        JSON.stringify({ paths: install.paths, facts: install.facts, problems: install.problems }, null, 2),
      ),
    );
    add('db-overview.json', () => JSON.stringify(dbOverview(install.paths.dbPath), null, 2));
    const settingsPath = install.paths.appSettingsPath;
    if (settingsPath && fs.existsSync(settingsPath)) {
      add('config/appsettings.redacted.json', () => {
        const parsed = parseAppSettings(fs.readFileSync(settingsPath, 'utf8'));
        return parsed.ok
          ? JSON.stringify(redact.config(parsed.settings), null, 2)
          : JSON.stringify(
              {
                error: `appsettings.json could not be parsed (${parsed.error}); it is left out so no secret can leak. Fix it and bundle again.`,
              },
              null,
              2,
            );
      });
    }
    if (full) {
      const logsDir = install.paths.logsDir;
      let listed: { family: string; name: string }[] = [];
      try {
        listed = recentLogFiles(logsDir, clockNow().getTime() - full.hours * 3_600_000);
      } catch (err) {
        add(
          'logs/logs.error.txt',
          () => `Could not list the logs folder ${logsDir}: ${(err as Error).message}\n`,
        );
      }
      for (const f of listed)
        add(`logs/${f.name}`, () => redactText(readWholeLog(logsDir, f.name).toString('utf8')));
      if (full.dbBackup) {
        const backup = full.dbBackup;
        add(BUNDLE_DB_NAME, () => fs.readFileSync(backup));
      }
    } else {
      for (const fam of LOG_FAMILIES) {
        let tail: RecordsTail | null = null;
        let error: string | null = null;
        try {
          tail = lastRecords(install.paths.logsDir, fam.pattern, fam.format, lines);
        } catch (err) {
          error = `Could not read the ${fam.label} files: ${(err as Error).message}\n`;
        }
        if (error !== null) add(`logs/${fam.id}.error.txt`, () => error);
        for (const part of tail?.parts ?? []) add(`logs/${part.file}`, () => redactText(part.text));
      }
    }
  }
  return files;
}

/** The bundle's contents without writing it: names, sizes after redaction and what each rule took out. */
export function planBundle(input: Omit<BundleInput, 'outFile'>): BundlePlan {
  const redact = new Redactor();
  const plan: BundlePlan = { files: [], leftOut: [], redactions: {} };
  const excluded = new Set(input.exclude ?? []);
  for (const f of bundleFiles({ ...input, outFile: '' }, redact)) {
    if (excluded.has(f.name)) {
      plan.leftOut.push({ name: f.name, reason: 'left out by the operator' });
      continue;
    }
    const before = totalOf(redact.counts);
    let data: Buffer | string;
    try {
      data = f.data();
    } catch (err) {
      plan.leftOut.push({ name: f.name, reason: (err as Error).message });
      continue;
    }
    plan.files.push({
      name: f.name,
      bytes: typeof data === 'string' ? Buffer.byteLength(data) : data.length,
      redactions: totalOf(redact.counts) - before,
    });
  }
  plan.redactions = { ...redact.counts };
  return plan;
}

const totalOf = (counts: Record<string, number>): number => Object.values(counts).reduce((a, b) => a + b, 0);

export function writeBundle(input: BundleInput): BundleResult {
  const { install, sweep, lines = DEFAULT_BUNDLE_LINES, outFile, full } = input;
  // One rule set for every file (src/shared/redact.ts); its counts per rule go in the manifest.
  const redact = new Redactor();
  const excluded = new Set(input.exclude ?? []);
  makePrivateDir(path.dirname(outFile));
  const tmp = `${outFile}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  // Owner-only: the bundle holds log lines, configuration and (full) a copy of aura.db.
  const zip = new ZipFileWriter(tmp, PRIVATE_FILE_MODE);
  const hashes: Record<string, { bytes: number; sha256: string }> = {};
  const segments: Record<string, SegmentIndex> = {};
  const leftOut: { name: string; reason: string }[] = [];
  if (full?.dbLeftOutReason) leftOut.push({ name: BUNDLE_DB_NAME, reason: full.dbLeftOutReason });
  const names: string[] = [];
  let bytes = 0;
  try {
    for (const f of bundleFiles(input, redact)) {
      if (excluded.has(f.name)) {
        leftOut.push({ name: f.name, reason: 'left out by the operator' });
        continue;
      }
      let data: Buffer | string;
      try {
        data = f.data();
      } catch (err) {
        // A log that is a link or changed under us: its reason goes in the bundle, the rest is written.
        const errName = `${f.name}.error.txt`;
        data = `Left ${f.name} out: ${(err as Error).message}\n`;
        leftOut.push({ name: f.name, reason: (err as Error).message });
        f.name = errName;
      }
      const buf = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      hashes[f.name] = { bytes: buf.length, sha256: crypto.createHash('sha256').update(buf).digest('hex') };
      // Logs in segments, so an opened bundle can show a big file's tail, checked, before the whole.
      const idx = zip.add(f.name, buf, f.name.startsWith('logs/') ? LOG_SEGMENT_BYTES : undefined);
      if (idx) segments[f.name] = idx;
      names.push(f.name);
    }
    const manifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      console: 'Aura Ops Console',
      version: APP_VERSION,
      createdAt: clockNow().toISOString(),
      sweepAt: new Date(sweep.startedAt).toISOString(),
      host: os.hostname(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      utcOffsetMinutes: -clockNow().getTimezoneOffset(),
      node: process.version,
      platform: `${os.platform()} ${os.release()} ${os.arch()}`,
      aura: { version: auraVersionOf(sweep) },
      install: install
        ? { id: install.id, kind: install.kind, label: install.label, source: install.source }
        : null,
      linesPerFamily: full ? null : lines,
      full: full ? { hours: full.hours, db: full.dbBackup !== null && !excluded.has(BUNDLE_DB_NAME) } : null,
      // How many secrets each rule took out of the files below (the values themselves are gone).
      redactions: { total: totalOf(redact.counts), byRule: redact.counts },
      leftOut,
      files: hashes,
      segments,
    };
    zip.add('manifest.json', JSON.stringify(manifest, null, 2));
    names.unshift('manifest.json');
    bytes = zip.finish();
  } catch (err) {
    zip.abort();
    fs.rmSync(tmp, { force: true });
    throw err;
  }
  restrictFiles(tmp);
  fs.renameSync(tmp, outFile);
  return { file: outFile, bytes, entries: names };
}

/** Aura's version as the API probe read it (health body or /api/version), or null. */
function auraVersionOf(sweep: SweepResult): string | null {
  const api = sweep.results.find((r) => r.id === 'api');
  return api?.details.find((d) => d.label === 'Version')?.value ?? null;
}

export function defaultBundleName(now = clockNow()): string {
  const s = now.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  return `aura-ops-bundle-${s}.zip`;
}
