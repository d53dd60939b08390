// Walk-through sessions in the real UI: start an incident, record notes and a deviation, see the
// escalation clock, restart the console and find the session intact, export the report.
import fs from 'node:fs';
import { describe, expect, it } from 'vitest';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { openConsole } from './harness';

const skip = missingTool('chromium', 'e2e session');

describe.skipIf(skip)('walk-through sessions', () => {
  const ui = useConsole({ args: ['--no-demo'] });

  it(
    'records an incident, survives a restart, and exports the timeline in order',
    { timeout: 60_000 },
    async () => {
      const { page } = ui.browser;
      await openConsole(page, ui.serve);
      await page.getByRole('tab', { name: 'Session' }).click();
      const panel = page.getByTestId('session-panel');
      await panel.getByLabel('Kind').selectOption('incident');
      await panel.getByLabel('Title').fill('API answers 503');
      await panel.getByLabel('Severity').selectOption('SEV-2');
      await panel.getByRole('button', { name: 'Start' }).click();
      await page.getByTestId('escalation').waitFor();
      expect(await page.getByTestId('escalation').textContent()).toContain('Level 1');
      expect(await page.getByTestId('escalation').textContent()).toContain(
        'SEV-2 response time: <15 minutes',
      );

      await panel.getByLabel('Note').fill('Checked /health/ready: 503');
      await page.getByRole('button', { name: 'Add note' }).click();
      await expect
        .poll(() => page.getByTestId('timeline').textContent(), { timeout: 8000 })
        .toContain('Checked /health/ready: 503');
      await panel.getByLabel('Note').fill('Did not restart: a render job was running');
      await page.getByRole('button', { name: 'Record deviation' }).click();
      await expect
        .poll(() => page.getByTestId('timeline').textContent(), { timeout: 8000 })
        .toContain('Deviation: Did not restart');

      // Restart the console on the same data dir: the session is still there, still current.
      await ui.restart();
      await openConsole(page, ui.serve);
      await page.getByRole('tab', { name: 'Session' }).click();
      await expect
        .poll(() => page.getByTestId('timeline').textContent(), { timeout: 10_000 })
        .toContain('Did not restart');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export report (Markdown)' }).click(),
      ]);
      const file = await download.path();
      const md = fs.readFileSync(file!, 'utf8');
      expect(md).toContain('# Incident report: API answers 503');
      expect(md).toContain('SEV-2 (High)');
      const a = md.indexOf('Note: Checked /health/ready: 503');
      const b = md.indexOf('**Deviation**: Did not restart');
      expect(a).toBeGreaterThan(0);
      expect(b).toBeGreaterThan(a);
    },
  );
});
