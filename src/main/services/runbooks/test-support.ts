// For runbook tests: the paths of an install under `root` whose API nobody answers (port 9, the
// discard port) and with Redis off, so a step's variables resolve and nothing live is reached.
import path from 'node:path';
import type { InstallPaths } from '../../../shared/install-types';

export function offlinePaths(root: string): InstallPaths {
  return {
    dataRoot: root,
    logsDir: path.join(root, 'logs'),
    dbPath: path.join(root, 'aura.db'),
    appSettingsPath: null,
    apiUrl: 'http://127.0.0.1:9',
    tempDir: path.join(root, 'Temp'),
    redis: { enabled: false, connection: null, host: null, port: null, hasPassword: false },
  };
}
