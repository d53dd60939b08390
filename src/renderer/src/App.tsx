// The console shell: a header naming the attached install, and the panels of the features this
// build wires (runbooks on the left, terminal over logs in the middle, install/health/database on
// the side). Areas with no panel are not drawn. Resizable, themeable, keyboard reachable (Ctrl+K).
import { useCallback, useEffect, useMemo, useRef, useState, type ReactNode } from 'react';
import type { AppInfo, UiSettings } from '../../shared/contract/app';
import type { ScenarioName } from '../../shared/contract/sandbox';
import type { InstallList } from '../../shared/contract/install';
import CommandPalette from './components/CommandPalette';
import { paletteEntries, type PaletteEntry } from './components/palette-entries';
import { usePaletteSources, useRunbookTextSearch } from './components/palette-data';
import WelcomeCard from './components/WelcomeCard';
import Splitter from './components/Splitter';
import InstallPanel from './panels/Install/InstallPanel';
import SessionPanel from './panels/Session/SessionPanel';
import RecordingIndicator from './panels/Session/RecordingIndicator';
import DatabasePanel from './panels/Database/DatabasePanel';
import RunbookWorkbench from './panels/Runbooks/RunbookWorkbench';
import TerminalPanel from './panels/Terminal/TerminalPanel';
import { requestTerminalRun } from './panels/Terminal/run-request';
import LogsPanel from './panels/Logs/LogsPanel';
import HealthPanel from './panels/Health/HealthPanel';
import { attachableInstalls } from './state/installs';
import {
  databaseRequests,
  demoRequests,
  logRequests,
  openRunbookRequests,
  sessionRequests,
  terminalActions,
} from './state/ui-bus';
import { api, type ConnectionState } from './transport';

type Area = 'left' | 'main' | 'bottom' | 'side';

interface PanelDef {
  id: string;
  title: string;
  area: Area;
  feature: string;
  render: () => ReactNode;
}

export default function App() {
  const [info, setInfo] = useState<AppInfo | null>(null);
  const [ui, setUi] = useState<UiSettings | null>(null);
  const [dragLayout, setDragLayout] = useState<Partial<UiSettings['layout']>>({});
  const [installs, setInstalls] = useState<InstallList | null>(null);
  const [conn, setConn] = useState<ConnectionState>('connecting');
  const [paletteOpen, setPaletteOpen] = useState(false);
  /** Where focus was when the palette opened (the terminal, say): it goes back there on close. */
  const focusBeforePalette = useRef<HTMLElement | null>(null);
  const [paletteError, setPaletteError] = useState<string | null>(null);
  const [welcomeOpen, setWelcomeOpen] = useState(false);
  const [sideTab, setSideTab] = useState('health');
  const [fatal, setFatal] = useState<string | null>(null);
  /** Columns the operator folded away to give the terminal and logs room (Ctrl+B, Ctrl+J). */
  const [hidden, setHidden] = useState<{ left: boolean; side: boolean }>({ left: false, side: false });

  const load = useCallback(async () => {
    try {
      const [i, u, l] = await Promise.all([
        api.invoke('app:info', {}),
        api.invoke('app:get-ui-settings', {}),
        api.invoke('install:list', {}),
      ]);
      setInfo(i);
      setUi(u);
      setInstalls(l);
      if (!l.selectedId) setSideTab('install');
      setFatal(null);
    } catch (err) {
      setFatal((err as Error).message);
    }
  }, []);

  useEffect(() => {
    void load();
    const offConn = api.onConnection((s) => {
      setConn(s);
      if (s === 'open') void load();
    });
    const offInstall = api.on('install:changed', setInstalls);
    return () => {
      offConn();
      offInstall();
    };
  }, [load]);

  useEffect(() => {
    document.documentElement.dataset.theme = ui?.theme ?? 'dark';
  }, [ui?.theme]);

  const paletteOpenRef = useRef(false);
  const closePalette = useCallback(() => {
    paletteOpenRef.current = false;
    setPaletteOpen(false);
    const back = focusBeforePalette.current;
    focusBeforePalette.current = null;
    if (back?.isConnected) back.focus();
  }, []);

  // The palette keys are taken in the capture phase, before the terminal's textarea (xterm would
  // send Ctrl+K to the shell and stop the event) or any other element sees them.
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (!isPaletteKey(e)) return;
      e.preventDefault();
      e.stopPropagation();
      if (e.repeat) return;
      if (paletteOpenRef.current) return closePalette();
      focusBeforePalette.current =
        document.activeElement instanceof HTMLElement ? document.activeElement : null;
      paletteOpenRef.current = true;
      setPaletteOpen(true);
    };
    window.addEventListener('keydown', onKey, { capture: true });
    return () => window.removeEventListener('keydown', onKey, { capture: true });
  }, [closePalette]);

  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'b') {
        e.preventDefault();
        setHidden((h) => ({ ...h, left: !h.left }));
      } else if ((e.ctrlKey || e.metaKey) && !e.shiftKey && e.key.toLowerCase() === 'j') {
        e.preventDefault();
        setHidden((h) => ({ ...h, side: !h.side }));
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  const saveUi = useCallback(async (patch: Partial<UiSettings>) => {
    setUi(await api.invoke('app:set-ui-settings', patch));
  }, []);

  const current = installs?.candidates.find((c) => c.id === installs.selectedId) ?? null;

  const openRunbook = useCallback((title: string) => {
    setHidden((h) => ({ ...h, left: false }));
    openRunbookRequests.request({ title });
  }, []);

  const panels: PanelDef[] = useMemo(
    () => [
      {
        id: 'health',
        title: 'Health',
        area: 'side',
        feature: 'probes',
        render: () => (
          <HealthPanel
            active={sideTab === 'health'}
            onOpenRunbook={openRunbook}
            onRunCommand={
              info?.features.includes('terminal')
                ? (command) => requestTerminalRun({ command, mode: 'run' })
                : undefined
            }
          />
        ),
      },
      {
        id: 'install',
        title: 'Install',
        area: 'side',
        feature: 'install',
        render: () => <InstallPanel list={installs} onChange={setInstalls} />,
      },
      {
        id: 'session',
        title: 'Session',
        area: 'side',
        feature: 'walkthroughs',
        render: () => <SessionPanel />,
      },
      {
        id: 'database',
        title: 'Database',
        area: 'side',
        feature: 'database',
        render: () => <DatabasePanel active={sideTab === 'database'} />,
      },
      {
        id: 'runbooks',
        title: 'Runbooks',
        area: 'left',
        feature: 'runbooks',
        render: () => <RunbookWorkbench terminal={info?.features.includes('terminal') ?? false} />,
      },
      {
        id: 'terminal',
        title: 'Terminal',
        area: 'main',
        feature: 'terminal',
        render: () => <TerminalPanel />,
      },
      {
        id: 'logs',
        title: 'Logs',
        area: 'bottom',
        feature: 'logs',
        render: () => <LogsPanel bundleAsOf={current?.bundle?.asOf ?? null} />,
      },
    ],
    [installs, sideTab, openRunbook, info, current],
  );
  const enabled = panels.filter((p) => info?.features.includes(p.feature));
  const inArea = (a: Area) => enabled.filter((p) => p.area === a);
  const left = hidden.left ? [] : inArea('left');
  const main = inArea('main');
  const bottom = inArea('bottom');
  const side = hidden.side ? [] : inArea('side');
  const centerEmpty = main.length === 0 && bottom.length === 0;

  const demo = current?.kind === 'sandbox';
  const sources = usePaletteSources(paletteOpen, info?.features ?? [], demo);
  const textSearch = useRunbookTextSearch();
  const showSide = (tab: string) => {
    setHidden((h) => ({ ...h, side: false }));
    setSideTab(tab);
  };
  const paletteFailed = (what: string) => (err: unknown) =>
    setPaletteError(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  const commands: PaletteEntry[] = [
    ...paletteEntries(
      { ...sources, attachable: attachableInstalls(installs), features: info?.features ?? [] },
      {
        openRunbook: (id) => {
          setHidden((h) => ({ ...h, left: false }));
          openRunbookRequests.request({ id });
        },
        newTerminal: () => terminalActions.request('new'),
        splitTerminal: () => terminalActions.request('split'),
        startIncident: () => {
          showSide('session');
          sessionRequests.request({ startIncident: true });
        },
        exportReport: () => {
          showSide('session');
          sessionRequests.request({ exportReport: true });
        },
        backupDb: () => {
          showSide('database');
          databaseRequests.request('backup');
        },
        integrityCheck: () => {
          showSide('database');
          databaseRequests.request('integrity');
        },
        pickScenario: () => {
          showSide('install');
          demoRequests.request('pick-scenario');
        },
        switchScenario: (name) => {
          showSide('install');
          void api
            .invoke('sandbox:set-scenario', { name: name as ScenarioName })
            .catch(paletteFailed('Switching the scenario'));
        },
        openLog: (family) => logRequests.request({ family }),
        attachInstall: (id) =>
          void api.invoke('install:select', { id }).then(setInstalls, paletteFailed('Attaching the install')),
        openSession: (id) => {
          showSide('session');
          sessionRequests.request({ open: id });
        },
        showWelcome: () => setWelcomeOpen(true),
      },
    ),
    {
      id: 'theme',
      kind: 'view',
      title: `Switch to ${ui?.theme === 'light' ? 'dark' : 'light'} theme`,
      keywords: ['theme', 'dark', 'light', 'colours'],
      run: () => void saveUi({ theme: ui?.theme === 'light' ? 'dark' : 'light' }),
    },
    {
      id: 'toggle-left',
      kind: 'view',
      title: `${hidden.left ? 'Show' : 'Hide'} the runbook column`,
      shortcut: 'Ctrl+B',
      run: () => setHidden((h) => ({ ...h, left: !h.left })),
    },
    {
      id: 'toggle-side',
      kind: 'view',
      title: `${hidden.side ? 'Show' : 'Hide'} the side column`,
      shortcut: 'Ctrl+J',
      run: () => setHidden((h) => ({ ...h, side: !h.side })),
    },
    {
      id: 'rescan',
      kind: 'action',
      title: 'Rescan for Aura installs',
      keywords: ['find', 'install', 'discover'],
      run: () =>
        void api.invoke('install:list', { rescan: true }).then(setInstalls, paletteFailed('The rescan')),
    },
    ...inArea('side').map((p): PaletteEntry => ({
      id: `show-${p.id}`,
      kind: 'view',
      title: `Show ${p.title}`,
      keywords: ['tab', 'panel'],
      run: () => showSide(p.id),
    })),
  ];

  if (conn === 'unauthorized') {
    return (
      <div className="fatal" role="alert" data-testid="signed-out">
        <h1>Open the console with its link</h1>
        <p>{api.refusal()}</p>
        <p>
          This console only opens from the link that <code>aura-ops serve</code> (or <code>npm start</code>)
          prints in your terminal, with the token after <code>#token=</code>. The token changes every time the
          console starts.
        </p>
      </div>
    );
  }

  if (fatal && !info) {
    return (
      <div className="fatal" role="alert">
        <h1>Aura Ops Console cannot reach its back end</h1>
        <p>{fatal}</p>
        <p>If you used `aura-ops serve`, check that it still runs; this page reconnects by itself.</p>
      </div>
    );
  }

  const sidePanel = side.find((p) => p.id === sideTab) ?? side[0];
  const layout = { ...(ui?.layout ?? { leftWidth: 0.3, sideWidth: 0.3, bottomHeight: 0.48 }), ...dragLayout };
  /** While a splitter is dragged the layout lives here; it is saved (one ops.db write) when the drag ends. */
  const setLayout = (patch: Partial<UiSettings['layout']>, done: boolean) => {
    if (!done) return setDragLayout((d) => ({ ...d, ...patch }));
    void saveUi({ layout: { ...layout, ...patch } }).finally(() => setDragLayout({}));
  };
  const pct = (f: number) => `${(f * 100).toFixed(2)}%`;

  return (
    <div className="shell">
      <header className="topbar">
        <span className="brand">Aura Ops</span>
        <span className="install-name" data-testid="header-install">
          {current ? (
            <>
              {current.kind === 'sandbox' && <span className="badge">Demo</span>}
              {current.kind === 'bundle' && (
                <span className="badge" title="An opened support bundle: read-only evidence, nothing live">
                  Bundle · read-only
                </span>
              )}{' '}
              {current.label}
              <span className="mono dim"> · {current.paths.dataRoot}</span>
            </>
          ) : (
            <span className="dim">No install attached</span>
          )}
        </span>
        {info?.features.includes('walkthroughs') && (
          <RecordingIndicator
            onOpen={() => {
              setHidden((h) => ({ ...h, side: false }));
              setSideTab('session');
            }}
          />
        )}
        <span className="spacer" />
        {inArea('left').length > 0 && (
          <button
            className="ghost"
            aria-pressed={!hidden.left}
            title="Runbook column (Ctrl+B)"
            onClick={() => setHidden((h) => ({ ...h, left: !h.left }))}
          >
            Runbooks
          </button>
        )}
        <button
          className="ghost"
          aria-pressed={!hidden.side}
          title="Side column (Ctrl+J)"
          onClick={() => setHidden((h) => ({ ...h, side: !h.side }))}
        >
          Side
        </button>
        {conn !== 'open' && (
          <span className="conn warn">
            {conn === 'connecting' ? 'Connecting…' : 'Disconnected: reconnecting'}
          </span>
        )}
        <button
          className="ghost"
          onClick={() => {
            focusBeforePalette.current = null;
            paletteOpenRef.current = true;
            setPaletteOpen(true);
          }}
          title="Command palette (Ctrl+K or Ctrl+Shift+P)"
        >
          Commands <kbd>Ctrl K</kbd>
        </button>
        <button
          className="ghost"
          aria-label="Toggle theme"
          onClick={() => void saveUi({ theme: ui?.theme === 'light' ? 'dark' : 'light' })}
        >
          {ui?.theme === 'light' ? 'Dark' : 'Light'}
        </button>
      </header>
      {paletteError && (
        <div className="palette-error error" role="alert">
          {paletteError}{' '}
          <button className="link" onClick={() => setPaletteError(null)}>
            Dismiss
          </button>
        </div>
      )}
      {(welcomeOpen || (demo && ui !== null && !ui.welcomeDismissed)) && (
        <WelcomeCard
          demo={demo}
          onPickScenario={() => {
            showSide('install');
            demoRequests.request('pick-scenario');
          }}
          onDismiss={() => {
            setWelcomeOpen(false);
            void saveUi({ welcomeDismissed: true }).catch(paletteFailed('Saving the dismissal'));
          }}
        />
      )}
      <div className="workspace">
        {left.length > 0 && (
          <>
            <div className="area left" style={{ width: pct(layout.leftWidth) }}>
              {left[0]!.render()}
            </div>
            <Splitter direction="horizontal" onResize={(f, done) => setLayout({ leftWidth: f }, done)} />
          </>
        )}
        {!centerEmpty && (
          <div className="area center">
            {main.length > 0 && <div className="area main">{main[0]!.render()}</div>}
            {bottom.length > 0 && (
              <>
                {main.length > 0 && (
                  <Splitter
                    direction="vertical"
                    onResize={(f, done) => setLayout({ bottomHeight: 1 - f }, done)}
                  />
                )}
                <div
                  className="area bottom"
                  style={main.length > 0 ? { height: pct(layout.bottomHeight) } : { flex: 1 }}
                >
                  {bottom[0]!.render()}
                </div>
              </>
            )}
          </div>
        )}
        {side.length > 0 && (
          <>
            {!centerEmpty && (
              <Splitter
                direction="horizontal"
                onResize={(f, done) => setLayout({ sideWidth: 1 - f }, done)}
              />
            )}
            <div
              className={`area side${centerEmpty ? ' fill' : ''}`}
              style={centerEmpty ? undefined : { width: pct(layout.sideWidth) }}
            >
              {side.length > 1 && (
                <nav className="tabs" role="tablist">
                  {side.map((p) => (
                    <button
                      key={p.id}
                      role="tab"
                      aria-selected={p.id === sidePanel?.id}
                      onClick={() => setSideTab(p.id)}
                    >
                      {p.title}
                    </button>
                  ))}
                </nav>
              )}
              <div className="tab-body">{sidePanel?.render()}</div>
            </div>
          </>
        )}
      </div>
      {paletteOpen && (
        <CommandPalette
          entries={commands}
          problems={sources.problems}
          textSearch={info?.features.includes('runbooks') ? textSearch : undefined}
          onClose={closePalette}
        />
      )}
    </div>
  );
}

/** Ctrl+K or Ctrl+Shift+P (Cmd on macOS) opens and closes the palette. */
function isPaletteKey(e: KeyboardEvent): boolean {
  if (!(e.ctrlKey || e.metaKey) || e.altKey) return false;
  const k = e.key.toLowerCase();
  return (k === 'k' && !e.shiftKey) || (k === 'p' && e.shiftKey);
}
