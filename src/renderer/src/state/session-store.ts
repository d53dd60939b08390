// Which walk-through session records, shared by every panel (the header shows it, the runbook
// viewer ticks checklists into it, the session panel offers to switch it). Main owns it (finished
// commands are recorded there even with no window open); this store mirrors it and follows the
// walkthrough:recording event, so a switch made anywhere shows everywhere.
import { useSyncExternalStore } from 'react';
import { api } from '../transport';

let currentId: string | null = null;
let loaded = false;
let subscribed = false;
const listeners = new Set<() => void>();

function publish(id: string | null) {
  currentId = id;
  loaded = true;
  for (const l of listeners) l();
}

/** Ask the main side which session records (on start and after a reconnect). */
export async function loadCurrentSession(): Promise<void> {
  const { id } = await api.invoke('walkthrough:current', {});
  publish(id);
}

/** The session recording now as this window knows it (what a switch must name as `from`). */
export function recordingId(): string | null {
  return currentId;
}

/**
 * Move recording to `id` (or stop it). Main refuses when recording changed since this window last
 * saw it, so nothing switches over what the operator is looking at.
 */
export async function setRecording(id: string | null): Promise<void> {
  try {
    const r = await api.invoke('walkthrough:focus', { id, from: currentId });
    publish(r.id);
  } catch (err) {
    await loadCurrentSession().catch(() => undefined);
    throw err;
  }
}

export function useCurrentSession(): { id: string | null; loaded: boolean } {
  const id = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      if (!subscribed) {
        subscribed = true;
        api.on('walkthrough:recording', (e) => publish(e.id));
      }
      if (!loaded) void loadCurrentSession().catch(() => undefined);
      return () => listeners.delete(l);
    },
    () => currentId,
  );
  return { id, loaded };
}
