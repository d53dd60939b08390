// A bundled log's checked tail: written from the last segments only, starting at a record, the
// same bytes as the file's end; through the console, a family pane on a bundle still verifying its
// newest file opens at once on that tail (the log picker lists the file as pending), and once the
// bundle is verified the same request opens the whole file. A segment that does not match is
// refused with the file's name.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LogSources, PageResult, PaneInfo } from '../../../shared/contract/logs';
import type { DispatchResult } from '../../api';
import { serveRuntime } from '../../runtime-test-support';
import { createSandbox } from '../../sandbox';
import { resolveRoot } from '../install/discover';
import { LOG_SEGMENT_BYTES, writeBundle } from '../probes/bundle';
import { runSweep } from '../probes/sweep';
import { ZipFileWriter } from '../probes/zip';
import { runInThread } from './open';
import { TAIL_PREVIEW_BYTES, writeTailPreview } from './tail-preview';
import { readZipDirectory } from './unzip';
import type { EntryRunner } from './verify';

let root: string;
let bundleFile: string;
let newestName: string;
let newestData: Buffer;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
/** Serilog records at one per second from `t0`, every 7th with a two-line stack trace. */
function serilog(count: number, t0: number, from = 0): string {
  const out: string[] = [];
  for (let i = from; i < from + count; i++) {
    const d = new Date(t0 + i * 1000);
    const ts = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.000 +00:00`;
    const cid = (i * 2654435761).toString(16).padStart(8, '0').repeat(4).slice(0, 32);
    out.push(
      i % 7 === 3
        ? `[${ts}] [ERR] [${cid}] [${cid}] [] Request ${i} failed {"SourceContext":"Aura.Api"}\nSystem.InvalidOperationException: step ${i}\n   at Aura.Api.Run()\n`
        : `[${ts}] [INF] [${cid}] [${cid}] [] Request completed: GET /api/items/${i} - 200 in ${i % 97}ms {"SourceContext":"Aura.Api"}\n`,
    );
  }
  return out.join('');
}

function ok<T>(r: DispatchResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-tail-preview-'));
  const data = path.join(root, 'install');
  createSandbox(data, { days: 1, projects: 1 });
  const logs = path.join(data, 'logs');
  const api = fs
    .readdirSync(logs)
    .filter((n) => n.startsWith('aura-api-'))
    .sort();
  // The newest API log, grown to a few segments: a busy morning's roll.
  newestName = api[api.length - 1];
  fs.appendFileSync(path.join(logs, newestName), serilog(40_000, Date.now() - 40_000_000));
  newestData = fs.readFileSync(path.join(logs, newestName));
  fs.writeFileSync(path.join(data, 'appsettings.json'), JSON.stringify({ Urls: 'http://127.0.0.1:1' }));
  const install = resolveRoot({ kind: 'manual', dataRoot: data, source: 'test', useEnv: false }, { env: {} });
  const sweep = await runSweep(install, { apiTimeoutMs: 300, redisTimeoutMs: 300 });
  bundleFile = path.join(root, 'bundle.zip');
  writeBundle({ install, sweep, outFile: bundleFile, full: { hours: 48, dbBackup: install.paths.dbPath } });
}, 120_000);

afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('writeTailPreview', () => {
  let zips = 0;
  const zipWith = (data: Buffer, segmentBytes: number) => {
    const file = path.join(root, `z${zips++}.zip`);
    const w = new ZipFileWriter(file, 0o600);
    const idx = w.add('logs/aura-api-20261207.log', data, segmentBytes)!;
    w.finish();
    const entry = readZipDirectory(file).find((e) => e.name === 'logs/aura-api-20261207.log')!;
    return { file, entry, idx };
  };

  it('holds the file end from the first record start inside its last segments', () => {
    const data = Buffer.from(serilog(3000, Date.UTC(2026, 11, 7, 8)));
    const { file, entry, idx } = zipWith(data, 16 * 1024);
    const t = writeTailPreview(file, entry, idx, 'serilog', path.join(root, 'p1'), 40 * 1024);
    const shown = fs.readFileSync(t.path);
    expect(t.fileBytes).toBe(data.length);
    expect(shown.equals(data.subarray(t.fromByte))).toBe(true);
    expect(t.shownBytes).toBe(shown.length);
    // Whole segments from the end, at least 40 KiB, less the partial record at the cut.
    expect(t.shownBytes).toBeGreaterThanOrEqual(40 * 1024 - 16 * 1024);
    expect(t.shownBytes).toBeLessThan(data.length);
    expect(data[t.fromByte - 1]).toBe(0x0a);
    expect(shown.toString('utf8', 0, 1)).toBe('[');
    // Not a stack-trace line: the cut never starts inside a record.
    expect(shown.toString('utf8', 0, 40)).toMatch(
      /^\[2026-12-07 \d\d:\d\d:\d\d\.000 \+00:00\] \[(INF|ERR)\] /,
    );
  });

  it('is the whole file when the file is smaller than the tail wanted', () => {
    const data = Buffer.from(serilog(50, Date.UTC(2026, 11, 7, 8)));
    const { file, entry, idx } = zipWith(data, 16 * 1024);
    const t = writeTailPreview(file, entry, idx, 'serilog', path.join(root, 'p2'), 1024 * 1024);
    expect(t.fromByte).toBe(0);
    expect(fs.readFileSync(t.path).equals(data)).toBe(true);
  });

  it('refuses a segment changed after the bundle was made, naming the file', () => {
    const data = Buffer.from(serilog(3000, Date.UTC(2026, 11, 7, 8)));
    const { file, entry, idx } = zipWith(data, 16 * 1024);
    const bad = { ...idx, sha256: [...idx.sha256] };
    bad.sha256[bad.sha256.length - 1] = '0'.repeat(64);
    expect(() => writeTailPreview(file, entry, bad, 'serilog', path.join(root, 'p3'), 1)).toThrow(
      /logs\/aura-api-20261207\.log does not match its manifest/,
    );
  });
});

describe('a family pane on a bundle still verifying its newest file', () => {
  it('opens at once on the checked tail, listed as pending, and on the whole file once verified', async () => {
    const held = `logs/${newestName}`;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    let heldStarted = false;
    const runner: EntryRunner = async (zip, entry, target) => {
      if (entry.name === held) {
        heldStarted = true;
        await gate;
      }
      return runInThread(zip, entry, target);
    };
    const rt = serveRuntime({ dataDir: path.join(root, 'console'), bundleRunner: runner });
    try {
      ok(await rt.api.dispatch('install:open-bundle', { file: bundleFile }));
      expect(newestData.length).toBeGreaterThan(3 * LOG_SEGMENT_BYTES);

      // The picker lists the family with the held file, marked pending (sizes from the manifest).
      const sources = ok<LogSources>(await rt.api.dispatch('logs:sources', {}));
      const apiFiles = sources.families.find((f) => f.family === 'aura-api')!.files;
      expect(apiFiles.at(-1)).toMatchObject({ name: newestName, size: newestData.length, pending: true });

      const pane = ok<PaneInfo>(await rt.api.dispatch('logs:open-pane', { family: 'aura-api' }));
      expect(rt.openedBundle()!.files.status().state).toBe('verifying');
      expect(pane.preview).toMatchObject({ file: newestName, fileBytes: newestData.length });
      // At least TAIL_PREVIEW_BYTES, less the part of a record before the first record start.
      expect(pane.preview!.shownBytes).toBeGreaterThanOrEqual(TAIL_PREVIEW_BYTES - 4096);
      expect(pane.preview!.shownBytes).toBeLessThan(newestData.length);
      // Its records are the file's last ones, stack traces whole.
      const page = ok<PageResult>(
        await rt.api.dispatch('logs:page', { paneId: pane.paneId, fromLine: -50, count: 50 }),
      );
      const lastStart = newestData
        .toString('utf8')
        .trimEnd()
        .split('\n')
        .filter((l) => l.startsWith('['))
        .at(-1)!;
      expect(page.records).toHaveLength(50);
      expect(page.records.at(-1)!.message).toBe(
        lastStart.replace(/^(\[[^\]]*\] ){5}/, '').replace(/ \{.*\}$/, ''),
      );
      expect(page.records.some((r) => r.exception?.startsWith('System.InvalidOperationException'))).toBe(
        true,
      );
      // The whole file was not in the bundle's folder yet: the tail came from the segments.
      expect(fs.existsSync(path.join(rt.openedBundle()!.dir, 'logs', newestName))).toBe(false);

      release();
      await rt.openedBundle()!.files.all();
      expect(heldStarted).toBe(true);
      const whole = ok<PaneInfo>(await rt.api.dispatch('logs:open-pane', { family: 'aura-api' }));
      expect(whole.preview).toBeUndefined();
      expect(path.basename(whole.file ?? '')).toBe(newestName);
      const after = ok<LogSources>(await rt.api.dispatch('logs:sources', {}));
      expect(after.families.find((f) => f.family === 'aura-api')!.files.some((f) => f.pending)).toBe(false);
      // Another bundle replaces this one: the first one's tail folder is no longer one panes may read.
      expect(rt.logs.roots()).toContain(pane.dir);
      ok(await rt.api.dispatch('install:open-bundle', { file: bundleFile }));
      expect(rt.logs.roots()).not.toContain(pane.dir);
    } finally {
      release();
      await rt.dispose();
    }
  }, 60_000);
});
