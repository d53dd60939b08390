// Contract shapes of a walk-through session: its kinds, severities and milestones, the timeline
// events (those the renderer may record by hand and those only main writes), the emergency contacts,
// the post-mortem, and the summary and detail a window reads.
import { z } from 'zod';
import type { Answer } from '../runbooks/findings';
import type { StepExpectation, StepVerdict } from './walkthroughs-steps';

export type SessionKind = 'runbook' | 'incident' | 'change';
export type SessionStatus = 'active' | 'resolved' | 'abandoned';
export type SeverityId = 'SEV-1' | 'SEV-2' | 'SEV-3' | 'SEV-4';

export const severitySchema = z.enum(['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']);

export const MILESTONES = ['detected', 'acknowledged', 'identified', 'mitigated', 'resolved'] as const;
export type Milestone = (typeof MILESTONES)[number];

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
  z.object({
    type: z.literal('severity'),
    severity: severitySchema,
    reason: z.string().trim().max(2000).optional(),
  }),
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
      expect: StepExpectation | null;
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
