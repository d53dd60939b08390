// Which walk-through session the operator is in, shared by every panel (the runbook viewer ticks
// checklists into it, the session panel shows it). The main side owns it (finished commands are
// recorded there even with no window open); this store mirrors it for useSyncExternalStore.
import { useSyncExternalStore } from 'react';
import { api } from '../transport';

let currentId: string | null = null;
let loaded = false;
const listeners = new Set<() => void>();

function publish(id: string | null) {
  currentId = id;
  loaded = true;
  for (const l of listeners) l();
}

/** Ask the main side which session is current (on start and after a reconnect). */
export async function loadCurrentSession(): Promise<void> {
  const { id } = await api.invoke('walkthrough:current', {});
  publish(id);
}

export async function setCurrentSession(id: string | null): Promise<void> {
  const r = await api.invoke('walkthrough:focus', { id });
  publish(r.id);
}

export function useCurrentSession(): { id: string | null; loaded: boolean } {
  const id = useSyncExternalStore(
    (l) => {
      listeners.add(l);
      if (!loaded) void loadCurrentSession().catch(() => undefined);
      return () => listeners.delete(l);
    },
    () => currentId,
  );
  return { id, loaded };
}
