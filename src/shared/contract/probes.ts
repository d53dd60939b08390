// Contract domain "probes": health probes of the attached Aura install (API, Redis, disk, memory,
// processes, aura.db, log error rate), their history, the sweep scheduler, triage and the bundle.
import { z } from 'zod';
import type { TriageResult } from '../triage';
import type { TriageSignals } from '../triage-signals';
import { event, request } from './define';

export type ProbeState = 'ok' | 'degraded' | 'unhealthy' | 'unreachable' | 'not-configured' | 'unknown';

export const PROBE_IDS = ['api', 'redis', 'disk', 'memory', 'processes', 'database', 'logs'] as const;
export type ProbeId = (typeof PROBE_IDS)[number];

/** One row of a probe's details (an endpoint, a check, a volume, a process). */
export interface ProbeDetail {
  label: string;
  value: string;
  state?: ProbeState;
  /** Longer text shown on demand (a check's data, an exception). */
  note?: string;
}

export interface ProbeResult {
  id: ProbeId;
  title: string;
  state: ProbeState;
  /** The headline number (latency, free GB, rate...), or null when there is none. */
  value: number | null;
  unit?: string;
  /** One sentence: what the probe saw, and what to do when it is not ok. */
  summary: string;
  details: ProbeDetail[];
  /** Epoch ms. */
  checkedAt: number;
  durationMs: number;
  /** The equivalent shell command (the handbook's, corrected per FACTS) to rerun by hand. */
  shell: string;
}

/** Overall verdict, also `aura-ops check`'s exit code: 0 healthy, 1 degraded, 2 unhealthy, 3 unreachable. */
export type OverallState = 'healthy' | 'degraded' | 'unhealthy' | 'unreachable';

export interface SweepResult {
  /** Id of the install probed, or null when none was attached. */
  installId: string | null;
  installLabel: string | null;
  startedAt: number;
  durationMs: number;
  overall: OverallState;
  results: ProbeResult[];
  signals: TriageSignals;
  triage: TriageResult;
  /**
   * On an opened bundle: 'recorded' while its files are verified (the customer's own sweep and
   * triage), then 'replayed' (the triage read again from the bundle's logs). Absent on a live install.
   */
  bundleTriage?: 'recorded' | 'replayed';
}

export interface ProbeConfig {
  intervalMs: number;
  paused: boolean;
  /** When the next scheduled sweep runs (epoch ms), or null while paused. */
  nextAt: number | null;
}

export interface HistoryPoint {
  at: number;
  state: ProbeState;
  value: number | null;
}

export interface BundleResult {
  file: string;
  bytes: number;
  entries: string[];
}

/** A bundle's contents before it is written: what goes in, what each rule took out, what is left out. */
export interface BundlePlanResult {
  files: { name: string; bytes: number; redactions: number }[];
  leftOut: { name: string; reason: string }[];
  redactions: Record<string, number>;
}

const bundleOptions = {
  lines: z.number().int().min(1).max(20_000).default(500),
  withDb: z.boolean().default(false),
  /** A month at most: a bundle is the evidence of an incident, not an archive. */
  hours: z.number().min(1).max(744).default(24),
  exclude: z.array(z.string().min(1).max(1024)).max(5_000).default([]),
};

/** Bounds of the sweep interval: faster than 2 s would overlap the 2 s API timeout. */
export const MIN_INTERVAL_MS = 2_000;
export const MAX_INTERVAL_MS = 60 * 60_000;

export const probesChannels = {
  /** Run every probe now (also resets the scheduler's clock). */
  'probes:sweep': request<SweepResult>()(z.object({}).strict()),
  /** The last sweep, or null before the first one finished. */
  'probes:latest': request<SweepResult | null>()(z.object({}).strict()),
  'probes:history': request<HistoryPoint[]>()(
    z
      .object({
        probe: z.enum(PROBE_IDS),
        minutes: z
          .number()
          .int()
          .min(1)
          .max(7 * 24 * 60)
          .default(60),
      })
      .strict(),
  ),
  'probes:config': request<ProbeConfig>()(
    z
      .object({
        intervalMs: z.number().int().min(MIN_INTERVAL_MS).max(MAX_INTERVAL_MS).optional(),
        paused: z.boolean().optional(),
      })
      .strict(),
  ),
  /** The triage of the last sweep (sweeps first when there is none). */
  'probes:triage': request<TriageResult>()(z.object({}).strict()),
  /**
   * Write a support bundle zip into the console's data folder. withDb: also a WAL-safe aura.db copy
   * and the whole log files of the last `hours` (a bundle that opens elsewhere); exclude: zip
   * names the operator left out after the preview.
   */
  'probes:bundle': request<BundleResult>()(z.object(bundleOptions).strict()),
  /** What a bundle with these options would hold (names, sizes, redactions), written nowhere. */
  'probes:bundle-plan': request<BundlePlanResult>()(z.object(bundleOptions).strict()),
} as const;

export const probesEvents = {
  /** A sweep finished and something (a state, a summary, the triage) changed. */
  'probes:update': event<SweepResult>(),
} as const;
