import { describe, expect, it } from 'vitest';
import { sessionFromProtocols } from './serve-handshake';

describe('sessionFromProtocols', () => {
  it('takes the session only when our protocol is offered with it', () => {
    expect(sessionFromProtocols('aura-ops.v1, aura-ops.session.abc_-9')).toBe('abc_-9');
    expect(sessionFromProtocols('aura-ops.session.abc,aura-ops.v1')).toBe('abc');
  });
  it('refuses everything else', () => {
    for (const h of [
      undefined,
      '',
      'aura-ops.v1',
      'aura-ops.session.abc',
      'chat, aura-ops.session.abc',
      'aura-ops.v2, aura-ops.session.abc',
    ]) {
      expect(sessionFromProtocols(h)).toBeNull();
    }
  });
});
