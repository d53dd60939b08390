// The Redis probe against a real redis-server started here with --requirepass: up, wrong or
// missing password, down, not configured, and a server that accepts but never answers.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { missingTool, toolPath } from '../../../../tests/tools';
import { resolveRoot } from '../install/discover';
import { parseRedisTarget, probeRedis } from './redis-probe';

const PASSWORD = 's3cret-Pa55';
const skip = missingTool('redis-server', 'probes/redis');
let root: string;
let port: number;
let server: ChildProcess | null = null;

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const p = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(p));
    });
  });
}

async function waitForPort(p: number): Promise<void> {
  for (let i = 0; i < 100; i++) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = net.createConnection({ host: '127.0.0.1', port: p }, () => {
        s.destroy();
        resolve(true);
      });
      s.once('error', () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error(`redis-server did not open port ${p}`);
}

/** An install whose appsettings.json enables Redis with this connection string. */
function installWith(name: string, caching: Record<string, unknown>) {
  const dir = path.join(root, name);
  fs.mkdirSync(path.join(dir, 'logs'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'appsettings.json'), JSON.stringify({ Caching: caching }));
  return resolveRoot({ kind: 'manual', dataRoot: dir, source: 'test', useEnv: false }, { env: {} });
}

beforeAll(async () => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-redis-'));
  if (skip) return;
  port = await freePort();
  server = spawn(
    toolPath('redis-server'),
    [
      '--port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--requirepass',
      PASSWORD,
      '--save',
      '',
      '--appendonly',
      'no',
      '--dir',
      root,
    ],
    { stdio: 'ignore' },
  );
  await waitForPort(port);
});

afterAll(async () => {
  if (server && server.exitCode === null) {
    const exited = new Promise((r) => server!.once('exit', r));
    server.kill('SIGTERM');
    await exited;
  }
  fs.rmSync(root, { recursive: true, force: true });
});

describe.skipIf(skip)('Redis probe', () => {
  it('reads PING and INFO with the password from appsettings, and counts keys under Aura:', async () => {
    const inst = installWith('up', {
      UseRedis: true,
      RedisConnection: `127.0.0.1:${port},password=${PASSWORD},abortConnect=false`,
    });
    // The install itself keeps only the redacted form.
    expect(inst.paths.redis.connection).not.toContain(PASSWORD);
    const { createClient } = await import('redis');
    const c = createClient({ socket: { host: '127.0.0.1', port }, password: PASSWORD });
    await c.connect();
    await c.hSet('Aura:templates:popular', { data: '[]', absexp: '1', sldexp: '-1' });
    await c.hSet('Aura:system:config', { data: '{}' });
    await c.set('other:key', '1');
    await c.destroy();
    const r = await probeRedis(inst);
    expect(r.redis).toEqual({ state: 'ok', error: null });
    expect(r.result.state).toBe('ok');
    expect(r.result.details.find((d) => d.label === 'Keys under Aura:')?.value).toBe('2');
    expect(r.result.details.find((d) => d.label === 'Hit rate')).toBeDefined();
    expect(r.result.shell).toBe(`redis-cli -h 127.0.0.1 -p ${port} --askpass ping`);
    expect(JSON.stringify(r)).not.toContain(PASSWORD);
  });

  it('says auth is required when the connection string has no password (NOAUTH)', async () => {
    const r = await probeRedis(
      installWith('noauth', { UseRedis: true, RedisConnection: `127.0.0.1:${port}` }),
    );
    expect(r.redis.state).toBe('auth');
    expect(r.result.state).toBe('unhealthy');
    expect(r.result.summary).toMatch(/rejects the credentials .*NOAUTH/);
  });

  it('says the credentials are wrong on a bad password (WRONGPASS)', async () => {
    const r = await probeRedis(
      installWith('wrongpass', { UseRedis: true, RedisConnection: `127.0.0.1:${port},password=nope` }),
    );
    expect(r.redis.state).toBe('auth');
    expect(r.result.summary).toMatch(/WRONGPASS|invalid/i);
  });

  it('says refused when nothing listens', async () => {
    const closed = await freePort();
    const r = await probeRedis(
      installWith('down', { UseRedis: true, RedisConnection: `127.0.0.1:${closed}` }),
    );
    expect(r.redis.state).toBe('refused');
    expect(r.result.state).toBe('unreachable');
    expect(r.result.summary).toContain('refuses connections');
  });

  it('says timeout when a server accepts but never answers, within the deadline', async () => {
    const sockets: net.Socket[] = [];
    const mute = net.createServer((s) => void sockets.push(s));
    await new Promise<void>((r) => mute.listen(0, '127.0.0.1', () => r()));
    const p = (mute.address() as net.AddressInfo).port;
    try {
      const t0 = performance.now();
      const r = await probeRedis(
        installWith('mute', { UseRedis: true, RedisConnection: `127.0.0.1:${p}` }),
        400,
      );
      expect(performance.now() - t0).toBeLessThan(1500);
      expect(r.redis.state).toBe('timeout');
      expect(r.result.summary).toContain('did not answer within');
    } finally {
      for (const s of sockets) s.destroy();
      await new Promise((r) => mute.close(r));
    }
  });

  it('is not configured when Caching:UseRedis is off, even with a connection string', async () => {
    const r = await probeRedis(installWith('off', { UseRedis: false, RedisConnection: `127.0.0.1:${port}` }));
    expect(r.result.state).toBe('not-configured');
    expect(r.redis.state).toBe('not-configured');
    expect(r.result.summary).toContain('Caching:UseRedis is off');
  });
});

describe('parseRedisTarget', () => {
  it('reads host, port, password, user and ssl in StackExchange.Redis syntax', () => {
    expect(parseRedisTarget('cache.local:6380,password=a=b,ssl=True,user=ops')).toEqual({
      host: 'cache.local',
      port: 6380,
      password: 'a=b',
      username: 'ops',
      tls: true,
    });
    expect(parseRedisTarget('localhost')).toEqual({
      host: 'localhost',
      port: 6379,
      password: null,
      username: null,
      tls: false,
    });
    expect(parseRedisTarget(',password=x')).toBeNull();
  });
});
