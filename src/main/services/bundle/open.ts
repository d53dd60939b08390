// Opening a support bundle: extract it safely (unzip.ts), check its manifest and every file's
// sha256, and describe it as a read-only install whose paths point into the extraction folder.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import type { ProbeResult, SweepResult } from '../../../shared/contract/probes';
import { OpsError } from '../../../shared/errors';
import type { BundleOrigin, InstallCandidate } from '../../../shared/install-types';
import type { TriageResult, TriageSignals } from '../../../shared/triage';
import { resolveRoot } from '../install/discover';
import { BUNDLE_DB_NAME, BUNDLE_FORMAT, BUNDLE_FORMAT_VERSION } from '../probes/bundle';
import { makePrivateDir } from '../store/private-files';
import { extractZip, type ZipLimits } from './unzip';

/** A manifest larger than this is not a manifest (a few thousand file names at most). */
const MAX_MANIFEST_BYTES = 4 * 1024 * 1024;
/** The recorded sweep files are read whole; a real one is tens of KB. */
const MAX_SWEEP_BYTES = 16 * 1024 * 1024;

const sha = z.string().regex(/^[0-9a-f]{64}$/);
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
    files: z.record(z.string().max(1024), z.object({ bytes: z.number().int().nonnegative(), sha256: sha })),
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
  /** The extraction folder (the bundle install's data root). */
  dir: string;
  manifest: BundleManifest;
  install: InstallCandidate;
  /** The sweep as it was recorded when the bundle was made. */
  recorded: SweepResult;
}

async function sha256File(file: string): Promise<string> {
  const h = crypto.createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

const refuse = (
  message: string,
  detail = 'The bundle was not opened. Ask the customer for a new bundle (aura-ops bundle --with-db).',
): OpsError => new OpsError('corrupt', message, detail);

function readJson(dir: string, name: string, max: number): unknown {
  const p = path.join(dir, name);
  if (!fs.existsSync(p)) throw refuse(`The bundle has no ${name}.`);
  if (fs.statSync(p).size > max) throw refuse(`The bundle's ${name} is larger than ${max} bytes.`);
  try {
    return JSON.parse(fs.readFileSync(p, 'utf8')) as unknown;
  } catch (err) {
    throw refuse(`The bundle's ${name} is not valid JSON: ${(err as Error).message}.`);
  }
}

const issuesOf = (e: z.ZodError): string =>
  e.issues
    .slice(0, 5)
    .map((i) => `${i.path.join('.') || '(top)'}: ${i.message}`)
    .join('; ');

/**
 * Opens `zipFile` into a new folder under `into`: extraction with every safety check, then the
 * manifest, then each file's sha256 against it, then the recorded sweep. Any failure removes the
 * folder and throws a clear error: a bundle either opens whole or not at all.
 */
export async function openBundle(
  zipFile: string,
  into: string,
  limits: Partial<ZipLimits> = {},
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
  const sha256 = await sha256File(file);
  makePrivateDir(into);
  const dir = path.join(
    path.resolve(into),
    `${sha256.slice(0, 16)}-${crypto.randomBytes(4).toString('hex')}`,
  );
  const { files } = await extractZip(file, dir, limits);
  try {
    const parsed = manifestSchema.safeParse(readJson(dir, 'manifest.json', MAX_MANIFEST_BYTES));
    if (!parsed.success) {
      throw refuse(
        `The bundle's manifest.json is not one this console can open (${issuesOf(parsed.error)}).`,
        'Bundles made before full bundles existed cannot be checked file by file; ask for a new one made with aura-ops bundle --with-db.',
      );
    }
    const manifest = parsed.data;
    const listed = new Set(Object.keys(manifest.files));
    for (const f of files) {
      if (f.name === 'manifest.json') continue;
      const want = manifest.files[f.name];
      if (!want)
        throw refuse(
          `The bundle holds ${f.name}, which its manifest does not list: it was changed after it was made.`,
        );
      if (want.sha256 !== f.sha256 || want.bytes !== f.bytes)
        throw refuse(
          `The bundle's ${f.name} does not match its manifest (sha256 ${f.sha256.slice(0, 12)}…, the manifest says ${want.sha256.slice(0, 12)}…): it was changed or damaged after it was made.`,
        );
      listed.delete(f.name);
    }
    if (listed.size > 0)
      throw refuse(
        `The bundle's manifest lists ${[...listed].slice(0, 3).join(', ')}, which the zip does not hold.`,
      );
    const sweepRaw = sweepSchema.safeParse(readJson(dir, 'probes.json', MAX_SWEEP_BYTES));
    if (!sweepRaw.success)
      throw refuse(`The bundle's probes.json is not a recorded sweep (${issuesOf(sweepRaw.error)}).`);
    const triageRaw = triageSchema.safeParse(readJson(dir, 'triage.json', MAX_SWEEP_BYTES));
    if (!triageRaw.success)
      throw refuse(`The bundle's triage.json is not a recorded triage (${issuesOf(triageRaw.error)}).`);
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
      id: `bundle:${sha256}`,
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
    };
    return { origin, dir, manifest, install, recorded };
  } catch (err) {
    fs.rmSync(dir, { recursive: true, force: true });
    throw err;
  }
}

/** "Bundle from <host> as of <time> (sha256 <first 12>…)": the words every view of a bundle uses. */
export function bundleLabel(o: BundleOrigin): string {
  return `Bundle from ${o.host} as of ${o.asOf.replace('T', ' ').replace(/\.\d+Z$/, 'Z')} (sha256 ${o.sha256.slice(0, 12)}…)`;
}
