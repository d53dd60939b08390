// Test support for the walk-through suites: a sweep as the probes would report it, its triage
// made by the real triage rules from the signals of an API that is down or up; and a walk-through
// service on real shells, wired to its terminals as the runtime wires it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { SweepResult } from '../../../shared/contract/probes';
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import type { StepResult } from '../../../shared/contract/walkthroughs-steps';
import { triage } from '../../../shared/triage';
import { emptySignals, type TriageSignals } from '../../../shared/triage-signals';
import type { ServiceContext } from '../context';
import { OpsStore } from '../store/store';
import { harness, type Fixture } from '../terminal/test-support';
import { walkthroughHandlers } from './handlers';
import { WalkthroughService } from './service';

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

/**
 * Walk-through services on real shells. rig() makes a terminal harness on `fx`, a store in a fresh
 * data folder and a WalkthroughService that gets every finished command (as the runtime wires it),
 * and collects the step results it emits; dispose() (afterEach, after fx.disposeServices()) closes
 * the stores and removes the data folders.
 */
export function shellRigs(fx: Fixture, dataPrefix: string) {
  const stores: OpsStore[] = [];
  const dirs: string[] = [];
  return {
    rig() {
      const term = harness(fx);
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), dataPrefix));
      dirs.push(dataDir);
      const store = OpsStore.open(dataDir);
      stores.push(store);
      const results: StepResult[] = [];
      const ctx: ServiceContext = {
        dataDir,
        getInstall: () => null,
        emit: (event, payload) => {
          if (event === 'walkthrough:step-result') results.push(payload as StepResult);
        },
        onDispose: () => undefined,
      };
      const wt = new WalkthroughService(store, ctx);
      term.svc.onEvent((event, payload) => {
        if (event === 'terminal:command-finished') wt.commandFinished(payload as TerminalCommandFinished);
      });
      return { term, wt, api: walkthroughHandlers(wt, term.svc), results };
    },
    dispose() {
      for (const s of stores.splice(0)) s.close();
      for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
    },
  };
}
