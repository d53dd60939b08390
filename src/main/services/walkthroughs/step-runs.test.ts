// Run ids end to end on real shells: two steps sent at once (the second to a new terminal because
// the first is busy) each get their own verdict, even with the same command text, and a command
// typed by hand in between is recorded as ad hoc, not as either step.
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

const fx = makeFixture('aura-run-id-');
const stores: OpsStore[] = [];
afterEach(() => {
  fx.disposeServices();
  for (const s of stores.splice(0)) s.close();
});
afterAll(() => fx.cleanup());

function setup() {
  const term = harness(fx);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-run-id-data-'));
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
  // What the runtime does: every finished command goes to the walk-throughs.
  term.svc.onEvent((event, payload) => {
    if (event === 'terminal:command-finished') wt.commandFinished(payload as TerminalCommandFinished);
  });
  const api = walkthroughHandlers(wt, term.svc);
  return { term, wt, api, results, cleanup: () => fs.rmSync(dataDir, { recursive: true, force: true }) };
}

const expectMark = (mark: string) => ({ pattern: `^${mark}$`, flags: 'm', exitCode: 0 });

describe('step runs by run id', () => {
  it('gives two steps started at once in two terminals their own verdicts', { timeout: 30_000 }, async () => {
    const { term, wt, api, results, cleanup } = setup();
    try {
      const session = wt.start({ kind: 'runbook', title: 'Database Issues' });
      const t1 = term.svc.create({ cols: 120, rows: 30 });
      await term.svc.get(t1.id).waitReady(8000);
      // The same command text in both steps; only the run id can tell their finishes apart.
      const command = 'sleep 0.4; cat "$HOME/mark"';
      fs.writeFileSync(path.join(fx.home, 'mark'), 'alpha\n');
      const runA = api['walkthrough:run-step']({
        step: { runId: 'run-a-00000001', stepId: 'mark-alpha', command, expect: expectMark('alpha') },
        mode: 'run-check',
        terminalId: t1.id,
        confirmed: false,
      });
      // Step B expects another mark: it must fail on its own, not take A's pass (or A take its fail).
      const runB = api['walkthrough:run-step']({
        step: { runId: 'run-b-00000002', stepId: 'mark-beta', command, expect: expectMark('beta') },
        mode: 'run-check',
        confirmed: false,
      });
      const [a, b] = await Promise.all([runA, runB]);
      expect(a.terminalId).toBe(t1.id);
      expect(b.terminalId).not.toBe(t1.id);
      await term.waitFor(() => results.length === 2, 'both verdicts', 15_000);
      const byRun = Object.fromEntries(results.map((r) => [r.runId, [r.stepId, r.verdict?.status]]));
      expect(byRun).toEqual({
        'run-a-00000001': ['mark-alpha', 'pass'],
        'run-b-00000002': ['mark-beta', 'fail'],
      });

      // Typed by hand: ad hoc, no verdict, neither step.
      await term.typeAndWait(t1.id, 'echo by-hand');
      const events = wt.get(session.id).events;
      const steps = events.filter((e) => e.type === 'step');
      expect(steps).toHaveLength(2);
      expect(
        steps.map((e) => e.type === 'step' && [e.stepId, e.status, e.terminalId, e.verdict?.status]),
      ).toEqual([
        ['mark-alpha', 'finished', a.terminalId, 'pass'],
        ['mark-beta', 'finished', b.terminalId, 'fail'],
      ]);
      expect(
        events.filter((e) => e.type === 'command').map((e) => e.type === 'command' && [e.command, e.adHoc]),
      ).toEqual([['echo by-hand', true]]);
      expect(results).toHaveLength(2);
    } finally {
      cleanup();
    }
  });

  it(
    'refuses a mutating step without confirmation and records it as not sent',
    { timeout: 20_000 },
    async () => {
      const { term, wt, api, cleanup } = setup();
      try {
        const session = wt.start({ kind: 'incident', title: 'API down', severity: 'SEV-1' });
        await expect(
          api['walkthrough:run-step']({
            step: { runId: 'run-m-00000003', stepId: 'restart', command: 'rm -rf "$HOME/cache"' },
            mode: 'run',
            confirmed: false,
          }),
        ).rejects.toThrow(/needs confirmation/);
        expect(term.svc.list().sessions).toHaveLength(0);
        const [e] = wt.get(session.id).events.filter((x) => x.type === 'step');
        expect(e).toMatchObject({ status: 'not-sent', stepId: 'restart' });
      } finally {
        cleanup();
      }
    },
  );
});
