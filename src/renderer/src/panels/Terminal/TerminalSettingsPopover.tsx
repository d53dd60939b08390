// The terminal settings popover: shell for new terminals, font size and scrollback, saved through
// terminal:settings (the main side checks the shell exists and keeps the settings in ops.db).
import { useEffect, useRef, useState, type FormEvent } from 'react';
import {
  TERMINAL_FONT_SIZE,
  TERMINAL_SCROLLBACK,
  type TerminalSettingsInfo,
} from '../../../../shared/contract/terminal';
import { api } from '../../transport';
import './terminal.css';

export interface TerminalSettingsPopoverProps {
  info: TerminalSettingsInfo;
  onClose(): void;
}

export default function TerminalSettingsPopover({ info, onClose }: TerminalSettingsPopoverProps) {
  const [shell, setShell] = useState(info.settings.shell ?? '');
  const [fontSize, setFontSize] = useState(String(info.settings.fontSize));
  const [scrollback, setScrollback] = useState(String(info.settings.scrollback));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const firstRef = useRef<HTMLInputElement>(null);

  useEffect(() => {
    firstRef.current?.focus();
    const onKey = (e: KeyboardEvent) => {
      if (e.key === 'Escape') onClose();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [onClose]);

  const save = async (e: FormEvent) => {
    e.preventDefault();
    const fs = Number(fontSize);
    const sb = Number(scrollback);
    if (!Number.isInteger(fs) || fs < TERMINAL_FONT_SIZE.min || fs > TERMINAL_FONT_SIZE.max) {
      setError(
        `Font size must be a whole number from ${TERMINAL_FONT_SIZE.min} to ${TERMINAL_FONT_SIZE.max}.`,
      );
      return;
    }
    if (!Number.isInteger(sb) || sb < TERMINAL_SCROLLBACK.min || sb > TERMINAL_SCROLLBACK.max) {
      setError(
        `Scrollback must be a whole number of lines from ${TERMINAL_SCROLLBACK.min} to ${TERMINAL_SCROLLBACK.max}.`,
      );
      return;
    }
    setSaving(true);
    try {
      await api.invoke('terminal:settings', {
        set: { shell: shell.trim() ? shell.trim() : null, fontSize: fs, scrollback: sb },
      });
      onClose();
    } catch (err) {
      setError(err instanceof Error ? err.message : String(err));
    } finally {
      setSaving(false);
    }
  };

  return (
    <form
      className="term-settings"
      role="dialog"
      aria-label="Terminal settings"
      data-testid="terminal-settings"
      noValidate
      onSubmit={(e) => void save(e)}
    >
      <label>
        <span>Shell for new terminals</span>
        <input
          ref={firstRef}
          value={shell}
          placeholder={`${info.defaultShell} (default)`}
          aria-label="Shell"
          spellCheck={false}
          onChange={(e) => setShell(e.target.value)}
        />
      </label>
      <div className="term-settings-row">
        <label>
          <span>Font size</span>
          <input
            type="number"
            aria-label="Font size"
            min={TERMINAL_FONT_SIZE.min}
            max={TERMINAL_FONT_SIZE.max}
            value={fontSize}
            onChange={(e) => setFontSize(e.target.value)}
          />
        </label>
        <label>
          <span>Scrollback lines</span>
          <input
            type="number"
            aria-label="Scrollback lines"
            min={TERMINAL_SCROLLBACK.min}
            max={TERMINAL_SCROLLBACK.max}
            step={1000}
            value={scrollback}
            onChange={(e) => setScrollback(e.target.value)}
          />
        </label>
      </div>
      <p className="dim term-settings-hint">
        A new shell applies to terminals opened from now on; font and scrollback apply at once.
      </p>
      {error && (
        <p className="term-settings-error" role="alert">
          {error}
        </p>
      )}
      <div className="term-modal-actions">
        <button type="button" className="ghost" onClick={onClose}>
          Cancel
        </button>
        <button type="submit" disabled={saving}>
          Save
        </button>
      </div>
    </form>
  );
}
