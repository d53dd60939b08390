// What stands between a step and Run: its input values (checked and filled with the install
// quoting) and its preconditions (evaluated against what the workbench knows, overridable with a reason).
import { createContext, useContext, useMemo, useState } from 'react';
import { fillInputs, initialValues } from '../../../../shared/runbooks/inputs';
import {
  blocksRun,
  evaluatePreconditions,
  type PreconditionFacts,
  type PreconditionStatus,
} from '../../../../shared/runbooks/preconditions';
import type { Step } from '../../../../shared/runbooks/types';

/** What an operator did to one step's gate: the values typed, and an override not yet used by a run. */
export interface GateEntry {
  typed: Record<string, string>;
  overridden: boolean;
}

export interface StepRunContextValue {
  /** What the console knows now (session, backups, step outcomes, API probe, clock). */
  facts: PreconditionFacts;
  /** Earlier steps' named outputs of the open runbook, by "step-id.output". */
  outputs: Readonly<Record<string, string>>;
  /** Record an override of `unmet` with the operator's reason; rejects when it cannot be recorded. */
  onOverride: (step: Step, command: string, unmet: PreconditionStatus[], reason: string) => Promise<void>;
  /**
   * Gate entries of the open runbook by step id, kept by the workbench: the viewer re-creates its
   * code blocks whenever the session or a check changes, and a typed value must survive that.
   */
  gates: Readonly<Record<string, GateEntry>>;
  updateGate: (stepId: string, f: (e: GateEntry) => GateEntry) => void;
}

/** Given by the workbench; without it (a viewer on its own) nothing is known, so every precondition is unknown. */
export const StepRunContext = createContext<StepRunContextValue | null>(null);

const NOTHING_KNOWN: PreconditionFacts = {
  now: 0,
  timeZone: null,
  session: null,
  backups: [],
  stepOutcomes: {},
  api: null,
};
const EMPTY_GATE: GateEntry = { typed: {}, overridden: false };

export interface StepGate {
  values: Record<string, string>;
  setValue: (name: string, value: string) => void;
  /** Per input, why its value is refused (not shown for an input still empty and untouched). */
  errors: Record<string, string>;
  /** The command to run with the inputs filled, or null while a value is refused. */
  command: string | null;
  statuses: PreconditionStatus[];
  overridden: boolean;
  /** Why Run is not possible now, or null. */
  blocked: string | null;
  override: (reason: string) => Promise<void>;
  /** A run was sent: an override covers one run only. */
  ran: () => void;
}

export function useStepGate(step: Step | null): StepGate {
  const ctx = useContext(StepRunContext);
  const [localGates, setLocalGates] = useState<Record<string, GateEntry>>({});
  const inputs = useMemo(() => step?.inputs ?? [], [step]);
  const id = step?.id ?? '';
  const entry = (ctx ? ctx.gates : localGates)[id] ?? EMPTY_GATE;
  const update = (f: (e: GateEntry) => GateEntry) =>
    ctx ? ctx.updateGate(id, f) : setLocalGates((all) => ({ ...all, [id]: f(all[id] ?? EMPTY_GATE) }));
  // A value the operator typed wins; else the earlier step's output (when it has run), else the default.
  const start = initialValues(inputs, ctx?.outputs ?? {});
  const values: Record<string, string> = {};
  for (const i of inputs) values[i.name] = entry.typed[i.name] ?? start[i.name];

  const filled = step && inputs.length > 0 ? fillInputs(step, values) : null;
  const requires = step?.requires;
  const facts = ctx?.facts ?? NOTHING_KNOWN;
  const statuses = useMemo(
    () => (requires && requires.length > 0 ? evaluatePreconditions(requires, facts) : []),
    [requires, facts],
  );
  const command = !step ? null : filled ? filled.command : step.filled;
  const errors: Record<string, string> = {};
  for (const [name, why] of Object.entries(filled?.errors ?? {}))
    if (entry.typed[name] !== undefined || values[name] !== '') errors[name] = why;
  const missing = inputs.filter((i) => filled?.errors[i.name]).map((i) => i.name);
  const overridden = entry.overridden;
  const blocked =
    missing.length > 0
      ? `Fill ${missing.join(', ')} first`
      : blocksRun(statuses) && !overridden
        ? 'A precondition is not met: override it with a reason to run anyway'
        : null;
  return {
    values,
    setValue: (name, value) => update((e) => ({ ...e, typed: { ...e.typed, [name]: value } })),
    errors,
    command,
    statuses,
    overridden,
    blocked,
    override: async (reason) => {
      if (!step) return;
      if (!ctx) throw new Error('Overrides are recorded on a session timeline; this view has none.');
      await ctx.onOverride(
        step,
        command ?? step.filled,
        statuses.filter((s) => !s.met),
        reason,
      );
      update((e) => ({ ...e, overridden: true }));
    },
    ran: () => update((e) => ({ ...e, overridden: false })),
  };
}
