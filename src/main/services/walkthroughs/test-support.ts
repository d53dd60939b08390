// Test support for the walk-through suites: a sweep as the probes would report it, its triage
// made by the real triage rules from the signals of an API that is down or up.
import type { SweepResult } from '../../../shared/contract/probes';
import { triage } from '../../../shared/triage';
import { emptySignals, type TriageSignals } from '../../../shared/triage-signals';

export function apiSignals(apiUp: boolean): TriageSignals {
  const s = emptySignals();
  s.installed = true;
  s.api.url = 'http://127.0.0.1:5005';
  s.api.reachable = apiUp;
  s.api.error = apiUp ? null : 'ECONNREFUSED';
  if (apiUp) {
    s.api.readyHttp = 200;
    s.api.readyStatus = 'healthy';
    s.database.integrity = 'ok';
  }
  return s;
}

export function sweepOf(apiUp: boolean, at: number): SweepResult {
  const sig = apiSignals(apiUp);
  return {
    installId: 'test',
    installLabel: 'test install',
    startedAt: at,
    durationMs: 5,
    overall: apiUp ? 'healthy' : 'unreachable',
    results: [
      {
        id: 'api',
        title: 'Aura API',
        state: apiUp ? 'ok' : 'unreachable',
        value: null,
        summary: apiUp ? 'answers' : 'refused',
        details: [],
        checkedAt: at,
        durationMs: 1,
        shell: 'curl',
      },
    ],
    signals: sig,
    triage: triage(sig),
  };
}
