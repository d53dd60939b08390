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
