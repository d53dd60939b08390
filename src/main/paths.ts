// Where the console's own files are at run time: from the repo (tsx, tests), from out/main (built),
// or from the packaged app's resources folder (electron-builder.yml extraResources).
import fs from 'node:fs';
import path from 'node:path';

/** `resources/<name>` of the packaged app, of the built app (out/main or a chunk below it), or of the repo. */
function resourceDir(name: string, override?: string): string | null {
  const candidates = [
    override,
    typeof process.resourcesPath === 'string' ? path.join(process.resourcesPath, name) : undefined,
    path.join(__dirname, '..', '..', 'resources', name),
    path.join(__dirname, '..', '..', '..', 'resources', name),
  ].filter((p): p is string => typeof p === 'string');
  return candidates.find((p) => fs.existsSync(p)) ?? null;
}

/** The bundled runbooks folder: $AURA_OPS_RUNBOOKS_DIR, the packaged resources, or the repo's. */
export function bundledRunbooksDir(): string | null {
  return resourceDir('runbooks', process.env.AURA_OPS_RUNBOOKS_DIR);
}

/** The bash and zsh shell-integration scripts: the packaged resources, or the repo's. */
export function shellIntegrationDir(): string | null {
  return resourceDir('shell-integration');
}
