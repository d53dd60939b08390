// The Redis probe: PING and INFO over the node `redis` client, with the password read again from
// appsettings (the install only keeps a redacted string) and a clear state for refused, auth, timeout.
import { createClient } from 'redis';
import type { ProbeDetail, ProbeResult, ProbeState } from '../../../shared/contract/probes';
import type { InstallCandidate } from '../../../shared/install-types';
import type { RedisSignal, TriageSignals } from '../../../shared/triage-signals';
import { configString, readAppSettings } from '../install/appsettings';
import { shellQuote } from '../../../shared/shell-quote';
import { probeResult } from './result';

/** Hard cap on the whole Redis probe (connect, AUTH, PING, INFO, SCAN). */
export const REDIS_TIMEOUT_MS = 2000;
/** Keys under Aura: counted at most; SCAN on a big keyspace must stay cheap. */
export const REDIS_SCAN_CAP = 10_000;

export interface RedisTarget {
  host: string;
  port: number;
  password: string | null;
  username: string | null;
  tls: boolean;
}

/** StackExchange.Redis syntax: "host:port,password=...,user=...,ssl=true" (first endpoint only). */
export function parseRedisTarget(conn: string): RedisTarget | null {
  let host: string | null = null;
  let port = 6379;
  let password: string | null = null;
  let username: string | null = null;
  let tls = false;
  for (const raw of conn.split(',')) {
    const part = raw.trim();
    if (!part) continue;
    const eq = part.indexOf('=');
    if (eq === -1) {
      if (host !== null) continue;
      const m = /^\[?([^\]]*?)\]?(?::(\d+))?$/.exec(part);
      if (m) {
        host = m[1] || null;
        if (m[2]) port = Number(m[2]);
      }
      continue;
    }
    const k = part.slice(0, eq).trim().toLowerCase();
    const v = part.slice(eq + 1);
    if (k === 'password') password = v || null;
    else if (k === 'user' || k === 'username') username = v || null;
    else if (k === 'ssl') tls = /^true$/i.test(v.trim());
  }
  return host ? { host, port, password, username, tls } : null;
}

/** The full connection string, as Aura resolves it: env (for an env install) then appsettings. */
export function redisConnectionOf(
  install: InstallCandidate,
  env: NodeJS.ProcessEnv = process.env,
): string | null {
  if (install.kind === 'env' && env.Caching__RedisConnection) return env.Caching__RedisConnection;
  const file = install.paths.appSettingsPath;
  if (!file) return null;
  const read = readAppSettings(file);
  if (!read.ok) return null;
  return configString(read.settings, 'Caching:RedisConnection') ?? null;
}

function parseInfo(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split(/\r?\n/)) {
    const i = line.indexOf(':');
    if (i > 0 && !line.startsWith('#')) out[line.slice(0, i)] = line.slice(i + 1).trim();
  }
  return out;
}

export interface RedisProbeOutput {
  result: ProbeResult;
  redis: TriageSignals['redis'];
}

export function classifyRedisError(err: unknown): { signal: RedisSignal; message: string } {
  const e = err as NodeJS.ErrnoException;
  const msg = e?.message ?? String(err);
  if (/NOAUTH|WRONGPASS|invalid password|Authentication required|invalid username-password/i.test(msg))
    return { signal: 'auth', message: msg };
  if (e?.code === 'ECONNREFUSED' || /ECONNREFUSED/.test(msg))
    return { signal: 'refused', message: 'connection refused' };
  if (/timeout|timed out/i.test(msg)) return { signal: 'timeout', message: msg };
  return { signal: 'error', message: msg };
}

export async function probeRedis(
  install: InstallCandidate,
  timeoutMs = REDIS_TIMEOUT_MS,
  env: NodeJS.ProcessEnv = process.env,
): Promise<RedisProbeOutput> {
  const t0 = performance.now();
  const details: ProbeDetail[] = [];
  const cfg = install.paths.redis;
  const target = cfg.enabled ? parseRedisTarget(redisConnectionOf(install, env) ?? '') : null;
  const shellFor = (t: RedisTarget | null): string =>
    t
      ? `redis-cli -h ${shellQuote(t.host)} -p ${shellQuote(String(t.port))}${t.password ? ' --askpass' : ''}${t.tls ? ' --tls' : ''} ping`
      : 'redis-cli ping';
  const done = (
    state: ProbeState,
    value: number | null,
    summary: string,
    signal: RedisSignal,
    error: string | null,
  ): RedisProbeOutput => ({
    result: probeResult(t0, {
      id: 'redis',
      title: 'Redis cache',
      state,
      value,
      unit: 'ms',
      summary,
      details,
      shell: shellFor(target),
    }),
    redis: { state: signal, error },
  });
  if (!cfg.enabled) {
    return done(
      'not-configured',
      null,
      'Not used: Caching:UseRedis is off (or Caching:RedisConnection is empty), so Aura uses its in-memory cache. AURA_REDIS_CONNECTION has no effect; set Caching__UseRedis and Caching__RedisConnection to enable it.',
      'not-configured',
      null,
    );
  }
  if (!target)
    return done(
      'not-configured',
      null,
      `Caching:RedisConnection "${cfg.connection ?? ''}" names no host; Aura cannot use it either.`,
      'error',
      'no host',
    );
  details.push({
    label: 'Endpoint',
    value: `${target.host}:${target.port}${target.tls ? ' (TLS)' : ''}${target.password ? ', with password' : ''}`,
  });

  const client = createClient({
    socket: {
      host: target.host,
      port: target.port,
      connectTimeout: timeoutMs,
      reconnectStrategy: false,
      ...(target.tls ? { tls: true as const } : {}),
    },
    ...(target.password ? { password: target.password } : {}),
    ...(target.username ? { username: target.username } : {}),
    disableOfflineQueue: true,
  });
  let lastError: unknown = null;
  client.on('error', (err: unknown) => {
    lastError = err; // reported through the failing command below; the listener keeps it from crashing the process
  });
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`Redis did not answer within ${timeoutMs} ms (timeout)`)),
      timeoutMs,
    );
  });
  try {
    const work = (async () => {
      await client.connect();
      const p0 = performance.now();
      const pong = await client.ping();
      const pingMs = Math.round((performance.now() - p0) * 10) / 10;
      const info = parseInfo(await client.info());
      let cursor = '0';
      let keys = 0;
      let capped = false;
      do {
        const r = await client.scan(cursor, { MATCH: 'Aura:*', COUNT: 1000 });
        cursor = String(r.cursor);
        keys += r.keys.length;
        if (keys >= REDIS_SCAN_CAP) {
          capped = true;
          break;
        }
      } while (cursor !== '0');
      return { pong, pingMs, info, keys, capped };
    })();
    // After the deadline wins, destroy() makes `work` reject; that rejection is expected.
    work.catch(() => undefined);
    const r = await Promise.race([work, deadline]);
    const hits = Number(r.info.keyspace_hits ?? 0);
    const misses = Number(r.info.keyspace_misses ?? 0);
    const hitRate = hits + misses > 0 ? hits / (hits + misses) : null;
    const evicted = Number(r.info.evicted_keys ?? 0);
    details.push(
      { label: 'PING', value: `${r.pong} in ${r.pingMs} ms`, state: 'ok' },
      { label: 'Version', value: r.info.redis_version ?? '?' },
      {
        label: 'Memory',
        value: `${r.info.used_memory_human ?? r.info.used_memory ?? '?'}${r.info.maxmemory_human && r.info.maxmemory !== '0' ? ` of ${r.info.maxmemory_human}` : ''}`,
      },
      {
        label: 'Hit rate',
        value:
          hitRate === null
            ? 'no lookups yet'
            : `${(hitRate * 100).toFixed(1)}% (${hits} hits, ${misses} misses)`,
      },
      { label: 'Evicted keys', value: String(evicted), state: evicted > 0 ? 'degraded' : 'ok' },
      { label: 'Clients', value: r.info.connected_clients ?? '?' },
      { label: 'Keys under Aura:', value: `${r.keys}${r.capped ? '+ (stopped counting)' : ''}` },
    );
    const state: ProbeState = evicted > 0 ? 'degraded' : 'ok';
    const summary = `PONG in ${r.pingMs} ms; ${r.keys}${r.capped ? '+' : ''} keys under Aura:, ${r.info.used_memory_human ?? '?'} used${evicted > 0 ? `; ${evicted} keys evicted (maxmemory too small)` : ''}.`;
    return done(state, r.pingMs, summary, 'ok', null);
  } catch (err) {
    const { signal, message } = classifyRedisError(err ?? lastError);
    details.push({ label: 'Error', value: message, state: signal === 'auth' ? 'unhealthy' : 'unreachable' });
    const where = `${target.host}:${target.port}`;
    if (signal === 'auth') {
      return done(
        'unhealthy',
        null,
        `Redis at ${where} rejects the credentials (${message.split('\n')[0]}): set password=... in Caching:RedisConnection to the server's requirepass. Until then every cache call fails over to memory.`,
        'auth',
        message,
      );
    }
    if (signal === 'refused') {
      return done(
        'unreachable',
        null,
        `Redis at ${where} refuses connections: redis-server is not running. Start it (systemctl start redis-server); Aura logs "Cache get failed" meanwhile.`,
        'refused',
        message,
      );
    }
    if (signal === 'timeout') {
      return done(
        'unreachable',
        null,
        `Redis at ${where} did not answer within ${timeoutMs / 1000} s: check the host, a firewall, or a blocked server (SLOWLOG, a long KEYS/FLUSHALL).`,
        'timeout',
        message,
      );
    }
    return done('unreachable', null, `Redis at ${where} failed: ${message}`, 'error', message);
  } finally {
    clearTimeout(timer);
    try {
      client.destroy();
    } catch {
      // never connected: nothing to close
    }
  }
}
