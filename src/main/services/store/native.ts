// Loads better-sqlite3 for the runtime we are in. It is not N-API: Node needs the build npm made,
// Electron needs one built for its own ABI (scripts/start.mjs puts it in .electron-native/).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

/** out/main/chunks is three folders below the app root; a few more cover other layouts. */
const MAX_LEVELS_UP = 5;

/**
 * Path of the Electron-ABI better-sqlite3 binary, when running inside Electron and one exists.
 * Only the app's own folders are searched (never the current directory: a binary found there
 * would be loaded and run), from where this module sits up to the app root.
 */
export function electronNativeBinding(): string | undefined {
  if (!process.versions.electron) return undefined;
  const fromEnv = process.env.AURA_OPS_SQLITE_BINDING;
  if (fromEnv && fs.existsSync(fromEnv)) return fromEnv;
  let dir = typeof __dirname === 'string' ? __dirname : null;
  for (let i = 0; dir && i <= MAX_LEVELS_UP; i++) {
    const candidate = path.join(dir, '.electron-native', 'better_sqlite3.node');
    if (fs.existsSync(candidate)) return candidate;
    if (fs.existsSync(path.join(dir, 'package.json'))) return undefined;
    const up = path.dirname(dir);
    dir = up === dir ? null : up;
  }
  return undefined;
}

/** Opens a SQLite file with the better-sqlite3 build this runtime can load. */
export function openDatabase(file: string, options: Database.Options = {}): Database.Database {
  const nativeBinding = electronNativeBinding();
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
