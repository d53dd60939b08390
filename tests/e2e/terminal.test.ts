// The embedded terminal end to end: the real serve host, a real bash in a pty, the real renderer in
// Chromium. Typing, resize, tab isolation, exit-code marks, confirmation of mutating run requests,
// reattaching with the buffer after a reload, and the screen a flood leaves.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';

const skip = missingTool('chromium', 'e2e terminal');

/** Buffer text of a terminal pane (the WebGL renderer draws on a canvas, so the panel exposes it). */
async function screen(page: Page, pane = 0): Promise<string> {
  return page
    .locator('[data-testid="terminal-pane"] .term-host')
    .nth(pane)
    .evaluate(
      (el) => (el as HTMLElement & { auraTerminalText?: () => string }).auraTerminalText?.() ?? '',
      undefined,
      { timeout: 5000 },
    );
}

async function waitScreen(page: Page, re: RegExp, pane = 0): Promise<string> {
  let last = '';
  for (let i = 0; i < 150; i++) {
    last = await screen(page, pane);
    if (re.test(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`terminal never showed ${re}; it shows:\n${last}`);
}

function termTabs(page: Page) {
  return page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab');
}

async function typeLine(page: Page, text: string, pane = 0): Promise<void> {
  await page.locator('[data-testid="terminal-pane"]').nth(pane).locator('.xterm').click();
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

describe.skipIf(skip)('terminal panel in Chromium', () => {
  let install = '';
  const ui = useConsole(() => {
    install = tempDir('term-install');
    fs.mkdirSync(path.join(install, 'logs'));
    fs.writeFileSync(path.join(install, 'aura.db'), '');
    return { install };
  });

  beforeAll(async () => {
    // A plain prompt so the screen text is predictable.
    fs.writeFileSync(path.join(ui.serve.home, '.bashrc'), "PS1='e2e$ '\n");
    await openConsole(ui.browser.page, ui.serve);
    await ui.browser.page
      .locator('[data-testid="terminal-pane"] .xterm')
      .first()
      .waitFor({ timeout: 20_000 });
  });

  it('runs a typed command in the install folder and shows its output', async () => {
    const { page } = ui.browser;
    await waitScreen(page, /e2e\$ $/m);
    await typeLine(page, 'echo "out-$((6*7))" in "$PWD"');
    await waitScreen(page, new RegExp(`out-42 in ${install.replace(/[/.]/g, '\\$&')}`));
  });

  it('marks finished commands green or red in the gutter', async () => {
    const { page } = ui.browser;
    const pane = page.locator('[data-testid="terminal-pane"]').first();
    await typeLine(page, 'false');
    await pane.locator('.term-mark-err').first().waitFor({ timeout: 10_000 });
    await typeLine(page, 'true');
    await pane.locator('.term-mark-ok').first().waitFor({ timeout: 10_000 });
    expect(await pane.locator('.term-mark-err').first().getAttribute('data-exit-code')).toBe('1');
  });

  it('reflows to a new size when the window is resized', async () => {
    const { page } = ui.browser;
    await typeLine(page, 'echo "cols=$(tput cols)"');
    const before = Number(/cols=(\d+)/.exec(await waitScreen(page, /cols=\d+/))![1]);
    await page.setViewportSize({ width: 900, height: 860 });
    // The resize reaches the pty a moment later: ask again until it reports fewer columns.
    let after = before;
    const deadline = Date.now() + 10_000;
    for (let i = 0; after >= before && Date.now() < deadline; i++) {
      await typeLine(page, `clear; echo "now${i}=$(tput cols)"`);
      after = Number(
        new RegExp(`now${i}=(\\d+)`).exec(await waitScreen(page, new RegExp(`now${i}=\\d+`)))![1],
      );
    }
    expect(after).toBeLessThan(before);
    // Back to the full width, and wait until the shell has it too: the next tests click and read
    // a terminal laid out at its usual size, not one still being fitted.
    await page.setViewportSize({ width: 1400, height: 860 });
    const back = Date.now() + 20_000;
    for (let i = 0; after < before && Date.now() < back; i++) {
      await typeLine(page, `clear; echo "back${i}=$(tput cols)"`);
      after = Number(
        new RegExp(`back${i}=(\\d+)`).exec(await waitScreen(page, new RegExp(`back${i}=\\d+`)))![1],
      );
    }
    expect(after).toBe(before);
  });

  it('keeps two tabs isolated', async () => {
    const { page } = ui.browser;
    await typeLine(page, 'clear; echo first-tab-only');
    await waitScreen(page, /first-tab-only/);
    await page.getByRole('button', { name: 'New terminal' }).click();
    await termTabs(page).nth(1).waitFor();
    await waitScreen(page, /e2e\$ $/m);
    await typeLine(page, 'echo second-tab-only');
    const second = await waitScreen(page, /second-tab-only/);
    expect(second).not.toContain('first-tab-only');
    await termTabs(page).first().click();
    const first = await waitScreen(page, /first-tab-only/);
    expect(first).not.toContain('second-tab-only');
  });

  it('asks before a mutating run request and sends nothing until confirmed', async () => {
    const { page } = ui.browser;
    const marker = path.join(install, 'created-by-run');
    const command = `touch '${marker}'`;
    await page.evaluate(
      (c) => window.dispatchEvent(new CustomEvent('aura-ops:terminal-run', { detail: { command: c } })),
      command,
    );
    const dialog = page.getByTestId('confirm-command');
    await dialog.waitFor();
    expect(await page.getByTestId('confirm-command-text').innerText()).toBe(command);
    expect(fs.existsSync(marker)).toBe(false);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    // The shell runs its input in order: once a line typed after Cancel has run, a command sent
    // before it would have run too. It was not sent.
    await typeLine(page, 'clear; echo after-cancel');
    expect(await waitScreen(page, /^after-cancel$/m)).not.toContain('created-by-run');
    expect(fs.existsSync(marker)).toBe(false);

    await page.evaluate(
      (c) => window.dispatchEvent(new CustomEvent('aura-ops:terminal-run', { detail: { command: c } })),
      command,
    );
    await dialog.getByRole('button', { name: 'Run' }).click();
    for (let i = 0; i < 100 && !fs.existsSync(marker); i++) await page.waitForTimeout(100);
    expect(fs.existsSync(marker)).toBe(true);
  });

  it('asks before a run request with control characters and shows them escaped', async () => {
    const { page } = ui.browser;
    const marker = path.join(install, 'created-after-cr');
    const command = `echo checking disk\x0ftouch '${marker}'\recho done`;
    await page.evaluate(
      (c) => window.dispatchEvent(new CustomEvent('aura-ops:terminal-run', { detail: { command: c } })),
      command,
    );
    const dialog = page.getByTestId('confirm-command');
    await dialog.waitFor();
    expect(await page.getByTestId('confirm-command-text').innerText()).toBe(
      `echo checking disk^Otouch '${marker}'\\recho done`,
    );
    expect(await page.getByTestId('confirm-command-hidden').innerText()).toMatch(/control characters/);
    expect(await dialog.innerText()).toMatch(/control characters \^O/);
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await dialog.waitFor({ state: 'detached' });
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('runs a read-only run request without asking', async () => {
    const { page } = ui.browser;
    await typeLine(page, 'clear; echo cleared');
    await waitScreen(page, /^cleared\ne2e\$ $/m);
    // Idle as the console sees it (the command's end reaches the tab strip after the prompt reaches
    // the screen): only then does the request go to this terminal rather than a new one.
    await expect
      .poll(() => page.getByRole('tablist', { name: 'Terminals' }).locator('.term-busy').count(), {
        timeout: 10_000,
      })
      .toBe(0);
    await page.evaluate(() =>
      window.dispatchEvent(
        new CustomEvent('aura-ops:terminal-run', { detail: { command: 'echo "ro-$(seq 5 5)"' } }),
      ),
    );
    await waitScreen(page, /ro-5/);
    expect(await page.getByTestId('confirm-command').count()).toBe(0);
    expect(await termTabs(page).count()).toBe(2);
  });

  it('reattaches after a reload with the buffer and the marks', async () => {
    const { page } = ui.browser;
    await typeLine(page, 'echo before-reload-$((40+2))');
    await waitScreen(page, /before-reload-42/);
    const tabsBefore = await termTabs(page).allInnerTexts();
    await page.reload();
    await page.locator('[data-testid="terminal-pane"] .xterm').first().waitFor({ timeout: 20_000 });
    await waitScreen(page, /before-reload-42/);
    await page
      .locator('[data-testid="terminal-pane"]')
      .first()
      .locator('.term-mark-ok')
      .first()
      .waitFor({ timeout: 10_000 });
    expect(await termTabs(page).allInnerTexts()).toEqual(tabsBefore);
    await typeLine(page, 'echo after-reload');
    await waitScreen(page, /after-reload\s/);
  });
  it('ends a flood with the whole scrollback in order, up to the last line', async () => {
    const { page } = ui.browser;
    // ~2.7 MB of numbered lines: more than the renderer keeps (5,000 rows of scrollback), so held
    // output may be cut on the way; what the terminal holds at the end must not show it.
    await typeLine(page, 'clear; seq 1 400000; echo flood-$((40+2))-done');
    const text = await waitScreen(page, /^flood-42-done$/m);
    const numbers = text
      .split('\n')
      .filter((l) => /^\d+$/.test(l.trim()))
      .map(Number);
    expect(numbers[numbers.length - 1]).toBe(400_000);
    expect(numbers.length).toBeGreaterThanOrEqual(4_990);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true);
  });

  it('ends a progress flood (a cursor move up and back down on every line) the same way', async () => {
    const { page } = ui.browser;
    // Cut like plain lines since the cut follows the cursor: the rows the terminal holds at the end
    // are the last ones, in order, none drawn twice or left blank.
    await typeLine(page, "clear; seq 1 300000 | sed 's/$/\\x1b[A\\x1b[B/'; echo progress-$((40+2))-done");
    const text = await waitScreen(page, /^progress-42-done$/m);
    const rows = text.split('\n').map((l) => l.trim());
    const numbers = rows.filter((l) => /^\d+$/.test(l)).map(Number);
    expect(numbers[numbers.length - 1]).toBe(300_000);
    expect(numbers.length).toBeGreaterThanOrEqual(4_990);
    expect(numbers.every((n, i) => i === 0 || n === numbers[i - 1]! + 1)).toBe(true);
    const last = rows.lastIndexOf('300000');
    expect(rows[last + 1]).toBe('progress-42-done');
  });

  it('saves terminal settings from the popover: refuses a missing shell, applies font and shell', async () => {
    const { page } = ui.browser;
    const open = async () => {
      await page.getByRole('button', { name: 'Terminal settings' }).click();
      const dlg = page.getByTestId('terminal-settings');
      await dlg.waitFor();
      return dlg;
    };
    let dlg = await open();
    await dlg.getByLabel('Shell').fill('/nope/zsh');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dlg.getByRole('alert').innerText()).toMatch(/"\/nope\/zsh" was not found/);
    await dlg.getByLabel('Font size').fill('99');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await expect.poll(() => dlg.getByRole('alert').innerText()).toMatch(/Font size must be .* 8 to 32/);

    await dlg.getByLabel('Shell').fill('/bin/sh');
    await dlg.getByLabel('Font size').fill('17');
    await dlg.getByRole('button', { name: 'Save' }).click();
    await dlg.waitFor({ state: 'detached' });
    // The DOM renderer (headless Chromium has only software GL, so the panel picks it) shows the font.
    const pane = page.locator('[data-testid="terminal-pane"] .term-host').first();
    await expect
      .poll(() => pane.evaluate((el) => getComputedStyle(el.querySelector('.xterm-rows')!).fontSize))
      .toBe('17px');

    // The settings live on the main side: a reload shows them, and a new terminal runs the saved shell.
    await page.reload();
    await page.locator('[data-testid="terminal-pane"] .xterm').first().waitFor({ timeout: 20_000 });
    dlg = await open();
    expect(await dlg.getByLabel('Shell').inputValue()).toBe('/bin/sh');
    expect(await dlg.getByLabel('Font size').inputValue()).toBe('17');
    await dlg.getByRole('button', { name: 'Cancel' }).click();
    const before = await termTabs(page).count();
    await page.getByRole('button', { name: 'New terminal' }).click();
    await termTabs(page).nth(before).waitFor();
    await expect.poll(() => termTabs(page).nth(before).getAttribute('title')).toMatch(/^\/bin\/sh in /);
  });
});
