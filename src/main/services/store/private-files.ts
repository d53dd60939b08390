// Owner-only files and folders for what the console keeps (ops.db and its -wal/-shm, aura.db
// backups, support bundles): they hold incident notes, command output and copies of Aura's data.
import fs from 'node:fs';

/** Folders the console creates: only the operator's account may list or enter them. */
export const PRIVATE_DIR_MODE = 0o700;
/** Files the console writes: only the operator's account may read them. */
export const PRIVATE_FILE_MODE = 0o600;

/** mkdir -p with mode 0700 for every folder it creates; an existing folder is left as it is. */
export function makePrivateDir(dir: string): void {
  fs.mkdirSync(dir, { recursive: true, mode: PRIVATE_DIR_MODE });
}

/** Set mode 0600 on each of `files` that exists (a no-op on Windows, which has no mode bits). */
export function restrictFiles(...files: string[]): void {
  for (const f of files) {
    try {
      fs.chmodSync(f, PRIVATE_FILE_MODE);
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
    }
  }
}

/**
 * Create `file` empty with mode 0600 when it does not exist, so that what SQLite later writes into
 * it, and the -wal/-shm/-journal files it derives from its mode, are owner-only from the start.
 */
export function touchPrivateFile(file: string): void {
  try {
    fs.closeSync(
      fs.openSync(
        file,
        fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL,
        PRIVATE_FILE_MODE,
      ),
    );
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EEXIST') throw err;
  }
  restrictFiles(file);
}
