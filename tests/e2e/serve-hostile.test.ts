// Inputs that once ended the serve host (and every terminal with it), each sent to the real
// `aura-ops serve` process: after each, the process must still answer and its shell still run.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { startServe, type ServeProc } from './harness';
import { authFor, connect, rawRequest, waitFor, type Client } from './serve-client';

interface Session {
  id: string;
  status: string;
}

describe('the serve host survives hostile input', () => {
  let serve: ServeProc;
  let first: Client;
  let terminalId = '';

  beforeEach(async () => {
    serve = await startServe({ args: ['--no-demo'] });
    first = await connect(serve);
    terminalId = (await first.call<Session>('terminal:create', { cols: 80, rows: 24 })).id;
  });

  afterEach(async () => {
    first?.close();
    await serve?.stop();
  });

  /** The host still answers HTTP and the WebSocket, and the shell made before is still running. */
  async function stillServing(): Promise<void> {
    // A crash after a hostile frame is asynchronous: the calls below come later on other sockets.
    const res = await rawRequest(serve.port, { path: '/' });
    expect(res.status).toBeLessThan(500);
    expect(serve.proc.exitCode, serve.output()).toBeNull();
    const again = await connect(serve);
    try {
      const { sessions } = await again.call<{ sessions: Session[] }>('terminal:list', {});
      expect(sessions.find((s) => s.id === terminalId)?.status).toBe('running');
      // And the shell still runs commands.
      await again.call('terminal:write', { sessionId: terminalId, data: 'echo still-$((40+2))\r' });
      const { data } = await waitFor(
        'the shell to answer',
        () => again.call<{ data: string }>('terminal:replay', { sessionId: terminalId }),
        (r) => r.data.includes('still-42'),
      );
      expect(data).toContain('still-42');
    } finally {
      again.close();
    }
  }

  it('a Cookie header holding a raw % (another app on localhost may set one)', async () => {
    for (const cookie of ['a=%', `aura_ops_${serve.port}=%E0%A4%A`, '%=%; b=%zz']) {
      const res = await rawRequest(serve.port, { path: '/', headers: { Cookie: cookie } }).catch(
        (e: Error) => e,
      );
      expect(res).not.toBeInstanceOf(Error);
    }
    await stillServing();
  });

  it('a path with %00 (an <img> on another local page is enough)', async () => {
    for (const p of ['/%00', '/assets/%00.js', '/index.html%00.png', '//', '/%', '/%E0%A4%A']) {
      const res = await rawRequest(serve.port, { path: p }).catch((e: Error) => e);
      expect(res).not.toBeInstanceOf(Error);
      if (!(res instanceof Error)) expect(res.status, p).toBe(p === '//' ? 404 : 400);
    }
    await stillServing();
  });

  it('WebSocket text messages that are JSON but not an object', async () => {
    for (const m of ['null', '42', '"x"', 'true', '[]', '{"id":{"a":1},"channel":7}']) first.ws.send(m);
    await stillServing();
  });

  it('a WebSocket frame over 16 MiB', async () => {
    const closed = new Promise<number>((resolve) => first.ws.once('close', (code) => resolve(code)));
    first.ws.send('x'.repeat(16 * 1024 * 1024 + 1));
    expect(await closed).toBe(1009); // "message too big", and only for this socket
    await stillServing();
  });

  it('a WebSocket text frame with invalid UTF-8', async () => {
    const closed = new Promise<number>((resolve) => first.ws.once('close', (code) => resolve(code)));
    first.ws.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    expect(await closed).toBe(1007); // "invalid frame payload data"
    await stillServing();
  });

  it('a WebSocket that is cut in the middle of a frame', async () => {
    const { headers, protocols } = await authFor(serve);
    const ws = new WebSocket(`ws://127.0.0.1:${serve.port}/ws`, protocols, { headers });
    await new Promise<void>((resolve, reject) => {
      ws.once('open', () => resolve());
      ws.once('error', reject);
    });
    // A masked text frame header announcing 1000 bytes, then only 3 of them, then the socket ends.
    const raw = (ws as unknown as { _socket: import('node:net').Socket })._socket;
    raw.write(Buffer.from([0x81, 0xfe, 0x03, 0xe8, 1, 2, 3, 4, 0x61, 0x62, 0x63]));
    raw.destroy();
    await stillServing();
  });
});
