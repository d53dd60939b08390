// What walk-throughs take from the health probes: the source of sweeps, when a triage is red, and
// the triage entry that opens an incident started from it.
import type { SweepResult } from '../../../shared/contract/probes';
import type { SessionEventData } from '../../../shared/contract/walkthroughs-session';

/** What the service needs from the probes (absent in the CLI, where nothing sweeps). */
export interface TriageSource {
  latest(): SweepResult | null;
  /** `logsSince`: ignore log records older than this (the fix), as `aura-ops check` can. */
  sweep(opts?: { logsSince?: number }): Promise<SweepResult>;
}

/** Triage severities that mean something is wrong (SEV-4 is the all-clear or a cosmetic issue). */
export function isRed(sweep: SweepResult): boolean {
  return sweep.triage.severity !== 'SEV-4';
}

/** The triage that started an incident, as its first entry: what the console saw, before anyone acted. */
export function triageEntry(sweep: SweepResult): SessionEventData {
  return {
    type: 'triage',
    severity: sweep.triage.severity,
    headline: sweep.triage.headline,
    overall: sweep.overall,
    reasons: sweep.triage.suggestions.flatMap((s) => s.reasons.map((r) => `${r} -> ${s.runbook}`)),
    probes: sweep.results.map((r) => ({
      id: r.id,
      title: r.title,
      state: r.state,
      summary: r.summary,
    })),
  };
}
