// Findings end to end (issue 17, item 1): on the demo install in scenario api-down, Run & check of
// the Service Degradation liveness step shows the finding "API not listening" (not a red FAIL),
// and the walk-through's session timeline records that finding.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';
import { startWalkThrough } from './runbook-ui';

const skip = missingTool('chromium', 'e2e findings');
/** Screenshots for a person to look at: in FINDINGS_SHOTS when set (kept), else a temp folder. */
const shots = process.env.FINDINGS_SHOTS ?? tempDir('findings-shots');
fs.mkdirSync(shots, { recursive: true });

describe.skipIf(skip)('findings in the runbook viewer and the session', () => {
  const ui = useConsole();

  it(
    'answers the liveness check in api-down with "API not listening" and records it',
    { timeout: 60_000 },
    async () => {
      const { page } = ui.browser;
      page.setDefaultTimeout(15_000);
      await openConsole(page, ui.serve);

      // The demo's API goes down: the picker shows the scenario once main has switched it.
      await page.getByRole('tab', { name: 'Install' }).click();
      const demo = page.getByTestId('demo-controls');
      await demo.getByLabel('Scenario').selectOption('api-down');
      await expect.poll(() => demo.textContent(), { timeout: 15_000 }).toContain('connection refused');

      // Open Service Degradation and walk it, so the check lands on a session timeline.
      await page
        .locator('.area.left')
        .getByRole('button', { name: /Service Degradation/ })
        .first()
        .click();
      await page.locator('.rb-title', { hasText: 'Service Degradation' }).waitFor();
      await startWalkThrough(page, 'Service Degradation');

      // The step shows the answers it can give before it runs.
      const step = page.locator('[data-step="liveness"]');
      expect(await step.locator('.rb-answer').allTextContents()).toEqual([
        'OK',
        'API not listening',
        'API hung',
      ]);
      await step.getByRole('button', { name: 'Run & check' }).click();

      // Main's answer: the finding by name, in the finding colour, never FAIL.
      const check = page.getByTestId('check-liveness');
      await expect
        .poll(() => check.getAttribute('data-outcome').catch(() => null), { timeout: 20_000 })
        .toBe('finding');
      const text = (await check.textContent()) ?? '';
      expect(text).toMatch(/^API not listening \(finding\) · seen .*exit 7/);
      expect(text).not.toMatch(/FAIL/i);
      await check.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shots, '1-liveness-finding.png') });

      // The session timeline records the finding on the step's entry.
      await page.getByRole('tab', { name: 'Session' }).click();
      const entry = page.getByTestId('timeline').locator('li', { hasText: 'liveness' });
      await expect
        .poll(
          () =>
            entry
              .locator('.step-answer')
              .getAttribute('data-outcome')
              .catch(() => null),
          { timeout: 8000 },
        )
        .toBe('finding');
      expect(await entry.locator('.step-answer').textContent()).toBe(' · finding API not listening');
      await entry.scrollIntoViewIfNeeded();
      await page.screenshot({ path: path.join(shots, '2-timeline-finding.png') });
    },
  );
});
