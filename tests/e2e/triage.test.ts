// The triage from current state, walked in the real UI on the demo install: healthy (the all-clear
// leads, the handbook note sits apart, relative times tick) -> error-spike (SEV-2 within 20 s on
// the scheduler alone, with its window and the age of the newest 5xx) -> healthy (recovering, then
// clear within a minute) -> disk-low (the triage and the Disk card name one volume and one figure).
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';

const skip = missingTool('chromium', 'e2e triage');
/** Screenshots for a person to look at: in TRIAGE_SHOTS when set (kept), else a temp folder. */
const shots = process.env.TRIAGE_SHOTS ?? tempDir('triage-shots');
fs.mkdirSync(shots, { recursive: true });
/** The issue's bar: an error spike shows as SEV-2 within 20 s of its start, with no click on Refresh. */
const SPIKE_TO_SEV2_MS = 20_000;
/** ...and a recovered install says "recovering", then clears within a minute. */
const RECOVERY_CLEARS_MS = 60_000;
/** How long the fresh demo may take to show its all-clear (its history may end in a warning that has to fade). */
const FIRST_CLEAR_MS = 90_000;
/** Polling step while waiting for the UI. */
const POLL_MS = 250;

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

async function scenario(page: Page, name: string): Promise<number> {
  await page.getByRole('tab', { name: 'Install' }).click();
  await page.getByTestId('demo-controls').getByLabel('Scenario').selectOption(name);
  const at = Date.now();
  await page.getByRole('tab', { name: 'Health' }).click();
  return at;
}

/** Waits until `fn` returns a value (not null), polling, and fails with `what` at the deadline. */
async function until<T>(fn: () => Promise<T | null>, deadlineMs: number, what: string): Promise<T> {
  const end = Date.now() + deadlineMs;
  let last: unknown = null;
  for (;;) {
    try {
      const v = await fn();
      if (v !== null) return v;
    } catch (err) {
      last = err;
    }
    if (Date.now() > end)
      throw new Error(
        `timed out after ${deadlineMs} ms waiting for ${what}${last ? ` (${String(last)})` : ''}`,
      );
    await new Promise((r) => setTimeout(r, POLL_MS));
  }
}

describe.skipIf(skip)('triage from current state', () => {
  const ui = useConsole();

  it(
    'walks healthy -> error spike -> recovering -> clear -> disk-low, saying what is true now',
    { timeout: 300_000 },
    async () => {
      const { page } = ui.browser;
      page.setDefaultTimeout(15_000);
      await openConsole(page, ui.serve);
      await page.getByRole('tab', { name: 'Health' }).click();
      const triage = page.getByRole('region', { name: 'Triage' });
      const badge = triage.locator('.sev-badge');
      const firstReason = triage.locator('.triage-list > li').first().locator('ul > li').first();

      // Healthy: the all-clear leads; the handbook's missing /api/v1/health is a quiet note after it.
      await until(
        async () => {
          await page.getByRole('button', { name: 'Refresh now' }).click({ timeout: 1000 });
          return (await badge.textContent()) === 'SEV-4' &&
            (await firstReason.textContent()) === 'Every probe is healthy: keep watching the dashboard'
            ? true
            : null;
        },
        FIRST_CLEAR_MS,
        'the all-clear on the fresh demo',
      );
      expect(await triage.locator('.triage-list li').allTextContents()).not.toContain(
        expect.stringContaining('/api/v1/health'),
      );
      expect(await triage.getByLabel('Notes').textContent()).toMatch(
        /^Note: The handbook's \/api\/v1\/health does not exist in Aura \(404\)/,
      );
      await shot(page, '1-healthy');

      // Relative times tick: with sweeps a minute apart, "Last sweep N s ago" counts up by itself.
      await page.getByLabel('Refresh interval').selectOption('60000');
      const lastSweep = page.getByTestId('last-sweep');
      const seconds = async (): Promise<number> =>
        Number(/Last sweep (\d+) s ago/.exec((await lastSweep.textContent()) ?? '')?.[1] ?? NaN);
      let prev = await seconds();
      expect(prev).toBeGreaterThanOrEqual(0);
      // Counting up on screen with no new sweep: two readings a poll apart, the later one larger.
      await until(
        async () => {
          const n = await seconds();
          const up = n > prev;
          prev = n;
          return up ? true : null;
        },
        10_000,
        '"Last sweep" to count up',
      );
      await page.getByLabel('Refresh interval').selectOption('15000');

      // Error spike: SEV-2 on the scheduler alone within 20 s, the reason with its window and age.
      const spikeAt = await scenario(page, 'error-spike');
      const sev2Ms = await until(
        async () => ((await badge.textContent()) === 'SEV-2' ? Date.now() - spikeAt : null),
        SPIKE_TO_SEV2_MS + 5000,
        'SEV-2 after the spike',
      ).catch(async (err: unknown) => {
        await shot(page, 'failed-spike');
        throw new Error(
          `${String(err)}; the triage said: ${await triage.textContent()}; ${await page.getByTestId('probe-logs').textContent()}`,
        );
      });
      process.stdout.write(`triage e2e: error spike -> SEV-2 shown after ${sev2Ms} ms\n`);
      expect(sev2Ms).toBeLessThanOrEqual(SPIKE_TO_SEV2_MS);
      const spikeReason = triage.locator('li[data-rule^="error-rate-"]');
      expect(await spikeReason.getAttribute('data-rule')).toBe('error-rate-high');
      expect(await spikeReason.getAttribute('data-phase')).toBe('now');
      expect(await spikeReason.textContent()).toMatch(
        /^\d+ of \d+ requests failed with 5xx in the last (30 s|5 min) \(\d+\.\d%, above the 5% line\), newest \d+ s ago$/,
      );
      expect(await triage.locator('.triage-list > li').first().locator('.runbook').textContent()).toBe(
        'High Error Rates',
      );
      // The logs card says the same thing from the same records.
      expect(await page.getByTestId('probe-logs').locator('.state-badge').textContent()).toBe('Unhealthy');
      await shot(page, '2-error-spike');

      // Back to healthy: first "recovering" (severity kept, reason set back), then the all-clear.
      const healedAt = await scenario(page, 'healthy');
      await until(
        async () => ((await page.getByTestId('triage-phase').isVisible()) ? true : null),
        RECOVERY_CLEARS_MS,
        '"recovering" after the spike',
      );
      // Still SEV-2 while the window's rate is above 5%; good requests may dilute it to intermittent (SEV-3).
      expect(await badge.textContent()).toMatch(/^SEV-[23]$/);
      expect(await spikeReason.getAttribute('data-phase')).toBe('recovering');
      expect(await spikeReason.textContent()).toMatch(/newest \d+ s ago recovering$/);
      // The age of the newest 5xx counts up on screen between sweeps.
      const age = async (): Promise<number> =>
        Number(/newest (\d+) s ago/.exec((await spikeReason.textContent()) ?? '')?.[1] ?? NaN);
      const a0 = await age();
      await until(
        async () => ((await age()) > a0 || !(await spikeReason.isVisible()) ? true : null),
        5000,
        'the age of the newest 5xx to tick',
      );
      await shot(page, '3-recovering');
      const clearMs = await until(
        async () =>
          (await badge.textContent()) === 'SEV-4' &&
          (await firstReason.textContent())?.startsWith('Every probe is healthy')
            ? Date.now() - healedAt
            : null,
        RECOVERY_CLEARS_MS + 5000,
        'the all-clear after recovery',
      );
      process.stdout.write(`triage e2e: healthy again -> all-clear after ${clearMs} ms\n`);
      expect(clearMs).toBeLessThanOrEqual(RECOVERY_CLEARS_MS);
      expect(await page.getByTestId('triage-phase').count()).toBe(0);
      // The logs card agrees with the all-clear (its text says why when it does not).
      const logsCard = page.getByTestId('probe-logs');
      expect(
        await logsCard.locator('.state-badge').textContent(),
        `the logs card: ${await logsCard.textContent()}`,
      ).toBe('OK');
      await shot(page, '4-clear');

      // Disk low: the triage and the Disk card name the same volume and the same free space.
      await scenario(page, 'disk-low');
      const diskReason = triage.locator('li[data-rule="disk-low"]');
      const said = await until(
        async () => ((await diskReason.count()) > 0 ? await diskReason.textContent() : null),
        SPIKE_TO_SEV2_MS,
        'the disk-low reason',
      );
      const figure = /^Only ([\d.]+) GB free on (\S+) \(([^;]+);/.exec(said ?? '');
      expect(figure).not.toBeNull();
      const [, free, volume, what] = figure!;
      const card = page.getByTestId('probe-disk');
      expect(await card.locator('.state-badge').textContent()).toBe('Degraded');
      expect(await card.locator('.probe-value').textContent()).toContain(free);
      expect(await card.locator('.probe-summary').textContent()).toContain(
        `Only ${free} GB free on ${volume} (${what};`,
      );
      expect(await badge.textContent()).toBe('SEV-2');
      await shot(page, '5-disk-low');
      await card.getByRole('button', { name: /Details/ }).click();
      expect(await card.locator('.probe-details').textContent()).toContain(`${what}${free} GB free`);
      await card.scrollIntoViewIfNeeded();
      await card.screenshot({ path: path.join(shots, '6-disk-card.png') });

      // At the smallest supported window the triage's head and reasons still fit their box.
      await page.setViewportSize({ width: 1100, height: 700 });
      await triage.scrollIntoViewIfNeeded();
      const overflow = await triage.evaluate((el) =>
        [el, ...Array.from(el.querySelectorAll('.triage-head, .triage-head > *, .triage-list li'))]
          .filter((e) => e.scrollWidth > e.clientWidth + 1)
          .map((e) => `${e.className || e.tagName}: ${e.scrollWidth} > ${e.clientWidth}`),
      );
      expect(overflow).toEqual([]);
      await shot(page, '7-disk-low-1100x700');
      await scenario(page, 'healthy');
    },
  );
});
