// Log panes against the running demo install: records arrive live, a correlation id filters every
// pane (and the histogram strip counts only what is shown), and a scenario switch shows up in the
// errors pane.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingTool } from '../tools';
import { useConsole } from './console';

const skip = missingTool('chromium', 'e2e logs');

describe.skipIf(skip)('log panes on the demo install', () => {
  const ui = useConsole();

  it('tails the main log live and filters every pane by a clicked correlation id', async () => {
    const { page } = ui.browser;
    await page.goto(ui.serve.openUrl);
    const main = page.getByTestId('log-pane-Main log (aura-api)');
    await main.waitFor();
    // Only the rows in view are in the DOM, and the layout may give the pane a few lines only.
    await expect.poll(() => main.getByTestId('log-row').count(), { timeout: 15_000 }).toBeGreaterThan(2);
    // The sandbox keeps serving requests: a newer "Request completed" line must arrive.
    const lastText = async () => (await main.getByTestId('log-row').last().textContent()) ?? '';
    const before = await lastText();
    await expect.poll(lastText, { timeout: 15_000 }).not.toBe(before);

    const cid = main.locator('button.cid').first();
    const shown = (await cid.getAttribute('title')) ? await cid.textContent() : null;
    expect(shown).toMatch(/^[0-9a-f]{12}$/);
    await cid.click();
    await expect.poll(() => page.locator('.logs-chip').count(), { timeout: 8000 }).toBeGreaterThanOrEqual(1);
    // The filter's id comes from the chip: live rows keep arriving, so under load the click can
    // land on the row that scrolled into the first place after the id above was read.
    const fullId = (await main.locator('.logs-chip code').textContent()) ?? '';
    const id = fullId.slice(0, 12);
    expect(id).toMatch(/^[0-9a-f]{12}$/);
    await expect
      .poll(
        async () => {
          const rows = await main.getByTestId('log-row').allTextContents();
          return rows.length > 0 && rows.every((r) => r.includes(id));
        },
        // The filtered view waits for the pane's record index, which a loaded machine builds slowly.
        { timeout: 20_000 },
      )
      .toBe(true);
    // The histogram strip counts what the pane shows (the records of that correlation id, as
    // many as the log file holds), not every record around them.
    const logsDir = path.join(ui.serve.dataDir, 'demo', 'logs');
    const start = new RegExp(`^\\[[^\\]]+\\] \\[[A-Z]{3}\\] \\[${fullId}\\]`, 'gm');
    const inFiles = () =>
      fs
        .readdirSync(logsDir)
        .filter((n) => /^aura-api-.*\.log$/.test(n))
        .reduce((a, n) => a + [...fs.readFileSync(path.join(logsDir, n), 'utf8').matchAll(start)].length, 0);
    const stripTotal = async () =>
      (await main.locator('svg.logs-hist title').allTextContents())
        .flatMap((t) => [...t.matchAll(/\b[A-Z]{3} (\d+)/g)].map((m) => Number(m[1])))
        .reduce((a, b) => a + b, 0);
    await expect
      .poll(
        async () => {
          const want = inFiles();
          return want > 0 && (await stripTotal()) === want;
        },
        { timeout: 8000 },
      )
      .toBe(true);
    // Clearing the chip brings the other records back.
    await page.locator('.logs-bar .logs-chip button').click();
    await expect
      .poll(async () => (await main.getByTestId('log-row').allTextContents()).some((r) => !r.includes(id)), {
        timeout: 8000,
      })
      .toBe(true);
  });

  it('shows the error-spike scenario in the errors pane', async () => {
    const { page } = ui.browser;
    // A fresh page: a correlation filter left by a failed test above would hide the new errors.
    await page.goto(ui.serve.openUrl);
    await page.getByTestId('log-pane-Errors').waitFor({ state: 'attached' });
    await page.getByRole('tab', { name: 'Install' }).click();
    await page.selectOption('select[aria-label=Scenario]', 'error-spike');
    await page.getByRole('tab', { name: 'Errors' }).click();
    const errors = page.getByTestId('log-pane-Errors');
    await expect
      .poll(
        async () =>
          (await errors.getByTestId('log-row').allTextContents()).some(
            (t) => /ERR/.test(t) && /\b50[0-9]\b|Exception/.test(t),
          ),
        {
          timeout: 20_000,
        },
      )
      .toBe(true);
  });
});
