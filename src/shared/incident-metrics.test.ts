// Milestone and time-at-severity arithmetic: the numbers an incident record is judged by.
import { describe, expect, it } from 'vitest';
import { formatSpan, incidentTimes } from './incident-metrics';

const MIN = 60_000;
const T = Date.UTC(2026, 10, 27, 20, 15, 33);
const at = (m: number) => ({ at: T + m * MIN, source: 'console' as const, reason: null });

describe('incidentTimes', () => {
  it('measures acknowledge, mitigate and resolve from detection, and impact from the impact start', () => {
    const t = incidentTimes({
      milestones: {
        detected: at(2),
        acknowledged: at(5),
        identified: at(12),
        mitigated: at(30),
        resolved: at(42),
      },
      impactStart: T,
      changes: [{ at: T + 5 * MIN, severity: 'SEV-1' }],
      end: T + 42 * MIN,
    });
    // The impact start (earlier than detection) is where the clocks start.
    expect(t.origin).toBe(T);
    expect(t.timeToAcknowledgeMs).toBe(5 * MIN);
    expect(t.timeToIdentifyMs).toBe(12 * MIN);
    expect(t.timeToMitigateMs).toBe(30 * MIN);
    expect(t.timeToResolveMs).toBe(42 * MIN);
    expect(t.impactDurationMs).toBe(30 * MIN);
    expect(t.outOfOrder).toEqual([]);
  });

  it('sums the spells at each severity, in the order first reached, up to the end', () => {
    const t = incidentTimes({
      milestones: { acknowledged: at(0) },
      impactStart: null,
      changes: [
        { at: T, severity: 'SEV-2' },
        { at: T + 10 * MIN, severity: 'SEV-1' },
        { at: T + 25 * MIN, severity: 'SEV-2' },
        { at: T + 40 * MIN, severity: 'SEV-3' },
      ],
      end: T + 45 * MIN,
    });
    expect(t.timeAtSeverity).toEqual([
      { severity: 'SEV-2', ms: 25 * MIN },
      { severity: 'SEV-1', ms: 15 * MIN },
      { severity: 'SEV-3', ms: 5 * MIN },
    ]);
  });

  it('has no times without a start, keeps an open incident running to now, and never goes negative', () => {
    expect(incidentTimes({ milestones: {}, impactStart: null, changes: [], end: T })).toMatchObject({
      origin: null,
      timeToAcknowledgeMs: null,
      impactDurationMs: null,
      timeAtSeverity: [],
    });
    const open = incidentTimes({
      milestones: { detected: at(0) },
      impactStart: null,
      changes: [{ at: T, severity: 'SEV-1' }],
      end: T + 7 * MIN,
    });
    expect(open.impactDurationMs).toBe(7 * MIN);
    expect(open.timeAtSeverity).toEqual([{ severity: 'SEV-1', ms: 7 * MIN }]);
    // A change recorded after the end (clock skew) counts zero, not a negative spell.
    const skew = incidentTimes({
      milestones: {},
      impactStart: null,
      changes: [
        { at: T, severity: 'SEV-2' },
        { at: T + 9 * MIN, severity: 'SEV-1' },
      ],
      end: T + 5 * MIN,
    });
    expect(skew.timeAtSeverity).toEqual([
      { severity: 'SEV-2', ms: 5 * MIN },
      { severity: 'SEV-1', ms: 0 },
    ]);
  });

  it('flags milestones set earlier than one before them, without reordering', () => {
    const t = incidentTimes({
      milestones: { detected: at(10), acknowledged: at(4), mitigated: at(20) },
      impactStart: null,
      changes: [],
      end: T + 30 * MIN,
    });
    expect(t.outOfOrder).toEqual(['acknowledged']);
    expect(t.timeToAcknowledgeMs).toBe(0);
  });
});

describe('formatSpan', () => {
  it('reads like a person would say it', () => {
    expect([formatSpan(42_000), formatSpan(185_000), formatSpan(62 * MIN)]).toEqual([
      '42 s',
      '3 min 5 s',
      '1 h 2 min',
    ]);
  });
});
