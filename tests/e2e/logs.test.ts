// Log panes against the running demo install: records arrive live, a correlation id filters every
// pane (and the histogram strip counts only what is shown), and a scenario switch shows up in the
// errors pane.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { openConsole } from './harness';

const skip = missingTool('chromium', 'e2e logs');

describe.skipIf(skip)('log panes on the demo install', () => {
  const ui = useConsole();

  it('tails the main log live and filters every pane by a clicked correlation id', async () => {
    const { page } = ui.browser;
    await openConsole(page, ui.serve);
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
    await expect
      .poll(() => page.locator('.logs-chip').count(), { timeout: 20_000 })
      .toBeGreaterThanOrEqual(1);
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
      (
        await main
          .getByTestId('log-histogram-bin')
          .evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-total'))))
      ).reduce((a, b) => a + b, 0);
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
    await openConsole(page, ui.serve);
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

/** Each step of the walk waits for live records on a shared, loaded machine: room for its polls. */
const WALK_TIMEOUT_MS = 90_000;
/** A Serilog file timestamp in local time with its offset, as Aura writes it (FACTS §2.6). */
function serilogStamp(t: number): string {
  const d = new Date(t);
  const p = (n: number, w = 2) => String(Math.abs(n)).padStart(w, '0');
  const off = -d.getTimezoneOffset();
  const zone = `${off < 0 ? '-' : '+'}${p(Math.trunc(off / 60))}:${p(off % 60)}`;
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.${p(d.getMilliseconds(), 3)} ${zone}`;
}

/** Screenshots of the walk, for a person to look at (not compared by the test). */
const SHOTS = process.env.AURA_OPS_SHOTS_DIR ?? path.join(os.tmpdir(), 'shots-logs');

describe.skipIf(skip)('a log pane: follow state, live filter, histogram, toolbar that fits', () => {
  const ui = useConsole();
  const shot = async (name: string) => {
    fs.mkdirSync(SHOTS, { recursive: true });
    await ui.browser.page.screenshot({ path: path.join(SHOTS, `${name}.png`) });
  };
  const main = () => ui.browser.page.getByTestId('log-pane-Main log (aura-api)');
  const followText = async () => (await main().getByTestId('follow-state').textContent()) ?? '';
  /** Times (HH:MM:SS) of the rows on screen. */
  const rowTimes = async () =>
    (await main().locator('[data-testid=log-row] .t').allTextContents()).map((t) => t.slice(0, 8));
  /** The console open in the page (each test can also run on its own with -t). */
  const ready = async () => {
    const { page } = ui.browser;
    if (!page.url().startsWith(ui.serve.url)) await page.goto(ui.serve.openUrl);
    await main().waitFor();
    await expect.poll(() => main().getByTestId('log-row').count(), { timeout: 15_000 }).toBeGreaterThan(2);
  };
  /** Opens the ⋯ menu when the group holding `label` went there; returns the control. */
  const control = async (label: string) => {
    const pane = main();
    const inline = pane.locator('.logs-tools > .logs-group').getByLabel(label, { exact: true });
    if ((await inline.count()) > 0) return inline;
    const menu = pane.getByTestId('log-tools-menu');
    if ((await menu.count()) === 0) await pane.getByRole('button', { name: 'More log tools' }).click();
    return menu.getByLabel(label, { exact: true });
  };

  it(
    'shows leaving follow in the header (search, scroll, pause) with one click back to live',
    async () => {
      const { page } = ui.browser;
      await ready();
      await page.setViewportSize({ width: 1280, height: 800 });
      await openConsole(page, ui.serve);
      await main().waitFor();
      await expect.poll(() => main().getByTestId('log-row').count(), { timeout: 15_000 }).toBeGreaterThan(2);
      await expect.poll(followText).toContain('Live');
      // Enter in the search jumps to the last match: that leaves follow, and the header says so.
      const search = await control('Search text');
      await search.fill('Request completed');
      await search.press('Enter');
      await expect.poll(followText).toContain('Not following');
      const back = main().getByTestId('follow-state').getByRole('button', { name: 'Jump to live' });
      await expect.poll(() => back.isVisible()).toBe(true);
      await shot('1-search-left-follow');
      // Away from live the rows stay put while records keep arriving...
      const away = await rowTimes();
      // ...and one click brings the live end back: newer rows than the ones left behind.
      await back.click();
      await expect.poll(followText).toContain('Live');
      await expect
        .poll(async () => (await rowTimes()).at(-1)! > away.at(-1)!, { timeout: 20_000 })
        .toBe(true);
      // Scrolling up with the wheel leaves follow too.
      await main().locator('.logs-scroll').hover();
      await page.mouse.wheel(0, -400);
      await expect.poll(followText).toContain('Not following');
      await back.click();
      await expect.poll(followText).toContain('Live');
      // Pause: counted, shown, and undone by the same one click.
      await main().getByTestId('follow-state').getByRole('button', { name: 'Pause' }).click();
      await expect.poll(followText, { timeout: 15_000 }).toMatch(/Paused · \d+ new/);
      await shot('2-paused');
      await back.click();
      await expect.poll(followText).toContain('Live');
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'drops the selected record from the details when a correlation filter hides it',
    async () => {
      const { page } = ui.browser;
      await ready();
      const rows = main().getByTestId('log-row');
      // A row without a correlation id (startup and background lines have none)...
      await main().getByTestId('follow-state').getByRole('button', { name: 'Pause' }).click();
      const plain = rows.filter({ hasNot: page.locator('button.cid') }).first();
      await plain.click();
      await expect.poll(() => main().locator('.logs-detail').count()).toBe(1);
      // ...then filter by a correlation id: the plain row is hidden, so are its details.
      await rows.locator('button.cid').first().click();
      await expect.poll(() => page.locator('.logs-bar .logs-chip').count(), { timeout: 8000 }).toBe(1);
      await expect.poll(() => main().locator('.logs-detail').count(), { timeout: 15_000 }).toBe(0);
      await page.locator('.logs-bar .logs-chip button').click();
      await main().getByTestId('follow-state').getByRole('button', { name: 'Jump to live' }).click();
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'charts records on a time axis: hover counts, click jumps, drag filters a time range',
    async () => {
      const { page } = ui.browser;
      await ready();
      // A log of our own in the install's logs folder, with quiet minutes between its records,
      // placed relative to now so the walk reads the same at any hour.
      const base = Math.floor(Date.now() / 60_000) * 60_000 - 40 * 60_000;
      const at = [
        ...[0, 1, 2, 3, 4].map((k) => ({ t: base + k * 1000, lv: k < 2 ? 'ERR' : 'INF' })),
        { t: base + 60_000 + 500, lv: 'WRN' },
        ...[0, 1, 2, 3].map((k) => ({ t: base + 15 * 60_000 + k * 1000, lv: 'INF' })),
        ...[0, 1, 2].map((k) => ({ t: base + 30 * 60_000 + k * 1000, lv: k < 2 ? 'ERR' : 'INF' })),
      ];
      const file = path.join(ui.serve.dataDir, 'demo', 'logs', 'histogram-walk.log');
      fs.writeFileSync(
        file,
        at.map((r, i) => `[${serilogStamp(r.t)}] [${r.lv}] [] [] [] Walk record ${i}\n`).join(''),
      );
      await page.getByLabel('Log file path').fill(file);
      await page.getByLabel('Log file path').press('Enter');
      await page.getByRole('tab', { name: 'histogram-walk.log' }).click();
      const pane = page.getByTestId('log-pane-histogram-walk.log');
      const hist = pane.getByTestId('log-histogram');
      const bins = hist.getByTestId('log-histogram-bin');
      const totals = () => bins.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-total'))));
      // A continuous axis: 31 one-minute bins from the first record's minute to the last's, the
      // quiet minutes there as empty bins.
      const want = new Array<number>(31).fill(0);
      want[0] = 5;
      want[1] = 1;
      want[15] = 4;
      want[30] = 3;
      await expect.poll(totals, { timeout: 15_000 }).toEqual(want);
      expect(await hist.getAttribute('data-bin-minutes')).toBe('1');
      expect((await hist.boundingBox())!.height).toBeGreaterThan(24);
      const starts = await bins.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-t'))));
      expect(starts[0]).toBe(base);
      expect(starts[30]).toBe(base + 30 * 60_000);
      // Errors and warnings in their own colours.
      expect(await bins.nth(0).locator('.lv-err').count()).toBe(1);
      expect(await bins.nth(1).locator('.lv-wrn').count()).toBe(1);
      // Hover: the bin's counts.
      await bins.nth(0).hover();
      const readout = hist.getByTestId('log-histogram-readout');
      await expect
        .poll(async () => (await readout.textContent()) ?? '')
        .toContain(': 5 records (INF 3, ERR 2)');
      await shot('3-histogram-hover');
      // Click: the pane jumps to that minute, and says it is not following.
      await bins.nth(15).click();
      const follow = () => pane.getByTestId('follow-state').textContent();
      await expect.poll(follow).toContain('Not following');
      const rowTimes = () =>
        pane.getByTestId('log-row').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-time'))));
      const inMinute = (t: number, m: number) => t >= base + m * 60_000 && t < base + (m + 1) * 60_000;
      await expect
        .poll(async () => (await rowTimes()).some((t) => inMinute(t, 15)), { timeout: 10_000 })
        .toBe(true);
      // Drag from minute 15 to minute 30: a time range filter, shown as a chip.
      const a = (await bins.nth(15).boundingBox())!;
      const b = (await bins.nth(30).boundingBox())!;
      await page.mouse.move(a.x + a.width / 2, a.y + a.height / 2);
      await page.mouse.down();
      await page.mouse.move(b.x + b.width / 2, b.y + b.height / 2, { steps: 5 });
      await page.mouse.up();
      const chip = pane.getByTestId('range-chip');
      await expect.poll(() => chip.count()).toBe(1);
      // The range view holds the 7 records of minutes 15 and 30, the oldest first.
      await expect
        .poll(
          async () => {
            await pane.locator('.logs-scroll').evaluate((el) => (el.scrollTop = 0));
            const times = await rowTimes();
            return times.length > 0 && inMinute(times[0], 15);
          },
          { timeout: 10_000 },
        )
        .toBe(true);
      await expect.poll(async () => (await totals()).reduce((x, y) => x + y, 0)).toBe(7);
      await shot('4-histogram-range');
      await chip.getByRole('button', { name: 'Remove the time range filter' }).click();
      await expect.poll(() => chip.count()).toBe(0);
      await expect.poll(async () => (await totals()).reduce((x, y) => x + y, 0)).toBe(13);
      await pane.getByTestId('follow-state').getByRole('button', { name: 'Jump to live' }).click();
      await expect.poll(follow).toContain('Live');
      await pane.getByRole('button', { name: 'Close pane' }).click();
      await page.getByRole('tab', { name: 'Main log (aura-api)' }).click();
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'shows a new [ERR] line live while the [ERR] filter is on',
    async () => {
      const { page } = ui.browser;
      await ready();
      const filterInput = await control('Filter text');
      await filterInput.fill('[ERR]');
      await filterInput.press('Enter');
      await page.keyboard.press('Escape');
      // Whatever the view holds now, every row is an error.
      await expect
        .poll(
          async () => {
            const lv = await main().locator('[data-testid=log-row] .lv').allTextContents();
            return lv.every((l) => l === 'ERR');
          },
          { timeout: 15_000 },
        )
        .toBe(true);
      const before = (await rowTimes()).at(-1) ?? '';
      await page.getByRole('tab', { name: 'Install' }).click();
      await page.selectOption('select[aria-label=Scenario]', 'error-spike');
      // New errors arrive in the filtered view without anything rebuilding it.
      await expect
        .poll(
          async () => {
            const t = await rowTimes();
            return t.length > 0 && t.at(-1)! > before;
          },
          { timeout: 25_000 },
        )
        .toBe(true);
      const lv = await main().locator('[data-testid=log-row] .lv').allTextContents();
      expect(lv.every((l) => l === 'ERR')).toBe(true);
      await expect.poll(followText).toContain('Live');
      await shot('5-live-err-filter');
      await page.selectOption('select[aria-label=Scenario]', 'healthy');
      const clear = await control('Filter text');
      await clear.fill('');
      await clear.press('Enter');
      await page.keyboard.press('Escape');
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'keeps the record cache bounded through a log flood',
    async () => {
      const { page } = ui.browser;
      await ready();
      await page.getByRole('tab', { name: 'Install' }).click();
      await page.selectOption('select[aria-label=Scenario]', 'log-flood');
      const size = async () => Number(await main().getAttribute('data-cache-size'));
      // The flood writes thousands of lines a second: the cache fills up to its bound and stays there.
      await expect.poll(size, { timeout: 20_000 }).toBeGreaterThanOrEqual(3000);
      let peak = 0;
      const until = Date.now() + 4000;
      while (Date.now() < until) {
        peak = Math.max(peak, await size());
        await page.waitForTimeout(200);
      }
      expect(peak).toBeLessThanOrEqual(4000);
      await expect.poll(followText).toContain('Live');
      await page.selectOption('select[aria-label=Scenario]', 'healthy');
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'fits the pane toolbar at 1100×700, 1280×800 and 1600×1000, in tabs and side by side',
    async () => {
      const { page } = ui.browser;
      await ready();
      for (const [w, h] of [
        [1100, 700],
        [1280, 800],
        [1600, 1000],
      ] as const) {
        await page.setViewportSize({ width: w, height: h });
        for (const layout of ['tabs', 'columns'] as const) {
          await page.selectOption('select[aria-label="Pane layout"]', layout);
          const pane = main();
          await pane.locator('.logs-tools').waitFor();
          // Nothing sticks out of the toolbar or the header, once the toolbar has measured its new
          // width and folded what does not fit into ⋯ (a render after the resize, later under load).
          const overflow = (loc: Locator) => () => loc.evaluate((el) => el.scrollWidth - el.clientWidth);
          for (const sel of ['.logs-tools', '.logs-head']) {
            await expect
              .poll(overflow(pane.locator(sel)), { message: `${sel} at ${w}×${h} ${layout}`, timeout: 5000 })
              .toBeLessThanOrEqual(0);
          }
          await expect
            .poll(overflow(page.locator('.logs-bar')), {
              message: `.logs-bar at ${w}×${h} ${layout}`,
              timeout: 5000,
            })
            .toBeLessThanOrEqual(0);
          await shot(`6-toolbar-${w}x${h}-${layout}`);
          // ↑/↓, jump to time and follow/pause stay reachable, inline or in the ⋯ menu.
          for (const label of ['Previous match', 'Next match', 'Jump to time']) {
            const c = await control(label);
            await expect.poll(() => c.isVisible(), { message: `${label} at ${w}×${h} ${layout}` }).toBe(true);
          }
          await page.keyboard.press('Escape');
          await expect
            .poll(() => pane.getByTestId('follow-state').getByRole('button').isVisible())
            .toBe(true);
          // Messages keep room: at least 20 characters of the monospace font.
          // (Polled: switching the layout re-renders the rows, one or two lines each.)
          const msgRoom = () =>
            pane
              .locator('[data-testid=log-row] .msg')
              .first()
              .evaluate(
                (el) => el.parentElement!.getBoundingClientRect().right - el.getBoundingClientRect().left,
              );
          await expect
            .poll(msgRoom, { message: `message room at ${w}×${h} ${layout}` })
            .toBeGreaterThan(20 * 7);
        }
      }
      await page.selectOption('select[aria-label="Pane layout"]', 'tabs');
      // The light theme, for a person to look at: level colours on the strip and rows.
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('button', { name: 'Toggle theme' }).click();
      await expect.poll(() => page.getByRole('button', { name: 'Toggle theme' }).textContent()).toBe('Dark');
      await main().getByTestId('follow-state').getByRole('button', { name: 'Pause' }).click();
      await shot('7-light-theme');
      await main().getByTestId('follow-state').getByRole('button', { name: 'Jump to live' }).click();
      await page.getByRole('button', { name: 'Toggle theme' }).click();
    },
    WALK_TIMEOUT_MS,
  );

  it(
    'does not select log text while a splitter is dragged, and saves the layout once, when the drag ends',
    async () => {
      const { page } = ui.browser;
      // Count the settings writes the page sends (its socket is opened again by the reload below).
      let saves = 0;
      page.on('websocket', (ws) =>
        ws.on('framesent', (f) => {
          if (typeof f.payload === 'string' && f.payload.includes('"app:set-ui-settings"')) saves++;
        }),
      );
      await page.reload();
      await ready();
      await page.setViewportSize({ width: 1280, height: 800 });
      const rows = main().locator('.logs-scroll');
      const box = (await rows.boundingBox())!;
      const bottom = page.locator('.area.bottom');
      const before = (await bottom.boundingBox())!.height;
      const splitter = page.locator('.splitter.vertical').first();
      const s = (await splitter.boundingBox())!;
      saves = 0;
      await page.mouse.move(s.x + s.width / 2, s.y + s.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2, box.y + box.height - 5, { steps: 8 });
      // The areas follow the pointer while it moves; nothing is written yet.
      await expect.poll(async () => (await bottom.boundingBox())!.height).toBeLessThan(before - 50);
      expect(saves).toBe(0);
      await page.mouse.up();
      expect(await page.evaluate(() => window.getSelection()?.toString() ?? '')).toBe('');
      await expect.poll(() => saves).toBe(1);
      const after = (await bottom.boundingBox())!.height;
      // Kept by the console: a reload lays the areas out the same.
      // (The log area is now a few rows high: wait for the pane, not for rows.)
      await page.reload();
      await main().waitFor();
      await expect.poll(async () => Math.abs((await bottom.boundingBox())!.height - after)).toBeLessThan(3);
    },
    WALK_TIMEOUT_MS,
  );
});
