// The post-mortem draft rendered from a fixed session, compared with a reviewed golden file: a
// change to the report's wording or order shows up here as a diff to read, not by surprise.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../context';
import { OpsStore } from '../store/store';
import { renderMarkdown } from './report';
import { WalkthroughService } from './service';
import { sweepOf } from './test-support';

const GOLDEN = path.join(__dirname, 'fixtures', 'golden-report.md');
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** A fixed incident: every event one clock step apart, starting 2026-11-27 20:20:00 UTC. */
export async function fixedSession(stepMs = 30_000) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-golden-'));
  dirs.push(dir);
  const store = OpsStore.open(dir);
  let t = Date.UTC(2026, 10, 27, 20, 20, 0) - stepMs;
  const ctx: ServiceContext = {
    dataDir: dir,
    getInstall: () => null,
    emit: () => undefined,
    onDispose: () => undefined,
  };
  let apiUp = false;
  const svc = new WalkthroughService(store, ctx, () => (t += stepMs), {
    triage: { latest: () => sweepOf(apiUp, t - 2 * stepMs), sweep: async () => sweepOf(apiUp, t) },
    // Verify's re-run of the quick check, as the shell would answer it once the fix is in.
    runStep: async () => ({ output: 'ok\n', exitCode: 0 }),
  });
  svc.setContacts([
    { role: 'on-call', name: 'Dana', reach: 'PagerDuty "Aura" service' },
    { role: 'database', name: 'Ravi', reach: '+1 555 0100' },
  ]);
  svc.observeSweep(sweepOf(false, t - 4 * stepMs));
  const s = svc.start({
    kind: 'incident',
    title: 'API answers 503',
    fromTriage: true,
    runbookTitle: 'Service Degradation',
  });
  svc.setImpactStart(s.id, Date.UTC(2026, 10, 27, 20, 15, 33), 'FTL line in aura-api-20261127.log');
  const ok = { pattern: '^ok$', flags: 'm', exitCode: 0 };
  /** A command that finished in terminal t1 at /srv/aura, started now and running durationMs. */
  const finished = (
    command: string,
    exitCode: number,
    durationMs: number,
    outputExcerpt: string,
    runId: string | null,
  ) => ({
    sessionId: 't1',
    command,
    exitCode,
    cwd: '/srv/aura',
    startedAt: new Date(t).toISOString(),
    endedAt: new Date(t + durationMs).toISOString(),
    durationMs,
    outputExcerpt,
    runId,
  });
  await svc.runStep(
    {
      runId: 'golden-run-1',
      stepId: 'db-quick-check',
      command: 'sqlite3 -readonly /srv/aura/aura.db "PRAGMA quick_check;"',
      expect: ok,
    },
    'run-check',
    async () => ({ sessionId: 't1', mode: 'run' as const }),
  );
  svc.commandFinished(finished('sqlite3', 0, 180, 'ok\n', 'golden-run-1'));
  svc.stepNotRun(
    { runId: 'golden-run-2', stepId: 'restart-api', command: 'systemctl restart aura-api' },
    'declined',
  );
  svc.commandFinished(
    finished('curl -s http://127.0.0.1:5005/health/live', 7, 20, 'curl: (7) Failed to connect', null),
  );
  svc.record(s.id, {
    type: 'log-pin',
    file: 'aura-api-20261127.log',
    line: 4812,
    level: 'FTL',
    timestamp: '2026-11-27 20:15:33.120 +00:00',
    text: 'Application terminated unexpectedly',
  });
  svc.record(s.id, {
    type: 'severity',
    severity: 'SEV-2',
    reason: 'API back for reads; renders still failing',
  });
  svc.record(s.id, { type: 'note', text: 'Did not restart: a render job was running', deviation: true });
  svc.setMilestone(s.id, 'identified', t, undefined);
  apiUp = true;
  await svc.verify(s.id);
  const ended = svc.end(s.id, {
    status: 'resolved',
    summary: 'The API process had exited; started it again and renders resumed.',
    contributingFactors: ['No alert on FTL lines'],
    wentWell: ['Triage named the runbook at once'],
    wentBadly: ['The restart step was declined while a job ran'],
    actionItems: [{ text: 'Alert on FTL lines in aura-api logs', owner: 'Dana (on-call)' }],
  });
  return { svc, store, session: ended, now: t };
}

describe('the incident report', () => {
  it('renders a fixed session exactly as the reviewed golden file', async () => {
    const { session, store, now } = await fixedSession();
    const md = renderMarkdown(session, now, { timeZone: 'UTC' });
    store.close();
    if (process.env.UPDATE_GOLDEN === '1') fs.writeFileSync(GOLDEN, md);
    expect(md).toBe(fs.readFileSync(GOLDEN, 'utf8'));
  });
});
