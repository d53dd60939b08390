// The benches run under plain tsx, outside a test run: nothing they import may import vitest
// (vitest refuses to load there, and the bench dies before measuring anything).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const IMPORT = /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

function resolveLocal(from: string, spec: string): string | null {
  if (!spec.startsWith('.')) return null;
  const base = path.resolve(path.dirname(from), spec);
  for (const f of [base, `${base}.ts`, `${base}.tsx`, path.join(base, 'index.ts')]) {
    if (fs.existsSync(f) && fs.statSync(f).isFile()) return f;
  }
  throw new Error(`${path.relative(ROOT, from)} imports ${spec}, which does not resolve`);
}

/** Files reachable from `entry` through relative imports, each with the packages it imports. */
function graph(entry: string): Map<string, string[]> {
  const seen = new Map<string, string[]>();
  const todo = [entry];
  while (todo.length) {
    const f = todo.pop()!;
    if (seen.has(f)) continue;
    const pkgs: string[] = [];
    seen.set(f, pkgs);
    for (const m of fs.readFileSync(f, 'utf8').matchAll(IMPORT)) {
      const spec = (m[1] ?? m[2])!;
      const local = resolveLocal(f, spec);
      if (local) todo.push(local);
      else pkgs.push(spec);
    }
  }
  return seen;
}

describe('benches', () => {
  const benches = fs.readdirSync(path.join(ROOT, 'bench')).filter((f) => f.endsWith('.ts') && !f.startsWith('_'));

  it('exist', () => {
    expect(benches.length).toBeGreaterThanOrEqual(6);
  });

  it.each(benches)('%s imports nothing that needs a vitest run', (b) => {
    const offenders = [...graph(path.join(ROOT, 'bench', b))]
      .filter(([, pkgs]) => pkgs.some((p) => p === 'vitest' || p.startsWith('vitest/')))
      .map(([f]) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
