// First-launch card: on the demo install it says what the demo is and how to practise a runbook
// with a fault scenario. Dismissed once, it stays closed (ops.db); the palette's "Welcome" reopens it.
import { useEffect, useState } from 'react';
import type { SandboxStatus } from '../../../shared/contract/sandbox';
import { api, ApiError } from '../transport';
import './palette.css';

interface Props {
  /** The attached install is the demo (sandbox) install. */
  demo: boolean;
  onPickScenario: () => void;
  onDismiss: () => void;
}

export default function WelcomeCard({ demo, onPickScenario, onDismiss }: Props) {
  const [status, setStatus] = useState<SandboxStatus | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => {
    if (!demo) return;
    api
      .invoke('sandbox:status', {})
      .then(setStatus, (e: ApiError) => setError(`The demo's status could not be read: ${e.message}`));
    return api.on('sandbox:changed', setStatus);
  }, [demo]);

  return (
    <section className="welcome-card" role="region" aria-label="Welcome" data-testid="welcome-card">
      <div className="welcome-body">
        {demo ? (
          <>
            <p className="welcome-lead">
              <strong>This is the demo install:</strong> a sandbox Aura
              {status?.url ? (
                <>
                  {' '}
                  at <code>{status.url}</code>
                </>
              ) : null}{' '}
              with the same files, endpoints and logs as a real one; nothing you do here touches a real Aura.
            </p>
            <details>
              <summary>How to practise a runbook</summary>
              <ol aria-label="To practise a runbook">
                <li>
                  Switch a fault scenario (error spike, API down, db locked, …): Install tab, or{' '}
                  <kbd>Ctrl K</kbd> and type <em>scenario</em>.
                </li>
                <li>Health&apos;s triage names the severity and the runbook.</li>
                <li>Walk that runbook; run its steps in the terminal.</li>
                <li>Switch back to Healthy and check the console agrees.</li>
              </ol>
              <p className="dim">
                The console starts this sandbox when it finds no Aura install. <kbd>Ctrl K</kbd> or{' '}
                <kbd>Ctrl Shift P</kbd> finds any runbook, action, log or session, from anywhere, the terminal
                included; “Welcome” there brings this card back.
              </p>
            </details>
          </>
        ) : (
          <>
            <p className="welcome-lead">
              <strong>Practising on the demo:</strong> this window is attached to a real install. The console
              starts a sandbox Aura with fault scenarios when it finds none; to practise beside a real
              install, run <code>aura-ops sandbox run DIR</code> and add DIR in the Install tab.
            </p>
          </>
        )}
        {error && (
          <p className="error" role="alert">
            {error}
          </p>
        )}
      </div>
      <div className="welcome-actions">
        {demo && <button onClick={onPickScenario}>Pick a scenario</button>}
        <button className="ghost" onClick={onDismiss}>
          Dismiss
        </button>
      </div>
    </section>
  );
}
