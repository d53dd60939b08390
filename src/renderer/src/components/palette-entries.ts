// What the command palette offers: runbooks, actions, demo scenarios, log families, recorded
// sessions, installs (paletteEntries) and the shell's own view toggles (shellEntries), each with its
// kind, words to find it by and what it does. Built from plain data and callbacks, so it knows
// nothing of the panels it drives.
import type { ThemeName } from '../../../shared/contract/app';
import type { RunbookSummary } from '../../../shared/contract/runbooks';
import type { LogSourceInfo } from '../../../shared/contract/logs';
import type { ScenarioInfo } from '../../../shared/contract/sandbox';
import type { SessionSummary } from '../../../shared/contract/walkthroughs-session';
import type { InstallCandidate } from '../../../shared/install-types';
import type { Matchable } from './palette-match';

export type PaletteKind = 'runbook' | 'action' | 'scenario' | 'log' | 'session' | 'install' | 'view' | 'help';

export const KIND_LABEL: Record<PaletteKind, string> = {
  runbook: 'Runbook',
  action: 'Action',
  scenario: 'Scenario',
  log: 'Log',
  session: 'Session',
  install: 'Install',
  view: 'View',
  help: 'Help',
};

export interface PaletteEntry extends Matchable {
  id: string;
  kind: PaletteKind;
  title: string;
  /** A second line: what it is or where it leads. */
  detail?: string;
  shortcut?: string;
  run: () => void;
}

/** Actions rank a little above runbooks that match as well: "backup" makes one before reading about one. */
export const ACTION_BOOST = 0.15;

export function kindBoost(e: PaletteEntry): number {
  return e.kind === 'action' ? ACTION_BOOST : 0;
}

export interface PaletteData {
  runbooks: RunbookSummary[];
  sessions: SessionSummary[];
  logFamilies: LogSourceInfo[];
  /** Scenarios of the demo install; empty when the attached install is not the demo. */
  scenarios: readonly ScenarioInfo[];
  currentScenario: string | null;
  attachable: InstallCandidate[];
  features: readonly string[];
}

export interface PaletteActions {
  openRunbook(id: string): void;
  newTerminal(): void;
  splitTerminal(): void;
  startIncident(): void;
  exportReport(): void;
  backupDb(): void;
  integrityCheck(): void;
  pickScenario(): void;
  switchScenario(name: string): void;
  openLog(family: string): void;
  attachInstall(id: string): void;
  openSession(id: string): void;
  showWelcome(): void;
}

export function paletteEntries(d: PaletteData, a: PaletteActions): PaletteEntry[] {
  const has = (f: string) => d.features.includes(f);
  const out: PaletteEntry[] = [];
  if (has('terminal')) {
    out.push(
      {
        id: 'terminal-new',
        kind: 'action',
        title: 'New terminal',
        keywords: ['shell', 'bash', 'tab', 'open', 'console'],
        detail: 'A new shell tab in the install folder',
        run: a.newTerminal,
      },
      {
        id: 'terminal-split',
        kind: 'action',
        title: 'Split terminal',
        keywords: ['side by side', 'unsplit', 'pane', 'two'],
        detail: 'Two terminals side by side (again: back to one)',
        run: a.splitTerminal,
      },
    );
  }
  if (has('walkthroughs')) {
    out.push(
      {
        id: 'incident-start',
        kind: 'action',
        title: 'Start incident',
        keywords: ['new incident', 'outage', 'sev', 'record', 'session', 'walk-through'],
        detail: 'Record what you do from now on, with its severity',
        run: a.startIncident,
      },
      {
        id: 'report-export',
        kind: 'action',
        title: 'Export report',
        keywords: ['post-mortem', 'postmortem', 'markdown', 'download', 'incident', 'session'],
        detail: 'The post-mortem draft of the session on screen (else the latest)',
        run: a.exportReport,
      },
    );
  }
  if (has('database')) {
    out.push(
      {
        id: 'db-backup',
        kind: 'action',
        title: 'Back up aura.db',
        keywords: ['backup', 'copy', 'snapshot', 'database', 'sqlite'],
        detail: 'An online backup into the console data folder; aura.db is not written',
        run: a.backupDb,
      },
      {
        id: 'db-integrity',
        kind: 'action',
        title: 'Check aura.db integrity',
        keywords: ['integrity check', 'quick check', 'corrupt', 'corruption', 'malformed', 'database'],
        detail: 'PRAGMA integrity_check, table by table, in a separate process',
        run: a.integrityCheck,
      },
    );
  }
  if (d.scenarios.length > 0) {
    out.push({
      id: 'scenario-pick',
      kind: 'action',
      title: 'Switch scenario…',
      keywords: ['demo', 'practice', 'rehearse', 'fault', 'drill'],
      detail: 'The demo install\u2019s fault scenarios (Install tab)',
      run: a.pickScenario,
    });
    for (const s of d.scenarios) {
      if (s.name === d.currentScenario) continue;
      out.push({
        id: `scenario-${s.name}`,
        kind: 'scenario',
        title: `Switch scenario: ${s.title}`,
        keywords: [s.name, s.severity, s.runbook, 'demo', 'practice'],
        detail: `${s.severity} · practises ${s.runbook} · ${s.description}`,
        run: () => a.switchScenario(s.name),
      });
    }
  }
  for (const f of d.logFamilies) {
    out.push({
      id: `log-${f.family}`,
      kind: 'log',
      title: `Open log: ${f.label}`,
      keywords: [f.family, f.pattern, 'logs', 'tail', 'follow'],
      detail: `${f.files.length} file${f.files.length === 1 ? '' : 's'} · ${f.pattern}`,
      run: () => a.openLog(f.family),
    });
  }
  for (const c of d.attachable) {
    out.push({
      id: `install-${c.id}`,
      kind: 'install',
      title: `Attach install: ${c.label}`,
      keywords: ['switch', 'install', c.kind],
      detail: c.paths.dataRoot,
      run: () => a.attachInstall(c.id),
    });
  }
  for (const r of d.runbooks) {
    if (r.kind !== 'runbook') continue;
    out.push({
      id: `runbook-${r.id}`,
      kind: 'runbook',
      title: r.title,
      keywords: [...r.tags, ...(r.category ? [r.category] : [])],
      symptoms: r.symptoms,
      detail: [r.severity, r.estimatedTime, r.symptoms[0]].filter(Boolean).join(' · '),
      run: () => a.openRunbook(r.id),
    });
  }
  for (const s of d.sessions) {
    out.push({
      id: `session-${s.id}`,
      kind: 'session',
      title: `Open session: ${s.title}`,
      keywords: [s.kind, s.status, ...(s.severity ? [s.severity] : [])],
      detail: `${s.kind} · ${s.status} · ${new Date(s.startedAt).toLocaleString()}`,
      run: () => a.openSession(s.id),
    });
  }
  out.push({
    id: 'help-welcome',
    kind: 'help',
    title: 'Welcome: what the demo is and how to practise',
    keywords: ['help', 'demo', 'scenario', 'tour', 'first'],
    run: a.showWelcome,
  });
  return out;
}

/** What the shell's own entries read: the theme, the folded columns and the side column's tabs. */
export interface ShellView {
  theme: ThemeName | undefined;
  folded: { left: boolean; side: boolean };
  sideTabs: ReadonlyArray<{ id: string; title: string }>;
}

export interface ShellActions {
  setTheme(theme: ThemeName): void;
  toggleColumn(column: 'left' | 'side'): void;
  rescan(): void;
  showSide(id: string): void;
}

/** The shell's entries, after the panels' ones: the theme, folding the columns, a rescan, each side tab. */
export function shellEntries(v: ShellView, a: ShellActions): PaletteEntry[] {
  const other: ThemeName = v.theme === 'light' ? 'dark' : 'light';
  return [
    {
      id: 'theme',
      kind: 'view',
      title: `Switch to ${other} theme`,
      keywords: ['theme', 'dark', 'light', 'colours'],
      run: () => a.setTheme(other),
    },
    {
      id: 'toggle-left',
      kind: 'view',
      title: `${v.folded.left ? 'Show' : 'Hide'} the runbook column`,
      shortcut: 'Ctrl+B',
      run: () => a.toggleColumn('left'),
    },
    {
      id: 'toggle-side',
      kind: 'view',
      title: `${v.folded.side ? 'Show' : 'Hide'} the side column`,
      shortcut: 'Ctrl+J',
      run: () => a.toggleColumn('side'),
    },
    {
      id: 'rescan',
      kind: 'action',
      title: 'Rescan for Aura installs',
      keywords: ['find', 'install', 'discover'],
      run: a.rescan,
    },
    ...v.sideTabs.map((p): PaletteEntry => ({
      id: `show-${p.id}`,
      kind: 'view',
      title: `Show ${p.title}`,
      keywords: ['tab', 'panel'],
      run: () => a.showSide(p.id),
    })),
  ];
}
