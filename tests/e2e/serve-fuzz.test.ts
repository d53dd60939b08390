// Fuzzing the real `aura-ops serve` on loopback: thousands of random request lines, paths,
// headers, cookies and WebSocket frames, bounded in count and time. Whatever they are, the host
// must keep answering and the shell it started before must keep running.
import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { makeRng } from '../../src/main/sandbox/aura-events';
import {
  AUTH_PATH,
  SESSION_CHECK_PATH,
  SESSION_PROTOCOL_PREFIX,
  TOKEN_HEADER,
  WS_PROTOCOL,
} from '../../src/shared/serve-handshake';
import { startServe, type ServeProc } from './harness';
import { authFor, connect, rawRequest, waitFor, type Client } from './serve-client';

/** Raw HTTP requests sent (each on its own connection). */
const HTTP_CASES = 3000;
/** WebSocket frames sent over authenticated sockets. */
const WS_CASES = 2000;
/** Connections in flight at once: enough to overlap, few enough for a shared 2-core machine. */
const PARALLEL = 16;
/** The whole run stops here even if not every case was sent (the machine may be loaded). */
const TIME_BUDGET_MS = 90_000;
/** Below this many cases a run proves little: the test fails rather than passing on nothing. */
const MIN_CASES = 1000;
/** A raw request that neither answers nor closes within this is left (the host is checked after). */
const RAW_TIMEOUT_MS = 5_000;

const SEED = Number(process.env.FUZZ_SEED ?? Date.now() % 2 ** 31);

describe('the serve host under fuzzing', () => {
  let serve: ServeProc;
  let keeper: Client;
  let terminalId = '';
  const rnd = makeRng(SEED);
  const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rnd() * xs.length)]!;
  const int = (n: number) => Math.floor(rnd() * n);
  const bytes = (n: number) => Buffer.from(Array.from({ length: n }, () => int(256)));
  const junk = (max: number) =>
    pick([
      () => bytes(int(max)).toString('latin1'),
      () =>
        Array.from({ length: int(max) }, () =>
          pick([
            '%',
            '%00',
            '%zz',
            '%E0%A4',
            '..',
            '/',
            '\\',
            ';',
            '=',
            '"',
            ' ',
            '\t',
            'é',
            '\u2028',
            '💥',
            'a',
          ]),
        ).join(''),
      () => 'x'.repeat(int(max * 64)),
      () => '',
    ])();

  beforeAll(async () => {
    process.stdout.write(`serve fuzz seed: ${SEED} (FUZZ_SEED=${SEED} replays it)\n`);
    serve = await startServe({ args: ['--no-demo'] });
    keeper = await connect(serve);
    terminalId = (await keeper.call<{ id: string }>('terminal:create', { cols: 80, rows: 24 })).id;
  });
  afterAll(async () => {
    keeper?.close();
    await serve?.stop();
  });

  function rawCase(): Promise<void> {
    const port = serve.port;
    const host = pick([
      `127.0.0.1:${port}`,
      `localhost:${port}`,
      'evil.example',
      junk(12),
      `127.0.0.1:${port}`,
    ]);
    const method = pick(['GET', 'GET', 'POST', 'HEAD', 'PUT', 'OPTIONS', 'DELETE', junk(6)]);
    const path =
      pick([
        '/',
        '/index.html',
        '/assets/',
        '/ws',
        AUTH_PATH,
        SESSION_CHECK_PATH,
        '/favicon.svg',
        '//',
        '/..%2f..%2fetc/passwd',
      ]) + junk(20);
    const headers: string[] = [`Host: ${host}`];
    const maybe = (p: number, h: () => string) => rnd() < p && headers.push(h());
    maybe(0.5, () => `Cookie: ${junk(30)}=${junk(30)}; aura_ops_${port}=${junk(20)}`);
    maybe(
      0.3,
      () => `Origin: ${pick([`http://127.0.0.1:${port}`, 'null', 'http://evil.example', junk(20)])}`,
    );
    maybe(0.3, () => `${TOKEN_HEADER}: ${pick([serve.token, junk(40)])}`);
    maybe(0.2, () => `Sec-WebSocket-Protocol: ${WS_PROTOCOL}, ${SESSION_PROTOCOL_PREFIX}${junk(30)}`);
    maybe(
      0.2,
      () =>
        'Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
    );
    maybe(0.2, () => `${junk(10)}: ${junk(40)}`);
    maybe(0.1, () => `Content-Length: ${pick(['0', '5', '-1', '99999999', junk(5)])}`);
    maybe(0.05, () => 'Transfer-Encoding: chunked');
    const head = `${method} ${path} HTTP/1.1\r\n${headers.join('\r\n')}\r\nConnection: close\r\n\r\n`;
    const body = rnd() < 0.2 ? bytes(int(200)) : Buffer.alloc(0);
    return new Promise<void>((resolve) => {
      const s = net.connect(port, '127.0.0.1');
      const done = () => {
        s.destroy();
        resolve();
      };
      s.setTimeout(RAW_TIMEOUT_MS, done);
      s.on('error', done);
      s.on('close', done);
      s.on('data', () => undefined);
      s.on('connect', () => s.end(Buffer.concat([Buffer.from(head, 'latin1'), body])));
    });
  }

  /** Read-only channels and made-up ones: the fuzzer must not kill its own shell or run commands. */
  const CHANNELS = [
    'app:info',
    'terminal:list',
    'terminal:classify',
    'terminal:replay',
    'terminal:resize',
    'logs:sources',
    'logs:page',
    'db:overview',
    'probes:latest',
    'runbooks:search',
    'walkthrough:get',
    'nope:nope',
    '',
    '__proto__',
    'constructor',
  ];

  function frame(): { data: string | Buffer; binary: boolean } {
    const kind = int(8);
    if (kind === 0) return { data: bytes(int(300)), binary: true };
    if (kind === 1) return { data: bytes(int(300)), binary: false }; // mostly invalid UTF-8: closes that socket
    if (kind === 2) return { data: junk(200), binary: false };
    if (kind === 3)
      return {
        data: pick([
          'null',
          '[]',
          '1',
          '"x"',
          '{}',
          'true',
          '{"__proto__":{"x":1}}',
          '{"id":[],"channel":{}}',
        ]),
        binary: false,
      };
    const params = pick([
      undefined,
      null,
      {},
      { sessionId: pick([terminalId, junk(80)]), cols: pick([0, -1, 1e9, 80, 'x']), rows: 24 },
      { command: junk(300) },
      { q: junk(50), paneId: junk(10), limit: pick([1, -5, 1e12, 'a']) },
      JSON.parse(JSON.stringify({ a: junk(20), nested: { deeper: [junk(10), int(1e6)] } })) as unknown,
    ]);
    return {
      data: JSON.stringify({ id: pick([int(1e6), junk(5), null, {}]), channel: pick(CHANNELS), params }),
      binary: false,
    };
  }

  async function wsWorker(budget: { left: number; sent: number }, deadline: number): Promise<void> {
    let ws: WebSocket | null = null;
    while (budget.left > 0 && Date.now() < deadline) {
      if (!ws || ws.readyState !== WebSocket.OPEN) {
        const { headers, protocols } = await authFor(serve);
        ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws`, protocols, { headers });
        ws.on('message', () => undefined);
        ws.on('error', () => undefined); // the host closing a socket for a bad frame is expected here
        const opened = await new Promise<boolean>((resolve) => {
          ws!.once('open', () => resolve(true));
          ws!.once('close', () => resolve(false));
        });
        if (!opened) continue;
      }
      budget.left--;
      budget.sent++;
      const f = frame();
      ws.send(f.data, { binary: f.binary });
      // Let the host answer now and then rather than only buffering.
      if (budget.sent % 20 === 0) await new Promise((r) => setImmediate(r));
    }
    ws?.terminate();
  }

  it('keeps answering, and keeps its shell, through thousands of hostile requests and frames', async () => {
    const deadline = Date.now() + TIME_BUDGET_MS;
    let httpLeft = HTTP_CASES;
    let httpSent = 0;
    const httpWorker = async () => {
      while (httpLeft > 0 && Date.now() < deadline) {
        httpLeft--;
        httpSent++;
        await rawCase();
      }
    };
    const ws = { left: WS_CASES, sent: 0 };
    await Promise.all([
      ...Array.from({ length: PARALLEL }, httpWorker),
      ...Array.from({ length: 4 }, () => wsWorker(ws, deadline)),
    ]);
    process.stdout.write(
      `serve fuzz: ${httpSent} raw HTTP requests, ${ws.sent} WebSocket frames (seed ${SEED})\n`,
    );
    expect(httpSent + ws.sent).toBeGreaterThanOrEqual(MIN_CASES);

    expect(serve.proc.exitCode, serve.output()).toBeNull();
    expect((await rawRequest(serve.port, { path: '/' })).status).toBe(200);
    const { sessions } = await keeper.call<{ sessions: { id: string; status: string }[] }>(
      'terminal:list',
      {},
    );
    expect(sessions.find((s) => s.id === terminalId)?.status).toBe('running');
    await keeper.call('terminal:write', { sessionId: terminalId, data: 'echo alive-$((20+22))\r' });
    await waitFor(
      'the shell to answer after the fuzzing',
      () => keeper.call<{ data: string }>('terminal:replay', { sessionId: terminalId }),
      (r) => r.data.includes('alive-42'),
    );
  }, 180_000);
});
