// bench/bundle: open a support bundle holding 500 MB of logs and paint the first log page, against
// the same first paint on a live install with the same logs, both through the console's requests,
// measured in the same run (ratio): from pointing a fresh console at the evidence (Open bundle…,
// and Add install… for the live one) to the painted page, and against the live install's paint
// alone, on a console already attached to it; also the old way (every file verified first) and where the
// newest file's time goes (inflate, sha256, CRC, write).
// The bundle is assembled with the bundle's own zip writer and manifest format; redacting 500 MB
// takes minutes (~2 MB/s) and is the making of a bundle, not what is measured here. Usage:
//   npx tsx bench/bundle.ts [--mb 500]
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ServiceContext } from '../src/main/services/context';
import type { InstallCandidate } from '../src/shared/install-types';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import zlib from 'node:zlib';
import type { DispatchResult } from '../src/main/api';
import { Runtime } from '../src/main/runtime';
import type { PageResult, PaneInfo } from '../src/shared/contract/logs';
import { openBundle } from '../src/main/services/bundle/open';
import { extractEntry, readZipDirectory } from '../src/main/services/bundle/unzip';
import { resolveRoot } from '../src/main/services/install/discover';
import { LogsService } from '../src/main/services/logs/service';
import { BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION, LOG_SEGMENT_BYTES } from '../src/main/services/probes/bundle';
import { runSweep } from '../src/main/services/probes/sweep';
import { ZipFileWriter, type SegmentIndex } from '../src/main/services/probes/zip';
import { createSandbox } from '../src/main/sandbox';

const { values } = parseArgs({ options: { mb: { type: 'string', default: '500' } } });
const TOTAL_BYTES = Number(values.mb) * 1024 ** 2;
/** Aura rolls a log at 100 MB (fileSizeLimitBytes): 500 MB is five files of one family. */
const ROLL_BYTES = 100 * 1024 ** 2;
/** Runs per side; the median is reported (the machine is shared and noisy). */
const RUNS = 7;

const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function stamp(ms: number): string {
  const d = new Date(ms);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} +00:00`;
}
const PROPS =
  '{"SourceContext":"Aura.Api.Middleware.RequestLoggingMiddleware","RequestId":"0HN8K3Q1V2L7D:00000001","Application":"Aura.Api","MachineName":"DANA-PC","ThreadId":14,"ProcessId":18244}';
function line(i: number, t: number): string {
  const cid = (i * 2654435761).toString(16).padStart(8, '0').repeat(4).slice(0, 32);
  if (i % 50 === 7)
    return `[${stamp(t)}] [ERR] [${cid}] Error performing Ollama health check ${PROPS}\nSystem.Net.Http.HttpRequestException: No connection could be made (127.0.0.1:11434)\n   at System.Net.Http.HttpConnectionPool.ConnectAsync()\n`;
  return `[${stamp(t)}] [INF] [${cid}] Request completed: GET /api/health/ready - ${i % 97 === 3 ? 503 : 200} in 84.3121ms ${PROPS}\n`;
}

/** Five rolled API log files of the day (aura-api-yyyyMMdd.log, _001 … _004), ROLL_BYTES each. */
function generateLogs(logsDir: string, total: number): string[] {
  const day = new Date();
  const ymd = `${day.getFullYear()}${pad(day.getMonth() + 1)}${pad(day.getDate())}`;
  const names: string[] = [];
  let i = 0;
  const t0 = Date.now() - 3_600_000;
  for (let f = 0; f * ROLL_BYTES < total; f++) {
    const name = f === 0 ? `aura-api-${ymd}.log` : `aura-api-${ymd}_${pad(f, 3)}.log`;
    const fd = fs.openSync(path.join(logsDir, name), 'w');
    let written = 0;
    while (written < Math.min(ROLL_BYTES, total - f * ROLL_BYTES)) {
      const parts: string[] = [];
      for (let k = 0; k < 5000; k++, i++) parts.push(line(i, t0 + i));
      written += fs.writeSync(fd, Buffer.from(parts.join('')));
    }
    fs.closeSync(fd);
    names.push(name);
  }
  return names;
}

/** The first paint through the console's own request path: open the main log's pane, read its last page. */
async function paintVia(
  rt: Runtime,
): Promise<{ openPaneMs: number; pageMs: number; records: number; preview: PaneInfo['preview'] }> {
  const t = performance.now();
  const pane = ok<PaneInfo>(await rt.api.dispatch('logs:open-pane', { family: 'aura-api' }));
  const t1 = performance.now();
  const page = ok<PageResult>(
    await rt.api.dispatch('logs:page', { paneId: pane.paneId, fromLine: -100, count: 100 }),
  );
  const t2 = performance.now();
  ok(await rt.api.dispatch('logs:close-pane', { paneId: pane.paneId }));
  return { openPaneMs: t1 - t, pageMs: t2 - t1, records: page.records.length, preview: pane.preview };
}

function ok<T>(r: DispatchResult): T {
  if (!r.ok) throw new Error(`${r.error.code}: ${r.error.message}`);
  return r.result as T;
}

function runtimeAt(dataDir: string, install?: string): Runtime {
  return new Runtime({
    dataDir,
    host: 'serve',
    explicitInstall: install ?? null,
    env: {},
    runbooksDir: null,
    cli: null,
  });
}

/** The same paint with every file verified before anything is shown (how bundles opened before). */
async function firstPaint(install: InstallCandidate, file: string, dataDir: string): Promise<number> {
  const disposers: Array<() => void | Promise<void>> = [];
  const ctx: ServiceContext = {
    dataDir,
    getInstall: () => install,
    emit: () => undefined,
    onDispose: (fn) => disposers.push(fn),
  };
  const svc = new LogsService(ctx, { roots: [] });
  const t = performance.now();
  const pane = svc.openPane({ path: path.join(install.paths.logsDir, file) });
  await svc.page({ paneId: pane.paneId, fromLine: -100, count: 100 });
  const ms = performance.now() - t;
  svc.closePane(pane.paneId);
  for (const d of disposers.reverse()) await d();
  return ms;
}

/** Where the newest file's time goes: each stage alone, over the same bytes. */
async function breakdown(zipFile: string, name: string, dir: string): Promise<Record<string, number>> {
  const e = readZipDirectory(zipFile).find((x) => x.name === name)!;
  let t = performance.now();
  const parts: Buffer[] = [];
  await pipeline(
    fs.createReadStream(zipFile, {
      start: e.dataStart,
      end: e.dataStart + e.compressedSize - 1,
      highWaterMark: 1 << 20,
    }),
    zlib.createInflateRaw({ chunkSize: 1 << 20 }),
    new Writable({
      write(c: Buffer, _e, cb) {
        parts.push(c);
        cb();
      },
    }),
  );
  const inflateMs = performance.now() - t;
  t = performance.now();
  for (const c of parts) crypto.createHash('sha256').update(c);
  const h = crypto.createHash('sha256');
  for (const c of parts) h.update(c);
  h.digest();
  const sha256Ms = (performance.now() - t) / 2;
  t = performance.now();
  let crc = 0;
  for (const c of parts) crc = zlib.crc32(c, crc);
  const crcMs = performance.now() - t;
  const out = path.join(dir, 'breakdown.bin');
  t = performance.now();
  const fd = fs.openSync(out, 'w');
  for (const c of parts) fs.writeSync(fd, c);
  fs.closeSync(fd);
  const writeMs = performance.now() - t;
  fs.rmSync(out);
  t = performance.now();
  await extractEntry(zipFile, e, out);
  const wholeMs = performance.now() - t;
  fs.rmSync(out);
  const r = (x: number) => Math.round(x);
  return {
    mb: Math.round(e.size / 1024 ** 2),
    inflate: r(inflateMs),
    sha256: r(sha256Ms),
    crc32: r(crcMs),
    write: r(writeMs),
    all_stages_pipelined: r(wholeMs),
  };
}

const med = (x: number[]) => [...x].sort((p, q) => p - q)[x.length >> 1];

async function main(): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-bundle-'));
  try {
    const live = path.join(dir, 'live');
    createSandbox(live, { days: 1, projects: 4 });
    const logsDir = path.join(live, 'logs');
    for (const f of fs.readdirSync(logsDir)) if (f.startsWith('aura-api-')) fs.rmSync(path.join(logsDir, f));
    const names = generateLogs(logsDir, TOTAL_BYTES);
    const install = resolveRoot(
      {
        kind: 'manual',
        dataRoot: live,
        source: 'bench',
        useEnv: false,
        overrides: { apiUrl: 'http://127.0.0.1:1' },
      },
      { env: {} },
    );
    const sweep = await runSweep(install, { apiTimeoutMs: 500, redisTimeoutMs: 500 });

    // The bundle: every log file whole, aura.db, probes and triage, and the manifest with sha256s.
    const zipFile = path.join(dir, 'bundle.zip');
    const tMake = performance.now();
    const zip = new ZipFileWriter(zipFile, 0o600);
    const files: Record<string, { bytes: number; sha256: string }> = {};
    const segments: Record<string, SegmentIndex> = {};
    const put = (name: string, data: Buffer) => {
      files[name] = { bytes: data.length, sha256: crypto.createHash('sha256').update(data).digest('hex') };
      // As writeBundle does: logs in segments, so the newest file's tail can be shown checked.
      const idx = zip.add(name, data, name.startsWith('logs/') ? LOG_SEGMENT_BYTES : undefined);
      if (idx) segments[name] = idx;
    };
    put(
      'probes.json',
      Buffer.from(
        JSON.stringify({
          overall: sweep.overall,
          startedAt: sweep.startedAt,
          durationMs: sweep.durationMs,
          results: sweep.results,
          signals: sweep.signals,
        }),
      ),
    );
    put('triage.json', Buffer.from(JSON.stringify(sweep.triage)));
    put('db/aura.db', fs.readFileSync(install.paths.dbPath));
    for (const f of fs.readdirSync(logsDir)) put(`logs/${f}`, fs.readFileSync(path.join(logsDir, f)));
    const manifest = {
      format: BUNDLE_FORMAT,
      formatVersion: BUNDLE_FORMAT_VERSION,
      version: 'bench',
      createdAt: new Date().toISOString(),
      sweepAt: new Date(sweep.startedAt).toISOString(),
      host: os.hostname(),
      timeZone: Intl.DateTimeFormat().resolvedOptions().timeZone,
      aura: { version: null },
      full: { hours: 24, db: true },
      redactions: { total: 0, byRule: {} },
      files,
      segments,
    };
    zip.add('manifest.json', JSON.stringify(manifest));
    const zipBytes = zip.finish();
    const makeMs = performance.now() - tMake;
    const logBytes = names.reduce((a, n) => a + fs.statSync(path.join(logsDir, n)).size, 0);
    const newest = names[names.length - 1];

    const liveMs: number[] = [];
    const liveAttachMs: number[] = [];
    const bundleMs: number[] = [];
    const openMs: number[] = [];
    const waitMs: number[] = [];
    const eagerMs: number[] = [];
    const allMs: number[] = [];
    const loopP99: number[] = [];
    const loopMax: number[] = [];
    let verifier: Record<string, number> = {};
    let previewBytes = 0;
    let opening: Record<string, number> = {};
    const liveRt = runtimeAt(path.join(dir, 'live-console'), live);
    try {
      for (let k = 0; k < RUNS; k++) {
        const p = await paintVia(liveRt);
        if (p.records !== 100) throw new Error(`the live page held ${p.records} records, not 100`);
        liveMs.push(p.openPaneMs + p.pageMs);

        // The live install as an operator attaches it: Add install… on a fresh console, then the paint.
        const addRt = runtimeAt(path.join(dir, `live-add-console-${k}`));
        try {
          const t = performance.now();
          ok(await addRt.api.dispatch('install:add', { dataRoot: live }));
          const a = await paintVia(addRt);
          if (a.records !== 100)
            throw new Error(`the added install's page held ${a.records} records, not 100`);
          liveAttachMs.push(performance.now() - t);
        } finally {
          await addRt.dispose();
        }

        // Bundle side, as the console does it: install:open-bundle, then the same pane and page.
        const rt = runtimeAt(path.join(dir, `bundle-console-${k}`));
        try {
          const t = performance.now();
          ok(await rt.api.dispatch('install:open-bundle', { file: zipFile }));
          const o = performance.now() - t;
          const h = monitorEventLoopDelay({ resolution: 10 });
          h.enable();
          const b = await paintVia(rt);
          if (b.records !== 100) throw new Error(`the bundle's page held ${b.records} records, not 100`);
          // The first paint is the newest file's checked tail, the whole file still verifying.
          if (!b.preview) throw new Error("the bundle's first pane was not the checked tail");
          previewBytes = b.preview.shownBytes;
          openMs.push(o);
          waitMs.push(b.openPaneMs);
          bundleMs.push(o + b.openPaneMs + b.pageMs);
          const opened = rt.openedBundle()!;
          await opened.files.all();
          h.disable();
          allMs.push(performance.now() - t);
          loopP99.push(h.percentile(99) / 1e6);
          loopMax.push(h.max / 1e6);
          verifier = Object.fromEntries(
            Object.entries(opened.files.timing).map(([x, v]) => [x, Math.round(v)]),
          );
          opening = Object.fromEntries(Object.entries(opened.timing).map(([x, v]) => [x, Math.round(v)]));
        } finally {
          await rt.dispose();
        }

        // Before: every file inflated, counted and hashed before anything is shown (check --bundle still does).
        const t = performance.now();
        const eager = await openBundle(zipFile, path.join(dir, 'opened'));
        const paint = await firstPaint(eager.install, newest, path.join(dir, `eager-data-${k}`));
        eagerMs.push(performance.now() - t);
        void paint;
        eager.close();
      }
    } finally {
      await liveRt.dispose();
    }
    const parts = await breakdown(zipFile, `logs/${newest}`, dir);
    const l = med(liveMs);
    const la = med(liveAttachMs);
    const b = med(bundleMs);
    const r1 = (x: number) => Number(x.toFixed(1));
    const r2 = (x: number) => Number(x.toFixed(2));
    console.log(
      JSON.stringify({
        bench: 'bundle',
        metric: 'first_log_paint_opened_bundle',
        value: r1(b),
        unit: 'ms',
        is: 'a fresh console: Open bundle…, the main log pane, its last page',
        baseline: r1(la),
        baseline_is:
          'the same on the live install with the same logs: a fresh console, Add install…, the main log pane, its last page (same run)',
        ratio: r2(b / la),
        paint_only_live_ms: r1(l),
        paint_only_ratio: r2(b / l),
        paint_only_is: 'against the pane and page alone on a console already attached to the live install',
        open_ms: r1(med(openMs)),
        pane_wait_ms: r1(med(waitMs)),
        before_verify_all_first_ms: r1(med(eagerMs)),
        before_ratio: r1(med(eagerMs) / l),
        all_verified_ms: r1(med(allMs)),
        first_paint_is: `the checked last ${(previewBytes / 1024 ** 2).toFixed(1)} MB of the newest file; the whole file opens at all_verified_ms`,
        main_loop_delay_while_verifying_ms: { p99: r1(med(loopP99)), max: r1(med(loopMax)) },
        opening_ms: opening,
        verifier_ms: verifier,
        newest_file_stages_ms: parts,
        log_mb: Math.round(logBytes / 1024 ** 2),
        zip_mb: Math.round(zipBytes / 1024 ** 2),
        make_ms_unredacted: Math.round(makeMs),
        goal: 'ratio 1 (the same as a live install of that size)',
      }),
    );
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
