// The logs contract at the boundary: a view's time range (the histogram's drag selection) is
// accepted only as two finite times in order, on every channel that takes a view.
import { describe, expect, it } from 'vitest';
import { logsChannels } from './logs';

const VIEW_CHANNELS = ['logs:page', 'logs:search', 'logs:seek-time', 'logs:histogram'] as const;
const base: Record<(typeof VIEW_CHANNELS)[number], Record<string, unknown>> = {
  'logs:page': { paneId: 'pane-1', fromLine: 0, count: 10 },
  'logs:search': { paneId: 'pane-1', pattern: 'x' },
  'logs:seek-time': { paneId: 'pane-1', time: 0 },
  'logs:histogram': { paneId: 'pane-1', fromLine: 0, toLine: 10 },
};

describe('logs contract: range', () => {
  it('accepts a range in order, and no range', () => {
    for (const ch of VIEW_CHANNELS) {
      const schema = logsChannels[ch].params;
      expect(schema.safeParse(base[ch]).success, ch).toBe(true);
      expect(schema.safeParse({ ...base[ch], range: { from: 1_000, to: 61_000 } }).success, ch).toBe(true);
    }
  });

  it('refuses hostile ranges', () => {
    const hostile: unknown[] = [
      { from: 61_000, to: 1_000 },
      { from: 1_000, to: 1_000 },
      { from: Number.NaN, to: 1_000 },
      { from: 0, to: Number.POSITIVE_INFINITY },
      { from: '0', to: '60000' },
      { from: 0 },
      { from: 0, to: 1, extra: true },
      [0, 1],
      null,
      'last hour',
    ];
    for (const ch of VIEW_CHANNELS) {
      const schema = logsChannels[ch].params;
      for (const range of hostile) {
        expect(schema.safeParse({ ...base[ch], range }).success, `${ch} ${JSON.stringify(range)}`).toBe(
          false,
        );
      }
    }
  });
});
