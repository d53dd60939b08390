// bench/runbooks: library load (parse + lint of N generated runbooks in a temp dir) and search
// latency of the inverted index against a baseline linear scan over the same texts, and adding a
// folder holding one big deeply nested file (default 9 MB) as the hosts do it (parsed on the worker)
// against the synchronous add, with the main loop's delay meanwhile. Usage:
//   npx tsx bench/runbooks.ts [--docs 200] [--queries 500] [--big-mb 9] (0 skips the big folder)
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { RunbookLibrary } from '../src/main/services/runbooks/library';
import { tokenize } from '../src/shared/runbooks/search-index';
import { watchEventLoop } from './_loop';
import { rowWriter } from './_common';
import { nestedRunbook } from '../src/main/services/runbooks/nested-runbook-fixture';
import { runbookParseWorker } from '../src/main/workers/off-thread';
import { LOOP_GOALS, statsOf } from './_loop';
import { monitorEventLoopDelay } from 'node:perf_hooks';

const { values } = parseArgs({
  options: {
    docs: { type: 'string', default: '200' },
    queries: { type: 'string', default: '500' },
    'big-mb': { type: 'string', default: '9' },
  },
});
const BIG_MB = Number(values['big-mb']);
const DOCS = Number(values.docs);
const QUERIES = Number(values.queries);
const WORDS = [
  'database',
  'locked',
  'redis',
  'cache',
  'provider',
  'timeout',
  'ffmpeg',
  'disk',
  'backup',
  'restore',
  'latency',
  'error',
  'spike',
  'vacuum',
  'index',
  'logs',
  'rotation',
  'health',
  'ready',
  'wal',
];

const emit = rowWriter('runbooks');

function runbook(i: number): string {
  const w = (k: number) => WORDS[(i * 7 + k * 3) % WORDS.length];
  const para = Array.from({ length: 40 }, (_, k) => `${w(k)} ${w(k + 1)} check ${w(k + 2)} value ${k}`).join(
    '. ',
  );
  return `---\ntitle: ${w(0)} ${w(1)} runbook ${i}\ncategory: Incident Response\nseverity: SEV-3\nlastReviewed: 2025-11-01\nsymptoms: [${w(2)} ${w(3)}]\n---\n# ${w(0)} ${w(1)} runbook ${i}\n\n## Overview\n${para}\n\n## Symptoms\n- ${w(4)}\n\n## Diagnosis\n\`\`\`bash {expect="/ok/"}\necho ok\n\`\`\`\n${para}\n\n## Resolution\n1. Restart the ${w(5)}.\n\n## Prevention\n${para}\n\n## References\n- none\n`;
}

/**
 * Adds `folder` the way the hosts do (big files, or many small ones, parsed on the worker) and then
 * synchronously (what the host did before: the loop blocked throughout), and prints both times and
 * the main loop's delay during the first.
 */
async function compareAdds(
  folder: string,
  name: string,
): Promise<Awaited<ReturnType<RunbookLibrary['addFolderAsync']>>> {
  const h = monitorEventLoopDelay({ resolution: 10 });
  h.enable();
  let t0 = performance.now();
  const view = await new RunbookLibrary({ bundledDir: null }).addFolderAsync(folder);
  const asyncMs = performance.now() - t0;
  h.disable();
  const during = statsOf(h);
  t0 = performance.now();
  new RunbookLibrary({ bundledDir: null }).addFolder(folder);
  const syncMs = performance.now() - t0;
  emit(`add_${name}_ms`, asyncMs, 'ms', syncMs);
  emit(`add_${name}_loop_delay_max_ms`, during.maxMs, 'ms', syncMs);
  emit(`add_${name}_loop_delay_p99_ms`, during.p99Ms, 'ms', syncMs);
  return view;
}

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-runbooks-'));
  try {
    const texts: string[] = [];
    for (let i = 0; i < DOCS; i++) {
      const t = runbook(i);
      texts.push(t);
      fs.writeFileSync(path.join(dir, `rb-${i}.md`), t);
    }
    // Load: parse + lint + index every file; baseline = only reading the files.
    let t0 = performance.now();
    for (let i = 0; i < DOCS; i++) fs.readFileSync(path.join(dir, `rb-${i}.md`), 'utf8');
    const readMs = performance.now() - t0;
    const lib = new RunbookLibrary({ bundledDir: dir, now: () => new Date('2025-12-10T00:00:00Z') });
    t0 = performance.now();
    lib.list(true);
    const loadMs = performance.now() - t0;
    emit(`load_${DOCS}_docs_ms`, loadMs, 'ms', readMs);

    // The same files added as a folder the way the hosts add one (parsed on the worker).
    await compareAdds(dir, `${DOCS}_docs_folder`);

    // Search: the index against a linear scan of lower-cased texts for every query word.
    const queries = Array.from(
      { length: QUERIES },
      (_, i) => `${WORDS[i % WORDS.length].slice(0, 4)} ${WORDS[(i * 3) % WORDS.length]}`,
    );
    const lowered = texts.map((t) => t.toLowerCase());
    t0 = performance.now();
    let scanHits = 0;
    for (const q of queries) {
      const words = tokenize(q);
      scanHits += lowered.filter((t) => words.every((w) => t.includes(w))).length;
    }
    const scanMs = (performance.now() - t0) / QUERIES;
    t0 = performance.now();
    let indexHits = 0;
    for (const q of queries) indexHits += lib.search(q, 20).length;
    const searchMs = (performance.now() - t0) / QUERIES;
    emit('search_ms_per_query', searchMs, 'ms', scanMs);
    console.error(`(${indexHits} index hits (top 20), ${scanHits} scan hits over ${QUERIES} queries)`);

    if (BIG_MB > 0) {
      // A folder with one big, deeply nested file, two levels down, added as the hosts add it.
      const bigDir = path.join(dir, 'big');
      fs.mkdirSync(path.join(bigDir, 'a', 'b'), { recursive: true });
      fs.writeFileSync(path.join(bigDir, 'a', 'b', 'huge.md'), nestedRunbook(BIG_MB * 1024 * 1024));
      const view = await compareAdds(bigDir, `${BIG_MB}mb_folder`);
      console.error(
        `(big folder: ${view.runbooks.length} file(s); loop goals p99 <= ${LOOP_GOALS.p99Ms} ms, max <= ${LOOP_GOALS.maxMs} ms; baseline = the synchronous add, which blocks the loop throughout)`,
      );
      await runbookParseWorker.shutdown();
    }
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

watchEventLoop('runbooks')
  .then((loop) => main().then(() => loop.report()))
  .catch((err: unknown) => {
    console.error(err);
    process.exit(1);
  });
