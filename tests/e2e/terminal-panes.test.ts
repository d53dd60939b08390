// Terminal tabs and panes as the operator uses them: "+" gives the keyboard to the new terminal,
// Find searches the pane the operator is in, split/unsplit leaves every earlier line as it was,
// the terminal takes the console's theme, and dragging a splitter selects no text.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';

const skip = missingTool('chromium', 'e2e terminal panes');

const panes = (page: Page) => page.locator('[data-testid="terminal-pane"]');
const termTabs = (page: Page) => page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab');

/** Buffer text of a shown pane, row by row (soft-wrapped rows as they are drawn). */
async function screen(page: Page, pane: number): Promise<string> {
  return panes(page)
    .nth(pane)
    .locator('.term-host')
    .evaluate((el) => (el as HTMLElement & { auraTerminalText?: () => string }).auraTerminalText?.() ?? '');
}

/** The pane's lines with soft wraps joined: the same at any width when nothing was garbled. */
async function logicalLines(page: Page, pane: number): Promise<string[]> {
  return panes(page)
    .nth(pane)
    .locator('.term-host')
    .evaluate(
      (el) => (el as HTMLElement & { auraTerminalLines?: () => string[] }).auraTerminalLines?.() ?? [],
    );
}

async function waitScreen(page: Page, re: RegExp, pane = 0): Promise<string> {
  const deadline = Date.now() + 15_000;
  let last = '';
  while (Date.now() < deadline) {
    last = await screen(page, pane);
    if (re.test(last)) return last;
    await page.waitForTimeout(100);
  }
  throw new Error(`pane ${pane} never showed ${re}; it shows:\n${last}`);
}

/** The session id drawn in a shown pane (xterm's element carries it). */
const paneSession = (page: Page, pane: number) =>
  panes(page).nth(pane).locator('.xterm').getAttribute('data-session-id');

async function cols(page: Page, pane: number): Promise<number> {
  return panes(page)
    .nth(pane)
    .locator('.term-host')
    .evaluate((el) => (el as HTMLElement & { auraTerminalCols?: () => number }).auraTerminalCols?.() ?? 0);
}

describe.skipIf(skip)('terminal tabs and panes in Chromium', () => {
  const ui = useConsole(() => {
    const install = tempDir('panes-install');
    fs.mkdirSync(path.join(install, 'logs'));
    fs.writeFileSync(path.join(install, 'aura.db'), '');
    return { install };
  });

  beforeAll(async () => {
    fs.writeFileSync(path.join(ui.serve.home, '.bashrc'), "PS1='e2e$ '\n");
    const { page } = ui.browser;
    page.setDefaultTimeout(15_000);
    await page.setViewportSize({ width: 1280, height: 800 });
    await openConsole(page, ui.serve);
    await panes(page).first().locator('.xterm').waitFor({ timeout: 20_000 });
    await waitScreen(page, /e2e\$ $/m);
  });

  it('gives the keyboard to the terminal a click on "+" opened', async () => {
    const { page } = ui.browser;
    const before = await termTabs(page).count();
    const oldSession = await paneSession(page, 0);
    await page.getByRole('button', { name: 'New terminal' }).click();
    await expect.poll(() => termTabs(page).count()).toBe(before + 1);
    // The new terminal is the one shown, and it has the keyboard (its cursor is the focused one)
    // before anything is typed: until then pane 0 may still draw the old tab, whose prompt is the same.
    await expect.poll(() => paneSession(page, 0)).not.toBe(oldSession);
    const focusedSession = () =>
      page.evaluate(() => document.activeElement?.closest('.xterm')?.getAttribute('data-session-id') ?? null);
    await expect.poll(focusedSession).toBe(await paneSession(page, 0));
    await waitScreen(page, /e2e\$ $/m);
    // Typed straight away, without a click into the terminal: spaces and Enter must not reach "+".
    await page.keyboard.type('echo typed into the new tab');
    await page.keyboard.press('Enter');
    await waitScreen(page, /^typed into the new tab$/m);
    expect(await termTabs(page).count()).toBe(before + 1);
    expect(await termTabs(page).nth(before).getAttribute('aria-selected')).toBe('true');
    expect(
      await page.evaluate(() => document.activeElement?.closest('.xterm')?.getAttribute('data-session-id')),
    ).toBe(await paneSession(page, 0));
  });

  it('searches the pane the operator is in, and a click leaves the panes where they are', async () => {
    const { page } = ui.browser;
    await page.getByRole('button', { name: 'Split' }).click();
    await expect.poll(() => panes(page).count()).toBe(2);
    const [left, right] = [await paneSession(page, 0), await paneSession(page, 1)];
    for (const pane of [1, 0, 1]) {
      await panes(page).nth(pane).locator('.xterm').click();
      // The panes keep their places: the right one does not jump to the left when clicked.
      expect([await paneSession(page, 0), await paneSession(page, 1)]).toEqual([left, right]);
      await page.getByRole('button', { name: 'Find' }).click();
      const search = page.getByRole('search');
      await search.waitFor();
      expect(await panes(page).nth(pane).getByRole('search').count()).toBe(1);
      await search.getByLabel('Find in terminal').press('Escape');
      await expect.poll(() => page.getByRole('search').count()).toBe(0);
    }
    await page.getByRole('button', { name: 'Unsplit' }).click();
    await expect.poll(() => panes(page).count()).toBe(1);
  });

  it('keeps every earlier line intact through split and unsplit (reflow, no replay)', async () => {
    const { page } = ui.browser;
    if ((await termTabs(page).count()) < 2) {
      await page.getByRole('button', { name: 'New terminal' }).click();
      await expect.poll(() => termTabs(page).count()).toBe(2);
    }
    // The second tab, seen at full width first, is the one the split shows on the right.
    await termTabs(page).nth(1).click();
    await panes(page).first().locator('.xterm').click();
    const long = 'x'.repeat(110);
    await waitScreen(page, /e2e\$ $/m);
    await page.keyboard.type(`clear; echo "other-${long}"`);
    await page.keyboard.press('Enter');
    await waitScreen(page, /^other-x+\n(x+\n)*e2e\$ $/m);
    // The shell and the view agree on the width (else every wrapped line is drawn wrong).
    await page.keyboard.type('echo "width=$(tput cols)"');
    await page.keyboard.press('Enter');
    const shellCols = Number(/width=(\d+)/.exec(await waitScreen(page, /width=\d+/))![1]);
    expect(shellCols).toBe(await cols(page, 0));
    // A command line edited back across its wrap: the shell moves the cursor up a row to redraw
    // it, a move that only means the same thing at the width it was made at.
    await page.keyboard.type(`echo ${'a'.repeat(100)}`);
    for (let i = 0; i < 70; i++) await page.keyboard.press('Backspace');
    await page.keyboard.type('b'.repeat(8));
    await page.keyboard.press('Enter');
    await waitScreen(page, /^a{30}b{8}$/m);
    const otherBefore = await logicalLines(page, 0);
    const otherId = await paneSession(page, 0);
    // Long output lines and a long command line in the first: both wrap when the pane halves.
    await termTabs(page).first().click();
    await panes(page).first().locator('.xterm').click();
    // A prompt longer than half the pane: the shell redraws it when the width changes.
    await page.keyboard.type(`PS1='[${'p'.repeat(50)}]$ '`);
    await page.keyboard.press('Enter');
    await page.keyboard.type('echo first-command');
    await page.keyboard.press('Enter');
    await waitScreen(page, /^first-command$/m);
    await page.keyboard.type(`for i in 1 2 3; do echo "row$i-${long}"; done; echo "${'y'.repeat(70)}-end"`);
    await page.keyboard.press('Enter');
    await waitScreen(page, /-end\n\[p+\n?p*\]\$ $/m);
    const mainBefore = await logicalLines(page, 0);
    const wide = await cols(page, 0);

    for (let round = 0; round < 2; round++) {
      await page.getByRole('button', { name: 'Split' }).click();
      await expect.poll(() => panes(page).count()).toBe(2);
      await expect.poll(() => cols(page, 0)).toBeLessThan(wide);
      expect(await paneSession(page, 1)).toBe(otherId);
      expect(await logicalLines(page, 1)).toEqual(otherBefore);
      expect(await logicalLines(page, 0)).toEqual(mainBefore);
      await page.getByRole('button', { name: 'Unsplit' }).click();
      await expect.poll(() => panes(page).count()).toBe(1);
      await expect.poll(() => cols(page, 0)).toBe(wide);
      expect(await logicalLines(page, 0)).toEqual(mainBefore);
    }
  });

  it('draws the terminal in the console theme, and follows a switch', async () => {
    const { page } = ui.browser;
    // What the operator sees: the first opaque background under a point at the foot of the
    // terminal (below its rows, where the black band was) and under a point in its rows.
    const colours = () =>
      page.evaluate(() => {
        const under = (x: number, y: number) => {
          for (let el = document.elementFromPoint(x, y); el; el = el.parentElement) {
            const bg = getComputedStyle(el).backgroundColor;
            if (bg !== 'rgba(0, 0, 0, 0)' && bg !== 'transparent') return bg;
          }
          return 'none';
        };
        const host = document
          .querySelector('[data-testid="terminal-pane"] .term-host')!
          .getBoundingClientRect();
        return {
          bodyBg: getComputedStyle(document.body).backgroundColor,
          termBg: under(host.left + 60, host.bottom - 2),
          rowsBg: under(host.left + 60, host.top + host.height / 2),
        };
      });
    for (let i = 0; i < 2; i++) {
      const before = await colours();
      expect(before.termBg).toBe(before.bodyBg);
      expect(before.rowsBg).toBe(before.bodyBg);
      await page.getByRole('button', { name: 'Toggle theme' }).click();
      await expect.poll(async () => (await colours()).bodyBg).not.toBe(before.bodyBg);
      await expect
        .poll(async () => {
          const c = await colours();
          return c.termBg === c.bodyBg && c.rowsBg === c.bodyBg;
        })
        .toBe(true);
    }
  });

  it('folds Split, Find and settings into a menu when the terminal column is narrow', async () => {
    const { page } = ui.browser;
    const more = page.getByRole('button', { name: 'More terminal actions' });
    expect(await more.isVisible()).toBe(false);
    // Widen the side column from the keyboard until the terminal panel is narrow.
    const sideSplitter = page.locator('.workspace > .splitter.horizontal').last();
    for (let i = 0; i < 20 && !(await more.isVisible()); i++) await sideSplitter.press('ArrowLeft');
    await expect.poll(() => more.isVisible()).toBe(true);
    expect(await page.getByRole('button', { name: 'Split' }).isVisible()).toBe(false);
    await more.click();
    await page.getByRole('menuitem', { name: 'Split side by side' }).click();
    await expect.poll(() => panes(page).count()).toBe(2);
    await more.click();
    await page.getByRole('menuitem', { name: 'Unsplit' }).click();
    await expect.poll(() => panes(page).count()).toBe(1);
    // Back to the default width for the next test.
    for (let i = 0; i < 40 && (await more.isVisible()); i++) await sideSplitter.press('ArrowRight');
    await expect.poll(() => more.isVisible()).toBe(false);
  });

  it('selects no text while a splitter is dragged across the panes', async () => {
    const { page } = ui.browser;
    await page.evaluate(() => window.getSelection()?.removeAllRanges());
    const splitter = page.locator('.area.center > .splitter.vertical');
    const box = (await splitter.boundingBox())!;
    const x = box.x + box.width / 2;
    const y = box.y + box.height / 2;
    const center = (await page.locator('.area.center').boundingBox())!;
    await page.mouse.move(x, y);
    await page.mouse.down();
    // Down past where the splitter stops (it keeps the logs a minimum height), so the pointer ends
    // over log rows while the button is held: that is where text got selected.
    const bottom = center.y + center.height - 4;
    for (let i = 1; i <= 20; i++) await page.mouse.move(x + i * 10, y + ((bottom - y) * i) / 20);
    await page.mouse.up();
    expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
    const after = (await splitter.boundingBox())!;
    expect(after.y).toBeGreaterThan(box.y + 40);
  });
});
