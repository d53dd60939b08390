// The runbook library's async paths (what the hosts call) with big files parsed on a real worker
// thread: the same view as the synchronous scan, the main loop free meanwhile, and a worker that
// fails leaves the library as it was with a clear error.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TaskWorker } from '../../workers/off-thread';
import { RunbookLibrary } from './library';
import { nestedRunbook } from './nested-runbook-fixture';
import { turnsWhile } from '../../workers/loop-turns';

const FIXTURES = path.join(__dirname, 'fixtures');
const NOW = new Date('2025-12-10T12:00:00Z');
let tmp: string;
let bundled: string;
let big: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-offthread-'));
  bundled = path.join(tmp, 'bundled');
  big = path.join(tmp, 'big');
  fs.cpSync(path.join(FIXTURES, 'library'), bundled, { recursive: true });
  fs.mkdirSync(path.join(big, 'deep', 'deeper'), { recursive: true });
  fs.writeFileSync(path.join(big, 'deep', 'deeper', 'huge.md'), nestedRunbook(8 * 1024));
  fs.writeFileSync(path.join(big, 'small.md'), '---\ntitle: Small\n---\n# Small\n\n## Overview\nok\n');
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

/** Files of 1 KiB and up go to the worker here, so a test-sized file exercises the worker path. */
const lib = (parseWorker?: TaskWorker) =>
  new RunbookLibrary({
    bundledDir: bundled,
    now: () => NOW,
    offThreadBytes: 1024,
    ...(parseWorker ? { parseWorker } : {}),
  });

describe('RunbookLibrary off the main thread', () => {
  it('adds a folder with a big nested file: same view as the synchronous add, the main loop keeps turning', async () => {
    const { value: asyncView, turns } = await turnsWhile(lib().addFolderAsync(big));
    const syncView = lib().addFolder(big);
    expect(asyncView).toEqual(syncView);
    expect(asyncView.runbooks.map((r) => r.file)).toContain('deep/deeper/huge.md');
    // The parse took many turns of the main loop (a synchronous parse gives none).
    expect(turns).toBeGreaterThan(5);
  });

  it('adds a folder of many small files on the worker too: they add up to a big one', async () => {
    const many = path.join(tmp, 'many');
    fs.mkdirSync(many);
    for (let i = 0; i < 40; i++)
      fs.writeFileSync(
        path.join(many, `rb-${i}.md`),
        `---\ntitle: Small ${i}\n---\n# Small ${i}\n\n## Overview\nok\n\n## Diagnosis\n\`\`\`bash\necho ${i}\n\`\`\`\n`,
      );
    // Each file is far under the 1 KiB line; together they are over it.
    expect(fs.statSync(path.join(many, 'rb-0.md')).size).toBeLessThan(1024 / 4);
    const { value: asyncView, turns } = await turnsWhile(lib().addFolderAsync(many));
    expect(asyncView).toEqual(lib().addFolder(many));
    expect(asyncView.runbooks.filter((r) => r.file.startsWith('rb-'))).toHaveLength(40);
    expect(turns).toBeGreaterThan(20);
  });

  it('refreshAsync picks up a changed big file and get() returns the new text', async () => {
    const dir = path.join(tmp, 'changing');
    fs.mkdirSync(dir);
    const file = path.join(dir, 'grow.md');
    fs.writeFileSync(file, nestedRunbook(2 * 1024));
    const l = new RunbookLibrary({ bundledDir: dir, now: () => NOW, offThreadBytes: 1024 });
    await l.refreshAsync(true);
    const before = l.get('bundled:grow.md').body.length;
    fs.writeFileSync(file, nestedRunbook(4 * 1024).replace('# Huge nested runbook', '# Grown runbook'));
    await l.refreshAsync(true);
    const after = l.get('bundled:grow.md');
    expect(after.body.length).toBeGreaterThan(before);
    expect(after.summary.title).toBe('Huge nested runbook');
    expect(after.body).toContain('Grown runbook');
  });

  it('a parser worker that dies fails the add with its reason and adds nothing', async () => {
    const bad = path.join(tmp, 'dying-worker.cjs');
    fs.writeFileSync(
      bad,
      "require('node:worker_threads').parentPort.on('message', () => process.exit(9));\n",
    );
    const dying = new TaskWorker('runbook parser', () => ({ file: bad, execArgv: [] }));
    const folders: string[][] = [];
    const l = new RunbookLibrary({
      bundledDir: bundled,
      now: () => NOW,
      offThreadBytes: 1024,
      parseWorker: dying,
      onFoldersChanged: (f) => folders.push(f),
    });
    await expect(l.addFolderAsync(big)).rejects.toThrow(
      /The runbook parser stopped unexpectedly \(it exited with code 9\)/,
    );
    expect(l.userFolders()).toEqual([]);
    expect(folders).toEqual([]);
    await dying.shutdown();
  });
});
