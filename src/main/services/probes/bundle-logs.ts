// The bundle's log files, read as the log viewer reads them: one opened only when it is really in
// the logs folder, the last N records of a family (the default bundle), and the whole files of
// the last hours (a full bundle).
import fs from 'node:fs';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';
import { isRecordStart } from '../../../shared/serilog';
import { LOG_FAMILIES, listFileSet } from '../logs/paths';

/** Bytes read from the end of a family's newest file at most (long stack traces included). */
const LOG_TAIL_BYTES = 4 * 1024 * 1024;

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

/** Whole log files of every family written since `since`, each family's newest always included. */
export function recentLogFiles(logsDir: string, since: number): { family: string; name: string }[] {
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

/** A whole log file of a full bundle, opened through openLogInside. */
export function readWholeLog(dir: string, name: string): Buffer {
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
