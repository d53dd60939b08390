// What a session records of requests made elsewhere in the console: DB checks, DB backups and
// health sweeps become timeline entries (of the recording session; the service writes them).
import type { BackupResult, CheckResult } from '../../../shared/contract/database';
import type { SweepResult } from '../../../shared/contract/probes';
import type { SessionEventData } from '../../../shared/contract/walkthroughs-session';

/** The request outcome as the API reports it to its observers. */
export type RequestOutcome = { ok: true; result: unknown } | { ok: false; error: { message: string } };

/** The timeline entry of a finished request, or null for one that is not recorded. */
export function observedEvent(channel: string, outcome: RequestOutcome): SessionEventData | null {
  if (channel !== 'db:check' && channel !== 'db:backup' && channel !== 'probes:sweep') return null;
  let data: SessionEventData;
  if (channel === 'db:check') {
    const r = outcome.ok ? (outcome.result as CheckResult) : null;
    data = r
      ? {
          type: 'db-check',
          check: `${r.kind} check`,
          ok: r.ok,
          detail: r.ok
            ? `${r.tablesChecked} tables checked in ${Math.round(r.elapsedMs)} ms`
            : r.problems.join('\n').slice(0, 4000),
        }
      : { type: 'db-check', check: 'check', ok: false, detail: outcome.ok ? '' : outcome.error.message };
  } else if (channel === 'db:backup') {
    const r = outcome.ok ? (outcome.result as BackupResult) : null;
    data = r
      ? {
          type: 'db-backup',
          file: r.file,
          bytes: r.size,
          ok: true,
          detail: `${r.damaged ? 'DAMAGED: the copy fails quick_check (kept as evidence; do not restore from it). ' : ''}${r.pages} pages, sha256 ${r.sha256}, ${Math.round(r.elapsedMs)} ms`,
        }
      : {
          type: 'db-backup',
          file: '',
          bytes: null,
          ok: false,
          detail: outcome.ok ? '' : outcome.error.message,
        };
  } else {
    if (!outcome.ok) return null; // a sweep that failed says so in the Health panel; nothing was seen
    const r = outcome.result as SweepResult;
    const notOk = r.results.filter((p) => p.state !== 'ok' && p.state !== 'not-configured');
    data = {
      type: 'probe-snapshot',
      title: 'Health sweep',
      state: r.overall,
      summary:
        `${r.triage.headline}${notOk.length ? ` | ${notOk.map((p) => `${p.title}: ${p.state} (${p.summary})`).join('; ')}` : ''}`.slice(
          0,
          4000,
        ),
    };
  }
  return data;
}
