// Loads better-sqlite3 for the runtime we are in. It is not N-API: Node needs the build npm made,
// Electron needs one built for its own ABI (scripts/electron-native.mjs puts it in .electron-native/).
import Database from 'better-sqlite3';
import fs from 'node:fs';
import path from 'node:path';

/** Path of the Electron-ABI better-sqlite3 binary, when running inside Electron and it exists. */
export function electronNativeBinding(): string | undefined {
  if (!process.versions.electron) return undefined;
  const candidates = [
    process.env.AURA_OPS_SQLITE_BINDING,
    path.join(process.cwd(), '.electron-native', 'better_sqlite3.node'),
    path.join(__dirnameSafe(), '..', '..', '.electron-native', 'better_sqlite3.node'),
  ].filter((p): p is string => typeof p === 'string' && p.length > 0);
  return candidates.find((p) => fs.existsSync(p));
}

function __dirnameSafe(): string {
  return typeof __dirname === 'string' ? __dirname : process.cwd();
}

export function openDatabase(file: string, options: Database.Options = {}): Database.Database {
  const nativeBinding = electronNativeBinding();
  return new Database(file, nativeBinding ? { ...options, nativeBinding } : options);
}
