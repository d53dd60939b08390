// The redaction rule set on its own: every planted secret shape of issue 14 (and more) is gone from a
// log line and from config, ordinary log text is untouched, and each rule counts what it hid.
import { describe, expect, it } from 'vitest';
import { isHighEntropy, isSecretName, REDACTED, REDACTION_RULES, Redactor } from './redact';
import { ORDINARY_LOG_LINES, PLANTED } from './redact-corpus';

describe('the planted corpus', () => {
  it('holds at least the 34 shapes of the issue, each secret distinct', () => {
    expect(PLANTED.length).toBeGreaterThanOrEqual(34);
    expect(new Set(PLANTED.map((p) => p.secret)).size).toBe(PLANTED.length);
  });

  for (const p of PLANTED) {
    it(`hides ${p.id} in a log line and in config`, () => {
      const r = new Redactor();
      const log = r.text(`[2026-12-06 10:00:00.000 +00:00] [WRN] [] [] [] ${p.log}`);
      expect(log).not.toContain(p.secret);
      expect(log).toContain(REDACTED);
      const cfg = JSON.stringify(r.config(p.config));
      expect(cfg).not.toContain(p.secret);
      expect(cfg).toContain(REDACTED);
    });
  }
});

describe('ordinary log text', () => {
  it('is left exactly as it was (timestamps, GUIDs, correlation ids, paths, numbers, types)', () => {
    const r = new Redactor();
    for (const line of ORDINARY_LOG_LINES) expect(r.text(line)).toBe(line);
    expect(Object.values(r.counts).every((n) => n === 0)).toBe(true);
  });
});

describe('rules', () => {
  it('takes a whole PEM block, a block cut at the end and the tail of a cut block', () => {
    const body =
      'MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7\nq9Z7kLmP2xR4vT8wN1sB6yH3jF5cQ0Zm9vYmFy';
    const r = new Redactor();
    expect(r.text(`before\n-----BEGIN PRIVATE KEY-----\n${body}\n-----END PRIVATE KEY-----\nafter [x]`)).toBe(
      `before\n${REDACTED}\nafter [x]`,
    );
    expect(r.text(`-----BEGIN EC PRIVATE KEY-----\n${body}`)).toBe(REDACTED);
    expect(r.text(`${body}\n-----END OPENSSH PRIVATE KEY-----\n[2026-12-06] next`)).toBe(
      `${REDACTED}\n[2026-12-06] next`,
    );
    // JSON-escaped newlines, as a PEM in a log property appears.
    expect(r.text(`{"Key":"-----BEGIN RSA PRIVATE KEY-----\\nAAAA\\n-----END RSA PRIVATE KEY-----"}`)).toBe(
      `{"Key":"${REDACTED}"}`,
    );
    expect(r.counts['pem-private-key']).toBe(4);
  });

  it('keeps the user of URL credentials and the scheme of an Authorization header', () => {
    const r = new Redactor();
    expect(r.text('redis://:pw1234@cache:6379')).toBe(`redis://:${REDACTED}@cache:6379`);
    expect(r.text('amqp://guest:gu3st@mq/vhost')).toBe(`amqp://guest:${REDACTED}@mq/vhost`);
    expect(r.text('Authorization: Bearer 0123abcd0123abcd')).toBe(`Authorization: Bearer ${REDACTED}`);
    expect(r.counts).toMatchObject({ 'url-credentials': 2, 'auth-header': 1 });
  });

  it('redacts secret-named pairs in JSON, key=value, headers and connection strings, quotes kept', () => {
    const r = new Redactor();
    expect(r.text('{"password":"a b c","user":"ops"}')).toBe(`{"password":"${REDACTED}","user":"ops"}`);
    expect(r.text("Server=a;User Id=sa;Password='x;y';Port=1")).toBe(
      `Server=a;User Id=sa;Password='${REDACTED}';Port=1`,
    );
    expect(r.text('X-Api-Key: k-1 next')).toBe(`X-Api-Key: ${REDACTED} next`);
    expect(r.text('"Default":"Host=db;Password=pg1;"')).toBe(`"Default":"Host=db;Password=${REDACTED};"`);
    expect(r.text('password=null token="" auth=true')).toBe('password=null token="" auth=true');
  });

  it('keeps ordinary numbers and values in config, hides everything under a secret name', () => {
    const r = new Redactor();
    const out = r.config({
      Llm: { MaxTokens: 4096, Model: 'gpt-4o-mini' },
      Redis: { Password: 'p', Port: 6379 },
      Device: { Pin: 1234 },
      Credentials: { Nested: { A: 'x' } },
      List: [{ Name: 'n', Passwd: 'q' }],
    });
    expect(out).toEqual({
      Llm: { MaxTokens: 4096, Model: 'gpt-4o-mini' },
      Redis: { Password: REDACTED, Port: 6379 },
      Device: { Pin: REDACTED },
      Credentials: { Nested: { A: REDACTED } },
      List: [{ Name: 'n', Passwd: REDACTED }],
    });
    expect(r.counts['secret-name']).toBe(4);
  });

  it('reads key names by words, case-insensitively', () => {
    for (const n of [
      'password',
      'PASSWD',
      'pwd',
      'Pass',
      'ClientSecret',
      'access_token',
      'AUTH',
      'cred',
      'Credentials',
      'Pin',
      'apikey',
      'api_key',
      'X-API-Key',
      'private_key',
      'AccountKey',
      'Key',
      'Keys',
      'ConnectionString',
      'sig',
      'Cookie',
    ]) {
      expect({ n, secret: isSecretName(n) }).toEqual({ n, secret: true });
    }
    for (const n of [
      'Name',
      'Spinner',
      'Mapping',
      'Authentication',
      'Author',
      'KeyVault',
      'CacheKeyPrefix',
      'MaxTokens',
      'Bypass',
      'Compass',
      'Timeout',
      'Path',
      'RequestId',
    ]) {
      expect({ n, secret: isSecretName(n) }).toEqual({ n, secret: false });
    }
  });

  it('takes random-looking runs for secrets, not hashes, GUIDs, paths or identifiers', () => {
    expect(isHighEntropy('q9Z+7kLm/P2xR4vT8wN1sB6yH3jF5cQ0')).toBe(true);
    expect(isHighEntropy('dGhpcyBpcyBhIHNlY3JldCBrZXkgZm9yIHRlc3Q=')).toBe(true);
    expect(isHighEntropy('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855')).toBe(false);
    expect(isHighEntropy('3F2504E0-4F89-11D3-9A0C-0305E82C3301')).toBe(false);
    expect(isHighEntropy('/share/Aura/logs/aura-api-20261206')).toBe(false);
    expect(isHighEntropy('20251122175419_AddMissingDatabaseTables')).toBe(false);
    expect(isHighEntropy('Short1Aa')).toBe(false);
  });

  it('lists every rule with a count, zero included', () => {
    const r = new Redactor();
    expect(Object.keys(r.counts)).toEqual([...REDACTION_RULES]);
    expect(REDACTION_RULES).toEqual(
      expect.arrayContaining([
        'pem-private-key',
        'stripe-key',
        'github-token',
        'aws-access-key-id',
        'jwt',
        'auth-header',
        'url-credentials',
        'secret-name',
        'high-entropy',
      ]),
    );
  });
});
