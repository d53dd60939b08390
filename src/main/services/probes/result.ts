// The one way a probe stamps its result: when it was checked (on the shared clock) and how long the
// check took, measured from the probe's own start.
import { nowMs } from '../../../shared/clock';
import type { ProbeResult } from '../../../shared/contract/probes';

/** `fields` as a ProbeResult checked now, `t0` being `performance.now()` when the probe started. */
export function probeResult(t0: number, fields: Omit<ProbeResult, 'checkedAt' | 'durationMs'>): ProbeResult {
  return { ...fields, checkedAt: nowMs(), durationMs: Math.round(performance.now() - t0) };
}
