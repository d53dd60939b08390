// The environment a shell or a runbook step gets for the attached install: Aura's own variables
// (AURA_DATA_PATH, AURA_LOGS_PATH, AURA_DATABASE_PATH, AURA_API_URL, read as Aura reads them) and,
// on a support bundle, AURA_OPS_AS_OF: the time it was recorded, which `aura-ops logs` counts its
// relative ages back from (logs/cli.ts), so "the last hour" is the bundle's last hour.
import type { InstallPaths } from '../../../shared/install-types';

export const AS_OF_ENV = 'AURA_OPS_AS_OF';

export function installEnv(paths: InstallPaths, bundleAsOf: string | null = null): Record<string, string> {
  const env: Record<string, string> = {
    AURA_DATA_PATH: paths.dataRoot,
    AURA_LOGS_PATH: paths.logsDir,
    AURA_DATABASE_PATH: paths.dbPath,
    AURA_API_URL: paths.apiUrl,
  };
  if (bundleAsOf) env[AS_OF_ENV] = bundleAsOf;
  return env;
}
