// LogsService end to end on real files in a temp install: big-file open (tail first, worker
// index), paging, level/regex filters, search, seek by time, whole records, live batches,
// error rate, histogram and the path guard.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InstallCandidate } from '../../../shared/install-types';
import { LOG_ROOT_CONFIRM_DETAIL } from '../../../shared/contract/logs';
import { OpsError } from '../../../shared/errors';
import type { ServiceContext } from '../context';
import { TAIL_BYTES } from './file-reader';
import { LogsService } from './service';

let root: string;
let logsDir: string;
let outside: string;
const events: Array<{ event: string; payload: unknown }> = [];
const disposers: Array<() => void | Promise<void>> = [];
let svc: LogsService;

const T0 = Date.UTC(2025, 11, 8, 15, 0, 0, 0);
const RECORDS = 12_000;
const pad = (n: number, w = 2) => String(n).padStart(w, '0');
function stamp(ms: number): string {
  // Written in -06:00 local time like FACTS §2.6.
  const d = new Date(ms - 6 * 3600_000);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} -06:00`;
}
function record(i: number): string {
  const t = stamp(T0 + i * 1000);
  if (i % 10 === 3) {
    return `[${t}] [ERR] [cid${i}] [tid${i}] [span${i}] Failure number ${i} {"SourceContext":"Aura.Core.X"}\nSystem.Exception: boom ${i}\n   at Aura.Core.X.Run()\n`;
  }
  if (i % 10 === 5) {
    const code = i % 20 === 5 ? 500 : 200;
    return `[${t}] [INF] [cid${i}] [tid${i}] [span${i}] Request completed: GET /api/x - ${code} in 1.5ms {"SourceContext":"Aura.Api.Middleware.RequestLoggingMiddleware"}\n`;
  }
  const lv = i % 10 === 7 ? 'WRN' : 'INF';
  return `[${t}] [${lv}] [] [] [] Message ${i} with {"braces":true} inside {"SourceContext":"Aura.Api.Y","N":${i}}\n`;
}

function install(): InstallCandidate {
  const fact = (p: string) => ({ path: p, exists: true, size: null });
  return {
    id: 'test',
    kind: 'manual',
    label: 'test',
    source: 'test',
    paths: {
      dataRoot: root,
      logsDir,
      dbPath: path.join(root, 'aura.db'),
      appSettingsPath: null,
      apiUrl: 'http://127.0.0.1:5005',
      tempDir: path.join(root, 'Temp'),
      redis: { enabled: false, connection: null, host: null, port: null, hasPassword: false },
    },
    facts: {
      dataRoot: fact(root),
      logsDir: fact(logsDir),
      db: fact(''),
      dbWal: fact(''),
      dbShm: fact(''),
      appSettings: null,
    },
    found: true,
    problems: [],
  };
}

async function waitFor(pred: () => boolean, what: string, ms = 10_000): Promise<void> {
  const until = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > until) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-svc-'));
  logsDir = path.join(root, 'logs');
  outside = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-outside-'));
  fs.mkdirSync(logsDir);
  fs.writeFileSync(path.join(logsDir, 'aura-api-20251207.log'), record(0));
  const parts: string[] = [];
  for (let i = 0; i < RECORDS; i++) parts.push(record(i));
  fs.writeFileSync(path.join(logsDir, 'aura-api-20251208.log'), parts.join(''));
  fs.writeFileSync(path.join(logsDir, 'errors-20251208.log'), record(3) + record(13));
  fs.writeFileSync(path.join(outside, 'secret.log'), 'secret\n');
  fs.symlinkSync(path.join(outside, 'secret.log'), path.join(logsDir, 'aura-api-link.log'));
  const ctx: ServiceContext = {
    dataDir: root,
    getInstall: () => install(),
    emit: (event, payload) => events.push({ event, payload }),
    onDispose: (fn) => disposers.push(fn),
  };
  svc = new LogsService(ctx);
});

afterAll(async () => {
  for (const d of disposers) await d();
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});

describe('LogsService', () => {
  it('lists the families present', () => {
    const s = svc.sources();
    expect(s.logsDirExists).toBe(true);
    expect(s.families.map((f) => f.family)).toEqual(['aura-api', 'errors']);
    expect(s.families[0].files.map((f) => f.name)).toEqual([
      'aura-api-20251207.log',
      'aura-api-20251208.log',
      'aura-api-link.log',
    ]);
  });

  it('opens a big file tail first, then indexes it and pages, filters and searches all of it', async () => {
    expect(fs.statSync(path.join(logsDir, 'aura-api-20251208.log')).size).toBeGreaterThan(TAIL_BYTES * 4);
    const info = svc.openPane({ path: path.join(logsDir, 'aura-api-20251208.log') });
    expect(info.format).toBe('serilog');
    expect(info.indexing).toBe(true);
    // First paint: the last records are there before the index is built.
    const tail = await svc.page({ paneId: info.paneId, fromLine: -2, count: 2 });
    expect(tail.records.map((r) => r.message)).toEqual([
      `Message ${RECORDS - 2} with {"braces":true} inside`,
      `Message ${RECORDS - 1} with {"braces":true} inside`,
    ]);
    await svc.whenIndexed(info.paneId);
    const done = events.find(
      (e) => e.event === 'logs:index-progress' && (e.payload as { done: boolean }).done,
    );
    expect(done).toBeDefined();

    const first = await svc.page({ paneId: info.paneId, fromLine: 0, count: 4 });
    expect(first.total).toBe(RECORDS);
    expect(first.records.map((r) => r.index)).toEqual([0, 1, 2, 3]);
    expect(first.records[3]).toMatchObject({
      level: 'ERR',
      correlationId: 'cid3',
      exception: 'System.Exception: boom 3\n   at Aura.Core.X.Run()',
      lineCount: 3,
    });
    expect(first.records[0].time).toBe(T0);

    const errs = await svc.page({ paneId: info.paneId, fromLine: 0, count: 3, levels: ['ERR'] });
    expect(errs.total).toBe(RECORDS / 10);
    expect(errs.records.map((r) => r.correlationId)).toEqual(['cid3', 'cid13', 'cid23']);

    const byRegex = await svc.page({
      paneId: info.paneId,
      fromLine: 0,
      count: 2,
      filter: { text: 'boom 1\\d\\b', regex: true, caseSensitive: false, invert: false },
    });
    expect(byRegex.records.map((r) => r.index)).toEqual([13]);
    expect(byRegex.total).toBe(1);

    const out = await svc.page({
      paneId: info.paneId,
      fromLine: 0,
      count: 1,
      levels: ['INF', 'WRN'],
      filter: { text: 'Message', regex: false, caseSensitive: true, invert: true },
    });
    expect(out.total).toBe(RECORDS / 10);
    expect(out.records[0].message).toMatch(/^Request completed/);

    const found = await svc.search({
      paneId: info.paneId,
      pattern: 'cid1[0-9]{3}\\]',
      regex: true,
      caseSensitive: false,
      limit: 5,
    });
    expect(found.total).toBe(200);
    expect(found.matches).toEqual([1003, 1005, 1013, 1015, 1023]);
    expect(found.truncated).toBe(true);

    const seek = await svc.seekTime({ paneId: info.paneId, time: T0 + 5000.5 });
    expect(seek.index).toBe(6);
    // In a filtered view, search hits and time seeks are positions in that view.
    const inErr = await svc.search({
      paneId: info.paneId,
      pattern: 'boom 1\\d\\b',
      regex: true,
      caseSensitive: false,
      levels: ['ERR'],
      limit: 10,
    });
    expect(inErr.matches).toEqual([1]);
    expect((await svc.seekTime({ paneId: info.paneId, time: T0 + 20_000, levels: ['ERR'] })).index).toBe(2);

    const whole = svc.record({ paneId: info.paneId, offset: first.records[3].offset });
    expect(whole.exception).toContain('boom 3');

    const h = await svc.histogram({ paneId: info.paneId, fromLine: 0, toLine: 120 });
    expect(h.buckets.map((b) => b.counts.reduce((a, c) => a + c, 0))).toEqual([60, 60]);
    expect(h.buckets[0].counts[4]).toBe(6);
    // The strip counts what the pane shows: positions and counts are those of the filtered view.
    const hErr = await svc.histogram({ paneId: info.paneId, fromLine: 0, toLine: 12, levels: ['ERR'] });
    expect(hErr.buckets.map((b) => b.counts)).toEqual([
      [0, 0, 0, 0, 6, 0, 0],
      [0, 0, 0, 0, 6, 0, 0],
    ]);
    const hText = await svc.histogram({
      paneId: info.paneId,
      fromLine: 6,
      toLine: 9,
      filter: { text: 'Request completed', regex: false, caseSensitive: true, invert: false },
    });
    // Matches are records 5, 15, 25, ...: view positions 6..8 are records 65, 75, 85 (minute 2).
    expect(hText.buckets).toEqual([{ t: T0 + 60_000, counts: [0, 0, 3, 0, 0, 0, 0] }]);
    svc.closePane(info.paneId);
  });

  it('pushes appended records in batches with their positions', async () => {
    const info = svc.openPane({ family: 'errors' });
    expect(info.total).toBe(2);
    const before = events.length;
    fs.appendFileSync(path.join(logsDir, 'errors-20251208.log'), record(23));
    type Batch = { records: Array<{ index: number; correlationId: string }>; first: number; total: number };
    const appended = () =>
      events
        .slice(before)
        .filter((e) => e.event === 'logs:batch')
        .map((e) => e.payload as Batch)
        .find((b) => b.records.some((r) => r.correlationId === 'cid23'));
    await waitFor(() => appended() !== undefined, 'a batch with the appended record');
    const batch = appended() as Batch;
    // The initial records may share the batch: positions are contiguous from `first`.
    expect(batch.records.map((r) => r.index)).toEqual(batch.records.map((_, k) => batch.first + k));
    expect(batch.records[batch.records.length - 1]).toMatchObject({ index: 2, correlationId: 'cid23' });
    expect(batch.total).toBe(3);
    expect(svc.closePane(info.paneId)).toEqual({ closed: true });
  });

  it('matches live records with the same matcher as a rebuilt view ([ERR] on raw lines)', async () => {
    const filters = [
      { text: '[ERR]', regex: false, caseSensitive: false, invert: false },
      // Only the raw line has the time zone offset; only a continuation line has the stack frame.
      { text: '-06:00] [ERR]', regex: false, caseSensitive: true, invert: false },
      { text: '^\\s+at Aura\\.Core', regex: true, caseSensitive: true, invert: false },
      { text: '[ERR]', regex: false, caseSensitive: false, invert: true },
    ];
    for (const [k, filter] of filters.entries()) {
      const file = path.join(logsDir, `live-filter-${k}.log`);
      fs.writeFileSync(file, record(1) + record(3));
      const info = svc.openPane({ path: file });
      // The view is built before the new lines arrive, so they can only get in through the live path.
      const before = await svc.page({ paneId: info.paneId, fromLine: 0, count: 100, filter });
      expect(before.total, filter.text).toBe(1);
      fs.appendFileSync(file, record(13) + record(14) + record(23));
      const total = () => svc.panesInfo().find((p) => p.paneId === info.paneId)?.total;
      await waitFor(() => svc.heldLines(info.paneId) === 0 && total() === 5, 'the appended records');
      const live = (await svc.page({ paneId: info.paneId, fromLine: 0, count: 100, filter })).records;
      // Another key makes the next call rebuild the view from disk.
      await svc.page({ paneId: info.paneId, fromLine: 0, count: 1, levels: ['INF'] });
      const rebuilt = (await svc.page({ paneId: info.paneId, fromLine: 0, count: 100, filter })).records;
      expect(
        live.map((r) => r.index),
        filter.text,
      ).toEqual(rebuilt.map((r) => r.index));
      // Records 1, 3, 13, 14, 23 are at positions 0..4; 3, 13 and 23 are the errors.
      expect(
        live.map((r) => r.index),
        filter.text,
      ).toEqual(filter.invert ? [0, 3] : [1, 2, 4]);
      svc.closePane(info.paneId);
    }
  });

  it('builds a view only from records the tailer has read: a match written after the last read is not pinned on the last record', async () => {
    const file = path.join(logsDir, 'unread-tail.log');
    // Records 1 and 5 (cid5), then a record of cid13 and one without an id.
    fs.writeFileSync(file, record(1) + record(5) + record(13) + record(14));
    const info = svc.openPane({ path: file });
    const total = () => svc.panesInfo().find((p) => p.paneId === info.paneId)?.total;
    await waitFor(() => svc.heldLines(info.paneId) === 0 && total() === 4, 'the first records');
    // More records of cid5 reach the file; the view is built before the tailer reads them (no
    // macrotask runs between the write and the view), so they are not known records yet.
    fs.appendFileSync(file, record(15).replace('[cid15]', '[cid5]') + record(16));
    const filter = { text: 'cid5]', regex: false, caseSensitive: true, invert: false };
    const early = await svc.page({ paneId: info.paneId, fromLine: 0, count: 100, filter });
    expect(early.records.map((r) => r.correlationId)).toEqual(['cid5']);
    // Once read, the new record of cid5 joins the view through the live path.
    await waitFor(() => svc.heldLines(info.paneId) === 0 && total() === 6, 'the appended records');
    const late = await svc.page({ paneId: info.paneId, fromLine: 0, count: 100, filter });
    expect(late.records.map((r) => [r.index, r.correlationId])).toEqual([
      [1, 'cid5'],
      [4, 'cid5'],
    ]);
    svc.closePane(info.paneId);
  });

  it('limits a view to a time range (the histogram selection), with levels and a filter', async () => {
    const file = path.join(logsDir, 'range.log');
    const parts: string[] = [];
    for (let i = 0; i < 200; i++) parts.push(record(i));
    fs.writeFileSync(file, parts.join(''));
    const info = svc.openPane({ path: file });
    const range = { from: T0 + 60_000, to: T0 + 120_000 };
    const all = await svc.page({ paneId: info.paneId, fromLine: 0, count: 500, range });
    expect(all.total).toBe(60);
    expect(all.records[0].time).toBe(T0 + 60_000);
    expect(all.records[59].time).toBe(T0 + 119_000);
    expect(all.unfilteredTotal).toBe(200);
    const errs = await svc.page({ paneId: info.paneId, fromLine: 0, count: 500, range, levels: ['ERR'] });
    expect(errs.records.map((r) => r.correlationId)).toEqual([
      'cid63',
      'cid73',
      'cid83',
      'cid93',
      'cid103',
      'cid113',
    ]);
    const text = { text: 'boom 1', regex: false, caseSensitive: true, invert: false };
    const hits = await svc.page({ paneId: info.paneId, fromLine: 0, count: 500, range, filter: text });
    expect(hits.records.map((r) => r.correlationId)).toEqual(['cid103', 'cid113']);
    const h = await svc.histogram({ paneId: info.paneId, fromLine: 0, toLine: 500, range });
    expect(h.buckets.map((b) => b.t)).toEqual([T0 + 60_000]);
    // Seeking inside a range view gives positions in that view.
    expect(await svc.seekTime({ paneId: info.paneId, time: T0 + 90_000, range })).toEqual({ index: 30 });
    // A live record after the range stays out of it.
    fs.appendFileSync(file, record(200));
    await waitFor(
      () => svc.panesInfo().find((p) => p.paneId === info.paneId)?.total === 201,
      'the appended record',
    );
    expect((await svc.page({ paneId: info.paneId, fromLine: 0, count: 500, range })).total).toBe(60);
    svc.closePane(info.paneId);
  });

  it('joins continuation lines that arrive in a later write to their record', async () => {
    // A long hold so a slow machine cannot split the record; the default is RECORD_HOLD_MS.
    const ctx: ServiceContext = {
      dataDir: root,
      getInstall: () => install(),
      emit: (event, payload) => events.push({ event, payload }),
      onDispose: (fn) => disposers.push(fn),
    };
    const held = new LogsService(ctx, { recordHoldMs: 1500 });
    // Outside the aura-api family, so the other tests' figures are not changed.
    const file = path.join(logsDir, 'split-writes.log');
    fs.writeFileSync(file, record(1));
    const info = held.openPane({ path: file });
    expect(info.total).toBe(1);
    const before = events.length;
    type Rec = {
      index: number;
      level: string | null;
      message: string;
      exception: string | null;
      lineCount: number;
    };
    const arrived = () =>
      events
        .slice(before)
        .filter((e) => e.event === 'logs:batch' && (e.payload as { paneId: string }).paneId === info.paneId)
        .flatMap((e) => (e.payload as { records: Rec[] }).records);
    const t = stamp(T0);
    // First line (with its properties) in one write; the exception follows in two more writes.
    fs.appendFileSync(file, `[${t}] [ERR] [cidA] [] [] Render failed {"SourceContext":"Aura.Core.R"}\n`);
    // Each write is read before the next is made, so the record really arrives split in three reads.
    await waitFor(() => held.heldLines(info.paneId) === 1, 'the tailer to read and hold the first line');
    fs.appendFileSync(file, 'System.IO.IOException: disk full\n');
    await waitFor(() => held.heldLines(info.paneId) === 2, 'the tailer to read the exception line');
    expect(arrived().some((r) => r.message === 'Render failed')).toBe(false);
    fs.appendFileSync(file, `   at Aura.Core.R.Write()\n[${t}] [INF] [cidB] [] [] Next one {}\n`);
    await waitFor(() => arrived().some((r) => r.message === 'Render failed'), 'the joined record');
    // The last record is closed by the hold expiring (no next start): it arrives on its own.
    await waitFor(() => arrived().some((r) => r.message === 'Next one'), 'the last record after the hold');
    // The batch after open also carries the record that was already there (index 0).
    const recs = arrived().filter((r) => r.index > 0);
    expect(recs.map((r) => r.message)).toEqual(['Render failed', 'Next one']);
    expect(recs[0]).toMatchObject({
      index: 1,
      level: 'ERR',
      exception: 'System.IO.IOException: disk full\n   at Aura.Core.R.Write()',
      lineCount: 3,
    });
    expect((await held.page({ paneId: info.paneId, fromLine: 0, count: 10 })).total).toBe(3);
    held.closePane(info.paneId);
  });

  it('remembers added roots through the host and starts with the saved ones', () => {
    const ctx: ServiceContext = {
      dataDir: root,
      getInstall: () => install(),
      emit: () => undefined,
      onDispose: (fn) => disposers.push(fn),
    };
    let saved: string[] | null = null;
    const first = new LogsService(ctx, { onRootsChanged: (r) => (saved = r) });
    const real = fs.realpathSync(outside);
    first.addRoot(outside, real);
    first.addRoot(outside, real); // no change, no second save
    expect(saved).toEqual([real]);
    // After a restart the host passes the saved list back in.
    const second = new LogsService(ctx, { roots: saved ?? [] });
    expect(second.sources().roots).toContain(path.resolve(outside));
    const pane = second.openPane({ path: path.join(outside, 'secret.log') });
    expect(pane.total).toBe(1);
    second.closePane(pane.paneId);
    // A store that cannot write: the user is told the folder will not survive a restart.
    const failing = new LogsService(ctx, {
      onRootsChanged: () => {
        throw new Error('disk is read-only');
      },
    });
    expect(() => failing.addRoot(outside, real)).toThrow(/could not be saved \(disk is read-only\)/);
  });

  it('refuses system folders as log roots, asks for the typed path outside the install and home', () => {
    const ctx: ServiceContext = {
      dataDir: root,
      getInstall: () => install(),
      emit: () => undefined,
      onDispose: (fn) => disposers.push(fn),
    };
    const saves: string[][] = [];
    const s = new LogsService(ctx, { onRootsChanged: (r) => saves.push(r) });
    const codeOf = (f: () => unknown) => {
      try {
        f();
        return 'added';
      } catch (err) {
        return `${(err as OpsError).code}${(err as OpsError).detail === LOG_ROOT_CONFIRM_DETAIL ? ' (confirm)' : ''}`;
      }
    };
    // The root and /etc are refused even when "confirmed"; a link to /etc is judged as /etc.
    expect(codeOf(() => s.addRoot('/'))).toBe('forbidden-path');
    expect(codeOf(() => s.addRoot('/', '/'))).toBe('forbidden-path');
    expect(codeOf(() => s.addRoot('/etc', '/etc'))).toBe('forbidden-path');
    const link = path.join(outside, 'looks-like-logs');
    fs.symlinkSync('/etc', link);
    expect(codeOf(() => s.addRoot(link, link))).toBe('forbidden-path');
    expect(codeOf(() => s.openPane({ path: '/etc/passwd' }))).toBe('forbidden-path');
    // Outside the install and home: only with the full path typed.
    const real = fs.realpathSync(outside);
    expect(codeOf(() => s.addRoot(outside))).toBe('forbidden-path (confirm)');
    expect(codeOf(() => s.addRoot(outside, 'yes'))).toBe('forbidden-path (confirm)');
    expect(saves).toEqual([]);
    expect(codeOf(() => s.addRoot(outside, real))).toBe('added');
    // Inside the install's data root: no question.
    fs.mkdirSync(path.join(root, 'more-logs'), { recursive: true });
    expect(codeOf(() => s.addRoot(path.join(root, 'more-logs')))).toBe('added');
    expect(saves.at(-1)).toEqual([real, fs.realpathSync(path.join(root, 'more-logs'))]);
    // A "/" saved by an older version is dropped when the service starts.
    const old = new LogsService(ctx, { roots: ['/', real] });
    expect(old.sources().roots).not.toContain('/');
    expect(old.sources().roots).toContain(real);
    expect(codeOf(() => old.openPane({ path: '/etc/passwd' }))).toBe('forbidden-path');
  });

  it('computes the error rate over a window', () => {
    const now = T0 + (RECORDS - 1) * 1000;
    const r = svc.errorRate({ windowMinutes: 10, family: 'aura-api' }, now);
    // 600 s window: records with time >= now - 600 s, i.e. 601 records.
    expect(r.requests).toBe(60);
    expect(r.requests5xx).toBe(30);
    expect(r.rate5xx).toBe(0.5);
    expect(r.errors).toBe(60);
    expect(r.errorsPerMinute).toBe(6);
  });

  it('refuses paths outside the roots, symlinks included', () => {
    const tryOpen = (p: string) => {
      try {
        svc.openPane({ path: p });
        return 'opened';
      } catch (err) {
        return (err as OpsError).code;
      }
    };
    expect(tryOpen(path.join(outside, 'secret.log'))).toBe('forbidden-path');
    expect(tryOpen(path.join(logsDir, 'aura-api-link.log'))).toBe('forbidden-path');
    expect(tryOpen(path.join(logsDir, '..', '..', 'etc', 'passwd'))).toBe('forbidden-path');
    svc.addRoot(outside, fs.realpathSync(outside));
    expect(tryOpen(path.join(outside, 'secret.log'))).toBe('opened');
  });
});
