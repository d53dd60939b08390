// Where the console's own files are at run time: from the repo (tsx, tests), from out/main (built),
// or from the packaged app's resources folder.
import fs from 'node:fs';
import path from 'node:path';

/** The bundled runbooks folder: $AURA_OPS_RUNBOOKS_DIR, the packaged resources, or the repo's. */
export function bundledRunbooksDir(): string | null {
  const candidates = [
    process.env.AURA_OPS_RUNBOOKS_DIR,
    typeof process.resourcesPath === 'string' ? path.join(process.resourcesPath, 'runbooks') : undefined,
    path.join(__dirname, '..', '..', 'resources', 'runbooks'),
    path.join(__dirname, '..', '..', '..', 'resources', 'runbooks'),
  ].filter((p): p is string => typeof p === 'string');
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}
