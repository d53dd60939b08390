// Hostile parameters of the review and revision channels are refused at the boundary, before any
// service sees them.
import { describe, expect, it } from 'vitest';
import { runbookReviewChannels } from './runbooks';

const ok = (channel: keyof typeof runbookReviewChannels, params: unknown) =>
  runbookReviewChannels[channel].params.safeParse(params).success;

describe('review and revision channels', () => {
  it('moves only to a known status, signed by a plain name', () => {
    expect(ok('runbooks:review-move', { id: 'user-1:a.md', to: 'published', by: 'Lee' })).toBe(true);
    for (const to of ['PUBLISHED', 'shipped', 'published; rm -rf ~', '', null, 3])
      expect(ok('runbooks:review-move', { id: 'x', to, by: 'Lee' })).toBe(false);
    for (const by of ['', '   ', 'x'.repeat(121), 'lee\nstatus: published', 'lee\u0000', 'lee\u001b[2J', 42])
      expect(ok('runbooks:review-move', { id: 'x', to: 'draft', by })).toBe(false);
    expect(ok('runbooks:review-move', { id: 'x', to: 'draft', by: 'Lee', extra: true })).toBe(false);
  });

  it('takes a session id, never a path, for a revision', () => {
    expect(
      ok('runbooks:revision-save', { sessionId: '0123abcd-ffff-4000-8000-000000000000', text: '# T' }),
    ).toBe(true);
    for (const sessionId of ['../../etc', 'a/b', 'a b', '', 'x'.repeat(65)])
      expect(ok('runbooks:revision-save', { sessionId, text: '# T' })).toBe(false);
    // The file name is the console's to make: a path or a folder in the request is refused.
    expect(ok('runbooks:revision-save', { sessionId: 'abc', text: '# T', path: '/etc/passwd' })).toBe(false);
    expect(ok('runbooks:revision-save', { sessionId: 'abc', text: '' })).toBe(false);
    expect(ok('runbooks:revision-save', { sessionId: 'abc', text: 'x'.repeat(256 * 1024 + 1) })).toBe(false);
    for (const sessionId of ['..', '.', 'a.b'])
      expect(ok('runbooks:revision-propose', { sessionId })).toBe(false);
  });
});
