// Step outputs and precondition overrides through the walk-through service on a real shell: a
// step's named output comes back with its result, and an override needs a recording session and
// lands on its timeline and in the report.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import type { StepResult } from '../../../shared/contract/walkthroughs-steps';
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import type { ServiceContext } from '../context';
import { OpsStore } from '../store/store';
import { harness, makeFixture } from '../terminal/test-support';
import { walkthroughHandlers } from './handlers';
import { WalkthroughService } from './service';

const fx = makeFixture('aura-step-io-');
const stores: OpsStore[] = [];
const dirs: string[] = [];
afterEach(() => {
  fx.disposeServices();
  for (const s of stores.splice(0)) s.close();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
afterAll(() => fx.cleanup());

function setup() {
  const term = harness(fx);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-step-io-data-'));
  dirs.push(dataDir);
  const store = OpsStore.open(dataDir);
  stores.push(store);
  const results: StepResult[] = [];
  const ctx: ServiceContext = {
    dataDir,
    getInstall: () => null,
    emit: (event, payload) => {
      if (event === 'walkthrough:step-result') results.push(payload as StepResult);
    },
    onDispose: () => undefined,
  };
  const wt = new WalkthroughService(store, ctx);
  term.svc.onEvent((event, payload) => {
    if (event === 'terminal:command-finished') wt.commandFinished(payload as TerminalCommandFinished);
  });
  return { term, wt, api: walkthroughHandlers(wt, term.svc), results };
}

describe('step outputs', () => {
  it('returns the named output of a finished step, or why there is none', { timeout: 30_000 }, async () => {
    const { term, api, results } = setup();
    const t = term.svc.create({ cols: 120, rows: 30 });
    await term.svc.get(t.id).waitReady(8000);
    await api['walkthrough:run-step']({
      step: {
        runId: 'run-out-0000001',
        stepId: 'take',
        command: "printf 'backup: %s\\n' /data/backups/aura-1.db",
        output: { name: 'backupFile', match: { source: '^backup: (\\S+)$', flags: 'm' } },
      },
      mode: 'run',
      terminalId: t.id,
      confirmed: false,
    });
    await term.waitFor(() => results.length === 1, 'the first result', 15_000);
    expect(results[0].output).toEqual({ name: 'backupFile', value: '/data/backups/aura-1.db' });
    await api['walkthrough:run-step']({
      step: {
        runId: 'run-out-0000002',
        stepId: 'fails',
        command: 'ls /nonexistent-step-io',
        output: { name: 'x', match: null },
      },
      mode: 'run',
      terminalId: t.id,
      confirmed: false,
    });
    await term.waitFor(() => results.length === 2, 'the second result', 15_000);
    expect(results[1].output).toEqual({ name: 'x', error: 'the step exited 2' });
  });
});

describe('precondition overrides', () => {
  const override = {
    stepId: 'vacuum',
    runbookId: 'bundled:database-maintenance.md',
    command: 'sqlite3 aura.db VACUUM',
    unmet: [{ label: 'Aura API stopped', why: 'the API answers (ok)' }],
    reason: 'emergency: disk full, manager approved',
  };

  it('is refused while no session records, and recorded with its reason when one does', () => {
    const { wt, api } = setup();
    expect(() => api['walkthrough:override'](override)).toThrow(/No session is recording/);
    const s = wt.start({ kind: 'change', title: 'Vacuum aura.db' });
    api['walkthrough:override'](override);
    const e = wt.get(s.id).events.find((x) => x.type === 'precondition-override');
    expect(e).toMatchObject({
      type: 'precondition-override',
      stepId: 'vacuum',
      reason: override.reason,
      unmet: override.unmet,
    });
    const md = wt.report(s.id, 'markdown').content;
    expect(md).toContain(
      '**Preconditions overridden** for step **vacuum** (Aura API stopped: the API answers (ok)) — reason: emergency: disk full, manager approved',
    );
  });
});
