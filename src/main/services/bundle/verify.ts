// An opened bundle's files, verified one by one after the zip's directory and manifest passed:
// each entry is inflated, counted, CRC-checked and hashed into a staging folder outside the
// install's folder and moved into place only once its own sha256 matched the manifest's, so
// whatever the console can read was verified. The first paint's files go first; a mismatch at
// any point closes the whole bundle with the file's name and removes the extraction folder.
import fs from 'node:fs';
import path from 'node:path';
import { OpsError } from '../../../shared/errors';
import type { BundleVerifyStatus } from '../../../shared/contract/install';
import { entryTarget, type EntryDigest, type ZipEntryInfo } from './unzip';

/** Inflates, counts, CRC-checks and hashes one entry into `target` (in this thread or a worker). */
export type EntryRunner = (zip: string, entry: ZipEntryInfo, target: string) => Promise<EntryDigest>;

/** What the manifest says a file holds. */
export interface ManifestFile {
  bytes: number;
  sha256: string;
}

export interface BundleFilesOptions {
  zip: string;
  /** The entries still to verify, in the order wanted (first paint first). */
  entries: ZipEntryInfo[];
  manifest: Record<string, ManifestFile>;
  /** The bundle install's data root: files appear here only once verified. */
  root: string;
  /** A folder outside `root` for the bytes being checked. */
  staging: string;
  /** Runs the entries the first paint needs (low latency: no thread to start). */
  runNow: EntryRunner;
  /** Runs the rest (off the main loop); also every entry that is asked for while it waits. */
  runLater: EntryRunner;
  /** How many of `entries` (from the front) go to runNow. */
  nowCount: number;
  /** Every change of state (progress, verified, failed). */
  onStatus?: (s: BundleVerifyStatus) => void;
  /** A file failed: the bundle is closed and its folder removed before this is called. */
  onFailed?: (err: OpsError) => void;
  /** Removes everything extracted (the container of root and staging). */
  remove: () => void;
}

interface Waiter {
  promise: Promise<void>;
  resolve: () => void;
  reject: (e: Error) => void;
}

function waiter(): Waiter {
  let resolve: () => void = () => undefined;
  let reject: (e: Error) => void = () => undefined;
  const promise = new Promise<void>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  // A waiter nobody awaits must not become an unhandled rejection when the bundle fails.
  promise.catch(() => undefined);
  return { promise, resolve, reject };
}

/** The refusal for a file whose bytes are not the manifest's. */
export function mismatch(name: string, got: EntryDigest, want: ManifestFile): OpsError {
  return new OpsError(
    'corrupt',
    `The bundle's ${name} does not match its manifest (sha256 ${got.sha256.slice(0, 12)}…, ${got.bytes} bytes; the manifest says ${want.sha256.slice(0, 12)}…, ${want.bytes} bytes): it was changed or damaged after it was made.`,
    'The bundle was closed and its extracted files removed. Ask the customer for a new bundle (aura-ops bundle --with-db).',
  );
}

export class BundleFiles {
  private readonly queue: ZipEntryInfo[];
  private readonly waiters = new Map<string, Waiter>();
  private readonly verified = new Set<string>();
  private readonly everything = waiter();
  private readonly nowNames: Set<string>;
  private verifiedBytes = 0;
  private readonly totalBytes: number;
  private readonly totalFiles: number;
  private current: string | null = null;
  private failure: OpsError | null = null;
  private closed = false;
  private running: Promise<void> | null = null;
  /** Where the time went, per stage (ms): in the runner (inflate + hash + write) and moving into place. */
  readonly timing = { runMs: 0, placeMs: 0, firstPaintSetMs: 0, allMs: 0 };

  constructor(private readonly o: BundleFilesOptions) {
    this.queue = [...o.entries];
    this.nowNames = new Set(o.entries.slice(0, o.nowCount).map((e) => e.name));
    this.totalBytes = o.entries.reduce((a, e) => a + e.size, 0);
    this.totalFiles = o.entries.length;
    for (const e of o.entries) this.waiters.set(e.name, waiter());
  }

  /** Start verifying in the background (once). */
  start(): void {
    if (this.running) return;
    const t0 = performance.now();
    this.running = this.loop(t0).catch((err: unknown) => {
      // Only a throwing onStatus/onFailed gets here; the bundle's own failures are handled in loop.
      process.stderr.write(`aura-ops: the bundle verifier stopped: ${(err as Error).message}\n`);
    });
  }

  /** True when `name` is not one of the bundle's files still being verified. */
  isReady(name: string): boolean {
    return !this.waiters.has(name) || this.verified.has(name);
  }

  /**
   * Resolves once `name` (a manifest name) is verified and in place, moving it to the front of the
   * queue; at once for a name that is not waiting. Rejects with the bundle's error.
   */
  ready(name: string): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const w = this.waiters.get(name);
    if (!w) return Promise.resolve();
    const i = this.queue.findIndex((e) => e.name === name);
    if (i > 0) this.queue.unshift(...this.queue.splice(i, 1));
    return w.promise;
  }

  /** Resolves once every file is verified. */
  all(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    return this.everything.promise;
  }

  status(): BundleVerifyStatus {
    return {
      state: this.failure ? 'failed' : this.verified.size === this.totalFiles ? 'verified' : 'verifying',
      verifiedFiles: this.verified.size,
      totalFiles: this.totalFiles,
      verifiedBytes: this.verifiedBytes,
      totalBytes: this.totalBytes,
      current: this.current,
      error: this.failure?.message ?? null,
    };
  }

  /** Stop (the console closes or another bundle replaces this one): waiters fail, files go. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    const err = new OpsError('unavailable', 'The bundle was closed before this file was verified.');
    for (const w of this.waiters.values()) w.reject(err);
    this.everything.reject(err);
    this.o.remove();
  }

  /** Settles when the background work has stopped (verified all, failed or closed). */
  async settled(): Promise<void> {
    await this.running;
  }

  private async loop(t0: number): Promise<void> {
    let n = 0;
    while (this.queue.length > 0 && !this.closed) {
      const e = this.queue.shift() as ZipEntryInfo;
      this.current = e.name;
      this.emit();
      const staged = path.join(this.o.staging, String(n++));
      try {
        const t = performance.now();
        const run = this.nowNames.has(e.name) ? this.o.runNow : this.o.runLater;
        const got = await run(this.o.zip, e, staged);
        this.timing.runMs += performance.now() - t;
        if (this.closed) return;
        const want = this.o.manifest[e.name];
        if (!want || got.sha256 !== want.sha256 || got.bytes !== want.bytes)
          throw mismatch(e.name, got, want ?? { bytes: -1, sha256: '?' });
        const tp = performance.now();
        // link, not rename: it refuses a target that exists (never clobbers), like O_EXCL.
        fs.linkSync(staged, entryTarget(this.o.root, e.name));
        fs.unlinkSync(staged);
        this.timing.placeMs += performance.now() - tp;
      } catch (err) {
        if (this.closed) return;
        this.fail(
          err instanceof OpsError
            ? err
            : new OpsError(
                'corrupt',
                `The bundle's ${e.name} could not be verified: ${(err as Error).message}.`,
              ),
        );
        return;
      }
      this.verified.add(e.name);
      this.verifiedBytes += e.size;
      this.nowNames.delete(e.name);
      if (this.nowNames.size === 0 && this.timing.firstPaintSetMs === 0)
        this.timing.firstPaintSetMs = performance.now() - t0;
      this.waiters.get(e.name)?.resolve();
    }
    if (this.closed) return;
    this.current = null;
    this.timing.allMs = performance.now() - t0;
    if (this.timing.firstPaintSetMs === 0) this.timing.firstPaintSetMs = this.timing.allMs;
    fs.rmSync(this.o.staging, { recursive: true, force: true });
    this.everything.resolve();
    this.emit();
  }

  private fail(err: OpsError): void {
    this.failure = err;
    this.current = null;
    this.closed = true;
    // Nothing of the bundle stays readable: the folder goes before anyone is told.
    this.o.remove();
    for (const w of this.waiters.values()) w.reject(err);
    this.everything.reject(err);
    this.emit();
    this.o.onFailed?.(err);
  }

  private emit(): void {
    this.o.onStatus?.(this.status());
  }
}
