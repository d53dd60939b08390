// Walk-through sessions in ops.db: each event is written the moment it happens (a crash loses
// nothing), checklist ticks belong to the session and never to the runbook file, and commands that
// finish in the terminal while a session is current are recorded into it from the main side, so a
// closed or reloaded window cannot lose them.
import crypto from 'node:crypto';
import type {
  SessionDetail,
  SessionEvent,
  SessionEventInput,
  SessionKind,
  SessionStatus,
  SessionSummary,
  SeverityId,
} from '../../../shared/contract/walkthroughs';
import { OpsError } from '../../../shared/errors';
import { checkExpectation } from '../../../shared/runbooks/expect';
import type { ServiceContext } from '../context';
import type { OpsStore } from '../store/store';
import { renderJson, renderMarkdown } from './report';

const KEY_CURRENT = 'walkthrough.current';
/** Output kept per recorded command: enough for a report, bounded so ops.db stays small. */
export const OUTPUT_EXCERPT_CHARS = 4096;

interface SessionRow {
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
  event_count: number;
}

export interface StartInput {
  kind: SessionKind;
  title: string;
  runbookId?: string;
  runbookTitle?: string;
  severity?: SeverityId;
}

/** The shape of the terminal's "command finished" event that this service records. */
export interface CommandFinished {
  command: string;
  exitCode: number | null;
  durationMs?: number | null;
  cwd?: string | null;
  outputExcerpt?: string;
}

export class WalkthroughService {
  constructor(
    private readonly store: OpsStore,
    private readonly ctx: ServiceContext,
    private readonly now: () => number = Date.now,
  ) {}

  start(input: StartInput): SessionDetail {
    const install = this.ctx.getInstall();
    const id = crypto.randomUUID();
    this.store.db
      .prepare(
        `INSERT INTO sessions (id, kind, title, runbook_id, runbook_title, severity, status, install_label, install_root, started_at)
         VALUES (?, ?, ?, ?, ?, ?, 'active', ?, ?, ?)`,
      )
      .run(
        id,
        input.kind,
        input.title,
        input.runbookId ?? null,
        input.runbookTitle ?? null,
        input.severity ?? null,
        install?.label ?? null,
        install?.paths.dataRoot ?? null,
        this.now(),
      );
    this.store.setSetting(KEY_CURRENT, id);
    return this.changed(id);
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

  get(id: string): SessionDetail {
    return this.detail(id);
  }

  /** Make a session current (or none); only an active session can be current. */
  focus(id: string | null): string | null {
    if (id === null) {
      this.store.deleteSetting(KEY_CURRENT);
      return null;
    }
    const s = this.summary(id);
    if (s.status !== 'active') throw new OpsError('bad-request', `The session "${s.title}" is ${s.status}`, 'Open it to read it; start a new session to record.');
    this.store.setSetting(KEY_CURRENT, id);
    return id;
  }

  currentId(): string | null {
    const id = this.store.getSetting<string>(KEY_CURRENT);
    if (!id) return null;
    const row = this.store.db.prepare(`SELECT status FROM sessions WHERE id = ?`).get(id) as { status: string } | undefined;
    return row?.status === 'active' ? id : null;
  }

  record(id: string, event: SessionEventInput): SessionEvent {
    const s = this.summary(id);
    if (s.status !== 'active') {
      throw new OpsError('bad-request', `The session "${s.title}" is ${s.status}; nothing more can be recorded in it`, 'Start a new session to go on.');
    }
    const at = this.now();
    const data = event.type === 'command-finished' ? { ...event, output: event.output.slice(-OUTPUT_EXCERPT_CHARS) } : event;
    const write = this.store.db.transaction(() => {
      const info = this.store.db
        .prepare(`INSERT INTO session_events (session_id, at, type, data) VALUES (?, ?, ?, ?)`)
        .run(id, at, event.type, JSON.stringify(data));
      if (event.type === 'check') {
        this.store.db
          .prepare(
            `INSERT INTO session_checks (session_id, item_key, label, checked, at) VALUES (?, ?, ?, ?, ?)
             ON CONFLICT(session_id, item_key) DO UPDATE SET checked = excluded.checked, label = excluded.label, at = excluded.at`,
          )
          .run(id, event.itemKey, event.label, event.checked ? 1 : 0, at);
      }
      if (event.type === 'severity') this.store.db.prepare(`UPDATE sessions SET severity = ? WHERE id = ?`).run(event.severity, id);
      return Number(info.lastInsertRowid);
    });
    const eventId = write();
    this.changed(id);
    return { ...(data as SessionEventInput), id: eventId, at, sessionId: id };
  }

  /**
   * A command finished in a terminal. It is recorded into the current session, linked to the
   * step whose command it is when that step was run last; returns the session id or null.
   */
  recordCommandFinished(cmd: CommandFinished): string | null {
    const id = this.currentId();
    if (!id) return null;
    const lastStep = this.store.db
      .prepare(`SELECT data FROM session_events WHERE session_id = ? AND type = 'step-run' ORDER BY id DESC LIMIT 1`)
      .get(id) as { data: string } | undefined;
    let stepId: string | undefined;
    let check: { status: 'pass' | 'fail' | 'unchecked'; expected: string; detail: string } | undefined;
    if (lastStep) {
      const step = JSON.parse(lastStep.data) as Extract<SessionEventInput, { type: 'step-run' }>;
      if (step.command.trim() === cmd.command.trim()) {
        stepId = step.stepId;
        if (step.mode === 'run-check' && step.expect) {
          const r = checkExpectation({ expect: step.expect, expectError: null }, cmd.outputExcerpt ?? '', cmd.exitCode);
          check = { status: r.status, expected: r.expected, detail: r.actual };
        }
      }
    }
    this.record(id, {
      type: 'command-finished',
      command: cmd.command,
      exitCode: cmd.exitCode,
      durationMs: cmd.durationMs ?? null,
      cwd: cmd.cwd ?? null,
      output: (cmd.outputExcerpt ?? '').slice(-OUTPUT_EXCERPT_CHARS),
      ...(stepId ? { stepId } : {}),
      ...(check ? { check } : {}),
    });
    return id;
  }

  end(id: string, status: 'resolved' | 'abandoned', summary?: string): SessionDetail {
    const s = this.summary(id);
    if (s.status !== 'active') throw new OpsError('bad-request', `The session "${s.title}" is already ${s.status}`);
    this.store.db
      .prepare(`UPDATE sessions SET status = ?, ended_at = ?, summary = coalesce(?, summary) WHERE id = ?`)
      .run(status, this.now(), summary ?? null, id);
    if (this.store.getSetting<string>(KEY_CURRENT) === id) this.store.deleteSetting(KEY_CURRENT);
    return this.changed(id);
  }

  report(id: string, format: 'markdown' | 'json'): { fileName: string; mime: string; content: string } {
    const d = this.detail(id);
    const stamp = new Date(d.startedAt).toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const slug = d.title.toLowerCase().replace(/[^a-z0-9]+/g, '-').replace(/^-|-$/g, '').slice(0, 48) || 'session';
    return format === 'json'
      ? { fileName: `${stamp}-${slug}.json`, mime: 'application/json', content: renderJson(d) }
      : { fileName: `${stamp}-${slug}.md`, mime: 'text/markdown', content: renderMarkdown(d, this.now()) };
  }

  /** Finds a session by full id or a unique prefix (what the CLI accepts). */
  resolveId(idOrPrefix: string): string {
    const rows = this.store.db.prepare(`SELECT id FROM sessions WHERE id LIKE ? || '%' LIMIT 2`).all(idOrPrefix) as Array<{ id: string }>;
    if (rows.length === 0) throw new OpsError('not-found', `No session ${idOrPrefix}`, 'List sessions with `aura-ops report --list`.');
    if (rows.length > 1) throw new OpsError('bad-request', `"${idOrPrefix}" matches several sessions`, 'Give more characters of the id.');
    return rows[0]!.id;
  }

  private summary(id: string): SessionSummary {
    const row = this.store.db
      .prepare(`SELECT s.*, (SELECT count(*) FROM session_events e WHERE e.session_id = s.id) AS event_count FROM sessions s WHERE s.id = ?`)
      .get(id) as SessionRow | undefined;
    if (!row) throw new OpsError('not-found', `No walk-through session with id ${id}`, 'It may have been recorded with another --data-dir.');
    return toSummary(row);
  }

  private detail(id: string): SessionDetail {
    const s = this.summary(id);
    const events = (
      this.store.db.prepare(`SELECT id, at, data FROM session_events WHERE session_id = ? ORDER BY id`).all(id) as Array<{
        id: number;
        at: number;
        data: string;
      }>
    ).map((r) => ({ ...(JSON.parse(r.data) as SessionEventInput), id: r.id, at: r.at, sessionId: id }));
    const checks: SessionDetail['checks'] = {};
    for (const c of this.store.db.prepare(`SELECT item_key, label, checked, at FROM session_checks WHERE session_id = ?`).all(id) as Array<{
      item_key: string;
      label: string;
      checked: number;
      at: number;
    }>) {
      checks[c.item_key] = { label: c.label, checked: c.checked === 1, at: c.at };
    }
    return { ...s, events, checks };
  }

  private changed(id: string): SessionDetail {
    const d = this.detail(id);
    const { events: _e, checks: _c, ...summary } = d;
    this.ctx.emit('walkthrough:changed', summary);
    return d;
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
