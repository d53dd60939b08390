// `npm run bench -- NAME [flags]`: runs bench/NAME.ts (or every bench when no name is given).
// Each bench prints one JSON object per line with its baseline measured in the same run.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const [name, ...rest] = process.argv.slice(2);
const all = fs
  .readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts') && !f.startsWith('_'))
  .map((f) => f.slice(0, -3));
if (name && !all.includes(name)) {
  console.error(`No bench named "${name}". Available: ${all.join(', ') || '(none yet)'}`);
  process.exit(2);
}
let failed = 0;
for (const b of name ? [name] : all) {
  const r = spawnSync(
    path.join(root, 'node_modules', '.bin', 'tsx'),
    [path.join(root, 'bench', `${b}.ts`), ...rest],
    {
      cwd: root,
      stdio: 'inherit',
    },
  );
  if (r.status !== 0) failed++;
}
process.exit(failed ? 1 : 0);
