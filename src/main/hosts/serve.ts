// The serve host: the same renderer over HTTP on 127.0.0.1 and the contract over one WebSocket.
// A per-launch token (URL fragment -> a session in the tab's sessionStorage -> WebSocket subprotocol;
// no cookie, since cookies reach every port of the host), a Host allowlist against DNS rebinding,
// an Origin check on the upgrade and the app's CSP as headers keep other pages and other users'
// browsers out: this host can drive a shell.
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import path from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import {
  AUTH_PATH,
  SESSION_CHECK_PATH,
  SESSION_HEADER,
  TOKEN_HEADER,
  WS_PROTOCOL,
  sessionFromProtocols,
} from '../../shared/serve-handshake';
import type { Runtime } from '../runtime';
import {
  SECURITY_HEADERS,
  allowedHosts,
  isAllowedHost,
  isAllowedOrigin,
  randomToken,
  safeEqual,
} from './security';

/** Frames above this size are refused: no contract call needs more, and it bounds memory. */
const MAX_WS_PAYLOAD = 16 * 1024 * 1024;
/** Above this many unsent bytes a client is too slow: it is cut off, reconnects and resyncs. */
const WS_BACKPRESSURE_BYTES = 8 * 1024 * 1024;

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json',
  '.map': 'application/json',
};

export interface ServeOptions {
  runtime: Runtime;
  rendererDir: string;
  host?: string;
  port?: number;
  token?: string;
}

export interface ServeHandle {
  url: string;
  /** The URL with the token in its fragment: what the operator opens. */
  openUrl: string;
  token: string;
  port: number;
  host: string;
  close(): Promise<void>;
}

export async function startServe(opts: ServeOptions): Promise<ServeHandle> {
  const host = opts.host ?? '127.0.0.1';
  const token = opts.token ?? randomToken();
  const session = randomToken(32);
  const rendererDir = path.resolve(opts.rendererDir);
  if (!fs.existsSync(path.join(rendererDir, 'index.html'))) {
    throw new Error(
      `The renderer is not built (no ${path.join(rendererDir, 'index.html')}). Run: npm run build`,
    );
  }
  let allowed = new Set<string>();

  /** The upgrade offers our subprotocol with this launch's session: nothing else opens /ws. */
  const authed = (req: http.IncomingMessage): boolean => {
    const given = sessionFromProtocols(req.headers['sec-websocket-protocol']);
    return given !== null && safeEqual(given, session);
  };

  const send = (
    res: http.ServerResponse,
    status: number,
    body: string | Buffer,
    type: string,
    extra: Record<string, string> = {},
  ) => {
    res.writeHead(status, {
      ...SECURITY_HEADERS,
      'Content-Type': type,
      'Cache-Control': 'no-store',
      ...extra,
    });
    res.end(body);
  };

  const server = http.createServer((req, res) => {
    try {
      handleRequest(req, res);
    } catch (err) {
      // A defect, not an input: say so in the console's output and answer, never end the process.
      logDefect(`HTTP ${req.method ?? '?'} request`, err);
      if (!res.headersSent) send(res, 500, 'Internal error', 'text/plain; charset=utf-8');
      else res.destroy();
    }
  });

  const handleRequest = (req: http.IncomingMessage, res: http.ServerResponse): void => {
    if (!isAllowedHost(req.headers.host, allowed)) {
      send(res, 403, 'Forbidden: unexpected Host header', 'text/plain; charset=utf-8');
      return;
    }
    const pathname = requestPath(req.url);
    if (pathname === null) {
      send(res, 400, 'Bad request path', 'text/plain; charset=utf-8');
      return;
    }
    if (pathname === AUTH_PATH) {
      // The page trades the token from its URL fragment for the session. Only our own pages may:
      // browsers always send Origin on a POST, so a missing one is refused too.
      const given = req.headers[TOKEN_HEADER.toLowerCase()];
      if (
        req.method !== 'POST' ||
        !isAllowedOrigin(req.headers.origin, allowed) ||
        typeof given !== 'string' ||
        !safeEqual(given, token)
      ) {
        send(
          res,
          401,
          JSON.stringify({ error: 'That token is not valid for this console.' }),
          'application/json',
        );
        return;
      }
      send(res, 200, JSON.stringify({ session }), 'application/json');
      return;
    }
    if (pathname === SESSION_CHECK_PATH && req.method === 'GET') {
      const given = req.headers[SESSION_HEADER.toLowerCase()];
      send(
        res,
        200,
        JSON.stringify({ valid: typeof given === 'string' && safeEqual(given, session) }),
        'application/json',
      );
      return;
    }
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      send(res, 405, 'Method not allowed', 'text/plain; charset=utf-8');
      return;
    }
    // The renderer's files carry no secret (they are the same for every install); everything
    // that does crosses /ws, which needs the session.
    serveStatic(rendererDir, pathname, res, send);
  };

  const wss = new WebSocketServer({
    noServer: true,
    maxPayload: MAX_WS_PAYLOAD,
    // Select our protocol, never echo the session entry back.
    handleProtocols: (offered) => (offered.has(WS_PROTOCOL) ? WS_PROTOCOL : false),
  });
  const sockets = new Set<WebSocket>();

  server.on('upgrade', (req, socket, head) => {
    try {
      upgrade(req, socket, head);
    } catch (err) {
      logDefect('WebSocket upgrade', err);
      socket.destroy();
    }
  });

  const upgrade = (req: http.IncomingMessage, socket: Duplex, head: Buffer): void => {
    // A client may reset the connection before the upgrade completes: that ends its socket only.
    const onSocketError = (err: Error) => logDefect('WebSocket upgrade socket', err);
    socket.on('error', onSocketError);
    const refuse = (code: number, text: string) => {
      socket.write(`HTTP/1.1 ${code} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
      socket.destroy();
    };
    if (!isAllowedHost(req.headers.host, allowed)) return refuse(403, 'Forbidden');
    if (!isAllowedOrigin(req.headers.origin, allowed)) return refuse(403, 'Forbidden');
    if (!authed(req)) return refuse(401, 'Unauthorized');
    if (requestPath(req.url) !== '/ws') return refuse(404, 'Not Found');
    wss.handleUpgrade(req, socket, head, (ws) => {
      socket.off('error', onSocketError); // from here the WebSocket handles its socket's errors
      wss.emit('connection', ws, req);
    });
  };

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    // ws reports an oversized frame (1009) or invalid UTF-8 (1007) here and closes this socket;
    // without a listener the 'error' event would end the whole process.
    ws.on('error', (err) => logDefect('WebSocket client', err));
    ws.on('message', (data, isBinary) => {
      const reply = (r: object) => {
        if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(r));
      };
      if (isBinary) {
        reply({
          id: null,
          ok: false,
          error: {
            code: 'bad-request',
            message: 'Binary frames are not part of the protocol; send JSON text.',
          },
        });
        return;
      }
      const msg = parseCall(data.toString());
      if (typeof msg === 'string') {
        reply({ id: null, ok: false, error: { code: 'bad-request', message: msg } });
        return;
      }
      opts.runtime.api
        .dispatch(msg.channel, msg.params)
        .then((r) => reply({ id: msg.id, ...r }))
        .catch((err: unknown) => {
          logDefect(`call ${msg.channel}`, err);
          reply({
            id: msg.id,
            ok: false,
            error: { code: 'internal', message: 'The console failed to answer this call; see its output.' },
          });
        });
    });
  });

  // Every event frame carries its socket's next sequence number. A client too slow to take its
  // events is cut off instead of silently missing some: it reconnects, the console reloads its
  // state and each terminal re-attaches with its replay, so no terminal stalls behind a gap.
  const seqs = new WeakMap<WebSocket, number>();
  const offEvents = opts.runtime.onEvent((event, payload) => {
    if (sockets.size === 0) return;
    const body = JSON.stringify({ event, payload }).slice(1);
    for (const ws of sockets) {
      if (ws.readyState !== ws.OPEN) continue;
      if (ws.bufferedAmount >= WS_BACKPRESSURE_BYTES) {
        process.stderr.write(
          `aura-ops serve: a browser tab fell ${ws.bufferedAmount} bytes behind; it reconnects and resyncs.\n`,
        );
        sockets.delete(ws);
        ws.terminate();
        continue;
      }
      const seq = (seqs.get(ws) ?? 0) + 1;
      seqs.set(ws, seq);
      ws.send(`{"seq":${seq},${body}`);
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  allowed = allowedHosts(host, port);
  const shownHost =
    host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  const url = `http://${shownHost}:${port}/`;

  return {
    url,
    openUrl: `${url}#token=${encodeURIComponent(token)}`,
    token,
    port,
    host,
    close: async () => {
      offEvents();
      for (const ws of sockets) ws.terminate();
      wss.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      // Browsers keep idle keep-alive connections open; without this, close() waits for them.
      server.closeAllConnections();
      await closed;
    },
  };
}

/** A bad input or a defect reached the top of a handler: print it where the operator sees the console's output. */
function logDefect(where: string, err: unknown): void {
  const text = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
  process.stderr.write(`aura-ops serve: ${where}: ${text}\n`);
}

/**
 * The decoded path of a request target, or null when it is not one we could serve: not
 * origin-form, bad percent-encoding, or a NUL byte (fs throws on those outside any callback).
 */
export function requestPath(target: string | undefined): string | null {
  if (!target || !target.startsWith('/')) return null;
  const q = target.search(/[?#]/);
  const raw = q === -1 ? target : target.slice(0, q);
  let decoded: string;
  try {
    decoded = decodeURIComponent(raw);
  } catch {
    return null;
  }
  return decoded.includes('\0') ? null : decoded;
}

/** A contract call from the socket, or why the message is not one. */
export function parseCall(
  text: string,
): { id: number | string | null; channel: string; params: unknown } | string {
  let msg: unknown;
  try {
    msg = JSON.parse(text);
  } catch {
    return 'Malformed message: not JSON.';
  }
  if (typeof msg !== 'object' || msg === null || Array.isArray(msg))
    return 'Malformed message: expected a JSON object.';
  const m = msg as { id?: unknown; channel?: unknown; params?: unknown };
  const id = typeof m.id === 'number' || typeof m.id === 'string' ? m.id : null;
  const channel = typeof m.channel === 'string' ? m.channel : '';
  return { id, channel, params: m.params };
}

/** The renderer's icon (src/renderer/public, linked from index.html). */
const FAVICON_PATH = '/favicon.svg';

function serveStatic(
  root: string,
  pathname: string,
  res: http.ServerResponse,
  send: (
    res: http.ServerResponse,
    status: number,
    body: string | Buffer,
    type: string,
    extra?: Record<string, string>,
  ) => void,
): void {
  let rel = pathname;
  if (rel === '/' || rel === '') rel = '/index.html';
  // Browsers and tools that ask for /favicon.ico get the same icon index.html links.
  if (rel === '/favicon.ico') rel = FAVICON_PATH;
  const file = path.resolve(root, `.${rel}`);
  if (file !== root && !file.startsWith(root + path.sep)) {
    send(res, 404, 'Not found', 'text/plain; charset=utf-8');
    return;
  }
  fs.readFile(file, (err, body) => {
    if (err) {
      send(res, 404, 'Not found', 'text/plain; charset=utf-8');
      return;
    }
    const type = MIME[path.extname(file).toLowerCase()] ?? 'application/octet-stream';
    const cache: Record<string, string> = rel.startsWith('/assets/')
      ? { 'Cache-Control': 'private, max-age=31536000, immutable' }
      : {};
    send(res, 200, body, type, cache);
  });
}
