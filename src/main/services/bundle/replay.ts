// Triage replayed from a bundle: the recorded probe signals (API, Redis, disk, memory, aura.db,
// which a bundle cannot re-measure) with the log signals read again from the bundle's own log
// files at the moment the bundle was made, so the verdict rests on the evidence that travelled.
import type { SweepResult } from '../../../shared/contract/probes';
import { triage } from '../../../shared/triage';
import type { TriageSignals } from '../../../shared/triage-signals';
import { probeLogs } from '../probes/log-signals';
import { overallOf } from '../probes/sweep';
import type { OpenedBundle } from './open';

export interface ReplayedCheck {
  sweep: SweepResult;
  /** What the live check gave when the bundle was made. */
  recorded: { severity: string; top: string | null; overall: SweepResult['overall'] };
  /** The replay reached the same severity and top runbook as the recorded check. */
  agrees: boolean;
}

export function replayCheck(b: OpenedBundle): ReplayedCheck {
  const at = b.recorded.startedAt;
  const logs = probeLogs(b.install, { now: at });
  const results = b.recorded.results.map((r) => (r.id === 'logs' ? { ...logs.result, checkedAt: at } : r));
  const signals: TriageSignals = { ...b.recorded.signals, logs: logs.logs };
  const t = triage(signals, undefined, at);
  const sweep: SweepResult = {
    ...b.recorded,
    results,
    signals,
    triage: t,
    overall: overallOf(results),
    bundleTriage: 'replayed',
  };
  const recorded = {
    severity: b.recorded.triage.severity,
    top: b.recorded.triage.suggestions[0]?.runbook ?? null,
    overall: b.recorded.overall,
  };
  return {
    sweep,
    recorded,
    agrees: recorded.severity === t.severity && recorded.top === (t.suggestions[0]?.runbook ?? null),
  };
}
