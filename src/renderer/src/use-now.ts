// The current time for text that counts on screen ("12 s ago", an escalation clock), redrawn each
// second while `on`; read once more when it turns on, so it never shows a stale time.
import { useEffect, useState } from 'react';

/** How often the time is redrawn: what it feeds is written in whole seconds. */
const TICK_MS = 1000;

export function useNow(on: boolean): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    if (!on) return;
    setNow(Date.now());
    const t = setInterval(() => setNow(Date.now()), TICK_MS);
    return () => clearInterval(t);
  }, [on]);
  return now;
}
