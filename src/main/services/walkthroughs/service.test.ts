// Walk-through sessions on a real ops.db: events are written as they happen and survive a restart,
// a step run is one entry keyed by its run id (declined stays declined), hand-typed commands are ad
// hoc, recording never switches silently, an incident from the triage carries its severity, a
// snapshot and the impact start from the log, and resolve asks for what a post-mortem needs.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { TerminalCommandFinished } from '../../../shared/contract/terminal';
import type { ServiceContext } from '../context';
import { OpsStore } from '../store/store';
import { fakeInstall } from '../terminal/test-support';
import { reportCommand } from './cli';
import { WalkthroughService } from './service';
import type { TriageSource } from './triage';
import { runVerifyStep } from './verify-runner';
import { sweepOf } from './test-support';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

const T0 = Date.UTC(2026, 10, 27, 20, 0, 0);

function setup(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-wt-')), withInstall = false) {
  dirs.push(dir);
  const store = OpsStore.open(dir);
  const emitted: Array<{ event: string; payload: unknown }> = [];
  let t = T0;
  const install = withInstall ? fakeInstall(path.join(dir, 'Aura')) : null;
  if (install) fs.mkdirSync(install.paths.logsDir, { recursive: true });
  const ctx: ServiceContext = {
    dataDir: dir,
    getInstall: () => install,
    emit: (event, payload) => emitted.push({ event, payload }),
    onDispose: () => undefined,
  };
  let apiUp = false;
  const triageSource: TriageSource = {
    latest: () => sweepOf(apiUp, t - 90_000),
    sweep: async () => sweepOf(apiUp, t),
  };
  const svc = new WalkthroughService(store, ctx, () => (t += 1000), {
    triage: triageSource,
    runStep: (cmd) => runVerifyStep(cmd, install),
  });
  return {
    dir,
    store,
    svc,
    emitted,
    install,
    advance: (ms: number) => (t += ms),
    setApi: (up: boolean) => (apiUp = up),
    now: () => t,
  };
}

function finished(
  command: string,
  exitCode: number | null,
  output: string,
  runId: string | null,
  terminal = 't1',
): TerminalCommandFinished {
  return {
    sessionId: terminal,
    command,
    exitCode,
    cwd: '/tmp',
    startedAt: new Date(T0).toISOString(),
    endedAt: new Date(T0 + 500).toISOString(),
    durationMs: 500,
    outputExcerpt: output,
    runId,
  };
}

const OK_EXPECT = { pattern: '^ok$', flags: 'm', exitCode: 0 };

describe('WalkthroughService', () => {
  it('records a walk-through and finds it intact after a restart', () => {
    const a = setup();
    const s = a.svc.start({
      kind: 'incident',
      title: 'API down',
      runbookTitle: 'Service Degradation',
      severity: 'SEV-1',
    });
    a.svc.record(s.id, {
      type: 'check',
      itemKey: 'diag-1',
      label: 'Check the health endpoint',
      checked: true,
    });
    a.svc.record(s.id, { type: 'note', text: 'Port 5005 closed', deviation: false });
    a.store.close();

    const b = setup(a.dir);
    const d = b.svc.get(s.id);
    expect(d.checks).toEqual({
      'diag-1': { label: 'Check the health endpoint', checked: true, at: expect.any(Number) },
    });
    expect(d.events.map((e) => e.type)).toEqual(['severity', 'milestone', 'check', 'note']);
    expect(d.milestones.acknowledged?.at).toBe(d.startedAt);
    expect(b.svc.currentId()).toBe(s.id);
    b.svc.focus(null, s.id);
    expect(b.svc.currentId()).toBeNull();
    expect(b.svc.commandFinished(finished('ls', 0, '', null))).toBeNull();
    b.store.close();
  });

  it('keeps the latest tick per checklist item and logs every change', () => {
    const { svc, store } = setup();
    const s = svc.start({ kind: 'change', title: 'Upgrade' });
    svc.record(s.id, { type: 'check', itemKey: 'pre-backup', label: 'Backup completed', checked: true });
    svc.record(s.id, { type: 'check', itemKey: 'pre-backup', label: 'Backup completed', checked: false });
    const d = svc.get(s.id);
    expect(d.checks['pre-backup']!.checked).toBe(false);
    expect(d.events.filter((e) => e.type === 'check')).toHaveLength(2);
    store.close();
  });

  it('writes one entry per step run, completes it by run id, and checks it once', async () => {
    const { svc, store, emitted } = setup();
    const s = svc.start({ kind: 'runbook', title: 'Database Issues' });
    const cmd = 'sqlite3 -readonly aura.db "PRAGMA quick_check;"';
    await svc.runStep(
      { runId: 'run-aaaa-1', stepId: 'quick', command: cmd, expect: OK_EXPECT },
      'run-check',
      async () => ({ sessionId: 't1', mode: 'run' as const }),
    );
    // Written before the command finished: a crash now still shows it.
    expect(svc.get(s.id).events.filter((e) => e.type === 'step')).toMatchObject([
      { runId: 'run-aaaa-1', status: 'running', terminalId: 't1' },
    ]);
    // Same text, another run id: the second run is its own entry with its own verdict.
    await svc.runStep(
      { runId: 'run-bbbb-2', stepId: 'quick', command: cmd, expect: OK_EXPECT },
      'run-check',
      async () => ({ sessionId: 't2', mode: 'run' as const }),
    );
    svc.commandFinished(finished(cmd, 1, 'Page 7 is never used', 'run-bbbb-2', 't2'));
    svc.commandFinished(finished(cmd, 0, 'ok\n', 'run-aaaa-1', 't1'));
    const steps = svc.get(s.id).events.filter((e) => e.type === 'step');
    expect(steps.map((e) => e.type === 'step' && [e.runId, e.status, e.exitCode, e.verdict?.status])).toEqual(
      [
        ['run-aaaa-1', 'finished', 0, 'pass'],
        ['run-bbbb-2', 'finished', 1, 'fail'],
      ],
    );
    const results = emitted
      .filter((e) => e.event === 'walkthrough:step-result')
      .map((e) => e.payload as { runId: string; verdict: { status: string } });
    expect(results.map((r) => [r.runId, r.verdict.status])).toEqual([
      ['run-bbbb-2', 'fail'],
      ['run-aaaa-1', 'pass'],
    ]);
    // A run id cannot be reused.
    await expect(
      svc.runStep({ runId: 'run-aaaa-1', stepId: 'quick', command: cmd }, 'run', async () => ({
        sessionId: 't1',
        mode: 'run' as const,
      })),
    ).rejects.toThrow(/used before/);
    store.close();
  });

  it('records hand-typed commands as ad hoc, with their output capped', () => {
    const { svc, store } = setup();
    const s = svc.start({ kind: 'runbook', title: 'x' });
    svc.commandFinished(finished('ls -la', 2, 'x'.repeat(10_000), null));
    const [e] = svc.get(s.id).events.filter((x) => x.type === 'command');
    expect(e).toMatchObject({ type: 'command', adHoc: true, command: 'ls -la', exitCode: 2 });
    expect(e!.type === 'command' && e!.output.length).toBe(4096);
    store.close();
  });

  it('records a declined step as declined and a step that could not be sent as not sent', async () => {
    const { svc, store } = setup();
    const s = svc.start({ kind: 'incident', title: 'API down', severity: 'SEV-1' });
    svc.stepNotRun(
      { runId: 'run-decl-001', stepId: 'restart', command: 'systemctl restart aura' },
      'declined',
    );
    await expect(
      svc.runStep(
        { runId: 'run-fail-002', stepId: 'restart', command: 'systemctl restart aura' },
        'run',
        async () => {
          throw new Error('This command can change things, so it needs confirmation');
        },
      ),
    ).rejects.toThrow(/confirmation/);
    const steps = svc.get(s.id).events.filter((e) => e.type === 'step');
    expect(steps.map((e) => e.type === 'step' && [e.status, e.reason])).toEqual([
      ['declined', 'the operator cancelled the confirmation'],
      ['not-sent', 'This command can change things, so it needs confirmation'],
    ]);
    const md = svc.report(s.id, 'markdown').content;
    expect(md).toContain('**Declined** step **restart**');
    expect(md).not.toMatch(/Ran step \*\*restart\*\*/);
    store.close();
  });

  it('never moves recording silently, and notes a switch on the timeline', () => {
    const { svc, store } = setup();
    const a = svc.start({ kind: 'incident', title: 'API down', severity: 'SEV-1' });
    expect(() => svc.start({ kind: 'change', title: 'Deploy' })).toThrow(/"API down" is recording/);
    expect(svc.list().map((s) => s.title)).toEqual(['API down']);
    // Browsing another session does not touch recording.
    svc.get(a.id);
    expect(svc.currentId()).toBe(a.id);
    const b = svc.start({ kind: 'change', title: 'Deploy', takeRecordingFrom: a.id });
    expect(svc.currentId()).toBe(b.id);
    expect(svc.get(a.id).events.at(-1)).toMatchObject({
      type: 'recording',
      recording: false,
      reason: 'recording moved to "Deploy"',
    });
    // A window that still thinks A records cannot switch over B.
    expect(() => svc.focus(a.id, a.id)).toThrow(/"Deploy" is recording now/);
    expect(svc.focus(a.id, b.id)).toBe(a.id);
    store.close();
  });

  it('starts an incident from the triage: its severity, a snapshot first, detection and the impact start from the log', () => {
    const { svc, store, install, advance } = setup(undefined, true);
    const log = path.join(
      install!.paths.logsDir,
      `aura-api-${new Date(T0).toISOString().slice(0, 10).replace(/-/g, '')}.log`,
    );
    const ts = (ms: number) => `[${new Date(ms).toISOString().replace('T', ' ').replace('Z', ' +00:00')}]`;
    fs.writeFileSync(
      log,
      [
        `${ts(T0 - 20 * 60_000)} [INF] [] [] [] Request GET /api/health finished in 3 ms 200`,
        `${ts(T0 - 5 * 60_000)} [ERR] [] [] [] Request POST /api/render failed`,
        `${ts(T0 - 4 * 60_000)} [FTL] [] [] [] Host terminated unexpectedly`,
        `${ts(T0 - 3 * 60_000)} [ERR] [] [] [] Request POST /api/render failed`,
        '',
      ].join('\n'),
    );
    fs.utimesSync(log, new Date(T0), new Date(T0));
    svc.observeSweep(sweepOf(false, T0 - 120_000));
    svc.observeSweep(sweepOf(false, T0 - 60_000));
    advance(1000);
    expect(() =>
      svc.start({ kind: 'incident', title: 'API down', fromTriage: true, severity: 'SEV-2' }),
    ).toThrow(/triage says SEV-1/);
    const s = svc.start({ kind: 'incident', title: 'API down', fromTriage: true });
    expect(s.severity).toBe('SEV-1');
    expect(s.events[0]).toMatchObject({
      type: 'triage',
      severity: 'SEV-1',
      overall: 'unreachable',
      probes: [{ id: 'api', state: 'unreachable' }],
    });
    expect(s.milestones.detected?.at).toBe(T0 - 120_000);
    expect(s.milestones.acknowledged?.at).toBe(s.startedAt);
    expect(s.impactStart).toMatchObject({
      at: T0 - 4 * 60_000,
      source: 'logs',
      evidence: { file: log, line: 3, level: 'FTL' },
    });
    store.close();
  });

  it('asks a reason to change the severity or correct a milestone', () => {
    const { svc, store, now } = setup();
    const s = svc.start({ kind: 'incident', title: 'Errors', severity: 'SEV-2' });
    expect(() => svc.record(s.id, { type: 'severity', severity: 'SEV-1' })).toThrow(/needs a reason/);
    svc.record(s.id, { type: 'severity', severity: 'SEV-1', reason: 'jobs are failing for every user' });
    expect(svc.get(s.id).severity).toBe('SEV-1');
    expect(() => svc.setMilestone(s.id, 'acknowledged', now() - 60_000, undefined)).toThrow(/needs a reason/);
    const d = svc.setMilestone(s.id, 'acknowledged', now() - 60_000, 'paged before opening the console');
    expect(d.milestones.acknowledged).toMatchObject({
      source: 'operator',
      reason: 'paged before opening the console',
    });
    expect(() => svc.setMilestone(s.id, 'identified', now() + 3_600_000, undefined)).toThrow(/future/);
    store.close();
  });

  it('verifies with a before/after table, and resolves only when green or with a written override', async () => {
    const { svc, store, setApi } = setup(undefined, true);
    const s = svc.start({ kind: 'incident', title: 'API down', fromTriage: true });
    await svc.runStep(
      { runId: 'run-chk-0001', stepId: 'echo-ok', command: 'echo ok', expect: OK_EXPECT },
      'run-check',
      async () => ({ sessionId: 't1', mode: 'run' as const }),
    );
    svc.commandFinished(finished('echo ok', 1, 'fail', 'run-chk-0001'));
    // Still down: not green, so resolving needs an override.
    let d = await svc.verify(s.id);
    expect(d.events.at(-1)).toMatchObject({ type: 'verify', green: false });
    expect(() => svc.end(s.id, { status: 'resolved', summary: 'x' })).toThrow(/override/);
    setApi(true);
    d = await svc.verify(s.id);
    const v = d.events.at(-2);
    expect(v).toMatchObject({ type: 'verify', green: true });
    expect(
      v?.type === 'verify' &&
        v.rows.map((r) => [r.label.split(' (')[0], r.before.split(' ')[0], r.after.split(' ')[0], r.ok]),
    ).toEqual([
      ['Triage', 'SEV-1', 'SEV-4', true],
      ['Aura API', 'unreachable', 'ok', true],
      // The answer's word (a finding would show its name), not pass/fail.
      ['echo-ok', 'UNEXPECTED', 'OK', true],
    ]);
    expect(d.milestones.mitigated?.source).toBe('console');
    expect(() => svc.end(s.id, { status: 'resolved' })).toThrow(/summary/);
    d = svc.end(s.id, {
      status: 'resolved',
      summary: 'Restarted the API.',
      actionItems: [{ text: 'Alert on FTL lines', owner: 'Dana' }],
      contributingFactors: ['No alert on the crash'],
    });
    expect(d.status).toBe('resolved');
    expect(d.milestones.resolved?.at).toBe(d.endedAt);
    expect(d.postmortem).toMatchObject({
      actionItems: [{ text: 'Alert on FTL lines', owner: 'Dana' }],
      contributingFactors: ['No alert on the crash'],
      resolveOverride: null,
    });
    store.close();
  });

  it('schedules a change for a window, begins it with the window status, links its runbook and lists what was not done', async () => {
    const { svc, store } = setup();
    // T0 is Friday 2026-11-27 20:00 UTC; the windows are weekdays 02-04 and Sunday 02-06.
    const sunday3am = Date.UTC(2026, 10, 29, 3, 0, 0);
    expect(() =>
      svc.start({ kind: 'change', title: 'x', scheduledFor: sunday3am, timeZone: 'Mars/Olympus' }),
    ).toThrow(/not a time zone/);
    expect(() => svc.start({ kind: 'incident', title: 'x', scheduledFor: sunday3am })).toThrow(
      /Only a change/,
    );
    const c = svc.start({ kind: 'change', title: 'Deploy 1.4', scheduledFor: sunday3am, timeZone: 'UTC' });
    expect(c.scheduledFor).toBe(sunday3am);
    expect(c.events).toMatchObject([{ type: 'scheduled', time: sunday3am, window: 'Sunday 02:00-06:00' }]);
    // Scheduled is not recording.
    expect(svc.currentId()).toBeNull();
    const d = svc.begin(c.id, null, 'UTC');
    expect(svc.currentId()).toBe(c.id);
    expect(d.scheduledFor).toBeNull();
    // Begun on a Friday evening: outside the windows, and the record says so.
    expect(d.events.at(-1)).toMatchObject({
      type: 'change-began',
      inWindow: false,
      nextWindow: 'Sunday 02:00-06:00',
      scheduledFor: sunday3am,
    });
    expect(() => svc.begin(c.id, null, 'UTC')).toThrow(/not a scheduled change/);
    await svc.runStep(
      {
        runId: 'run-dep-0001',
        stepId: 'backup',
        runbookId: 'bundled/deployment.md',
        runbookTitle: 'Deployment',
        command: 'echo backup',
      },
      'run',
      async () => ({ sessionId: 't1', mode: 'run' as const }),
    );
    svc.record(c.id, {
      type: 'check',
      itemKey: 'change:pre-backup',
      label: 'Pre-Change: Backup completed',
      checked: true,
    });
    const md = svc.report(c.id, 'markdown').content;
    expect(md).toContain('- **Runbook**: Deployment');
    expect(md).toContain('**outside the maintenance windows**');
    expect(md).toContain('- [x] Backup completed');
    const notDone = md.slice(md.indexOf('### Not done'));
    expect(notDone).toContain('- Pre-Change: Change request approved');
    expect(notDone).not.toContain('Backup completed');
    store.close();
  });

  it('keeps emergency contacts in ops.db, one per role, each with a way to reach them', () => {
    const a = setup();
    expect(a.svc.contacts()).toEqual([]);
    expect(() => a.svc.setContacts([{ role: 'on-call', name: 'Dana', reach: '' }])).toThrow(
      /how to reach Dana/,
    );
    expect(() =>
      a.svc.setContacts([
        { role: 'on-call', name: 'Dana', reach: 'pager' },
        { role: 'on-call', name: 'Eve', reach: 'pager' },
      ]),
    ).toThrow(/given twice/);
    a.svc.setContacts([
      { role: 'security', name: 'Sam', reach: '#sec' },
      { role: 'on-call', name: 'Dana', reach: 'PagerDuty' },
      { role: 'database', name: '', reach: '' },
    ]);
    a.store.close();
    const b = setup(a.dir);
    expect(b.svc.contacts().map((c) => c.role)).toEqual(['on-call', 'security']);
    const s = b.svc.start({ kind: 'incident', title: 'x', severity: 'SEV-2' });
    expect(b.svc.report(s.id, 'markdown').content).toContain('- On-call engineer: Dana (PagerDuty)');
    b.store.close();
  });

  it('records nothing once ended', () => {
    const { svc, store } = setup();
    const s = svc.start({ kind: 'runbook', title: 'x' });
    svc.end(s.id, { status: 'resolved', summary: 'Fixed by restarting' });
    expect(svc.commandFinished(finished('ls', 0, '', null))).toBeNull();
    expect(() => svc.record(s.id, { type: 'note', text: 'late', deviation: false })).toThrow(/resolved/);
    store.close();
  });

  it('keeps pasted output and notes from breaking the report', () => {
    const { svc, store } = setup();
    const s = svc.start({ kind: 'runbook', title: 'Hostile <script>alert(1)</script>' });
    svc.record(s.id, { type: 'note', text: '# not a heading\n| not | a table |', deviation: false });
    svc.commandFinished(finished('cat x', 0, '```\n## injected heading\n```', null));
    const md = svc.report(s.id, 'markdown').content;
    // The pasted fence stays inside a longer one: its heading is text, not structure.
    expect(md).toContain('````text\n```\n## injected heading\n```\n````');
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\# not a heading \\| not \\| a table \\|');
    store.close();
  });
});

describe('aura-ops report', () => {
  it('prints a session by id prefix, lists sessions, and refuses an unknown or malformed one', async () => {
    const { svc, store, dir } = setup();
    const s = svc.start({ kind: 'runbook', title: 'Cache Management' });
    store.close();
    const out: string[] = [];
    const io = { out: (t: string) => out.push(t), err: (t: string) => out.push(`ERR ${t}`) };
    expect(await reportCommand([s.id.slice(0, 8), '--data-dir', dir], io)).toBe(0);
    expect(out.join('\n')).toContain('# Runbook walk-through: Cache Management');
    out.length = 0;
    expect(await reportCommand(['--list', '--data-dir', dir], io)).toBe(0);
    expect(out.join('\n')).toContain('Cache Management');
    await expect(reportCommand(['abcdef99', '--data-dir', dir], io)).rejects.toThrow(/No session abcdef99/);
    await expect(reportCommand(["%' OR 1=1 --", '--data-dir', dir], io)).rejects.toThrow(/not a session id/);
  });
});
