// The log pane's header control for following: "Live" with Pause, or why the view is not live
// (paused with a new-record count, scrolled away, a search or time jump) with Jump to live.
import type { ReactElement } from 'react';

/**
 * Whether the pane shows the live end: "Live" with Pause, or why not (paused, scrolled away, a
 * search or time jump) with the one click back. Every way of leaving follow ends up shown here.
 */
export default function FollowState(p: {
  bundleAsOf: string | null;
  follow: boolean;
  paused: boolean;
  newCount: number;
  onPause: () => void;
  onLive: () => void;
}): ReactElement {
  const live = p.follow && !p.paused;
  if (p.bundleAsOf !== null) {
    // A bundle's logs end where the customer's machine was when it was made: there is no live end.
    const text = `Bundle · as of ${p.bundleAsOf.replace('T', ' ').slice(0, 19)} UTC · no follow`;
    return (
      <span className="logs-follow away bundle" data-testid="follow-state">
        <span
          className="logs-follow-text"
          role="status"
          title={`${text}: an opened support bundle, whose log files do not grow`}
        >
          {text}
        </span>
      </span>
    );
  }
  return (
    <span className={`logs-follow${live ? ' live' : ' away'}`} data-testid="follow-state">
      <span className="logs-follow-text" role="status">
        {live ? '● Live' : p.paused ? `Paused${p.newCount ? ` · ${p.newCount} new` : ''}` : 'Not following'}
      </span>
      {live ? (
        <button onClick={p.onPause} title="Stop the view; new records are counted">
          Pause
        </button>
      ) : (
        <button className="primary" onClick={p.onLive} title="Follow the newest records again">
          Jump to live
        </button>
      )}
    </span>
  );
}
