// How walk-through sessions are kept in ops.db: the session rows, their timeline events (each
// written the moment it happens, so a crash loses nothing), milestones, the impact start, which
// session records, and the detail a window reads. Every write tells the windows what changed.
import {
  MILESTONES,
  type LogEvidence,
  type Milestone,
  type MilestoneEntry,
  type Postmortem,
  type SessionDetail,
  type SessionEvent,
  type SessionEventData,
  type SessionKind,
  type SessionStatus,
  type SessionSummary,
  type SeverityId,
  type SystemEvent,
} from '../../../shared/contract/walkthroughs-session';
import { OpsError } from '../../../shared/errors';
import type { ServiceContext } from '../context';
import type { OpsStore } from '../store/store';
import { readContacts } from './contacts';

const KEY_CURRENT = 'walkthrough.current';

export type StepEvent = Extract<SystemEvent, { type: 'step' }>;

export interface SessionRow {
  id: string;
  kind: SessionKind;
  title: string;
  runbook_id: string | null;
  runbook_title: string | null;
  severity: SeverityId | null;
  status: SessionStatus;
  install_label: string | null;
  install_root: string | null;
  started_at: number;
  ended_at: number | null;
  summary: string | null;
  impact_start: string | null;
  postmortem: string | null;
  scheduled_for: number | null;
  event_count: number;
}

const EMPTY_POSTMORTEM: Postmortem = {
  contributingFactors: [],
  actionItems: [],
  wentWell: [],
  wentBadly: [],
  resolveOverride: null,
};

export class SessionLog {
  constructor(
    private readonly store: OpsStore,
    private readonly ctx: ServiceContext,
    private readonly now: () => number,
  ) {}

  /** Runs `fn` as one ops.db transaction. */
  transaction<T>(fn: () => T): T {
    return this.store.db.transaction(fn)();
  }

  // --- session rows -------------------------------------------------------------------------

  /** A new session: active, not ended, with no summary yet. */
  insert(
    s: Omit<SessionSummary, 'status' | 'endedAt' | 'summary' | 'eventCount'> & {
      scheduledFor: number | null;
    },
  ): void {
    this.store.db
      .prepare(
        `INSERT INTO sessions (id, kind, title, runbook_id, runbook_title, severity, status, install_label, install_root, started_at, scheduled_for)
           VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?, ?)`,
      )
      .run(
        s.id,
        s.kind,
        s.title,
        s.runbookId,
        s.runbookTitle,
        s.severity,
        s.installLabel,
        s.installRoot,
        s.startedAt,
        s.scheduledFor,
      );
  }

  /** A scheduled change begins: it starts now and is no longer scheduled. */
  markBegun(id: string, at: number): void {
    this.store.db
      .prepare(`UPDATE sessions SET started_at = ?, scheduled_for = NULL WHERE id = ?`)
      .run(at, id);
  }

  markEnded(
    id: string,
    status: 'resolved' | 'abandoned',
    at: number,
    summary: string | null,
    pm: Postmortem,
  ): void {
    this.store.db
      .prepare(
        `UPDATE sessions SET status = ?, ended_at = ?, summary = coalesce(?, summary), postmortem = ? WHERE id = ?`,
      )
      .run(status, at, summary, JSON.stringify(pm), id);
  }

  /** A session started without a runbook belongs to the first runbook whose steps it runs. */
  claimRunbook(id: string, runbookId: string, runbookTitle: string | null): void {
    this.store.db
      .prepare(
        `UPDATE sessions SET runbook_id = ?, runbook_title = coalesce(runbook_title, ?) WHERE id = ? AND runbook_id IS NULL`,
      )
      .run(runbookId, runbookTitle, id);
  }

  list(status?: SessionStatus, limit = 50): SessionSummary[] {
    const rows = this.store.db
      .prepare(
        `SELECT s.*, (SELECT count(*) FROM session_events e WHERE e.session_id = s.id) AS event_count
         FROM sessions s ${status ? 'WHERE s.status = ?' : ''} ORDER BY s.started_at DESC LIMIT ?`,
      )
      .all(...(status ? [status, limit] : [limit])) as SessionRow[];
    return rows.map(toSummary);
  }

  /** Finds a session by full id or a unique prefix (what the CLI accepts). */
  resolveId(idOrPrefix: string): string {
    if (!/^[0-9a-f-]{1,64}$/i.test(idOrPrefix))
      throw new OpsError(
        'bad-request',
        `"${idOrPrefix}" is not a session id`,
        'List sessions with `aura-ops report --list`.',
      );
    const rows = this.store.db
      .prepare(`SELECT id FROM sessions WHERE id LIKE ? || '%' LIMIT 2`)
      .all(idOrPrefix) as Array<{ id: string }>;
    if (rows.length === 0)
      throw new OpsError(
        'not-found',
        `No session ${idOrPrefix}`,
        'List sessions with `aura-ops report --list`.',
      );
    if (rows.length > 1)
      throw new OpsError(
        'bad-request',
        `"${idOrPrefix}" matches several sessions`,
        'Give more characters of the id.',
      );
    return rows[0]!.id;
  }

  requireActive(id: string, allowEnded = false): SessionSummary {
    const s = this.summary(id);
    if (s.status !== 'active' && !allowEnded) {
      throw new OpsError(
        'bad-request',
        `The session "${s.title}" is ${s.status}; nothing more can be recorded in it`,
        'Start a new session to go on.',
      );
    }
    return s;
  }

  isActive(id: string): boolean {
    const row = this.store.db.prepare(`SELECT status FROM sessions WHERE id = ?`).get(id) as
      { status: string } | undefined;
    return row?.status === 'active';
  }

  // --- which session records -----------------------------------------------------------------

  currentId(): string | null {
    const id = this.store.getSetting<string>(KEY_CURRENT);
    if (!id) return null;
    const row = this.store.db.prepare(`SELECT status FROM sessions WHERE id = ?`).get(id) as
      { status: string } | undefined;
    return row?.status === 'active' ? id : null;
  }

  setRecording(id: string, at: number): void {
    this.store.setSetting(KEY_CURRENT, id);
    void at;
    this.ctx.emit('walkthrough:recording', { id });
  }

  /** Nothing records any more; with `onlyIf`, only when that session was the one recording. */
  clearRecording(onlyIf?: string): void {
    if (onlyIf === undefined || this.store.getSetting<string>(KEY_CURRENT) === onlyIf)
      this.store.deleteSetting(KEY_CURRENT);
  }

  // --- timeline ------------------------------------------------------------------------------

  append(id: string, data: SessionEventData, runId: string | null = null): number {
    const info = this.store.db
      .prepare(`INSERT INTO session_events (session_id, at, type, data, run_id) VALUES (?, ?, ?, ?, ?)`)
      .run(id, this.now(), data.type, JSON.stringify(data), runId);
    if (data.type === 'check') {
      this.store.db
        .prepare(
          `INSERT INTO session_checks (session_id, item_key, label, checked, at) VALUES (?, ?, ?, ?, ?)
           ON CONFLICT(session_id, item_key) DO UPDATE SET checked = excluded.checked, label = excluded.label, at = excluded.at`,
        )
        .run(id, data.itemKey, data.label, data.checked ? 1 : 0, this.now());
    }
    if (data.type === 'severity')
      this.store.db.prepare(`UPDATE sessions SET severity = ? WHERE id = ?`).run(data.severity, id);
    return Number(info.lastInsertRowid);
  }

  eventIdByRun(runId: string): number | null {
    const row = this.store.db.prepare(`SELECT id FROM session_events WHERE run_id = ?`).get(runId) as
      { id: number } | undefined;
    return row?.id ?? null;
  }

  updateStep(sessionId: string, runId: string, patch: Partial<StepEvent>): void {
    const row = this.store.db
      .prepare(`SELECT id, data FROM session_events WHERE run_id = ? AND session_id = ?`)
      .get(runId, sessionId) as { id: number; data: string } | undefined;
    if (!row) return;
    const next = { ...(JSON.parse(row.data) as StepEvent), ...patch };
    this.store.db
      .prepare(`UPDATE session_events SET data = ? WHERE id = ?`)
      .run(JSON.stringify(next), row.id);
    this.touched(sessionId);
  }

  putMilestone(
    id: string,
    milestone: Milestone,
    at: number,
    source: 'console' | 'operator',
    reason: string | null,
  ): void {
    const previous = this.milestones(id)[milestone]?.at ?? null;
    this.store.db
      .prepare(
        `INSERT INTO session_milestones (session_id, milestone, at, source, reason) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT(session_id, milestone) DO UPDATE SET at = excluded.at, source = excluded.source, reason = excluded.reason`,
      )
      .run(id, milestone, at, source, reason);
    this.append(id, { type: 'milestone', milestone, time: at, previous, source, reason });
  }

  putImpactStart(
    id: string,
    at: number,
    source: 'logs' | 'operator',
    evidence: LogEvidence | null,
    reason: string | null,
  ): void {
    const prev = this.impactStart(id);
    this.store.db
      .prepare(`UPDATE sessions SET impact_start = ? WHERE id = ?`)
      .run(JSON.stringify({ at, source, evidence }), id);
    this.append(id, { type: 'impact-start', time: at, previous: prev?.at ?? null, source, evidence, reason });
  }

  milestones(id: string): Partial<Record<Milestone, MilestoneEntry>> {
    const out: Partial<Record<Milestone, MilestoneEntry>> = {};
    for (const r of this.store.db
      .prepare(`SELECT milestone, at, source, reason FROM session_milestones WHERE session_id = ?`)
      .all(id) as Array<{
      milestone: Milestone;
      at: number;
      source: 'console' | 'operator';
      reason: string | null;
    }>) {
      if ((MILESTONES as readonly string[]).includes(r.milestone))
        out[r.milestone] = { at: r.at, source: r.source, reason: r.reason };
    }
    return out;
  }

  impactStart(id: string): SessionDetail['impactStart'] {
    const row = this.store.db.prepare(`SELECT impact_start FROM sessions WHERE id = ?`).get(id) as
      { impact_start: string | null } | undefined;
    return row?.impact_start ? (JSON.parse(row.impact_start) as SessionDetail['impactStart']) : null;
  }

  // --- reading -------------------------------------------------------------------------------

  summary(id: string): SessionSummary {
    return toSummary(this.row(id));
  }

  row(id: string): SessionRow {
    const row = this.store.db
      .prepare(
        `SELECT s.*, (SELECT count(*) FROM session_events e WHERE e.session_id = s.id) AS event_count FROM sessions s WHERE s.id = ?`,
      )
      .get(id) as SessionRow | undefined;
    if (!row)
      throw new OpsError(
        'not-found',
        `No walk-through session with id ${id}`,
        'It may have been recorded with another --data-dir.',
      );
    return row;
  }

  eventById(sessionId: string, eventId: number): SessionEvent {
    const r = this.store.db.prepare(`SELECT id, at, data FROM session_events WHERE id = ?`).get(eventId) as {
      id: number;
      at: number;
      data: string;
    };
    return { ...(JSON.parse(r.data) as SessionEventData), id: r.id, at: r.at, sessionId };
  }

  detail(id: string): SessionDetail {
    const row = this.row(id);
    const events = (
      this.store.db
        .prepare(`SELECT id, at, data FROM session_events WHERE session_id = ? ORDER BY id`)
        .all(id) as Array<{
        id: number;
        at: number;
        data: string;
      }>
    ).map((r) => ({ ...(JSON.parse(r.data) as SessionEventData), id: r.id, at: r.at, sessionId: id }));
    const checks: SessionDetail['checks'] = {};
    for (const c of this.store.db
      .prepare(`SELECT item_key, label, checked, at FROM session_checks WHERE session_id = ?`)
      .all(id) as Array<{
      item_key: string;
      label: string;
      checked: number;
      at: number;
    }>) {
      checks[c.item_key] = { label: c.label, checked: c.checked === 1, at: c.at };
    }
    const postmortem = row.postmortem
      ? { ...EMPTY_POSTMORTEM, ...(JSON.parse(row.postmortem) as Partial<Postmortem>) }
      : { ...EMPTY_POSTMORTEM };
    return {
      ...toSummary(row),
      scheduledFor: row.scheduled_for,
      contacts: readContacts(this.store),
      events,
      checks,
      milestones: this.milestones(id),
      impactStart: this.impactStart(id),
      postmortem,
    };
  }

  /** Tell every window the session changed (its summary only: a write stays O(1) in the timeline length). */
  touched(id: string): void {
    this.ctx.emit('walkthrough:changed', toSummary(this.row(id)));
  }

  changed(id: string): SessionDetail {
    this.touched(id);
    return this.detail(id);
  }
}

function toSummary(r: SessionRow): SessionSummary {
  return {
    id: r.id,
    kind: r.kind,
    title: r.title,
    runbookId: r.runbook_id,
    runbookTitle: r.runbook_title,
    severity: r.severity,
    status: r.status,
    installLabel: r.install_label,
    installRoot: r.install_root,
    startedAt: r.started_at,
    endedAt: r.ended_at,
    summary: r.summary,
    eventCount: r.event_count,
  };
}
