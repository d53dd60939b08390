// The Serilog writer against FACTS §2.2-2.3: exact template, offsets, ids, exceptions, file
// families with their level filters, the size roll naming and retention.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AuraLogModel } from './aura-events';
import {
  AURA_SINKS,
  SerilogFileSet,
  applyRetention,
  fileDate,
  formatLine,
  formatTimestamp,
  rollingFileName,
  type LogEvent,
} from './serilog-writer';

// Written here from the template text of FACTS §2.3, independently of SERILOG_LINE_RE:
// [{Timestamp:yyyy-MM-dd HH:mm:ss.fff zzz}] [{Level:u3}] [{CorrelationId}] [{TraceId}] [{SpanId}] {Message:lj} {Properties:j}{NewLine}{Exception}
const TEMPLATE =
  /^\[\d{4}-(0[1-9]|1[0-2])-([0-2]\d|3[01]) ([01]\d|2[0-3]):[0-5]\d:[0-5]\d\.\d{3} [+-]\d{2}:\d{2}\] \[(VRB|DBG|INF|WRN|ERR|FTL)\] \[([0-9a-f]{32}|[0-9A-Z]{13}:\d{8}|[0-9a-f-]{36}|)\] \[([0-9a-f]{32}|)\] \[([0-9a-f]{16}|)\] .+ \{.*\}$/;

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-serilog-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const t = new Date(Date.UTC(2025, 11, 8, 15, 14, 6, 540));

describe('formatTimestamp', () => {
  it.each([
    [0, '2025-12-08 15:14:06.540 +00:00'],
    [-360, '2025-12-08 09:14:06.540 -06:00'],
    [330, '2025-12-08 20:44:06.540 +05:30'],
    [-600, '2025-12-08 05:14:06.540 -10:00'],
  ])('offset %i min -> %s', (off, want) => {
    expect(formatTimestamp(t, off)).toBe(want);
  });

  it('rolls the file date on the local date, not UTC', () => {
    const late = new Date(Date.UTC(2025, 11, 8, 23, 30));
    expect(fileDate(late, 0)).toBe('20251208');
    expect(fileDate(late, 60)).toBe('20251209');
    expect(fileDate(late, -360)).toBe('20251208');
  });
});

describe('formatLine', () => {
  it('writes the FACTS example line byte for byte', () => {
    const e: LogEvent = {
      time: new Date(Date.UTC(2025, 11, 8, 15, 14, 2, 118)),
      level: 'INF',
      message: 'Logging initialized. Logs directory: C:\\Users\\dana\\AppData\\Local\\Aura\\logs',
      properties: {
        Application: 'Aura.Api',
        Environment: 'Development',
        MachineName: 'DANA-PC',
        ThreadId: 1,
        ProcessId: 18244,
      },
    };
    expect(formatLine(e, { offsetMinutes: -360 })).toBe(
      '[2025-12-08 09:14:02.118 -06:00] [INF] [] [] [] Logging initialized. Logs directory: C:\\Users\\dana\\AppData\\Local\\Aura\\logs {"Application":"Aura.Api","Environment":"Development","MachineName":"DANA-PC","ThreadId":1,"ProcessId":18244}\n',
    );
  });

  it('puts exception lines after the event line and honours CRLF', () => {
    const e: LogEvent = {
      time: t,
      level: 'ERR',
      message: 'Failed to apply migrations',
      properties: {},
      exception: 'X.Y: boom\n ---> Z: inner\n   at A.B()',
    };
    expect(formatLine(e, { offsetMinutes: 0 })).toBe(
      '[2025-12-08 15:14:06.540 +00:00] [ERR] [] [] [] Failed to apply migrations {}\nX.Y: boom\n ---> Z: inner\n   at A.B()\n',
    );
    expect(formatLine(e, { offsetMinutes: 0, newline: '\r\n' })).toBe(
      '[2025-12-08 15:14:06.540 +00:00] [ERR] [] [] [] Failed to apply migrations {}\r\nX.Y: boom\r\n ---> Z: inner\r\n   at A.B()\r\n',
    );
  });

  // A table of every kind of line the model produces, each checked against the template.
  const m = new AuraLogModel({ seed: 7, dataRoot: '/data/Aura', url: 'http://127.0.0.1:5005' });
  const table: [string, LogEvent[]][] = [
    ['startup (outside requests)', m.startup(t, null)],
    [
      'GET 200 with EF command',
      m.request(t, {
        method: 'GET',
        path: '/api/projects',
        status: 200,
        durationMs: 12.5,
        dbQuery: 'SELECT 1',
      }),
    ],
    [
      'POST 500 with exception',
      m.request(t, { method: 'POST', path: '/api/jobs', status: 500, durationMs: 1532.0871 }),
    ],
    ['404', m.request(t, { method: 'GET', path: '/api/v1/health', status: 404, durationMs: 2 })],
    [
      'slow request',
      m.request(t, { method: 'POST', path: '/api/script', status: 200, durationMs: 48213.551 }),
    ],
    ['provider outage', m.providerOutage(t, true)],
    ['cache failure', [m.cacheGetFailed(t, '127.0.0.1:6379')]],
    ['audit', [m.audit(t, true), m.audit(t, false)]],
  ];
  it.each(table)('%s matches the file template', (_name, events) => {
    for (const e of events) {
      const text = formatLine(e, { offsetMinutes: 60 });
      const [first, ...rest] = text.replace(/\n$/, '').split('\n');
      const messageLines = e.message.split('\n').length - 1;
      // Multi-line messages (EF SQL) put the properties on the message's last line.
      const head = messageLines ? [first, ...rest.slice(0, messageLines)].join(' ') : first;
      expect(head).toMatch(TEMPLATE);
      expect(first).toMatch(/^\[2025-12-08 16:1\d:\d\d\.\d{3} \+01:00\] /);
      const exLines = rest.slice(messageLines);
      if (e.exception) {
        expect(exLines[0]).toMatch(/^[\w.]+(\+\w+)?(Exception|Error)\b.*: /);
        for (const l of exLines.slice(1)) expect(l).toMatch(/^( {3}at | ---> | {3}--- End of inner)/);
      } else {
        expect(exLines).toEqual([]);
      }
      if (!e.correlationId) expect(first).toContain('] [] [] [] ');
      const props = JSON.parse(/(\{.*\})$/.exec(messageLines ? rest[messageLines - 1] : first)![1]) as Record<
        string,
        unknown
      >;
      expect(props.Application).toBe('Aura.Api');
    }
  });

  it('logs 5xx completions at ERR, 4xx at WRN and 2xx at INF', () => {
    const lvl = (status: number): string | undefined =>
      m
        .request(t, { method: 'GET', path: '/x', status, durationMs: 5 })
        .find((e) => e.message.startsWith('Request completed'))?.level;
    expect([lvl(200), lvl(404), lvl(503)]).toEqual(['INF', 'WRN', 'ERR']);
  });
});

describe('SerilogFileSet', () => {
  it('fans events out to the five families by level', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'fan-'));
    const set = new SerilogFileSet(dir, { offsetMinutes: 0 });
    const ev = (level: LogEvent['level']): LogEvent => ({
      time: t,
      level,
      message: `a ${level} line`,
      properties: {},
    });
    set.write([ev('DBG'), ev('INF'), ev('WRN'), ev('ERR'), ev('FTL')]);
    set.close();
    const count = (prefix: string): number =>
      fs
        .readFileSync(path.join(dir, `${prefix}20251208.log`), 'utf8')
        .trim()
        .split('\n').length;
    expect(fs.readdirSync(dir).sort()).toEqual([
      'audit-20251208.log',
      'aura-api-20251208.log',
      'errors-20251208.log',
      'performance-20251208.log',
      'warnings-20251208.log',
    ]);
    // aura-api/performance: INF and up (pipeline minimum); warnings: WRN+; errors: ERR+; audit: all.
    expect([
      count('aura-api-'),
      count('performance-'),
      count('warnings-'),
      count('errors-'),
      count('audit-'),
    ]).toEqual([4, 4, 3, 2, 5]);
  });

  it('rolls daily: events either side of local midnight land in two dated files', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'day-'));
    const set = new SerilogFileSet(dir, { offsetMinutes: -360, sinks: [AURA_SINKS[0]] });
    const at = (iso: string): LogEvent => ({
      time: new Date(iso),
      level: 'INF',
      message: iso,
      properties: {},
    });
    // -06:00: 05:59Z is 23:59 on the 7th, 06:00Z is 00:00 on the 8th.
    set.write([at('2025-12-08T05:59:59.999Z'), at('2025-12-08T06:00:00.000Z')]);
    set.close();
    expect(fs.readdirSync(dir).sort()).toEqual(['aura-api-20251207.log', 'aura-api-20251208.log']);
    expect(fs.readFileSync(path.join(dir, 'aura-api-20251208.log'), 'utf8')).toMatch(
      /^\[2025-12-08 00:00:00\.000 -06:00\] /,
    );
  });

  it('rolls to _001, _002 at the size limit and continues the newest file after a restart', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'roll-'));
    const set = new SerilogFileSet(dir, {
      offsetMinutes: 0,
      fileSizeLimitBytes: 1000,
      sinks: [AURA_SINKS[0]],
    });
    const e: LogEvent = { time: t, level: 'INF', message: 'x'.repeat(150), properties: {} };
    set.write(Array.from({ length: 14 }, () => e));
    set.close();
    const names = fs.readdirSync(dir).sort();
    expect(names).toEqual([
      'aura-api-20251208.log',
      'aura-api-20251208_001.log',
      'aura-api-20251208_002.log',
    ]);
    // Serilog refuses an event once the file reached the limit, so a file overshoots by at most one event.
    for (const n of names.slice(0, 2)) {
      const size = fs.statSync(path.join(dir, n)).size;
      expect(size).toBeGreaterThanOrEqual(1000);
      expect(size).toBeLessThan(1000 + 250);
    }
    const again = new SerilogFileSet(dir, {
      offsetMinutes: 0,
      fileSizeLimitBytes: 1000,
      sinks: [AURA_SINKS[0]],
    });
    again.write([e]);
    again.close();
    expect(fs.readdirSync(dir).sort()).toEqual(names);
  });

  it('keeps the newest N files of a family, counting roll files', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'ret-'));
    for (let d = 1; d <= 9; d++)
      fs.writeFileSync(path.join(dir, rollingFileName('errors-', `2025120${d}`, 0)), '');
    fs.writeFileSync(path.join(dir, rollingFileName('errors-', '20251209', 1)), '');
    fs.writeFileSync(path.join(dir, 'aura-api-20251201.log'), '');
    const removed = applyRetention(dir, { prefix: 'errors-', minLevel: 'ERR', retained: 3 });
    expect(fs.readdirSync(dir).sort()).toEqual([
      'aura-api-20251201.log',
      'errors-20251208.log',
      'errors-20251209.log',
      'errors-20251209_001.log',
    ]);
    expect(removed).toHaveLength(7);
  });
});
