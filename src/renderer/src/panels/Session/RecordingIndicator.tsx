// The header's "Recording: <session>" indicator: which session records is always on screen, and a
// click opens it in the Session panel. Nothing here changes recording.
import { useEffect, useState } from 'react';
import { useCurrentSession } from '../../state/session-store';
import { api } from '../../transport';

export default function RecordingIndicator({ onOpen }: { onOpen: () => void }) {
  const { id } = useCurrentSession();
  const [title, setTitle] = useState<string | null>(null);

  useEffect(() => {
    if (!id) return setTitle(null);
    let live = true;
    const load = () =>
      api.invoke('walkthrough:get', { id }).then(
        (d) => live && setTitle(d.title),
        () => live && setTitle(null),
      );
    void load();
    const off = api.on('walkthrough:changed', (s) => {
      if (s.id === id) setTitle(s.title);
    });
    return () => {
      live = false;
      off();
    };
  }, [id]);

  return (
    <button
      className={`recording-indicator ghost${id ? ' on' : ''}`}
      data-testid="recording-indicator"
      title={
        id
          ? 'Steps, commands, ticks and notes go into this session. Open it.'
          : 'No session records. Open the Session panel to start one.'
      }
      onClick={onOpen}
    >
      {id ? (
        <>
          <span className="dot" aria-hidden="true">
            ●
          </span>{' '}
          Recording: {title ?? '…'}
        </>
      ) : (
        'Not recording'
      )}
    </button>
  );
}
