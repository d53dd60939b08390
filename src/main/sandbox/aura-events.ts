// The log events a running Aura emits (FACTS §2.5-2.6, §4, §5): startup, request pairs, EF
// commands, jobs, provider fallbacks, cache and SQLite failures. Shared by the history generator
// and the live simulator so both write the same lines.
import type { LogEvent, SerilogLevel } from './serilog-writer';

/** A small seeded PRNG (mulberry32) so generated installs are reproducible. */
export function makeRng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const KESTREL = '0123456789ABCDEFGHIJKLMNOPQRSTUV';

export interface RequestSpec {
  method: string;
  path: string;
  status: number;
  durationMs: number;
  clientIp?: string;
  userAgent?: string;
  correlationId?: string;
  traceId?: string;
  spanId?: string;
  /** Adds an EF "Executed DbCommand" line inside the request. */
  dbQuery?: string;
  /** For 5xx: the exception text logged by the exception handler. */
  exception?: string;
}

/** Request ids of one simulated request, as CorrelationIdMiddleware and Kestrel assign them. */
export interface RequestIds {
  correlationId: string;
  traceId: string;
  spanId: string;
  requestId: string;
  connectionId: string;
}

export const SAMPLE_EXCEPTIONS = {
  dbLocked:
    "Microsoft.Data.Sqlite.SqliteException (0x80004005): SQLite Error 5: 'database is locked'.\n" +
    '   at Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(Int32 rc, sqlite3 db)\n' +
    '   at Microsoft.Data.Sqlite.SqliteDataReader.NextResult()\n' +
    '   at Microsoft.EntityFrameworkCore.Storage.RelationalCommand.ExecuteNonQueryAsync(RelationalCommandParameterObject parameterObject, CancellationToken cancellationToken)',
  dbCorrupt:
    "Microsoft.Data.Sqlite.SqliteException (0x80004005): SQLite Error 11: 'database disk image is malformed'.\n" +
    '   at Microsoft.Data.Sqlite.SqliteException.ThrowExceptionForRC(Int32 rc, sqlite3 db)\n' +
    '   at Microsoft.Data.Sqlite.SqliteDataReader.NextResult()',
  nullRef:
    'System.NullReferenceException: Object reference not set to an instance of an object.\n' +
    '   at Aura.Api.Controllers.JobsController.CreateJob(CreateJobRequest request, CancellationToken ct) in C:\\src\\aura-video-studio\\Aura.Api\\Controllers\\JobsController.cs:line 142\n' +
    '   at Microsoft.AspNetCore.Mvc.Infrastructure.ActionMethodExecutor.TaskOfIActionResultExecutor.Execute(ActionContext actionContext, IActionResultTypeMapper mapper, ObjectMethodExecutor executor, Object controller, Object[] arguments)\n' +
    '   at Aura.Api.Middleware.CorrelationIdMiddleware.InvokeAsync(HttpContext context)',
  timeout:
    'System.Threading.Tasks.TaskCanceledException: The operation was canceled.\n' +
    ' ---> System.TimeoutException: The operation has timed out.\n' +
    '   --- End of inner exception stack trace ---\n' +
    '   at Aura.Core.Orchestrator.VideoOrchestrator.GenerateVideoAsync(Brief brief, PlanSpec planSpec, CancellationToken ct)\n' +
    '   at Aura.Api.Controllers.JobsController.CreateJob(CreateJobRequest request, CancellationToken ct)',
  ollamaRefused:
    'System.Net.Http.HttpRequestException: Connection refused (127.0.0.1:11434)\n' +
    ' ---> System.Net.Sockets.SocketException (111): Connection refused\n' +
    '   at System.Net.Http.HttpConnectionPool.ConnectToTcpHostAsync(String host, Int32 port, HttpRequestMessage initialRequest, Boolean async, CancellationToken cancellationToken)',
  redis: (endpoint: string) =>
    `StackExchange.Redis.RedisConnectionException: It was not possible to connect to the redis server(s). UnableToConnect on ${endpoint}/Interactive\n` +
    '   at StackExchange.Redis.ConnectionMultiplexer.ConnectImpl(ConfigurationOptions configuration, TextWriter writer, Nullable`1 serverType, EndPointCollection endpoints)\n' +
    '   at Microsoft.Extensions.Caching.StackExchangeRedis.RedisCache.Connect()',
};

export interface AuraLogModelOptions {
  seed?: number;
  machineName?: string;
  processId?: number;
  environment?: string;
  dataRoot: string;
  url: string;
}

/** TimeSpan "c" format as Serilog renders a Duration property: `00:00:00.0843121`. */
export function timeSpan(ms: number): string {
  const ticks = Math.round(ms * 10_000);
  const totalSec = Math.floor(ticks / 10_000_000);
  const frac = String(ticks % 10_000_000).padStart(7, '0');
  const h = Math.floor(totalSec / 3600);
  const m = Math.floor((totalSec % 3600) / 60);
  const s = totalSec % 60;
  return `${String(h).padStart(2, '0')}:${String(m).padStart(2, '0')}:${String(s).padStart(2, '0')}.${frac}`;
}

/** Serilog's default rendering of a double millisecond value, e.g. `84.3121`. */
export function msText(ms: number): string {
  return String(Math.round(ms * 10_000) / 10_000);
}

export function perfCategory(ms: number): string {
  return ms < 100 ? 'Fast' : ms < 1000 ? 'Normal' : ms < 5000 ? 'Slow' : 'VerySlow';
}

/** Makes Aura's log events; all randomness comes from one seeded PRNG. */
export class AuraLogModel {
  readonly rng: () => number;
  processId: number;
  readonly machineName: string;
  readonly environment: string;
  /** The listening URL written in the "Application started" line. */
  url: string;
  private connCounter = 0;
  private threadBase = 4;

  constructor(private readonly o: AuraLogModelOptions) {
    this.url = o.url;
    this.rng = makeRng(o.seed ?? 0x5eed);
    this.machineName = o.machineName ?? 'AURA-SANDBOX';
    this.environment = o.environment ?? 'Production';
    this.processId = o.processId ?? 10_000 + Math.floor(this.rng() * 50_000);
  }

  hex(n: number): string {
    let s = '';
    while (s.length < n) s += (Math.floor(this.rng() * 4294967296) >>> 0).toString(16).padStart(8, '0');
    return s.slice(0, n);
  }

  /** A GUID the way EF stores it in SQLite (upper case, dashed). */
  guid(): string {
    const h = this.hex(32).toUpperCase();
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-${'89AB'[Math.floor(this.rng() * 4)]}${h.slice(17, 20)}-${h.slice(20)}`;
  }

  pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rng() * xs.length)];
  }

  int(lo: number, hi: number): number {
    return lo + Math.floor(this.rng() * (hi - lo + 1));
  }

  newIds(): RequestIds {
    let conn = '0HN';
    for (let i = 0; i < 10; i++) conn += KESTREL[Math.floor(this.rng() * 32)];
    this.connCounter = (this.connCounter % 9) + 1;
    const correlationId = this.hex(32);
    return {
      correlationId,
      traceId: correlationId,
      spanId: this.hex(16),
      requestId: `${conn}:${String(this.connCounter).padStart(8, '0')}`,
      connectionId: conn,
    };
  }

  private enrich(extra: Record<string, unknown> = {}): Record<string, unknown> {
    return {
      ...extra,
      Application: 'Aura.Api',
      Environment: this.environment,
      MachineName: this.machineName,
      ThreadId: this.threadBase + Math.floor(this.rng() * 30),
      ProcessId: this.processId,
    };
  }

  /** An event outside any request (`[] [] []`). */
  plain(
    time: Date,
    level: SerilogLevel,
    message: string,
    sourceContext?: string,
    exception?: string,
    extra: Record<string, unknown> = {},
  ): LogEvent {
    const props = sourceContext ? { SourceContext: sourceContext, ...extra } : { ...extra };
    const e: LogEvent = { time, level, message, properties: this.enrich(props) };
    if (exception) e.exception = exception;
    return e;
  }

  /** The startup sequence of one backend process (FACTS §2.6). */
  startup(t0: Date, redisConnection: string | null): LogEvent[] {
    const at = (ms: number): Date => new Date(t0.getTime() + ms);
    const init = 300 + this.rng() * 200;
    const sic = 'Aura.Api.HostedServices.StartupInitializationService';
    const sep = this.o.dataRoot.includes('\\') ? '\\' : '/';
    return [
      this.plain(at(0), 'INF', `Logging initialized. Logs directory: ${this.o.dataRoot}${sep}logs`),
      this.plain(
        at(13),
        'INF',
        `Using SQLite database at ${this.o.dataRoot}${sep}aura.db (WAL will be configured via PRAGMA)`,
      ),
      this.plain(
        at(20 + init),
        'INF',
        `Database initialization completed successfully in ${msText(init)}ms. WAL mode: True, Integrity: True`,
      ),
      this.plain(
        at(440),
        'INF',
        redisConnection ? 'Redis distributed cache configured' : 'In-memory distributed cache configured',
        'Program',
      ),
      this.plain(at(480), 'INF', '=== Service Initialization Starting ===', sic),
      this.plain(
        at(700),
        'INF',
        `✓ Database Connectivity initialized successfully in ${this.int(150, 300)}ms`,
        sic,
      ),
      this.plain(at(720), 'INF', 'Initializing: FFmpeg Availability (Critical: False, Timeout: 10s)', sic),
      this.plain(
        at(1100),
        'INF',
        `Application started. Press Ctrl+C to shut down. Listening on: ${this.url}`,
        'Program',
      ),
      this.plain(at(1400), 'INF', `Total time: ${this.int(900, 1600)}ms, Successful: 4/4`, sic),
    ];
  }

  /** The "Incoming request" line RequestLoggingMiddleware writes when a request arrives. */
  incoming(
    start: Date,
    r: Pick<
      RequestSpec,
      'method' | 'path' | 'clientIp' | 'userAgent' | 'correlationId' | 'traceId' | 'spanId'
    >,
    ids: RequestIds,
  ): LogEvent {
    const corr = r.correlationId ?? ids.correlationId;
    const ip = r.clientIp ?? '127.0.0.1';
    const ua = r.userAgent ?? 'axios/1.7.7';
    const op = `${r.method} ${r.path}`;
    return {
      time: start,
      level: 'INF',
      correlationId: corr,
      traceId: r.traceId ?? (r.correlationId ? r.correlationId : ids.traceId),
      spanId: r.spanId ?? ids.spanId,
      message: `Incoming request: ${op} from ${ip}`,
      properties: this.enrich({
        SourceContext: 'Aura.Api.Middleware.RequestLoggingMiddleware',
        RequestId: ids.requestId,
        RequestPath: r.path,
        ConnectionId: ids.connectionId,
        UserAgent: ua,
        ContentType: r.method === 'GET' ? 'none' : 'application/json',
        ContentLength: r.method === 'GET' ? 0 : 120,
        OperationName: op,
        HttpMethod: r.method,
        HttpPath: r.path,
      }),
    };
  }

  /** Everything after "Incoming request" (what is written when the response is done). */
  completion(start: Date, r: RequestSpec, ids: RequestIds): LogEvent[] {
    return this.request(start, r, ids).slice(1);
  }

  /**
   * One HTTP request as Aura logs it: Incoming request, optional EF command, an unhandled-exception
   * line for 5xx, Request completed (ERR for 5xx, WRN for 4xx), the Performance line and, above 5 s,
   * the SLOW REQUEST warning.
   */
  request(start: Date, r: RequestSpec, ids: RequestIds = this.newIds()): LogEvent[] {
    const corr = r.correlationId ?? ids.correlationId;
    const trace = r.traceId ?? (r.correlationId ? r.correlationId : ids.traceId);
    const span = r.spanId ?? ids.spanId;
    const ip = r.clientIp ?? '127.0.0.1';
    const ua = r.userAgent ?? 'axios/1.7.7';
    const op = `${r.method} ${r.path}`;
    const base = {
      RequestId: ids.requestId,
      RequestPath: r.path,
      ConnectionId: ids.connectionId,
    };
    const tail = { OperationName: op, ClientIp: ip, UserAgent: ua, HttpMethod: r.method, HttpPath: r.path };
    const ev = (
      time: Date,
      level: SerilogLevel,
      message: string,
      props: Record<string, unknown>,
      exception?: string,
    ): LogEvent => {
      const e: LogEvent = {
        time,
        level,
        correlationId: corr,
        traceId: trace,
        spanId: span,
        message,
        properties: this.enrich(props),
      };
      if (exception) e.exception = exception;
      return e;
    };
    const end = new Date(start.getTime() + r.durationMs);
    const out: LogEvent[] = [this.incoming(start, r, ids)];
    if (r.dbQuery) {
      const cmdMs = Math.max(1, Math.round(r.durationMs / 3));
      out.push(
        ev(
          new Date(start.getTime() + Math.min(r.durationMs, cmdMs)),
          'INF',
          `Executed DbCommand (${cmdMs}ms) [Parameters=[], CommandType='Text', CommandTimeout='60']\n${r.dbQuery}`,
          {
            EventId: { Id: 20101, Name: 'Microsoft.EntityFrameworkCore.Database.Command.CommandExecuted' },
            SourceContext: 'Microsoft.EntityFrameworkCore.Database.Command',
            ...base,
          },
        ),
      );
    }
    if (r.status >= 500) {
      out.push(
        ev(
          end,
          'ERR',
          'An unhandled exception has occurred while executing the request.',
          {
            EventId: { Id: 1, Name: 'UnhandledException' },
            SourceContext: 'Microsoft.AspNetCore.Diagnostics.ExceptionHandlerMiddleware',
            ...base,
          },
          r.exception ?? SAMPLE_EXCEPTIONS.nullRef,
        ),
      );
    }
    const level: SerilogLevel = r.status >= 500 ? 'ERR' : r.status >= 400 ? 'WRN' : 'INF';
    out.push(
      ev(end, level, `Request completed: ${op} - ${r.status} in ${msText(r.durationMs)}ms`, {
        SourceContext: 'Aura.Api.Middleware.RequestLoggingMiddleware',
        ...base,
        Duration: timeSpan(r.durationMs),
        ResponseContentType: r.status >= 500 ? 'application/problem+json' : 'application/json; charset=utf-8',
        ...tail,
        PerformanceCategory: perfCategory(r.durationMs),
      }),
    );
    if (r.durationMs > 5000) {
      out.push(
        ev(end, 'WRN', `SLOW REQUEST DETECTED: ${op} took ${msText(r.durationMs)}ms (Status: ${r.status})`, {
          SourceContext: 'Aura.Api.Middleware.RequestLoggingMiddleware',
          ...base,
          ...tail,
        }),
      );
    }
    out.push(
      ev(
        new Date(end.getTime() + 1),
        r.durationMs > 5000 ? 'WRN' : 'INF',
        `Performance: ${op} completed in ${msText(r.durationMs)}ms (Success: ${r.status < 400 ? 'True' : 'False'})`,
        {
          SourceContext: 'Aura.Api.Middleware.RequestLoggingMiddleware',
          ...base,
          OperationName: op,
          Duration: timeSpan(r.durationMs),
          StatusCode: r.status,
          ClientIp: ip,
          UserAgent: ua,
          HttpMethod: r.method,
          HttpPath: r.path,
          PerformanceCategory: perfCategory(r.durationMs),
        },
      ),
    );
    return out;
  }

  jobEvent(time: Date, level: SerilogLevel, message: string, exception?: string): LogEvent {
    return this.plain(
      time,
      level,
      message,
      'Aura.Api.HostedServices.BackgroundJobProcessorService',
      exception,
    );
  }

  /** The provider-failure lines of FACTS §5 for one script generation. */
  providerOutage(t: Date, circuitOpen: boolean): LogEvent[] {
    const so = 'Aura.Core.Orchestrator.ScriptOrchestrator';
    const at = (ms: number): Date => new Date(t.getTime() + ms);
    const out = [
      this.plain(
        at(0),
        'WRN',
        'Primary provider OpenAI failed, attempting fallback chain: Service Unavailable (503)',
        so,
      ),
      this.plain(at(40), 'INF', 'Falling back to Ollama', so),
      this.plain(
        at(90),
        'ERR',
        'Error performing Ollama health check',
        'Aura.Core.Services.Providers.OllamaHealthCheckService',
        SAMPLE_EXCEPTIONS.ollamaRefused,
      ),
      this.plain(
        at(120),
        'WRN',
        'Health check failed for Ollama',
        'Aura.Core.Services.Providers.ProviderHealthMonitor',
      ),
      this.plain(at(160), 'INF', 'Falling back to RuleBased', so),
      this.plain(at(200), 'ERR', 'CRITICAL: Even RuleBased fallback failed - no providers available', so),
    ];
    if (circuitOpen) {
      out.push(
        this.plain(
          at(210),
          'WRN',
          'Provider OpenAI circuit opened after 5 consecutive failures',
          'Aura.Core.AI.Routing.LlmRouterService',
        ),
      );
    }
    return out;
  }

  cacheGetFailed(t: Date, endpoint: string): LogEvent {
    return this.plain(
      t,
      'WRN',
      'Cache get failed for key: ***REDACTED***, returning null',
      'Aura.Core.Services.Caching.DistributedCacheService',
      SAMPLE_EXCEPTIONS.redis(endpoint),
      { Key: '***REDACTED***' },
    );
  }

  audit(t: Date, ok: boolean): LogEvent {
    const ids = this.newIds();
    const e = ok
      ? this.plain(
          t,
          'INF',
          '[AUDIT] API key ***REDACTED*** used for /api/providers/test/openai: Success',
          'Aura.Api.Security.AuditLogger',
        )
      : this.plain(
          t,
          'WRN',
          "[AUDIT] Input validation failed for /api/script.Topic: 'Topic' must not be empty.",
          'Aura.Api.Security.AuditLogger',
        );
    return { ...e, correlationId: ids.correlationId, traceId: ids.traceId, spanId: ids.spanId };
  }
}
