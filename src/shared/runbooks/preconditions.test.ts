// Precondition evaluation: each kind met, not met and unknown (unknown never lets Run through),
// the `requires` grammar, and the facts read from a session's events.
import { describe, expect, it } from 'vitest';
import {
  apiFactFromSweep,
  blocksRun,
  evaluatePreconditions,
  factsFromEvents,
  MAX_PROBE_AGE_MS,
  parseRequires,
  type FactEvent,
  type PreconditionFacts,
} from './preconditions';
import type { Precondition } from './types';
import { sweepOf } from '../../main/services/walkthroughs/test-support';

const NOW = Date.UTC(2026, 11, 6, 9, 0); // Sunday 6 December 2026, 09:00 UTC
const facts = (over: Partial<PreconditionFacts> = {}): PreconditionFacts => ({
  now: NOW,
  timeZone: 'UTC',
  session: { id: 's1', title: 'Vacuum' },
  backups: [],
  stepOutcomes: {},
  api: null,
  ...over,
});
const one = (p: Precondition, f: PreconditionFacts) => evaluatePreconditions([p], f)[0];

describe('parseRequires', () => {
  it('reads the four kinds, separated by commas or spaces', () => {
    expect(parseRequires('maintenance-window, backup api-stopped,step:db-check')).toEqual({
      requires: [
        { kind: 'maintenance-window' },
        { kind: 'backup' },
        { kind: 'api-stopped' },
        { kind: 'step-ok', step: 'db-check' },
      ],
      problems: [],
    });
    expect(parseRequires(undefined)).toEqual({ requires: [], problems: [] });
  });

  it('reports unknown words rather than dropping them silently', () => {
    const r = parseRequires('backup, step:, sudo, step:a b');
    expect(r.requires).toEqual([{ kind: 'backup' }, { kind: 'step-ok', step: 'a' }]);
    expect(r.problems).toHaveLength(3);
    expect(r.problems[0]).toContain('"step:"');
    expect(parseRequires(' ').problems).toEqual(['requires is empty.']);
  });
});

describe('maintenance window', () => {
  const p: Precondition = { kind: 'maintenance-window' };
  it('met inside the Sunday window of the operator zone', () => {
    // 09:00 UTC is 03:00 in America/Chicago (CST, UTC-6 in December), inside Sunday 02:00-06:00.
    const r = one(p, facts({ timeZone: 'America/Chicago' }));
    expect(r).toMatchObject({ state: 'met', met: true });
    expect(r.why).toContain('Sunday 02:00-06:00');
  });
  it('not met outside, with the next window', () => {
    const r = one(p, facts({ timeZone: 'UTC' }));
    expect(r).toMatchObject({ state: 'not-met', met: false });
    expect(r.why).toContain('next: Weekday 02:00-04:00');
  });
  it('unknown without a zone or with a bad one, and unknown is not met', () => {
    expect(one(p, facts({ timeZone: null }))).toMatchObject({ state: 'unknown', met: false });
    const bad = one(p, facts({ timeZone: 'Mars/Olympus' }));
    expect(bad).toMatchObject({ state: 'unknown', met: false });
    expect(bad.why).toContain('Unknown time zone');
  });
});

describe('backup in this session', () => {
  const p: Precondition = { kind: 'backup' };
  it('met by a good backup, naming the newest', () => {
    const r = one(
      p,
      facts({
        backups: [
          { at: NOW - 600_000, file: '/b/old.db', ok: true, damaged: false },
          { at: NOW - 30_000, file: '/b/new.db', ok: true, damaged: false },
        ],
      }),
    );
    expect(r).toMatchObject({ state: 'met', met: true });
    expect(r.why).toBe('/b/new.db taken 30 s ago');
  });
  it('not met with none, a failed one or only a damaged one', () => {
    expect(one(p, facts()).why).toBe('no backup of aura.db in "Vacuum" yet');
    expect(one(p, facts({ backups: [{ at: NOW, file: '', ok: false, damaged: false }] }))).toMatchObject({
      state: 'not-met',
      why: 'the backups of this session failed',
    });
    expect(one(p, facts({ backups: [{ at: NOW, file: '/b/x.db', ok: true, damaged: true }] })).why).toContain(
      'DAMAGED',
    );
  });
  it('unknown without a recording session', () => {
    expect(
      one(p, facts({ session: null, backups: [{ at: NOW, file: '/b/x.db', ok: true, damaged: false }] })),
    ).toMatchObject({ state: 'unknown', met: false });
  });
});

describe('API stopped', () => {
  const p: Precondition = { kind: 'api-stopped' };
  const api = (over: Partial<NonNullable<PreconditionFacts['api']>>) => ({
    state: 'unreachable',
    refused: true,
    hung: false,
    checkedAt: NOW - 5000,
    summary: 's',
    ...over,
  });
  it('met when nothing listens (connection refused)', () => {
    expect(one(p, facts({ api: api({}) }))).toMatchObject({ state: 'met', met: true });
  });
  it('not met when it answers or hangs', () => {
    expect(one(p, facts({ api: api({ state: 'ok', refused: false }) }))).toMatchObject({
      state: 'not-met',
      met: false,
    });
    expect(one(p, facts({ api: api({ state: 'degraded', refused: false }) })).why).toContain(
      'answers (degraded',
    );
    expect(one(p, facts({ api: api({ refused: false, hung: true }) })).why).toContain('hangs');
  });
  it('reads the fact from a real sweep shape: refused when the API is down, answering when up, a timeout as hung', () => {
    expect(apiFactFromSweep(sweepOf(false, NOW))).toEqual({
      state: 'unreachable',
      refused: true,
      hung: false,
      checkedAt: NOW,
      summary: 'refused',
    });
    expect(one(p, facts({ api: apiFactFromSweep(sweepOf(false, NOW)) }))).toMatchObject({ state: 'met' });
    expect(one(p, facts({ api: apiFactFromSweep(sweepOf(true, NOW)) }))).toMatchObject({ state: 'not-met' });
    const hung = sweepOf(false, NOW);
    hung.signals.api.error = 'no answer within 2000 ms';
    hung.signals.api.timedOut = true;
    expect(one(p, facts({ api: apiFactFromSweep(hung) })).why).toContain('hangs');
    expect(apiFactFromSweep(null)).toBeNull();
  });
  it('unknown before a probe, with a stale probe, or an unclear failure', () => {
    expect(one(p, facts({ api: null }))).toMatchObject({ state: 'unknown', met: false });
    expect(one(p, facts({ api: api({ checkedAt: NOW - MAX_PROBE_AGE_MS - 1 }) }))).toMatchObject({
      state: 'unknown',
      met: false,
    });
    expect(one(p, facts({ api: api({ refused: false, summary: 'ENOTFOUND' }) }))).toMatchObject({
      state: 'unknown',
      why: 'ENOTFOUND',
    });
  });
});

describe('earlier step ok', () => {
  const p: Precondition = { kind: 'step-ok', step: 'db-check' };
  it('met when its latest checked run passed', () => {
    expect(one(p, facts({ stepOutcomes: { 'db-check': { status: 'pass', at: NOW - 1000 } } }))).toMatchObject(
      { state: 'met', met: true, why: 'ok 1 s ago' },
    );
  });
  it('not met when it failed, was not checked, or never ran', () => {
    expect(one(p, facts({ stepOutcomes: { 'db-check': { status: 'fail', at: NOW } } }))).toMatchObject({
      state: 'not-met',
      why: 'its last run was fail',
    });
    expect(one(p, facts({ stepOutcomes: { 'db-check': { status: 'unchecked', at: NOW } } })).met).toBe(false);
    expect(one(p, facts())).toMatchObject({
      state: 'not-met',
      why: '"db-check" has no checked run in this session yet',
    });
  });
});

describe('blocksRun', () => {
  it('blocks while any is not met, unknown included; nothing required blocks nothing', () => {
    const all: Precondition[] = [{ kind: 'backup' }, { kind: 'step-ok', step: 'a' }];
    expect(
      blocksRun(
        evaluatePreconditions(
          all,
          facts({
            backups: [{ at: NOW, file: 'f', ok: true, damaged: false }],
            stepOutcomes: { a: { status: 'pass', at: NOW } },
          }),
        ),
      ),
    ).toBe(false);
    expect(
      blocksRun(
        evaluatePreconditions(all, facts({ backups: [{ at: NOW, file: 'f', ok: true, damaged: false }] })),
      ),
    ).toBe(true);
    expect(
      blocksRun(
        evaluatePreconditions(
          all,
          facts({ session: null, stepOutcomes: { a: { status: 'pass', at: NOW } } }),
        ),
      ),
    ).toBe(true);
    expect(blocksRun(evaluatePreconditions([], facts()))).toBe(false);
  });
});

describe('factsFromEvents', () => {
  const step = (over: Record<string, unknown>): FactEvent =>
    ({
      type: 'step',
      at: NOW,
      stepId: 's',
      runbookId: 'rb',
      command: 'echo',
      status: 'finished',
      exitCode: 0,
      endedAt: NOW,
      output: '',
      verdict: null,
      ...over,
    }) as FactEvent;
  it("reads panel backups, CLI backup steps and each step's latest verdict of this runbook", () => {
    const f = factsFromEvents(
      [
        { type: 'db-backup', at: NOW - 10, file: '/b/p.db', ok: true, detail: '12 pages' },
        {
          type: 'db-backup',
          at: NOW - 9,
          file: '/b/d.db',
          ok: true,
          detail: 'DAMAGED: the copy fails quick_check',
        },
        step({
          command: 'aura-ops db backup --db /d/aura.db --out /b/c.db',
          output: '/b/c.db\n  10 bytes\n  quick_check of the copy: ok',
        }),
        step({
          command: 'aura-ops db backup --out /b/f.db',
          output: '/b/f.db\n  quick_check of the copy: FAILED',
          endedAt: NOW + 1,
        }),
        step({ command: 'aura-ops db backup --out /b/x.db', exitCode: 1, output: 'error' }),
        step({ stepId: 'db-check', verdict: { status: 'fail' }, endedAt: NOW - 5 }),
        step({ stepId: 'db-check', verdict: { status: 'pass' }, endedAt: NOW - 1 }),
        step({ stepId: 'other', runbookId: 'another', verdict: { status: 'pass' } }),
        step({ stepId: 'running', status: 'running', verdict: { status: 'pass' } }),
        { type: 'note', at: NOW },
      ],
      'rb',
    );
    expect(f.backups).toEqual([
      { at: NOW - 10, file: '/b/p.db', ok: true, damaged: false },
      { at: NOW - 9, file: '/b/d.db', ok: true, damaged: true },
      { at: NOW, file: '/b/c.db', ok: true, damaged: false },
      { at: NOW + 1, file: '/b/f.db', ok: false, damaged: false },
    ]);
    expect(f.stepOutcomes).toEqual({ 'db-check': { status: 'pass', at: NOW - 1 } });
  });
});
