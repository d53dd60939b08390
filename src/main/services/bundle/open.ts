// Opening a support bundle: check the zip's directory and its manifest whole, verify every file's
// sha256 (verify.ts; first paint first), and describe it as a read-only install over its folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ProbeResult, SweepResult } from '../../../shared/contract/probes';
import { OpsError } from '../../../shared/errors';
import type { BundleOrigin, InstallCandidate } from '../../../shared/install-types';
import type { TriageResult } from '../../../shared/triage';
import type { TriageSignals } from '../../../shared/triage-signals';
import { resolveRoot } from '../install/discover';
import { BUNDLE_DB_NAME, BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from '../probes/bundle';
import { makePrivateDir } from '../store/private-files';
import type { BundleVerifyStatus } from '../../../shared/contract/install';
import { LOG_FAMILIES, compareRollOrder, familyById, globToRegExp } from '../logs/paths';
import { PRIVATE_DIR_MODE } from '../store/private-files';
import {
  DEFAULT_ZIP_LIMITS,
  entryTarget,
  extractEntry,
  makeExtractionDir,
  readZipDirectory,
  sha256File,
  type ZipEntryInfo,
  type ZipLimits,
} from './unzip';
import { checkSegmentIndex, isSegmentIndex } from './segments';
import type { SegmentIndex } from '../probes/zip';
import { writeTailPreview, type TailPreview } from './tail-preview';
import { BundleFiles, type EntryRunner } from './verify';

/** A manifest larger than this is not a manifest (a few thousand file names at most). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The recorded sweep files are read whole; a real one is tens of KB. */
const MAX_SWEEP_BYTES = 16 * 1024 * 1024;

const SHA256 = /^[0-9a-f]{64}$/;
const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isCount = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= 0;
/**
 * The manifest's two big maps (a file name per log and roll, a segment per MB of log) are checked in
 * one pass each rather than entry by entry through zod, which took 3-6 ms of a bundle's first paint
 * for a 500 MB bundle (bench/bundle); the checks are the same.
 */
const filesMap = z.custom<Record<string, { bytes: number; sha256: string }>>(
  (v) =>
    isRecord(v) &&
    Object.entries(v).every(
      ([name, f]) =>
        name.length <= 1024 &&
        isRecord(f) &&
        isCount(f.bytes) &&
        typeof f.sha256 === 'string' &&
        SHA256.test(f.sha256),
    ),
  'expected { name: { bytes, sha256 } } for every file',
);
const segmentsMap = z.custom<Record<string, SegmentIndex>>(
  (v) => isRecord(v) && Object.entries(v).every(([name, idx]) => name.length <= 1024 && isSegmentIndex(idx)),
  'expected { name: { bytes, at, sha256 } } for every segmented file',
);
const manifestSchema = z
  .object({
    format: z.literal(BUNDLE_FORMAT),
    formatVersion: z.literal(BUNDLE_FORMAT_VERSION),
    version: z.string().max(100),
    createdAt: z.string().datetime({ offset: true }),
    sweepAt: z.string().datetime({ offset: true }),
    host: z.string().max(255),
    timeZone: z.string().max(100),
    aura: z.object({ version: z.string().max(100).nullable() }),
    full: z.object({ hours: z.number().positive(), db: z.boolean() }).nullable(),
    redactions: z.object({
      total: z.number().int().nonnegative(),
      byRule: z.record(z.string(), z.number().int().nonnegative()),
    }),
    files: filesMap,
    /** The log files deflated in segments (probes/zip.ts), each segment with its own sha256. */
    segments: segmentsMap.optional(),
  })
  .passthrough();
export type BundleManifest = z.infer<typeof manifestSchema>;

const sweepSchema = z
  .object({
    overall: z.enum(['healthy', 'degraded', 'unhealthy', 'unreachable']),
    startedAt: z.number().finite(),
    durationMs: z.number().finite(),
    results: z.array(
      z.object({ id: z.string(), title: z.string(), state: z.string(), summary: z.string() }).passthrough(),
    ),
    signals: z.object({ installed: z.boolean(), logs: z.unknown() }).passthrough(),
  })
  .strict();
const triageSchema = z
  .object({ severity: z.string(), suggestions: z.array(z.object({ runbook: z.string() }).passthrough()) })
  .passthrough();

export interface OpenedBundle {
  origin: BundleOrigin;
  /** The bundle install's data root: a file appears here only once its sha256 matched. */
  dir: string;
  manifest: BundleManifest;
  install: InstallCandidate;
  /** The sweep as it was recorded when the bundle was made. */
  recorded: SweepResult;
  /** The files' verification (all verified already unless opened with `background`). */
  files: BundleFiles;
  /** The whole zip's sha256 (origin.sha256 is null until the runtime fills it in from this). */
  zipSha256: Promise<string>;
  /** Where the open's time went (ms), for the bench and the log line. */
  timing: { directoryMs: number; manifestMs: number; sweepFilesMs: number; zipSha256WaitMs: number };
  /**
   * Whether a pane of `familyId` can show a checked tail before its file is verified: the family's
   * newest file is one, deflated in segments.
   */
  previewable(familyId: string): boolean;
  /**
   * The checked tail of `familyId`'s newest file (tail-preview.ts), written once; null when that
   * file is verified already or cannot be previewed. Throws when a segment does not match.
   */
  previewTail(familyId: string): TailPreview | null;
  /** The family's log files under logs/ that are not verified yet (base names, sizes from the manifest). */
  pendingLogs(familyId: string): { name: string; size: number }[];
  /** Stop verifying and remove everything extracted (the console stops, another bundle replaces it). */
  close(): void;
}

export interface OpenBundleOptions {
  limits?: Partial<ZipLimits>;
  /**
   * Return once the zip's directory, the manifest and the recorded sweep passed, with the other
   * files verified in the background (first paint first); default: every file verified first.
   */
  background?: boolean;
  /** Runs the background entries (the runtime passes a worker thread); default in this thread. */
  runLater?: EntryRunner;
  onStatus?: (s: BundleVerifyStatus) => void;
  /** Hashes the whole zip (the runtime passes a worker thread); default in this thread. */
  hashZip?: (file: string) => Promise<string>;
  /** A file failed after the open returned: the bundle is already closed and removed. */
  onFailed?: (err: OpsError) => void;
}

const refuse = (
  message: string,
  detail = 'The bundle was not opened. Ask the customer for a new bundle (aura-ops bundle --with-db).',
): OpsError => new OpsError('corrupt', message, detail);

function parseJson(dir: string, name: string): unknown {
  try {
    return JSON.parse(fs.readFileSync(path.join(dir, ...name.split('/')), 'utf8')) as unknown;
  } catch (err) {
    throw refuse(`The bundle's ${name} is not valid JSON: ${(err as Error).message}.`);
  }
}

const issuesOf = (e: z.ZodError): string =>
  e.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
    .join('; ');

/** The recorded sweep's files: read whole before the bundle is shown. */
const SWEEP_FILES = ['probes.json', 'triage.json'] as const;

/**
 * The newest file of each log family among a bundle's file names (what a log pane opens first), by
 * family id; the error store may sit in logs/ or Logs/ (FACTS §2.4), so it can name two.
 */
export function newestOfFamilies(names: string[]): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const fam of LOG_FAMILIES) {
    const re = globToRegExp(fam.pattern);
    for (const dir of fam.id === 'errors-jsonl' ? ['logs/', 'Logs/'] : ['logs/']) {
      const base = (n: string): string => n.slice(dir.length);
      const last = names
        .filter((n) => n.startsWith(dir) && !base(n).includes('/') && re.test(base(n)))
        .sort((x, y) => compareRollOrder(base(x), base(y)))
        .at(-1);
      if (last) out.set(fam.id, [...(out.get(fam.id) ?? []), last]);
    }
  }
  return out;
}

/**
 * The order files are verified in: the recorded sweep, then what the first paint needs (the
 * newest file of each log family, smallest first), then aura.db, then the rest newest first.
 * Returns the ordered entries and how many of them form the first-paint set, verified in this
 * thread at once. A newest file in `previewed` (a pane shows its checked tail meanwhile) comes
 * right after that set instead, verified with the rest off the main thread.
 */
export function verifyOrder(
  entries: ZipEntryInfo[],
  previewed: ReadonlySet<string> = new Set(),
): { ordered: ZipEntryInfo[]; firstPaint: number } {
  const byName = new Map(entries.map((e) => [e.name, e]));
  const first: ZipEntryInfo[] = [];
  for (const n of SWEEP_FILES) {
    const e = byName.get(n);
    if (e) first.push(e);
  }
  const newest: ZipEntryInfo[] = [];
  for (const names of newestOfFamilies(entries.map((e) => e.name)).values())
    for (const n of names) if (!newest.some((e) => e.name === n)) newest.push(byName.get(n) as ZipEntryInfo);
  newest.sort((x, y) => x.size - y.size);
  first.push(...newest.filter((e) => !previewed.has(e.name)));
  const soon = newest.filter((e) => previewed.has(e.name));
  const db = byName.get(BUNDLE_DB_NAME);
  const taken = new Set([...first, ...soon].map((e) => e.name));
  if (db) taken.add(db.name);
  // Newest first: roll order descending within the same folder, then anything else by name.
  const rest = entries
    .filter((e) => !taken.has(e.name))
    .sort(
      (x, y) =>
        compareRollOrder(path.posix.basename(y.name), path.posix.basename(x.name)) ||
        x.name.localeCompare(y.name),
    );
  return { ordered: [...first, ...soon, ...(db ? [db] : []), ...rest], firstPaint: first.length };
}

/** Runs one entry in this thread (inflate on libuv's pool, count/CRC/hash between chunks). */
export const runInThread: EntryRunner = (zip, entry, target) => extractEntry(zip, entry, target);

/**
 * Opens `zipFile` into a new folder under `into`. Before anything is written: the zip's whole
 * directory (names, types, sizes, ratios, overlaps) and the manifest (its format, and that it lists
 * exactly the zip's files with their sizes). Then the recorded sweep is verified and read, and the
 * other files are verified: all before returning, or in the background (`background`), each
 * readable only once its sha256 matched. Any failure removes the folder and throws (or, in the
 * background, closes the bundle through `onFailed`) with a clear error naming the file.
 */
export async function openBundle(
  zipFile: string,
  into: string,
  opts: OpenBundleOptions = {},
): Promise<OpenedBundle> {
  const file = path.resolve(zipFile);
  let st: fs.Stats;
  try {
    st = fs.statSync(file);
  } catch {
    throw new OpsError(
      'not-found',
      `No bundle at ${file}.`,
      'Give the path of the .zip that aura-ops bundle wrote.',
    );
  }
  if (!st.isFile())
    throw new OpsError(
      'bad-request',
      `${file} is not a file.`,
      'Give the path of the .zip that aura-ops bundle wrote.',
    );
  const t0 = performance.now();
  // The zip's sha256 names the bundle; it is read while the directory, the manifest and the sweep
  // are checked (the runtime holds it until the first paint is served). Its failure is thrown where
  // it is awaited below; this only keeps a refusal in between from leaving it unhandled.
  const sha256Pending = (opts.hashZip ?? sha256File)(file);
  sha256Pending.catch(() => undefined);
  // The whole directory is checked before any byte is written.
  const limits: ZipLimits = { ...DEFAULT_ZIP_LIMITS, ...opts.limits };
  const entries = readZipDirectory(file, limits);
  const t1 = performance.now();
  const manifestEntry = entries.find((e) => e.name === 'manifest.json');
  if (!manifestEntry) throw refuse('The bundle has no manifest.json.');
  if (manifestEntry.size > MAX_MANIFEST_BYTES)
    throw refuse(`The bundle's manifest.json is larger than ${MAX_MANIFEST_BYTES} bytes.`);
  makePrivateDir(into);
  const container = makeExtractionDir(
    path.join(path.resolve(into), `${crypto.randomBytes(8).toString('hex')}`),
  );
  const remove = (): void => fs.rmSync(container, { recursive: true, force: true });
  const dir = path.join(container, 'bundle');
  const staging = path.join(container, '.verifying');
  let files: BundleFiles | null = null;
  try {
    fs.mkdirSync(dir, { mode: PRIVATE_DIR_MODE });
    fs.mkdirSync(staging, { mode: PRIVATE_DIR_MODE });
    await extractEntry(file, manifestEntry, entryTarget(dir, 'manifest.json'));
    const parsed = manifestSchema.safeParse(parseJson(dir, 'manifest.json'));
    if (!parsed.success) {
      throw refuse(
        `The bundle's manifest.json is not one this console can open (${issuesOf(parsed.error)}).`,
        'Bundles made before full bundles existed cannot be checked file by file; ask for a new one made with aura-ops bundle --with-db.',
      );
    }
    const manifest = parsed.data;
    for (const n of SWEEP_FILES) {
      const e = entries.find((x) => x.name === n);
      if (!e) throw refuse(`The bundle has no ${n}.`);
      if (e.size > MAX_SWEEP_BYTES)
        throw refuse(`The bundle's ${n} is larger than ${MAX_SWEEP_BYTES} bytes.`);
    }
    // The manifest lists exactly the zip's files, with the sizes the zip declares: checked from the
    // directory before any of them is inflated.
    const listed = new Set(Object.keys(manifest.files));
    const rest = entries.filter((e) => e !== manifestEntry);
    for (const e of rest) {
      const want = manifest.files[e.name];
      if (!want)
        throw refuse(
          `The bundle holds ${e.name}, which its manifest does not list: it was changed after it was made.`,
        );
      if (want.bytes !== e.size)
        throw refuse(
          `The bundle's ${e.name} does not match its manifest (the zip declares ${e.size} bytes, the manifest says ${want.bytes}): it was changed or damaged after it was made.`,
        );
      listed.delete(e.name);
    }
    if (listed.size > 0)
      throw refuse(
        `The bundle's manifest lists ${[...listed].slice(0, 3).join(', ')}, which the zip does not hold.`,
      );
    // Each segment index fits its entry (offsets inside it, one per segment), so a segment read
    // before its whole file is verified can reach nothing else.
    for (const [name, idx] of Object.entries(manifest.segments ?? {})) {
      const e = rest.find((x) => x.name === name);
      if (!e) throw refuse(`The bundle's manifest has segments for ${name}, which the zip does not hold.`);
      checkSegmentIndex(e, idx);
    }
    const t3 = performance.now();
    const segments = manifest.segments ?? {};
    const newestNames = newestOfFamilies(rest.map((e) => e.name));
    /** The family's one newest file, when it has a segment index (its pane can show a checked tail). */
    const previewName = (familyId: string): string | null => {
      const names = newestNames.get(familyId) ?? [];
      return names.length === 1 && Object.hasOwn(segments, names[0]) ? names[0] : null;
    };
    const previewed = new Set(
      LOG_FAMILIES.map((f) => previewName(f.id)).filter((n): n is string => n !== null),
    );
    const { ordered, firstPaint } = verifyOrder(rest, previewed);
    const background = opts.background === true;
    files = new BundleFiles({
      zip: file,
      entries: ordered,
      manifest: manifest.files,
      root: dir,
      staging,
      runNow: runInThread,
      runLater: background ? (opts.runLater ?? runInThread) : runInThread,
      nowCount: firstPaint,
      remove,
      ...(opts.onStatus ? { onStatus: opts.onStatus } : {}),
      ...(opts.onFailed ? { onFailed: opts.onFailed } : {}),
    });
    files.start();
    for (const n of SWEEP_FILES) await files.ready(n);
    const sweepRaw = sweepSchema.safeParse(parseJson(dir, 'probes.json'));
    if (!sweepRaw.success)
      throw refuse(`The bundle's probes.json is not a recorded sweep (${issuesOf(sweepRaw.error)}).`);
    const triageRaw = triageSchema.safeParse(parseJson(dir, 'triage.json'));
    if (!triageRaw.success)
      throw refuse(`The bundle's triage.json is not a recorded triage (${issuesOf(triageRaw.error)}).`);
    const t4 = performance.now();
    // In the background the zip's sha256 is still being read: the console paints meanwhile and
    // fills it in (Runtime.openBundle); whatever records the bundle waits for it (readiness.ts).
    const sha256 = background ? null : await sha256Pending;
    const t5 = performance.now();
    if (!background) await files.all();
    // The install's id: the manifest's own sha256 (it holds every file's), known at once and the
    // same for the same bundle.
    const manifestSha256 = crypto
      .createHash('sha256')
      .update(fs.readFileSync(path.join(dir, 'manifest.json')))
      .digest('hex');
    const origin: BundleOrigin = {
      file,
      sha256,
      host: manifest.host,
      asOf: manifest.sweepAt,
      timeZone: manifest.timeZone,
      auraVersion: manifest.aura.version,
      consoleVersion: manifest.version,
    };
    const base = resolveRoot(
      {
        kind: 'bundle',
        dataRoot: dir,
        source: file,
        useEnv: false,
        overrides: { dbPath: path.join(dir, ...BUNDLE_DB_NAME.split('/')) },
      },
      { env: {} },
    );
    const install: InstallCandidate = {
      ...base,
      id: `bundle:${manifestSha256}`,
      label: bundleLabel(origin),
      // The API, Redis and the temp folder were the customer's: nothing here may reach them.
      paths: {
        ...base.paths,
        appSettingsPath: null,
        redis: { enabled: false, connection: null, host: null, port: null, hasPassword: false },
      },
      bundle: origin,
    };
    const recorded: SweepResult = {
      installId: install.id,
      installLabel: install.label,
      startedAt: sweepRaw.data.startedAt,
      durationMs: sweepRaw.data.durationMs,
      overall: sweepRaw.data.overall,
      // Shapes checked above to the fields the console reads; the rest is the recorded JSON as written.
      results: sweepRaw.data.results as unknown as ProbeResult[],
      signals: sweepRaw.data.signals as unknown as TriageSignals,
      triage: triageRaw.data as unknown as TriageResult,
      bundleTriage: 'recorded',
    };
    const verifier = files;
    const previews = new Map<string, TailPreview>();
    return {
      origin,
      dir,
      manifest,
      install,
      recorded,
      files: verifier,
      zipSha256: sha256Pending,
      timing: { directoryMs: t1 - t0, manifestMs: t3 - t1, sweepFilesMs: t4 - t3, zipSha256WaitMs: t5 - t4 },
      previewable: (familyId) => previewName(familyId) !== null,
      previewTail: (familyId) => {
        const name = previewName(familyId);
        if (name === null || verifier.isReady(name)) return null;
        const had = previews.get(name);
        if (had) return had;
        const entry = rest.find((e) => e.name === name) as ZipEntryInfo;
        const fam = familyById(familyId);
        const made = writeTailPreview(
          file,
          entry,
          segments[name],
          fam?.format ?? 'serilog',
          path.join(container, 'previews', ...path.posix.dirname(name).split('/')),
        );
        previews.set(name, made);
        return made;
      },
      pendingLogs: (familyId) => {
        const fam = familyById(familyId);
        if (!fam) return [];
        const re = globToRegExp(fam.pattern);
        return rest
          .filter((e) => e.name.startsWith('logs/') && !verifier.isReady(e.name))
          .map((e) => ({ name: e.name.slice('logs/'.length), size: e.size }))
          .filter((x) => !x.name.includes('/') && re.test(x.name));
      },
      close: () => verifier.close(),
    };
  } catch (err) {
    // Whatever failed, nothing stays: the verifier (if started) stops and the folder goes.
    if (files) files.close();
    else remove();
    throw err;
  }
}

/** "Bundle from <host> as of <time> (sha256 <first 12>…)": the words every view of a bundle uses. */
export function bundleLabel(o: BundleOrigin): string {
  const sha = o.sha256 === null ? 'being computed…' : `${o.sha256.slice(0, 12)}…`;
  return `Bundle from ${o.host} as of ${o.asOf.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (sha256 ${sha})`;
}
