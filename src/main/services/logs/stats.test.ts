// The error rate the probes and triage read: what counts as a request, and the console's own
// probe requests left out so that polling faster cannot dilute a spike.
import { describe, expect, it } from 'vitest';
import type { LogRecord } from '../../../shared/serilog';
import { CONSOLE_USER_AGENT } from '../../../shared/console-identity';
import { errorRateOf } from './stats';

const T = Date.UTC(2026, 11, 7, 12, 0, 0);
function completed(i: number, status: number, userAgent: string): LogRecord {
  return {
    offset: i * 300,
    file: 'aura-api-20261207.log',
    time: T + i * 100,
    level: status >= 500 ? 'ERR' : 'INF',
    correlationId: null,
    traceId: null,
    spanId: null,
    source: 'Aura.Api.Middleware.RequestLoggingMiddleware',
    message: `Request completed: GET /api/x - ${status} in 1.2ms`,
    properties: { SourceContext: 'Aura.Api.Middleware.RequestLoggingMiddleware', UserAgent: userAgent },
    exception: null,
    lineCount: 1,
    truncated: false,
  };
}

describe('errorRateOf', () => {
  it("leaves the console's own probe requests out of the rate", () => {
    const users = [
      completed(0, 500, 'axios/1.7.7'),
      completed(1, 200, 'axios/1.7.7'),
      completed(2, 500, 'curl/8.9.1'),
      completed(3, 200, 'Mozilla/5.0'),
    ];
    // The console polling hard: forty healthy probe requests in the same window.
    const probes = Array.from({ length: 40 }, (_, i) => completed(10 + i, 200, CONSOLE_USER_AGENT));
    const r = errorRateOf([...users, ...probes], T, T + 60_000);
    expect(r.requests).toBe(4);
    expect(r.requests5xx).toBe(2);
    expect(r.rate5xx).toBe(0.5);
  });

  it("still counts the ERR lines of the console's own requests as errors", () => {
    const r = errorRateOf([completed(0, 503, CONSOLE_USER_AGENT)], T, T + 60_000);
    expect(r.requests).toBe(0);
    expect(r.rate5xx).toBeNull();
    expect(r.errors).toBe(1);
  });

  it('counts a request whose user agent only contains the console name (another client)', () => {
    const r = errorRateOf(
      [completed(0, 500, `${CONSOLE_USER_AGENT}-fake`), completed(1, 200, `x ${CONSOLE_USER_AGENT}`)],
      T,
      T + 60_000,
    );
    expect(r.requests).toBe(2);
    expect(r.requests5xx).toBe(1);
  });
});
