// Each source file holds one thing, so none under src/ grows past MAX_LINES: a longer one is split
// by what it does (issue 19). Tests are left out (a suite grows with the cases of what it tests),
// and so are the data tables listed below, each with why it is data and not code.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(__dirname, '..');
const SRC = path.join(ROOT, 'src');
const MAX_LINES = 500;
const SOURCE = /\.(ts|tsx|mjs|cjs)$/;
const TEST = /\.test\.(ts|tsx|mjs|cjs)$/;

/** Files that may be longer, by their path from the repository root: data, not logic. */
const DATA_TABLES: Record<string, string> = {
  'src/main/sandbox/schema.ts':
    "the EF Core DDL of aura.db (every table of Aura's model snapshot, as EF emits it for SQLite) is data",
};

/** Every non-test source file under src/, as a path from the repository root. */
function sourceFiles(dir = SRC): string[] {
  const out: string[] = [];
  for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...sourceFiles(p));
    else if (e.isFile() && SOURCE.test(e.name) && !TEST.test(e.name))
      out.push(path.relative(ROOT, p).split(path.sep).join('/'));
  }
  return out;
}

/** Lines as `wc -l` counts them, and a last line without a newline too. `file`: from the root, or absolute. */
function lineCount(file: string): number {
  const text = fs.readFileSync(path.resolve(ROOT, file), 'utf8');
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

describe('source file size', () => {
  const files = sourceFiles();

  it('reads the real tree', () => {
    expect(files.length).toBeGreaterThan(100);
    expect(files).toContain('src/renderer/src/App.tsx');
    expect(files.some((f) => TEST.test(f))).toBe(false);
  });

  it(`has no source file over ${MAX_LINES} lines but the data tables`, () => {
    const over = files
      .filter((f) => !(f in DATA_TABLES))
      .map((f) => ({ f, n: lineCount(f) }))
      .filter(({ n }) => n > MAX_LINES)
      .map(({ f, n }) => `${f}: ${n} lines (split it by what it does)`);
    expect(over).toEqual([]);
  });

  it('lists only data tables that exist, are longer than the limit, and say why', () => {
    for (const [file, why] of Object.entries(DATA_TABLES)) {
      expect(files, `${file} is not a source file under src/: drop it from DATA_TABLES`).toContain(file);
      expect(lineCount(file), `${file} fits the limit now: drop it from DATA_TABLES`).toBeGreaterThan(
        MAX_LINES,
      );
      expect(why.length).toBeGreaterThan(20);
    }
  });

  it('counts lines as wc -l does', () => {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-file-size-'));
    try {
      const cases: [string, number][] = [
        ['', 0],
        ['a\n', 1],
        ['a\nb', 2],
        ['a\n\nb\n', 3],
      ];
      for (const [text, n] of cases) {
        fs.writeFileSync(path.join(tmp, 'f.ts'), text);
        expect(lineCount(path.join(tmp, 'f.ts'))).toBe(n);
      }
    } finally {
      fs.rmSync(tmp, { recursive: true, force: true });
    }
  });
});
