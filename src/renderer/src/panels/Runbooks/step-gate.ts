// What stands between a step and Run: its input values (checked and filled with the install
// quoting) and its preconditions (evaluated against what the workbench knows, overridable with a reason).
import { createContext, useContext, useEffect, useMemo, useState } from 'react';
import { fillInputs, initialValues } from '../../../../shared/runbooks/inputs';
import {
  blocksRun,
  evaluatePreconditions,
  type PreconditionFacts,
  type PreconditionStatus,
} from '../../../../shared/runbooks/preconditions';
import type { Step } from '../../../../shared/runbooks/types';

export interface StepRunContextValue {
  /** What the console knows now (session, backups, step outcomes, API probe, clock). */
  facts: PreconditionFacts;
  /** Earlier steps' named outputs of the open runbook, by "step-id.output". */
  outputs: Readonly<Record<string, string>>;
  /** Record an override of `unmet` with the operator's reason; rejects when it cannot be recorded. */
  onOverride: (step: Step, command: string, unmet: PreconditionStatus[], reason: string) => Promise<void>;
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

export interface StepGate {
  values: Record<string, string>;
  setValue: (name: string, value: string) => void;
  /** Per input, why its value is refused (only for inputs the operator has touched or after a Run attempt). */
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
  const inputs = useMemo(() => step?.inputs ?? [], [step]);
  const outputs = ctx?.outputs;
  const [values, setValues] = useState<Record<string, string>>(() => initialValues(inputs, outputs ?? {}));
  const [touched, setTouched] = useState<Record<string, boolean>>({});
  const [overridden, setOverridden] = useState(false);
  // An earlier step's output that arrives later fills an input the operator has not typed into.
  useEffect(() => {
    const start = initialValues(inputs, outputs ?? {});
    setValues((v) => {
      const next = { ...v };
      for (const i of inputs) if (!touched[i.name] && start[i.name] !== '') next[i.name] = start[i.name];
      return next;
    });
  }, [inputs, outputs, touched]);

  const filled = useMemo(
    () => (step && inputs.length > 0 ? fillInputs(step, values) : null),
    [step, inputs, values],
  );
  const requires = step?.requires;
  const facts = ctx?.facts ?? NOTHING_KNOWN;
  const statuses = useMemo(
    () => (requires && requires.length > 0 ? evaluatePreconditions(requires, facts) : []),
    [requires, facts],
  );
  const command = !step ? null : filled ? filled.command : step.filled;
  const errors: Record<string, string> = {};
  for (const [name, why] of Object.entries(filled?.errors ?? {}))
    if (touched[name] || values[name] !== '') errors[name] = why;
  const missing = inputs.filter((i) => filled?.errors[i.name]).map((i) => i.name);
  const blocked =
    missing.length > 0
      ? `Fill ${missing.join(', ')} first`
      : blocksRun(statuses) && !overridden
        ? 'A precondition is not met: override it with a reason to run anyway'
        : null;
  return {
    values,
    setValue: (name, value) => {
      setTouched((t) => ({ ...t, [name]: true }));
      setValues((v) => ({ ...v, [name]: value }));
    },
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
      setOverridden(true);
    },
    ran: () => setOverridden(false),
  };
}
