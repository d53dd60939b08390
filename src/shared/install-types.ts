// What the console knows about an Aura install: where its data, logs, DB and config live, how to
// reach its API and Redis, and what was found at each path. Shared by services, CLI and renderer.

/** 'bundle': an opened support bundle, read-only, extracted into the console's data folder. */
export type InstallKind = 'sandbox' | 'env' | 'standalone' | 'electron' | 'docker' | 'manual' | 'bundle';

export interface RedisConfig {
  /** Caching:UseRedis is true and Caching:RedisConnection is non-empty (FACTS §4). */
  enabled: boolean;
  /** The connection string with any password replaced by ***. */
  connection: string | null;
  host: string | null;
  port: number | null;
  hasPassword: boolean;
}

/** The resolved paths of one install, as Aura itself would resolve them. */
export interface InstallPaths {
  dataRoot: string;
  logsDir: string;
  dbPath: string;
  /** appsettings.json that was read, or null when none was found. */
  appSettingsPath: string | null;
  apiUrl: string;
  tempDir: string;
  redis: RedisConfig;
}

export interface PathFact {
  path: string;
  exists: boolean;
  /** Bytes for a file; for a directory, the summed size of its direct files. */
  size: number | null;
  /** For a directory: number of entries that matter (log files for logsDir). */
  entries?: number;
}

export interface InstallProblem {
  severity: 'error' | 'warning' | 'info';
  message: string;
  /** What the operator can do about it. */
  action: string;
}

export interface InstallCandidate {
  id: string;
  kind: InstallKind;
  label: string;
  /** Where this candidate came from, e.g. "AURA_DATA_PATH" or "Linux standalone default". */
  source: string;
  paths: InstallPaths;
  facts: {
    dataRoot: PathFact;
    logsDir: PathFact;
    db: PathFact;
    dbWal: PathFact;
    dbShm: PathFact;
    appSettings: PathFact | null;
  };
  /** True when the data root exists and holds an aura.db or a logs folder. */
  found: boolean;
  /** Set on an opened support bundle: where it came from, as of when, and its sha256. */
  bundle?: BundleOrigin;
  problems: InstallProblem[];
}

/** What the console says about an opened bundle everywhere it matters ("Bundle from <host> as of <time>"). */
export interface BundleOrigin {
  /** The zip that was opened. */
  file: string;
  /**
   * sha256 of the whole zip: what a walk-through on it records. Null for the moment after opening
   * while the zip is still being hashed (the console paints first; anything that records the
   * bundle waits for it).
   */
  sha256: string | null;
  host: string;
  /** When the recorded sweep ran on the customer's machine (ISO). */
  asOf: string;
  /** The customer's machine's time zone (IANA name). */
  timeZone: string;
  auraVersion: string | null;
  consoleVersion: string;
}
