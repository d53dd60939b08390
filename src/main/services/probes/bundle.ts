// The support bundle: one zip with the probe results, the triage, an aura.db overview, the last N
// records of each log family, the install's appsettings.json with secrets redacted, and versions.
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
import { buildZip, type ZipEntry } from './zip';
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
  const why = (reason: string): OpsError => new OpsError('forbidden-path', `Left ${name} out of the bundle: ${reason}.`, `Logs folder: ${dir}`);
  const l = fs.lstatSync(p);
  if (l.isSymbolicLink()) throw why('it is a symbolic link, and the bundle only takes files that are really in the logs folder');
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
export function lastRecords(dir: string, pattern: string, format: Parameters<typeof isRecordStart>[1], n: number): RecordsTail {
  const files = listFileSet(dir, pattern);
  const parts: RecordsTail['parts'] = [];
  let budget = LOG_TAIL_BYTES;
  let found = 0;
  for (let i = files.length - 1; i >= 0 && found < n && budget > 0 && parts.length <= MAX_EARLIER_FILES; i--) {
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
    parts.unshift({ file: files[i], text: starts > 0 ? lines.slice(from).join('\n') + '\n' : '', records: starts });
  }
  const newest = parts[parts.length - 1];
  return { file: newest?.file ?? null, text: newest?.text ?? '', records: found, parts: parts.filter((x) => x.records > 0 || x === newest) };
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
  const o: DbOverview = { path: dbPath, exists: fs.existsSync(dbPath), sizeBytes: null, journalMode: null, walBytes: null, tables: [], lastMigration: null, error: null };
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
    const db = openDatabase(source, { readonly: snapshotDir === null, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma('query_only = 1');
      o.sizeBytes = Number(db.pragma('page_count', { simple: true })) * Number(db.pragma('page_size', { simple: true }));
      o.journalMode = String(db.pragma('journal_mode', { simple: true }));
      const names = db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").pluck().all() as string[];
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
        o.lastMigration = (db.prepare('SELECT "MigrationId" FROM "__EFMigrationsHistory" ORDER BY "MigrationId" DESC LIMIT 1').pluck().get() as string | undefined) ?? null;
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
    ...t.suggestions.map((x) => `  ${x.rank}. ${x.runbook} (${x.severity}${x.phase === 'recovering' ? ', recovering' : ''})\n${x.reasons.map((r) => `       - ${r}`).join('\n')}`),
    ...t.notes.map((n) => `  Note (${n.runbook}): ${n.reason}`),
    '',
    'Probes:',
    ...s.results.map((r) => `  [${r.state}] ${r.title}: ${r.summary}\n      $ ${r.shell}`),
  ];
  return redact.text(lines.join('\n')) + '\n';
}

export interface BundleInput {
  install: InstallCandidate | null;
  sweep: SweepResult;
  lines?: number;
  outFile: string;
}

export function writeBundle({ install, sweep, lines = DEFAULT_BUNDLE_LINES, outFile }: BundleInput): BundleResult {
  const entries: ZipEntry[] = [];
  const add = (name: string, data: string): void => {
    entries.push({ name, data });
  };
  // One rule set for every file (src/shared/redact.ts); its counts per rule go in the manifest.
  const redact = new Redactor();
  const redactText = (t: string): string => redact.text(t);
  add('summary.txt', triageText(sweep, redact));
  add('probes.json', redactText(JSON.stringify({ overall: sweep.overall, startedAt: sweep.startedAt, durationMs: sweep.durationMs, results: sweep.results, signals: sweep.signals }, null, 2)));
  add('triage.json', redactText(JSON.stringify(sweep.triage, null, 2)));
  if (install) {
    add('install.json', redactText(JSON.stringify({ paths: install.paths, facts: install.facts, problems: install.problems }, null, 2)));
    add('db-overview.json', JSON.stringify(dbOverview(install.paths.dbPath), null, 2));
    const settingsPath = install.paths.appSettingsPath;
    if (settingsPath && fs.existsSync(settingsPath)) {
      const parsed = parseAppSettings(fs.readFileSync(settingsPath, 'utf8'));
      add(
        'config/appsettings.redacted.json',
        parsed.ok
          ? JSON.stringify(redact.config(parsed.settings), null, 2)
          : JSON.stringify({ error: `appsettings.json could not be parsed (${parsed.error}); it is left out so no secret can leak. Fix it and bundle again.` }, null, 2),
      );
    }
    for (const fam of LOG_FAMILIES) {
      try {
        const tail = lastRecords(install.paths.logsDir, fam.pattern, fam.format, lines);
        for (const part of tail.parts) add(`logs/${part.file}`, redactText(part.text));
      } catch (err) {
        add(`logs/${fam.id}.error.txt`, `Could not read the ${fam.label} files: ${(err as Error).message}\n`);
      }
    }
  }
  const manifest = {
    console: 'Aura Ops Console',
    version: APP_VERSION,
    createdAt: clockNow().toISOString(),
    node: process.version,
    platform: `${os.platform()} ${os.release()} ${os.arch()}`,
    install: install ? { id: install.id, kind: install.kind, label: install.label, source: install.source } : null,
    linesPerFamily: lines,
    // How many secrets each rule took out of the files below (the values themselves are gone).
    redactions: { total: Object.values(redact.counts).reduce((a, b) => a + b, 0), byRule: redact.counts },
  };
  entries.unshift({ name: 'manifest.json', data: JSON.stringify(manifest, null, 2) });
  const zip = buildZip(entries);
  makePrivateDir(path.dirname(outFile));
  const tmp = `${outFile}.${process.pid}.tmp`;
  fs.rmSync(tmp, { force: true });
  // Owner-only: the bundle holds log lines and configuration of the install.
  fs.writeFileSync(tmp, zip, { mode: PRIVATE_FILE_MODE, flag: 'wx' });
  restrictFiles(tmp);
  fs.renameSync(tmp, outFile);
  return { file: outFile, bytes: zip.length, entries: entries.map((e) => e.name) };
}

export function defaultBundleName(now = clockNow()): string {
  const s = now.toISOString().replace(/[:.]/g, '-').replace('T', '_').slice(0, 19);
  return `aura-ops-bundle-${s}.zip`;
}
