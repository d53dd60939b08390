// The command palette and the first launch, walked as an operator would on the demo install in
// Chromium: the welcome card, Ctrl+K from inside the terminal (which must not get the key), the
// queries that used to find nothing and what Enter does for each, and a load with a clean console.
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { ROOT, openConsole } from './harness';

const skip = missingTool('chromium', 'e2e palette');
/** Screenshots of the walk, for a person to look at. */
const SHOTS = process.env.AURA_OPS_SHOTS ?? '';

async function shot(page: Page, name: string): Promise<void> {
  if (!SHOTS) return;
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
}

function paletteDialog(page: Page) {
  return page.getByRole('dialog', { name: 'Command palette' });
}

function options(page: Page) {
  return paletteDialog(page).getByRole('option');
}

/** Opens the palette with Ctrl+K and types `query`; resolves when the first row names `first`. */
async function find(page: Page, query: string, first: RegExp): Promise<void> {
  if (!(await paletteDialog(page).isVisible())) await page.keyboard.press('Control+k');
  await paletteDialog(page).waitFor();
  await paletteDialog(page).getByLabel('Command', { exact: true }).fill(query);
  await expect.poll(() => options(page).first().textContent(), { timeout: 8000 }).toMatch(first);
  expect(await options(page).first().getAttribute('aria-selected')).toBe('true');
}

/** Buffer text of the first terminal pane (the panel exposes it; the canvas holds no text). */
async function terminalText(page: Page): Promise<string> {
  return page
    .locator('[data-testid="terminal-pane"] .term-host')
    .first()
    .evaluate((el) => (el as HTMLElement & { auraTerminalText?: () => string }).auraTerminalText?.() ?? '');
}

describe.skipIf(skip)('command palette and first launch on the demo install', () => {
  const ui = useConsole();

  beforeAll(async () => {
    const { page } = ui.browser;
    await page.setViewportSize({ width: 1280, height: 800 });
    await openConsole(page, ui.serve);
    await page.getByTestId('header-install').waitFor({ timeout: 20_000 });
  });

  it('first launch says what the demo is and how to practise; dismissed, it stays away; the palette brings it back', async () => {
    const { page } = ui.browser;
    const card = page.getByTestId('welcome-card');
    await card.waitFor();
    await expect
      .poll(() => card.textContent(), { timeout: 10_000 })
      .toMatch(/sandbox Aura at http:\/\/127\.0\.0\.1:\d+/);
    const text = (await card.textContent()) ?? '';
    expect(text).toContain('This is the demo install');
    expect(text).toContain('same files, endpoints and logs as a real one');
    expect(text).toMatch(/Switch a fault scenario/);
    await shot(page, '01-welcome');
    await card.getByRole('button', { name: 'Dismiss' }).click();
    await card.waitFor({ state: 'detached' });
    // Kept by the console (ops.db), not by this tab: a fresh tab does not show it either.
    const other = await ui.browser.context.newPage();
    await openConsole(other, ui.serve);
    await other.getByTestId('header-install').waitFor({ timeout: 20_000 });
    await other.getByRole('tab', { name: 'Health' }).waitFor();
    expect(await other.getByTestId('welcome-card').count()).toBe(0);
    await other.close();
    await find(page, 'welcome', /Welcome: what the demo is/);
    await page.keyboard.press('Enter');
    await card.waitFor();
    await card.getByRole('button', { name: 'Pick a scenario' }).click();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Scenario');
    await card.getByRole('button', { name: 'Dismiss' }).click();
    await card.waitFor({ state: 'detached' });
  });

  it('opens with Ctrl+K and Ctrl+Shift+P while the terminal has focus, and the shell never receives those keys', async () => {
    const { page } = ui.browser;
    const term = page.locator('[data-testid="terminal-pane"] .xterm').first();
    await term.waitFor({ timeout: 20_000 });
    await expect.poll(() => terminalText(page), { timeout: 15_000 }).toMatch(/[#$] $/m);
    await term.click();
    // cat -v prints control characters as ^K / ^P: if the terminal got the palette keys, they show.
    await page.keyboard.type('cat -v');
    await page.keyboard.press('Enter');
    await page.keyboard.type('before');
    await page.keyboard.press('Enter');
    await expect.poll(() => terminalText(page), { timeout: 10_000 }).toMatch(/^before$/m);

    await page.keyboard.press('Control+k');
    await paletteDialog(page).waitFor();
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Command');
    await shot(page, '02-palette-from-terminal');
    await page.keyboard.press('Escape');
    await paletteDialog(page).waitFor({ state: 'detached' });
    // Focus is back in the terminal, so typing goes on where it was.
    await page.keyboard.press('Control+Shift+P');
    await paletteDialog(page).waitFor();
    await page.keyboard.press('Control+Shift+P');
    await paletteDialog(page).waitFor({ state: 'detached' });
    await page.keyboard.type('after');
    await page.keyboard.press('Enter');
    const screen = await expect
      .poll(() => terminalText(page), { timeout: 10_000 })
      .toMatch(/^after$/m)
      .then(() => terminalText(page));
    expect(screen).not.toMatch(/\^K|\^P/);
    await page.keyboard.press('Control+c');
  });

  it('ranks by word starts and subsequences, and ↑/↓ choose what Enter runs', async () => {
    const { page } = ui.browser;
    await find(page, 'newterm', /^New terminal/);
    await find(page, 'bak db', /^Back up aura\.db/);
    await find(page, 'terminal', /^New terminal/);
    const input = paletteDialog(page).getByLabel('Command', { exact: true });
    await input.press('ArrowDown');
    expect(await options(page).nth(1).getAttribute('aria-selected')).toBe('true');
    expect(await options(page).nth(1).textContent()).toMatch(/^Split terminal/);
    await input.press('ArrowUp');
    expect(await options(page).first().getAttribute('aria-selected')).toBe('true');
    // Each row names its kind.
    expect(await options(page).first().locator('.palette-kind').textContent()).toBe('Action');
    await input.fill('zzqxv');
    await paletteDialog(page).getByText('Nothing matches “zzqxv”').waitFor();
    expect(await options(page).count()).toBe(0);
    await input.press('Escape');
    await paletteDialog(page).waitFor({ state: 'detached' });
  });

  it('"High Error" finds the High Error Rates runbook and Enter opens it', async () => {
    const { page } = ui.browser;
    await find(page, 'High Error', /^High Error Rates/);
    expect(await options(page).first().locator('.palette-kind').textContent()).toBe('Runbook');
    await page.keyboard.press('Enter');
    await page.locator('.rb-title', { hasText: 'High Error Rates' }).waitFor();
    // A symptom from the runbook's text finds it too.
    await find(page, '5xx status', /^High Error Rates/);
    // So does a word only its body holds (the runbook index's full-text search).
    await find(page, 'intermittent', /High Error Rates/);
    await page.keyboard.press('Escape');
  });

  it('"new terminal" opens a terminal tab, selected', async () => {
    const { page } = ui.browser;
    const tabs = page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab');
    const before = await tabs.count();
    await find(page, 'new terminal', /^New terminal/);
    await page.keyboard.press('Enter');
    await expect.poll(() => tabs.count(), { timeout: 10_000 }).toBe(before + 1);
    // The tab shows when the terminal exists and is selected in the render after: wait for it.
    await expect.poll(() => tabs.last().getAttribute('aria-selected'), { timeout: 10_000 }).toBe('true');
  });

  it('"backup" makes a backup of aura.db in the Database tab', async () => {
    const { page } = ui.browser;
    await find(page, 'backup', /^Back up aura\.db/);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('tab', { name: 'Database' }).getAttribute('aria-selected')).toBe('true');
    const facts = page.locator('.db-health .db-facts');
    await expect
      .poll(() => facts.textContent().catch(() => ''), { timeout: 30_000 })
      .toMatch(/Backup.*aura.*sha256[0-9a-f]{64}/s);
    await shot(page, '03-backup');
  });

  it('"scenario" leads to the demo scenario picker, and a named scenario switches to it', async () => {
    const { page } = ui.browser;
    await find(page, 'scenario', /^Switch scenario…/);
    await page.keyboard.press('Enter');
    expect(await page.getByRole('tab', { name: 'Install' }).getAttribute('aria-selected')).toBe('true');
    const picker = page.getByTestId('demo-controls').getByLabel('Scenario');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Scenario');
    await find(page, 'scenario error spike', /^Switch scenario: Error spike/);
    expect(await options(page).first().locator('.palette-kind').textContent()).toBe('Scenario');
    await page.keyboard.press('Enter');
    await expect.poll(() => picker.inputValue(), { timeout: 15_000 }).toBe('error-spike');
    // The current scenario is not offered again; healthy is.
    await find(page, 'scenario healthy', /^Switch scenario: Healthy/);
    expect(await paletteDialog(page).textContent()).not.toContain('Switch scenario: Error spike');
    await page.keyboard.press('Enter');
    await expect.poll(() => picker.inputValue(), { timeout: 15_000 }).toBe('healthy');
  });

  it('"start incident" opens the form, "export" downloads its report, and the session is found by its title', async () => {
    const { page } = ui.browser;
    await find(page, 'start incident', /^Start incident/);
    await page.keyboard.press('Enter');
    await expect
      .poll(() => page.evaluate(() => document.activeElement?.getAttribute('aria-label')))
      .toBe('Title');
    await page.keyboard.type('Palette drill incident');
    await page.keyboard.press('Enter');
    const panel = page.getByTestId('session-panel');
    await panel.locator('h2', { hasText: 'Palette drill incident' }).waitFor({ timeout: 10_000 });

    await find(page, 'export', /^Export report/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.keyboard.press('Enter')]);
    expect(download.suggestedFilename()).toMatch(/\.md$/);
    expect(fs.readFileSync((await download.path())!, 'utf8')).toContain('Palette drill incident');

    await panel.getByRole('button', { name: 'All sessions' }).click();
    await panel.locator('h2', { hasText: 'Walk-through' }).waitFor();
    await find(page, 'palette drill', /^Open session: Palette drill incident/);
    expect(await options(page).first().locator('.palette-kind').textContent()).toBe('Session');
    await page.keyboard.press('Enter');
    await panel.locator('h2', { hasText: 'Palette drill incident' }).waitFor();
    await shot(page, '04-session');
  });

  it('opens a log family in the logs panel', async () => {
    const { page } = ui.browser;
    await find(page, 'open log errors', /^Open log: Errors/);
    await page.keyboard.press('Enter');
    const tab = page.getByRole('tablist', { name: 'Log panes' }).getByRole('tab', { name: /Errors/ });
    await expect.poll(() => tab.getAttribute('aria-selected'), { timeout: 10_000 }).toBe('true');
  });

  it('never offers an install the Install tab lists as "nothing there"', async () => {
    const { page } = ui.browser;
    await page.getByRole('tab', { name: 'Install' }).click();
    const rows = page.locator('.candidates li');
    await rows.first().waitFor();
    const empty: string[] = [];
    for (const row of await rows.all()) {
      const t = (await row.textContent()) ?? '';
      if (t.includes('nothing there')) empty.push((await row.locator('.path').textContent()) ?? '');
    }
    // The temp HOME has none of Aura's default folders, so there are such rows to be tempted by.
    expect(empty.length).toBeGreaterThan(0);
    await page.keyboard.press('Control+k');
    const input = paletteDialog(page).getByLabel('Command', { exact: true });
    // The lists the palette loads on opening are in once the log families show.
    await input.fill('open log');
    await options(page).filter({ hasText: 'Open log:' }).first().waitFor();
    for (const q of ['attach', 'install']) {
      await input.fill(q);
      await expect
        .poll(() => paletteDialog(page).getByRole('listbox').textContent())
        .not.toContain('Open log:');
      const offered = (await paletteDialog(page).getByRole('listbox').textContent()) ?? '';
      for (const root of empty) expect(offered, `"${q}" offers ${root}`).not.toContain(root);
    }
    await page.keyboard.press('Escape');
  });
});

describe.skipIf(skip)('a load in serve mode', () => {
  const ui = useConsole();

  it('logs nothing in the console and fails no request: first load, reload, and a tab from an earlier launch', async () => {
    const { page } = ui.browser;
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || m.type() === 'warning') problems.push(`console ${m.type()}: ${m.text()}`);
    });
    page.on('pageerror', (e) => problems.push(`page error: ${e.message}`));
    page.on('requestfailed', (r) => problems.push(`failed: ${r.url()} ${r.failure()?.errorText ?? ''}`));
    page.on('response', (r) => {
      if (r.status() >= 400) problems.push(`${r.status()} ${r.url()}`);
    });
    // Each reload waits for the page's requests to end first: a reload cancels whatever is still in
    // flight (the favicon, under load), and Chromium reports that as a failed request of ours.
    const settled = () => page.waitForLoadState('networkidle', { timeout: 20_000 });
    await openConsole(page, ui.serve);
    await page.getByRole('tab', { name: 'Health' }).waitFor({ timeout: 20_000 });
    await settled();
    await page.reload();
    await page.getByRole('tab', { name: 'Health' }).waitFor({ timeout: 20_000 });
    await settled();
    // A session this console never issued, as a tab kept from an earlier launch holds.
    await page.evaluate(() => sessionStorage.setItem('aura-ops.session', 'A'.repeat(43)));
    await page.reload();
    await page.getByTestId('signed-out').waitFor({ timeout: 20_000 });
    expect(await page.getByTestId('signed-out').textContent()).toContain(
      'restarted since this tab signed in',
    );
    expect(problems).toEqual([]);
  });

  it('serves the icon index.html links, also as /favicon.ico', async () => {
    const svg = fs.readFileSync(path.join(ROOT, 'src', 'renderer', 'public', 'favicon.svg'));
    const html = fs.readFileSync(path.join(ROOT, 'out', 'renderer', 'index.html'), 'utf8');
    const linked = /<link rel="icon"[^>]*href="\.?(\/[^"]+)"/.exec(html)?.[1];
    expect(linked).toBe('/favicon.svg');
    for (const p of [linked!, '/favicon.ico']) {
      const res = await get(ui.serve.port, p);
      expect(res.status, p).toBe(200);
      expect(res.type, p).toBe('image/svg+xml');
      expect(res.body.equals(svg), p).toBe(true);
    }
  });
});

function get(port: number, p: string): Promise<{ status: number; type: string; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = http.get(
      { host: '127.0.0.1', port, path: p, headers: { Host: `127.0.0.1:${port}` } },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            type: String(res.headers['content-type'] ?? ''),
            body: Buffer.concat(chunks),
          }),
        );
      },
    );
    req.on('error', reject);
  });
}
