// The command palette's entries wired to the console: a palette action becomes a request to the
// panel that carries it out (through the ui-bus, bringing its column or tab into view), a back-end
// call, or a change of the shell's columns. A call that fails is named in the palette's error line.
import { useState } from 'react';
import type { AppInfo, UiSettings } from '../../../shared/contract/app';
import type { InstallList } from '../../../shared/contract/install';
import type { ScenarioName } from '../../../shared/contract/sandbox';
import { usePaletteSources, useRunbookTextSearch } from '../components/palette-data';
import { paletteEntries, shellEntries, type PaletteEntry } from '../components/palette-entries';
import { attachableInstalls } from '../state/installs';
import {
  databaseRequests,
  demoRequests,
  logRequests,
  openRunbookRequests,
  sessionRequests,
  terminalActions,
} from '../state/ui-bus';
import { api } from '../transport';
import type { Columns } from './use-columns';

export interface ShellCommandsInput {
  /** The palette is open: its lists are read fresh then. */
  paletteOpen: boolean;
  info: AppInfo | null;
  ui: UiSettings | null;
  installs: InstallList | null;
  setInstalls: (l: InstallList) => void;
  saveUi: (patch: Partial<UiSettings>) => Promise<void>;
  /** The attached install is the demo (its scenarios are offered). */
  demo: boolean;
  columns: Columns;
  /** The side column's tabs this build has, folded or not. */
  sideTabs: ReadonlyArray<{ id: string; title: string }>;
  showWelcome: () => void;
}

export interface ShellCommands {
  entries: PaletteEntry[];
  /** Palette lists that could not be read. */
  problems: string[];
  /** Runbook body search, when the runbooks feature is wired. */
  textSearch: ReturnType<typeof useRunbookTextSearch> | undefined;
  /** The last palette action that failed, and why. */
  error: string | null;
  dismissError: () => void;
  /** `failed('Saving X')` is a rejection handler that puts the failure in the error line. */
  failed: (what: string) => (err: unknown) => void;
  /** Show the Install tab and the demo's scenario picker. */
  pickScenario: () => void;
}

export function useShellCommands(s: ShellCommandsInput): ShellCommands {
  const [error, setError] = useState<string | null>(null);
  const features = s.info?.features ?? [];
  const sources = usePaletteSources(s.paletteOpen, features, s.demo);
  const textSearch = useRunbookTextSearch();
  const { showSide, show, toggle } = s.columns;
  const failed = (what: string) => (err: unknown) =>
    setError(`${what} failed: ${err instanceof Error ? err.message : String(err)}`);
  const pickScenario = () => {
    showSide('install');
    demoRequests.request('pick-scenario');
  };
  const entries: PaletteEntry[] = [
    ...paletteEntries(
      { ...sources, attachable: attachableInstalls(s.installs), features },
      {
        openRunbook: (id) => {
          show('left');
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
        pickScenario,
        switchScenario: (name) => {
          showSide('install');
          void api
            .invoke('sandbox:set-scenario', { name: name as ScenarioName })
            .catch(failed('Switching the scenario'));
        },
        openLog: (family) => logRequests.request({ family }),
        attachInstall: (id) =>
          void api.invoke('install:select', { id }).then(s.setInstalls, failed('Attaching the install')),
        openSession: (id) => {
          showSide('session');
          sessionRequests.request({ open: id });
        },
        showWelcome: s.showWelcome,
      },
    ),
    ...shellEntries(
      { theme: s.ui?.theme, folded: s.columns.folded, sideTabs: s.sideTabs },
      {
        setTheme: (theme) => void s.saveUi({ theme }),
        toggleColumn: toggle,
        rescan: () =>
          void api.invoke('install:list', { rescan: true }).then(s.setInstalls, failed('The rescan')),
        showSide,
      },
    ),
  ];
  return {
    entries,
    problems: sources.problems,
    textSearch: features.includes('runbooks') ? textSearch : undefined,
    error,
    dismissError: () => setError(null),
    failed,
    pickScenario,
  };
}
