// Triage: from probe signals and log signals to a handbook severity (SEV-1..SEV-4, with its
// response time) and ranked runbook suggestions, each with the reason shown. Rules are data
// (triage-rules.ts); this module applies them. Current state leads: a log-derived reason names its
// window and the age of its newest record, turns "recovering" when the symptom goes quiet and drops
// soon after; notes stand apart.
import { severityLevel, type HandbookRunbook, type HandbookSeverity } from './handbook';
import { nowMs } from './clock';
import { TRIAGE_RULES, type RuleKind, type TriageRule, type Vars } from './triage-rules';
import { ageText, logPhase, type MatchPhase, type TriageSignals } from './triage-signals';

export interface TriageMatch {
  ruleId: string;
  severity: HandbookSeverity;
  runbook: HandbookRunbook;
  /** The reason as of the sweep (ages measured from the sweep's time). */
  reason: string;
  kind: RuleKind;
  phase: MatchPhase;
  /**
   * The reason around its age, and the newest record's time, so a view can show an age that
   * ticks: `before + ageText(now - newestAt) + after` (see `reasonAt`). Without an age (probe
   * rules, notes) `before` is the whole reason. Split, not re-filled: log text in a reason (a
   * fatal message) may itself hold "{age}".
   */
  before: string;
  after: string;
  newestAt: number | null;
}

export interface RunbookSuggestion {
  rank: number;
  runbook: HandbookRunbook;
  severity: HandbookSeverity;
  /** `recovering` when every reason behind it is. */
  phase: MatchPhase;
  /** The strongest reason first; every matching rule's reason follows. */
  reasons: string[];
  /** The matches behind `reasons`, in the same order. */
  matches: TriageMatch[];
}

export interface TriageResult {
  severity: HandbookSeverity;
  severityName: 'Critical' | 'High' | 'Medium' | 'Low';
  responseTime: string;
  /** `now`: something is wrong now. `recovering`: only quieting log symptoms remain. `clear`: nothing. */
  phase: 'now' | 'recovering' | 'clear';
  headline: string;
  suggestions: RunbookSuggestion[];
  /** Problems first (current before recovering), then the all-clear; notes are in `notes`. */
  matches: TriageMatch[];
  /** Informational notes (e.g. the handbook's endpoint that Aura lacks): shown apart, last. */
  notes: TriageMatch[];
  /** The time the ages were measured from (epoch ms). */
  at: number;
}

const SEV_ORDER: Record<HandbookSeverity, number> = { 'SEV-1': 1, 'SEV-2': 2, 'SEV-3': 3, 'SEV-4': 4 };

/** A reason as of `now`: its age re-measured from the newest record (a view calls this every second). */
export function reasonAt(m: Pick<TriageMatch, 'before' | 'after' | 'newestAt'>, now: number): string {
  return m.newestAt === null ? m.before + m.after : m.before + ageText(now - m.newestAt) + m.after;
}

export function fillTemplate(template: string, vars: Vars): string {
  return template.replace(/\{(\w+)\}/g, (m, k: string) => (k in vars ? String(vars[k]) : m));
}

interface Hit {
  rule: TriageRule;
  kind: RuleKind;
  phase: MatchPhase;
  before: string;
  after: string;
  reason: string;
  newestAt: number | null;
}

/** One rule against the signals at `at`: null when it does not apply or its log symptom has gone. */
function apply(rule: TriageRule, s: TriageSignals, at: number): Hit | null {
  const vars = rule.when(s);
  if (!vars) return null;
  const kind = rule.kind ?? 'probe';
  let phase: MatchPhase = 'now';
  let newestAt: number | null = null;
  const cut = rule.reason.indexOf('{age}');
  const aging = kind === 'log' && !!rule.newest && cut >= 0;
  const before = fillTemplate(aging ? rule.reason.slice(0, cut) : rule.reason, vars);
  let after = aging ? fillTemplate(rule.reason.slice(cut + '{age}'.length), vars) : '';
  if (kind === 'log' && rule.newest) {
    newestAt = rule.newest(s);
    const p = logPhase(newestAt, at);
    if (p === 'gone') return null;
    phase = p;
    const settled = rule.settledBy?.(s) ?? null;
    if (settled) {
      phase = 'recovering';
      after += `; ${settled}`;
    }
  }
  const match = { before, after, newestAt };
  const aged = reasonAt(match, at);
  return {
    rule,
    kind,
    phase,
    before,
    after,
    newestAt,
    reason: phase === 'recovering' ? `${aged} (recovering)` : aged,
  };
}

const toMatch = (h: Hit): TriageMatch => ({
  ruleId: h.rule.id,
  severity: h.rule.severity,
  runbook: h.rule.runbook,
  reason: h.reason,
  kind: h.kind,
  phase: h.phase,
  before: h.before,
  after: h.after,
  newestAt: h.newestAt,
});

/**
 * Apply the rules at `at` (default: when the logs were read). What is wrong now leads: current
 * problems by severity and weight, then recovering ones; the worst current severity wins (the
 * worst recovering one when nothing is current). Notes never set the severity and stand apart.
 */
export function triage(
  signals: TriageSignals,
  rules: readonly TriageRule[] = TRIAGE_RULES,
  at: number = signals.logs?.at ?? nowMs(),
): TriageResult {
  const hits: Hit[] = [];
  for (const rule of rules) {
    const h = apply(rule, signals, at);
    if (h) hits.push(h);
  }
  const notes = hits.filter((h) => h.kind === 'note');
  const rest = hits.filter((h) => h.kind !== 'note');
  // Something is wrong somewhere: the all-clear no longer applies.
  const problems = rest.filter((h) => h.rule.severity !== 'SEV-4');
  const current = problems.filter((h) => h.phase === 'now');
  const used = problems.length > 0 ? problems : rest;
  const phaseRank = (h: Hit): number => (h.phase === 'now' ? 0 : 1);
  used.sort(
    (a, b) =>
      phaseRank(a) - phaseRank(b) ||
      SEV_ORDER[a.rule.severity] - SEV_ORDER[b.rule.severity] ||
      b.rule.weight - a.rule.weight,
  );
  const byRunbook = new Map<HandbookRunbook, RunbookSuggestion>();
  for (const h of used) {
    const m = toMatch(h);
    const s = byRunbook.get(h.rule.runbook);
    if (s) {
      s.reasons.push(h.reason);
      s.matches.push(m);
      if (h.phase === 'now') s.phase = 'now';
      if (SEV_ORDER[h.rule.severity] < SEV_ORDER[s.severity]) s.severity = h.rule.severity;
    } else {
      byRunbook.set(h.rule.runbook, {
        rank: byRunbook.size + 1,
        runbook: h.rule.runbook,
        severity: h.rule.severity,
        phase: h.phase,
        reasons: [h.reason],
        matches: [m],
      });
    }
  }
  const suggestions = [...byRunbook.values()];
  const lead = current.length > 0 ? current : problems;
  const severity: HandbookSeverity =
    lead.reduce<HandbookSeverity | null>(
      (w, h) => (w === null || SEV_ORDER[h.rule.severity] < SEV_ORDER[w] ? h.rule.severity : w),
      null,
    ) ??
    used[0]?.rule.severity ??
    'SEV-4';
  const phase: TriageResult['phase'] =
    current.length > 0 ? 'now' : problems.length > 0 ? 'recovering' : 'clear';
  const level = severityLevel(severity);
  const top = suggestions[0];
  const state = phase === 'recovering' ? ', recovering' : '';
  return {
    severity,
    severityName: level.name,
    responseTime: level.responseTime,
    phase,
    headline: top
      ? `${severity} (${level.name}, respond ${level.responseTime.toLowerCase()}${state}): ${top.reasons[0]} -> ${top.runbook}`
      : `${severity}: nothing to report`,
    suggestions,
    matches: used.map(toMatch),
    notes: notes.map(toMatch),
    at,
  };
}
