// Contract domain "walkthrough": a recorded walk of a runbook, an incident or a change. Every step
// run, checklist tick, note, deviation, probe snapshot and pinned log record is an event in ops.db,
// written when it happens; the session exports as a Markdown or JSON report.
import { z } from 'zod';
import { event, request } from './define';

export type SessionKind = 'runbook' | 'incident' | 'change';
export type SessionStatus = 'active' | 'resolved' | 'abandoned';
export type SeverityId = 'SEV-1' | 'SEV-2' | 'SEV-3' | 'SEV-4';

const severity = z.enum(['SEV-1', 'SEV-2', 'SEV-3', 'SEV-4']);

/** What can happen in a session; each becomes one timeline entry. */
export const sessionEventInput = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('step-run'),
    stepId: z.string().max(200),
    command: z.string().max(20_000),
    mode: z.enum(['run', 'paste', 'run-check', 'copy']),
    terminalId: z.string().max(100).optional(),
    /** The step's declared expectation, so the finished command can be checked where it is recorded. */
    expect: z.object({ pattern: z.string().max(4000), flags: z.string().max(8), exitCode: z.number().int() }).optional(),
  }),
  z.object({
    type: z.literal('command-finished'),
    command: z.string().max(20_000),
    exitCode: z.number().int().nullable(),
    durationMs: z.number().nonnegative().nullable(),
    cwd: z.string().max(4096).nullable(),
    output: z.string().max(16_384),
    stepId: z.string().max(200).optional(),
    check: z.object({ status: z.enum(['pass', 'fail', 'unchecked']), expected: z.string().max(2000), detail: z.string().max(2000) }).optional(),
  }),
  z.object({ type: z.literal('check'), itemKey: z.string().min(1).max(300), label: z.string().max(1000), checked: z.boolean() }),
  z.object({ type: z.literal('note'), text: z.string().min(1).max(20_000), deviation: z.boolean().default(false) }),
  z.object({ type: z.literal('probe-snapshot'), title: z.string().max(300), state: z.string().max(40), summary: z.string().max(4000) }),
  z.object({ type: z.literal('log-pin'), file: z.string().max(4096), level: z.string().max(8), timestamp: z.string().max(64), text: z.string().max(16_384) }),
  z.object({ type: z.literal('severity'), severity }),
]);

export type SessionEventInput = z.infer<typeof sessionEventInput>;
export type SessionEvent = SessionEventInput & { id: number; at: number; sessionId: string };

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
  events: SessionEvent[];
  /** Checklist state of this session: item key -> ticked (task lists belong to the session, not the file). */
  checks: Record<string, { label: string; checked: boolean; at: number }>;
}

export const walkthroughChannels = {
  'walkthrough:start': request<SessionDetail>()(
    z
      .object({
        kind: z.enum(['runbook', 'incident', 'change']),
        title: z.string().min(1).max(300),
        runbookId: z.string().max(2000).optional(),
        runbookTitle: z.string().max(300).optional(),
        severity: severity.optional(),
      })
      .strict(),
  ),
  'walkthrough:list': request<SessionSummary[]>()(
    z.object({ status: z.enum(['active', 'resolved', 'abandoned']).optional(), limit: z.number().int().min(1).max(500).default(50) }).strict(),
  ),
  'walkthrough:get': request<SessionDetail>()(z.object({ id: z.string().min(1) }).strict()),
  /** The session the operator is in (finished commands are recorded into it); null for none. */
  'walkthrough:current': request<{ id: string | null }>()(z.object({}).strict()),
  'walkthrough:focus': request<{ id: string | null }>()(z.object({ id: z.string().min(1).nullable() }).strict()),
  'walkthrough:record': request<SessionEvent>()(z.object({ id: z.string().min(1), event: sessionEventInput }).strict()),
  'walkthrough:end': request<SessionDetail>()(
    z.object({ id: z.string().min(1), status: z.enum(['resolved', 'abandoned']), summary: z.string().max(20_000).optional() }).strict(),
  ),
  'walkthrough:report': request<{ fileName: string; mime: string; content: string }>()(
    z.object({ id: z.string().min(1), format: z.enum(['markdown', 'json']).default('markdown') }).strict(),
  ),
} as const;

export const walkthroughEvents = {
  /** A session changed (started, recorded an event, ended). */
  'walkthrough:changed': event<SessionSummary>(),
} as const;
