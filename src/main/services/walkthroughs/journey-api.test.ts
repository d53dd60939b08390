// Through the real handler table on a generated Aura install: a DB check, a DB backup and a health
// sweep made while a session records land on its timeline (a failed backup as failed), and nothing
// is recorded when no session records.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox/generator';
import { Runtime } from '../../runtime';
import type { SessionDetail } from '../../../shared/contract/walkthroughs-session';
import { damageTablePage } from '../database/test-fixtures';

const dirs: string[] = [];
const runtimes: Runtime[] = [];
afterEach(async () => {
  for (const r of runtimes.splice(0)) await r.dispose();
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-journey-'));
  dirs.push(d);
  return d;
};
/** A generated Aura install in a temp folder. */
const sandboxInstall = (): string => {
  const install = tmp();
  createSandbox(install, { days: 1, projects: 4, logMb: 0.05 });
  return install;
};
/** A serve console in temp folders, attached to `install` (or to none); afterEach disposes it. */
const consoleOn = (install: string | null): Runtime => {
  const r = new Runtime({ dataDir: tmp(), home: tmp(), env: {}, host: 'serve', explicitInstall: install });
  runtimes.push(r);
  return r;
};

async function call<T>(r: Runtime, channel: string, params: unknown): Promise<T> {
  const res = await r.api.dispatch(channel, params);
  if (!res.ok) throw new Error(`${channel}: ${res.error.message}`);
  return res.result as T;
}

describe('everything done in the console lands on the timeline', () => {
  it(
    'records DB checks, backups (failed ones too) and sweeps into the recording session only',
    { timeout: 60_000 },
    async () => {
      const r = consoleOn(sandboxInstall());
      // Nothing records yet: a check goes nowhere.
      await call(r, 'db:check', { kind: 'quick', jobId: 'j0' });
      const s = await call<SessionDetail>(r, 'walkthrough:start', {
        kind: 'incident',
        title: 'DB slow',
        severity: 'SEV-3',
      });
      await call(r, 'db:check', { kind: 'quick', jobId: 'j1' });
      const backup = await call<{ file: string }>(r, 'db:backup', { jobId: 'j2', name: 'before-fix.db' });
      // A backup that fails in the service (here: a name already taken) is on the timeline as failed.
      const again = await r.api.dispatch('db:backup', { jobId: 'j3', name: 'before-fix.db' });
      expect(again.ok).toBe(false);
      await call(r, 'probes:sweep', {});
      const d = await call<SessionDetail>(r, 'walkthrough:get', { id: s.id });
      const seen = d.events.filter(
        (e) => e.type === 'db-check' || e.type === 'db-backup' || e.type === 'probe-snapshot',
      );
      expect(
        seen.map((e) => [e.type, 'ok' in e ? e.ok : e.type === 'probe-snapshot' ? e.title : null]),
      ).toEqual([
        ['db-check', true],
        ['db-backup', true],
        ['db-backup', false],
        ['probe-snapshot', 'Health sweep'],
      ]);
      expect(seen[1]).toMatchObject({ type: 'db-backup', file: backup.file });
      const md = (await call<{ content: string }>(r, 'walkthrough:report', { id: s.id, format: 'markdown' }))
        .content;
      expect(md).toContain('Database check quick check: **ok**');
      expect(md).toContain(`Database backup written: \`${backup.file}\``);
      expect(md).toContain('Database backup failed ([evidence');
      expect(md).toContain('already exists');
    },
  );
});

describe('a damaged backup on the timeline', () => {
  it(
    'is recorded as written, and says DAMAGED (kept as evidence, not to restore from)',
    { timeout: 60_000 },
    async () => {
      const install = sandboxInstall();
      damageTablePage(path.join(install, 'aura.db'), 'ProjectStates');
      const r = consoleOn(install);
      const s = await call<SessionDetail>(r, 'walkthrough:start', {
        kind: 'incident',
        title: 'DB damaged',
        severity: 'SEV-2',
      });
      const backup = await call<{ file: string; damaged?: { warning: string } }>(r, 'db:backup', {
        jobId: 'd1',
      });
      expect(backup.damaged?.warning).toMatch(/do not restore from it/);
      const d = await call<SessionDetail>(r, 'walkthrough:get', { id: s.id });
      const ev = d.events.find((e) => e.type === 'db-backup');
      expect(ev).toMatchObject({ type: 'db-backup', ok: true, file: backup.file });
      expect(ev && 'detail' in ev ? ev.detail : '').toMatch(/^DAMAGED: the copy fails quick_check/);
      const md = (await call<{ content: string }>(r, 'walkthrough:report', { id: s.id, format: 'markdown' }))
        .content;
      expect(md).toMatch(/-DAMAGED\.db/);
      expect(md).toMatch(/DAMAGED: the copy fails quick\\?_check/);
    },
  );
});

describe('hostile input to the journey channels', () => {
  it('refuses a run id that is not an id, a bogus time zone, times before 1970 and a reasonless impact start', async () => {
    const r = consoleOn(null);
    const bad = async (channel: string, params: unknown) => {
      const res = await r.api.dispatch(channel, params);
      expect(res.ok, `${channel} ${JSON.stringify(params)}`).toBe(false);
      return res.ok ? '' : `${res.error.code}: ${res.error.message} ${res.error.detail ?? ''}`;
    };
    expect(
      await bad('walkthrough:run-step', {
        step: { runId: '$(rm -rf ~)', stepId: 's', command: 'ls' },
        mode: 'run',
      }),
    ).toMatch(/bad-request.*runId/);
    expect(await bad('terminal:run', { command: 'ls', runId: 'x'.repeat(65) })).toMatch(/bad-request/);
    expect(
      await bad('walkthrough:start', {
        kind: 'change',
        title: 'x',
        scheduledFor: 1,
        timeZone: '../../etc/passwd',
      }),
    ).toMatch(/not a time zone/);
    expect(await bad('walkthrough:start', { kind: 'change', title: 'x', scheduledFor: -5 })).toMatch(
      /bad-request/,
    );
    expect(await bad('walkthrough:start', { kind: 'incident', title: '   ' })).toMatch(/bad-request/);
    const s = await call<SessionDetail>(r, 'walkthrough:start', {
      kind: 'incident',
      title: 'x',
      severity: 'SEV-3',
    });
    expect(await bad('walkthrough:impact-start', { id: s.id, at: Date.now() - 1000, reason: '' })).toMatch(
      /bad-request/,
    );
    expect(await bad('walkthrough:milestone', { id: s.id, milestone: 'lunch', at: 0 })).toMatch(
      /bad-request/,
    );
    expect(await bad('walkthrough:contacts', { set: [{ role: 'ceo', name: 'x', reach: 'y' }] })).toMatch(
      /bad-request/,
    );
    expect(
      await bad('walkthrough:end', {
        id: s.id,
        status: 'resolved',
        summary: 'done',
        actionItems: [{ text: 'fix', owner: '' }],
      }),
    ).toMatch(/bad-request/);
  });
});
