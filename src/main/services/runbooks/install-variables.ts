// The install variables as they stand right now: the date variables from the shared clock and the
// live-log variables ({{apiLog}}, ...) from the logs dir as listed at this moment.
import fs from 'node:fs';
import { now as clockNow } from '../../../shared/clock';
import type { InstallPaths } from '../../../shared/install-types';
import { variablesFromInstall } from '../../../shared/runbooks/variables';

/**
 * File names in `logsDir` that can be log files (regular files or symlinks; not folders). A
 * missing folder lists nothing; any other read error is thrown with the folder named.
 */
export function listLogNames(logsDir: string): string[] {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(logsDir, { withFileTypes: true });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw new Error(`Cannot list the logs folder ${logsDir}: ${(err as Error).message}`);
  }
  return entries.filter((e) => e.isFile() || e.isSymbolicLink()).map((e) => e.name);
}

/** Every variable an attached install fills, resolved now (call it when a step is about to run). */
export function installVariables(paths: InstallPaths | null, now: Date = clockNow()): Record<string, string> {
  return variablesFromInstall(paths, now, paths ? listLogNames(paths.logsDir) : undefined);
}
