// Table-driven tests of the Aura log parsers on lines in the exact formats of FACTS §2.3-§2.7.
import { describe, expect, it } from 'vitest';
import {
  RecordGrouper,
  detectFormat,
  formatForFileName,
  parseErrorsJsonl,
  parseIsoTime,
  parseSerilog,
  parseStartupJsonl,
  splitProperties,
} from './serilog';

const PROPS =
  '{"SourceContext":"Aura.Api.Middleware.RequestLoggingMiddleware","RequestId":"0HN8K3Q1V2L7D:00000001","Application":"Aura.Api","ThreadId":14}';

describe('parseSerilog', () => {
  const cases: Array<{
    name: string;
    lines: string[];
    want: Partial<ReturnType<typeof parseSerilog>>;
  }> = [
    {
      name: 'request line with ids and properties',
      lines: [
        `[2025-12-08 09:14:06.627 -06:00] [INF] [9c1e4b7a0d2f4e55b6a3c8d9e0f1a2b3] [9c1e4b7a0d2f4e55b6a3c8d9e0f1a2b3] [5d2e8f0a1b3c4d6e] Request completed: GET /api/health/ready - 200 in 84.3121ms ${PROPS}`,
      ],
      want: {
        time: Date.UTC(2025, 11, 8, 15, 14, 6, 627),
        level: 'INF',
        correlationId: '9c1e4b7a0d2f4e55b6a3c8d9e0f1a2b3',
        traceId: '9c1e4b7a0d2f4e55b6a3c8d9e0f1a2b3',
        spanId: '5d2e8f0a1b3c4d6e',
        source: 'Aura.Api.Middleware.RequestLoggingMiddleware',
        message: 'Request completed: GET /api/health/ready - 200 in 84.3121ms',
        exception: null,
        lineCount: 1,
      },
    },
    {
      name: 'empty ids `[] [] []` and a positive offset',
      lines: [
        '[2025-12-08 09:14:02.118 +05:30] [WRN] [] [] [] Logging initialized. {"Application":"Aura.Api"}',
      ],
      want: {
        time: Date.UTC(2025, 11, 8, 3, 44, 2, 118),
        level: 'WRN',
        correlationId: null,
        traceId: null,
        spanId: null,
        message: 'Logging initialized.',
        properties: { Application: 'Aura.Api' },
      },
    },
    {
      name: 'multi-line exception kept with its record',
      lines: [
        '[2025-12-08 09:14:35.220 -06:00] [ERR] [] [] [] Error performing Ollama health check {"SourceContext":"Aura.Core.Services.Providers.OllamaHealthCheckService"}',
        'System.Net.Http.HttpRequestException: No connection could be made (127.0.0.1:11434)',
        ' ---> System.Net.Sockets.SocketException (10061): refused',
        '   at System.Net.Sockets.Socket.Connect()',
      ],
      want: {
        level: 'ERR',
        message: 'Error performing Ollama health check',
        source: 'Aura.Core.Services.Providers.OllamaHealthCheckService',
        exception:
          'System.Net.Http.HttpRequestException: No connection could be made (127.0.0.1:11434)\n ---> System.Net.Sockets.SocketException (10061): refused\n   at System.Net.Sockets.Socket.Connect()',
        lineCount: 4,
      },
    },
    {
      name: 'multi-line message (EF SQL) with properties on its last line',
      lines: [
        "[2025-12-08 09:14:07.049 -06:00] [INF] [f04a] [f04a] [a7c3] Executed DbCommand (3ms) [Parameters=[], CommandType='Text', CommandTimeout='60']",
        'SELECT COUNT(*)',
        'FROM "ProjectStates" AS "p" {"EventId":{"Id":20101,"Name":"CommandExecuted"},"SourceContext":"Microsoft.EntityFrameworkCore.Database.Command"}',
      ],
      want: {
        message:
          'Executed DbCommand (3ms) [Parameters=[], CommandType=\'Text\', CommandTimeout=\'60\']\nSELECT COUNT(*)\nFROM "ProjectStates" AS "p"',
        source: 'Microsoft.EntityFrameworkCore.Database.Command',
        exception: null,
      },
    },
    {
      name: 'embedded JSON with braces in the message',
      lines: [
        '[2025-12-08 09:20:00.000 +00:00] [INF] [] [] [] Payload {"a":{"b":"}{"}} sent {"SourceContext":"X"}',
      ],
      want: { message: 'Payload {"a":{"b":"}{"}} sent', properties: { SourceContext: 'X' } },
    },
    {
      name: 'message that ends in JSON before the properties',
      lines: ['[2025-12-08 09:20:00.000 +00:00] [DBG] [] [] [] Body {"x":1} {"SourceContext":"Y"}'],
      want: { message: 'Body {"x":1}', properties: { SourceContext: 'Y' }, level: 'DBG' },
    },
    {
      name: 'redacted values and a TraceIdentifier correlation id',
      lines: [
        '[2025-12-08 09:20:44.358 -06:00] [WRN] [0HN8K3Q1V2L7D:00000007] [1e3a] [6c8e] Cache get failed for key: ***REDACTED***, returning null {"Key":"***REDACTED***"}',
        'StackExchange.Redis.RedisConnectionException: It was not possible to connect',
      ],
      want: {
        correlationId: '0HN8K3Q1V2L7D:00000007',
        message: 'Cache get failed for key: ***REDACTED***, returning null',
        properties: { Key: '***REDACTED***' },
        exception: 'StackExchange.Redis.RedisConnectionException: It was not possible to connect',
      },
    },
    {
      name: 'empty properties object',
      lines: ['[2025-12-08 09:20:00.000 +00:00] [FTL] [] [] [] Boom {}'],
      want: { message: 'Boom', properties: {}, level: 'FTL' },
    },
    {
      name: 'a line cut before its properties keeps the whole text as message',
      lines: ['[2025-12-08 09:20:00.000 +00:00] [VRB] [] [] [] Half a line {"Sour'],
      want: { message: 'Half a line {"Sour', properties: null, level: 'VRB' },
    },
    {
      name: 'not a Serilog line falls back to plain text',
      lines: ['   at Foo.Bar()'],
      want: { level: null, time: null, message: '   at Foo.Bar()' },
    },
  ];
  for (const c of cases) {
    it(c.name, () => {
      expect(parseSerilog(c.lines)).toMatchObject(c.want);
    });
  }
});

describe('splitProperties', () => {
  it('returns null when the line does not end in an object', () => {
    expect(splitProperties('no props here')).toBeNull();
    expect(splitProperties('ends with } but not json')).toBeNull();
  });
});

describe('parseErrorsJsonl', () => {
  it('maps PascalCase keys, numeric Severity and Category', () => {
    const line =
      '{"Timestamp":"2025-12-08T15:18:12.7701234Z","Category":2,"ExceptionType":"ProviderException","Message":"OpenAI returned 429 Too Many Requests","StackTrace":"   at Aura.Providers.Llm.OpenAiLlmProvider.DraftScriptAsync()","InnerException":null,"CorrelationId":"c7e9a1b3d5f04c2e8a6c4e2a0b8d6f4c","ErrorCode":"E429","UserMessage":"The AI provider is rate limiting requests.","SuggestedActions":["Wait a minute and retry"],"IsTransient":true,"Context":{},"UserId":null,"Severity":3}';
    const r = parseErrorsJsonl([line]);
    expect(r).toMatchObject({
      time: Date.UTC(2025, 11, 8, 15, 18, 12, 770),
      level: 'WRN',
      source: 'Provider',
      correlationId: 'c7e9a1b3d5f04c2e8a6c4e2a0b8d6f4c',
      message: '[E429] OpenAI returned 429 Too Many Requests',
      exception:
        'ProviderException: OpenAI returned 429 Too Many Requests\n   at Aura.Providers.Llm.OpenAiLlmProvider.DraftScriptAsync()',
    });
    expect(
      parseErrorsJsonl(['{"Timestamp":"2025-12-08T15:23:02Z","Category":1,"Message":"m","Severity":5}'])
        .level,
    ).toBe('FTL');
  });
  it('falls back to plain text for a broken line', () => {
    expect(parseErrorsJsonl(['{"Timestamp":"2025']).message).toBe('{"Timestamp":"2025');
  });
});

describe('parseStartupJsonl', () => {
  it('maps level words, component and metadata.error', () => {
    const r = parseStartupJsonl([
      '{"level":"error","timestamp":"2025-12-08T15:14:59.880Z","component":"StartupDiagnostics","message":"System health check detected issues","metadata":{"error":{"message":"Backend health check timeout"}}}',
    ]);
    expect(r).toMatchObject({
      level: 'ERR',
      time: Date.UTC(2025, 11, 8, 15, 14, 59, 880),
      source: 'StartupDiagnostics',
      message: 'System health check detected issues',
      exception: 'Backend health check timeout',
    });
    expect(
      parseStartupJsonl([
        '{"level":"warn","timestamp":"2025-12-08T15:14:01.402Z","component":"P","message":"slow","metadata":{}}',
      ]).level,
    ).toBe('WRN');
  });
});

describe('parseIsoTime', () => {
  it.each([
    ['2025-12-08T15:18:12.7701234Z', Date.UTC(2025, 11, 8, 15, 18, 12, 770)],
    ['2025-12-08T15:31:02.8812345+00:00', Date.UTC(2025, 11, 8, 15, 31, 2, 881)],
    ['2025-12-08T09:00:00-06:00', Date.UTC(2025, 11, 8, 15, 0, 0, 0)],
    ['nonsense', null],
  ])('%s', (s, want) => {
    expect(parseIsoTime(s)).toBe(want);
  });
});

describe('detectFormat', () => {
  it.each([
    [['[2025-12-08 09:14:02.118 -06:00] [INF] [] [] [] x {}', '   at y'], 'serilog'],
    [['\uFEFF[2025-12-08 09:14:02.118 -06:00] [INF] [] [] [] x {}'], 'serilog'],
    [['{"Timestamp":"2025-12-08T15:18:12Z","Category":2,"Message":"m","Severity":3}'], 'errors-jsonl'],
    [
      [
        '{"level":"info","timestamp":"2025-12-08T15:13:58.101Z","component":"Main","message":"m","metadata":{}}',
      ],
      'startup-jsonl',
    ],
    [['hello world', 'second line'], 'plain'],
  ] as const)('%j -> %s', (lines, want) => {
    expect(detectFormat(lines)).toBe(want);
  });
  it('uses the file name when there are no lines', () => {
    expect(detectFormat([], 'aura-api-20251208_001.log')).toBe('serilog');
    expect(detectFormat([], 'errors-2025-12.jsonl')).toBe('errors-jsonl');
    expect(detectFormat([], 'startup-2025-12-08T15-13-58-100Z.log')).toBe('startup-jsonl');
    expect(formatForFileName('startup-summary-2025.json')).toBeNull();
  });
});

describe('RecordGrouper', () => {
  it('joins continuation lines to the previous record and holds the last until flush', () => {
    const g = new RecordGrouper('serilog', 'errors-20251208.log');
    const lines = [
      'orphan continuation at file start',
      '[2025-12-08 09:14:35.220 -06:00] [ERR] [] [] [] A {"SourceContext":"S"}',
      'System.Exception: boom',
      '   at X.Y()',
      '[2025-12-08 09:14:36.000 -06:00] [INF] [] [] [] B {}',
    ];
    let off = 0;
    const out = g.pushAll(
      lines.map((text) => {
        const l = { text, offset: off };
        off += text.length + 1;
        return l;
      }),
    );
    expect(out.map((r) => [r.message, r.lineCount, r.offset])).toEqual([
      ['orphan continuation at file start', 1, 0],
      ['A', 3, 34],
    ]);
    expect(out[1].exception).toBe('System.Exception: boom\n   at X.Y()');
    expect(out[1].file).toBe('errors-20251208.log');
    const last = g.flush();
    expect(last?.message).toBe('B');
    expect(g.flush()).toBeNull();
  });
  it('treats every JSON line as its own record', () => {
    const g = new RecordGrouper('startup-jsonl');
    const out = g.pushAll([
      {
        text: '{"level":"info","timestamp":"2025-12-08T15:13:58.101Z","component":"A","message":"1"}',
        offset: 0,
      },
      {
        text: '{"level":"info","timestamp":"2025-12-08T15:13:58.102Z","component":"A","message":"2"}',
        offset: 90,
      },
    ]);
    expect(out.map((r) => r.message)).toEqual(['1']);
    expect(g.flush()?.message).toBe('2');
  });
});
