// Walk-through sessions on a real ops.db: events are written as they happen and survive a restart,
// checklist state belongs to the session, finished commands attach to their step, and the report
// keeps the timeline in order and cannot be broken by what was pasted into it.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { ServiceContext } from '../context';
import { OpsStore } from '../store/store';
import { reportCommand } from './cli';
import { WalkthroughService } from './service';

const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function setup(dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-wt-'))) {
  dirs.push(dir);
  const store = OpsStore.open(dir);
  const emitted: string[] = [];
  let t = Date.UTC(2026, 10, 27, 8, 0, 0);
  const ctx: ServiceContext = {
    dataDir: dir,
    getInstall: () => null,
    emit: (e) => emitted.push(e),
    onDispose: () => undefined,
  };
  const svc = new WalkthroughService(store, ctx, () => (t += 1000));
  return { dir, store, svc, emitted, advance: (ms: number) => (t += ms) };
}

describe('WalkthroughService', () => {
  it('records a walk-through and finds it intact after a restart', () => {
    const a = setup();
    const s = a.svc.start({ kind: 'incident', title: 'API down', runbookTitle: 'Service Degradation', severity: 'SEV-1' });
    a.svc.record(s.id, { type: 'check', itemKey: 'diag-1', label: 'Check the health endpoint', checked: true });
    a.svc.record(s.id, { type: 'note', text: 'Port 5005 closed', deviation: false });
    a.store.close();

    const b = setup(a.dir);
    const list = b.svc.list();
    expect(list.map((x) => [x.title, x.status, x.eventCount])).toEqual([['API down', 'active', 2]]);
    const d = b.svc.get(s.id);
    expect(d.checks).toEqual({ 'diag-1': { label: 'Check the health endpoint', checked: true, at: expect.any(Number) } });
    expect(d.events.map((e) => e.type)).toEqual(['check', 'note']);
    expect(b.svc.currentId()).toBe(s.id);
    b.svc.focus(null);
    expect(b.svc.currentId()).toBeNull();
    expect(b.svc.recordCommandFinished({ command: 'ls', exitCode: 0 })).toBeNull();
    b.svc.focus(s.id);
    expect(b.svc.currentId()).toBe(s.id);
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

  it('attaches a finished command to the step that ran it, and records other commands too', () => {
    const { svc, store } = setup();
    const s = svc.start({ kind: 'runbook', title: 'Database Issues' });
    svc.record(s.id, { type: 'step-run', stepId: 'integrity', command: 'sqlite3 aura.db "PRAGMA integrity_check;"', mode: 'run' });
    expect(svc.recordCommandFinished({ command: 'sqlite3 aura.db "PRAGMA integrity_check;"', exitCode: 0, durationMs: 42, outputExcerpt: 'ok' })).toBe(s.id);
    svc.recordCommandFinished({ command: 'ls -la', exitCode: 2, outputExcerpt: 'x'.repeat(10_000) });
    const fin = svc.get(s.id).events.filter((e) => e.type === 'command-finished');
    expect(fin[0]).toMatchObject({ stepId: 'integrity', exitCode: 0, output: 'ok' });
    expect(fin[1]).not.toHaveProperty('stepId');
    expect(fin[1]!.type === 'command-finished' && fin[1]!.output.length).toBe(4096);
    store.close();
  });

  it('checks a Run & check step against its declared expectation when its command finishes', () => {
    const { svc, store } = setup();
    const s = svc.start({ kind: 'runbook', title: 'Database Issues' });
    const expect_ = { pattern: '^ok$', flags: 'm', exitCode: 0 };
    svc.record(s.id, { type: 'step-run', stepId: 'integrity', command: 'sqlite3 -readonly aura.db "PRAGMA integrity_check;"', mode: 'run-check', expect: expect_ });
    svc.recordCommandFinished({ command: 'sqlite3 -readonly aura.db "PRAGMA integrity_check;"', exitCode: 0, outputExcerpt: 'ok\n' });
    svc.record(s.id, { type: 'step-run', stepId: 'integrity', command: 'sqlite3 -readonly aura.db "PRAGMA integrity_check;"', mode: 'run-check', expect: expect_ });
    svc.recordCommandFinished({ command: 'sqlite3 -readonly aura.db "PRAGMA integrity_check;"', exitCode: 1, outputExcerpt: '*** in database main ***\nPage 7 is never used' });
    const fin = svc.get(s.id).events.filter((e) => e.type === 'command-finished');
    expect(fin.map((e) => e.type === 'command-finished' && e.check?.status)).toEqual(['pass', 'fail']);
    store.close();
  });

  it('records nothing when no session is current, and nothing more once ended', () => {
    const { svc, store } = setup();
    expect(svc.recordCommandFinished({ command: 'ls', exitCode: 0 })).toBeNull();
    const s = svc.start({ kind: 'runbook', title: 'x' });
    svc.end(s.id, 'resolved', 'Fixed by restarting');
    expect(svc.recordCommandFinished({ command: 'ls', exitCode: 0 })).toBeNull();
    expect(() => svc.record(s.id, { type: 'note', text: 'late', deviation: false })).toThrow(/resolved/);
    store.close();
  });

  it('exports a Markdown report with the timeline in order', () => {
    const { svc, store, advance } = setup();
    const s = svc.start({ kind: 'incident', title: 'Errors spiking', severity: 'SEV-2', runbookTitle: 'High Error Rates' });
    svc.record(s.id, { type: 'step-run', stepId: 'rate', command: 'aura-ops logs stats --minutes 15', mode: 'run' });
    svc.recordCommandFinished({ command: 'aura-ops logs stats --minutes 15', exitCode: 0, durationMs: 300, outputExcerpt: '5xx: 12.5%' });
    svc.record(s.id, { type: 'note', text: 'Skipped the restart: jobs running', deviation: true });
    advance(20 * 60_000);
    svc.end(s.id, 'resolved', 'Provider key rotated.');
    const md = svc.report(s.id, 'markdown').content;
    expect(md).toContain('# Incident report: Errors spiking');
    expect(md).toContain('SEV-2 (High), response time <15 minutes');
    expect(md).toContain('Level 3');
    expect(md).not.toContain('Level 4');
    const order = ['Ran step **rate**', 'exit 0 in 300 ms', '5xx: 12.5%', '**Deviation**: Skipped the restart'].map((x) => md.indexOf(x));
    expect(order.every((i) => i > 0)).toBe(true);
    expect([...order].sort((x, y) => x - y)).toEqual(order);
    const json = JSON.parse(svc.report(s.id, 'json').content) as { events: unknown[]; status: string };
    expect(json.status).toBe('resolved');
    expect(json.events).toHaveLength(3);
    store.close();
  });

  it('keeps pasted output and notes from breaking the report', () => {
    const { svc, store } = setup();
    const s = svc.start({ kind: 'runbook', title: 'Hostile <script>alert(1)</script>' });
    svc.recordCommandFinished({ command: 'echo', exitCode: 0 });
    svc.record(s.id, { type: 'note', text: '# not a heading\n| not | a table |', deviation: false });
    const id = svc.currentId()!;
    svc.recordCommandFinished({ command: 'cat x', exitCode: 0, outputExcerpt: '```\n## injected heading\n```' });
    const md = svc.report(id, 'markdown').content;
    expect(md).not.toMatch(/^## injected heading/m);
    expect(md).toContain('````text');
    expect(md).not.toContain('<script>');
    expect(md).toContain('\\# not a heading \\| not \\| a table \\|');
    store.close();
  });
});

describe('aura-ops report', () => {
  it('prints a session by id prefix, lists sessions, and refuses an unknown one', async () => {
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
    await expect(reportCommand(['zzzz', '--data-dir', dir], io)).rejects.toThrow(/No session zzzz/);
  });
});
