// The log probe run on its worker lane: parsing up to 2 MB of Serilog lines every 5 s (tens to
// hundreds of ms, more under load) would otherwise stall the main loop that terminals share.
import path from 'node:path';
import type { InstallCandidate } from '../../../shared/install-types';
import { shellQuote } from '../../../shared/shell-quote';
import { nowMs } from '../../../shared/clock';
import { logProbeWorker, type TaskWorker } from '../../workers/off-thread';
import type { LogProbeOutput } from './log-signals';
import { probeResult } from './result';

/**
 * probeLogs on the worker. A worker that cannot run gives an 'unknown' card naming why (never a
 * silent fallback, never a stalled main loop).
 */
export async function probeLogsOffThread(
  install: InstallCandidate,
  opts: { now?: number; floor?: number } = {},
  lane: TaskWorker = logProbeWorker,
): Promise<LogProbeOutput> {
  const t0 = performance.now();
  try {
    // The main thread's clock decides "now" (a clock pinned in-process does not reach the worker).
    return await lane.run('probe-logs', { install, now: opts.now ?? nowMs(), floor: opts.floor });
  } catch (err) {
    return {
      logs: null,
      result: probeResult(t0, {
        id: 'logs',
        title: 'Log error rate',
        state: 'unknown',
        value: null,
        unit: '% 5xx',
        summary: `The log probe could not run: ${(err as Error).message}`,
        details: [],
        shell: `tail -n 100 ${shellQuote(path.join(install.paths.logsDir, 'errors-'))}"$(date +%Y%m%d)".log`,
      }),
    };
  }
}
