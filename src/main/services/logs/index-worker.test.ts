// The shared index worker on real files: record starts and line counts (BOM, CRLF, multi-line
// exceptions, a line across read chunks), jobs queued behind each other, cancel and failure
// leaving the worker usable, and a cold restart after shutdown.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../../shared/errors';
import { RecordGrouper, levelIndex, type LogFormat } from '../../../shared/serilog';
import { buildIndex, shutdownIndexWorker } from './index-worker';
import { LineSplitter } from './line-splitter';

let dir: string;
let file: string;
let expected: { offsets: number[]; levels: number[]; lines: number };

const LEVEL_OF: Record<string, number> = { VRB: 0, DBG: 1, INF: 2, WRN: 3, ERR: 4, FTL: 5 };

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-index-'));
  file = path.join(dir, 'aura-api-20251208.log');
  const parts: Buffer[] = [Buffer.from([0xef, 0xbb, 0xbf])];
  const offsets: number[] = [];
  const levels: number[] = [];
  let size = 3;
  let lines = 0;
  const lvNames = Object.keys(LEVEL_OF);
  for (let i = 0; i < 30_000; i++) {
    const lv = lvNames[i % 6];
    const eol = i % 7 === 0 ? '\r\n' : '\n';
    let text = `[2025-12-08 09:14:02.118 -06:00] [${lv}] [c${i}] [] [] Message ${i} {"N":${i}}${eol}`;
    if (i % 11 === 4) text += `System.Exception: boom ${i}${eol}   at X.Run()${eol}`;
    // A 1.5 MiB line now and then crosses the worker's 1 MiB reads.
    if (i === 9000) text += `${'x'.repeat(1_500_000)}\n`;
    offsets.push(i === 0 ? 0 : size);
    levels.push(LEVEL_OF[lv]);
    const b = Buffer.from(text);
    parts.push(b);
    size += b.length;
    lines += text.split('\n').length - 1;
  }
  fs.writeFileSync(file, Buffer.concat(parts));
  expected = { offsets, levels, lines };
});

afterAll(async () => {
  await shutdownIndexWorker();
  fs.rmSync(dir, { recursive: true, force: true });
});

function listOf(r: Awaited<ReturnType<typeof buildIndex>>) {
  const offsets: number[] = [];
  const levels: number[] = [];
  for (let i = 0; i < r.index.count; i++) {
    offsets.push(r.index.offset(i));
    levels.push(r.index.level(i));
  }
  return { offsets, levels, lines: r.lines };
}

describe('buildIndex', () => {
  it('indexes every record start and counts every line', async () => {
    const r = await buildIndex(file, fs.statSync(file).size, 'serilog');
    expect(listOf(r)).toEqual(expected);
  });

  it('makes an orphan first line a record and indexes JSON Lines and plain text line by line', async () => {
    const orphan = path.join(dir, 'orphan.log');
    const rec = '[2025-12-08 09:14:02.118 -06:00] [WRN] [] [] [] ok {}\n';
    fs.writeFileSync(orphan, `   at X.Y() (cut off by a roll)\n${rec}${rec}`);
    const o = listOf(await buildIndex(orphan, fs.statSync(orphan).size, 'serilog'));
    const first = Buffer.byteLength('   at X.Y() (cut off by a roll)\n');
    expect(o).toEqual({ offsets: [0, first, first + rec.length], levels: [6, 3, 3], lines: 3 });

    const jsonl = path.join(dir, 'errors-2025-12.jsonl');
    const a = '{"Timestamp":"2025-12-08T09:14:02Z","Severity":4,"Message":"x"}\n';
    const c = '{"Timestamp":"2025-12-08T09:14:03Z","Severity":5,"Message":"y"}\n';
    fs.writeFileSync(jsonl, a + c);
    const j = listOf(await buildIndex(jsonl, fs.statSync(jsonl).size, 'errors-jsonl'));
    expect(j).toEqual({ offsets: [0, a.length], levels: [4, 5], lines: 2 });
    const p = listOf(await buildIndex(jsonl, fs.statSync(jsonl).size, 'plain'));
    expect(p).toEqual({ offsets: [0, a.length], levels: [6, 6], lines: 2 });
  });

  it('cuts records where the parser cuts them, near-miss heads and a BOM included', async () => {
    // Lines that look like a head at the index's first glance but are none by the parser's rule.
    const head = '[2025-12-08 09:14:02.118 -06:00] [ERR] ';
    const text = [
      `\uFEFF${head}first {}`,
      '[2025-12-08 09:14:02.118 -06:00] [Ixx] unknown level word',
      '[2025-12-08 09:14:02.118 -06:00] [INF]no space after the level',
      '[abcd-ef-gh ij:kl:mn.opq -rs:tu] [WRN] letters for digits',
      `${head.replace('[ERR]', '[FTL]')}second {}\r`,
      '[2025-12-08 09:14:02.118 -06:00] [DBG]',
      `${head.replace('[ERR]', '[DBG]')}third {}`,
      '',
    ].join('\n');
    const hostile = path.join(dir, 'aura-api-near-miss.log');
    fs.writeFileSync(hostile, text);
    const byParser = (format: LogFormat) => {
      const g = new RecordGrouper(format);
      const recs = g.pushAll(new LineSplitter(0).feed(fs.readFileSync(hostile)));
      const last = g.flush();
      if (last) recs.push(last);
      return { offsets: recs.map((r) => r.offset), levels: recs.map((r) => levelIndex(r.level)) };
    };
    const parsed = byParser('serilog');
    expect(parsed.offsets).toHaveLength(3);
    const indexed = listOf(await buildIndex(hostile, fs.statSync(hostile).size, 'serilog'));
    expect({ offsets: indexed.offsets, levels: indexed.levels }).toEqual(parsed);
    expect(indexed.lines).toBe(7);
  });

  it('runs queued jobs in turn, survives a cancel and a failure, and restarts cold', async () => {
    const size = fs.statSync(file).size;
    const abort = new AbortController();
    const cancelled = buildIndex(file, size, 'serilog', undefined, abort.signal);
    const missing = buildIndex(path.join(dir, 'gone.log'), 100, 'serilog');
    const after = buildIndex(file, size, 'serilog');
    abort.abort();
    await expect(cancelled).rejects.toMatchObject({ code: 'cancelled' });
    const err = await missing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpsError);
    expect((err as OpsError).message).toContain('gone.log');
    expect(listOf(await after)).toEqual(expected);

    await shutdownIndexWorker();
    const half = expected.offsets[15_000];
    const cold = await buildIndex(file, half, 'serilog');
    expect(cold.index.count).toBe(15_000);
    expect(cold.index.offset(14_999)).toBe(expected.offsets[14_999]);
  });
});
