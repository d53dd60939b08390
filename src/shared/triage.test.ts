// Triage rules as data: bad and edge inputs first, then ranking and the response times.
import { afterEach, describe, expect, it } from 'vitest';
import { reasonAt, fillTemplate, triage } from './triage';
import { TRIAGE_RULES } from './triage-rules';
import {
  ageText,
  CLEAR_AFTER_MS,
  emptySignals,
  RECOVERING_AFTER_MS,
  type LogNewest,
  type LogWindow,
  type TriageSignals,
} from './triage-signals';
import { SEVERITY_LEVELS } from './handbook';
import { nowMs, pinClock } from './clock';

/** The sweep's time in these tests: a fixed instant, so ages are exact at any hour. */
const AT = Date.parse('2026-12-06T23:59:40Z');
const noNewest = (): LogNewest => ({
  error: null,
  r5xx: null,
  fatal: null,
  dbLocked: null,
  dbCorrupt: null,
  cacheFailures: null,
  providerFailures: null,
  slowRequests: null,
});

const win = (requests: number, requests5xx: number, minutes = 5): LogWindow => ({
  minutes,
  coveredMinutes: minutes,
  requests,
  requests5xx,
  rate5xx: requests ? requests5xx / requests : null,
  errors: requests5xx,
  errorsPerMinute: requests5xx / 5,
});

function healthy(): TriageSignals {
  const s = emptySignals();
  s.installed = true;
  s.api = {
    ...s.api,
    url: 'http://127.0.0.1:5005',
    reachable: true,
    readyHttp: 200,
    readyEndpoint: '/health/ready',
    readyStatus: 'healthy',
    handbookEndpointMissing: true,
  };
  s.logs = {
    at: AT,
    newest: noNewest(),
    recent: win(15, 0, 0.5),
    m5: win(100, 0),
    m15: win(300, 0),
    fatal: 0,
    dbLocked: 0,
    dbCorrupt: 0,
    cacheFailures: 0,
    providerFailures: 0,
    slowRequests: 0,
    linesPerSecond: 2,
    sizeRollsToday: 0,
    lastFatal: null,
  };
  return s;
}

describe('triage', () => {
  it('with no install attached says so at SEV-4', () => {
    const t = triage(emptySignals());
    expect(t.severity).toBe('SEV-4');
    expect(t.suggestions[0].reasons[0]).toContain('No Aura install is attached');
  });

  it('does not call a rate from too few requests high (1 of 2 is not 50%)', () => {
    const s = healthy();
    s.logs!.m5 = win(2, 1);
    s.logs!.newest.r5xx = AT - 1000;
    const t = triage(s);
    expect(t.severity).toBe('SEV-3');
    expect(t.matches.map((m) => m.ruleId)).toEqual(['error-rate-some']);
  });

  it('calls a 5xx rate just above 5% SEV-2 High Error Rates, and exactly 5% only intermittent', () => {
    const s = healthy();
    s.logs!.m5 = win(100, 6);
    s.logs!.newest.r5xx = AT - 1000;
    expect(triage(s)).toMatchObject({
      severity: 'SEV-2',
      responseTime: '<15 minutes',
      suggestions: [{ runbook: 'High Error Rates' }],
    });
    s.logs!.m5 = win(100, 5);
    expect(triage(s).severity).toBe('SEV-3');
  });

  it('ranks the worst severity first and groups reasons by runbook, dropping the all-clear', () => {
    const s = healthy();
    s.api.readyHttp = 503;
    s.api.readyStatus = 'unhealthy';
    s.api.checks = [
      { name: 'Database', status: 'unhealthy', description: 'Cannot connect to database', data: {} },
    ];
    s.logs!.dbLocked = 3;
    s.logs!.newest.dbLocked = AT - 4000;
    s.redis = { state: 'refused', error: 'connection refused' };
    const t = triage(s);
    expect(t.severity).toBe('SEV-1');
    expect(t.responseTime).toBe('Immediate');
    expect(t.suggestions.map((x) => x.runbook)).toEqual(['Database Issues', 'Cache Management']);
    expect(t.suggestions[0].reasons).toEqual([
      '/health/ready 503: Database unhealthy ("Cannot connect to database")',
      '3 "database is locked" errors in the last 5 min, newest 4 s ago: another process holds the aura.db write lock',
    ]);
    expect(t.headline).toMatch(/-> Database Issues$/);
    expect(t.matches.some((m) => m.ruleId === 'all-clear')).toBe(false);
  });

  it('uses Aura thresholds for disk: 0.5 GB is degraded (SEV-2), just below is critical (SEV-1)', () => {
    const s = healthy();
    s.disk = { minFreeGb: 0.5, path: '/data', label: 'data root, logs' };
    expect(triage(s).matches[0]).toMatchObject({
      ruleId: 'disk-low',
      severity: 'SEV-2',
      runbook: 'Log Management',
    });
    s.disk = { minFreeGb: 0.49, path: '/data', label: 'data root, logs' };
    expect(triage(s).matches[0]).toMatchObject({ ruleId: 'disk-critical', severity: 'SEV-1' });
  });

  it('keeps rule ids unique and only handbook runbooks and severities', () => {
    const ids = TRIAGE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const runbooks = [
      'Deployment',
      'Backup and Restore',
      'Monitoring',
      'Performance Tuning',
      'Service Degradation',
      'High Error Rates',
      'Database Issues',
      'Provider Failures',
      'Log Management',
      'Database Maintenance',
      'Cache Management',
      'Dependency Updates',
    ];
    for (const r of TRIAGE_RULES) expect(runbooks).toContain(r.runbook);
    // The handbook's four levels, and each is used by some rule (a rule cannot invent a SEV-5).
    const severities = SEVERITY_LEVELS.map((l) => l.id);
    expect(severities).toEqual(['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']);
    for (const r of TRIAGE_RULES)
      expect({ rule: r.id, severity: severities.includes(r.severity) }).toEqual({
        rule: r.id,
        severity: true,
      });
    expect([...new Set(TRIAGE_RULES.map((r) => r.severity))].sort()).toEqual(severities);
  });

  it('fills templates and leaves unknown names visible', () => {
    expect(fillTemplate('{a} -> {b}', { a: 1 })).toBe('1 -> {b}');
  });
});

describe('triage from current state', () => {
  let unpin: (() => void) | null = null;
  afterEach(() => {
    unpin?.();
    unpin = null;
  });

  const spike = (newestAgoMs: number): TriageSignals => {
    const s = healthy();
    s.logs!.m5 = win(120, 42);
    s.logs!.newest.r5xx = AT - newestAgoMs;
    return s;
  };

  it('names the window and the age of the newest record of a log-derived reason', () => {
    const t = triage(spike(12_000));
    expect({ severity: t.severity, phase: t.phase, top: t.suggestions[0].runbook }).toEqual({
      severity: 'SEV-2',
      phase: 'now',
      top: 'High Error Rates',
    });
    expect(t.suggestions[0].reasons[0]).toBe(
      '42 of 120 requests failed with 5xx in the last 5 min (35.0%, above the 5% line), newest 12 s ago',
    );
    // A view re-measures the age from the record's time, so it can tick.
    const m = t.matches[0];
    expect({ kind: m.kind, newestAt: m.newestAt }).toEqual({ kind: 'log', newestAt: AT - 12_000 });
    expect(reasonAt(m, AT + 30_000)).toMatch(/, newest 42 s ago$/);
  });

  it('sees a spike in the last minute that a 5-minute window full of good requests still hides', () => {
    const s = healthy();
    s.logs!.m5 = win(400, 12);
    s.logs!.recent = win(40, 8, 0.5);
    s.logs!.newest.r5xx = AT - 2000;
    const t = triage(s);
    expect({ severity: t.severity, reason: t.matches[0].reason }).toEqual({
      severity: 'SEV-2',
      reason: '8 of 40 requests failed with 5xx in the last 30 s (20.0%, above the 5% line), newest 2 s ago',
    });
    // Too few requests in the last 30 s for a rate, or too few failures to call it a spike: the
    // 5-minute window decides (3% here: intermittent).
    s.logs!.recent = win(6, 3, 0.5);
    expect(triage(s).matches.map((m) => m.ruleId)).toEqual(['error-rate-some']);
    s.logs!.recent = win(30, 2, 0.5);
    expect(triage(s).matches.map((m) => m.ruleId)).toEqual(['error-rate-some']);
    s.logs!.recent = win(30, 3, 0.5);
    expect(triage(s).matches.map((m) => m.ruleId)).toEqual(['error-rate-high']);
  });

  it('turns a quiet symptom "recovering" (severity kept, no all-clear), then drops it', () => {
    const justBefore = triage(spike(RECOVERING_AFTER_MS - 1));
    expect(justBefore.phase).toBe('now');
    const quiet = triage(spike(RECOVERING_AFTER_MS));
    expect({
      severity: quiet.severity,
      phase: quiet.phase,
      sugg: quiet.suggestions[0].phase,
      allClear: quiet.matches.some((m) => m.ruleId === 'all-clear'),
    }).toEqual({
      severity: 'SEV-2',
      phase: 'recovering',
      sugg: 'recovering',
      allClear: false,
    });
    expect(quiet.headline).toMatch(
      /^SEV-2 \(High, respond <15 minutes, recovering\): 42 of 120 .*newest 20 s ago \(recovering\) -> High Error Rates$/,
    );
    const stillQuiet = triage(spike(CLEAR_AFTER_MS - 1));
    expect(stillQuiet.phase).toBe('recovering');
    const gone = triage(spike(CLEAR_AFTER_MS));
    expect({ severity: gone.severity, phase: gone.phase, rules: gone.matches.map((m) => m.ruleId) }).toEqual({
      severity: 'SEV-4',
      phase: 'clear',
      rules: ['all-clear'],
    });
  });

  it('clears a recovered spike within a minute of its last bad record, at the 15 s sweep', () => {
    // The worst case: the last 5xx lands just after a sweep; sweeps follow every 15 s.
    const SWEEP_MS = 15_000;
    let clearedAt: number | null = null;
    for (let t = 1; t <= 120_000 && clearedAt === null; t += SWEEP_MS)
      if (triage(spike(t)).phase === 'clear') clearedAt = t;
    expect(clearedAt).not.toBeNull();
    expect(clearedAt!).toBeLessThanOrEqual(60_000);
  });

  it('never says "0 corruption errors": the integrity check and the log count are separate reasons', () => {
    const s = healthy();
    s.database = { integrity: 'corrupt', error: 'database disk image is malformed' };
    const t = triage(s);
    expect(t.severity).toBe('SEV-1');
    expect(t.matches.map((m) => m.reason).filter((r) => /\b0 corruption/.test(r))).toEqual([]);
    expect(t.matches.map((m) => m.ruleId)).toEqual(['db-integrity-failed', 'db-corrupt-restore']);
  });

  it('lets a passing integrity check settle fresh corruption errors in the log: recovering, not SEV-1 leading', () => {
    const s = healthy();
    s.database = { integrity: 'ok', error: null };
    s.logs!.dbCorrupt = 7;
    s.logs!.newest.dbCorrupt = AT - 3000;
    s.redis = { state: 'refused', error: 'connect ECONNREFUSED 127.0.0.1:6379' };
    const t = triage(s);
    // What is wrong now (Redis, SEV-3) leads; the corruption errors follow as recovering.
    expect({
      severity: t.severity,
      phase: t.phase,
      order: t.matches.map((m) => [m.ruleId, m.phase]),
    }).toEqual({
      severity: 'SEV-3',
      phase: 'now',
      order: [
        ['redis-refused', 'now'],
        ['db-corrupt-log', 'recovering'],
      ],
    });
    expect(t.matches[1].reason).toBe(
      '7 corruption errors ("database disk image is malformed") in the last 5 min, newest 3 s ago; aura.db\'s integrity check passes now (recovering)',
    );
    // With the check unreadable, the same log lines are current evidence.
    s.database = { integrity: 'unknown', error: 'reader timed out' };
    expect(triage(s)).toMatchObject({
      severity: 'SEV-1',
      phase: 'now',
      matches: [
        { ruleId: 'db-corrupt-log', phase: 'now' },
        { ruleId: 'redis-refused', phase: 'now' },
      ],
    });
  });

  it('puts the handbook endpoint note apart: a healthy install leads with the all-clear', () => {
    const t = triage(healthy());
    expect({
      severity: t.severity,
      phase: t.phase,
      first: t.suggestions[0].reasons[0],
      reasons: t.suggestions.flatMap((x) => x.reasons).length,
    }).toEqual({
      severity: 'SEV-4',
      phase: 'clear',
      first: 'Every probe is healthy: keep watching the dashboard',
      reasons: 1,
    });
    expect(t.notes.map((n) => [n.ruleId, n.kind])).toEqual([['handbook-endpoint', 'note']]);
    expect(t.notes[0].reason).toContain('/api/v1/health');
    // A note never raises the severity or hides the all-clear, even when it is the only other match.
    expect(t.matches.some((m) => m.ruleId === 'handbook-endpoint')).toBe(false);
  });

  it('takes the disk figures from the Disk probe only (the card), not a second source', () => {
    const s = healthy();
    // Aura's DiskSpace check in the ready answer says 0.82 GB; the Disk probe (which folds that
    // check in as its own row when it is the fullest) reports 74 GB here: the triage follows the probe.
    s.api.checks = [
      {
        name: 'DiskSpace',
        status: 'degraded',
        description: 'Low disk space: 0.82 GB free (threshold: 1 GB)',
        data: { free_gb: 0.82, drive: '/' },
      },
    ];
    s.disk = { minFreeGb: 74.2, path: '/data', label: 'data root, logs, temp' };
    expect(triage(s).matches.filter((m) => m.ruleId.startsWith('disk'))).toEqual([]);
    s.disk = { minFreeGb: 0.82, path: '/', label: "Aura's app drive, per its DiskSpace check" };
    expect(triage(s).matches[0].reason).toBe(
      "Only 0.82 GB free on / (Aura's app drive, per its DiskSpace check; Aura degrades below 1 GB): logs are the usual growth; rotate and prune them",
    );
  });

  it('keeps log text in a reason literal: a fatal message holding "{age}" is not an age', () => {
    const s = healthy();
    s.logs!.fatal = 1;
    s.logs!.lastFatal = 'boom {age} {n} {msg}';
    s.logs!.newest.fatal = AT - 5000;
    const m = triage(s).matches.find((x) => x.ruleId === 'fatal-restart')!;
    expect(m.reason).toBe(
      'A fatal error ("boom {age} {n} {msg}") in the last 5 min, newest 5 s ago, although the API answers now: it crashed and restarted',
    );
    expect(reasonAt(m, AT + 10_000)).toBe(
      'A fatal error ("boom {age} {n} {msg}") in the last 5 min, newest 15 s ago, although the API answers now: it crashed and restarted',
    );
  });

  it('measures ages from the pinned clock when no logs were read, and writes ages plainly', () => {
    unpin = pinClock('2026-03-08T07:59:30Z', 'frozen');
    expect(triage(emptySignals()).at).toBe(Date.parse('2026-03-08T07:59:30Z'));
    expect(nowMs()).toBe(Date.parse('2026-03-08T07:59:30Z'));
    expect([0, 499, 500, 89_499, 89_500, 5_340_000, 5_400_000, -5000].map(ageText)).toEqual([
      '0 s ago',
      '0 s ago',
      '1 s ago',
      '89 s ago',
      '2 min ago',
      '89 min ago',
      '2 h ago',
      '0 s ago',
    ]);
  });
});
