// What the palette lists besides fixed actions, read fresh each time it opens: the runbook library,
// recorded sessions, log families and the demo's scenario. A source that fails is named, not hidden.
import { useCallback, useEffect, useState } from 'react';
import type { LogSourceInfo } from '../../../shared/contract/logs';
import type { RunbookSummary } from '../../../shared/contract/runbooks';
import { SCENARIOS, type ScenarioInfo } from '../../../shared/contract/sandbox';
import type { SessionSummary } from '../../../shared/contract/walkthroughs-session';
import { api } from '../transport';
import type { TextHit } from './CommandPalette';

/** Runbook body hits asked of the index per query. */
const TEXT_SEARCH_LIMIT = 12;

export interface PaletteSources {
  runbooks: RunbookSummary[];
  sessions: SessionSummary[];
  logFamilies: LogSourceInfo[];
  scenarios: readonly ScenarioInfo[];
  currentScenario: string | null;
  problems: string[];
}

const EMPTY: PaletteSources = {
  runbooks: [],
  sessions: [],
  logFamilies: [],
  scenarios: [],
  currentScenario: null,
  problems: [],
};

function why(what: string, err: unknown): string {
  return `${what} could not be listed: ${err instanceof Error ? err.message : String(err)}`;
}

/** Loads the palette's lists while `open`; `demo` says whether the attached install is the sandbox. */
export function usePaletteSources(open: boolean, features: readonly string[], demo: boolean): PaletteSources {
  const [src, setSrc] = useState<PaletteSources>(EMPTY);
  const key = features.join(',');
  useEffect(() => {
    if (!open) return;
    let live = true;
    const has = (f: string) => key.split(',').includes(f);
    const problems: string[] = [];
    const take = <T>(what: string, p: Promise<T>, empty: T): Promise<T> =>
      p.catch((err: unknown) => {
        problems.push(why(what, err));
        return empty;
      });
    void Promise.all([
      has('runbooks')
        ? take(
            'Runbooks',
            api.invoke('runbooks:list', {}).then((l) => l.runbooks),
            [],
          )
        : Promise.resolve([]),
      has('walkthroughs') ? take('Sessions', api.invoke('walkthrough:list', {}), []) : Promise.resolve([]),
      has('logs')
        ? take(
            'Log families',
            api.invoke('logs:sources', {}).then((s) => s.families),
            [],
          )
        : Promise.resolve([]),
      demo ? take('Demo scenarios', api.invoke('sandbox:status', {}), null) : Promise.resolve(null),
    ]).then(([runbooks, sessions, logFamilies, sandbox]) => {
      if (!live) return;
      const running = !!sandbox?.running;
      setSrc({
        runbooks,
        sessions,
        logFamilies,
        scenarios: running ? SCENARIOS : [],
        currentScenario: sandbox?.scenario ?? null,
        problems,
      });
    });
    return () => {
      live = false;
    };
  }, [open, key, demo]);
  return src;
}

/** Full-text search of runbook bodies, as palette entry ids ("runbook-<id>"). */
export function useRunbookTextSearch(): (q: string) => Promise<TextHit[]> {
  return useCallback(
    (q: string) =>
      api
        .invoke('runbooks:search', { q, limit: TEXT_SEARCH_LIMIT })
        .then((hits) =>
          hits
            .filter((h) => h.summary.kind === 'runbook')
            .map((h) => ({ entryId: `runbook-${h.id}`, snippet: h.snippet })),
        ),
    [],
  );
}
