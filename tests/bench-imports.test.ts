// The benches run under plain tsx, outside a test run: nothing they import may import vitest
// (vitest refuses to load there, and the bench dies before measuring anything).
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s+['"]([^'"]+)['"]|(?:^|\n)\s*import\s+['"]([^'"]+)['"]/g;

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
  const benches = fs
    .readdirSync(path.join(ROOT, 'bench'))
    .filter((f) => f.endsWith('.ts') && !f.startsWith('_'));

  it('are the ones `npm run bench` runs, and there are some', () => {
    // The runner names its benches when asked for one it does not have (exit 2).
    const r = spawnSync(process.execPath, [path.join(ROOT, 'scripts', 'bench.mjs'), 'no-such-bench'], {
      encoding: 'utf8',
    });
    expect(r.status).toBe(2);
    const listed = /Available: (.*)$/m.exec(r.stderr)?.[1].split(', ').sort() ?? [];
    expect(listed.length).toBeGreaterThan(0);
    expect(benches.map((b) => b.slice(0, -3)).sort()).toEqual(listed);
  });

  it('the import walk finds vitest two relative imports away (the check below can fail)', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-imports-'));
    try {
      fs.writeFileSync(
        path.join(dir, 'entry.ts'),
        "import { helper } from './mid';\nexport const x = helper;\n",
      );
      fs.writeFileSync(path.join(dir, 'mid.ts'), "export { helper } from './leaf';\n");
      fs.writeFileSync(
        path.join(dir, 'leaf.ts'),
        "import { expect } from 'vitest';\nexport const helper = expect;\n",
      );
      const found = [...graph(path.join(dir, 'entry.ts'))]
        .filter(([, pkgs]) => pkgs.includes('vitest'))
        .map(([f]) => path.basename(f));
      expect(found).toEqual(['leaf.ts']);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(benches)('%s imports nothing that needs a vitest run', (b) => {
    const offenders = [...graph(path.join(ROOT, 'bench', b))]
      .filter(([, pkgs]) => pkgs.some((p) => p === 'vitest' || p.startsWith('vitest/')))
      .map(([f]) => path.relative(ROOT, f));
    expect(offenders).toEqual([]);
  });
});
