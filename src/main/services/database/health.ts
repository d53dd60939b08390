// The long jobs on the jobs executor, with progress events and cancel by job id: quick/integrity
// checks table by table, and the online backup into a new file (checked, hashed, never overwriting).
import fs from 'node:fs';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';
import type { BackupResult, CheckResult, JobProgress } from '../../../shared/contract/database';
import { nowMs } from '../../../shared/clock';
import { makePrivateDir, touchPrivateFile } from '../store/private-files';
import { elapsedSince, str } from './cells';
import type { DbReader } from './reader';

/** Checks and backups of a multi-GB file take minutes; they stay cancellable. */
export const JOB_TIMEOUT_MS = 60 * 60_000;
/** Pages copied per backup step: ~16 MB at Aura's 4 KiB pages, few event-loop hops, small steps. */
export const BACKUP_PAGES_PER_STEP = 4096;
/** Problems quick_check lists for a backup copy: enough to see what is hit, short enough to read. */
export const BACKUP_CHECK_ROWS = 20;

type Emit = (event: string, payload: unknown) => void;

function timestamp(d = new Date()): string {
  const p = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}${p(d.getMonth() + 1)}${p(d.getDate())}-${p(d.getHours())}${p(d.getMinutes())}${p(d.getSeconds())}`;
}

/** `<base>.db`, or `<base>-2.db`, ... when two backups start within the same second. */
function freeName(dir: string, base: string): string {
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base}.db` : `${base}-${n}.db`;
    if (!fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(dir, `${name}.partial`)))
      return name;
  }
}

export async function runCheck(
  reader: DbReader,
  emit: Emit,
  kind: 'quick' | 'integrity',
  jobId: string,
): Promise<CheckResult> {
  const t0 = performance.now();
  const target = await reader.target();
  const tables = ['sqlite_schema', ...(await btreeTables(reader))];
  const onProgress = (p: { done: number; total: number; current: string | null }) => {
    const payload: JobProgress = { jobId, ...p };
    emit('db:check-progress', payload);
  };
  try {
    const r = await reader.jobs.run(
      { op: 'check', kind: kind === 'quick' ? 'quick_check' : 'integrity_check', tables },
      { timeoutMs: JOB_TIMEOUT_MS, requestId: jobId, onProgress, open: reader.openSpec(target) },
    );
    return {
      kind,
      ok: r.problems.length === 0,
      problems: r.problems,
      tablesChecked: r.tablesChecked,
      elapsedMs: elapsedSince(t0),
      scope: 'per-table',
    };
  } catch (err) {
    const mapped = reader.mapError(err, target);
    // A check that finds the file too damaged to even read is a result, not a failure of the check.
    if (mapped instanceof OpsError && mapped.code === 'corrupt') {
      return {
        kind,
        ok: false,
        problems: [mapped.message],
        tablesChecked: 0,
        elapsedMs: elapsedSince(t0),
        scope: 'per-table',
      };
    }
    throw mapped;
  }
}

async function btreeTables(reader: DbReader): Promise<string[]> {
  const { target, results } = await reader.exec(reader.interactive, [
    reader.item(
      `SELECT name FROM sqlite_schema WHERE type = 'table' AND rootpage > 0 ORDER BY name`,
      [],
      1_000_000,
    ),
  ]);
  return reader.unwrap(results[0], target).rows.map((r) => str(r[0]));
}

/**
 * Online backup with SQLite's backup API into a new file: `out` (CLI) or <dataDir>/backups/<name>.
 * Never overwrites, never writes aura.db or its sidecars; a partial file is removed on failure.
 */
export async function runBackup(
  reader: DbReader,
  deps: { dataDir: string; emit: Emit },
  p: { jobId?: string; out?: string; name?: string },
): Promise<BackupResult> {
  const t0 = performance.now();
  const stamp = timestamp();
  const target = await reader.target();
  const dbPath = target.insp.path;
  let dest: string;
  if (p.out) {
    dest = path.resolve(p.out);
    const dir = path.dirname(dest);
    if (!fs.existsSync(dir))
      throw new OpsError(
        'not-found',
        `The folder ${dir} does not exist`,
        'Create it first or choose another --out.',
      );
  } else {
    const dir = path.join(deps.dataDir, 'backups');
    makePrivateDir(dir);
    dest = path.join(dir, p.name ?? freeName(dir, `aura-${stamp}`));
  }
  const forbidden = [dbPath, `${dbPath}-wal`, `${dbPath}-shm`, `${dbPath}-journal`];
  let realDest = dest;
  try {
    realDest = path.join(fs.realpathSync(path.dirname(dest)), path.basename(dest));
  } catch (err) {
    throw new OpsError(
      'not-found',
      `Cannot resolve ${path.dirname(dest)}: ${(err as Error).message}`,
      'Choose an existing folder.',
    );
  }
  const realDb = fs.realpathSync(dbPath);
  if (
    forbidden.includes(dest) ||
    [realDb, `${realDb}-wal`, `${realDb}-shm`, `${realDb}-journal`].includes(realDest)
  ) {
    throw new OpsError(
      'forbidden-path',
      'The backup cannot be written over aura.db or its -wal/-shm/-journal',
      'Choose a new file name.',
    );
  }
  if (fs.existsSync(dest))
    throw new OpsError(
      'bad-request',
      `${dest} already exists`,
      'Backups never overwrite a file; choose a new name.',
    );
  const partial = `${dest}.partial`;
  const jobId = p.jobId ?? `backup-${Date.now()}`;
  const cleanup = () =>
    Promise.all(
      [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`].map((f) =>
        fs.promises.rm(f, { force: true }),
      ),
    );
  try {
    // A copy of aura.db is as private as the original: owner-only before a page is written.
    touchPrivateFile(partial);
    const r = await reader.jobs.run(
      {
        op: 'backup',
        dest: partial,
        holdSnapshot: target.insp.wal,
        pagesPerStep: BACKUP_PAGES_PER_STEP,
        verifyRows: BACKUP_CHECK_ROWS,
      },
      {
        timeoutMs: JOB_TIMEOUT_MS,
        requestId: jobId,
        onProgress: (pr) => deps.emit('db:backup-progress', { jobId, ...pr } satisfies JobProgress),
        open: reader.openSpec(target),
      },
    );
    // The check opened the copy read-only; SQLite may have made -wal/-shm for it (the copy is WAL too).
    await Promise.all([`${partial}-wal`, `${partial}-shm`].map((f) => fs.promises.rm(f, { force: true })));
    const quickCheck = r.quickCheck ?? { ok: false, problems: ['the copy was not checked'] };
    let damaged: BackupResult['damaged'];
    if (!quickCheck.ok) {
      // An auto-named backup says so in its name; a chosen name is kept, and the sidecar says it.
      if (!p.out && !p.name)
        dest = path.join(path.dirname(dest), freeName(path.dirname(dest), `aura-${stamp}-DAMAGED`));
      if (fs.existsSync(dest))
        throw new OpsError(
          'bad-request',
          `${dest} already exists`,
          'Backups never overwrite a file; choose a new name.',
        );
      const sidecar = `${dest}.DAMAGED.txt`;
      const warning =
        `aura.db fails quick_check, so this backup holds the same damage (${quickCheck.problems.length} problem${quickCheck.problems.length === 1 ? '' : 's'} listed in ${path.basename(sidecar)}). ` +
        'Keep it as evidence, but do not restore from it: restore from an older backup that passes quick_check (Database Issues, Backup and Restore).';
      fs.writeFileSync(
        sidecar,
        [
          `DAMAGED BACKUP: ${path.basename(dest)}`,
          `Copied from ${dbPath} at ${new Date(nowMs()).toISOString()}; sha256 ${r.sha256}.`,
          'PRAGMA quick_check of the copy (the same pages aura.db had) reported:',
          ...quickCheck.problems.map((l) => `  ${l}`),
          '',
          warning,
          '',
        ].join('\n'),
        { mode: 0o600, flag: 'wx' },
      );
      damaged = { warning, sidecar };
    }
    await fs.promises.rename(partial, dest);
    const ms = (n: number) => Math.round(n * 10) / 10;
    return {
      file: dest,
      size: r.size,
      sha256: r.sha256,
      pages: r.pages,
      elapsedMs: elapsedSince(t0),
      copyMs: ms(r.copyMs),
      hashMs: ms(r.hashMs),
      quickCheck,
      ...(damaged ? { damaged } : {}),
    };
  } catch (err) {
    await cleanup();
    throw reader.mapError(err, target);
  }
}
