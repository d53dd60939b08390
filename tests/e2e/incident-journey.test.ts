// The incident journey in the real UI on the demo install: api-down -> triage SEV-1 -> open the
// triage's runbook and walk it (SEV-1 carried, triage snapshot first) -> three checks -> decline a
// mutating step -> a note -> back to healthy -> Verify (before/after) -> Resolve with a summary and
// an action item -> export; the report holds milestones in order, each step once, the declined
// step as declined, the impact start, before/after and the action item.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';
import { startWalkThrough } from './runbook-ui';

const skip = missingTool('chromium', 'e2e incident journey');
/** Screenshots for a person to look at: in JOURNEY_SHOTS when set (kept), else a temp folder. */
const shots = process.env.JOURNEY_SHOTS ?? tempDir('journey-shots');
fs.mkdirSync(shots, { recursive: true });

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

async function scenario(page: Page, name: string) {
  await page.getByRole('tab', { name: 'Install' }).click();
  await page.getByTestId('demo-controls').getByLabel('Scenario').selectOption(name);
}

describe.skipIf(skip)('the incident journey', () => {
  const ui = useConsole();

  it(
    'goes from a SEV-1 triage to a post-mortem draft that tells the truth',
    { timeout: 180_000 },
    async () => {
      const { page } = ui.browser;
      page.setDefaultTimeout(15_000);
      await openConsole(page, ui.serve);
      await expect
        .poll(() => page.getByTestId('recording-indicator').textContent(), { timeout: 10_000 })
        .toBe('Not recording');

      // The API goes down; the triage says SEV-1 and names Service Degradation.
      await scenario(page, 'api-down');
      await page.getByRole('tab', { name: 'Health' }).click();
      const triage = page.getByRole('region', { name: 'Triage' });
      await expect
        .poll(
          async () => {
            await page
              .getByRole('button', { name: /Refresh now|Checking/ })
              .click()
              .catch(() => undefined);
            return (await triage.textContent().catch(() => '')) ?? '';
          },
          { timeout: 30_000, interval: 1500 },
        )
        .toContain('SEV-1');
      await triage.getByRole('button', { name: 'Service Degradation' }).click();
      await page.locator('.rb-title', { hasText: 'Service Degradation' }).waitFor();

      // Walk through: the incident carries the triage's SEV-1, not the runbook's severity.
      await startWalkThrough(page, 'Service Degradation');
      await page.getByRole('tab', { name: 'Session' }).click();
      await expect
        .poll(() => page.getByTestId('escalation').textContent(), { timeout: 8000 })
        .toContain('SEV-1 response time: Immediate');
      const timeline = page.getByTestId('timeline');
      expect(await timeline.locator('li').first().getAttribute('data-type')).toBe('triage');
      expect(await timeline.locator('li').first().textContent()).toContain('Triage SEV-1');

      // Three checks, each with main's verdict shown next to its step.
      for (const name of ['request-balance', 'recent-stats', 'liveness']) {
        await page.locator(`[data-step="${name}"]`).getByRole('button', { name: 'Run & check' }).click();
        await expect
          .poll(
            () =>
              page
                .getByTestId(`check-${name}`)
                .getAttribute('data-outcome')
                .catch(() => ''),
            { timeout: 30_000 },
          )
          .toMatch(/^(ok|warn|finding|unexpected|error)$/);
      }
      expect(await page.getByTestId('check-request-balance').getAttribute('data-outcome')).toBe('ok');

      // The mutating step (kill the API process) asks; the operator cancels.
      const kill = page.locator('[data-step]', { hasText: 'kill "$(pgrep -f Aura.Api' });
      const killId = await kill.getAttribute('data-step');
      await kill.getByRole('button', { name: 'Run', exact: true }).click();
      const dialog = page.getByTestId('confirm-command');
      await dialog.waitFor();
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await expect.poll(() => timeline.textContent(), { timeout: 8000 }).toContain(`Declined step ${killId}`);

      // A note; browsing all sessions does not stop recording.
      const panel = page.getByTestId('session-panel');
      await panel.getByLabel('Note').fill('Port 5005 refuses connections; FTL line in the API log');
      await panel.getByRole('button', { name: 'Add note' }).click();
      await expect.poll(() => timeline.textContent(), { timeout: 8000 }).toContain('Port 5005 refuses');
      // A log record pinned from its details lands on the timeline with its file and line.
      const mainLog = page.getByTestId('log-pane-Main log (aura-api)');
      // A row is drawn before its record arrives, and a click on that placeholder opens nothing:
      // click a row that holds its record (it carries the record's time).
      const loadedRow = mainLog.locator('[data-testid="log-row"][data-time]').first();
      await loadedRow.waitFor({ timeout: 15_000 });
      await loadedRow.click();
      // The details open on the clicked record (a failure here is the click, not the pin).
      await mainLog.locator('.logs-detail').waitFor({ timeout: 10_000 });
      await mainLog.getByRole('button', { name: 'Pin to session' }).click();
      await mainLog.getByRole('button', { name: 'Pinned' }).waitFor();
      await expect
        .poll(() => timeline.textContent(), { timeout: 8000 })
        .toMatch(/Pinned log record aura-api-\d{8}(_\d{3})?\.log:\d+/);
      await shot(page, '1-incident-active');
      await panel.getByRole('button', { name: 'All sessions' }).click();
      expect(await page.getByTestId('recording-indicator').textContent()).toContain(
        'Recording: Service Degradation',
      );
      await panel.getByRole('button', { name: 'Service Degradation' }).click();

      // The fix: the scenario goes back to healthy, and the operator notes it; Verify reads the logs
      // from that note on, so the crash that started it all does not keep it red.
      await scenario(page, 'healthy');
      await page.getByRole('tab', { name: 'Session' }).click();
      await panel.getByLabel('Note').fill('Switched the demo scenario back to healthy');
      await panel.getByRole('button', { name: 'Add note' }).click();
      await expect
        .poll(() => timeline.textContent(), { timeout: 8000 })
        .toContain('Switched the demo scenario');
      const verifyTable = page.getByTestId('verify-table');
      await expect
        .poll(
          async () => {
            if (!(await page.getByRole('button', { name: 'Verifying…' }).isVisible()))
              await panel.getByRole('button', { name: 'Verify', exact: true }).click();
            await page.getByRole('button', { name: 'Verify', exact: true }).waitFor({ timeout: 30_000 });
            return (await verifyTable.textContent().catch(() => '')) ?? '';
          },
          { timeout: 90_000, interval: 3000 },
        )
        .toMatch(/: green/);
      expect(await verifyTable.textContent()).toMatch(/Triage \(logs since [\d:]+ UTC\)SEV-1 \(\w+\)SEV-4/);
      await shot(page, '2-verified');

      // Resolve asks for a summary and action items with an owner.
      await panel.getByRole('button', { name: 'Resolve' }).click();
      const form = page.getByTestId('resolve-form');
      await form.getByRole('button', { name: 'Resolve incident' }).click();
      expect(await form.getByRole('alert').textContent()).toContain('Write a summary');
      await form
        .getByLabel('Summary')
        .fill('The API process had exited; the demo scenario was switched back and the API answered again.');
      await form.getByLabel('Contributing factors').fill('No alert fired on the FTL line');
      await form.getByLabel('Action item 1').fill('Alert on FTL lines in aura-api logs');
      await form.getByLabel('Owner 1').fill('Dana (on-call)');
      await shot(page, '3-resolve-form');
      await form.getByRole('button', { name: 'Resolve incident' }).click();
      await expect.poll(() => panel.textContent(), { timeout: 8000 }).toContain('· resolved');
      await expect
        .poll(() => page.getByTestId('recording-indicator').textContent(), { timeout: 8000 })
        .toBe('Not recording');
      await shot(page, '4-resolved');

      const [download] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: 'Export report (Markdown)' }).click(),
      ]);
      const md = fs.readFileSync((await download.path())!, 'utf8');
      fs.writeFileSync(path.join(shots, 'report.md'), md);
      console.log(`incident journey screenshots and report: ${shots}`);

      expect(md).toContain('# Incident report: Service Degradation');
      expect(md).toContain('SEV-1 (Critical)');
      // Milestones in order, each with a time.
      const rows = ['Detected', 'Acknowledged', 'Mitigated', 'Resolved'].map(
        (m) => new RegExp(`^\\| ${m} \\| (\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d)`, 'm').exec(md)?.[1],
      );
      expect(rows.every(Boolean)).toBe(true);
      expect([...rows].sort()).toEqual(rows);
      // Each step once in the timeline; the declined one as declined.
      const timelineMd = md.slice(md.indexOf('## Timeline'), md.indexOf('## Verify'));
      for (const name of ['request-balance', 'recent-stats', 'liveness'])
        expect(timelineMd.split(`step **${name}**`).length - 1).toBe(1);
      expect(timelineMd).toContain(`**Declined** step **${killId}**`);
      expect(timelineMd).not.toContain(`Ran step **${killId}**`);
      expect(timelineMd).not.toContain('Command finished');
      // The impact start comes from the first FTL record in the API log, with file and line.
      expect(md).toMatch(
        /- \*\*Impact start\*\*: \d{4}-\d\d-\d\d \d\d:\d\d:\d\d .* \(first record of the symptom in `[^`]*aura-api-\d{8}\.log:\d+`\)/,
      );
      expect(md).toMatch(/\| Triage \(logs since [\d:]+ UTC\) \| SEV-1 \(\w+\) \| SEV-4 \(\w+\) \| ok \|/);
      expect(md).toContain('| Alert on FTL lines in aura-api logs | Dana (on-call) |');
      expect(md).toContain('- No alert fired on the FTL line');
      // The pinned record is evidence, with file and line, once.
      expect(timelineMd.split('Pinned log record').length - 1).toBe(1);
      expect(md).toMatch(/Log record aura-api-\d{8}(_\d{3})?\.log:\d+/);
    },
  );
});
