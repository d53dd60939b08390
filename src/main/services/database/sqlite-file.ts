// Looks at an SQLite file without opening it through SQLite: header, sidecar files, truncation.
// This decides how the executor may open it without creating, locking or changing anything.
import fs from 'node:fs';
import { OpsError } from '../../../shared/errors';
import type { SideFile } from '../../../shared/contract/database';

const SQLITE_MAGIC = 'SQLite format 3\u0000';
const HEADER_BYTES = 100;
/** A rollback-journal writer commits in well under this; a file still short after it is truncated. */
const TRUNCATION_RECHECK_MS = 250;

export interface SqliteHeader {
  pageSize: number;
  /** 1 = rollback journal, 2 = WAL (header bytes 18/19). */
  writeVersion: number;
  readVersion: number;
  /** In-header database size in pages, when valid (SQLite 3.7.0+ writers). */
  pageCount: number | null;
  freelistPages: number;
  changeCounter: number;
}

export interface FileInspection {
  path: string;
  header: SqliteHeader;
  wal: boolean;
  file: SideFile;
  walFile: SideFile;
  shmFile: SideFile;
  /** Set when the path given was a symbolic link (path is then its target). */
  linkedFrom?: string;
  /**
   * Identity of aura.db, -wal and -shm (device, inode, size, mtime; '-' for a missing sidecar): when
   * it changes the readers reopen, so a replaced, restored or repaired aura.db is read afresh and
   * never through a deleted -wal/-shm a reader still holds open.
   */
  identity: string;
  /**
   * 'in-place': open aura.db read-only where it lies (creates nothing).
   * 'snapshot': opening in place would create -wal/-shm (WAL database with no live writer), so a
   * private copy is read instead.
   */
  access: 'in-place' | 'snapshot';
}

export function parseHeader(buf: Buffer): SqliteHeader | null {
  if (buf.length < HEADER_BYTES || buf.toString('latin1', 0, 16) !== SQLITE_MAGIC) return null;
  const rawPageSize = buf.readUInt16BE(16);
  const pageSize = rawPageSize === 1 ? 65536 : rawPageSize;
  const changeCounter = buf.readUInt32BE(24);
  const inHeaderSize = buf.readUInt32BE(28);
  const validFor = buf.readUInt32BE(92);
  return {
    pageSize,
    writeVersion: buf[18],
    readVersion: buf[19],
    pageCount: inHeaderSize > 0 && validFor === changeCounter ? inHeaderSize : null,
    freelistPages: buf.readUInt32BE(36),
    changeCounter,
  };
}

/**
 * One file's part of the identity. The -shm's mtime is left out: readers, ours included, write
 * their read marks into it through shared memory, so it moves with every read and says nothing.
 */
function idOf(st: fs.BigIntStats, withMtime: boolean): string {
  return `${st.dev}:${st.ino}:${st.size}${withMtime ? `:${st.mtimeNs}` : ''}`;
}

async function sideFile(p: string, withMtime: boolean): Promise<{ side: SideFile; id: string }> {
  try {
    const st = await fs.promises.lstat(p, { bigint: true });
    if (st.isSymbolicLink()) {
      // Readers write their read marks into -shm: a link could point them at any file.
      throw new OpsError(
        'forbidden-path',
        `${p} is a symbolic link; the inspector does not open SQLite's -wal/-shm through a link`,
        'Sidecars are always plain files next to aura.db. Stop Aura, remove the link, and let Aura recreate the file.',
      );
    }
    if (!st.isFile()) {
      throw new OpsError(
        'corrupt',
        `${p} is not a file`,
        'Something replaced the SQLite sidecar with a folder or a device; move it aside with Aura stopped.',
      );
    }
    return {
      side: { path: p, exists: true, size: Number(st.size), mtime: st.mtime.toISOString() },
      id: idOf(st, withMtime),
    };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT')
      return { side: { path: p, exists: false, size: 0, mtime: null }, id: '-' };
    if (err instanceof OpsError) throw err;
    throw new OpsError(
      'unavailable',
      `Cannot read ${p}: ${(err as Error).message}`,
      'Check the file permissions.',
    );
  }
}

async function readHeader(
  dbPath: string,
): Promise<{ buf: Buffer; read: number; header: SqliteHeader | null }> {
  const buf = Buffer.alloc(HEADER_BYTES);
  let read = 0;
  try {
    const fh = await fs.promises.open(dbPath, 'r');
    try {
      read = (await fh.read(buf, 0, HEADER_BYTES, 0)).bytesRead;
    } finally {
      await fh.close();
    }
  } catch (err) {
    throw new OpsError(
      'unavailable',
      `Cannot read ${dbPath}: ${(err as Error).message}`,
      'Check the file permissions.',
    );
  }
  return { buf, read, header: parseHeader(buf.subarray(0, read)) };
}

async function looksTruncated(dbPath: string, header: SqliteHeader): Promise<boolean> {
  if (header.pageCount === null) return false;
  const size = (await fs.promises.stat(dbPath)).size;
  return size < header.pageCount * header.pageSize;
}

/** Checks the file is there and is a whole SQLite database; says how to open it safely. */
export async function inspectFile(configured: string): Promise<FileInspection> {
  let st: fs.BigIntStats;
  let dbPath = configured;
  try {
    // A symlinked aura.db: SQLite opens (and keeps its -wal/-shm next to) the target, so look there.
    dbPath = await fs.promises.realpath(configured);
    st = await fs.promises.stat(dbPath, { bigint: true });
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && (await fs.promises.lstat(configured).catch(() => null))?.isSymbolicLink()) {
      throw new OpsError(
        'not-found',
        `${configured} is a symbolic link to a file that does not exist`,
        'The link is dangling: point it (or the console) at the real aura.db.',
      );
    }
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      throw new OpsError(
        'not-found',
        `aura.db was not found at ${dbPath}`,
        'Check the attached install (Aura creates aura.db on its first start), or point the console at the right file.',
      );
    }
    throw new OpsError(
      'unavailable',
      `Cannot read ${dbPath}: ${(err as Error).message}`,
      'Check the file permissions.',
    );
  }
  if (!st.isFile()) {
    throw new OpsError(
      'not-found',
      `${dbPath} is not a file`,
      'Point the console at the aura.db file itself.',
    );
  }
  const { buf, read } = await readHeader(dbPath);
  if (read === 0) {
    throw new OpsError(
      'corrupt',
      `${dbPath} is empty (0 bytes), not an Aura database`,
      'It was truncated or never written. Restore aura.db from a backup, or stop Aura, move the file aside and let Aura create a new one.',
    );
  }
  const header = parseHeader(buf.subarray(0, read));
  if (!header) {
    throw new OpsError(
      'corrupt',
      `${dbPath} is not an SQLite database (its header is wrong)`,
      'The file was overwritten or is something else. Restore aura.db from a backup; check the configured path first.',
    );
  }
  const wal = header.readVersion === 2 && header.writeVersion === 2;
  const file: SideFile = { path: dbPath, exists: true, size: Number(st.size), mtime: st.mtime.toISOString() };
  const wal_ = await sideFile(`${dbPath}-wal`, true);
  const shm_ = await sideFile(`${dbPath}-shm`, false);
  const walFile = wal_.side;
  const shmFile = shm_.side;
  // A WAL database needs both sidecars to be read in place; SQLite would otherwise create them.
  const access = wal && !(walFile.exists && shmFile.exists) ? 'snapshot' : 'in-place';
  // With a live WAL the file may legitimately be shorter than its header says (a checkpoint writes
  // page 1 first); without one, a short file is a truncated file. A rollback writer can be mid-commit,
  // so a short file is looked at twice before it is called truncated.
  if (!(wal && access === 'in-place') && (await looksTruncated(dbPath, header))) {
    await new Promise((r) => setTimeout(r, TRUNCATION_RECHECK_MS));
    const again = await readHeader(dbPath);
    if (again.header && (await looksTruncated(dbPath, again.header))) {
      const size = (await fs.promises.stat(dbPath)).size;
      throw new OpsError(
        'corrupt',
        `${dbPath} is truncated: ${size} bytes on disk, its header says ${(again.header.pageCount ?? 0) * again.header.pageSize}`,
        'Part of the file is missing (an interrupted copy or a full disk). Restore aura.db from a backup.',
      );
    }
  }
  return {
    path: dbPath,
    header,
    wal,
    file,
    walFile,
    shmFile,
    ...(dbPath !== configured ? { linkedFrom: configured } : {}),
    identity: `${idOf(st, true)}|wal ${wal_.id}|shm ${shm_.id}`,
    access,
  };
}

/** SQLite / executor error codes to what the operator sees. */
export function mapSqliteError(code: string, message: string, dbPath: string): OpsError {
  if (code === 'AURA_OPS_NO_EXTENSION') {
    return new OpsError(
      'read-only',
      message,
      'Query aura.db with built-in SQL functions, or load the extension in your own sqlite3 on a copy of the file.',
    );
  }
  if (code === 'AURA_OPS_READONLY') {
    return new OpsError(
      'read-only',
      `The inspector is read-only and did not run this statement: ${message}`,
      'Change data through Aura itself. To experiment, back up aura.db and open the copy with sqlite3.',
    );
  }
  if (code.startsWith('SQLITE_READONLY') && code !== 'SQLITE_READONLY_ROLLBACK') {
    return new OpsError(
      'read-only',
      `The inspector is read-only: SQLite refused a write to aura.db (${message}), because the reader opens it read-only with query_only on.`,
      'Change data through Aura itself. To experiment, back up aura.db and open the copy with sqlite3.',
    );
  }
  if (code === 'SQLITE_READONLY_ROLLBACK') {
    return new OpsError(
      'busy',
      `${dbPath} has a hot journal (a writer crashed mid-transaction) that a read-only reader cannot roll back`,
      'Start Aura once (it rolls the journal back), then retry. Do not delete the -journal file.',
    );
  }
  if (code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED')) {
    return new OpsError(
      'busy',
      `aura.db is locked by a writer (${message})`,
      'Another process holds a write lock. Retry in a moment; if it persists, find the process with `lsof aura.db` (or Resource Monitor on Windows).',
    );
  }
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new OpsError(
      'corrupt',
      `aura.db is damaged: ${message}`,
      'Run Health > integrity check to see which tables are hit, then restore from a backup (or try `sqlite3 aura.db .recover` on a copy).',
    );
  }
  if (
    code.startsWith('SQLITE_CANTOPEN') ||
    code.startsWith('SQLITE_PERM') ||
    code.startsWith('SQLITE_AUTH')
  ) {
    return new OpsError(
      'unavailable',
      `Cannot open ${dbPath}: ${message}`,
      'Check that the file and its folder are readable.',
    );
  }
  if (code === 'SQLITE_IOERR_SHORT_READ') {
    return new OpsError(
      'corrupt',
      `aura.db is shorter than its pages say (truncated): ${message}`,
      'Part of the file is missing (an interrupted copy or a full disk). Restore aura.db from a backup.',
    );
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_FULL' || code === 'SQLITE_NOMEM') {
    return new OpsError(
      'unavailable',
      `Reading aura.db failed: ${message}`,
      'Check the disk (space, errors) and retry.',
    );
  }
  if (code === 'ERR_DLOPEN_FAILED' || /NODE_MODULE_VERSION|better_sqlite3\.node/.test(message)) {
    return new OpsError(
      'unavailable',
      'The SQLite driver (better-sqlite3) cannot load in this runtime',
      `${message}. Electron needs its own better-sqlite3 build; set the nativeBinding option (AURA_OPS_SQLITE_BINDING).`,
    );
  }
  // Syntax errors, unknown tables and columns, too many statements: the operator's SQL.
  return new OpsError('bad-request', message, 'Fix the SQL and run it again.');
}
