// Test data: planted secrets in every shape issue 14 listed (and more), each as a config entry and
// as a log line, plus ordinary log text that redaction must leave alone. Used by the redaction tests.

export interface PlantedSecret {
  id: string;
  /** The exact secret text that must not survive anywhere. */
  secret: string;
  /** A fragment of appsettings.json holding it. */
  config: Record<string, unknown>;
  /** A log line (message part) holding it. */
  log: string;
}

const b = (s: string, n: number): string => s.repeat(Math.ceil(n / s.length)).slice(0, n);
const hex64 = '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';
const awsSecret = 'wJalrXUtnFEMI/K7MDENG/bPxRfiCY0022KEYzQ+';
const pemBody = [
  'MIIEpAIBAAKCAQEA0027PEMBODYq9Z7kLmP2xR4vT8wN1sB6yH3jF5cQ0',
  'Zm9vYmFyYmF6cXV4cXV1eDAwMjdzZWNvbmRsaW5lb2ZrZXlkYXRhCg==',
];
const pemTail = 'VEFJTDAwMjh0YWlsb2ZhcGVta2V5dGhhdGlzY3V0aGVyZQo=';

export const PLANTED: PlantedSecret[] = [
  {
    id: 'json-password',
    secret: 'Hunter2-pw-0001',
    config: { Password: 'Hunter2-pw-0001' },
    log: 'Login body {"user":"ops","password":"Hunter2-pw-0001"}',
  },
  {
    id: 'password-in-array-object',
    secret: 'arr-pw-0002',
    config: { Users: [{ Name: 'ops', Password: 'arr-pw-0002' }] },
    log: 'Users=[{"Name":"ops","Password":"arr-pw-0002"}]',
  },
  {
    id: 'key-auth',
    secret: 'auth-val-0003',
    config: { auth: 'auth-val-0003' },
    log: 'Proxy settings auth=auth-val-0003 mode=basic',
  },
  {
    id: 'key-cred',
    secret: 'cred-val-0004',
    config: { cred: 'cred-val-0004' },
    log: 'Loaded cred: cred-val-0004',
  },
  { id: 'key-pin-number', secret: '907315', config: { Pin: 907315 }, log: 'Device Pin=907315 accepted' },
  { id: 'key-passwd', secret: 'passwd-0006', config: { Passwd: 'passwd-0006' }, log: 'Passwd=passwd-0006' },
  {
    id: 'connection-string-pwd',
    secret: 'conn-pwd-0007',
    config: { ConnectionStrings: { Db: 'Server=x;Uid=sa;Pwd=conn-pwd-0007;' } },
    log: 'Opening Server=x;Uid=sa;Pwd=conn-pwd-0007; failed',
  },
  {
    id: 'redis-url-no-user',
    secret: 'redis-pw-0008',
    config: { Cache: 'redis://:redis-pw-0008@cache:6379/0' },
    log: 'Connecting to redis://:redis-pw-0008@cache:6379/0',
  },
  {
    id: 'url-user-password',
    secret: 'url-pw-0009',
    config: { Webhook: 'https://ops:url-pw-0009@hooks.example.com/x' },
    log: 'POST https://ops:url-pw-0009@hooks.example.com/x -> 204',
  },
  {
    id: 'base64-slash-plus',
    secret: 'q9Z+7kLm/P2xR4vT8wN1sB6yH3jF5cQ0',
    config: { Blob: 'q9Z+7kLm/P2xR4vT8wN1sB6yH3jF5cQ0' },
    log: 'Signing with q9Z+7kLm/P2xR4vT8wN1sB6yH3jF5cQ0 now',
  },
  {
    id: 'bearer-hex',
    secret: hex64,
    config: { Header: `Authorization: Bearer ${hex64}` },
    log: `Outgoing Authorization: Bearer ${hex64}`,
  },
  {
    id: 'bearer-any-charset',
    secret: 'abc.DEF~ghi-0012_jkl/mno+pqr=',
    config: { Probe: 'Bearer abc.DEF~ghi-0012_jkl/mno+pqr=' },
    log: 'header Bearer abc.DEF~ghi-0012_jkl/mno+pqr= sent',
  },
  {
    id: 'x-api-key-header',
    secret: 'xak-0013-abcdef',
    config: { Headers: { 'X-API-Key': 'xak-0013-abcdef' } },
    log: 'Request headers: X-API-Key: xak-0013-abcdef',
  },
  {
    id: 'stripe-live',
    secret: 'sk_live_51HqLyjWDarjtT1zdp7dc0014',
    config: { Billing: 'sk_live_51HqLyjWDarjtT1zdp7dc0014' },
    log: 'charge via sk_live_51HqLyjWDarjtT1zdp7dc0014',
  },
  {
    id: 'stripe-test',
    secret: 'sk_test_4eC39HqLyjWDarjtT1zd0015',
    config: { BillingTest: 'sk_test_4eC39HqLyjWDarjtT1zd0015' },
    log: 'test key sk_test_4eC39HqLyjWDarjtT1zd0015',
  },
  {
    id: 'github-pat',
    secret: 'github_pat_11ABCDEFG0016_abcdefghijklmnopqrstuvwxyz012345',
    config: { Repo: 'github_pat_11ABCDEFG0016_abcdefghijklmnopqrstuvwxyz012345' },
    log: 'clone with github_pat_11ABCDEFG0016_abcdefghijklmnopqrstuvwxyz012345',
  },
  {
    id: 'github-ghp',
    secret: `ghp_${b('A1b2C3d4E5f6', 32)}0017`,
    config: { Gh: `ghp_${b('A1b2C3d4E5f6', 32)}0017` },
    log: `gh token ghp_${b('A1b2C3d4E5f6', 32)}0017`,
  },
  {
    id: 'github-gho',
    secret: `gho_${b('Z9y8X7w6V5u4', 32)}0018`,
    config: { Oauth: `gho_${b('Z9y8X7w6V5u4', 32)}0018` },
    log: `oauth gho_${b('Z9y8X7w6V5u4', 32)}0018`,
  },
  {
    id: 'slack-bot',
    secret: 'xoxb-1234567890-0987654321-AbCdEfGh0019',
    config: { Slack: 'xoxb-1234567890-0987654321-AbCdEfGh0019' },
    log: 'slack xoxb-1234567890-0987654321-AbCdEfGh0019',
  },
  {
    id: 'slack-user',
    secret: 'xoxp-2234567890-1987654321-ZyXwVuTs0020',
    config: { SlackUser: 'xoxp-2234567890-1987654321-ZyXwVuTs0020' },
    log: 'user xoxp-2234567890-1987654321-ZyXwVuTs0020',
  },
  {
    id: 'aws-access-key-id',
    secret: 'AKIAIOSFODNN7EX00021',
    config: { Aws: { Region: 'eu-west-1', Id: 'AKIAIOSFODNN7EX00021' } },
    log: 'aws id AKIAIOSFODNN7EX00021 region eu-west-1',
  },
  {
    id: 'aws-secret-key',
    secret: awsSecret,
    config: { AwsBlob: awsSecret },
    log: `aws credentials loaded ${awsSecret} ok`,
  },
  {
    id: 'google-api-key',
    secret: 'AIzaSyD-0023abcdefghijklmnopqrstuvwxyz1',
    config: { Maps: 'AIzaSyD-0023abcdefghijklmnopqrstuvwxyz1' },
    log: 'maps key AIzaSyD-0023abcdefghijklmnopqrstuvwxyz1',
  },
  {
    id: 'openai-key',
    secret: 'sk-proj-0024AbCdEfGhIjKlMnOpQrStUvWxYz0123456789',
    config: { Providers: { OpenAI: { Value: 'sk-proj-0024AbCdEfGhIjKlMnOpQrStUvWxYz0123456789' } } },
    log: 'OpenAI call with sk-proj-0024AbCdEfGhIjKlMnOpQrStUvWxYz0123456789 failed',
  },
  {
    id: 'anthropic-key',
    secret: 'sk-ant-api03-0025AbCdEfGhIjKlMnOpQrStUvWxYz01234',
    config: { Claude: 'sk-ant-api03-0025AbCdEfGhIjKlMnOpQrStUvWxYz01234' },
    log: 'claude sk-ant-api03-0025AbCdEfGhIjKlMnOpQrStUvWxYz01234',
  },
  {
    id: 'jwt',
    secret:
      'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDI2In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    config: {
      Session:
        'eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDI2In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
    },
    log: 'jwt=eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIwMDI2In0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c',
  },
  {
    id: 'pem-whole-block',
    secret: pemBody[0],
    config: {
      Tls: `-----BEGIN RSA PRIVATE KEY-----\n${pemBody.join('\n')}\n-----END RSA PRIVATE KEY-----\n`,
    },
    log: `Loaded key:\n-----BEGIN RSA PRIVATE KEY-----\n${pemBody.join('\n')}\n-----END RSA PRIVATE KEY-----`,
  },
  {
    id: 'pem-tail',
    secret: pemTail,
    config: { TlsTail: `${pemTail}\n-----END PRIVATE KEY-----` },
    log: `${pemTail}\n-----END PRIVATE KEY-----`,
  },
  {
    id: 'client-secret',
    secret: 'cs-0029-value',
    config: { ClientSecret: 'cs-0029-value' },
    log: 'client_secret=cs-0029-value&grant_type=client_credentials',
  },
  {
    id: 'access-token',
    secret: 'at-0030-value',
    config: { AccessToken: 'at-0030-value' },
    log: '{"access_token": "at-0030-value", "expires_in": 3600}',
  },
  { id: 'apikey', secret: 'ak-0031-value', config: { ApiKey: 'ak-0031-value' }, log: 'apikey=ak-0031-value' },
  {
    id: 'api-key-query',
    secret: 'qk-0032-value',
    config: { Endpoint: 'https://api.example.com/v1?api_key=qk-0032-value&x=1' },
    log: 'GET https://api.example.com/v1?api_key=qk-0032-value&x=1',
  },
  {
    id: 'private-key-name',
    secret: 'pk-0033-value',
    config: { private_key: 'pk-0033-value' },
    log: 'private_key: pk-0033-value',
  },
  {
    id: 'credentials-object',
    secret: 'cr-0034-value',
    config: { Credentials: { User: 'u', Value: 'cr-0034-value' } },
    log: 'Credential=cr-0034-value',
  },
  {
    id: 'escaped-json-in-log',
    secret: 'esc-pw-0035',
    config: { Raw: '{"password":"esc-pw-0035"}' },
    log: '{"Body":"{\\"password\\":\\"esc-pw-0035\\"}"}',
  },
  {
    id: 'opaque-high-entropy',
    secret: 'Zq8xY2vB7nM4kL1pR6tS9wU3eA5dF0gH',
    config: { Build: 'Zq8xY2vB7nM4kL1pR6tS9wU3eA5dF0gH' },
    log: 'build Zq8xY2vB7nM4kL1pR6tS9wU3eA5dF0gH',
  },
  {
    id: 'passphrase',
    secret: 'pp-0037-value',
    config: { Passphrase: 'pp-0037-value' },
    log: 'passphrase=pp-0037-value',
  },
  {
    id: 'sas-signature',
    secret: 'sas0038ABCDEFsig',
    config: { Blob: { Url: 'https://a.blob.core.windows.net/c?sv=2024&sig=sas0038ABCDEFsig' } },
    log: 'upload https://a.blob.core.windows.net/c?sv=2024&sig=sas0038ABCDEFsig',
  },
  {
    id: 'slack-webhook',
    secret: 'T0000039/B0000039/XXXXXXXXXXXXXXXX0039',
    config: { Alerts: 'https://hooks.slack.com/services/T0000039/B0000039/XXXXXXXXXXXXXXXX0039' },
    log: 'alert to https://hooks.slack.com/services/T0000039/B0000039/XXXXXXXXXXXXXXXX0039',
  },
  {
    id: 'redis-connection-password',
    secret: 'r3dis-0040',
    config: { Caching: { RedisConnection: '127.0.0.1:6379,password=r3dis-0040,ssl=false' } },
    log: 'Redis connect to 127.0.0.1:6379,password=r3dis-0040 failed',
  },
];

/** Ordinary Aura log text: timestamps, GUIDs, correlation ids, paths, numbers, types, HTTP lines. */
export const ORDINARY_LOG_LINES: string[] = [
  '[2026-12-06 21:31:26.123 +00:00] [INF] [0d8f6a4c2e1b4d9f7a5c3e1b9d7f5a3c] [Aura.Api.Middleware.RequestLogging] [42] Request completed: GET /api/projects - 200 in 12.3ms',
  "[2026-12-06 21:31:27.001 +00:00] [ERR] [3f2504e0-4f89-11d3-9a0c-0305e82c3301] [] [] SQLite Error 5: 'database is locked'",
  'System.InvalidOperationException: Sequence contains no elements',
  '   at Aura.Core.Services.ProjectService.LoadAsync(String id) in /src/Aura.Core/Services/ProjectService.cs:line 42',
  '   at Aura.Api.Controllers.ProjectsController.Get(Guid projectId) in C:\\build\\Aura.Api\\Controllers\\ProjectsController.cs:line 88',
  'Log file /home/operator/.local/share/Aura/logs/aura-api-20261206_001.log rolled at 10485760 bytes',
  'Writing to /var/lib/AuraVideoStudio/Projects/Wedding2025/Renders/final-1080p.mp4',
  'Job 5c1c7d9e-3a0f-4b8e-9c61-2f4e8a9b7d10 finished in 00:03:12.5 (exit 0), 1920x1080 @ 29.97 fps',
  '{"SourceContext":"Aura.Api.Startup","RequestId":"0HN7GQ1J5V3KD:00000001","ElapsedMs":12.5,"StatusCode":200}',
  'MaxTokens=4096 Temperature=0.7 Model=gpt-4o-mini',
  'Cache get failed for key Aura:project:42',
  'Basic health check passed; Bearer token missing on /health/live is expected',
  'Redis distributed cache configured: 127.0.0.1:6379',
  'ffmpeg -i input.mp4 -c:v h264_nvenc -b:v 8M output.mp4',
  'sha256 e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855 verified',
  'Migration 20251122175419_AddMissingDatabaseTables applied',
  'Disk space: 123.4 GB free of 512 GB (24%)',
];
