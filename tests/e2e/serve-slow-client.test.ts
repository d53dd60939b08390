// A browser tab that reads its socket slower than a terminal floods it: the serve host must not
// silently drop events (the terminal would stall with a gap) but cut the tab off, so that it
// reconnects and takes the terminal's replay. Real serve process, real bash, real sockets.
import type net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServe, type ServeProc } from './harness';
import { connect, waitFor, type Client, type EventFrame } from './serve-client';

/** Output of the flood: well past the host's 8 MB per-tab limit plus the kernel's socket buffers. */
const FLOOD_BYTES = 40_000_000;
/** Printed after the flood; the command line itself holds it only as $((6*7)). */
const END = 'flood-end-42';

interface Data {
  sessionId: string;
  data: string;
  offset: number;
}

describe('a slow reader', () => {
  let serve: ServeProc;
  beforeAll(async () => {
    serve = await startServe({ args: ['--no-demo'] });
  });
  afterAll(async () => {
    await serve?.stop();
  });

  it('is cut off and resyncs from the replay instead of missing output, and its terminal ends complete', async () => {
    let sessionId = '';
    let fastSawEnd = false;
    let fastTail = '';
    /** Where the fast tab's stream ended: the terminal's own offset after the last chunk it took. */
    let fastEnd = 0;
    // The fast tab acks every chunk at once, as xterm does after writing it, so the pty keeps flowing.
    const fast: Client = await connect(serve, {
      onEvent: (e: EventFrame) => {
        if (e.event !== 'terminal:data') return;
        const d = e.payload as Data;
        if (d.sessionId !== sessionId) return;
        fast.ws.send(
          JSON.stringify({ id: 0, channel: 'terminal:ack', params: { sessionId, chars: d.data.length } }),
        );
        fastTail = (fastTail + d.data).slice(-200);
        fastEnd = d.offset + d.data.length;
        if (fastTail.includes(END)) fastSawEnd = true;
      },
    });
    const slowData: Data[] = [];
    const slowSeqs: number[] = [];
    const slow = await connect(serve, {
      onEvent: (e) => {
        if (e.seq !== undefined) slowSeqs.push(e.seq);
        if (e.event === 'terminal:data' && (e.payload as Data).sessionId === sessionId)
          slowData.push(e.payload as Data);
      },
    });
    let slowClosed = false;
    slow.ws.on('close', () => (slowClosed = true));
    const raw = (slow.ws as unknown as { _socket: net.Socket })._socket;
    raw.pause(); // reads nothing while the flood runs

    try {
      sessionId = (await fast.call<{ id: string }>('terminal:create', { cols: 200, rows: 30 })).id;
      await fast.call('terminal:write', {
        sessionId,
        data: `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' x | fold -w 199; echo flood-end-$((6*7))\r`,
      });
      await waitFor('the fast tab to see the end of the flood', () => fastSawEnd, Boolean, 120_000);

      raw.resume(); // the slow tab catches up with whatever the host still sent it
      await waitFor(
        'the slow tab to be cut off or to reach the end',
        () => slowClosed || slowData.some((d) => d.data.includes(END)),
        Boolean,
        60_000,
      );
      // What it did get has no hole: every chunk starts where the one before ended.
      for (let i = 1; i < slowData.length; i++) {
        expect(slowData[i]!.offset, `chunk ${i} of ${slowData.length}`).toBe(
          slowData[i - 1]!.offset + slowData[i - 1]!.data.length,
        );
      }
      for (let i = 1; i < slowSeqs.length; i++) expect(slowSeqs[i]).toBe(slowSeqs[i - 1]! + 1);
      // It was too slow for 40 MB: cut off rather than fed with gaps.
      expect(slowClosed).toBe(true);

      // Reconnecting, as the renderer does, it takes the replay: the terminal ends complete.
      const again = await connect(serve);
      try {
        const replay = await again.call<{ data: string; endOffset: number }>('terminal:replay', {
          sessionId,
        });
        expect(replay.data).toContain(END);
        // As far as the fast tab got. Not FLOOD_BYTES: when the fast tab's acks lag, the terminal
        // drops plain lines that would scroll out unseen (the flood cut), for every tab alike.
        expect(replay.endOffset).toBeGreaterThanOrEqual(fastEnd);
      } finally {
        again.close();
      }
    } finally {
      fast.close();
      slow.close();
    }
  }, 240_000);
});
