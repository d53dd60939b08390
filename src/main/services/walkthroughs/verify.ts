// Verify: the triage run again (logs read from the fix on) and each checked step of the session
// re-run read-only, as before/after rows. The triage alone decides whether verify is green.
import type { SessionDetail, SessionEvent, VerifyRow } from '../../../shared/contract/walkthroughs-session';
import { classifyCommand } from '../command-risk';
import { isRed, type TriageSource } from './triage';
import { toVerdict, verdictText } from './verdict';

/** Entries that are something the operator did; the last one before Verify is taken as the fix. */
const ACTION_TYPES = new Set(['step', 'command', 'note', 'check', 'log-pin', 'db-backup']);

/** Runs one checked step non-interactively (verify); the runtime gives the runbook runner. */
export type StepRunner = (command: string) => Promise<{ output: string; exitCode: number | null }>;

/** The before/after rows of verifying session `d`; without `runStep` no checked step is re-run. */
export async function verifyRows(
  d: SessionDetail,
  deps: { triage: TriageSource; runStep?: StepRunner },
): Promise<{ green: boolean; rows: VerifyRow[] }> {
  const rows: VerifyRow[] = [];
  // Log lines written before the fix (the crash that started it all) must not keep verify red:
  // the logs are read from the operator's last recorded action on.
  const lastAction = [...d.events].reverse().find((e) => ACTION_TYPES.has(e.type));
  const logsSince = lastAction?.at ?? d.startedAt;
  const sweep = await deps.triage.sweep({ logsSince });
  const snap = d.events.find((e): e is Extract<SessionEvent, { type: 'triage' }> => e.type === 'triage');
  const triageOk = !isRed(sweep);
  const why = triageOk ? '' : `: ${sweep.triage.suggestions[0]?.reasons[0] ?? sweep.triage.headline}`;
  const since = new Date(logsSince).toISOString().slice(11, 19);
  rows.push({
    kind: 'triage',
    label: `Triage (logs since ${since} UTC)`,
    before: snap ? `${snap.severity} (${snap.overall})` : '—',
    after: `${sweep.triage.severity} (${sweep.overall})${why}`,
    ok: triageOk,
  });
  for (const r of sweep.results) {
    const before = snap?.probes.find((p) => p.id === r.id)?.state ?? '—';
    // Probe rows show what changed; the triage above already weighs them, so they do not block.
    if (before !== r.state)
      rows.push({
        kind: 'probe',
        label: r.title,
        before,
        after: r.state,
        ok: r.state === 'ok' || r.state === 'not-configured',
      });
  }
  // Each checked step once: its first verdict in the session, and a fresh read-only re-run.
  const seen = new Set<string>();
  for (const e of d.events) {
    if (e.type !== 'step' || e.mode !== 'run-check' || (!e.expect && !e.answers) || seen.has(e.stepId))
      continue;
    seen.add(e.stepId);
    const before = e.verdict ? verdictText(e.verdict) : e.status;
    if ((await classifyCommand(e.command)).risk !== 'read-only') {
      rows.push({
        kind: 'step',
        label: e.stepId,
        before,
        after: 'not re-run: it can change things',
        ok: true,
      });
      continue;
    }
    if (!deps.runStep) {
      rows.push({
        kind: 'step',
        label: e.stepId,
        before,
        after: 'not re-run: no install attached',
        ok: false,
      });
      continue;
    }
    const out = await deps.runStep(e.command);
    const v = toVerdict({ expect: e.expect ?? undefined, answers: e.answers }, out.output, out.exitCode);
    rows.push({ kind: 'step', label: e.stepId, before, after: verdictText(v), ok: v.status === 'pass' });
  }
  // The triage decides: a step's expectation may describe the symptom (a check that confirms the
  // fault passes before and fails after), so step rows are evidence for the operator, not a gate.
  const green = triageOk;
  return { green, rows };
}
