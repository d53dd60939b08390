// Adding a log folder from the Logs panel, in Chromium against the real serve host: system folders
// are refused, a folder outside the install and home needs its full path typed, and then opens.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';
import { connect } from './serve-client';

const skip = missingTool('chromium', 'e2e log roots');

describe.skipIf(skip)('adding a log folder', () => {
  const ui = useConsole({ args: ['--no-demo'] });

  it('refuses / and /etc, asks for the typed path elsewhere, then opens files there', async () => {
    const { page } = ui.browser;
    await openConsole(page, ui.serve);
    await page
      .getByRole('tab', { name: 'Logs' })
      .first()
      .click()
      .catch(() => undefined);
    const panel = page.getByTestId('logs-panel');
    await panel.waitFor({ timeout: 20_000 });
    await panel.getByRole('button', { name: 'Add log folder…' }).click();
    const form = page.getByTestId('logs-add-root');
    const folder = form.getByLabel('Log folder to add');

    await folder.fill('/');
    await form.getByRole('button', { name: 'Add folder' }).click();
    await expect.poll(() => form.textContent()).toContain('root of the file system');
    await folder.fill('/etc');
    await form.getByRole('button', { name: 'Add folder' }).click();
    await expect.poll(() => form.textContent()).toContain('system folder');
    expect(await page.getByTestId('logs-add-root-confirm').count()).toBe(0);

    const dir = fs.realpathSync(tempDir('extra-logs'));
    fs.writeFileSync(
      path.join(dir, 'aura-api-20251208.log'),
      '[2025-12-08 09:14:02.118 +00:00] [INF] [] [] [] extra folder line\n',
    );
    await folder.fill(dir);
    await form.getByRole('button', { name: 'Add folder' }).click();
    const confirm = page.getByTestId('logs-add-root-confirm');
    await confirm.waitFor();
    expect(await confirm.textContent()).toContain(`type its full path: ${dir}`);
    await confirm.getByLabel("Type the folder's full path to confirm").fill('yes');
    await confirm.getByRole('button', { name: 'Add it anyway' }).click();
    await expect.poll(() => form.textContent()).toContain('not the full path');
    await confirm.getByLabel("Type the folder's full path to confirm").fill(dir);
    await confirm.getByRole('button', { name: 'Add it anyway' }).click();
    await expect.poll(() => page.getByTestId('logs-add-root').count()).toBe(0);

    // The host kept the folder (and not / or /etc), and a file in it opens in a pane.
    const c = await connect(ui.serve);
    try {
      const { roots } = await c.call<{ roots: string[] }>('logs:sources', {});
      expect(roots).toContain(dir);
      expect(roots).not.toContain('/');
      expect(roots).not.toContain('/etc');
    } finally {
      c.close();
    }
    await panel.getByLabel('Log file path').fill(path.join(dir, 'aura-api-20251208.log'));
    await panel.getByLabel('Log file path').press('Enter');
    await expect.poll(() => panel.textContent(), { timeout: 15_000 }).toContain('extra folder line');
  });
});
