// Drill controls for the built-in demo install: which fault scenario the sandbox Aura plays, what
// it does, and which runbook it exercises. Switching takes effect for curl, sqlite3 and tail alike.
import { useEffect, useRef, useState } from 'react';
import { SCENARIOS, type SandboxStatus, type ScenarioName } from '../../../../shared/contract/sandbox';
import { demoRequests } from '../../state/ui-bus';
import { api, ApiError } from '../../transport';

export default function DemoControls() {
  const [status, setStatus] = useState<SandboxStatus | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    void api.invoke('sandbox:status', {}).then(setStatus, (e: ApiError) => setError(e.message));
    return api.on('sandbox:changed', setStatus);
  }, []);

  // The palette's "Switch scenario…" brings the picker into view, focused, once it is drawn.
  const picker = useRef<HTMLSelectElement>(null);
  const [wantFocus, setWantFocus] = useState(false);
  useEffect(() => demoRequests.listen(() => setWantFocus(true)), []);
  useEffect(() => {
    if (!wantFocus || !picker.current) return;
    picker.current.scrollIntoView({ block: 'nearest' });
    picker.current.focus();
    setWantFocus(false);
  }, [wantFocus, status]);

  if (!status?.running) return null;
  const current = SCENARIOS.find((s) => s.name === status.scenario);

  const choose = async (name: ScenarioName) => {
    setBusy(true);
    try {
      setStatus(await api.invoke('sandbox:set-scenario', { name }));
      setError(null);
    } catch (err) {
      const e = err as ApiError;
      setError(`${e.message}${e.detail ? ` — ${e.detail}` : ''}`);
    } finally {
      setBusy(false);
    }
  };

  return (
    <section className="demo-controls" aria-label="Demo scenario" data-testid="demo-controls">
      <h3>Practice scenario</h3>
      <p className="dim">
        The demo install is a sandbox Aura at <code>{status.url}</code>. Pick a fault to rehearse; the API,
        aura.db and the logs change as they would on a real install.
      </p>
      <div className="row">
        <select
          ref={picker}
          aria-label="Scenario"
          value={status.scenario ?? 'healthy'}
          disabled={busy}
          onChange={(e) => void choose(e.target.value as ScenarioName)}
        >
          {SCENARIOS.map((s) => (
            <option key={s.name} value={s.name}>
              {s.title} ({s.severity})
            </option>
          ))}
        </select>
        {busy && <span className="dim">Switching…</span>}
      </div>
      {current && (
        <p>
          {current.description} <span className="dim">Runbook: {current.runbook}.</span>
        </p>
      )}
      {error && (
        <p className="error" role="alert">
          {error}
        </p>
      )}
    </section>
  );
}
