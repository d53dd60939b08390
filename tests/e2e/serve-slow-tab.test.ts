// The slow-reader case in the real renderer: a Chromium tab whose page is paused while a terminal
// floods is cut off by the serve host, reconnects on its own, and its terminal shows the end of
// the output (before, its events were dropped and the terminal stalled short of the end).
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { connect, waitFor, type EventFrame } from './serve-client';
import { openConsole } from './harness';

const skip = missingTool('chromium', 'e2e slow tab');
/** Well past the host's 8 MB per-tab limit plus what the kernel and Chromium buffer. */
const FLOOD_BYTES = 40_000_000;
const END = 'flood-end-42';

async function screen(page: Page): Promise<string> {
  return page
    .locator('[data-testid="terminal-pane"] .term-host')
    .first()
    .evaluate(
      (el) => (el as HTMLElement & { auraTerminalText?: () => string }).auraTerminalText?.() ?? '',
      undefined,
      { timeout: 5000 },
    );
}

describe.skipIf(skip)('a tab too slow for a flood', () => {
  const ui = useConsole({ args: ['--no-demo'] });

  it('is cut off, reconnects, and its terminal ends at the end of the output', async () => {
    const { page, context } = ui.browser;
    await openConsole(page, ui.serve);
    await page.locator('[data-testid="terminal-pane"] .xterm').first().waitFor({ timeout: 20_000 });
    // The terminal the tab shows, and a second reader that acks every chunk so the pty keeps going.
    let sessionId = '';
    let fastTail = '';
    const fast = await connect(ui.serve, {
      onEvent: (e: EventFrame) => {
        const d = e.payload as { sessionId: string; data: string };
        if (e.event !== 'terminal:data' || d.sessionId !== sessionId) return;
        fast.ws.send(
          JSON.stringify({ id: 0, channel: 'terminal:ack', params: { sessionId, chars: d.data.length } }),
        );
        fastTail = (fastTail + d.data).slice(-200);
      },
    });
    try {
      const { sessions } = await waitFor(
        'the tab to open its terminal',
        () => fast.call<{ sessions: { id: string }[] }>('terminal:list', {}),
        (r) => r.sessions.length > 0,
      );
      sessionId = sessions[0]!.id;
      await waitFor(
        'a prompt',
        () => screen(page),
        (t) => t.trim().length > 0,
      );

      const cdp = await context.newCDPSession(page);
      await cdp.send('Debugger.enable');
      await cdp.send('Debugger.pause'); // the page reads nothing while the flood runs
      await fast.call('terminal:write', {
        sessionId,
        data: `head -c ${FLOOD_BYTES} /dev/zero | tr '\\0' x | fold -w 199; echo flood-end-$((6*7))\r`,
      });
      await waitFor('the flood to end', () => fastTail.includes(END), Boolean, 120_000);
      await cdp.send('Debugger.resume');
      await cdp.detach();

      await waitFor(
        'the tab to show the end of the flood',
        () => screen(page),
        (t) => t.includes(END),
        60_000,
      );
      expect(await screen(page)).toContain(END);
      expect(ui.serve.output()).toContain('reconnects and resyncs');
    } finally {
      fast.close();
    }
  }, 240_000);
});
