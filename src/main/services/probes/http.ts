// A bounded HTTP GET for probes: one deadline covers connect, headers and body (AbortController
// plus a socket idle timeout), the body is capped, and every failure comes back as data, never thrown.
import http from 'node:http';
import https from 'node:https';
import { CONSOLE_USER_AGENT } from '../../../shared/console-identity';

/** Largest body a probe reads; health bodies are a few KB. */
const MAX_BODY_BYTES = 1024 * 1024;

export type HttpOutcome =
  | { kind: 'answer'; status: number; body: string; json: unknown; ms: number }
  | { kind: 'timeout'; ms: number }
  | { kind: 'error'; code: string; message: string; ms: number };

export function httpGet(url: string, timeoutMs: number, signal?: AbortSignal): Promise<HttpOutcome> {
  const t0 = performance.now();
  const ms = (): number => Math.round((performance.now() - t0) * 10) / 10;
  return new Promise((resolve) => {
    let done = false;
    const finish = (o: HttpOutcome): void => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      resolve(o);
    };
    const ac = new AbortController();
    const onAbort = (): void => ac.abort();
    signal?.addEventListener('abort', onAbort, { once: true });
    const timer = setTimeout(() => {
      finish({ kind: 'timeout', ms: ms() });
      ac.abort();
    }, timeoutMs);
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      finish({ kind: 'error', code: 'EINVAL', message: `Not a valid URL: ${url}`, ms: 0 });
      return;
    }
    const lib = target.protocol === 'https:' ? https : http;
    const req = lib.get(
      target,
      {
        signal: ac.signal,
        timeout: timeoutMs,
        headers: { 'User-Agent': CONSOLE_USER_AGENT, Accept: 'application/json' },
        agent: false,
      },
      (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (c: Buffer) => {
          size += c.length;
          if (size <= MAX_BODY_BYTES) chunks.push(c);
        });
        res.on('end', () => {
          const body = Buffer.concat(chunks).toString('utf8');
          let json: unknown = undefined;
          if (body.length > 0) {
            try {
              json = JSON.parse(body);
            } catch {
              json = undefined; // not JSON (an HTML error page): the status code still tells the story
            }
          }
          finish({ kind: 'answer', status: res.statusCode ?? 0, body, json, ms: ms() });
        });
        res.on('error', (err: NodeJS.ErrnoException) =>
          finish({ kind: 'error', code: err.code ?? 'EIO', message: err.message, ms: ms() }),
        );
      },
    );
    // Socket idle timeout: a server that accepts and then says nothing.
    req.on('timeout', () => {
      finish({ kind: 'timeout', ms: ms() });
      req.destroy();
    });
    req.on('error', (err: NodeJS.ErrnoException) => {
      if (signal?.aborted)
        finish({
          kind: 'error',
          code: 'ABORTED',
          message: 'cancelled: another request of the same probe failed',
          ms: ms(),
        });
      else finish({ kind: 'error', code: err.code ?? 'EIO', message: err.message, ms: ms() });
    });
  });
}
