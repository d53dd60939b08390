// The arithmetic of an incident record: time to acknowledge, mitigate and resolve (from detection,
// or the impact start when earlier), impact duration, and time spent at each severity. Pure, so the
// report, the Session panel and the tests agree to the millisecond.
import type { Milestone, MilestoneEntry, SeverityId } from './contract/walkthroughs-session';

export interface SeverityChange {
  at: number;
  severity: SeverityId;
}

export interface IncidentTimes {
  /** Earliest of impact start and detection: where the clocks start. */
  origin: number | null;
  timeToAcknowledgeMs: number | null;
  timeToIdentifyMs: number | null;
  timeToMitigateMs: number | null;
  timeToResolveMs: number | null;
  /** Impact start to mitigation (or resolution, or `now` while still open). */
  impactDurationMs: number | null;
  /** In first-reached order; a severity entered twice sums both spells. */
  timeAtSeverity: Array<{ severity: SeverityId; ms: number }>;
  /** Milestones whose time is before an earlier milestone's (shown as a warning, never reordered). */
  outOfOrder: Milestone[];
}

/** How the panel and the report name each milestone. */
export const MILESTONE_LABEL: Record<Milestone, string> = {
  detected: 'Detected',
  acknowledged: 'Acknowledged',
  identified: 'Identified',
  mitigated: 'Mitigated',
  resolved: 'Resolved',
};

export const MILESTONE_ORDER: readonly Milestone[] = [
  'detected',
  'acknowledged',
  'identified',
  'mitigated',
  'resolved',
];

function since(origin: number | null, m: MilestoneEntry | undefined): number | null {
  if (origin === null || !m) return null;
  return Math.max(0, m.at - origin);
}

/**
 * `changes` are severity settings in recording order (the first is the starting severity);
 * the severity clock runs from the first change until `end`.
 */
export function incidentTimes(input: {
  milestones: Partial<Record<Milestone, MilestoneEntry>>;
  impactStart: number | null;
  changes: readonly SeverityChange[];
  end: number;
}): IncidentTimes {
  const { milestones: ms, impactStart, changes, end } = input;
  const detected = ms.detected?.at ?? null;
  const origin =
    detected === null ? impactStart : impactStart === null ? detected : Math.min(detected, impactStart);
  const recoveredAt = ms.mitigated?.at ?? ms.resolved?.at ?? null;
  const impactFrom = impactStart ?? detected;
  const impactDurationMs = impactFrom === null ? null : Math.max(0, (recoveredAt ?? end) - impactFrom);

  const totals = new Map<SeverityId, number>();
  const ordered = [...changes].sort((a, b) => a.at - b.at);
  ordered.forEach((c, i) => {
    const until = Math.min(ordered[i + 1]?.at ?? end, end);
    const spell = Math.max(0, until - c.at);
    totals.set(c.severity, (totals.get(c.severity) ?? 0) + spell);
  });

  const outOfOrder: Milestone[] = [];
  let latest = -Infinity;
  for (const m of MILESTONE_ORDER) {
    const e = ms[m];
    if (!e) continue;
    if (e.at < latest) outOfOrder.push(m);
    else latest = e.at;
  }

  return {
    origin,
    timeToAcknowledgeMs: since(origin, ms.acknowledged),
    timeToIdentifyMs: since(origin, ms.identified),
    timeToMitigateMs: since(origin, ms.mitigated),
    timeToResolveMs: since(origin, ms.resolved),
    impactDurationMs,
    timeAtSeverity: [...totals.entries()].map(([severity, total]) => ({ severity, ms: total })),
    outOfOrder,
  };
}

/** "42 s", "3 min 5 s", "1 h 2 min": what an incident record shows for a span. */
export function formatSpan(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  return `${Math.floor(m / 60)} h ${m % 60} min`;
}
