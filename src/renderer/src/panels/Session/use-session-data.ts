// What the session panel reads: the recorded sessions, the one shown (the recording one unless the
// operator opened another; kept while the panel is hidden behind another tab) with its detail kept
// current by walkthrough:changed, the latest triage (for "Start from the triage") and a clock that
// ticks while the shown session is active. Browsing never changes which session records.
import { useCallback, useEffect, useState } from 'react';
import type { SweepResult } from '../../../../shared/contract/probes';
import type { SessionDetail, SessionSummary } from '../../../../shared/contract/walkthroughs-session';
import { useCurrentSession } from '../../state/session-store';
import { api, ApiError } from '../../transport';
import { useNow } from '../../use-now';

/**
 * The session shown, kept while the panel is hidden behind another tab (undefined: follow the
 * recording one). Browsing never changes which session records.
 */
let keptViewId: string | null | undefined;

export interface SessionData {
  /** The session recording now, or null. */
  recording: string | null;
  sessions: SessionSummary[];
  /** The session shown; null: the list. */
  detail: SessionDetail | null;
  /** Show a session (null: the list; undefined: follow the recording one). */
  setViewId: (id: string | null | undefined) => void;
  triage: SweepResult | null;
  now: number;
  error: string | null;
  setError: (error: string | null) => void;
  /** Shows a failed call's message (and its detail) under the panel. */
  fail: (err: unknown) => void;
}

export function useSessionData(): SessionData {
  const { id: recording } = useCurrentSession();
  const [sessions, setSessions] = useState<SessionSummary[]>([]);
  const [viewId, setViewIdState] = useState<string | null | undefined>(keptViewId);
  const setViewId = (id: string | null | undefined) => {
    keptViewId = id;
    setViewIdState(id);
  };
  const [detail, setDetail] = useState<SessionDetail | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [triage, setTriage] = useState<SweepResult | null>(null);
  const shownId = viewId === undefined ? recording : viewId;
  const now = useNow(detail?.status === 'active');

  const fail = (err: unknown) => {
    const e = err as ApiError;
    setError(`${e.message}${e.detail ? ` — ${e.detail}` : ''}`);
  };

  const refresh = useCallback(async () => {
    try {
      setSessions(await api.invoke('walkthrough:list', {}));
      setDetail(shownId ? await api.invoke('walkthrough:get', { id: shownId }) : null);
      setError(null);
    } catch (err) {
      if (err instanceof ApiError && err.code === 'not-found') {
        keptViewId = null;
        setViewIdState(null);
      } else fail(err);
    }
  }, [shownId]);

  useEffect(() => {
    void refresh();
    return api.on('walkthrough:changed', () => void refresh());
  }, [refresh]);

  // The latest triage, for "Start from the triage".
  useEffect(() => {
    void api.invoke('probes:latest', {}).then(setTriage, () => setTriage(null));
    return api.on('probes:update', setTriage);
  }, []);

  return { recording, sessions, detail, setViewId, triage, now, error, setError, fail };
}
