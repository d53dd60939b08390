// Contract shapes of a runbook step run under a walk-through: its run id, and the step as it travels
// from the viewer to main (expectation, declared answers, named output, a precondition override);
// then the verdict and the result main sends back once its command finished.
import { z } from 'zod';
import {
  ANSWER_KINDS,
  MAX_ANSWERS,
  MAX_CONDITION_CHARS,
  validRegex,
  type Outcome,
} from '../runbooks/findings';

/** A run id: made by the renderer per Run / Run & check, carried by terminal:run to the finished command. */
export const runIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'a run id is 8-64 letters, digits or dashes');

const expectation = z.object({
  pattern: z.string().max(4000),
  flags: z.string().max(8),
  exitCode: z.number().int(),
});
/** What a step's output is checked against (a regex and the exit code). */
export type StepExpectation = z.infer<typeof expectation>;

/** A verdict on a step's output, made once in main when its command finished. */
export interface StepVerdict {
  status: 'pass' | 'fail' | 'unchecked';
  expected: string;
  actual: string;
  reasons: string[];
  /** The step's answer (findings): ok / warn / finding / unexpected / error; absent in older sessions. */
  outcome?: Outcome;
  /** The matched warning's or finding's name ("API not listening"); null otherwise. */
  finding?: string | null;
}

/** One declared answer of a step (see src/shared/runbooks/findings.ts); main compiles its regexes, so they are checked here. */
const answerRegex = z
  .object({
    pattern: z.string().min(1).max(MAX_CONDITION_CHARS),
    flags: z.string().regex(/^[imsu]{0,4}$/),
    negate: z.boolean(),
  })
  .strict()
  .refine((c) => validRegex(c.pattern, c.flags), 'not a valid regular expression');
export const answerSchema = z
  .object({
    kind: z.enum(ANSWER_KINDS),
    key: z
      .string()
      .regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/)
      .max(100),
    label: z.string().min(1).max(200),
    exit: z.union([
      z.object({ codes: z.array(z.number().int().min(0).max(255)).min(1).max(256) }).strict(),
      z.object({ any: z.literal(true) }).strict(),
      z.object({ nonzero: z.literal(true) }).strict(),
    ]),
    output: z.array(answerRegex).max(8),
    source: z.string().max(MAX_CONDITION_CHARS + 100),
  })
  .strict();

export const stepDescriptor = z
  .object({
    runId: runIdSchema,
    stepId: z.string().min(1).max(200),
    runbookId: z.string().max(2000).optional(),
    /** Links a session started without a runbook to the runbook whose steps it runs. */
    runbookTitle: z.string().max(300).optional(),
    command: z
      .string()
      .min(1)
      .max(256 * 1024),
    expect: expectation.optional(),
    answers: z.array(answerSchema).min(1).max(MAX_ANSWERS).optional(),
    /** The step's named output, taken from its output when it finishes (inputs.ts). */
    output: z.lazy(() => stepOutputSpec).optional(),
  })
  .strict();
/** A runbook step as it travels from the viewer to main under its run id. */
export type StepDescriptor = z.infer<typeof stepDescriptor>;

/** A step's named output as the viewer sends it with the run (a regex source is bounded like an expectation). */
const stepOutputSpec = z
  .object({
    name: z.string().regex(/^[A-Za-z][A-Za-z0-9_]{0,39}$/),
    match: z
      .object({ source: z.string().max(4000), flags: z.string().regex(/^[imsu]{0,4}$/) })
      .strict()
      .nullable(),
  })
  .strict();

/** An override of a step's unmet preconditions, with the operator's reason (at least a few words). */
export const preconditionOverride = z
  .object({
    stepId: z.string().min(1).max(200),
    runbookId: z.string().max(2000).optional(),
    command: z
      .string()
      .min(1)
      .max(256 * 1024),
    unmet: z
      .array(z.object({ label: z.string().max(300), why: z.string().max(2000) }).strict())
      .min(1)
      .max(10),
    reason: z.string().trim().min(8, 'write why the step must run anyway (at least 8 characters)').max(2000),
  })
  .strict();

/** What main says when a step's command finished: the renderer shows this verdict, never its own. */
export interface StepResult {
  runId: string;
  stepId: string;
  runbookId: string | null;
  /** The session it was recorded in, or null when none was recording. */
  sessionId: string | null;
  exitCode: number | null;
  verdict: StepVerdict | null;
  /** The step's named output (`output="NAME"`), taken from what it printed; or why there is none. */
  output?: { name: string; value: string } | { name: string; error: string } | null;
}
