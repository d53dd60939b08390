// The operators' handbook as data and pure functions: severity levels and response times, the
// escalation clock, maintenance windows (DST-correct via Intl with an IANA zone) and the
// change-management checklists. Source: shared/seed/runbooks-README.md.
import { OpsError } from './errors';
import type { Severity } from './runbooks/types';

// ---------------------------------------------------------------------------------------------
// The runbook list

/** The operators' handbook runbooks (seed runbooks-README.md "Available Runbooks"). */
export type HandbookRunbook =
  | 'Deployment'
  | 'Backup and Restore'
  | 'Monitoring'
  | 'Performance Tuning'
  | 'Service Degradation'
  | 'High Error Rates'
  | 'Database Issues'
  | 'Provider Failures'
  | 'Log Management'
  | 'Database Maintenance'
  | 'Cache Management'
  | 'Dependency Updates';

/** Handbook severity levels (SEV-1 critical … SEV-4 low): the runbooks' own severity field. */
export type HandbookSeverity = Severity;

// ---------------------------------------------------------------------------------------------
// Severity levels

export interface SeverityLevel {
  id: Severity;
  name: 'Critical' | 'High' | 'Medium' | 'Low';
  criteria: string[];
  responseTime: string;
  /** Minutes within which a response is due; 0 = immediately; null = next business day. */
  responseMinutes: number | null;
}

export const SEVERITY_LEVELS: readonly SeverityLevel[] = [
  {
    id: 'SEV-1',
    name: 'Critical',
    criteria: ['Complete service outage', 'Data loss risk', 'Security breach'],
    responseTime: 'Immediate',
    responseMinutes: 0,
  },
  {
    id: 'SEV-2',
    name: 'High',
    criteria: ['Significant feature degradation', 'High error rates (>5%)', 'Performance severely impacted'],
    responseTime: '<15 minutes',
    responseMinutes: 15,
  },
  {
    id: 'SEV-3',
    name: 'Medium',
    criteria: ['Minor feature issues', 'Intermittent errors', 'Performance slightly degraded'],
    responseTime: '<1 hour',
    responseMinutes: 60,
  },
  {
    id: 'SEV-4',
    name: 'Low',
    criteria: ['Cosmetic issues', 'Known workarounds available', 'No user impact'],
    responseTime: 'Next business day',
    responseMinutes: null,
  },
];

export function severityLevel(id: Severity): SeverityLevel {
  const level = SEVERITY_LEVELS.find((s) => s.id === id);
  if (!level)
    throw new OpsError('bad-request', `Unknown severity "${id}": use SEV-1, SEV-2, SEV-3 or SEV-4.`);
  return level;
}

// ---------------------------------------------------------------------------------------------
// Escalation clock

const MINUTE_MS = 60_000;

export interface EscalationLevel {
  level: 1 | 2 | 3 | 4;
  /** Minutes since the incident started at which this level begins. */
  fromMinute: number;
  action: string;
}

export const ESCALATION_LEVELS: readonly EscalationLevel[] = [
  { level: 1, fromMinute: 0, action: 'Follow runbook procedures' },
  { level: 2, fromMinute: 5, action: 'Consult with a senior engineer' },
  { level: 3, fromMinute: 15, action: 'Escalate to the on-call manager' },
  { level: 4, fromMinute: 30, action: 'Engage vendor support if needed' },
];

export interface EscalationState {
  level: 1 | 2 | 3 | 4;
  action: string;
  elapsedMs: number;
  /** The next level, or null at level 4. */
  next: EscalationLevel | null;
  /** Milliseconds until the next level begins; null at level 4. */
  msToNext: number | null;
  nextAt: Date | null;
}

/** Where the escalation path stands `now` for an incident that started at `startedAt`. */
export function escalationAt(startedAt: Date, now: Date): EscalationState {
  const elapsedMs = Math.max(0, now.getTime() - startedAt.getTime());
  let current = ESCALATION_LEVELS[0];
  for (const l of ESCALATION_LEVELS) if (elapsedMs >= l.fromMinute * MINUTE_MS) current = l;
  const next = ESCALATION_LEVELS.find((l) => l.level === current.level + 1) ?? null;
  const nextAtMs = next ? startedAt.getTime() + next.fromMinute * MINUTE_MS : null;
  return {
    level: current.level,
    action: current.action,
    elapsedMs,
    next,
    msToNext: nextAtMs === null ? null : nextAtMs - (startedAt.getTime() + elapsedMs),
    nextAt: nextAtMs === null ? null : new Date(nextAtMs),
  };
}

// ---------------------------------------------------------------------------------------------
// Maintenance windows (local time of the given IANA zone)

export type WindowKind = 'preferred' | 'alternative';

export interface WindowRule {
  kind: WindowKind;
  /** Days of the week, 0 = Sunday. */
  days: readonly number[];
  startHour: number;
  endHour: number;
  label: string;
}

export const MAINTENANCE_WINDOWS: readonly WindowRule[] = [
  { kind: 'preferred', days: [0], startHour: 2, endHour: 6, label: 'Sunday 02:00-06:00' },
  { kind: 'alternative', days: [1, 2, 3, 4, 5], startHour: 2, endHour: 4, label: 'Weekday 02:00-04:00' },
];
export const EMERGENCY_CHANGE_RULE = 'Emergency: anytime with manager approval';

export interface MaintenanceWindow {
  kind: WindowKind;
  label: string;
  /** First instant of the window (on spring-forward day, the end of the skipped hour). */
  start: Date;
  /** First instant after the window. */
  end: Date;
}

interface LocalParts {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  weekday: number;
}

const WEEKDAYS: Record<string, number> = { Sun: 0, Mon: 1, Tue: 2, Wed: 3, Thu: 4, Fri: 5, Sat: 6 };
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    try {
      f = new Intl.DateTimeFormat('en-US', {
        timeZone,
        hourCycle: 'h23',
        year: 'numeric',
        month: 'numeric',
        day: 'numeric',
        hour: 'numeric',
        minute: 'numeric',
        weekday: 'short',
      });
    } catch {
      throw new OpsError(
        'bad-request',
        `Unknown time zone "${timeZone}": use an IANA name such as Europe/Berlin.`,
      );
    }
    formatters.set(timeZone, f);
  }
  return f;
}

export function localParts(date: Date, timeZone: string): LocalParts {
  const parts: Record<string, string> = {};
  for (const p of formatterFor(timeZone).formatToParts(date)) parts[p.type] = p.value;
  return {
    year: Number(parts.year),
    month: Number(parts.month),
    day: Number(parts.day),
    hour: Number(parts.hour) % 24,
    minute: Number(parts.minute),
    weekday: WEEKDAYS[parts.weekday] ?? 0,
  };
}

/** UTC offset of `timeZone` at instant `t`, in ms (whole minutes). */
function offsetAt(t: number, timeZone: string): number {
  const floored = Math.floor(t / MINUTE_MS) * MINUTE_MS;
  const p = localParts(new Date(floored), timeZone);
  return Date.UTC(p.year, p.month - 1, p.day, p.hour, p.minute) - floored;
}

/**
 * The first instant at which the wall clock of `timeZone` reads y-m-d h:00 or later: the earlier
 * instant when the hour occurs twice (fall back), the end of the gap when it is skipped (spring forward).
 */
export function zonedTime(year: number, month: number, day: number, hour: number, timeZone: string): Date {
  const wall = Date.UTC(year, month - 1, day, hour);
  const offsets = [offsetAt(wall - 86_400_000, timeZone), offsetAt(wall + 86_400_000, timeZone)];
  const valid = offsets.map((o) => wall - o).filter((t) => offsetAt(t, timeZone) === wall - t);
  if (valid.length > 0) return new Date(Math.min(...valid));
  // The wall time does not exist: find the transition instant between the two candidates.
  let lo = Math.min(wall - offsets[0], wall - offsets[1]);
  let hi = Math.max(wall - offsets[0], wall - offsets[1]);
  const after = offsetAt(hi, timeZone);
  while (hi - lo > MINUTE_MS) {
    const mid = Math.floor((lo + hi) / 2 / MINUTE_MS) * MINUTE_MS;
    if (offsetAt(mid, timeZone) === after) hi = mid;
    else lo = mid;
  }
  return new Date(hi);
}

/** The machine's zone, for callers that mean "local time". */
export function localTimeZone(): string {
  return Intl.DateTimeFormat().resolvedOptions().timeZone;
}

function windowOnDay(
  year: number,
  month: number,
  day: number,
  weekday: number,
  timeZone: string,
): MaintenanceWindow | null {
  const rule = MAINTENANCE_WINDOWS.find((r) => r.days.includes(weekday));
  if (!rule) return null;
  return {
    kind: rule.kind,
    label: rule.label,
    start: zonedTime(year, month, day, rule.startHour, timeZone),
    end: zonedTime(year, month, day, rule.endHour, timeZone),
  };
}

/** The window containing `date`, or the next one to start after it. */
export function nextWindow(date: Date, timeZone: string): MaintenanceWindow {
  const today = localParts(date, timeZone);
  // Look from yesterday on: a window that began yesterday cannot still run, but it is cheap to be sure.
  for (let offset = -1; offset <= 8; offset++) {
    const noon = new Date(Date.UTC(today.year, today.month - 1, today.day + offset, 12));
    const y = noon.getUTCFullYear();
    const m = noon.getUTCMonth() + 1;
    const d = noon.getUTCDate();
    const w = windowOnDay(y, m, d, noon.getUTCDay(), timeZone);
    if (w && w.end.getTime() > date.getTime()) return w;
  }
  throw new OpsError('internal', 'No maintenance window in the next 8 days: the window table is empty.');
}

/** Is `date` inside a maintenance window of `timeZone`? Returns the window when it is. */
export function isInWindow(
  date: Date,
  timeZone: string,
): { inWindow: boolean; window: MaintenanceWindow | null } {
  const w = nextWindow(date, timeZone);
  const inside = w.start.getTime() <= date.getTime() && date.getTime() < w.end.getTime();
  return { inWindow: inside, window: inside ? w : null };
}

// ---------------------------------------------------------------------------------------------
// Change management

export type ChangePhase = 'pre' | 'during' | 'post';

export interface ChecklistItem {
  id: string;
  text: string;
}

export interface ChangeChecklist {
  phase: ChangePhase;
  title: string;
  items: readonly ChecklistItem[];
}

export const CHANGE_CHECKLISTS: readonly ChangeChecklist[] = [
  {
    phase: 'pre',
    title: 'Pre-Change',
    items: [
      { id: 'pre-approved', text: 'Change request approved' },
      { id: 'pre-runbook', text: 'Runbook reviewed and updated' },
      { id: 'pre-rollback', text: 'Rollback plan documented' },
      { id: 'pre-notified', text: 'Stakeholders notified' },
      { id: 'pre-backup', text: 'Backup completed' },
    ],
  },
  {
    phase: 'during',
    title: 'During Change',
    items: [
      { id: 'during-follow', text: 'Follow runbook steps' },
      { id: 'during-deviations', text: 'Document deviations' },
      { id: 'during-metrics', text: 'Monitor key metrics' },
      { id: 'during-status', text: 'Communicate status updates' },
    ],
  },
  {
    phase: 'post',
    title: 'Post-Change',
    items: [
      { id: 'post-verify', text: 'Verify successful deployment' },
      { id: 'post-monitor', text: 'Monitor for 24 hours' },
      { id: 'post-docs', text: 'Update documentation' },
      { id: 'post-mortem', text: 'Conduct post-mortem if issues' },
      { id: 'post-archive', text: 'Archive change logs' },
    ],
  },
];
