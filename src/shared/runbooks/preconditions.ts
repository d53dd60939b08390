// Step preconditions (pure): the `requires="..."` fence attribute, the facts the console knows
// (session events, the API probe, the clock), and their evaluation. Default-deny: unknown is not met.
import type { SweepResult } from '../contract/probes';
import { isInWindow, nextWindow } from '../handbook';
import type { Precondition } from './types';

/** An API probe older than this says nothing about now (the console sweeps every few seconds). */
export const MAX_PROBE_AGE_MS = 2 * 60_000;
const STEP_ID_RE = /^[\w.-]{1,80}$/;

export function preconditionLabel(p: Precondition): string {
  switch (p.kind) {
    case 'maintenance-window':
      return 'Inside a maintenance window';
    case 'backup':
      return 'aura.db backed up in this session';
    case 'api-stopped':
      return 'Aura API stopped';
    case 'step-ok':
      return `Step "${p.step}" ran with outcome ok`;
  }
}

/** `requires="maintenance-window, backup, api-stopped, step:db-check"` -> preconditions and problems. */
export function parseRequires(raw: string | undefined): { requires: Precondition[]; problems: string[] } {
  const requires: Precondition[] = [];
  const problems: string[] = [];
  if (raw === undefined) return { requires, problems };
  for (const word of raw.split(/[,\s]+/).filter(Boolean)) {
    if (word === 'maintenance-window' || word === 'backup' || word === 'api-stopped')
      requires.push({ kind: word });
    else if (word.startsWith('step:') && STEP_ID_RE.test(word.slice(5)))
      requires.push({ kind: 'step-ok', step: word.slice(5) });
    else
      problems.push(
        `requires: "${word}" is not a precondition; use maintenance-window, backup, api-stopped or step:STEP-ID.`,
      );
  }
  if (requires.length === 0 && problems.length === 0) problems.push('requires is empty.');
  return { requires, problems };
}

/** What the console knows when it evaluates; null for anything it does not know (= not met). */
export interface PreconditionFacts {
  now: number;
  /** The operator's IANA zone, for the maintenance windows. */
  timeZone: string | null;
  /** The session that records; null when none does (a backup "in this session" cannot be known). */
  session: { id: string; title: string } | null;
  /** Backups of aura.db taken in that session. */
  backups: Array<{ at: number; file: string; ok: boolean; damaged: boolean }>;
  /** The latest recorded outcome of each step of this runbook (pass = ok), by step id. */
  stepOutcomes: Record<string, { status: string; at: number }>;
  /** The latest API probe: its state, and whether the connection was refused (nothing listens). */
  api: { state: string; refused: boolean; hung: boolean; checkedAt: number; summary: string } | null;
}

export type PreconditionState = 'met' | 'not-met' | 'unknown';

export interface PreconditionStatus {
  precondition: Precondition;
  label: string;
  state: PreconditionState;
  /** Only `met` lets Run through. */
  met: boolean;
  why: string;
}

function ago(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s < 120 ? `${s} s ago` : `${Math.round(s / 60)} min ago`;
}

function evaluateOne(p: Precondition, f: PreconditionFacts): { state: PreconditionState; why: string } {
  switch (p.kind) {
    case 'maintenance-window': {
      if (!f.timeZone) return { state: 'unknown', why: 'the time zone is not known' };
      try {
        const w = isInWindow(new Date(f.now), f.timeZone);
        if (w.inWindow && w.window)
          return { state: 'met', why: `inside the ${w.window.label} window (${f.timeZone})` };
        const next = nextWindow(new Date(f.now), f.timeZone);
        return {
          state: 'not-met',
          why: `outside the maintenance windows; next: ${next.label}, ${new Date(next.start).toISOString()} (${f.timeZone})`,
        };
      } catch (err) {
        return { state: 'unknown', why: (err as Error).message };
      }
    }
    case 'backup': {
      if (!f.session)
        return { state: 'unknown', why: 'no session is recording, so no backup of this session is known' };
      const good = f.backups.filter((b) => b.ok && !b.damaged).sort((a, b) => b.at - a.at)[0];
      if (good) return { state: 'met', why: `${good.file} taken ${ago(f.now - good.at)}` };
      if (f.backups.some((b) => b.ok && b.damaged))
        return { state: 'not-met', why: 'the only backup of this session is DAMAGED (fails quick_check)' };
      if (f.backups.length > 0) return { state: 'not-met', why: 'the backups of this session failed' };
      return { state: 'not-met', why: `no backup of aura.db in "${f.session.title}" yet` };
    }
    case 'api-stopped': {
      const a = f.api;
      if (!a) return { state: 'unknown', why: 'the API has not been probed yet' };
      if (f.now - a.checkedAt > MAX_PROBE_AGE_MS)
        return {
          state: 'unknown',
          why: `the last API probe is from ${ago(f.now - a.checkedAt)}: run a health sweep`,
        };
      if (a.state === 'unreachable' && a.refused)
        return { state: 'met', why: `nothing listens on the API port (probed ${ago(f.now - a.checkedAt)})` };
      if (a.hung)
        return {
          state: 'not-met',
          why: 'the API process accepts connections but hangs: it still runs and holds aura.db',
        };
      if (a.state === 'unreachable') return { state: 'unknown', why: a.summary };
      return { state: 'not-met', why: `the API answers (${a.state}, probed ${ago(f.now - a.checkedAt)})` };
    }
    case 'step-ok': {
      const o = f.stepOutcomes[p.step];
      if (!o)
        return {
          state: 'not-met',
          why: `"${p.step}" has no checked run${f.session ? ' in this session' : ''} yet`,
        };
      if (o.status === 'pass') return { state: 'met', why: `ok ${ago(f.now - o.at)}` };
      return { state: 'not-met', why: `its last run was ${o.status}` };
    }
  }
}

/** Each precondition with its state and why; only `met` counts as met. */
export function evaluatePreconditions(
  list: readonly Precondition[],
  facts: PreconditionFacts,
): PreconditionStatus[] {
  return list.map((p) => {
    const { state, why } = evaluateOne(p, facts);
    return { precondition: p, label: preconditionLabel(p), state, met: state === 'met', why };
  });
}

/** Run is blocked while any precondition is not met (unknown included). */
export function blocksRun(statuses: readonly PreconditionStatus[]): boolean {
  return statuses.some((s) => !s.met);
}

/** The session events the facts are read from (a subset of SessionEvent, kept structural here). */
export type FactEvent =
  | { type: 'db-backup'; at: number; file: string; ok: boolean; detail: string }
  | {
      type: 'step';
      at: number;
      stepId: string;
      runbookId: string | null;
      command: string;
      status: string;
      exitCode: number | null;
      endedAt: number | null;
      output: string;
      verdict: { status: string } | null;
    }
  | { type: string; at: number };

const CLI_BACKUP_RE = /^\s*aura-ops\s+db\s+backup\b/;

/**
 * Backups and step outcomes from a session's events: a backup from the Database panel, or a
 * finished `aura-ops db backup` step whose copy passed quick_check; each step's latest checked run.
 */
export function factsFromEvents(
  events: readonly FactEvent[],
  runbookId: string | null,
): Pick<PreconditionFacts, 'backups' | 'stepOutcomes'> {
  const backups: PreconditionFacts['backups'] = [];
  const stepOutcomes: PreconditionFacts['stepOutcomes'] = {};
  for (const e of events) {
    if (e.type === 'db-backup' && 'detail' in e)
      backups.push({ at: e.at, file: e.file, ok: e.ok, damaged: e.detail.startsWith('DAMAGED') });
    if (e.type !== 'step' || !('stepId' in e) || e.status !== 'finished') continue;
    if (CLI_BACKUP_RE.test(e.command) && e.exitCode === 0) {
      const ok = /quick_check of the copy: ok/.test(e.output);
      backups.push({
        at: e.endedAt ?? e.at,
        file: e.output.trim().split('\n')[0]?.trim() || 'aura-ops db backup',
        ok,
        damaged: ok && /damaged backup/i.test(e.output),
      });
    }
    if (e.verdict && e.runbookId === runbookId) {
      const prev = stepOutcomes[e.stepId];
      const at = e.endedAt ?? e.at;
      if (!prev || prev.at <= at) stepOutcomes[e.stepId] = { status: e.verdict.status, at };
    }
  }
  return { backups, stepOutcomes };
}

/** The API fact from the latest health sweep: refused = nothing listens; a timeout = a hung process. */
export function apiFactFromSweep(sweep: SweepResult | null): PreconditionFacts['api'] {
  const a = sweep?.results.find((r) => r.id === 'api');
  if (!sweep || !a) return null;
  return {
    state: a.state,
    refused: sweep.signals.api.error === 'ECONNREFUSED',
    hung: sweep.signals.api.timedOut,
    checkedAt: a.checkedAt,
    summary: a.summary,
  };
}
