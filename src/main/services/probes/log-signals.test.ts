// The log probe against real Serilog files: each signal carries the time of its newest record, and
// the card fades with the same rule as the triage (quiet: recovering; quieter: ok), at a fixed instant.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { triage } from '../../../shared/triage';
import { CLEAR_AFTER_MS, RECOVERING_AFTER_MS, emptySignals } from '../../../shared/triage-signals';
import { resolveRoot } from '../install/discover';
import { probeLogs } from './log-signals';

/** The instant the probe reads at: fixed, so the test means the same at any hour. */
const NOW = Date.parse('2026-12-06T23:59:40Z');
const pad = (n: number, w = 2): string => String(n).padStart(w, '0');
function stamp(t: number): string {
  const d = new Date(t);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())} ${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}.${pad(d.getUTCMilliseconds(), 3)} +00:00`;
}
const request = (t: number, status: number): string =>
  `[${stamp(t)}] [${status >= 500 ? 'ERR' : 'INF'}] [c0ffee] [c0ffee] [5eed] Request completed: GET /api/jobs - ${status} in 12.5ms {"SourceContext":"Aura.Api.Middleware.RequestLoggingMiddleware"}`;
const locked = (t: number): string =>
  `[${stamp(t)}] [ERR] [c0ffee] [c0ffee] [5eed] Failed executing DbCommand: SQLite Error 5: 'database is locked'. {"SourceContext":"Microsoft.EntityFrameworkCore.Database.Command"}`;

let root: string;
beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-logsig-'));
  fs.mkdirSync(path.join(root, 'logs'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

/** A log with 40 requests over the 4 minutes before `lastBad`, every 4th a 500, the last a 500 at `lastBad`; 200s after it until NOW. */
function writeSpike(lastBad: number, lockedAt: number | null = null): void {
  const lines: string[] = [];
  for (let i = 39; i >= 0; i--) lines.push(request(lastBad - i * 6000, i % 4 === 0 ? 500 : 200));
  if (lockedAt !== null) lines.push(locked(lockedAt));
  for (let t = lastBad + 2000; t <= NOW - 1000; t += 2000) lines.push(request(t, 200));
  lines.sort();
  fs.writeFileSync(path.join(root, 'logs', 'aura-api-20261206.log'), lines.join('\n') + '\n');
}
const install = () =>
  resolveRoot({ kind: 'sandbox', dataRoot: root, source: 'test', useEnv: false }, { env: {} });

describe('probeLogs: newest records and fading', () => {
  it('reports the newest 5xx and lock error, and calls a current spike unhealthy', () => {
    writeSpike(NOW - 3000, NOW - 7000);
    const { result, logs } = probeLogs(install(), { now: NOW });
    expect(logs).not.toBeNull();
    expect({
      at: logs!.at,
      r5xx: logs!.newest.r5xx,
      dbLocked: logs!.newest.dbLocked,
      n5xx: logs!.m5.requests5xx,
    }).toEqual({ at: NOW, r5xx: NOW - 3000, dbLocked: NOW - 7000, n5xx: 10 });
    expect(result.state).toBe('unhealthy');
    expect(result.summary).toMatch(
      /in 5 min, newest 3 s ago.*1 "database is locked", newest 7 s ago.*Above the 5% line/,
    );
  });

  it('leaves the verdict on corruption to the aura.db card: fresh corruption lines make this card degraded, not unhealthy', () => {
    writeSpike(NOW - CLEAR_AFTER_MS - 500);
    fs.appendFileSync(
      path.join(root, 'logs', 'aura-api-20261206.log'),
      `[${stamp(NOW - 2000)}] [ERR] [c0ffee] [c0ffee] [5eed] Failed executing DbCommand: SQLite Error 11: 'database disk image is malformed'. {"SourceContext":"Microsoft.EntityFrameworkCore.Database.Command"}\n`,
    );
    const { result, logs } = probeLogs(install(), { now: NOW });
    expect({ n: logs!.dbCorrupt, newest: logs!.newest.dbCorrupt, state: result.state }).toEqual({
      n: 1,
      newest: NOW - 2000,
      state: 'degraded',
    });
    expect(result.summary).toContain('1 corruption errors, newest 2 s ago');
  });

  it('ignores records dated after the read (a skewed clock): they neither count nor keep a symptom current', () => {
    writeSpike(NOW - CLEAR_AFTER_MS - 500);
    fs.appendFileSync(
      path.join(root, 'logs', 'aura-api-20261206.log'),
      `${request(NOW + 60_000, 500)}\nnot a serilog line {age}\n`,
    );
    const { result, logs } = probeLogs(install(), { now: NOW });
    expect({ r5xx: logs!.newest.r5xx, n: logs!.m5.requests5xx, state: result.state }).toEqual({
      r5xx: NOW - CLEAR_AFTER_MS - 500,
      n: 10,
      state: 'ok',
    });
  });

  it('says "recovering" once the symptom is quiet, the same moment the triage does, and ok once it has gone', () => {
    writeSpike(NOW - RECOVERING_AFTER_MS - 500);
    const quiet = probeLogs(install(), { now: NOW });
    expect({
      state: quiet.result.state,
      tail: quiet.result.summary.endsWith('No new error for a while: recovering.'),
    }).toEqual({ state: 'degraded', tail: true });
    const s = emptySignals();
    s.installed = true;
    s.api.reachable = true;
    s.logs = quiet.logs;
    expect(triage(s)).toMatchObject({ severity: 'SEV-2', phase: 'recovering' });

    writeSpike(NOW - CLEAR_AFTER_MS - 500);
    const gone = probeLogs(install(), { now: NOW });
    expect(gone.result.state).toBe('ok');
    s.logs = gone.logs;
    expect(triage(s)).toMatchObject({ severity: 'SEV-4', phase: 'clear' });
  });
  it('counts slow requests against the card from the same number the triage does, so they never disagree', () => {
    const slow = (t: number): string =>
      `[${stamp(t)}] [WRN] [c0ffee] [c0ffee] [5eed] SLOW REQUEST DETECTED: GET /api/jobs took 1520ms (Status: 200) {"SourceContext":"Aura.Api.Middleware.PerformanceMiddleware"}`;
    const s = emptySignals();
    s.installed = true;
    s.api.reachable = true;
    const withSlow = (n: number) => {
      const lines: string[] = [];
      for (let t = NOW - 200_000; t <= NOW - 1000; t += 2000) lines.push(request(t, 200));
      for (let i = 0; i < n; i++) lines.push(slow(NOW - 5000 - i * 1000));
      fs.writeFileSync(path.join(root, 'logs', 'aura-api-20261206.log'), lines.sort().join('\n') + '\n');
      const r = probeLogs(install(), { now: NOW });
      s.logs = r.logs;
      return { card: r.result.state, severity: triage(s).severity };
    };
    // One or two slow requests (a busy machine) are no symptom for either: the card stays OK
    // while the triage says every probe is healthy, and the row still shows them.
    expect(withSlow(2)).toEqual({ card: 'ok', severity: 'SEV-4' });
    // From the triage's own line on, both say so.
    expect(withSlow(3)).toEqual({ card: 'degraded', severity: 'SEV-3' });
  });
});
