// Contract domain "walkthrough": a recorded incident, change or runbook walk. Every step run (one
// entry per run, keyed by its run id), hand-typed command, checklist tick, note, milestone,
// severity change, verify and probe snapshot is an event in ops.db, written when it happens; the
// session exports as a post-mortem draft (Markdown or JSON).
import { z } from 'zod';
import { event, request } from './define';
import {
  ANSWER_KINDS,
  MAX_ANSWERS,
  MAX_CONDITION_CHARS,
  validRegex,
  type Answer,
  type Outcome,
} from '../runbooks/findings';

export type SessionKind = 'runbook' | 'incident' | 'change';
export type SessionStatus = 'active' | 'resolved' | 'abandoned';
export type SeverityId = 'SEV-1' | 'SEV-2' | 'SEV-3' | 'SEV-4';

const severity = z.enum(['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']);
/** A run id: made by the renderer per Run / Run & check, carried by terminal:run to the finished command. */
export const runIdSchema = z
  .string()
  .regex(/^[A-Za-z0-9-]{8,64}$/, 'a run id is 8-64 letters, digits or dashes');

export const MILESTONES = ['detected', 'acknowledged', 'identified', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];

const expectation = z.object({
  pattern: z.string().max(4000),
  flags: z.string().max(8),
  exitCode: z.number().int(),
});

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

/** Events the renderer may record by hand (everything else is recorded by main as it happens). */
export const sessionEventInput = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('check'),
    itemKey: z.string().min(1).max(300),
    label: z.string().max(1000),
    checked: z.boolean(),
  }),
  z.object({
    type: z.literal('note'),
    text: z.string().trim().min(1).max(20_000),
    deviation: z.boolean().default(false),
    /** "The runbook should say": goes into the revision proposed at the end. */ shouldSay: z
      .boolean()
      .optional(),
  }),
  z.object({
    type: z.literal('probe-snapshot'),
    title: z.string().max(300),
    state: z.string().max(40),
    summary: z.string().max(4000),
  }),
  z.object({
    type: z.literal('log-pin'),
    file: z.string().max(4096),
    line: z.number().int().min(1).optional(),
    /** Byte offset of the record in `file` (a base name in the install's logs folder): main turns it into `line`. */
    offset: z.number().int().min(0).optional(),
    level: z.string().max(8),
    timestamp: z.string().max(64),
    text: z.string().max(16_384),
  }),
  z.object({ type: z.literal('severity'), severity, reason: z.string().trim().max(2000).optional() }),
  z.object({
    type: z.literal('escalation'),
    level: z.number().int().min(1).max(4),
    to: z.string().trim().max(300).optional(),
    reason: z.string().trim().max(2000).optional(),
  }),
]);
export type SessionEventInput = z.infer<typeof sessionEventInput>;

export type StepRunStatus = 'running' | 'pasted' | 'finished' | 'declined' | 'copied' | 'not-sent';

/** Events only main writes. */
export type SystemEvent =
  | {
      type: 'step';
      runId: string;
      stepId: string;
      runbookId: string | null;
      command: string;
      mode: 'run' | 'run-check' | 'paste' | 'copy';
      status: StepRunStatus;
      terminalId: string | null;
      expect: z.infer<typeof expectation> | null;
      /** The step's declared answers (findings), when it declares them. */
      answers?: Answer[];
      startedAt: number | null;
      endedAt: number | null;
      exitCode: number | null;
      durationMs: number | null;
      output: string;
      verdict: StepVerdict | null;
      /** Why it was declined or could not be sent. */
      reason: string | null;
    }
  | {
      type: 'command';
      adHoc: true;
      command: string;
      exitCode: number | null;
      durationMs: number | null;
      cwd: string | null;
      output: string;
      terminalId: string | null;
    }
  | {
      type: 'triage';
      severity: SeverityId;
      headline: string;
      overall: string;
      reasons: string[];
      probes: Array<{ id: string; title: string; state: string; summary: string }>;
    }
  /** `time` is the milestone's time (the entry's own `at` is when it was recorded). */
  | {
      type: 'milestone';
      milestone: Milestone;
      time: number;
      previous: number | null;
      source: 'console' | 'operator';
      reason: string | null;
    }
  | {
      type: 'impact-start';
      time: number;
      previous: number | null;
      source: 'logs' | 'operator';
      evidence: LogEvidence | null;
      reason: string | null;
    }
  | { type: 'verify'; green: boolean; rows: VerifyRow[] }
  | { type: 'recording'; recording: boolean; reason: string }
  /** A change was scheduled for `time` (default: the next maintenance window). */
  | { type: 'scheduled'; time: number; window: string | null; timeZone: string }
  /** A change began: where it stood against the maintenance windows at that moment. */
  | {
      type: 'change-began';
      inWindow: boolean;
      window: string | null;
      windowEnd: number | null;
      nextWindow: string | null;
      nextWindowStart: number | null;
      timeZone: string;
      scheduledFor: number | null;
    }
  | { type: 'db-backup'; file: string; bytes: number | null; ok: boolean; detail: string }
  | { type: 'db-check'; check: string; ok: boolean; detail: string }
  /** A draft revision of the session's runbook was saved (the report links to it). */
  | { type: 'revision'; file: string; runbookId: string; draftId: string }
  /** Run was let through past preconditions that were not met: the operator's written reason. */
  | {
      type: 'precondition-override';
      stepId: string;
      runbookId: string | null;
      command: string;
      unmet: Array<{ label: string; why: string }>;
      reason: string;
    }
  /** Older sessions (schema 2-4) recorded these; kept readable. */
  | { type: 'step-run'; stepId: string; command: string; mode: 'run' | 'paste' | 'run-check' | 'copy' }
  | {
      type: 'command-finished';
      command: string;
      exitCode: number | null;
      durationMs: number | null;
      cwd: string | null;
      output: string;
      stepId?: string;
      check?: { status: 'pass' | 'fail' | 'unchecked'; expected: string; detail: string };
    };

export type SessionEventData = SessionEventInput | SystemEvent;
export type SessionEvent = SessionEventData & { id: number; at: number; sessionId: string };

/** A log record that shows when the symptom began (file and line, so the report can point at it). */
export interface LogEvidence {
  file: string;
  line: number | null;
  timestamp: string;
  level: string;
  text: string;
}

/** One line of verify's before/after table. */
export interface VerifyRow {
  kind: 'triage' | 'probe' | 'step';
  label: string;
  before: string;
  after: string;
  ok: boolean;
}

/** The handbook's emergency contacts, by role. */
export const CONTACT_ROLES = ['on-call', 'database', 'infrastructure', 'security'] as const;
export type ContactRole = (typeof CONTACT_ROLES)[number];
export const CONTACT_ROLE_LABEL: Record<ContactRole, string> = {
  'on-call': 'On-call engineer',
  database: 'Database admin',
  infrastructure: 'Infrastructure team',
  security: 'Security team',
};

export interface Contact {
  role: ContactRole;
  name: string;
  /** How to reach them: a phone number, a pager, a chat handle. */
  reach: string;
}

export interface ActionItem {
  text: string;
  owner: string;
}

export interface Postmortem {
  contributingFactors: string[];
  actionItems: ActionItem[];
  wentWell: string[];
  wentBadly: string[];
  /** Set when resolved without a green verify. */
  resolveOverride: string | null;
}

export interface MilestoneEntry {
  at: number;
  source: 'console' | 'operator';
  reason: string | null;
}

export interface SessionSummary {
  id: string;
  kind: SessionKind;
  title: string;
  runbookId: string | null;
  runbookTitle: string | null;
  severity: SeverityId | null;
  status: SessionStatus;
  installLabel: string | null;
  installRoot: string | null;
  startedAt: number;
  endedAt: number | null;
  summary: string | null;
  eventCount: number;
}

export interface SessionDetail extends SessionSummary {
  /** A change not begun yet: when it is planned for. */
  scheduledFor: number | null;
  events: SessionEvent[];
  /** Checklist state of this session: item key -> ticked (task lists belong to the session, not the file). */
  checks: Record<string, { label: string; checked: boolean; at: number }>;
  milestones: Partial<Record<Milestone, MilestoneEntry>>;
  impactStart: { at: number; source: 'logs' | 'operator'; evidence: LogEvidence | null } | null;
  postmortem: Postmortem;
  /** The emergency contacts as they were when the session was read (listed as responders). */
  contacts: Contact[];
}

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

const stepDescriptor = z
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

const text = (max: number) => z.string().trim().min(1).max(max);

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
const preconditionOverride = z
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

export const walkthroughChannels = {
  'walkthrough:start': request<SessionDetail>()(
    z
      .object({
        kind: z.enum(['runbook', 'incident', 'change']),
        title: z.string().trim().min(1).max(300),
        runbookId: z.string().max(2000).optional(),
        runbookTitle: z.string().max(300).optional(),
        severity: severity.optional(),
        /** Take the severity, a snapshot and the detection time from the latest triage. */
        fromTriage: z.boolean().default(false),
        /** A change to begin later (epoch ms): it is listed, but records only once begun. */
        scheduledFor: z.number().int().min(0).optional(),
        /** The operator's IANA zone, for the maintenance windows (default: the console's). */
        timeZone: z.string().min(1).max(64).optional(),
        /**
         * Recording moves to the new session only when nothing records, or when this names the
         * session that records now (the operator was asked): nothing switches silently.
         */
        takeRecordingFrom: z.string().min(1).max(64).nullable().optional(),
      })
      .strict(),
  ),
  'walkthrough:list': request<SessionSummary[]>()(
    z
      .object({
        status: z.enum(['active', 'resolved', 'abandoned']).optional(),
        limit: z.number().int().min(1).max(500).default(50),
      })
      .strict(),
  ),
  'walkthrough:get': request<SessionDetail>()(z.object({ id: z.string().min(1).max(64) }).strict()),
  /** The session that records (finished commands go into it); null for none. */
  'walkthrough:current': request<{ id: string | null }>()(z.object({}).strict()),
  /**
   * Change which session records. `from` must name the session recording now (null when none),
   * so a second window cannot switch silently over what the operator sees.
   */
  'walkthrough:focus': request<{ id: string | null }>()(
    z
      .object({ id: z.string().min(1).max(64).nullable(), from: z.string().min(1).max(64).nullable() })
      .strict(),
  ),
  'walkthrough:record': request<SessionEvent>()(
    z.object({ id: z.string().min(1).max(64), event: sessionEventInput }).strict(),
  ),
  /** Send a runbook step to a terminal under a run id; its finished command is checked once, here. */
  'walkthrough:run-step': request<{ runId: string; terminalId: string; mode: 'run' | 'paste' }>()(
    z
      .object({
        step: stepDescriptor,
        mode: z.enum(['run', 'run-check', 'paste']),
        terminalId: z.string().min(1).max(64).optional(),
        confirmed: z.boolean().default(false),
      })
      .strict(),
  ),
  /** A step that was not run: its confirmation was declined, or it was only copied. */
  'walkthrough:step-not-run': request<{ recorded: boolean }>()(
    z
      .object({
        step: stepDescriptor,
        outcome: z.enum(['declined', 'copied']),
        reason: z.string().max(2000).optional(),
      })
      .strict(),
  ),
  /** Set or correct a milestone's time; a correction needs a reason. */
  'walkthrough:milestone': request<SessionDetail>()(
    z
      .object({
        id: z.string().min(1).max(64),
        milestone: z.enum(MILESTONES),
        at: z.number().int().min(0),
        reason: z.string().trim().max(2000).optional(),
      })
      .strict(),
  ),
  'walkthrough:impact-start': request<SessionDetail>()(
    z.object({ id: z.string().min(1).max(64), at: z.number().int().min(0), reason: text(2000) }).strict(),
  ),
  /** Begin a scheduled change now: the window status is recorded and it takes recording. */
  'walkthrough:begin': request<SessionDetail>()(
    z
      .object({
        id: z.string().min(1).max(64),
        takeRecordingFrom: z.string().min(1).max(64).nullable().optional(),
        timeZone: z.string().min(1).max(64).optional(),
      })
      .strict(),
  ),
  /** Re-run the triage and the session's checked steps; before/after goes on the timeline. */
  'walkthrough:verify': request<SessionDetail>()(z.object({ id: z.string().min(1).max(64) }).strict()),
  'walkthrough:end': request<SessionDetail>()(
    z
      .object({
        id: z.string().min(1).max(64),
        status: z.enum(['resolved', 'abandoned']),
        summary: z.string().trim().max(20_000).optional(),
        contributingFactors: z.array(text(2000)).max(50).default([]),
        actionItems: z
          .array(z.object({ text: text(2000), owner: text(200) }).strict())
          .max(100)
          .default([]),
        wentWell: z.array(text(2000)).max(50).default([]),
        wentBadly: z.array(text(2000)).max(50).default([]),
        /** Resolving without a green verify needs this written reason. */
        override: z.string().trim().max(2000).optional(),
      })
      .strict(),
  ),
  /** The emergency contacts (kept in ops.db); with `set`, replaces them first. */
  'walkthrough:contacts': request<Contact[]>()(
    z
      .object({
        set: z
          .array(
            z
              .object({
                role: z.enum(CONTACT_ROLES),
                name: z.string().trim().max(200),
                reach: z.string().trim().max(300),
              })
              .strict(),
          )
          .max(CONTACT_ROLES.length)
          .optional(),
      })
      .strict(),
  ),
  'walkthrough:report': request<{ fileName: string; mime: string; content: string }>()(
    z
      .object({ id: z.string().min(1).max(64), format: z.enum(['markdown', 'json']).default('markdown') })
      .strict(),
  ),
  /** Let a step run past preconditions that are not met: the reason goes on the recording session's timeline. */
  'walkthrough:override': request<SessionEvent>()(preconditionOverride),
} as const;

export const walkthroughEvents = {
  /** A session changed (started, recorded an event, ended). */
  'walkthrough:changed': event<SessionSummary>(),
  /** Which session records changed. */
  'walkthrough:recording': event<{ id: string | null }>(),
  /** A step's command finished and main checked it. */
  'walkthrough:step-result': event<StepResult>(),
} as const;
