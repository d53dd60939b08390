// The layout in Chromium at three window sizes and both themes: walks the main views (each side tab,
// two log panes side by side, a split terminal with many tabs, the DB table browser, the Session
// panel, an open runbook) and fails when interactive elements overlap, when the page is pushed
// sideways, or when text in the header, tab strips, toolbars and badges overflows or wraps.
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { openConsole } from './harness';

const skip = missingTool('chromium', 'e2e layout');

/** Screenshots of every view, to look at (not compared: the content is live). */
const SHOTS = process.env.AURA_OPS_SHOTS ?? '/tmp/shots-layout';
const SIZES = [
  { width: 1100, height: 700 },
  { width: 1280, height: 800 },
  { width: 1600, height: 1000 },
] as const;
const THEMES = ['dark', 'light'] as const;
/** Enough terminal tabs to overflow the strip at every size (the report had 12 from stray keys). */
const TERMINAL_TABS = 9;

/** Everything checkLayout reports: one line per defect, naming the element and the numbers. */
type Findings = string[];

/**
 * Runs in the page. Interactive elements: their visible boxes (clipped by scrolling ancestors and
 * the viewport) must not overlap, except an element and its own descendants. In the header, tab
 * strips, toolbars and badges: no element's text overflows its box (a strip that scrolls is fine,
 * a toolbar that scrolls hides controls and is not), and buttons, tabs and badges stay on one line.
 */
function checkLayout(): Findings {
  const out: string[] = [];
  const vw = document.documentElement.clientWidth;
  const vh = document.documentElement.clientHeight;
  const name = (el: Element): string => {
    const e = el as HTMLElement;
    const label = e.getAttribute('aria-label') ?? e.getAttribute('title') ?? e.textContent ?? '';
    const cls =
      typeof e.className === 'string' && e.className ? `.${e.className.trim().split(/\s+/).join('.')}` : '';
    return `<${e.tagName.toLowerCase()}${cls}> "${label.trim().replace(/\s+/g, ' ').slice(0, 40)}"`;
  };
  const visible = (el: Element): boolean =>
    (el as HTMLElement).checkVisibility({ checkOpacity: true, checkVisibilityCSS: true });

  /** The part of el's box that can be seen: inside every clipping ancestor and the viewport. */
  const visibleBox = (el: Element): DOMRect | null => {
    const r = el.getBoundingClientRect();
    let l = Math.max(r.left, 0);
    let t = Math.max(r.top, 0);
    let rr = Math.min(r.right, vw);
    let b = Math.min(r.bottom, vh);
    for (let p = el.parentElement; p; p = p.parentElement) {
      const cs = getComputedStyle(p);
      if (cs.overflowX !== 'visible') {
        const pr = p.getBoundingClientRect();
        l = Math.max(l, pr.left);
        rr = Math.min(rr, pr.right);
      }
      if (cs.overflowY !== 'visible') {
        const pr = p.getBoundingClientRect();
        t = Math.max(t, pr.top);
        b = Math.min(b, pr.bottom);
      }
    }
    return rr - l >= 1 && b - t >= 1 ? new DOMRect(l, t, rr - l, b - t) : null;
  };

  /** Lines the element's text takes (fragments whose tops differ by more than half a line). */
  const lines = (el: Element): number => {
    const range = document.createRange();
    range.selectNodeContents(el);
    const rects = [...range.getClientRects()]
      .filter((r) => r.width > 0.5 && r.height > 0.5)
      .sort((a, b) => a.top - b.top);
    let n = 0;
    let bottom = -Infinity;
    for (const r of rects) {
      if (r.top >= bottom - r.height / 2) {
        n++;
        bottom = r.bottom;
      } else bottom = Math.max(bottom, r.bottom);
    }
    return n;
  };

  // The page itself never scrolls sideways.
  const doc = document.scrollingElement ?? document.documentElement;
  if (doc.scrollWidth > vw + 1) out.push(`the page is ${doc.scrollWidth - vw} px wider than the window`);
  const shell = document.querySelector('.shell');
  if (shell && shell.scrollWidth > shell.clientWidth + 1)
    out.push(`the shell overflows by ${shell.scrollWidth - shell.clientWidth} px`);
  // Panels and log panes stay inside the window (a pane sized by its content grew to 771,081 px once).
  for (const el of document.querySelectorAll('.area, [data-testid^="log-pane-"]')) {
    const r = el.getBoundingClientRect();
    if (r.height > 0 && r.bottom > vh + 1)
      out.push(
        `${el.getAttribute('data-testid') ?? el.className} ends ${Math.round(r.bottom - vh)} px below the window`,
      );
  }

  // 1. Overlap of interactive elements. xterm's own helper textarea and rows are not the operator's controls.
  const interactive = [
    ...document.querySelectorAll(
      'button, a[href], input:not([type="hidden"]), select, textarea, summary, [role="tab"], [role="button"], [role="separator"], [role="menuitem"]',
    ),
  ].filter((el) => !el.closest('.xterm') && visible(el));
  const boxes = interactive
    .map((el) => ({ el, box: visibleBox(el) }))
    .filter((x): x is { el: Element; box: DOMRect } => x.box !== null);
  for (let i = 0; i < boxes.length; i++) {
    for (let j = i + 1; j < boxes.length; j++) {
      const a = boxes[i]!;
      const b = boxes[j]!;
      if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
      const w = Math.min(a.box.right, b.box.right) - Math.max(a.box.left, b.box.left);
      const h = Math.min(a.box.bottom, b.box.bottom) - Math.max(a.box.top, b.box.top);
      if (w > 1 && h > 1)
        out.push(`${name(a.el)} overlaps ${name(b.el)} by ${Math.round(w)}×${Math.round(h)} px`);
    }
  }
  // A control pushed out of the window (and not into a strip that scrolls or clips it) cannot be reached.
  for (const el of interactive) {
    const r = el.getBoundingClientRect();
    if (r.width === 0 || r.right <= vw + 1 || visibleBox(el) === null) continue;
    let clipRight = Infinity;
    for (let p = el.parentElement; p; p = p.parentElement) {
      if (getComputedStyle(p).overflowX !== 'visible')
        clipRight = Math.min(clipRight, p.getBoundingClientRect().right);
    }
    if (clipRight > vw + 1)
      out.push(`${name(el)} sticks out of the window by ${Math.round(r.right - vw)} px`);
  }

  // 2. Text in the header, tab strips, toolbars and badges.
  const STRIPS = '[role="tablist"], .db-tabs';
  const BARS =
    '.topbar, [role="toolbar"], .term-bar, .logs-bar, .logs-head, .logs-tools, .health-toolbar, .db-toolbar, .triage-head, .rb-head, .session-panel .head';
  const BADGES = '.badge, .rb-badge, .sev-badge, .state-badge, .rec-badge';
  const scrolls = (el: Element) => ['auto', 'scroll'].includes(getComputedStyle(el).overflowX);
  for (const scope of document.querySelectorAll(`${STRIPS}, ${BARS}`)) {
    if (!visible(scope)) continue;
    for (const el of [scope, ...scope.querySelectorAll('*')]) {
      const e = el as HTMLElement;
      if (!visible(e) || el.closest('.xterm')) continue;
      const cs = getComputedStyle(e);
      if (cs.display === 'inline' || e.clientWidth === 0) continue;
      // A tab strip may scroll; a toolbar that scrolls hides its controls.
      if (el.matches(STRIPS) && scrolls(el)) continue;
      // A deliberate ellipsis is not an overflow (the full text is in the title or a tooltip).
      if (cs.textOverflow === 'ellipsis' && cs.overflowX === 'hidden' && !el.matches(BADGES)) continue;
      if (e.scrollWidth > e.clientWidth + 1)
        out.push(`${name(el)} overflows: ${e.scrollWidth} px of text in ${e.clientWidth} px`);
    }
    // Controls, and every piece of text in the bar ("Aura Ops", "respond: Immediate"), stay on one line.
    const ownText = (el: Element) =>
      [...el.childNodes].some((n) => n.nodeType === Node.TEXT_NODE && n.textContent!.trim() !== '');
    for (const el of scope.querySelectorAll('*')) {
      // A heading may take two lines; labels and controls may not.
      if (/^H[1-6]$/.test(el.tagName) || (!el.matches('button, [role="tab"], select, label') && !ownText(el)))
        continue;
      if (visible(el) && !el.closest('.xterm') && lines(el) > 1)
        out.push(`${name(el)} wraps to ${lines(el)} lines`);
    }
  }
  for (const el of document.querySelectorAll(BADGES)) {
    if (!visible(el) || visibleBox(el) === null) continue;
    const e = el as HTMLElement;
    if (lines(el) > 1) out.push(`badge ${name(el)} wraps to ${lines(el)} lines`);
    if (e.clientWidth > 0 && e.scrollWidth > e.clientWidth + 1) out.push(`badge ${name(el)} overflows`);
  }
  // A strip that scrolls keeps its selected tab in view.
  for (const strip of document.querySelectorAll('[role="tablist"]')) {
    const tab = strip.querySelector('[role="tab"][aria-selected="true"]');
    if (!visible(strip) || !tab) continue;
    const s = strip.getBoundingClientRect();
    const t = tab.getBoundingClientRect();
    if (t.left < s.left - 1 || t.right > s.right + 1)
      out.push(`the selected tab ${name(tab)} is scrolled out of its strip`);
  }
  // A side panel's rows fit its width: one that scrolls sideways hides the end of its rows (at
  // 1280x800 the Install panel's found-installs list and facts table ran 25-80 px off its edge).
  for (const el of document.querySelectorAll('.install-panel')) {
    const e = el as HTMLElement;
    if (visible(e) && e.scrollWidth > e.clientWidth + 1)
      out.push(`${name(el)} scrolls sideways: ${e.scrollWidth} px of content in ${e.clientWidth} px`);
  }
  // DB table names break between words, never inside one.
  for (const el of document.querySelectorAll('.db-tables td.db-name')) {
    if (!visible(el)) continue;
    const words = (el.textContent ?? '').trim().split(/\s+/).length;
    if (lines(el) > words) out.push(`table name ${name(el)} breaks inside a word (${lines(el)} lines)`);
  }
  return out;
}

/** Polls until check() holds, with a deadline (beforeAll cannot use expect.poll). */
async function until(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

async function waitForLayout(page: Page): Promise<void> {
  // Two frames: React commits, ResizeObservers fit the terminals, the layout settles.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
}

/** The main views, one look at each. */
async function walkViews(page: Page, look: (view: string) => Promise<void>): Promise<void> {
  await look('start');
  // Health with the SEV-1 triage; the terminal with many tabs, unsplit.
  const split = page.getByRole('button', { name: /^(Split|Unsplit)$/ });
  if ((await split.getAttribute('aria-pressed')) === 'true') await split.click();
  await page.getByRole('tab', { name: 'Health' }).click();
  await page.getByRole('region', { name: 'Triage' }).waitFor();
  await look('health');

  await page.getByRole('tab', { name: 'Install' }).click();
  await page.getByTestId('demo-controls').waitFor();
  await look('install');

  await page.getByRole('tab', { name: 'Session' }).click();
  await page.locator('.session-panel').waitFor();
  await look('session');

  await page.getByRole('tab', { name: 'Database' }).click();
  const db = page.locator('.db-panel');
  await db.locator('.db-tables tr[data-table="JobQueue"]').waitFor();
  await look('db-overview');
  await db.locator('.db-tab', { hasText: 'Browse' }).click();
  await db.getByLabel('Table or view').selectOption('JobQueue');
  await db.locator('.db-grid tbody tr').first().waitFor();
  await look('db-browse');

  // Two log panes side by side, and the terminal split.
  await page.getByLabel('Pane layout').selectOption('columns');
  await expect
    .poll(() => page.locator('.logs-panes.layout-columns [data-testid^="log-pane-"]').count())
    .toBeGreaterThanOrEqual(2);
  await split.click();
  await expect.poll(() => page.getByTestId('terminal-pane').count()).toBe(2);
  await look('logs-columns-split');
  await split.click();
  await page.getByLabel('Pane layout').selectOption('tabs');

  // A runbook open in the left column.
  await page.locator('.rb-item-title').first().click();
  await page.locator('.rb-head').waitFor();
  await look('runbook');
  await page.locator('.rb-back').click();
}

describe.skipIf(skip)('layout at three window sizes in both themes', () => {
  const ui = useConsole();

  beforeAll(async () => {
    fs.mkdirSync(SHOTS, { recursive: true });
    const { page } = ui.browser;
    page.setDefaultTimeout(20_000);
    await openConsole(page, ui.serve);
    await page.locator('[data-testid="terminal-pane"] .xterm').first().waitFor();
    // A SEV-1 triage (its badge is the one that wrapped) on the demo install.
    await page.getByRole('tab', { name: 'Install' }).click();
    await page.getByTestId('demo-controls').getByLabel('Scenario').selectOption('api-down');
    await page.getByRole('tab', { name: 'Health' }).click();
    // A sweep now, rather than waiting up to the 15 s interval for the next one.
    await page.getByRole('button', { name: 'Refresh now' }).click();
    await until(
      'a SEV-1 triage',
      async () => (await page.locator('.sev-badge').textContent()) === 'SEV-1',
      60_000,
    );
    // A recording session with a long title: the header shows it beside the install.
    await page.getByRole('tab', { name: 'Session' }).click();
    const session = page.getByTestId('session-panel');
    await session
      .getByLabel('Title')
      .fill('API down since the deploy: every request to the demo install is refused, users see 502');
    await session.getByRole('button', { name: 'Start' }).click();
    await until('the recording indicator', async () =>
      /Recording:/.test((await page.getByTestId('recording-indicator').textContent()) ?? ''),
    );
    // Many terminal tabs, so the strip has to scroll.
    const tabs = page.getByRole('tablist', { name: 'Terminals' }).getByRole('tab');
    for (let n = await tabs.count(); n < TERMINAL_TABS; n++) {
      await page.getByRole('button', { name: 'New terminal' }).click();
      await until(`terminal tab ${n + 1}`, async () => (await tabs.count()) === n + 1);
    }
  }, 120_000);

  for (const theme of THEMES) {
    for (const size of SIZES) {
      const tag = `${size.width}x${size.height}-${theme}`;
      it(`holds at ${size.width}×${size.height} in the ${theme} theme`, { timeout: 120_000 }, async () => {
        const { page } = ui.browser;
        await page.setViewportSize(size);
        const current = await page.evaluate(() => document.documentElement.dataset.theme);
        if (current !== theme) {
          await page.getByRole('button', { name: 'Toggle theme' }).click();
          await expect.poll(() => page.evaluate(() => document.documentElement.dataset.theme)).toBe(theme);
        }
        const findings: string[] = [];
        const look = async (view: string) => {
          await waitForLayout(page);
          await page.screenshot({ path: path.join(SHOTS, `${tag}-${view}.png`) });
          for (const f of await page.evaluate(checkLayout)) findings.push(`[${view}] ${f}`);
        };
        const walk = () => walkViews(page, look);

        // A walk that cannot click (a control lies under another) still reports what it saw.
        try {
          await walk();
        } catch (err) {
          expect(
            findings,
            `layout defects at ${tag} before the walk failed (screenshots in ${SHOTS})`,
          ).toEqual([]);
          throw err;
        }
        expect(findings, `layout defects at ${tag} (screenshots in ${SHOTS})`).toEqual([]);
      });
    }
  }
});
