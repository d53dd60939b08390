// The simulated Aura.Api's HTTP side: one request in, Serilog's incoming and completed lines out,
// the answer from routes.ts; it can close its port (api-down) and hold requests unanswered (api-hang).
import http from 'node:http';
import type net from 'node:net';
import * as clock from '../../shared/clock';
import type { RequestSpec } from './aura-events';
import type { AuraProcess } from './aura-process';
import { route } from './routes';

/** Kestrel's keep-alive: idle connections close after 5 s, as Aura's do. */
const KEEP_ALIVE_TIMEOUT_MS = 5000;

export class AuraHttpServer {
  private readonly server: http.Server;
  private readonly sockets = new Set<net.Socket>();
  /** Requests accepted in api-hang and never answered. */
  private readonly hung = new Set<http.ServerResponse>();
  listening = false;

  constructor(private readonly aura: AuraProcess) {
    this.server = http.createServer((req, res) => this.handle(req, res));
    this.server.keepAliveTimeout = KEEP_ALIVE_TIMEOUT_MS;
    this.server.on('connection', (s) => {
      this.sockets.add(s);
      s.on('close', () => this.sockets.delete(s));
    });
  }

  private handle(req: http.IncomingMessage, res: http.ServerResponse): void {
    const start = clock.now();
    const ids = this.aura.model.newIds();
    const hdr = (n: string): string | undefined => {
      const v = req.headers[n];
      return typeof v === 'string' && v.length > 0 ? v : undefined;
    };
    const tp = /^[\da-f]{2}-([\da-f]{32})-([\da-f]{16})-[\da-f]{2}$/.exec(hdr('traceparent') ?? '');
    const correlationId = hdr('x-correlation-id') ?? ids.correlationId;
    const traceId = hdr('x-trace-id') ?? tp?.[1] ?? correlationId;
    const spanId = hdr('x-span-id') ?? tp?.[2] ?? ids.spanId;
    const full = { ...ids, correlationId, traceId, spanId };
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    const base: RequestSpec = {
      method: req.method ?? 'GET',
      path: url.pathname,
      status: 0,
      durationMs: 0,
      clientIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
      userAgent: hdr('user-agent') ?? '',
      correlationId,
      traceId,
      spanId,
    };
    this.aura.write([this.aura.model.incoming(start, base, full)]);
    if (this.aura.effects.api === 'hang') {
      this.hung.add(res);
      res.on('close', () => this.hung.delete(res));
      return; // accepted, never answered
    }
    res.setHeader('X-Correlation-ID', correlationId);
    res.setHeader('X-Trace-ID', traceId);
    res.setHeader('X-Span-ID', spanId);
    route(this.aura, base.method, url, full, res)
      .then((r) => {
        const durationMs = Math.max(0.05, clock.nowMs() - start.getTime() + this.aura.model.rng());
        this.aura.write(
          this.aura.model.completion(
            start,
            {
              ...base,
              status: r.status,
              durationMs,
              dbQuery: r.dbQuery,
              exception: r.status >= 500 ? r.exception : undefined,
            },
            full,
          ),
        );
      })
      .catch((err: unknown) => {
        if (!res.headersSent) res.writeHead(500, { 'Content-Length': 0 }).end();
        const durationMs = clock.nowMs() - start.getTime();
        this.aura.write(
          this.aura.model.completion(
            start,
            { ...base, status: 500, durationMs, exception: `System.Exception: ${(err as Error).message}` },
            full,
          ),
        );
      });
  }

  /** Bind 127.0.0.1:`port` (0: a free one); resolves with the bound port. */
  listen(port: number): Promise<number> {
    const { server } = this;
    return new Promise((resolve, reject) => {
      const onErr = (err: NodeJS.ErrnoException): void => {
        reject(
          err.code === 'EADDRINUSE'
            ? new Error(`Port ${port} on 127.0.0.1 is already in use; pick another with --port`)
            : err,
        );
      };
      server.once('error', onErr);
      server.listen(port, '127.0.0.1', () => {
        server.off('error', onErr);
        this.listening = true;
        resolve((server.address() as net.AddressInfo).port);
      });
    });
  }

  /** End the requests a hanging API accepted. */
  releaseHung(): void {
    for (const r of this.hung) r.destroy();
    this.hung.clear();
  }

  /** Close the port and every open connection (hung requests included). */
  close(): Promise<void> {
    return new Promise((resolve) => {
      this.listening = false;
      this.releaseHung();
      for (const s of this.sockets) s.destroy();
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
    });
  }
}
