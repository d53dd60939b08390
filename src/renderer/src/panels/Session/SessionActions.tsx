// The actions under a session's timeline: export the report (Markdown or JSON) and, while it is
// active, verify an incident, resolve it (an incident through the resolve form) or abandon it.
import type { SessionDetail } from '../../../../shared/contract/walkthroughs-session';
import { api } from '../../transport';
import { endQuestion } from './session-view';
import type { Ask } from './use-session-panel';

export default function SessionActions(p: {
  d: SessionDetail;
  verifying: boolean;
  onVerify: () => void;
  onResolve: () => void;
  onExport: (format: 'markdown' | 'json') => void;
  setAsk: (ask: Ask) => void;
}) {
  const { d } = p;
  const end = (status: 'resolved' | 'abandoned') =>
    p.setAsk({
      ...endQuestion(d.title, status),
      run: () => api.invoke('walkthrough:end', { id: d.id, status }),
    });
  return (
    <div className="row actions">
      <button onClick={() => p.onExport('markdown')}>Export report (Markdown)</button>
      <button onClick={() => p.onExport('json')}>JSON</button>
      {d.status === 'active' && (
        <>
          <span className="spacer" />
          {d.kind === 'incident' && (
            <button disabled={p.verifying} onClick={p.onVerify}>
              {p.verifying ? 'Verifying…' : 'Verify'}
            </button>
          )}
          <button onClick={() => (d.kind === 'incident' ? p.onResolve() : end('resolved'))}>Resolve</button>
          <button className="ghost" onClick={() => end('abandoned')}>
            Abandon
          </button>
        </>
      )}
    </div>
  );
}
