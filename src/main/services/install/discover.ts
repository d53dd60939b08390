// Finds Aura installs the way Aura itself resolves its paths (FACTS §1-§4, §7-§8): env vars first,
// then appsettings.json, then the OS defaults of the standalone API and of the Electron app.
import fs from 'node:fs';
import path from 'node:path';
import type {
  InstallCandidate,
  InstallKind,
  InstallPaths,
  InstallProblem,
  PathFact,
  RedisConfig,
} from '../../../shared/install-types';
import { configBool, configString, readAppSettings, type AppSettings } from './appsettings';

export const DEFAULT_API_URL = 'http://127.0.0.1:5005';

/** The log families Aura's Serilog sinks write (FACTS §2.2), to count what a logs dir holds. */
const LOG_FILE_RE = /^(aura-api|errors|warnings|performance|audit)-\d{8}(_\d{3})?\.log$/;

export interface DiscoverEnv {
  env: NodeJS.ProcessEnv;
  platform: NodeJS.Platform;
  home: string;
}

export interface RootSpec {
  kind: InstallKind;
  dataRoot: string;
  source: string;
  /** Apply the AURA_* / ASPNETCORE_* / Caching__* environment, as the env candidate does. */
  useEnv: boolean;
  /** The operator's manual overrides; they win over everything Aura would resolve. */
  overrides?: InstallOverrides;
}

export interface InstallOverrides {
  logsDir?: string;
  dbPath?: string;
  apiUrl?: string;
}

/** The default data roots for this OS: standalone API and Electron userData (FACTS §2.1, §3, §8). */
export function defaultRoots({ env, platform, home }: DiscoverEnv): RootSpec[] {
  const roots: RootSpec[] = [];
  const add = (kind: InstallKind, dataRoot: string, source: string) =>
    roots.push({ kind, dataRoot, source, useEnv: false });
  if (platform === 'win32') {
    const local = env.LOCALAPPDATA ?? path.join(home, 'AppData', 'Local');
    const roaming = env.APPDATA ?? path.join(home, 'AppData', 'Roaming');
    add('standalone', path.join(local, 'Aura'), 'Windows standalone default (%LOCALAPPDATA%\\Aura)');
    add('electron', path.join(roaming, 'aura-video-studio'), 'Desktop app userData (%APPDATA%)');
    add(
      'electron',
      path.join(local, 'aura-video-studio'),
      'Desktop app userData as some docs say (%LOCALAPPDATA%)',
    );
  } else if (platform === 'darwin') {
    const support = path.join(home, 'Library', 'Application Support');
    add('standalone', path.join(support, 'Aura'), 'macOS standalone default (LocalApplicationData)');
    add('electron', path.join(support, 'aura-video-studio'), 'Desktop app userData (macOS)');
  } else {
    const share = env.XDG_DATA_HOME ?? path.join(home, '.local', 'share');
    const config = env.XDG_CONFIG_HOME ?? path.join(home, '.config');
    add('standalone', path.join(share, 'Aura'), 'Linux standalone default (~/.local/share/Aura)');
    add('electron', path.join(config, 'aura-video-studio'), 'Desktop app userData (~/.config)');
  }
  return roots;
}

/** The candidate the environment describes, when any Aura path variable is set. */
export function envRoot({ env, platform, home }: DiscoverEnv): RootSpec | null {
  const keys = ['AURA_DATA_PATH', 'AURA_LOGS_PATH', 'AURA_DATABASE_PATH', 'AURA_API_URL'];
  const set = keys.filter((k) => env[k]);
  if (set.length === 0) return null;
  const dataRoot = env.AURA_DATA_PATH
    ? path.resolve(env.AURA_DATA_PATH)
    : (defaultRoots({ env, platform, home })[0]?.dataRoot ?? home);
  return { kind: 'env', dataRoot, source: `environment (${set.join(', ')})`, useEnv: true };
}

/** Normalise a bind URL into one a client can call: first of a ;-list, wildcard hosts -> loopback. */
export function clientUrl(bind: string): string {
  const first = bind.split(';')[0]?.trim() ?? '';
  const m = /^(https?):\/\/([^/]+?)(\/.*)?$/i.exec(first);
  if (!m) return DEFAULT_API_URL;
  let hostPort = m[2] ?? '';
  hostPort = hostPort.replace(/^(\*|\+|0\.0\.0\.0|\[::\])(?=:|$)/, '127.0.0.1');
  return `${m[1]!.toLowerCase()}://${hostPort}`;
}

/** Caching:RedisConnection in StackExchange.Redis syntax: "host:port,password=...,ssl=true". */
export function parseRedisConnection(conn: string): Omit<RedisConfig, 'enabled'> {
  const parts = conn
    .split(',')
    .map((p) => p.trim())
    .filter(Boolean);
  let host: string | null = null;
  let port: number | null = null;
  let hasPassword = false;
  const shown: string[] = [];
  for (const part of parts) {
    const eq = part.indexOf('=');
    if (eq === -1) {
      const m = /^(.*?)(?::(\d+))?$/.exec(part);
      if (host === null && m) {
        host = m[1] || null;
        port = m[2] ? Number(m[2]) : 6379;
      }
      shown.push(part);
    } else if (part.slice(0, eq).trim().toLowerCase() === 'password') {
      hasPassword = part.slice(eq + 1).length > 0;
      shown.push('password=***');
    } else {
      shown.push(part);
    }
  }
  return { connection: shown.join(','), host, port, hasPassword };
}

function fileFact(p: string): PathFact {
  try {
    const st = fs.statSync(p);
    return { path: p, exists: true, size: st.isFile() ? st.size : null };
  } catch {
    return { path: p, exists: false, size: null };
  }
}

function dirFact(p: string, match?: RegExp): PathFact {
  try {
    const st = fs.statSync(p);
    if (!st.isDirectory()) return { path: p, exists: false, size: null };
    let size = 0;
    let entries = 0;
    for (const ent of fs.readdirSync(p, { withFileTypes: true })) {
      if (!ent.isFile()) continue;
      if (match && !match.test(ent.name)) continue;
      entries++;
      try {
        size += fs.statSync(path.join(p, ent.name)).size;
      } catch {
        // A file rotated away between readdir and stat is simply not counted.
      }
    }
    return { path: p, exists: true, size, entries };
  } catch {
    return { path: p, exists: false, size: null };
  }
}

export function resolveRoot(spec: RootSpec, { env }: Pick<DiscoverEnv, 'env'>): InstallCandidate {
  const problems: InstallProblem[] = [];
  const dataRoot = path.resolve(spec.dataRoot);
  const e = spec.useEnv ? env : {};

  const appSettingsPath = path.join(dataRoot, 'appsettings.json');
  let settings: AppSettings | null = null;
  let appSettingsFact: PathFact | null = null;
  if (fs.existsSync(appSettingsPath)) {
    appSettingsFact = fileFact(appSettingsPath);
    const read = readAppSettings(appSettingsPath);
    if (read.ok) settings = read.settings;
    else
      problems.push({
        severity: 'error',
        message: `appsettings.json cannot be read: ${read.error}`,
        action: `Fix ${appSettingsPath} (Aura will not start with it either); until then the console uses Aura's defaults.`,
      });
  }

  const setting = (key: string) => {
    const envKey = key.replace(/:/g, '__');
    return (e[envKey] as string | undefined) ?? configString(settings, key);
  };

  const ov = spec.overrides ?? {};
  const logsDir = ov.logsDir
    ? path.resolve(ov.logsDir)
    : e.AURA_LOGS_PATH
      ? path.resolve(e.AURA_LOGS_PATH)
      : path.join(dataRoot, 'logs');
  const sqlitePath = setting('Database:SQLitePath');
  const dbPath = ov.dbPath
    ? path.resolve(ov.dbPath)
    : sqlitePath
      ? path.resolve(dataRoot, sqlitePath)
      : e.AURA_DATABASE_PATH
        ? path.resolve(e.AURA_DATABASE_PATH)
        : path.join(dataRoot, setting('Database:SQLiteFileName') || 'aura.db');
  const bind =
    setting('Kestrel:Endpoints:Http:Url') ||
    (e.AURA_API_URL as string | undefined) ||
    (e.ASPNETCORE_URLS as string | undefined) ||
    setting('Urls') ||
    DEFAULT_API_URL;
  const apiUrl = ov.apiUrl ? clientUrl(ov.apiUrl) : clientUrl(bind);
  const tempDir = e.AURA_TEMP_PATH ? path.resolve(e.AURA_TEMP_PATH) : path.join(dataRoot, 'Temp');

  const useRedisRaw = e.Caching__UseRedis as string | undefined;
  const useRedis =
    useRedisRaw !== undefined
      ? /^true$/i.test(useRedisRaw)
      : (configBool(settings, 'Caching:UseRedis') ?? false);
  const redisConn = setting('Caching:RedisConnection') ?? '';
  const redis: RedisConfig = redisConn
    ? { enabled: useRedis, ...parseRedisConnection(redisConn) }
    : { enabled: false, connection: null, host: null, port: null, hasPassword: false };
  if (useRedis && !redisConn) {
    problems.push({
      severity: 'warning',
      message:
        'Caching:UseRedis is true but Caching:RedisConnection is empty, so Aura uses its in-memory cache',
      action: 'Set Caching__RedisConnection (e.g. 127.0.0.1:6379) if Redis was meant to be used.',
    });
  }

  const facts = {
    dataRoot: dirFact(dataRoot),
    logsDir: dirFact(logsDir, LOG_FILE_RE),
    db: fileFact(dbPath),
    dbWal: fileFact(`${dbPath}-wal`),
    dbShm: fileFact(`${dbPath}-shm`),
    appSettings: appSettingsFact,
  };

  if (!facts.dataRoot.exists) {
    problems.push({
      severity: 'error',
      message: `No data folder at ${dataRoot}`,
      action:
        'Start Aura once so it creates its data folder, or add the folder where your Aura keeps aura.db and logs/.',
    });
  } else {
    if (!facts.db.exists)
      problems.push({
        severity: 'warning',
        message: `No aura.db at ${dbPath}`,
        action:
          'Aura creates it on first start. If your Aura uses Database:SQLitePath or AURA_DATABASE_PATH, set the DB path override.',
      });
    if (!facts.logsDir.exists)
      problems.push({
        severity: 'warning',
        message: `No logs folder at ${logsDir}`,
        action:
          'Aura writes logs there once it runs. If AURA_LOGS_PATH points elsewhere, set the logs override.',
      });
    else if (facts.logsDir.entries === 0)
      problems.push({
        severity: 'info',
        message: `The logs folder ${logsDir} holds no aura-api-/errors-/warnings- yyyyMMdd log files yet`,
        action: 'Start Aura, or check that this is the folder its Serilog sinks write to.',
      });
  }

  const paths: InstallPaths = {
    dataRoot,
    logsDir,
    dbPath,
    appSettingsPath: appSettingsFact ? appSettingsPath : null,
    apiUrl,
    tempDir,
    redis,
  };
  return {
    id: `${spec.kind}:${dataRoot}`,
    kind: spec.kind,
    label: labelFor(spec.kind),
    source: spec.source,
    paths,
    facts,
    found: facts.dataRoot.exists && (facts.db.exists || facts.logsDir.exists),
    problems,
  };
}

function labelFor(kind: InstallKind): string {
  switch (kind) {
    case 'sandbox':
      return 'Demo install (sandbox)';
    case 'env':
      return 'Aura from environment variables';
    case 'standalone':
      return 'Aura API (standalone)';
    case 'electron':
      return 'Aura Video Studio desktop app';
    case 'docker':
      return 'Aura in Docker';
    case 'manual':
      return 'Aura install added by hand';
    case 'bundle':
      return 'Support bundle (read-only)';
  }
}

/** All candidates, env first, then hand-added roots, OS defaults, and the demo sandbox last. */
export function discoverInstalls(
  de: DiscoverEnv,
  extra: {
    manualRoots?: string[];
    sandboxRoot?: string | null;
    overrides?: Record<string, InstallOverrides>;
  } = {},
): InstallCandidate[] {
  const specs: RootSpec[] = [];
  const envSpec = envRoot(de);
  if (envSpec) specs.push(envSpec);
  for (const r of extra.manualRoots ?? [])
    specs.push({ kind: 'manual', dataRoot: r, source: 'added by hand', useEnv: false });
  specs.push(...defaultRoots(de));
  if (extra.sandboxRoot)
    specs.push({
      kind: 'sandbox',
      dataRoot: extra.sandboxRoot,
      source: "the console's built-in demo",
      useEnv: false,
    });
  const seen = new Set<string>();
  const out: InstallCandidate[] = [];
  for (const s of specs) {
    const id = `${s.kind}:${path.resolve(s.dataRoot)}`;
    const c = resolveRoot({ ...s, overrides: extra.overrides?.[id] }, de);
    if (seen.has(c.id)) continue;
    seen.add(c.id);
    out.push(c);
  }
  return out;
}
