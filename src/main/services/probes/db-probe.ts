// The aura.db probe: size (page_count * page_size), journal mode, WAL size and a quick integrity
// check on small files, through a read-only open that never creates a sidecar and never writes.
import fs from 'node:fs';
import type { ProbeDetail, ProbeResult, ProbeState } from '../../../shared/contract/probes';
import type { InstallCandidate } from '../../../shared/install-types';
import type { TriageSignals } from '../../../shared/triage-signals';
import { openDatabase } from '../store/native';
import { shellQuote } from '../../../shared/shell-quote';
import { nowMs } from '../../../shared/clock';
import { lockFilesOf, sharedLockWatch as lockWatch } from '../database/lock-state';
import { probeResult } from './result';

/** quick_check reads every page: only on files up to this size, so a sweep stays fast. */
export const QUICK_CHECK_MAX_BYTES = 32 * 1024 * 1024;
/** Busy timeout of the read-only open: readers are never blocked in WAL mode, so this is rare. */
const BUSY_TIMEOUT_MS = 500;
/** A WAL file larger than this share of the DB means checkpoints are not keeping up. */
const WAL_LARGE_RATIO = 0.5;

const mb = (n: number): string => `${(n / 1024 / 1024).toFixed(1)} MB`;

/** page size and count from the 100-byte header (no SQLite open at all). */
export function readHeader(dbPath: string): { pageSize: number; pageCount: number; wal: boolean } | null {
  const buf = Buffer.alloc(100);
  const fd = fs.openSync(dbPath, 'r');
  try {
    if (fs.readSync(fd, buf, 0, 100, 0) < 100) return null;
  } finally {
    fs.closeSync(fd);
  }
  if (buf.subarray(0, 16).toString('latin1') !== 'SQLite format 3\u0000') return null;
  const raw = buf.readUInt16BE(16);
  return {
    pageSize: raw === 1 ? 65536 : raw,
    pageCount: buf.readUInt32BE(28),
    wal: buf[18] === 2 && buf[19] === 2,
  };
}

export interface DbProbeOutput {
  result: ProbeResult;
  database: TriageSignals['database'];
}

/** HH:MM:SS local, as the log panes show times. */
function clockTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

/**
 * The aura.db card: the file probe below, then who holds a write lock on it. A held lock makes the
 * card degraded whatever the integrity says: Aura cannot write while it lasts.
 */
export async function probeDatabase(install: InstallCandidate): Promise<DbProbeOutput> {
  const out = probeDatabaseFile(install);
  if (!fs.existsSync(install.paths.dbPath)) return out;
  let real = install.paths.dbPath;
  try {
    real = fs.realpathSync(real);
  } catch (err) {
    out.result.details.push({
      label: 'Lock',
      value: `not checked: ${(err as Error).message}`,
      state: 'unknown',
    });
    return out;
  }
  const lock = await lockWatch.observe(lockFilesOf(real));
  const r = out.result;
  if (lock.state === 'unknown') {
    r.details.push({
      label: 'Lock',
      value: `${lock.summary} Check with: ${lock.howToCheck}`,
      state: 'unknown',
    });
    return out;
  }
  if (lock.state === 'free') {
    r.details.push({ label: 'Lock', value: 'no writer holds a lock', state: 'ok' });
    return out;
  }
  const since = lock.since === null ? '' : ` (held since ${clockTime(lock.since)} at least)`;
  r.details.push({ label: 'Lock', value: `${lock.summary}${since}`, state: 'degraded' });
  const lockWords = `${lock.summary.replace(/\.$/, '')}${since}. ${lock.impact ?? ''} Find the holder: ${lock.howToCheck}.`;
  if (r.state === 'unhealthy') r.summary = `${r.summary} Also: ${lockWords}`;
  else {
    r.state = 'degraded';
    r.summary = lockWords;
  }
  r.durationMs += Math.max(0, nowMs() - r.checkedAt);
  return out;
}

function probeDatabaseFile(install: InstallCandidate): DbProbeOutput {
  const t0 = performance.now();
  const dbPath = install.paths.dbPath;
  const details: ProbeDetail[] = [];
  const shell = `sqlite3 -readonly ${shellQuote(dbPath)} "SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size(); PRAGMA quick_check;"`;
  const done = (
    state: ProbeState,
    value: number | null,
    summary: string,
    database: TriageSignals['database'],
  ): DbProbeOutput => ({
    result: probeResult(t0, {
      id: 'database',
      title: 'aura.db',
      state,
      value,
      unit: 'MB',
      summary,
      details,
      shell,
    }),
    database,
  });
  let st: fs.Stats;
  try {
    st = fs.statSync(dbPath);
  } catch {
    return done(
      'unknown',
      null,
      `No aura.db at ${dbPath}: Aura creates it on first start; if it lives elsewhere set the DB path override.`,
      { integrity: 'unknown', error: null },
    );
  }
  let header: ReturnType<typeof readHeader>;
  try {
    header = readHeader(dbPath);
  } catch (err) {
    return done('unknown', null, `Cannot read ${dbPath}: ${(err as Error).message}. Check its permissions.`, {
      integrity: 'unknown',
      error: (err as Error).message,
    });
  }
  if (!header) {
    return done(
      'unhealthy',
      Math.round((st.size / 1024 / 1024) * 10) / 10,
      `${dbPath} is not an SQLite database (bad header): restore it from a backup (Backup and Restore).`,
      {
        integrity: 'corrupt',
        error: 'not an SQLite database',
      },
    );
  }
  const walPath = `${dbPath}-wal`;
  const walSize = fs.existsSync(walPath) ? fs.statSync(walPath).size : 0;
  const sidecars = fs.existsSync(walPath) && fs.existsSync(`${dbPath}-shm`);
  details.push({ label: 'File', value: `${mb(st.size)} on disk (${dbPath})` });
  details.push({
    label: 'Journal',
    value: header.wal ? `WAL, -wal ${mb(walSize)}` : 'rollback journal',
    state: header.wal && walSize > st.size * WAL_LARGE_RATIO && walSize > 8 * 1024 * 1024 ? 'degraded' : 'ok',
  });

  // A WAL database without its sidecars would make SQLite create them: read the header only then.
  if (header.wal && !sidecars) {
    const size = header.pageCount * header.pageSize;
    details.push({
      label: 'Integrity',
      value: 'not checked: Aura is not running (no -wal/-shm) and opening would create them',
      state: 'unknown',
    });
    return done(
      'ok',
      Math.round((size / 1024 / 1024) * 10) / 10,
      `${mb(size)} (from the file header; Aura is not holding it open).`,
      { integrity: 'unknown', error: null },
    );
  }
  let db: ReturnType<typeof openDatabase> | null = null;
  try {
    db = openDatabase(dbPath, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    db.pragma('query_only = 1');
    const pageCount = Number(db.pragma('page_count', { simple: true }));
    const pageSize = Number(db.pragma('page_size', { simple: true }));
    const freelist = Number(db.pragma('freelist_count', { simple: true }));
    const size = pageCount * pageSize;
    details.push({
      label: 'Size',
      value: `${mb(size)} (page_count ${pageCount} x page_size ${pageSize}), ${freelist} free pages`,
    });
    let integrity: 'ok' | 'corrupt' | 'unknown' = 'unknown';
    let error: string | null = null;
    if (st.size <= QUICK_CHECK_MAX_BYTES) {
      const rows = db.prepare('PRAGMA quick_check(5)').pluck().all() as string[];
      integrity = rows.length === 1 && rows[0] === 'ok' ? 'ok' : 'corrupt';
      if (integrity === 'corrupt') error = rows.join('; ').slice(0, 300);
      details.push({
        label: 'Integrity',
        value: integrity === 'ok' ? 'quick_check: ok' : `quick_check: ${error}`,
        state: integrity === 'ok' ? 'ok' : 'unhealthy',
      });
    } else {
      details.push({
        label: 'Integrity',
        value: `not checked in sweeps above ${mb(QUICK_CHECK_MAX_BYTES)}: run it from the Database panel`,
        state: 'unknown',
      });
    }
    const value = Math.round((size / 1024 / 1024) * 10) / 10;
    if (integrity === 'corrupt') {
      return done(
        'unhealthy',
        value,
        `aura.db fails its integrity check (${error}): stop Aura, back up what is there and follow Database Issues.`,
        { integrity, error },
      );
    }
    return done(
      'ok',
      value,
      `${mb(size)}, ${header.wal ? 'WAL' : 'rollback journal'}${integrity === 'ok' ? ', integrity ok' : ''}.`,
      { integrity, error },
    );
  } catch (err) {
    const e = err as { code?: string; message?: string };
    const msg = e.message ?? String(err);
    const corrupt = /CORRUPT|NOTADB/.test(e.code ?? '') || /malformed|not a database/i.test(msg);
    details.push({
      label: 'Error',
      value: `${e.code ?? 'error'}: ${msg}`,
      state: corrupt ? 'unhealthy' : 'degraded',
    });
    if (corrupt)
      return done(
        'unhealthy',
        null,
        `aura.db is damaged (${msg}): stop Aura and follow Database Issues / Backup and Restore.`,
        { integrity: 'corrupt', error: msg },
      );
    if (/BUSY|LOCKED/.test(e.code ?? ''))
      return done(
        'degraded',
        null,
        `aura.db is locked by another process (${msg}): find the holder (lsof / fuser) as in Database Issues.`,
        { integrity: 'unknown', error: msg },
      );
    return done('unknown', null, `Cannot open aura.db read-only: ${msg}`, {
      integrity: 'unknown',
      error: msg,
    });
  } finally {
    db?.close();
  }
}
