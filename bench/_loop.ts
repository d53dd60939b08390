// Event-loop delay of the bench's own process (where the console's services run, as in the main
// process), for every bench: an idle second first as the baseline, then the bench's whole run.
import { monitorEventLoopDelay, type IntervalHistogram } from 'node:perf_hooks';

/** Sampling resolution of the histogram: fine enough for a 50 ms goal, cheap enough to forget. */
const RESOLUTION_MS = 10;
/** The goals for the main process. */
export const LOOP_GOALS = { p99Ms: 50, maxMs: 250 } as const;
/** The idle baseline: long enough for a stable p99 of an idle loop. */
const BASELINE_MS = 1000;

const ms = (ns: number): number => Math.round((ns / 1e6) * 10) / 10;

export interface LoopStats {
  p50Ms: number;
  p99Ms: number;
  maxMs: number;
}

export function statsOf(h: IntervalHistogram): LoopStats {
  return { p50Ms: ms(h.percentile(50)), p99Ms: ms(h.percentile(99)), maxMs: ms(h.max) };
}

export interface LoopWatch {
  /** Stats since start (or the last reset). */
  stats(): LoopStats;
  reset(): void;
  /** Print the two JSON lines (p99 and max, each with the idle baseline) and stop. */
  report(extra?: Record<string, unknown>): void;
}

/** Measure an idle second as the baseline, then watch the loop until report(). */
export async function watchEventLoop(bench: string): Promise<LoopWatch> {
  const idle = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  idle.enable();
  await new Promise((r) => setTimeout(r, BASELINE_MS));
  idle.disable();
  const base = statsOf(idle);
  const h = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
  h.enable();
  return {
    stats: () => statsOf(h),
    reset: () => h.reset(),
    report: (extra = {}) => {
      h.disable();
      const s = statsOf(h);
      const line = (metric: string, value: number, baseline: number, goal: number) =>
        process.stdout.write(
          JSON.stringify({
            bench,
            metric,
            value,
            unit: 'ms',
            baseline,
            ratio: baseline > 0 ? Math.round((value / baseline) * 100) / 100 : null,
            goal_ms: goal,
            within_goal: value <= goal,
            baseline_is: 'idle loop, same process, 1 s before the run',
            ...extra,
          }) + '\n',
        );
      line('event_loop_delay_p99', s.p99Ms, base.p99Ms, LOOP_GOALS.p99Ms);
      line('event_loop_delay_max', s.maxMs, base.maxMs, LOOP_GOALS.maxMs);
    },
  };
}
