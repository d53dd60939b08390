// Where the aura.db executor's code is: out/main/db-worker.cjs in a build; from sources (tests,
// benches, tsx) db-worker.ts compiled once to plain CommonJS, so the child starts without a loader.
import crypto from 'node:crypto';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';

/** The source entry, next to this module when running from sources. */
const SOURCE_NAME = 'db-worker.ts';
/** The built entry's name (electron.vite.config.ts writes it next to main's bundle). */
const BUILT_NAME = 'db-worker.cjs';
/** Node versions the compiled source must run on (package.json engines: >=20.19). */
const COMPILE_TARGET = 'node20';

interface EsbuildTransform {
  transformSync(
    code: string,
    options: { loader: 'ts'; format: 'cjs'; target: string; sourcefile: string },
  ): { code: string };
}

/**
 * Compile db-worker.ts to `<repo>/node_modules/.cache/aura-ops/db-worker-<hash>.cjs` (under the
 * repository's node_modules so the child's require('better-sqlite3') resolves as from the source).
 * Keyed by the source's content: an edited worker is compiled again, never served stale.
 */
function compiledFromSource(source: string): string {
  const code = fs.readFileSync(source, 'utf8');
  const hash = crypto.createHash('sha256').update(code).digest('hex').slice(0, 16);
  const req = createRequire(source);
  const modules = path.dirname(path.dirname(path.dirname(req.resolve('esbuild/package.json'))));
  const out = path.join(modules, 'node_modules', '.cache', 'aura-ops', `db-worker-${hash}.cjs`);
  if (fs.existsSync(out)) return out;
  // esbuild is a development dependency (tsx and vite bring it): only this source path loads it.
  const esbuild = req('esbuild') as EsbuildTransform;
  const js = esbuild.transformSync(code, {
    loader: 'ts',
    format: 'cjs',
    target: COMPILE_TARGET,
    sourcefile: source,
  }).code;
  fs.mkdirSync(path.dirname(out), { recursive: true });
  // Parallel test files may compile at once: each writes its own file and renames it into place.
  const tmp = `${out}.${process.pid}.${crypto.randomUUID()}.tmp`;
  fs.writeFileSync(tmp, js);
  fs.renameSync(tmp, out);
  return out;
}

/** The executor script for this build or checkout. AURA_OPS_DB_WORKER may name it. */
export function defaultWorkerScript(): string {
  const here = typeof __dirname === 'string' ? __dirname : process.cwd();
  const built = [
    process.env.AURA_OPS_DB_WORKER,
    path.join(here, BUILT_NAME),
    // Built: shared service code lands in out/main/chunks/, the worker entry in out/main/.
    path.join(here, '..', BUILT_NAME),
  ].filter((p): p is string => typeof p === 'string' && p.length > 0);
  const found = built.find((p) => fs.existsSync(p));
  if (found) return found;
  const source = path.join(here, SOURCE_NAME);
  if (fs.existsSync(source)) return compiledFromSource(source);
  throw new OpsError(
    'unavailable',
    `The database executor script (${BUILT_NAME}) is missing from this build`,
    `Looked in: ${[...built, source].join(', ')}. Set AURA_OPS_DB_WORKER to its path.`,
  );
}
