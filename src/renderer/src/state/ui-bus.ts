// Requests one panel makes of another (open this runbook, run this command in the terminal). A
// request made while the target panel is not mounted (its column folded away) waits for it.
type Listener<T> = (value: T) => void;

function channel<T>() {
  let pending: T | null = null;
  const listeners = new Set<Listener<T>>();
  return {
    request(value: T) {
      if (listeners.size === 0) pending = value;
      else for (const l of listeners) l(value);
    },
    /** Subscribe; a request that arrived while nobody listened is delivered at once. */
    listen(l: Listener<T>): () => void {
      listeners.add(l);
      if (pending !== null) {
        const v = pending;
        pending = null;
        l(v);
      }
      return () => listeners.delete(l);
    },
  };
}

/** Open a runbook by its title (as triage names it) or by its library id. */
export const openRunbookRequests = channel<{ title?: string; id?: string }>();

/** Palette actions the terminal panel carries out: open a new tab, split or unsplit. */
export const terminalActions = channel<'new' | 'split'>();

/** Palette actions for the Session panel: open a recorded session, start an incident, export the report. */
export type SessionRequest = { open: string } | { startIncident: true } | { exportReport: true };
export const sessionRequests = channel<SessionRequest>();

/** Palette actions for the Database panel's Health tab: make a backup or run the integrity check. */
export const databaseRequests = channel<'backup' | 'integrity'>();

/** Open (or show, when it is open) the pane of one log family. */
export const logRequests = channel<{ family: string }>();

/** Bring the demo's scenario picker into view and focus it. */
export const demoRequests = channel<'pick-scenario'>();
