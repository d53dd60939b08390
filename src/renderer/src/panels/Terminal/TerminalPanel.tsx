// The terminal panel: tabs of pty sessions (new, rename, close that asks while a process runs,
// restart after exit), an optional side-by-side split, and the answer to run requests from other
// panels: read-only commands go straight to the terminal, mutating ones wait for ConfirmCommand.
// A terminal once shown stays mounted (hidden when not shown), so switching tabs or splitting
// resizes the same xterm, which reflows its own buffer, instead of replaying raw output anew.
import { useCallback, useEffect, useRef, useState } from 'react';
import {
  TERMINAL_FONT_SIZE,
  TERMINAL_SCROLLBACK,
  type TerminalSessionInfo,
  type TerminalSettingsInfo,
} from '../../../../shared/contract/terminal';
import { terminalActions } from '../../state/ui-bus';
import { api } from '../../transport';
import ConfirmCommand from './ConfirmCommand';
import { TERMINAL_RUN_EVENT, type TerminalRunRequest } from './run-request';
import TerminalActions from './TerminalActions';
import TerminalSettingsPopover from './TerminalSettingsPopover';
import {
  closeNeedsConfirm,
  initialActive,
  reconcileTabs,
  runTarget,
  shownPanes,
  splitPlan,
} from './terminal-tabs';
import XtermView, { type XtermHandle } from './XtermView';
import './terminal.css';

/** The active tab survives a reload of this window (sessionStorage is per browser tab). */
const ACTIVE_KEY = 'aura-ops.terminal.active';

function storedActive(): string | null {
  try {
    return sessionStorage.getItem(ACTIVE_KEY);
  } catch {
    return null; // storage disabled: start on the first tab
  }
}

export interface TerminalPanelProps {
  active?: boolean;
}

interface PendingRun {
  req: TerminalRunRequest;
  reasons: string[];
  target: string;
}

export default function TerminalPanel({ active = true }: TerminalPanelProps) {
  const [sessions, setSessions] = useState<TerminalSessionInfo[]>([]);
  const [activeId, setActiveId] = useState<string | null>(null);
  const [splitId, setSplitId] = useState<string | null>(null);
  const [renaming, setRenaming] = useState<string | null>(null);
  const [closing, setClosing] = useState<TerminalSessionInfo | null>(null);
  const [pendingRun, setPendingRun] = useState<PendingRun | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [loaded, setLoaded] = useState(false);
  // Settings live on the main side (ops.db); until they arrive the defaults apply.
  const [settings, setSettings] = useState<TerminalSettingsInfo | null>(null);
  const [settingsOpen, setSettingsOpen] = useState(false);
  /** The pane the operator last typed or clicked in: Find and run requests act on it. */
  const [focusedId, setFocusedId] = useState<string | null>(null);
  /** A terminal to focus as soon as its view is mounted (a new tab, a run request's target). */
  const [focusWanted, setFocusWanted] = useState<string | null>(null);
  /** Sessions whose view has been shown once: kept mounted from then on. */
  const [mounted, setMounted] = useState<ReadonlySet<string>>(() => new Set());
  const fontSize = settings?.settings.fontSize ?? TERMINAL_FONT_SIZE.default;
  const scrollback = settings?.settings.scrollback ?? TERMINAL_SCROLLBACK.default;
  const handles = useRef(new Map<string, XtermHandle>());
  const tabsRef = useRef<HTMLDivElement>(null);
  const sessionsRef = useRef(sessions);
  sessionsRef.current = sessions;
  const activeRef = useRef(activeId);
  activeRef.current = activeId;

  const report = useCallback(
    (err: unknown) => setNotice(err instanceof Error ? err.message : String(err)),
    [],
  );

  const create = useCallback(async () => {
    try {
      // The main side picks the shell: the saved setting, else its default.
      const info = await api.invoke('terminal:create', {});
      setSessions((prev) => (prev.some((s) => s.id === info.id) ? prev : [...prev, info]));
      setActiveId(info.id);
      return info;
    } catch (err) {
      report(err);
      return null;
    }
  }, [report]);

  useEffect(() => {
    const off = api.on('terminal:settings-changed', setSettings);
    api
      .invoke('terminal:settings', {})
      .then(setSettings)
      .catch((err: unknown) => report(new Error(`Terminal settings: ${(err as Error).message}`)));
    return off;
  }, [report]);

  // Sessions live in the main process: after a reload we attach to what is there.
  useEffect(() => {
    let alive = true;
    const off = api.on('terminal:sessions', ({ sessions: list }) => setSessions(list));
    api
      .invoke('terminal:list', {})
      .then(({ sessions: list }) => {
        if (!alive) return;
        setSessions(list);
        const remembered = storedActive();
        setActiveId((cur) => initialActive(cur, list, remembered));
        setLoaded(true);
      })
      .catch((err) => {
        report(err);
        setLoaded(true);
      });
    return () => {
      alive = false;
      off();
    };
  }, [report]);

  // A visible panel always has a terminal to type into.
  useEffect(() => {
    if (active && loaded && sessions.length === 0) void create();
  }, [active, loaded, sessions.length, create]);

  useEffect(() => {
    if (!activeId) return;
    try {
      sessionStorage.setItem(ACTIVE_KEY, activeId);
    } catch {
      // storage disabled: a reload starts on the first tab, nothing else is lost
    }
  }, [activeId]);

  useEffect(() => {
    const next = reconcileTabs(sessions, activeId, splitId);
    if (next.activeId !== activeId) setActiveId(next.activeId);
    if (next.splitId !== splitId) setSplitId(next.splitId);
  }, [sessions, activeId, splitId]);

  // --- run requests from other panels
  const send = useCallback(
    async (req: TerminalRunRequest, mode: 'run' | 'paste', confirmed: boolean) => {
      try {
        let target: string;
        if (req.step) {
          const { check, ...step } = req.step;
          const r = await api.invoke('walkthrough:run-step', {
            step,
            mode: mode === 'paste' ? 'paste' : check ? 'run-check' : 'run',
            confirmed,
            ...(req.sessionId ? { terminalId: req.sessionId } : {}),
          });
          target = r.terminalId;
        } else {
          const r = await api.invoke('terminal:run', {
            command: req.command,
            mode,
            confirmed,
            sessionId: req.sessionId,
          });
          target = r.sessionId;
        }
        setActiveId(target);
        setFocusWanted(target);
      } catch (err) {
        report(err);
      }
    },
    [report],
  );

  useEffect(() => {
    const onRun = (ev: Event) => {
      const req = (ev as CustomEvent<TerminalRunRequest | null>).detail;
      const to = runTarget(req, sessionsRef.current, activeRef.current);
      if (!req || !to.valid) return;
      const target = to.target;
      const routed: TerminalRunRequest = { ...req, sessionId: target?.id };
      api
        .invoke('terminal:classify', { command: req.command })
        .then((c) => {
          if (c.risk === 'read-only') void send(routed, req.mode ?? 'run', false);
          else
            setPendingRun({
              req: routed,
              reasons: c.reasons,
              target: target ? `"${target.title}"` : 'a new terminal',
            });
        })
        .catch(report);
    };
    window.addEventListener(TERMINAL_RUN_EVENT, onRun);
    return () => window.removeEventListener(TERMINAL_RUN_EVENT, onRun);
  }, [send, report]);

  // --- tab actions
  const close = async (s: TerminalSessionInfo, force = false) => {
    if (closeNeedsConfirm(s, force)) {
      setClosing(s);
      return;
    }
    setClosing(null);
    try {
      await api.invoke('terminal:kill', { sessionId: s.id, remove: true });
      setSessions((prev) => prev.filter((x) => x.id !== s.id));
    } catch (err) {
      report(err);
    }
  };

  const restart = async (s: TerminalSessionInfo) => {
    try {
      await api.invoke('terminal:create', { restartId: s.id });
    } catch (err) {
      report(err);
    }
  };

  const rename = async (s: TerminalSessionInfo, title: string) => {
    setRenaming(null);
    const t = title.trim();
    if (!t || t === s.title) return;
    try {
      await api.invoke('terminal:rename', { sessionId: s.id, title: t });
    } catch (err) {
      report(err);
    }
  };

  const toggleSplit = async () => {
    const plan = splitPlan(sessions, activeId, splitId);
    if ('unsplit' in plan) setSplitId(null);
    else if ('show' in plan) setSplitId(plan.show);
    else {
      const cur = activeId;
      const info = await create();
      if (info) {
        setSplitId(info.id);
        setActiveId(cur);
      }
    }
  };

  // Palette actions: the latest create/split (they read current state); a new tab takes focus as
  // one made with "+" does.
  const paletteRef = useRef({ create, toggleSplit });
  paletteRef.current = { create, toggleSplit };
  useEffect(
    () =>
      terminalActions.listen((a) => {
        if (a === 'split') void paletteRef.current.toggleSplit();
        else void paletteRef.current.create().then((info) => info && setFocusWanted(info.id));
      }),
    [],
  );

  const {
    active: activeSession,
    split: splitSession,
    shownIds,
    targetId,
  } = shownPanes(sessions, activeId, splitId, focusedId);
  const shownKey = shownIds.join(' ');

  useEffect(() => {
    setMounted((prev) => (shownIds.every((id) => prev.has(id)) ? prev : new Set([...prev, ...shownIds])));
    // shownKey stands for shownIds
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [shownKey]);

  // A focus asked for before the view existed lands once it is mounted and shown.
  useEffect(() => {
    if (!focusWanted || !shownIds.includes(focusWanted)) return;
    const h = handles.current.get(focusWanted);
    if (!h) return;
    h.focus();
    setFocusedId(focusWanted);
    setFocusWanted(null);
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [focusWanted, shownKey, mounted]);

  // The active tab stays in view in a strip that scrolls, also when the strip narrows. Only the
  // strip scrolls (scrollIntoView would scroll the clipped areas around it too).
  useEffect(() => {
    const strip = tabsRef.current;
    if (!strip) return;
    const reveal = () => {
      const tab = strip.querySelector<HTMLElement>('[role="tab"][aria-selected="true"]');
      if (!tab) return;
      const s = strip.getBoundingClientRect();
      const t = tab.getBoundingClientRect();
      if (t.left < s.left) strip.scrollLeft -= s.left - t.left;
      else if (t.right > s.right) strip.scrollLeft += Math.min(t.right - s.right, t.left - s.left);
    };
    reveal();
    const ro = new ResizeObserver(reveal);
    ro.observe(strip);
    return () => ro.disconnect();
  }, [activeId, sessions.length]);

  const newTab = async () => {
    const info = await create();
    if (info) setFocusWanted(info.id);
  };
  const openFind = () => {
    if (targetId) handles.current.get(targetId)?.openSearch();
  };
  const selectTab = (s: TerminalSessionInfo) => {
    // The tab already shown on the right is focused there rather than moved.
    if (s.id !== splitSession?.id) setActiveId(s.id);
    setFocusWanted(s.id);
  };

  const pane = (s: TerminalSessionInfo) => (
    <div
      className={`term-pane${s.id === activeSession?.id ? ' main' : ''}${s.id === targetId ? ' focused' : ''}`}
      key={s.id}
      data-testid={shownIds.includes(s.id) ? 'terminal-pane' : 'terminal-pane-hidden'}
      data-session-id={s.id}
      hidden={!shownIds.includes(s.id)}
    >
      <XtermView
        sessionId={s.id}
        fontSize={fontSize}
        scrollback={scrollback}
        handleRef={(h: XtermHandle | null) => {
          if (h) handles.current.set(s.id, h);
          else handles.current.delete(s.id);
        }}
        onFocus={() => setFocusedId(s.id)}
        onNotice={setNotice}
      />
      {s.status === 'exited' && (
        <div className="term-exited" role="status">
          <span>
            The shell{' '}
            {s.signal ? `was stopped (signal ${s.signal})` : `exited with code ${s.exitCode ?? '?'}`}.
          </span>
          <button type="button" onClick={() => void restart(s)}>
            Restart
          </button>
          <button type="button" className="ghost" onClick={() => void close(s, true)}>
            Close
          </button>
        </div>
      )}
    </div>
  );

  return (
    <div className="term-panel">
      <div className="term-bar">
        <div className="term-tabs" role="tablist" aria-label="Terminals" ref={tabsRef}>
          {sessions.map((s) => (
            <div
              key={s.id}
              role="tab"
              aria-selected={s.id === activeId}
              className={`term-tab${s.id === activeId ? ' active' : ''}${s.status === 'exited' ? ' exited' : ''}`}
              onClick={() => selectTab(s)}
              onDoubleClick={() => setRenaming(s.id)}
              title={`${s.shell} in ${s.lastCwd ?? s.cwd}${s.currentCommand ? `\nRunning: ${s.currentCommand}` : ''}`}
            >
              {s.busy && <span className="term-busy" aria-label="running" />}
              {renaming === s.id ? (
                <input
                  autoFocus
                  defaultValue={s.title}
                  aria-label="Terminal name"
                  maxLength={80}
                  onBlur={(e) => void rename(s, e.target.value)}
                  onKeyDown={(e) => {
                    if (e.key === 'Enter') void rename(s, e.currentTarget.value);
                    if (e.key === 'Escape') setRenaming(null);
                  }}
                />
              ) : (
                <span className="term-title">{s.title}</span>
              )}
              <button
                type="button"
                className="ghost term-close"
                aria-label={`Close ${s.title}`}
                onClick={(e) => {
                  e.stopPropagation();
                  void close(s);
                }}
              >
                ×
              </button>
            </div>
          ))}
        </div>
        <button
          type="button"
          className="ghost term-new"
          onClick={() => void newTab()}
          aria-label="New terminal"
          title="New terminal"
        >
          +
        </button>
        <span className="spacer" />
        <TerminalActions
          split={!!splitId}
          onSplit={() => void toggleSplit()}
          onFind={openFind}
          settingsReady={!!settings}
          settingsOpen={settingsOpen}
          onSettings={setSettingsOpen}
        />
        {settingsOpen && settings && (
          <TerminalSettingsPopover info={settings} onClose={() => setSettingsOpen(false)} />
        )}
      </div>
      {notice && (
        <div className="term-notice" role="alert">
          <span>{notice}</span>
          <button type="button" className="ghost" onClick={() => setNotice(null)} aria-label="Dismiss">
            ×
          </button>
        </div>
      )}
      <div className="term-panes">
        {/* Shown panes first, left to right; the others stay mounted, hidden, in tab order. One
            keyed list, so a pane moving between shown and hidden is moved, never remounted. */}
        {[
          ...(activeSession ? [activeSession] : []),
          ...(splitSession ? [splitSession] : []),
          ...sessions.filter((s) => mounted.has(s.id) && !shownIds.includes(s.id)),
        ].map(pane)}
        {!activeSession && loaded && <div className="term-empty dim">No terminal. Press + to open one.</div>}
      </div>
      {closing && (
        <div className="term-modal-backdrop">
          <div className="term-modal" role="dialog" aria-modal="true" aria-labelledby="term-close-title">
            <h3 id="term-close-title">Close “{closing.title}”?</h3>
            <p>
              A process is still running{closing.currentCommand ? ':' : '.'}
              {closing.currentCommand && (
                <code className="term-confirm-inline">{closing.currentCommand}</code>
              )}
            </p>
            <p className="dim">Closing stops it (SIGHUP, then SIGKILL after 2 s).</p>
            <div className="term-modal-actions">
              <button type="button" autoFocus onClick={() => setClosing(null)}>
                Keep it
              </button>
              <button type="button" className="danger" onClick={() => void close(closing, true)}>
                Close and stop it
              </button>
            </div>
          </div>
        </div>
      )}
      {pendingRun && (
        <ConfirmCommand
          command={pendingRun.req.command}
          reasons={pendingRun.reasons}
          target={pendingRun.target}
          onCancel={() => {
            const p = pendingRun;
            setPendingRun(null);
            // A declined step is on the record as declined, never as run.
            if (p.req.step) {
              const { check: _check, ...step } = p.req.step;
              void api.invoke('walkthrough:step-not-run', { step, outcome: 'declined' }).catch(report);
            }
          }}
          onPaste={() => {
            const p = pendingRun;
            setPendingRun(null);
            void send(p.req, 'paste', true);
          }}
          onRun={() => {
            const p = pendingRun;
            setPendingRun(null);
            void send(p.req, 'run', true);
          }}
        />
      )}
    </div>
  );
}
