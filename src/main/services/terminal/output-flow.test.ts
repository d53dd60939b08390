// The output flow with a renderer that never acks: a progress flood whose held part begins in the
// middle of an escape sequence (the batch before it ended there) is still cut, not paused.
import type { IPty } from 'node-pty';
import { describe, expect, it } from 'vitest';
import { OutputFlow } from './output-flow';

function flow() {
  let paused = false;
  const sent: string[] = [];
  const pty = {
    pause: () => {
      paused = true;
    },
    resume: () => {
      paused = false;
    },
  } as unknown as IPty;
  const f = new OutputFlow(
    {
      batchMs: 5,
      maxBatchChars: 64 * 1024,
      highWatermark: 50_000,
      lowWatermark: 5_000,
      maxHeldChars: 32 * 1024 * 1024,
      replayLimitChars: 512 * 1024,
    },
    { runningPty: () => pty, rows: () => 30, scrollback: () => 1_000, data: (d) => sent.push(d) },
  );
  return { f, sent, isPaused: () => paused };
}

const line = (i: number) => `${i}\x1b[A\x1b[B\r\n`;

describe('OutputFlow', () => {
  it('cuts a progress flood whose held part begins inside a sequence', () => {
    for (const split of ['\x1b', '\x1b[', '']) {
      const { f, isPaused } = flow();
      let first = '';
      for (let i = 0; first.length < 60_000; i++) first += line(i);
      // The chunk that starts holding ends inside a cursor move, the next one finishes it.
      const rest = '\x1b[A\x1b[B\r\n'.slice(split.length);
      f.push(`${first}last${split}`, false);
      let more = rest;
      for (let i = 0; more.length < 400_000; i++) more += line(100_000 + i);
      for (let k = 0; k < more.length; k += 4096) f.push(more.slice(k, k + 4096), false);
      expect(isPaused(), `split "${JSON.stringify(split)}"`).toBe(false);
      expect(f.droppedChars, `split "${JSON.stringify(split)}"`).toBeGreaterThan(200_000);
      f.stop();
    }
  });
});
