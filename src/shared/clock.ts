// The one wall clock the sandbox, the probes and the services ask "what time is it / which day's
// file" so a test can pin time in-process; elapsed times and deadlines keep the real clock.
// Pure (no Node, no DOM): the renderer may read it too.

/** What a pinned clock does after the pin: run on like a real clock (the default) or stand still. */
export type PinMode = 'running' | 'frozen';

interface Pin {
  /** Wall time the clock read when it was pinned. */
  at: number;
  /** Real `Date.now()` at the moment of pinning (for a running pin). */
  realAt: number;
  mode: PinMode;
}

let pin: Pin | null = null;

/** Milliseconds since the epoch, from the pinned clock when one is set, else the system clock. */
export function nowMs(): number {
  if (!pin) return Date.now();
  return pin.mode === 'frozen' ? pin.at : pin.at + (Date.now() - pin.realAt);
}

/** The current wall time as a Date (a fresh object each call). */
export function now(): Date {
  return new Date(nowMs());
}

/**
 * Pin the clock at `at` (a Date, epoch ms, or an ISO string with a zone) for this process and
 * return the function that restores the system clock. Tests only; a second pin replaces the first.
 */
export function pinClock(at: Date | number | string, mode: PinMode = 'running'): () => void {
  const ms = typeof at === 'string' ? parseInstant(at) : typeof at === 'number' ? at : at.getTime();
  if (!Number.isFinite(ms)) throw new Error(`pinClock: ${String(at)} is not a time.`);
  const mine: Pin = { at: ms, realAt: Date.now(), mode };
  pin = mine;
  return () => {
    if (pin === mine) pin = null;
  };
}

/** True while a pin is set (for messages that should say the time is not the machine's). */
export function isPinned(): boolean {
  return pin !== null;
}

/** An ISO 8601 instant with an explicit zone (`Z` or `±hh:mm`); a zone-less string is refused. */
function parseInstant(s: string): number {
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})$/.test(s)) {
    throw new Error(`pinClock: "${s}" is not an ISO instant with a zone (e.g. 2026-12-06T23:59:40Z).`);
  }
  return Date.parse(s);
}
