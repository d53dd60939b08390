// Confirmation for a command that may change things: shows the exact text that will be sent and
// why it counts as mutating, then lets the operator paste it (no Enter), run it, or cancel.
// Control characters are shown escaped (^O, \r): a terminal acts on them but would not show them.
import { useEffect, useRef } from 'react';
import { escapeHiddenChars, hasHiddenChars } from '../../../../shared/command-risk';
import './terminal.css';

/** Said when the command holds control characters. */
const HIDDEN_NOTE =
  'It holds control characters, shown here as ^X, \\r or \\u{...}. The terminal acts on them: ^O and \\r end a line, so what follows runs as a command of its own.';

export interface ConfirmCommandProps {
  command: string;
  /** Why the classifier marked it mutating (from terminal:classify). */
  reasons: string[];
  /** Where it will go, e.g. "Terminal 2" or "a new terminal". */
  target?: string;
  onPaste(): void;
  onRun(): void;
  onCancel(): void;
}

export function ConfirmCommand({ command, reasons, target, onPaste, onRun, onCancel }: ConfirmCommandProps) {
  const cancelRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    // Cancel has focus, so an Enter pressed by habit sends nothing.
    cancelRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') {
        e.preventDefault();
        onCancel();
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onCancel]);

  return (
    <div className="term-modal-backdrop" onMouseDown={(e) => e.target === e.currentTarget && onCancel()}>
      <div
        className="term-modal"
        role="dialog"
        aria-modal="true"
        aria-labelledby="confirm-command-title"
        data-testid="confirm-command"
      >
        <h3 id="confirm-command-title">This command can change things</h3>
        <p className="dim">
          It will be sent to {target ?? 'the terminal'} exactly as shown. Paste puts it on the prompt without
          running it.
        </p>
        <pre className="term-confirm-text" data-testid="confirm-command-text">
          {escapeHiddenChars(command)}
        </pre>
        {hasHiddenChars(command) && (
          <p className="term-confirm-warning" data-testid="confirm-command-hidden">
            {HIDDEN_NOTE}
          </p>
        )}
        {reasons.length > 0 && (
          <ul className="term-confirm-reasons">
            {reasons.map((r) => (
              <li key={r}>{r}</li>
            ))}
          </ul>
        )}
        <div className="term-modal-actions">
          <button type="button" ref={cancelRef} onClick={onCancel}>
            Cancel
          </button>
          <button
            type="button"
            onClick={onPaste}
            title="Put the command on the prompt without pressing Enter"
          >
            Paste
          </button>
          <button type="button" className="danger" onClick={onRun}>
            Run
          </button>
        </div>
      </div>
    </div>
  );
}

export default ConfirmCommand;
