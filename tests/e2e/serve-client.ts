// A contract client over the serve host's WebSocket for end-to-end tests that need no browser:
// hostile inputs, fuzzing and slow readers talk to the real `aura-ops serve` process with it.
import http from 'node:http';
import WebSocket from 'ws';
import {
  AUTH_PATH,
  SESSION_PROTOCOL_PREFIX,
  TOKEN_HEADER,
  WS_PROTOCOL,
} from '../../src/shared/serve-handshake';
import type { ServeProc } from './harness';

/** How long a test waits for one reply or one upgrade before it fails with a message. */
const REPLY_TIMEOUT_MS = 15_000;

export interface EventFrame {
  event: string;
  payload: unknown;
  seq?: number;
}

export interface Client {
  ws: WebSocket;
  events: EventFrame[];
  call<T = unknown>(channel: string, params: unknown): Promise<T>;
  close(): void;
}

/** The console's own origin, as its pages send it. */
export function originOf(serve: ServeProc): string {
  return `http://127.0.0.1:${serve.port}`;
}

/** Trades the launch token for a session, as the page does with its #token= fragment. */
export async function signIn(serve: ServeProc): Promise<string> {
  const res = await rawRequest(serve.port, {
    method: 'POST',
    path: AUTH_PATH,
    headers: { Origin: originOf(serve), [TOKEN_HEADER]: serve.token },
  });
  if (res.status !== 200) throw new Error(`sign-in answered ${res.status}: ${res.body}`);
  return (JSON.parse(res.body) as { session: string }).session;
}

/** The headers and subprotocols a page served by this console sends to open /ws. */
export async function authFor(
  serve: ServeProc,
): Promise<{ headers: Record<string, string>; protocols: string[] }> {
  const session = await signIn(serve);
  return {
    headers: { Origin: originOf(serve) },
    protocols: [WS_PROTOCOL, SESSION_PROTOCOL_PREFIX + session],
  };
}

export async function connect(
  serve: ServeProc,
  opts: { onEvent?: (e: EventFrame) => void } = {},
): Promise<Client> {
  const { headers, protocols } = await authFor(serve);
  const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws`, protocols, {
    headers,
    maxPayload: 256 * 1024 * 1024,
  });
  const events: EventFrame[] = [];
  const pending = new Map<
    number,
    (m: { ok: boolean; result?: unknown; error?: { message: string } }) => void
  >();
  let next = 1;
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as {
      id?: number;
      event?: string;
      payload?: unknown;
      seq?: number;
      ok?: boolean;
    };
    if (typeof msg.event === 'string') {
      const e: EventFrame = {
        event: msg.event,
        payload: msg.payload,
        ...(msg.seq !== undefined ? { seq: msg.seq } : {}),
      };
      events.push(e);
      opts.onEvent?.(e);
      return;
    }
    if (typeof msg.id === 'number') pending.get(msg.id)?.(msg as { ok: boolean });
  });
  const client: Client = {
    ws,
    events,
    call: <T>(channel: string, params: unknown) =>
      new Promise<T>((resolve, reject) => {
        const id = next++;
        const timer = setTimeout(
          () => reject(new Error(`${channel}: no reply in ${REPLY_TIMEOUT_MS} ms`)),
          REPLY_TIMEOUT_MS,
        );
        pending.set(id, (m) => {
          clearTimeout(timer);
          pending.delete(id);
          if (m.ok) resolve(m.result as T);
          else reject(new Error(`${channel}: ${m.error?.message ?? 'failed'}`));
        });
        ws.send(JSON.stringify({ id, channel, params }));
      }),
    close: () => ws.terminate(),
  };
  return new Promise<Client>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the WebSocket did not open in time')), REPLY_TIMEOUT_MS);
    ws.once('open', () => {
      clearTimeout(timer);
      resolve(client);
    });
    ws.once('unexpected-response', (_req, res) => {
      clearTimeout(timer);
      reject(new Error(`the upgrade was refused with ${res.statusCode}`));
    });
    ws.once('error', (err) => {
      clearTimeout(timer);
      reject(err);
    });
  });
}

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One HTTP request with exactly these headers (Host defaults to the console's own). */
export function rawRequest(
  port: number,
  opts: { path?: string; method?: string; host?: string; headers?: Record<string, string>; body?: string },
): Promise<RawResponse> {
  return new Promise<RawResponse>((resolve, reject) => {
    const req = http.request(
      {
        host: '127.0.0.1',
        port,
        method: opts.method ?? 'GET',
        path: opts.path ?? '/',
        headers: { Host: opts.host ?? `127.0.0.1:${port}`, ...opts.headers },
        agent: false,
      },
      (res) => {
        let body = '';
        res.on('data', (d: Buffer) => (body += d.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.setTimeout(REPLY_TIMEOUT_MS, () => req.destroy(new Error('no answer in time')));
    req.on('error', reject);
    req.end(opts.body);
  });
}

/** Waits for a condition with a deadline (no bare sleeps in tests). */
export async function waitFor<T>(
  what: string,
  get: () => T | Promise<T>,
  ok: (v: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const end = Date.now() + timeoutMs;
  let last: T = await get();
  while (!ok(last)) {
    if (Date.now() > end)
      throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)?.slice(0, 400)}`);
    await new Promise((r) => setTimeout(r, 50));
    last = await get();
  }
  return last;
}
