// What the palette offers depends on what is there: scenarios only on the demo (never the current
// one), actions only for wired features, runbooks but not folder indexes, one row per log family;
// the shell's entries name the theme and columns as they are now, and one Show per side tab.
import { describe, expect, it } from 'vitest';
import { SCENARIOS } from '../../../shared/contract/sandbox';
import type { RunbookSummary } from '../../../shared/contract/runbooks';
import {
  paletteEntries,
  shellEntries,
  type PaletteActions,
  type PaletteData,
  type ShellActions,
} from './palette-entries';

const calls: string[] = [];
const recorder = {
  get: (_t: object, name: string) => (arg?: string) =>
    calls.push(arg === undefined ? name : `${name}:${arg}`),
};
const actions = new Proxy<PaletteActions>({} as PaletteActions, recorder);
const shellActions = new Proxy<ShellActions>({} as ShellActions, recorder);

function runbook(id: string, title: string, kind: RunbookSummary['kind'] = 'runbook'): RunbookSummary {
  return {
    id,
    folderId: 'f',
    file: `${id}.md`,
    kind,
    title,
    category: null,
    categorySource: 'none',
    severity: 'SEV-2',
    estimatedTime: null,
    symptoms: ['5xx climb'],
    tags: ['errors'],
    lastReviewed: null,
    stale: false,
    reviewAgeDays: null,
    sections: [],
    codeBlocks: 0,
    steps: 0,
    checkedSteps: 0,
    errors: 0,
    warnings: 0,
  };
}

const base: PaletteData = {
  runbooks: [runbook('high', 'High Error Rates'), runbook('home', 'Aura Operational Runbooks', 'index')],
  sessions: [],
  logFamilies: [{ family: 'errors', label: 'Errors', pattern: 'errors-*.log', format: 'serilog', files: [] }],
  scenarios: [],
  currentScenario: null,
  attachable: [],
  features: ['terminal', 'walkthroughs', 'database', 'runbooks', 'logs'],
};

describe('palette entries', () => {
  it('offers scenarios only on the demo, never the one playing', () => {
    expect(
      paletteEntries(base, actions).filter((e) => e.kind === 'scenario' || e.id === 'scenario-pick'),
    ).toEqual([]);
    const demo = paletteEntries({ ...base, scenarios: SCENARIOS, currentScenario: 'healthy' }, actions);
    const titles = demo.filter((e) => e.kind === 'scenario').map((e) => e.title);
    expect(titles).toHaveLength(SCENARIOS.length - 1);
    expect(titles).not.toContain('Switch scenario: Healthy');
    demo.find((e) => e.id === 'scenario-error-spike')!.run();
    expect(calls.at(-1)).toBe('switchScenario:error-spike');
  });

  it('lists runbooks (not folder indexes) with their symptoms, and each log family', () => {
    const e = paletteEntries(base, actions);
    expect(e.filter((x) => x.kind === 'runbook').map((x) => x.title)).toEqual(['High Error Rates']);
    expect(e.find((x) => x.kind === 'runbook')!.symptoms).toEqual(['5xx climb']);
    e.find((x) => x.id === 'runbook-high')!.run();
    expect(calls.at(-1)).toBe('openRunbook:high');
    e.find((x) => x.id === 'log-errors')!.run();
    expect(calls.at(-1)).toBe('openLog:errors');
  });

  it('leaves out the actions of features this build does not wire', () => {
    const ids = paletteEntries({ ...base, features: ['runbooks'] }, actions).map((e) => e.id);
    for (const gone of [
      'terminal-new',
      'terminal-split',
      'incident-start',
      'report-export',
      'db-backup',
      'db-integrity',
    ])
      expect(ids).not.toContain(gone);
    expect(ids).toContain('runbook-high');
    expect(ids).toContain('help-welcome');
  });
});

describe('shell entries', () => {
  const view = {
    theme: 'dark' as const,
    folded: { left: false, side: true },
    sideTabs: [
      { id: 'health', title: 'Health' },
      { id: 'session', title: 'Session' },
    ],
  };

  it('offer the other theme (dark before the settings are read), and say what each toggle will do', () => {
    const e = shellEntries(view, shellActions);
    expect(e.map((x) => x.title)).toEqual([
      'Switch to light theme',
      'Hide the runbook column',
      'Show the side column',
      'Rescan for Aura installs',
      'Show Health',
      'Show Session',
    ]);
    e.find((x) => x.id === 'theme')!.run();
    expect(calls.at(-1)).toBe('setTheme:light');
    const light = shellEntries(
      { ...view, theme: 'light', folded: { left: true, side: false } },
      shellActions,
    );
    expect(light.slice(0, 3).map((x) => x.title)).toEqual([
      'Switch to dark theme',
      'Show the runbook column',
      'Hide the side column',
    ]);
    expect(shellEntries({ ...view, theme: undefined }, shellActions)[0]!.title).toBe('Switch to light theme');
  });

  it('fold the column they name, rescan, and bring a side tab to the front', () => {
    const e = shellEntries(view, shellActions);
    for (const id of ['toggle-left', 'toggle-side', 'rescan', 'show-session'])
      e.find((x) => x.id === id)!.run();
    expect(calls.slice(-4)).toEqual(['toggleColumn:left', 'toggleColumn:side', 'rescan', 'showSide:session']);
  });
});
