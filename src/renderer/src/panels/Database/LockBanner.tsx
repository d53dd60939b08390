// The Database tab's lock line: who holds a write lock on aura.db, since when, and what that means
// for Aura. Polled while the tab is shown (db:lock reads the kernel's lock table, no SQLite open).
import { useEffect, useState } from 'react';
import type { DbLockState } from '../../../../shared/contract/database';
import { api, ApiError } from '../../transport';
import './lock-banner.css';

/** How often the lock is looked at while the tab is shown: a stuck writer shows within seconds. */
const LOCK_POLL_MS = 3_000;
/** How often "N s ago" is redrawn while a lock is shown. */
const AGO_TICK_MS = 1_000;

function clockTime(ms: number): string {
  const d = new Date(ms);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}

/**
 * `seed` is the lock state that came with the last overview (shown at once); the banner then polls.
 * Nothing is shown while no writer holds a lock.
 */
export default function LockBanner({ active, seed }: { active: boolean; seed: DbLockState | null }) {
  const [lock, setLock] = useState<DbLockState | null>(seed);
  const [error, setError] = useState<string | null>(null);
  const [now, setNow] = useState(() => Date.now());

  useEffect(() => {
    if (seed) setLock(seed);
  }, [seed]);

  useEffect(() => {
    if (!active) return;
    let stopped = false;
    const poll = async () => {
      try {
        const l = await api.invoke('db:lock', {});
        if (!stopped) {
          setLock(l);
          setError(null);
        }
      } catch (e) {
        // No install, or aura.db unreadable: the panel's own error box says why; say it here too.
        if (!stopped) setError(e instanceof ApiError ? e.message : String(e));
      }
    };
    void poll();
    const t = setInterval(() => void poll(), LOCK_POLL_MS);
    return () => {
      stopped = true;
      clearInterval(t);
    };
  }, [active]);

  const locked = lock?.state === 'locked';
  useEffect(() => {
    if (!locked) return;
    const t = setInterval(() => setNow(Date.now()), AGO_TICK_MS);
    return () => clearInterval(t);
  }, [locked]);

  if (error && !lock) return <div className="db-lock-line db-dim">Lock state unknown: {error}</div>;
  if (!lock || lock.state !== 'locked') return null;
  return (
    <div className="db-lock" role="alert" data-testid="db-lock">
      <div className="db-lock-title">
        <span className="db-lock-badge">LOCKED</span>
        <span>{lock.summary}</span>
      </div>
      {lock.since !== null && (
        <div className="db-lock-since">
          Since {clockTime(lock.since)} at least ({ago(now - lock.since)} ago; first seen by the console).
        </div>
      )}
      {lock.impact && <div className="db-lock-impact">{lock.impact}</div>}
      <div className="db-lock-check">
        Check it yourself: <code>{lock.howToCheck}</code>. The inspector only reads: it never takes a write
        lock.
      </div>
    </div>
  );
}
