// The support bundle: one zip with the probe results, the triage, an aura.db overview, the last N
// records of each log family (or, full, whole log files and a WAL-safe aura.db copy), the install's
// appsettings.json with secrets redacted, and a manifest with versions and every file's sha256.
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BundleResult, SweepResult } from '../../../shared/contract/probes';
import { OpsError } from '../../../shared/errors';
import type { InstallCandidate } from '../../../shared/install-types';
import { Redactor } from '../../../shared/redact';
import { isRecordStart } from '../../../shared/serilog';
import { APP_VERSION } from '../../version';
import { parseAppSettings } from '../install/appsettings';
import { LOG_FAMILIES, listFileSet } from '../logs/paths';
import { openDatabase } from '../store/native';
import { makePrivateDir, PRIVATE_FILE_MODE, restrictFiles } from '../store/private-files';
import { readHeader } from './db-probe';
import { ZipFileWriter } from './zip';
import { now as clockNow } from '../../../shared/clock';

/** Default number of log records per family. */
export const DEFAULT_BUNDLE_LINES = 500;
/** Bytes read from the end of a family's newest file at most (long stack traces included). */
const LOG_TAIL_BYTES = 4 * 1024 * 1024;
/** Row counts stop at this many per table: COUNT(*) on a huge table must not stall the bundle. */
const COUNT_CAP = 100_000;
const BUSY_TIMEOUT_MS = 500;
/** Largest stopped-Aura WAL database copied to a temp dir to list its tables. */
const SNAPSHOT_MAX_BYTES = 256 * 1024 * 1024;

/**
 * Open a log file of the bundle for reading, refusing what the log viewer refuses: a symlink (the
 * name is not followed: O_NOFOLLOW, then lstat), anything but a regular file, a file whose real
 * path is outside the logs folder, and a hard link to a file elsewhere. Returns the fd and size.
 */
export function openLogInside(dir: string, name: string): { fd: number; size: number } {
  const p = path.join(dir, name);
  const why = (reason: string): OpsError =>
    new OpsError('forbidden-path', `Left ${name} out of the bundle: ${reason}.`, `Logs folder: ${dir}`);
  const l = fs.lstatSync(p);
  if (l.isSymbolicLink())
    throw why('it is a symbolic link, and the bundle only takes files that are really in the logs folder');
  if (!l.isFile()) throw why('it is not a regular file');
  const realDir = fs.realpathSync(dir);
  const real = fs.realpathSync(p);
  if (path.dirname(real) !== realDir) throw why(`its real path ${real} is outside the logs folder`);
  if (l.nlink > 1) throw why('it is a hard link with other names, possibly outside the logs folder');
  // O_NOFOLLOW: a file swapped for a symlink after the checks is still not followed (0 where unsupported).
  const fd = fs.openSync(p, fs.constants.O_RDONLY | (fs.constants.O_NOFOLLOW ?? 0));
  const st = fs.fstatSync(fd);
  if (!st.isFile() || st.ino !== l.ino || st.dev !== l.dev) {
    fs.closeSync(fd);
    throw why('it changed while it was being opened');
  }
  return { fd, size: st.size };
}

/**
 * Earlier files of a family read when the newest has fewer than `n` records: the day may have just
 * rolled at size (or at midnight), leaving a handful of lines in the live file.
 */
const MAX_EARLIER_FILES = 3;

/** The tail of one log file as lines (a partial first line dropped), at most `maxBytes` from its end. */
function tailLines(dir: string, name: string, maxBytes: number): { lines: string[]; size: number } {
  const { fd, size } = openLogInside(dir, name);
  const take = Math.min(size, maxBytes);
  const buf = Buffer.alloc(take);
  try {
    fs.readSync(fd, buf, 0, take, size - take);
  } finally {
    fs.closeSync(fd);
  }
  let lines = buf.toString('utf8').split(/\r?\n/);
  if (take < size) lines = lines.slice(1);
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  return { lines, size };
}

export interface RecordsTail {
  /** The newest file of the family, or null when it has none. */
  file: string | null;
  /** The records of the newest file only. */
  text: string;
  /** Records found, over every part. */
  records: number;
  /** Oldest first: each file the last `n` records came from, with its share of them. */
  parts: { file: string; text: string; records: number }[];
}

/**
 * The last `n` records (a record = first line + continuation lines) of a family: from its newest
 * file, and from earlier files (roll order) when the newest has fewer, up to MAX_EARLIER_FILES more
 * and LOG_TAIL_BYTES read in all.
 */
export function lastRecords(
  dir: string,
  pattern: string,
  format: Parameters<typeof isRecordStart>[1],
  n: number,
): RecordsTail {
  const files = listFileSet(dir, pattern);
  const parts: RecordsTail['parts'] = [];
  let budget = LOG_TAIL_BYTES;
  let found = 0;
  for (
    let i = files.length - 1;
    i >= 0 && found < n && budget > 0 && parts.length <= MAX_EARLIER_FILES;
    i--
  ) {
    const { lines, size } = tailLines(dir, files[i], budget);
    budget -= Math.min(size, budget);
    let starts = 0;
    let from = lines.length;
    for (let j = lines.length - 1; j >= 0 && found + starts < n; j--) {
      if (isRecordStart(lines[j], format)) {
        starts++;
        from = j;
      }
    }
    found += starts;
    parts.unshift({
      file: files[i],
      text: starts > 0 ? lines.slice(from).join('\n') + '\n' : '',
      records: starts,
    });
  }
  const newest = parts[parts.length - 1];
  return {
    file: newest?.file ?? null,
    text: newest?.text ?? '',
    records: found,
    parts: parts.filter((x) => x.records > 0 || x === newest),
  };
}

export interface DbOverview {
  path: string;
  exists: boolean;
  sizeBytes: number | null;
  journalMode: string | null;
  walBytes: number | null;
  tables: { name: string; rows: number; capped: boolean }[];
  lastMigration: string | null;
  error: string | null;
}

/** Size, journal mode, tables with capped counts and the last EF migration, read-only. */
export function dbOverview(dbPath: string): DbOverview {
  const o: DbOverview = {
    path: dbPath,
    exists: fs.existsSync(dbPath),
    sizeBytes: null,
    journalMode: null,
    walBytes: null,
    tables: [],
    lastMigration: null,
    error: null,
  };
  if (!o.exists) return o;
  try {
    const header = readHeader(dbPath);
    if (!header) {
      o.error = 'not an SQLite database (bad header)';
      return o;
    }
    o.sizeBytes = header.pageCount * header.pageSize;
    o.journalMode = header.wal ? 'wal' : 'delete';
    const wal = `${dbPath}-wal`;
    o.walBytes = fs.existsSync(wal) ? fs.statSync(wal).size : null;
    // A WAL database without its sidecars (Aura stopped) cannot be opened read-only in place
    // without SQLite creating -wal/-shm next to it: read a private copy instead.
    let source = dbPath;
    let snapshotDir: string | null = null;
    if (header.wal && !(fs.existsSync(wal) && fs.existsSync(`${dbPath}-shm`))) {
      if (o.sizeBytes > SNAPSHOT_MAX_BYTES) {
        o.error = `tables not listed: Aura is not running and aura.db (${Math.round(o.sizeBytes / 1048576)} MB) is too big to copy for a look`;
        return o;
      }
      snapshotDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-dbsnap-'));
      source = path.join(snapshotDir, 'aura.db');
      fs.copyFileSync(dbPath, source);
    }
    const db = openDatabase(source, {
      readonly: snapshotDir === null,
      fileMustExist: true,
      timeout: BUSY_TIMEOUT_MS,
    });
    try {
      db.pragma('query_only = 1');
      o.sizeBytes =
        Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
      o.journalMode = String(db.pragma('journal_mode', { simple: true }));
      const names = db
        .prepare(
          "SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
        )
        .pluck()
        .all() as string[];
      for (const name of names) {
        const q = `SELECT count(*) FROM (SELECT 1 FROM "${name.replace(/"/g, '""')}" LIMIT ${COUNT_CAP + 1})`;
        try {
          const rows = Number(db.prepare(q).pluck().get());
          o.tables.push({ name, rows: Math.min(rows, COUNT_CAP), capped: rows > COUNT_CAP });
        } catch (err) {
          o.tables.push({ name, rows: -1, capped: false });
          o.error = `${name}: ${(err as Error).message}`;
        }
      }
      if (names.includes('__EFMigrationsHistory')) {
        o.lastMigration =
          (db
            .prepare('SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" DESC LIMIT 1')
            .pluck()
            .get() as string | undefined) ?? null;
      }
    } finally {
      db.close();
      if (snapshotDir) fs.rmSync(snapshotDir, { recursive: true, force: true });
    }
  } catch (err) {
    o.error = (err as Error).message;
  }
  return o;
}

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

/** Whole log files of every family written since `since`, each family's newest always included. */
function recentLogFiles(logsDir: string, since: number): { family: string; name: string }[] {
  const out: { family: string; name: string }[] = [];
  for (const fam of LOG_FAMILIES) {
    const files = listFileSet(logsDir, fam.pattern);
    files.forEach((name, i) => {
      let mtime = 0;
      try {
        mtime = fs.lstatSync(path.join(logsDir, name)).mtimeMs;
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
        return; // rolled away between the listing and the stat
      }
      if (mtime >= since || i === files.length - 1) out.push({ family: fam.id, name });
    });
  }
  return out;
}

function readWholeLog(dir: string, name: string): Buffer {
  const { fd, size } = openLogInside(dir, name);
  try {
    const buf = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const n = fs.readSync(fd, buf, done, size - done, done);
      if (n === 0) break;
      done += n;
    }
    return buf.subarray(0, done);
  } finally {
    fs.closeSync(fd);
  }
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
      zip.add(f.name, buf);
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
