// The aura.db inspector in the real UI on the demo install: the overview with the schema state,
// browsing JobQueue to a failed job's LastError, the read-only SQL console with its history kept in
// ops.db, and the quick check.
import { describe, expect, it } from 'vitest';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { openConsole } from './harness';

const skip = missingTool('chromium', 'e2e database');

describe.skipIf(skip)('aura.db inspector on the demo install', () => {
  const ui = useConsole();

  /** Each test starts from a fresh load of the console on the Database tab (none relies on another). */
  async function openDatabase() {
    const { page } = ui.browser;
    await openConsole(page, ui.serve);
    await page.getByRole('tab', { name: 'Database' }).click();
    const panel = page.locator('.db-panel');
    await panel.locator('.db-tab', { hasText: 'Overview' }).click({ timeout: 20_000 });
    return { page, panel };
  }

  it('shows the overview: schema state and tables with row counts', { timeout: 40_000 }, async () => {
    const { panel } = await openDatabase();
    const jobs = panel.locator('.db-tables tr[data-table="JobQueue"]');
    await jobs.waitFor({ timeout: 20_000 });
    // The demo install has every migration Aura ships applied.
    await expect
      .poll(() => panel.locator('.db-facts').textContent())
      .toMatch(/Schema\s*current: Schema is current/);
    expect(await panel.locator('.db-facts').textContent()).toMatch(/Journal mode\s*wal/);
    const cells = await jobs.locator('td').allTextContents();
    expect(Number(cells[1].replace(/\D/g, ''))).toBeGreaterThan(0);
    expect(await panel.locator('.db-tables tr[data-table="ProjectStates"]').count()).toBe(1);
  });

  it("browses JobQueue and shows a failed job's LastError", { timeout: 40_000 }, async () => {
    const { panel } = await openDatabase();
    await panel.locator('.db-tab', { hasText: 'Browse' }).click();
    await panel.getByLabel('Table or view').selectOption('JobQueue');
    await panel.locator('.db-grid tbody tr').first().waitFor();
    expect(await panel.getByText('ordered by JobId, rowid').count()).toBe(1);
    await panel.getByLabel('Filter column').selectOption('Status');
    await panel.getByLabel('Filter value').fill('Failed');
    await panel.getByRole('button', { name: 'Apply' }).click();
    const statusesShown = async (): Promise<string[]> => {
      const i = (await panel.locator('.db-grid thead th').allTextContents()).findIndex((t) =>
        t.startsWith('Status'),
      );
      return i < 0 ? [] : panel.locator(`.db-grid tbody tr td:nth-child(${i + 1})`).allTextContents();
    };
    await expect
      .poll(async () => [...new Set(await statusesShown())], { timeout: 10_000 })
      .toEqual(['Failed']);
    await panel.locator('.db-grid tbody tr').first().click();
    const lastError = panel.locator('.db-record-field[data-column="LastError"] dd');
    await lastError.waitFor();
    const text = (await lastError.textContent()) ?? '';
    expect(text).not.toBe('NULL');
    expect(text.length).toBeGreaterThan(10);
  });

  it('runs a SELECT, refuses DELETE as read-only, and keeps the history', { timeout: 40_000 }, async () => {
    const { page, panel } = await openDatabase();
    await panel.locator('.db-tab', { hasText: 'SQL' }).click();
    const editor = panel.locator('textarea.db-editor');
    await editor.fill(`SELECT "JobId", "Status" FROM "JobQueue" WHERE "Status" = 'Failed'`);
    await panel.getByRole('button', { name: 'Run (Ctrl+Enter)' }).click();
    await panel.locator('.db-sql .db-grid tbody tr').first().waitFor();
    const statuses = await panel.locator('.db-sql .db-grid tbody tr td:nth-child(2)').allTextContents();
    expect(statuses.length).toBeGreaterThan(0);
    expect(new Set(statuses)).toEqual(new Set(['Failed']));

    await editor.fill('DELETE FROM JobQueue');
    await panel.getByRole('button', { name: 'Run (Ctrl+Enter)' }).click();
    const alert = panel.getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toMatch(/read-only/);

    // The history lives in ops.db: after a reload both statements are still listed, newest first.
    await page.reload();
    await page.getByRole('tab', { name: 'Database' }).click();
    await panel.locator('.db-tab', { hasText: 'SQL' }).click();
    await expect
      .poll(() => panel.locator('.db-lists summary').textContent(), { timeout: 10_000 })
      .toMatch(/History \(2\)/);
    await panel.locator('.db-lists summary').click();
    const items = await panel.locator('.db-lists button.db-side-item').allTextContents();
    expect(items.slice(0, 2)).toEqual([
      'DELETE FROM JobQueue',
      `SELECT "JobId", "Status" FROM "JobQueue" WHERE "Status" = 'Failed'`,
    ]);
  });

  it('runs the quick check and reports ok', { timeout: 40_000 }, async () => {
    const { panel } = await openDatabase();
    await panel.locator('.db-tab', { hasText: 'Health' }).click();
    await panel.getByRole('button', { name: 'Quick check' }).click();
    const ok = panel.locator('.db-health .db-ok');
    await ok.waitFor({ timeout: 20_000 });
    expect(await ok.textContent()).toMatch(/^OK: quick check of \d+ tables/);
    expect(await panel.locator('.db-health .db-err-text').count()).toBe(0);
  });
});
