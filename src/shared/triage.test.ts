// Triage rules as data: bad and edge inputs first, then ranking and the response times.
import { describe, expect, it } from 'vitest';
import { emptySignals, fillTemplate, TRIAGE_RULES, triage, type LogWindow, type TriageSignals } from './triage';
import { SEVERITY_LEVELS } from './handbook';

const win = (requests: number, requests5xx: number): LogWindow => ({ minutes: 5, coveredMinutes: 5, requests, requests5xx, rate5xx: requests ? requests5xx / requests : null, errors: requests5xx, errorsPerMinute: requests5xx / 5 });

function healthy(): TriageSignals {
  const s = emptySignals();
  s.installed = true;
  s.api = { ...s.api, url: 'http://127.0.0.1:5005', reachable: true, readyHttp: 200, readyEndpoint: '/health/ready', readyStatus: 'healthy', handbookEndpointMissing: true };
  s.logs = { m5: win(100, 0), m15: win(300, 0), fatal: 0, dbLocked: 0, dbCorrupt: 0, cacheFailures: 0, providerFailures: 0, slowRequests: 0, linesPerSecond: 2, sizeRollsToday: 0, lastFatal: null };
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
    const t = triage(s);
    expect(t.severity).toBe('SEV-3');
    expect(t.matches.map((m) => m.ruleId)).toEqual(['error-rate-some']);
  });

  it('calls a 5xx rate just above 5% SEV-2 High Error Rates, and exactly 5% only intermittent', () => {
    const s = healthy();
    s.logs!.m5 = win(100, 6);
    expect(triage(s)).toMatchObject({ severity: 'SEV-2', responseTime: '<15 minutes', suggestions: [{ runbook: 'High Error Rates' }] });
    s.logs!.m5 = win(100, 5);
    expect(triage(s).severity).toBe('SEV-3');
  });

  it('ranks the worst severity first and groups reasons by runbook, dropping the all-clear', () => {
    const s = healthy();
    s.api.readyHttp = 503;
    s.api.readyStatus = 'unhealthy';
    s.api.checks = [{ name: 'Database', status: 'unhealthy', description: 'Cannot connect to database', data: {} }];
    s.logs!.dbLocked = 3;
    s.redis = { state: 'refused', error: 'connection refused' };
    const t = triage(s);
    expect(t.severity).toBe('SEV-1');
    expect(t.responseTime).toBe('Immediate');
    expect(t.suggestions.map((x) => x.runbook)).toEqual(['Database Issues', 'Cache Management']);
    expect(t.suggestions[0].reasons).toEqual([
      '/health/ready 503: Database unhealthy ("Cannot connect to database")',
      '3 "database is locked" errors in the last 5 min: another process holds the aura.db write lock',
    ]);
    expect(t.headline).toMatch(/-> Database Issues$/);
    expect(t.matches.some((m) => m.ruleId === 'all-clear')).toBe(false);
  });

  it('uses Aura thresholds for disk: 0.5 GB is degraded (SEV-2), just below is critical (SEV-1)', () => {
    const s = healthy();
    s.disk = { minFreeGb: 0.5, path: '/data' };
    expect(triage(s).matches[0]).toMatchObject({ ruleId: 'disk-low', severity: 'SEV-2', runbook: 'Log Management' });
    s.disk = { minFreeGb: 0.49, path: '/data' };
    expect(triage(s).matches[0]).toMatchObject({ ruleId: 'disk-critical', severity: 'SEV-1' });
  });

  it('keeps rule ids unique and only handbook runbooks and severities', () => {
    const ids = TRIAGE_RULES.map((r) => r.id);
    expect(new Set(ids).size).toBe(ids.length);
    const runbooks = ['Deployment', 'Backup and Restore', 'Monitoring', 'Performance Tuning', 'Service Degradation', 'High Error Rates', 'Database Issues', 'Provider Failures', 'Log Management', 'Database Maintenance', 'Cache Management', 'Dependency Updates'];
    for (const r of TRIAGE_RULES) expect(runbooks).toContain(r.runbook);
    // The handbook's four levels, and each is used by some rule (a rule cannot invent a SEV-5).
    const severities = SEVERITY_LEVELS.map((l) => l.id);
    expect(severities).toEqual(['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']);
    for (const r of TRIAGE_RULES) expect({ rule: r.id, severity: severities.includes(r.severity) }).toEqual({ rule: r.id, severity: true });
    expect([...new Set(TRIAGE_RULES.map((r) => r.severity))].sort()).toEqual(severities);
  });

  it('fills templates and leaves unknown names visible', () => {
    expect(fillTemplate('{a} -> {b}', { a: 1 })).toBe('1 -> {b}');
  });
});
