// The support bundle: a config full of secrets leaves none in the zip (extracted with Python's
// zipfile, which also verifies every CRC), and the zip holds what an engineer needs.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox } from '../../sandbox';
import { resolveRoot } from '../install/discover';
import { writeBundle } from './bundle';
import { lastRecords } from './bundle-logs';
import { redactConfig, redactText, REDACTED } from '../../../shared/redact';
import { ORDINARY_LOG_LINES, PLANTED } from '../../../shared/redact-corpus';
import { runSweep } from './sweep';
import { buildZip, crc32 } from './zip';
import { bundleCommand } from './cli';

const SECRETS = {
  redisPass: 'r3dis-PASSWORD-x9',
  pgPass: 'pg-S3cret!word',
  openai: 'sk-proj-ABCDEFGHIJKLMNOP1234567890abcd',
  jwtSecret: 'jwt-signing-secret-value-42',
  apiKeyValue: 'key-0123456789-abcdefghij',
  token: 'tok_live_98765zyxwv',
  urlPass: 'u5er-pa55',
  sas: 'sv=2024&sig=ABCDEFsignature123',
  nestedKeyVault: 'kv-client-secret-777',
  longRun: 'Zq8xY2vB7nM4kL1pR6tS9wU3eA5dF0gH',
};

let root: string;
let dataRoot: string;

beforeAll(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-bundle-'));
  dataRoot = path.join(root, 'install');
  createSandbox(dataRoot, { days: 1, projects: 4 });
  const settings = {
    Urls: 'http://127.0.0.1:1', // nothing listens: the API probe is quick and unreachable
    ConnectionStrings: { Default: `Host=db;Database=aura;Username=aura;Password=${SECRETS.pgPass}` },
    Caching: { UseRedis: false, RedisConnection: `127.0.0.1:6379,password=${SECRETS.redisPass},ssl=false` },
    Providers: {
      OpenAI: { Model: 'gpt-4o-mini', Endpoint: 'https://api.openai.com', Value: SECRETS.openai },
    },
    Authentication: {
      RequireAuthentication: true,
      JwtSecret: SECRETS.jwtSecret,
      ApiKeyHeaderName: 'X-API-Key',
      Keys: [SECRETS.apiKeyValue],
    },
    Webhook: { Url: `https://ops:${SECRETS.urlPass}@hooks.example.com/aura`, AccessToken: SECRETS.token },
    Storage: { Blob: `https://acct.blob.core.windows.net/c?${SECRETS.sas}` },
    KeyVault: { Enabled: false, ClientSecret: SECRETS.nestedKeyVault, Options: { Anything: 'x' } },
    Misc: { Build: SECRETS.longRun },
    HealthChecks: { DiskSpaceThresholdGB: 1.0 },
  };
  fs.writeFileSync(
    path.join(dataRoot, 'appsettings.json'),
    `// Aura settings\n${JSON.stringify(settings, null, 2)}\n`,
  );
  const day = liveMainLog(path.join(dataRoot, 'logs'));
  fs.appendFileSync(
    path.join(dataRoot, 'logs', day),
    `[2099-01-01 00:00:00.000 +00:00] [WRN] [] [] [] Redis connect to 127.0.0.1:6379,password=${SECRETS.redisPass} failed; retry with ${SECRETS.openai} {"Application":"Aura.Api"}\n`,
  );
});

afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
});

/** Today's newest main-log roll in `dir`, found here by name and number (not by the code under test). */
function liveMainLog(dir: string, now = new Date()): string {
  const ymd = `${now.getFullYear()}${String(now.getMonth() + 1).padStart(2, '0')}${String(now.getDate()).padStart(2, '0')}`;
  const seq = (n: string): number => Number(/_(\d+)\.log$/.exec(n)?.[1] ?? 0);
  const today = fs.readdirSync(dir).filter((n) => new RegExp(`^aura-api-${ymd}(_\\d{3})?\\.log$`).test(n));
  if (today.length === 0)
    throw new Error(`no aura-api file for ${ymd} in ${dir}: ${fs.readdirSync(dir).join(', ')}`);
  return today.sort((a, b) => seq(a) - seq(b)).pop()!;
}

function extract(zip: string): Map<string, string> {
  const out = path.join(root, `x-${path.basename(zip)}`);
  execFileSync('python3', ['-m', 'zipfile', '-e', zip, out]);
  const files = new Map<string, string>();
  const walk = (d: string): void => {
    for (const e of fs.readdirSync(d, { withFileTypes: true })) {
      const p = path.join(d, e.name);
      if (e.isDirectory()) walk(p);
      else files.set(path.relative(out, p), fs.readFileSync(p, 'utf8'));
    }
  };
  walk(out);
  return files;
}

/** `aura-ops bundle --json` of `install` into root/zipName, keeping `lines` log lines: the files of the zip. */
async function bundleFilesOf(install: string, zipName: string, lines: number): Promise<Map<string, string>> {
  const out: string[] = [];
  const code = await bundleCommand(
    ['--install', install, '--out', path.join(root, zipName), '--lines', String(lines), '--json'],
    { out: (t) => out.push(t), err: (t) => out.push(t) },
  );
  expect(code).toBe(0);
  return extract(JSON.parse(out.join('\n')).file);
}

describe('support bundle', () => {
  it('leaves no secret of the config or the logs in any file of the zip', async () => {
    const install = resolveRoot({ kind: 'manual', dataRoot, source: 'test', useEnv: false }, { env: {} });
    const sweep = await runSweep(install, { apiTimeoutMs: 500 });
    const r = writeBundle({ install, sweep, lines: 50, outFile: path.join(root, 'bundles', 'b1.zip') });
    // Owner-only file in an owner-only folder it created (issue 14, item 8).
    expect(fs.statSync(r.file).mode & 0o777).toBe(0o600);
    expect(fs.statSync(path.join(root, 'bundles')).mode & 0o777).toBe(0o700);
    const files = extract(r.file);
    expect([...files.keys()].sort()).toEqual(
      expect.arrayContaining([
        'manifest.json',
        'summary.txt',
        'probes.json',
        'triage.json',
        'db-overview.json',
        'install.json',
        'config/appsettings.redacted.json',
      ]),
    );
    // The live main log, whichever roll of the day it is (`_NNN` once the day has rolled at size).
    expect([...files.keys()]).toContain(`logs/${liveMainLog(path.join(dataRoot, 'logs'))}`);
    for (const [name, text] of files) {
      for (const [what, secret] of Object.entries(SECRETS)) {
        expect({ name, what, leaked: text.includes(secret) }).toEqual({ name, what, leaked: false });
      }
    }
    // What is kept: the shape, harmless values, and the redaction marker where secrets were.
    const cfg = JSON.parse(files.get('config/appsettings.redacted.json')!);
    expect(cfg.Caching.RedisConnection).toBe(`127.0.0.1:6379,password=${REDACTED},ssl=false`);
    expect(cfg.Authentication.RequireAuthentication).toBe(true);
    expect(cfg.HealthChecks.DiskSpaceThresholdGB).toBe(1);
    expect(cfg.Providers.OpenAI.Endpoint).toBe('https://api.openai.com');
    expect(cfg.KeyVault.ClientSecret).toBe(REDACTED);
    expect(cfg.KeyVault.Options.Anything).toBe('x');
    // The redacted line was appended to the live roll: read that file, not the first aura-api file
    // in the zip (once the day has rolled at size, an earlier roll of the same day comes first).
    const log = files.get(`logs/${liveMainLog(path.join(dataRoot, 'logs'))}`)!;
    expect(log).toContain(`password=${REDACTED}`);
    const db = JSON.parse(files.get('db-overview.json')!);
    expect(db.journalMode).toBe('wal');
    expect(db.lastMigration).toBe('20251122175419_AddMissingDatabaseTables');
    expect(db.tables.find((t: { name: string }) => t.name === 'ProjectStates').rows).toBe(4);
    expect(JSON.parse(files.get('manifest.json')!).version).toMatch(/^\d+\.\d+\.\d+/);
    expect(files.get('summary.txt')).toMatch(/Triage: SEV-1 Critical/);
  });

  it('leaves none of the planted corpus (config and log lines) in a real zip, counts per rule in the manifest, ordinary lines intact (issue 14, item 7)', async () => {
    const inst = path.join(root, 'corpus');
    createSandbox(inst, { days: 1, projects: 1 });
    const planted: Record<string, unknown> = { Urls: 'http://127.0.0.1:1' };
    PLANTED.forEach((p, i) => (planted[`Case${String(i + 1).padStart(2, '0')}`] = p.config));
    fs.writeFileSync(path.join(inst, 'appsettings.json'), JSON.stringify(planted, null, 2));
    const logs = path.join(inst, 'logs');
    const stamp = '[2099-01-01 00:00:00.000 +00:00]';
    const ordinary = ORDINARY_LOG_LINES.filter((l) => !l.startsWith('   at ')).map((l) =>
      l.startsWith('[') ? l : `${stamp} [INF] [] [] [] ${l}`,
    );
    for (const family of ['aura-api', 'errors']) {
      const newest = fs
        .readdirSync(logs)
        .filter((n) => n.startsWith(`${family}-`))
        .sort()
        .pop()!;
      fs.appendFileSync(
        path.join(logs, newest),
        [...PLANTED.map((p) => `${stamp} [WRN] [] [] [] ${p.log}`), ...ordinary].join('\n') + '\n',
      );
    }
    const files = await bundleFilesOf(inst, 'corpus.zip', 200);
    for (const [name, text] of files) {
      for (const p of PLANTED)
        expect({ name, id: p.id, leaked: text.includes(p.secret) }).toEqual({
          name,
          id: p.id,
          leaked: false,
        });
    }
    const cfg = files.get('config/appsettings.redacted.json')!;
    const logText = [...files]
      .filter(([k]) => k.startsWith('logs/'))
      .map(([, t]) => t)
      .join('\n');
    const cases = JSON.parse(cfg) as Record<string, unknown>;
    PLANTED.forEach((p, i) =>
      expect({
        id: p.id,
        hidden: JSON.stringify(cases[`Case${String(i + 1).padStart(2, '0')}`]).includes(REDACTED),
      }).toEqual({ id: p.id, hidden: true }),
    );
    for (const line of ordinary) expect(logText).toContain(line);
    const manifest = JSON.parse(files.get('manifest.json')!) as {
      redactions: { total: number; byRule: Record<string, number> };
    };
    // Each planted secret is counted at least once per place it was (config, two log families).
    expect(manifest.redactions.total).toBeGreaterThanOrEqual(PLANTED.length * 3);
    for (const rule of [
      'pem-private-key',
      'stripe-key',
      'github-token',
      'slack-token',
      'aws-access-key-id',
      'google-api-key',
      'openai-anthropic-key',
      'jwt',
      'auth-header',
      'url-credentials',
      'url-query-secret',
      'secret-name',
      'high-entropy',
    ]) {
      expect({ rule, counted: manifest.redactions.byRule[rule] > 0 }).toEqual({ rule, counted: true });
    }
  });

  it('keeps the last N records of a family, a multi-line record counted once', () => {
    const dir = path.join(root, 'fam');
    fs.mkdirSync(dir);
    fs.writeFileSync(
      path.join(dir, 'errors-20250101.log'),
      [
        '[2025-01-01 00:00:01.000 +00:00] [ERR] [] [] [] one',
        '[2025-01-01 00:00:02.000 +00:00] [ERR] [] [] [] two',
        'System.Exception: boom',
        '   at X.Y()',
        '[2025-01-01 00:00:03.000 +00:00] [ERR] [] [] [] three',
        '',
      ].join('\n'),
    );
    const r = lastRecords(dir, 'errors-*.log', 'serilog', 2);
    expect(r.records).toBe(2);
    expect(r.text).toBe(
      [
        '[2025-01-01 00:00:02.000 +00:00] [ERR] [] [] [] two',
        'System.Exception: boom',
        '   at X.Y()',
        '[2025-01-01 00:00:03.000 +00:00] [ERR] [] [] [] three',
        '',
      ].join('\n'),
    );
  });

  it('takes the records before a roll from the earlier file when the live one has too few', () => {
    const dir = path.join(root, 'rolled');
    fs.mkdirSync(dir);
    const rec = (s: number, msg: string) => `[2025-01-01 10:00:0${s}.000 +00:00] [ERR] [] [] [] ${msg}`;
    fs.writeFileSync(
      path.join(dir, 'errors-20250101.log'),
      [rec(1, 'one'), rec(2, 'two'), 'System.Exception: boom', rec(3, 'three'), ''].join('\n'),
    );
    fs.writeFileSync(path.join(dir, 'errors-20250101_001.log'), [rec(4, 'four'), ''].join('\n'));
    fs.writeFileSync(path.join(dir, 'errors-20241231_001.log'), [rec(0, 'older day'), ''].join('\n'));
    const r = lastRecords(dir, 'errors-*.log', 'serilog', 3);
    expect(r.file).toBe('errors-20250101_001.log');
    expect(r.records).toBe(3);
    expect(r.parts).toEqual([
      {
        file: 'errors-20250101.log',
        text: [rec(2, 'two'), 'System.Exception: boom', rec(3, 'three'), ''].join('\n'),
        records: 2,
      },
      { file: 'errors-20250101_001.log', text: `${rec(4, 'four')}\n`, records: 1 },
    ]);
    expect(lastRecords(dir, 'errors-*.log', 'serilog', 1).parts.map((x) => x.file)).toEqual([
      'errors-20250101_001.log',
    ]);
    expect(lastRecords(dir, 'errors-*.log', 'serilog', 50).records).toBe(5);
  });

  it.each([
    ['00:00:20', false],
    ['20:10:00', true],
  ])('at %s holds the live main log of a sandbox day (rolled at size: %s)', async (hhmmss, rolled) => {
    const [h, m, sec] = hhmmss.split(':').map(Number);
    const t = new Date();
    const at = new Date(t.getFullYear(), t.getMonth(), t.getDate(), h, m, sec);
    const dir = path.join(root, `day-${hhmmss.replace(/:/g, '')}`);
    createSandbox(dir, { days: 1, projects: 1, now: at });
    const logs = path.join(dir, 'logs');
    const live = liveMainLog(logs, at);
    expect(/_\d{3}\.log$/.test(live)).toBe(rolled);
    fs.writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify({ Urls: 'http://127.0.0.1:1' })); // nothing listens: a quick, unreachable API probe
    const install = resolveRoot(
      { kind: 'manual', dataRoot: dir, source: 'test', useEnv: false },
      { env: {} },
    );
    const sweep = await runSweep(install, { apiTimeoutMs: 500 });
    const files = extract(
      writeBundle({
        install,
        sweep,
        lines: 50,
        outFile: path.join(root, `day-${hhmmss.replace(/:/g, '')}.zip`),
      }).file,
    );
    const mainLogs = [...files.keys()].filter((k) => k.startsWith('logs/aura-api-'));
    expect(mainLogs[mainLogs.length - 1]).toBe(`logs/${live}`);
    const count = (text: string): number => text.split('\n').filter((l) => /^\[\d{4}-/.test(l)).length;
    const onDisk = fs
      .readdirSync(logs)
      .filter((n) => n.startsWith('aura-api-'))
      .reduce((n, f) => n + count(fs.readFileSync(path.join(logs, f), 'utf8')), 0);
    expect(mainLogs.reduce((n, k) => n + count(files.get(k)!), 0)).toBe(Math.min(50, onDisk));
  });

  it('leaves an unparsable appsettings.json out rather than risk a leak', async () => {
    const bad = path.join(root, 'bad');
    createSandbox(bad, { days: 1, projects: 1 });
    fs.writeFileSync(
      path.join(bad, 'appsettings.json'),
      `{ "Caching": { "RedisConnection": "h:1,password=${SECRETS.redisPass}" `,
    );
    const files = await bundleFilesOf(bad, 'b2.zip', 5);
    expect(files.get('config/appsettings.redacted.json')).toContain('could not be parsed');
    for (const text of files.values()) expect(text.includes(SECRETS.redisPass)).toBe(false);
  });

  it('refuses log-named symlinks and hard links out of the logs folder (issue 14, item 6)', async () => {
    const inst = path.join(root, 'links');
    createSandbox(inst, { days: 1, projects: 1 });
    const logs = path.join(inst, 'logs');
    const outside = path.join(root, 'outside-secret.txt');
    fs.writeFileSync(outside, 'root:$6$OUTSIDE-SECRET-HASH:19000:0:99999:7:::\n');
    // Named like the newest file of a family, so the bundle would pick it.
    fs.symlinkSync(outside, path.join(logs, 'aura-api-29991231.log'));
    fs.symlinkSync('/etc/shadow', path.join(logs, 'errors-29991231.log'));
    fs.linkSync(outside, path.join(logs, 'warnings-29991231.log'));
    fs.mkdirSync(path.join(logs, 'audit-29991231.log'));
    const files = await bundleFilesOf(inst, 'links.zip', 5);
    const shadow = fs.existsSync('/etc/shadow')
      ? fs.readFileSync('/etc/shadow', 'utf8').split('\n')[0]
      : 'no-shadow-here';
    for (const [name, text] of files) {
      expect({ name, leaked: text.includes('OUTSIDE-SECRET-HASH') || text.includes(shadow) }).toEqual({
        name,
        leaked: false,
      });
    }
    expect(files.get('logs/aura-api.error.txt')).toMatch(
      /aura-api-29991231\.log out of the bundle: it is a symbolic link/,
    );
    expect(files.get('logs/errors.error.txt')).toMatch(/symbolic link/);
    expect(files.get('logs/warnings.error.txt')).toMatch(/hard link/);
    expect(files.get('logs/audit.error.txt')).toMatch(/not a regular file/);
    // The families without a planted link are still there.
    expect([...files.keys()].some((k) => /^logs\/performance-\d{8}(_\d{3})?\.log$/.test(k))).toBe(true);
  });

  it('rejects a bad --lines', async () => {
    const err: string[] = [];
    expect(await bundleCommand(['--lines', '0'], { out: () => undefined, err: (t) => err.push(t) })).toBe(64);
    expect(err.join('')).toContain('--lines');
  });
});

describe('redaction and zip building blocks', () => {
  it('redacts by name, by connection-string pair, URL credentials and token shape', () => {
    expect(redactConfig({ Password: 'x', Nested: { ApiKey: 'y', Port: 5 }, Name: 'ok', Flag: true })).toEqual(
      { Password: REDACTED, Nested: { ApiKey: REDACTED, Port: 5 }, Name: 'ok', Flag: true },
    );
    expect(redactText('Server=a;User Id=sa;Password=hunter2;')).toBe(
      `Server=a;User Id=sa;Password=${REDACTED};`,
    );
    expect(redactText('redis://default:pw123@cache:6379')).toBe(`redis://default:${REDACTED}@cache:6379`);
    // Correlation ids (32 hex) stay readable in logs.
    expect(redactText('[0d8f6a4c2e1b4d9f7a5c3e1b9d7f5a3c] ok')).toBe('[0d8f6a4c2e1b4d9f7a5c3e1b9d7f5a3c] ok');
  });

  it('computes the standard CRC-32 and writes an archive Python can list', () => {
    expect(crc32(Buffer.from('123456789'))).toBe(0xcbf43926);
    const f = path.join(root, 'z.zip');
    fs.writeFileSync(
      f,
      buildZip([
        { name: 'a.txt', data: 'hello' },
        { name: 'dir/ü.json', data: '{"x":' + '1,'.repeat(1000) + '1}' },
      ]),
    );
    const files = extract(f);
    expect(files.get('a.txt')).toBe('hello');
    expect(files.get(path.join('dir', 'ü.json'))).toMatch(/^\{"x":1,/);
  });
});
