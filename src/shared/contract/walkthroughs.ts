// Contract domain "walkthrough": a recorded incident, change or runbook walk. Every step run (one
// entry per run, keyed by its run id), hand-typed command, checklist tick, note, milestone,
// severity change, verify and probe snapshot is an event in ops.db, written when it happens; the
// session exports as a post-mortem draft (Markdown or JSON).
// The session and its timeline are walkthroughs-session.ts, a step's run walkthroughs-steps.ts; here
// are the channels and events.
import { z } from 'zod';
import { event, request } from './define';
import {
  CONTACT_ROLES,
  MILESTONES,
  sessionEventInput,
  severitySchema,
  type Contact,
  type SessionDetail,
  type SessionEvent,
  type SessionSummary,
} from './walkthroughs-session';
import { preconditionOverride, stepDescriptor, type StepResult } from './walkthroughs-steps';

const text = (max: number) => z.string().trim().min(1).max(max);

export const walkthroughChannels = {
  'walkthrough:start': request<SessionDetail>()(
    z
      .object({
        kind: z.enum(['runbook', 'incident', 'change']),
        title: z.string().trim().min(1).max(300),
        runbookId: z.string().max(2000).optional(),
        runbookTitle: z.string().max(300).optional(),
        severity: severitySchema.optional(),
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
