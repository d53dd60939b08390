// The handbook's rules: escalation clock boundaries and maintenance-window arithmetic across the
// DST switches of Europe/Berlin and America/New_York (dates checked against the tz database).
import { describe, expect, it } from 'vitest';
import { OpsError } from './errors';
import {
  CHANGE_CHECKLISTS,
  SEVERITY_LEVELS,
  escalationAt,
  isInWindow,
  nextWindow,
  severityLevel,
  zonedTime,
} from './handbook';

const utc = (s: string) => new Date(`${s}Z`);
const MIN = 60_000;

describe('escalation clock', () => {
  const start = utc('2025-01-10T10:00:00');
  const at = (ms: number) => escalationAt(start, new Date(start.getTime() + ms));

  it('stays at level 1 for the first five minutes and counts down to level 2', () => {
    const s = at(5 * MIN - 1000);
    expect(s.level).toBe(1);
    expect(s.action).toMatch(/runbook/i);
    expect(s.msToNext).toBe(1000);
    expect(s.nextAt?.toISOString()).toBe('2025-01-10T10:05:00.000Z');
  });

  it('moves to level 2 at exactly 5 minutes, level 3 at 15 and level 4 at 30', () => {
    expect(at(5 * MIN).level).toBe(2);
    expect(at(5 * MIN).action).toMatch(/senior engineer/);
    expect(at(15 * MIN - 1).level).toBe(2);
    expect(at(15 * MIN).level).toBe(3);
    expect(at(15 * MIN).action).toMatch(/on-call manager/);
    expect(at(30 * MIN - 1).msToNext).toBe(1);
    const l4 = at(30 * MIN);
    expect(l4.level).toBe(4);
    expect(l4.action).toMatch(/vendor support/);
    expect(l4.next).toBeNull();
    expect(l4.msToNext).toBeNull();
    expect(at(5 * 60 * MIN).level).toBe(4);
  });

  it('treats a clock before the start (skew) as minute zero', () => {
    const s = at(-10 * MIN);
    expect(s.level).toBe(1);
    expect(s.elapsedMs).toBe(0);
    expect(s.msToNext).toBe(5 * MIN);
  });
});

describe('severity levels', () => {
  it('has SEV-1..4 with the handbook response times', () => {
    expect(SEVERITY_LEVELS.map((s) => [s.id, s.responseMinutes])).toEqual([
      ['SEV-1', 0],
      ['SEV-2', 15],
      ['SEV-3', 60],
      ['SEV-4', null],
    ]);
    expect(severityLevel('SEV-2').criteria).toContain('High error rates (>5%)');
  });
});

describe('change checklists', () => {
  it('has the pre, during and post lists with unique item ids', () => {
    expect(CHANGE_CHECKLISTS.map((c) => [c.phase, c.items.length])).toEqual([
      ['pre', 5],
      ['during', 4],
      ['post', 5],
    ]);
    const ids = CHANGE_CHECKLISTS.flatMap((c) => c.items.map((i) => i.id));
    expect(new Set(ids).size).toBe(ids.length);
  });
});

describe('zonedTime', () => {
  it('maps an ordinary wall time to its instant', () => {
    expect(zonedTime(2024, 7, 1, 2, 'Europe/Berlin').toISOString()).toBe('2024-07-01T00:00:00.000Z');
    expect(zonedTime(2024, 1, 15, 2, 'America/New_York').toISOString()).toBe('2024-01-15T07:00:00.000Z');
  });

  it('resolves a skipped hour to the end of the gap and a repeated hour to its first occurrence', () => {
    expect(zonedTime(2024, 3, 31, 2, 'Europe/Berlin').toISOString()).toBe('2024-03-31T01:00:00.000Z');
    expect(zonedTime(2024, 10, 27, 2, 'Europe/Berlin').toISOString()).toBe('2024-10-27T00:00:00.000Z');
    expect(zonedTime(2024, 3, 10, 2, 'America/New_York').toISOString()).toBe('2024-03-10T07:00:00.000Z');
    expect(zonedTime(2024, 11, 3, 1, 'America/New_York').toISOString()).toBe('2024-11-03T05:00:00.000Z');
  });
});

describe('maintenance windows, Europe/Berlin', () => {
  const tz = 'Europe/Berlin';

  it('on spring-forward Sunday the window starts at 03:00 CEST (02:00 does not exist) and lasts 3 hours', () => {
    const w = nextWindow(utc('2024-03-30T11:00:00'), tz); // Saturday noon
    expect(w.kind).toBe('preferred');
    expect(w.start.toISOString()).toBe('2024-03-31T01:00:00.000Z');
    expect(w.end.toISOString()).toBe('2024-03-31T04:00:00.000Z');
    expect(isInWindow(utc('2024-03-31T00:59:00'), tz).inWindow).toBe(false); // 01:59 CET
    expect(isInWindow(utc('2024-03-31T01:00:00'), tz).inWindow).toBe(true); // 03:00 CEST
    expect(isInWindow(utc('2024-03-31T03:59:00'), tz).inWindow).toBe(true); // 05:59 CEST
    expect(isInWindow(utc('2024-03-31T04:00:00'), tz).inWindow).toBe(false); // 06:00 CEST
  });

  it('on fall-back Sunday the window runs from the first 02:00 to 06:00 CET (5 hours), both 02:30s inside', () => {
    const w = nextWindow(utc('2024-10-26T20:00:00'), tz);
    expect(w.start.toISOString()).toBe('2024-10-27T00:00:00.000Z');
    expect(w.end.toISOString()).toBe('2024-10-27T05:00:00.000Z');
    expect(isInWindow(utc('2024-10-27T00:30:00'), tz).window?.kind).toBe('preferred'); // 02:30 CEST
    expect(isInWindow(utc('2024-10-27T01:30:00'), tz).inWindow).toBe(true); // 02:30 CET
  });

  it('after the Sunday window the next one is Monday 02:00-04:00 local', () => {
    const w = nextWindow(utc('2024-03-31T04:00:00'), tz);
    expect(w.kind).toBe('alternative');
    expect(w.start.toISOString()).toBe('2024-04-01T00:00:00.000Z');
    expect(w.end.toISOString()).toBe('2024-04-01T02:00:00.000Z');
  });

  it('skips Saturday: Friday 04:00 local points to Sunday 02:00', () => {
    const friday0400 = utc('2024-04-05T02:00:00');
    expect(isInWindow(friday0400, tz)).toEqual({ inWindow: false, window: null });
    const w = nextWindow(friday0400, tz);
    expect(w.kind).toBe('preferred');
    expect(w.start.toISOString()).toBe('2024-04-07T00:00:00.000Z');
  });

  it('returns the running window when inside one', () => {
    const w = nextWindow(utc('2024-04-03T01:30:00'), tz); // Wednesday 03:30 CEST
    expect(w.start.toISOString()).toBe('2024-04-03T00:00:00.000Z');
    expect(isInWindow(utc('2024-04-03T01:30:00'), tz).inWindow).toBe(true);
  });
});

describe('maintenance windows, America/New_York', () => {
  const tz = 'America/New_York';

  it('on spring-forward Sunday the window starts at 03:00 EDT and ends 06:00 EDT', () => {
    const w = nextWindow(utc('2024-03-09T17:00:00'), tz);
    expect(w.start.toISOString()).toBe('2024-03-10T07:00:00.000Z');
    expect(w.end.toISOString()).toBe('2024-03-10T10:00:00.000Z');
    expect(isInWindow(utc('2024-03-10T06:59:00'), tz).inWindow).toBe(false); // 01:59 EST
  });

  it('on fall-back Sunday the window is 02:00-06:00 EST', () => {
    const w = nextWindow(utc('2024-11-03T05:30:00'), tz); // 01:30 EDT, first pass
    expect(w.start.toISOString()).toBe('2024-11-03T07:00:00.000Z');
    expect(w.end.toISOString()).toBe('2024-11-03T11:00:00.000Z');
    expect(isInWindow(utc('2024-11-03T06:30:00'), tz).inWindow).toBe(false); // 01:30 EST, second pass
    expect(isInWindow(utc('2024-11-03T07:00:00'), tz).inWindow).toBe(true);
  });

  it('weekday window in winter is 07:00-09:00 UTC', () => {
    const w = nextWindow(utc('2024-01-16T12:00:00'), tz); // Tuesday 07:00 EST
    expect([w.kind, w.start.toISOString(), w.end.toISOString()]).toEqual([
      'alternative',
      '2024-01-17T07:00:00.000Z',
      '2024-01-17T09:00:00.000Z',
    ]);
  });
});

describe('bad time zone', () => {
  it('throws a bad-request OpsError naming the zone', () => {
    expect(() => nextWindow(new Date(), 'Mars/Olympus')).toThrow(OpsError);
    expect(() => isInWindow(new Date(), 'Mars/Olympus')).toThrow(/Mars\/Olympus/);
  });
});
