// `aura-ops logs` sub-commands against real files: tail (last records, level filter, JSON),
// search (regex, level, time range) and stats (error rate), with captured output.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { logsCommand } from './cli';

let dir: string;
const line = (t: string, lv: string, cid: string, msg: string) =>
  `[2025-12-08 ${t}.000 +00:00] [${lv}] [${cid}] [${cid}] [] ${msg} {"SourceContext":"Aura.Api.Middleware.RequestLoggingMiddleware"}\n`;

async function run(...argv: string[]) {
  let out = '';
  let err = '';
  // As the real entry (cli.ts main) does: each out/err call is one line, ended for it.
  const code = await logsCommand(argv, { out: (s) => (out += `${s}\n`), err: (s) => (err += `${s}\n`) });
  return { code, out, err };
}

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-cli-'));
  fs.writeFileSync(path.join(dir, 'aura-api-20251207.log'), line('00:00:00', 'ERR', 'old', 'Old failure'));
  fs.writeFileSync(
    path.join(dir, 'aura-api-20251208.log'),
    line('10:00:00', 'INF', 'a1', 'Request completed: GET /x - 200 in 1ms') +
      line('10:00:01', 'ERR', 'a2', 'Request completed: GET /y - 503 in 2ms') +
      'System.Exception: down\n   at Y()\n' +
      line('10:00:02', 'WRN', 'a3', 'Slow thing'),
  );
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('logs CLI', () => {
  it('tail prints the last records of the newest file as JSON, filtered by level', async () => {
    const r = await run('tail', '--dir', dir, '--level', 'WRN', '--json');
    expect(r.code).toBe(0);
    const recs = r.out
      .trim()
      .split('\n')
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(recs.map((x) => [x.file, x.level, x.correlationId])).toEqual([
      ['aura-api-20251208.log', 'ERR', 'a2'],
      ['aura-api-20251208.log', 'WRN', 'a3'],
    ]);
    expect(recs[0]).toMatchObject({
      time: '2025-12-08T10:00:01.000Z',
      exception: 'System.Exception: down\n   at Y()',
    });
  });

  it('tail -n 1 with a file pattern prints one record as text', async () => {
    const r = await run('tail', path.join(dir, 'aura-api-*.log'), '-n', '1');
    expect(r.code).toBe(0);
    expect(r.out).toBe('aura-api-20251208.log 2025-12-08T10:00:02.000Z WRN [a3] Slow thing\n');
  });

  it('search finds records across every file of the set, also by exception text', async () => {
    const r = await run(
      'search',
      path.join(dir, 'aura-api-*.log'),
      '--regex',
      'failure|down$',
      '-i',
      '--json',
    );
    expect(r.code).toBe(0);
    expect(
      r.out
        .trim()
        .split('\n')
        .map((l) => (JSON.parse(l) as { correlationId: string }).correlationId),
    ).toEqual(['old', 'a2']);
    const since = await run(
      'search',
      '--dir',
      dir,
      'failure|down',
      '--since',
      '2025-12-08T01:00:00Z',
      '--json',
    );
    expect(since.out.trim().split('\n')).toHaveLength(1);
    const none = await run('search', '--dir', dir, 'nothing-like-this');
    expect(none.code).toBe(1);
  });

  it('stats reports an empty window for old logs and rejects bad input', async () => {
    const r = await run('stats', '--dir', dir, '--minutes', '5', '--json');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toMatchObject({ requests: 0, rate5xx: null, errors: 0 });
    expect((await run('stats')).code).toBe(2);
    expect((await run('tail', '--dir', dir, '--level', 'LOUD')).err).toMatch(/Unknown level/);
    expect((await run('search', '--dir', dir, '(')).err).toMatch(/not valid/);
    expect((await run('tail', '--help')).out).toMatch(/Usage/);
  });
});

describe('logs search over a time window', () => {
  const at = (day: string, t: string, lv: string, cid: string, msg: string) =>
    line(t, lv, cid, msg).replace('2025-12-08', day);

  it('reads across the day turn and the rolls, only the files and the part of each inside the window', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-window-'));
    try {
      // Two days ago (outside the window), yesterday rolled at size, and today's file a few
      // seconds old: the evidence of the last minutes is in three files.
      fs.writeFileSync(
        path.join(d, 'aura-api-20251206.log'),
        at('2025-12-06', '23:59:59', 'WRN', 'x0', 'Slow request: GET /old took 900ms'),
      );
      const filler = Array.from({ length: 30_000 }, (_, i) =>
        at('2025-12-07', '23:00:00', 'INF', `f${i}`, 'Request completed: GET /api/ok - 200 in 1ms'),
      ).join('');
      fs.writeFileSync(
        path.join(d, 'aura-api-20251207.log'),
        filler + at('2025-12-07', '23:10:00', 'WRN', 'y0', 'Slow request: GET /api/jobs took 1500ms'),
      );
      fs.writeFileSync(
        path.join(d, 'aura-api-20251207_001.log'),
        at('2025-12-07', '23:59:50', 'WRN', 'y1', 'Slow request: GET /api/script took 2100ms'),
      );
      fs.writeFileSync(
        path.join(d, 'aura-api-20251208.log'),
        at('2025-12-08', '00:00:05', 'INF', 't0', 'Incoming request: GET /api/health'),
      );
      const opened = vi.spyOn(fs, 'openSync');
      const reads = vi.spyOn(fs, 'readSync');
      const r = await run(
        'search',
        '--dir',
        d,
        '--since',
        '2025-12-07T23:05:00Z',
        '--regex',
        'Slow request:',
      );
      // Which file each read was on: descriptors are reused, so follow the calls in order.
      const files = opened.mock.calls.map((c) => path.basename(String(c[0])));
      const events = [
        ...opened.mock.calls.map((c, i) => ({
          at: opened.mock.invocationCallOrder[i],
          open: path.basename(String(c[0])),
          fd: opened.mock.results[i].value as number,
          pos: 0,
        })),
        ...reads.mock.calls.map((c, i) => ({
          at: reads.mock.invocationCallOrder[i],
          open: null,
          fd: c[0],
          pos: Number((c as unknown[])[4]), // readSync(fd, buffer, offset, length, position)
        })),
      ].sort((x, y) => x.at - y.at);
      const fdName = new Map<number, string>();
      let firstRead = Infinity;
      for (const e of events) {
        if (e.open !== null) fdName.set(e.fd, e.open);
        else if (fdName.get(e.fd) === 'aura-api-20251207.log') firstRead = Math.min(firstRead, e.pos);
      }
      opened.mockRestore();
      reads.mockRestore();
      expect(r.code).toBe(0);
      expect(r.out.trim().split('\n')).toEqual([
        'aura-api-20251207.log 2025-12-07T23:10:00.000Z WRN [y0] Slow request: GET /api/jobs took 1500ms',
        'aura-api-20251207_001.log 2025-12-07T23:59:50.000Z WRN [y1] Slow request: GET /api/script took 2100ms',
      ]);
      // The file of two days ago is not opened at all; of yesterday's first file (4 MB, nearly all
      // before the window) only the last MB is read.
      expect(firstRead).toBeGreaterThan(2 * 1024 * 1024);
      expect(new Set(files)).toEqual(
        new Set(['aura-api-20251207.log', 'aura-api-20251207_001.log', 'aura-api-20251208.log']),
      );
      // --count, as grep -c: the number, and exit 1 on none.
      const c = await run(
        'search',
        '--dir',
        d,
        '--since',
        '2025-12-07T23:05:00Z',
        '--count',
        'Slow request:',
      );
      expect([c.code, c.out]).toEqual([0, '2\n']);
      const none = await run('search', '--dir', d, '--since', '2025-12-08T00:00:00Z', '-c', 'Slow request:');
      expect([none.code, none.out]).toEqual([1, '0\n']);
    } finally {
      fs.rmSync(d, { recursive: true, force: true });
    }
  });
});

describe('relative ages on a support bundle', () => {
  it("count back from AURA_OPS_AS_OF (the bundle's recorded time) when it is set", async () => {
    const before = process.env.AURA_OPS_AS_OF;
    try {
      delete process.env.AURA_OPS_AS_OF;
      // Now, the fixture's records (2025) are far older than an hour.
      expect((await run('search', '--dir', dir, '--since', '1h', '--count', 'Request completed')).out).toBe(
        '0\n',
      );
      process.env.AURA_OPS_AS_OF = '2025-12-08T10:30:00Z';
      const r = await run('search', '--dir', dir, '--since', '1h', '--count', 'Request completed');
      expect([r.code, r.out]).toEqual([0, '2\n']);
      const s = await run('stats', '--dir', dir, '--minutes', '60');
      expect(s.out).toMatch(
        /^Last 60 min before 2025-12-08T10:30:00\.000Z \(the bundle's time\) of aura-api/,
      );
      expect(s.out).toMatch(/requests completed: 2, 5xx: 1 \(50\.0%\)/);
      // A value that is no time is ignored: ages count from now again.
      process.env.AURA_OPS_AS_OF = 'yesterday-ish';
      expect((await run('search', '--dir', dir, '--since', '1h', '--count', 'Request completed')).out).toBe(
        '0\n',
      );
    } finally {
      if (before === undefined) delete process.env.AURA_OPS_AS_OF;
      else process.env.AURA_OPS_AS_OF = before;
    }
  });
});

describe('logs tail --follow in its own process', () => {
  const CLI = path.join(__dirname, '..', '..', 'fixtures', 'logs-cli.ts');

  it('prints the last record, then new ones as written, a record written in two parts whole, and the next roll', async () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'logs-follow-'));
    const day = path.join(d, 'aura-api-20251208.log');
    fs.writeFileSync(
      day,
      line('10:00:00', 'INF', 'b0', 'Before') + line('10:00:01', 'INF', 'b1', 'Last before'),
    );
    const child = spawn(process.execPath, ['--import', 'tsx', CLI, 'tail', '--dir', d, '-n', '1', '-f'], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (b: Buffer) => (out += b.toString()));
    child.stderr.on('data', (b: Buffer) => (err += b.toString()));
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    /** Waits until the output has `n` lines; fails with what it has at the deadline. */
    const lines = async (n: number, deadlineMs = 15_000): Promise<string[]> => {
      const end = Date.now() + deadlineMs;
      for (;;) {
        const got = out.split('\n').filter((l) => l !== '');
        if (got.length >= n) return got;
        if (Date.now() > end) throw new Error(`waited for ${n} lines, got: ${out} (stderr: ${err})`);
        await new Promise((r) => setTimeout(r, 25));
      }
    };
    try {
      // The first wait includes the process's start (tsx compiling the logs modules on a busy machine).
      expect(await lines(1, 60_000)).toEqual([
        'aura-api-20251208.log 2025-12-08T10:00:01.000Z INF [b1] Last before',
      ]);
      // A record whose exception comes in a second write: printed once, with its exception.
      fs.appendFileSync(day, line('10:00:02', 'ERR', 'c1', 'Failed').trimEnd() + '\n');
      fs.appendFileSync(day, 'System.Exception: boom\n   at Z()\n');
      fs.appendFileSync(day, line('10:00:03', 'INF', 'c2', 'After'));
      expect((await lines(5)).slice(1)).toEqual([
        'aura-api-20251208.log 2025-12-08T10:00:02.000Z ERR [c1] Failed',
        'System.Exception: boom',
        '   at Z()',
        'aura-api-20251208.log 2025-12-08T10:00:03.000Z INF [c2] After',
      ]);
      // The day rolls at size: the tail goes on in the _001 file.
      fs.writeFileSync(path.join(d, 'aura-api-20251208_001.log'), line('10:00:04', 'WRN', 'r1', 'Rolled'));
      expect((await lines(6))[5]).toBe('aura-api-20251208_001.log 2025-12-08T10:00:04.000Z WRN [r1] Rolled');
      child.kill('SIGTERM');
      expect(await exited).toBe(0);
      // One line per line: no blank line between records (each out() is one line, ended once).
      expect(out).toBe(`${(await lines(6)).join('\n')}\n`);
      expect(out.split('\n')).toHaveLength(7);
    } finally {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      fs.rmSync(d, { recursive: true, force: true });
    }
  }, 120_000);
});
