// The serve host's request checks as pure functions: which Host and Origin values pass.
import { describe, expect, it } from 'vitest';
import { allowedHosts, isAllowedHost, isAllowedOrigin, isExternalUrl, safeEqual } from './security';

describe('Host allowlist (DNS rebinding)', () => {
  const allowed = allowedHosts('127.0.0.1', 4321);
  it('accepts loopback names on our port only', () => {
    for (const h of ['127.0.0.1:4321', 'localhost:4321', 'LOCALHOST:4321', '[::1]:4321'])
      expect(isAllowedHost(h, allowed)).toBe(true);
    for (const h of ['evil.example', 'evil.example:4321', '127.0.0.1:80', '127.0.0.1', undefined, ''])
      expect(isAllowedHost(h, allowed)).toBe(false);
  });
  it('adds a non-loopback bind address, but never a wildcard', () => {
    expect(isAllowedHost('192.168.1.9:4321', allowedHosts('192.168.1.9', 4321))).toBe(true);
    expect(isAllowedHost('0.0.0.0:4321', allowedHosts('0.0.0.0', 4321))).toBe(false);
    expect(isAllowedHost('[::1]:4321', allowedHosts('::1', 4321))).toBe(true);
  });
});

describe('Origin check (cross-site WebSocket)', () => {
  const allowed = allowedHosts('127.0.0.1', 4321);
  it('accepts only http://<allowed host>', () => {
    expect(isAllowedOrigin('http://127.0.0.1:4321', allowed)).toBe(true);
    expect(isAllowedOrigin('http://localhost:4321', allowed)).toBe(true);
    for (const o of [
      'http://evil.example',
      'https://127.0.0.1:4321',
      'http://127.0.0.1:4321/x',
      'null',
      undefined,
    ]) {
      expect(isAllowedOrigin(o, allowed)).toBe(false);
    }
  });
});

describe('helpers', () => {
  it('isExternalUrl lets only http(s) out', () => {
    expect(isExternalUrl('https://example.com/a')).toBe(true);
    expect(isExternalUrl('http://example.com')).toBe(true);
    for (const u of [
      'javascript:alert(1)',
      'file:///etc/passwd',
      'data:text/html,x',
      'smb://host/share',
      'not a url',
    ])
      expect(isExternalUrl(u)).toBe(false);
  });
  it('safeEqual', () => {
    expect(safeEqual('abc', 'abc')).toBe(true);
    expect(safeEqual('abc', 'abd')).toBe(false);
    expect(safeEqual('abc', 'abcd')).toBe(false);
  });
});
