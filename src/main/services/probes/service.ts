// The probes service: a sweep scheduler (configurable interval, pause, refresh now) over the
// attached install, history in ops.db, `probes:update` pushed only when something changed, and
// the triage and support bundle of the latest sweep. Between sweeps a log watch re-reads the log
// signals alone and sweeps at once when the triage they give changes (a spike shows in seconds).
import path from 'node:path';
import type {
  BundleResult,
  HistoryPoint,
  ProbeConfig,
  ProbeId,
  ProbeState,
  SweepResult,
} from '../../../shared/contract/probes';
import { MAX_INTERVAL_MS, MIN_INTERVAL_MS } from '../../../shared/contract/probes';
import { triage as triageOf, type TriageResult } from '../../../shared/triage';
import type { ServiceContext } from '../context';
import type { OpsStore } from '../store/store';
import fs from 'node:fs';
import { OpsError } from '../../../shared/errors';
import {
  BUNDLE_DB_NAME,
  DEFAULT_BUNDLE_HOURS,
  defaultBundleName,
  planBundle,
  writeBundle,
  type BundlePlan,
} from './bundle';
import { backupForBundle } from './cli';
import { runSweep, type SweepOptions } from './sweep';
import type { OpenedBundle } from '../bundle/open';
import { replayCheck } from '../bundle/replay';
import { probeLogsOffThread } from './log-probe-off-thread';
import { nowMs } from '../../../shared/clock';

/** Default sweep interval: often enough to see a change within a quarter minute, cheap enough to forget. */
export const DEFAULT_INTERVAL_MS = 15_000;
/** History kept per probe; older rows are pruned after each sweep. */
export const HISTORY_RETENTION_MS = 7 * 24 * 60 * 60_000;
/** Points returned for one sparkline at most (evenly thinned). */
export const HISTORY_MAX_POINTS = 500;
/** A first sweep this soon after start, so the dashboard is never empty for a whole interval. */
const FIRST_SWEEP_DELAY_MS = 250;
const KEY_CONFIG = 'probes.config';
/**
 * Between sweeps the log signals alone are re-read this often (one backward read of the newest
 * log, tens of ms): an error spike must show as SEV-2 within 20 s, which a 15 s sweep alone misses
 * when the spike crosses the 5% line just after a sweep.
 */
export const LOG_WATCH_MS = 5_000;

/** What the log watch compares: severity, phase and the matched rules with their phases. */
function triageSignature(t: TriageResult): string {
  return JSON.stringify([t.severity, t.phase, t.matches.map((m) => [m.ruleId, m.phase])]);
}

export interface ProbesServiceOptions {
  /** Start the scheduler (default true); tests and the CLI sweep by hand. */
  autoStart?: boolean;
  sweep?: SweepOptions;
}

/**
 * What decides "changed": the install, each probe's state and the triage (severity, phase, and
 * matched rules with their phases). Values and wording that move every sweep (latency, bytes,
 * ages) are not a change; the panel reads them with probes:latest on its own refresh.
 */
export function signature(s: SweepResult): string {
  return JSON.stringify([
    s.installId,
    s.overall,
    s.results.map((r) => [r.id, r.state]),
    s.triage.severity,
    s.triage.phase,
    s.triage.matches.map((m) => [m.ruleId, m.phase]),
    s.bundleTriage ?? null,
  ]);
}

export class ProbesService {
  private latestSweep: SweepResult | null = null;
  /** An opened support bundle: while it is the attached install, a sweep is its replayed record. */
  private openedBundle: OpenedBundle | null = null;
  private lastSignature: string | null = null;
  private timer: NodeJS.Timeout | null = null;
  private watch: NodeJS.Timeout | null = null;
  private running: Promise<SweepResult> | null = null;
  private intervalMs: number;
  private paused: boolean;
  private nextAt: number | null = null;
  private disposed = false;
  /** A log watch read is under way on the worker (the next tick waits for it). */
  private watching = false;
  /** The scheduler runs: from the start with autoStart, after start() without. */
  private started: boolean;
  private readonly insert;
  private readonly prune;

  constructor(
    private readonly ctx: ServiceContext,
    private readonly store: OpsStore,
    private readonly opts: ProbesServiceOptions = {},
  ) {
    const saved = store.getSetting<{ intervalMs?: number; paused?: boolean }>(KEY_CONFIG) ?? {};
    const iv = saved.intervalMs;
    this.intervalMs =
      typeof iv === 'number' && iv >= MIN_INTERVAL_MS && iv <= MAX_INTERVAL_MS ? iv : DEFAULT_INTERVAL_MS;
    this.paused = saved.paused === true;
    this.insert = store.db.prepare(
      'INSERT INTO probe_history (probe, at, state, value, detail) VALUES (?, ?, ?, ?, ?)',
    );
    this.prune = store.db.prepare('DELETE FROM probe_history WHERE probe = ? AND at < ?');
    ctx.onDispose(() => this.dispose());
    this.started = opts.autoStart !== false;
    if (this.started && !this.paused) this.schedule(FIRST_SWEEP_DELAY_MS);
  }

  /** Start the scheduler when it was created with autoStart: false (hosts do, tests do not). */
  start(): void {
    this.started = true;
    if (!this.paused && !this.disposed && !this.timer && !this.running) this.schedule(FIRST_SWEEP_DELAY_MS);
  }

  /** Another install was attached: sweep it now rather than at the next tick (when running). */
  installChanged(): void {
    if (this.started && !this.paused && !this.disposed) this.schedule(FIRST_SWEEP_DELAY_MS);
  }

  /** The bundle whose recorded sweep stands in for probing while it is attached (null: none). */
  setBundle(b: OpenedBundle | null): void {
    this.openedBundle = b;
    if (!b || this.disposed) return;
    // Shown at once: the sweep the customer's console recorded (verified with the manifest). The
    // replay over the bundle's own logs replaces it once every file is verified.
    this.latestSweep = b.recorded;
    this.lastSignature = signature(b.recorded);
    this.ctx.emit('probes:update', b.recorded);
  }

  /** Run every probe now; concurrent callers without options share one sweep. Resets the scheduler's clock. */
  sweep(extra: SweepOptions = {}): Promise<SweepResult> {
    // A caller with options of its own (Verify reads the logs only since the fix) gets a sweep made
    // with them, after the one under way, never that one.
    if (this.running && Object.keys(extra).length > 0) {
      return this.running.then(
        () => this.sweep(extra),
        () => this.sweep(extra),
      );
    }
    if (this.running) return this.running;
    const run = (async () => {
      try {
        const install = this.ctx.getInstall();
        const b = this.openedBundle;
        // A bundle is evidence: nothing is probed, the recorded sweep is replayed as of its time.
        const fromBundle = b !== null && install?.id === b.install.id;
        // The replay reads the bundle's logs: it waits until every file's sha256 matched.
        if (fromBundle) await b.files.all();
        const result = fromBundle
          ? replayCheck(b).sweep
          : await runSweep(install, { ...this.opts.sweep, ...extra });
        if (this.disposed) return result;
        if (result.installId !== null && !fromBundle) this.record(result);
        this.latestSweep = result;
        const sig = signature(result);
        if (sig !== this.lastSignature) {
          this.lastSignature = sig;
          this.ctx.emit('probes:update', result);
        }
        return result;
      } finally {
        this.running = null;
        if (!this.paused && !this.disposed && this.started) this.schedule(this.intervalMs);
      }
    })();
    this.running = run;
    return run;
  }

  /** The latest sweep of the attached install (null until it has one: never another install's). */
  latest(): SweepResult | null {
    const s = this.latestSweep;
    return s && s.installId === (this.ctx.getInstall()?.id ?? null) ? s : null;
  }

  async triage(): Promise<TriageResult> {
    return (this.latest() ?? (await this.sweep())).triage;
  }

  history(probe: ProbeId, minutes: number, now = nowMs()): HistoryPoint[] {
    const rows = this.store.db
      .prepare('SELECT at, state, value FROM probe_history WHERE probe = ? AND at >= ? ORDER BY at')
      .all(probe, now - minutes * 60_000) as { at: number; state: ProbeState; value: number | null }[];
    if (rows.length <= HISTORY_MAX_POINTS) return rows;
    const step = rows.length / HISTORY_MAX_POINTS;
    const out: HistoryPoint[] = [];
    for (let i = 0; i < HISTORY_MAX_POINTS; i++) out.push(rows[Math.floor(i * step)]);
    out[out.length - 1] = rows[rows.length - 1];
    return out;
  }

  config(p: { intervalMs?: number; paused?: boolean } = {}): ProbeConfig {
    if (p.intervalMs !== undefined)
      this.intervalMs = Math.min(MAX_INTERVAL_MS, Math.max(MIN_INTERVAL_MS, p.intervalMs));
    if (p.paused !== undefined) this.paused = p.paused;
    if (p.intervalMs !== undefined || p.paused !== undefined) {
      this.store.setSetting(KEY_CONFIG, { intervalMs: this.intervalMs, paused: this.paused });
      this.clearTimer();
      if (this.paused) this.stopWatch();
      if (!this.paused && !this.running && this.started) this.schedule(this.intervalMs);
    }
    return { intervalMs: this.intervalMs, paused: this.paused, nextAt: this.paused ? null : this.nextAt };
  }

  async bundle(p: {
    lines: number;
    outFile?: string;
    withDb?: boolean;
    hours?: number;
    exclude?: string[];
  }): Promise<BundleResult> {
    const sweep = await this.sweepForBundle();
    const install = this.ctx.getInstall();
    if (install?.bundle)
      throw new OpsError(
        'read-only',
        'An opened bundle cannot be bundled again: send the original zip.',
        `It is ${install.bundle.file}.`,
      );
    const outFile = p.outFile ?? path.join(this.ctx.dataDir, 'bundles', defaultBundleName());
    const exclude = p.exclude ?? [];
    if (!p.withDb || !install) return writeBundle({ install, sweep, lines: p.lines, outFile, exclude });
    const b = exclude.includes(BUNDLE_DB_NAME) ? null : await backupForBundle(install);
    try {
      const full = {
        hours: p.hours ?? DEFAULT_BUNDLE_HOURS,
        dbBackup: b?.file ?? null,
        dbLeftOutReason: b ? b.reason : 'left out by the operator',
        history: this.historyForBundle(sweep),
      };
      return writeBundle({ install, sweep, lines: p.lines, outFile, exclude, full });
    } finally {
      b?.cleanup();
    }
  }

  /** The preview of bundle(): what goes in and what the redaction took out, nothing written. */
  async bundlePlan(p: {
    lines: number;
    withDb?: boolean;
    hours?: number;
    exclude?: string[];
  }): Promise<BundlePlan> {
    const sweep = await this.sweepForBundle();
    const install = this.ctx.getInstall();
    const full =
      p.withDb && install
        ? { hours: p.hours ?? DEFAULT_BUNDLE_HOURS, dbBackup: null, history: this.historyForBundle(sweep) }
        : undefined;
    const plan = planBundle({
      install,
      sweep,
      lines: p.lines,
      exclude: p.exclude ?? [],
      ...(full ? { full } : {}),
    });
    if (
      full &&
      install &&
      fs.existsSync(install.paths.dbPath) &&
      !(p.exclude ?? []).includes(BUNDLE_DB_NAME)
    ) {
      // The copy is made when the bundle is written (SQLite's backup API); its size is aura.db's.
      plan.files.push({ name: BUNDLE_DB_NAME, bytes: fs.statSync(install.paths.dbPath).size, redactions: 0 });
    }
    return plan;
  }

  private async sweepForBundle(): Promise<SweepResult> {
    // The attached install's own sweep when it is fresh: never one of the install attached before.
    const last = this.latest();
    return last && Date.now() - last.startedAt < this.intervalMs ? last : await this.sweep();
  }

  /** Every probe's history of the last day from ops.db (thinned like the sparklines). */
  private historyForBundle(sweep: SweepResult): Record<string, HistoryPoint[]> {
    return Object.fromEntries(sweep.results.map((r) => [r.id, this.history(r.id, 24 * 60)]));
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimer();
    this.stopWatch();
  }

  private record(s: SweepResult): void {
    const tx = this.store.db.transaction(() => {
      for (const r of s.results) {
        this.insert.run(r.id, r.checkedAt, r.state, r.value, r.summary.slice(0, 500));
        this.prune.run(r.id, s.startedAt - HISTORY_RETENTION_MS);
      }
    });
    tx();
  }

  private clearTimer(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.nextAt = null;
  }

  private stopWatch(): void {
    if (this.watch) clearInterval(this.watch);
    this.watch = null;
  }

  /** The log watch runs while the scheduler does; a sweep it starts is an ordinary one. */
  private startWatch(): void {
    if (this.watch) return;
    this.watch = setInterval(() => {
      if (this.watching || this.paused || this.disposed || this.running || this.intervalMs <= LOG_WATCH_MS)
        return;
      const last = this.latestSweep;
      const install = this.ctx.getInstall();
      if (!last || !install || last.installId !== install.id || install.bundle) return;
      // The logs are parsed on a worker thread; the main loop only compares the triage.
      this.watching = true;
      probeLogsOffThread(install, { floor: this.opts.sweep?.logsSince })
        .then((logs) => {
          if (this.disposed || this.running || this.latestSweep !== last) return;
          const lastLogs = last.results.find((r) => r.id === 'logs');
          const t = triageOf({ ...last.signals, logs: logs.logs });
          if (triageSignature(t) !== triageSignature(last.triage) || logs.result.state !== lastLogs?.state) {
            this.sweep().catch((err: unknown) =>
              process.stderr.write(`aura-ops: probe sweep (log watch) failed: ${(err as Error).message}\n`),
            );
          }
        })
        .finally(() => {
          this.watching = false;
        });
    }, LOG_WATCH_MS);
    this.watch.unref?.();
  }

  private schedule(ms: number): void {
    this.startWatch();
    this.clearTimer();
    this.nextAt = nowMs() + ms;
    this.timer = setTimeout(() => {
      this.timer = null;
      this.sweep().catch((err: unknown) => {
        // A sweep never throws for a probe failure (those are results); this is a bug or a closed store.
        // sweep()'s finally has already scheduled the next run.
        process.stderr.write(`aura-ops: probe sweep failed: ${(err as Error).message}\n`);
      });
    }, ms);
    this.timer.unref?.();
  }
}
