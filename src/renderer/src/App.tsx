// The console shell: a header naming the attached install, and the panels of the features this
// build wires (runbooks on the left, terminal over logs in the middle, install/health/database on
// the side). Areas with no panel are not drawn. Resizable, themeable, keyboard reachable (Ctrl+K).
// The state and wiring are shell/'s hooks; which panel goes where is shell/layout.ts.
import { useCallback, useMemo, useState, type ReactNode } from 'react';
import CommandPalette from './components/CommandPalette';
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
import { panelsByArea, pct, shownAreas, shownSidePanel, type Placeable } from './shell/layout';
import { useColumnSizes, useColumns } from './shell/use-columns';
import { useConsoleData } from './shell/use-console-data';
import { usePaletteToggle } from './shell/use-palette';
import { useShellCommands } from './shell/use-shell-commands';
import { openRunbookRequests } from './state/ui-bus';
import { api } from './transport';

interface PanelDef extends Placeable {
  title: string;
  render: () => ReactNode;
}

export default function App() {
  const columns = useColumns();
  const { folded, toggle, show, sideTab, setSideTab, showSide } = columns;
  const { info, ui, installs, setInstalls, conn, fatal, saveUi } = useConsoleData(() =>
    setSideTab('install'),
  );
  const { layout, setLayout } = useColumnSizes(ui?.layout, saveUi);
  const palette = usePaletteToggle();
  const [welcomeOpen, setWelcomeOpen] = useState(false);

  const current = installs?.candidates.find((c) => c.id === installs.selectedId) ?? null;

  const openRunbook = useCallback(
    (title: string) => {
      show('left');
      openRunbookRequests.request({ title });
    },
    [show],
  );

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
    [installs, setInstalls, sideTab, openRunbook, info, current],
  );
  const byArea = panelsByArea(panels, info?.features ?? []);
  const { left, main, bottom, side, centerEmpty } = shownAreas(byArea, folded);

  const demo = current?.kind === 'sandbox';
  const commands = useShellCommands({
    paletteOpen: palette.open,
    info,
    ui,
    installs,
    setInstalls,
    saveUi,
    demo,
    columns,
    sideTabs: byArea.side,
    showWelcome: () => setWelcomeOpen(true),
  });

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

  const sidePanel = shownSidePanel(side, sideTab);

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
        {info?.features.includes('walkthroughs') && <RecordingIndicator onOpen={() => showSide('session')} />}
        <span className="spacer" />
        {byArea.left.length > 0 && (
          <button
            className="ghost"
            aria-pressed={!folded.left}
            title="Runbook column (Ctrl+B)"
            onClick={() => toggle('left')}
          >
            Runbooks
          </button>
        )}
        <button
          className="ghost"
          aria-pressed={!folded.side}
          title="Side column (Ctrl+J)"
          onClick={() => toggle('side')}
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
          onClick={palette.openFromButton}
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
      {commands.error && (
        <div className="palette-error error" role="alert">
          {commands.error}{' '}
          <button className="link" onClick={commands.dismissError}>
            Dismiss
          </button>
        </div>
      )}
      {(welcomeOpen || (demo && ui !== null && !ui.welcomeDismissed)) && (
        <WelcomeCard
          demo={demo}
          onPickScenario={commands.pickScenario}
          onDismiss={() => {
            setWelcomeOpen(false);
            void saveUi({ welcomeDismissed: true }).catch(commands.failed('Saving the dismissal'));
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
      {palette.open && (
        <CommandPalette
          entries={commands.entries}
          problems={commands.problems}
          textSearch={commands.textSearch}
          onClose={palette.close}
        />
      )}
    </div>
  );
}
