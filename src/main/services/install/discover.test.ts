// Install discovery against real temp folders: each env var, appsettings variants, missing and
// malformed inputs. What Aura would resolve is what the console must resolve.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientUrl, discoverInstalls, parseRedisConnection, resolveRoot } from './discover';
import { parseAppSettings } from './appsettings';

const made: string[] = [];
function tmp(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-disc-'));
  made.push(d);
  return d;
}
afterEach(() => {
  for (const d of made.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

function install(root: string, opts: { db?: boolean; logs?: string[]; settings?: string } = {}) {
  fs.mkdirSync(root, { recursive: true });
  if (opts.db !== false) fs.writeFileSync(path.join(root, 'aura.db'), 'x'.repeat(10));
  if (opts.logs) {
    fs.mkdirSync(path.join(root, 'logs'), { recursive: true });
    for (const f of opts.logs) fs.writeFileSync(path.join(root, 'logs', f), 'line\n');
  }
  if (opts.settings !== undefined) fs.writeFileSync(path.join(root, 'appsettings.json'), opts.settings);
}

const manual = (dataRoot: string, env: NodeJS.ProcessEnv = {}) =>
  resolveRoot({ kind: 'manual', dataRoot, source: 'test', useEnv: false }, { env });

describe('OS defaults', () => {
  it('finds the Linux standalone and desktop-app folders under HOME', () => {
    const home = tmp();
    install(path.join(home, '.local', 'share', 'Aura'), { logs: ['aura-api-20251208.log'] });
    const cands = discoverInstalls({ env: {}, platform: 'linux', home });
    const standalone = cands.find((c) => c.kind === 'standalone')!;
    expect(standalone.found).toBe(true);
    expect(standalone.paths.dbPath).toBe(path.join(home, '.local', 'share', 'Aura', 'aura.db'));
    expect(standalone.facts.logsDir.entries).toBe(1);
    const desktop = cands.find((c) => c.kind === 'electron')!;
    expect(desktop.paths.dataRoot).toBe(path.join(home, '.config', 'aura-video-studio'));
    expect(desktop.found).toBe(false);
    expect(desktop.problems[0]!.message).toContain('No data folder');
  });

  it('uses %LOCALAPPDATA%\\Aura and Roaming %APPDATA% on Windows, Application Support on macOS', () => {
    const home = tmp();
    const win = discoverInstalls({
      env: { LOCALAPPDATA: path.join(home, 'L'), APPDATA: path.join(home, 'R') },
      platform: 'win32',
      home,
    });
    expect(win.map((c) => c.paths.dataRoot)).toEqual([
      path.join(home, 'L', 'Aura'),
      path.join(home, 'R', 'aura-video-studio'),
      path.join(home, 'L', 'aura-video-studio'),
    ]);
    const mac = discoverInstalls({ env: {}, platform: 'darwin', home });
    expect(mac[0]!.paths.dataRoot).toBe(path.join(home, 'Library', 'Application Support', 'Aura'));
  });
});

describe('environment variables', () => {
  it('AURA_DATA_PATH makes an env candidate first, with logs and db under it', () => {
    const home = tmp();
    const root = path.join(tmp(), 'data');
    install(root, { logs: [] });
    const [first] = discoverInstalls({ env: { AURA_DATA_PATH: root }, platform: 'linux', home });
    expect(first!.kind).toBe('env');
    expect(first!.source).toContain('AURA_DATA_PATH');
    expect(first!.paths.logsDir).toBe(path.join(root, 'logs'));
    expect(first!.paths.dbPath).toBe(path.join(root, 'aura.db'));
  });

  it('AURA_LOGS_PATH, AURA_DATABASE_PATH, AURA_TEMP_PATH move single paths', () => {
    const root = tmp();
    const env = {
      AURA_DATA_PATH: root,
      AURA_LOGS_PATH: path.join(root, 'elsewhere-logs'),
      AURA_DATABASE_PATH: path.join(root, 'db', 'x.db'),
      AURA_TEMP_PATH: path.join(root, 'tmpx'),
    };
    const [c] = discoverInstalls({ env, platform: 'linux', home: tmp() });
    expect(c!.paths.logsDir).toBe(env.AURA_LOGS_PATH);
    expect(c!.paths.dbPath).toBe(env.AURA_DATABASE_PATH);
    expect(c!.paths.tempDir).toBe(env.AURA_TEMP_PATH);
  });

  it('Database:SQLitePath in appsettings wins over AURA_DATABASE_PATH (FACTS §3 order)', () => {
    const root = tmp();
    install(root, { settings: '{"Database":{"SQLitePath":"custom/aura.db"}}' });
    const c = resolveRoot(
      { kind: 'env', dataRoot: root, source: 't', useEnv: true },
      { env: { AURA_DATABASE_PATH: '/nope/a.db' } },
    );
    expect(c.paths.dbPath).toBe(path.join(root, 'custom', 'aura.db'));
  });

  it('API URL: AURA_API_URL, then ASPNETCORE_URLS (first of a list, wildcard to loopback), then Urls', () => {
    const root = tmp();
    install(root, { settings: '{"Urls":"http://127.0.0.1:5111"}' });
    const r = (env: NodeJS.ProcessEnv) =>
      resolveRoot({ kind: 'env', dataRoot: root, source: 't', useEnv: true }, { env }).paths.apiUrl;
    expect(r({ AURA_API_URL: 'http://localhost:6000/', ASPNETCORE_URLS: 'http://0.0.0.0:7000' })).toBe(
      'http://localhost:6000',
    );
    expect(r({ ASPNETCORE_URLS: 'http://+:7000;https://+:7001' })).toBe('http://127.0.0.1:7000');
    expect(r({})).toBe('http://127.0.0.1:5111');
    expect(manual(tmp()).paths.apiUrl).toBe('http://127.0.0.1:5005');
  });

  it('env vars do not leak into candidates other than the env one', () => {
    const root = tmp();
    install(root);
    const c = manual(root, { AURA_LOGS_PATH: '/somewhere/else' });
    expect(c.paths.logsDir).toBe(path.join(root, 'logs'));
  });
});

describe('appsettings.json', () => {
  it('reads comments, trailing commas, a BOM and case-insensitive keys like ASP.NET', () => {
    const root = tmp();
    install(root, {
      settings:
        '\uFEFF{\n // the API\n "urls": "http://127.0.0.1:5222", /* block */\n "caching": {"useRedis": true, "redisConnection": "10.0.0.5:6380,password=hunter2,ssl=false",},\n}',
    });
    const c = manual(root);
    expect(c.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(c.paths.apiUrl).toBe('http://127.0.0.1:5222');
    expect(c.paths.redis).toEqual({
      enabled: true,
      connection: '10.0.0.5:6380,password=***,ssl=false',
      host: '10.0.0.5',
      port: 6380,
      hasPassword: true,
    });
    expect(JSON.stringify(c)).not.toContain('hunter2');
  });

  it('Kestrel:Endpoints:Http:Url wins over Urls (Development config)', () => {
    const root = tmp();
    install(root, {
      settings:
        '{"Urls":"http://127.0.0.1:5005","Kestrel":{"Endpoints":{"Http":{"Url":"http://0.0.0.0:5055"}}}}',
    });
    expect(manual(root).paths.apiUrl).toBe('http://127.0.0.1:5055');
  });

  it('Redis stays off when UseRedis is false, and warns when UseRedis has no connection', () => {
    const a = tmp();
    install(a, { settings: '{"Caching":{"UseRedis":false,"RedisConnection":"localhost:6379"}}' });
    expect(manual(a).paths.redis.enabled).toBe(false);
    const b = tmp();
    install(b, { settings: '{"Caching":{"UseRedis":true,"RedisConnection":""}}' });
    const cb = manual(b);
    expect(cb.paths.redis.enabled).toBe(false);
    expect(cb.problems.some((p) => p.message.includes('RedisConnection is empty'))).toBe(true);
  });

  it('Database:SQLiteFileName renames the file under the data root', () => {
    const root = tmp();
    install(root, { settings: '{"Database":{"SQLiteFileName":"other.db"}}' });
    expect(manual(root).paths.dbPath).toBe(path.join(root, 'other.db'));
  });

  it('a malformed file is a clear problem with its line, and defaults still apply', () => {
    const root = tmp();
    install(root, { settings: '{\n "Urls": "http://127.0.0.1:5005",\n "Database": { oops }\n}' });
    const c = manual(root);
    const err = c.problems.find((p) => p.severity === 'error')!;
    expect(err.message).toMatch(/appsettings\.json cannot be read: .*line 3/);
    expect(err.action).toContain(path.join(root, 'appsettings.json'));
    expect(c.paths.apiUrl).toBe('http://127.0.0.1:5005');
    expect(c.found).toBe(true);
  });

  it('an unreadable file (a directory in its place) is reported, not thrown', () => {
    const root = tmp();
    install(root);
    fs.mkdirSync(path.join(root, 'appsettings.json'));
    const c = manual(root);
    expect(c.problems.some((p) => p.message.startsWith('appsettings.json cannot be read'))).toBe(true);
  });

  it('rejects a top level that is not an object', () => {
    expect(parseAppSettings('[1,2]')).toEqual({ ok: false, error: 'the top level is not a JSON object' });
    expect(parseAppSettings('{"a": "// not a comment"}')).toEqual({
      ok: true,
      settings: { a: '// not a comment' },
    });
  });
});

describe('missing pieces', () => {
  it('an existing root with no db and no logs is not "found" and says what to do', () => {
    const root = tmp();
    fs.mkdirSync(path.join(root, 'x'));
    const c = manual(root);
    expect(c.found).toBe(false);
    expect(c.problems.map((p) => p.message)).toEqual([
      `No aura.db at ${path.join(root, 'aura.db')}`,
      `No logs folder at ${path.join(root, 'logs')}`,
    ]);
  });

  it('counts only Aura log families in the logs folder, size rolls included', () => {
    const root = tmp();
    install(root, {
      logs: [
        'aura-api-20251208.log',
        'aura-api-20251208_001.log',
        'errors-20251208.log',
        'notes.txt',
        'aura-api-2025-12-08.log',
      ],
    });
    expect(manual(root).facts.logsDir.entries).toBe(3);
  });
});

describe('helpers', () => {
  it('clientUrl normalises bind addresses', () => {
    expect(clientUrl('http://[::]:5005')).toBe('http://127.0.0.1:5005');
    expect(clientUrl('http://*:5005/')).toBe('http://127.0.0.1:5005');
    expect(clientUrl('garbage')).toBe('http://127.0.0.1:5005');
  });
  it('parseRedisConnection defaults the port and hides the password', () => {
    expect(parseRedisConnection('redis')).toEqual({
      connection: 'redis',
      host: 'redis',
      port: 6379,
      hasPassword: false,
    });
    expect(parseRedisConnection('redis:6379,password=${REDIS_PASSWORD}').connection).toBe(
      'redis:6379,password=***',
    );
  });
});
