// Which finished requests become timeline entries, and how they read (journey-api.test.ts records
// them through the API into a session).
import { describe, expect, it } from 'vitest';
import type { CheckResult } from '../../../shared/contract/database';
import { observedEvent } from './observed';
import { sweepOf } from './test-support';

describe('observedEvent', () => {
  it('records only DB checks, DB backups and sweeps that ran', () => {
    expect(observedEvent('logs:tail', { ok: true, result: {} })).toBeNull();
    expect(observedEvent('probes:sweep', { ok: false, error: { message: 'busy' } })).toBeNull();
  });

  it('says what a check found, and why a failed request failed', () => {
    const check: CheckResult = {
      kind: 'quick',
      ok: false,
      problems: ['page 3 is never used', 'row 7 missing from index'],
      tablesChecked: 12,
      elapsedMs: 40.4,
      scope: 'per-table',
    };
    expect(observedEvent('db:check', { ok: true, result: check })).toEqual({
      type: 'db-check',
      check: 'quick check',
      ok: false,
      detail: 'page 3 is never used\nrow 7 missing from index',
    });
    expect(observedEvent('db:backup', { ok: false, error: { message: 'disk full' } })).toEqual({
      type: 'db-backup',
      file: '',
      bytes: null,
      ok: false,
      detail: 'disk full',
    });
  });

  it('sums a sweep up by its headline and the probes that are not ok', () => {
    const e = observedEvent('probes:sweep', { ok: true, result: sweepOf(false, 0) });
    expect(e).toMatchObject({ type: 'probe-snapshot', title: 'Health sweep', state: 'unreachable' });
    expect(e?.type === 'probe-snapshot' && e.summary).toMatch(/ \| Aura API: unreachable \(refused\)$/);
  });
});
