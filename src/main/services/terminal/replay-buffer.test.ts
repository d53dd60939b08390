// The replay buffer keeps the newest output up to its limit, and a trimmed replay starts at a line.
import { describe, expect, it } from 'vitest';
import { ReplayBuffer } from './replay-buffer';

describe('ReplayBuffer', () => {
  it('keeps everything under the limit, untruncated', () => {
    const b = new ReplayBuffer(100);
    b.push('one\r\n');
    b.push('two\r\n');
    expect(b.text()).toBe('one\r\ntwo\r\n');
    expect(b.truncated).toBe(false);
    expect(b.chars).toBe(10);
  });

  it('trims the oldest output by chars and starts the replay after the first cut line', () => {
    const b = new ReplayBuffer(12);
    b.push('aaaa\n');
    b.push('bbbb\n');
    b.push('cccc\n');
    expect(b.chars).toBe(12);
    expect(b.truncated).toBe(true);
    // 'aa\nbbbb\ncccc\n' is kept; the partial first line is left out of the replay.
    expect(b.text()).toBe('bbbb\ncccc\n');
  });

  it('keeps the tail of a single chunk longer than the limit', () => {
    const b = new ReplayBuffer(8);
    b.push('0123456789\nab');
    expect(b.chars).toBe(8);
    expect(b.truncated).toBe(true);
    expect(b.text()).toBe('ab');
  });
});
