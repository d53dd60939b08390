// A support bundle opened in the console (`aura-ops serve --bundle`): a bundle made from the
// sandbox in db-locked shows as "Bundle from <host> as of <time> (sha256 …)", its triage is the
// recorded one (SEV-2, Database Issues), a file-reading step of that runbook runs against the
// bundle's own log files and passes its check, and a step that needs the live API is refused.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Locator } from 'playwright-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { CliIO } from '../../src/main/cli-types';
import { startSandbox } from '../../src/main/sandbox';
import { compareRollOrder } from '../../src/main/services/logs/paths';
import { bundleCommand, checkCommand } from '../../src/main/services/probes/cli';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';

const skip = missingTool('chromium', 'e2e bundle');

/**
 * The message of a log file's last record: after the time, level and three ids, before the
 * properties. The bundle was made while the sandbox wrote: its last record may be cut anywhere.
 */
function lastMessage(file: string): string {
  const lastRecord = fs
    .readFileSync(file, 'utf8')
    .trimEnd()
    .split('\n')
    .filter((l) => /^(\[[^\]]*\] ){5}/.test(l))
    .at(-1)!;
  return lastRecord.replace(/^(\[[^\]]*\] ){5}/, '').replace(/ \{.*$/, '');
}

/** The newest API log among a manifest's names (logs/aura-api-yyyyMMdd[_NNN].log, in roll order). */
function newestApiLog(names: string[]): string {
  const api = names.filter((n) => /^logs\/aura-api-\d{8}(_\d{3})?\.log$/.test(n)).map((n) => n.slice(5));
  return `logs/${api.sort(compareRollOrder).at(-1)!}`;
}

/** The text of the last row a log pane draws. */
async function lastRowOf(pane: Locator): Promise<string> {
  return (await pane.getByTestId('log-row').allTextContents()).at(-1) ?? '';
}
/** db-locked shows in the live check within a few seconds; a loaded machine gets this long. */
const SCENARIO_DEADLINE_MS = 30_000;

describe.skipIf(skip)('a support bundle opened in the console', () => {
  const dir = tempDir('bundle-e2e');
  const file = path.join(dir, 'db-locked.zip');

  beforeAll(async () => {
    const sb = await startSandbox(path.join(dir, 'sandbox'), {
      port: 0,
      jobTickMs: 100,
      trafficMs: 40,
      create: { days: 1 },
    });
    try {
      await sb.setScenario('db-locked');
      const deadline = Date.now() + SCENARIO_DEADLINE_MS;
      for (;;) {
        const out: string[] = [];
        const io: CliIO = { out: (t) => out.push(t), err: () => undefined };
        await checkCommand(['--install', sb.dir, '--json'], io);
        const t = (
          JSON.parse(out.join('\n')) as { triage: { severity: string; suggestions: { runbook: string }[] } }
        ).triage;
        if (
          (t.severity === 'SEV-2' && t.suggestions[0]?.runbook === 'Database Issues') ||
          Date.now() > deadline
        )
          break;
        await new Promise((r) => setTimeout(r, 250));
      }
      expect(
        await bundleCommand(['--install', sb.dir, '--with-db', '--out', file], {
          out: () => undefined,
          err: () => undefined,
        }),
      ).toBe(0);
    } finally {
      await sb.stop();
    }
  }, 90_000);

  const ui = useConsole(() => ({ args: ['--bundle', file] }));

  it(
    'shows the bundle, its recorded triage, and runs a file-reading step against it',
    { timeout: 60_000 },
    async () => {
      const { page } = ui.browser;
      await openConsole(page, ui.serve);
      const header = page.getByTestId('header-install');
      await expect
        .poll(() => header.textContent(), { timeout: 15_000 })
        .toMatch(
          new RegExp(
            `Bundle · read-only.*Bundle from ${os.hostname()} as of \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d.*\\(sha256 [0-9a-f]{12}…\\)`,
          ),
        );
      expect(ui.serve.output()).toContain('read-only, extracted in');
      // The log panes read the bundle's files and say there is no live end to follow.
      await expect
        .poll(
          () =>
            page
              .getByTestId('log-pane-Main log (aura-api)')
              .getByTestId('follow-state')
              .textContent()
              .catch(() => ''),
          { timeout: 15_000 },
        )
        .toMatch(/^Bundle · as of \d{4}-\d\d-\d\d \d\d:\d\d:\d\d UTC · no follow$/);
      // The newest file's last record is on screen, and stays there when the pane gets shorter.
      // Read from the bundle's folder, where a file appears once it is verified: the pane may show
      // its checked tail before that, and verification starts once the first paint's requests stop.
      const opened = path.join(ui.serve.dataDir, 'opened-bundles');
      const dir = path.join(opened, fs.readdirSync(opened)[0], 'bundle');
      const listed = Object.keys(
        (JSON.parse(fs.readFileSync(path.join(dir, 'manifest.json'), 'utf8')) as { files: object }).files,
      );
      const newest = newestApiLog(listed);
      await expect.poll(() => fs.existsSync(path.join(dir, newest)), { timeout: 15_000 }).toBe(true);
      const message = lastMessage(path.join(dir, newest));
      const mainPane = page.getByTestId('log-pane-Main log (aura-api)');
      await expect.poll(() => lastRowOf(mainPane), { timeout: 15_000 }).toContain(message);
      const size = page.viewportSize()!;
      await page.setViewportSize({ width: size.width, height: size.height - 160 });
      await expect.poll(() => lastRowOf(mainPane), { timeout: 5_000 }).toContain(message);
      await page.setViewportSize(size);

      // The triage is the one recorded on the customer's machine, said to be so.
      await page
        .getByRole('button', { name: 'Health', exact: true })
        .click()
        .catch(() => undefined);
      await expect
        .poll(
          () =>
            page
              .getByTestId('health-bundle')
              .textContent()
              .catch(() => ''),
          { timeout: 15_000 },
        )
        .toContain('Nothing on this machine is probed');
      // Nothing to re-probe or run against the customer's machine from here.
      const health = page.locator('.health-panel');
      expect(await health.getByTestId('last-sweep').textContent()).toMatch(/^Recorded sweep \(\d+ ms\)$/);
      expect(await health.getByRole('button', { name: 'Refresh now' }).count()).toBe(0);
      expect(await health.getByRole('button', { name: 'Run in terminal' }).count()).toBe(0);
      expect(await health.getByTestId('probe-api').locator('code').textContent()).toContain('curl');
      await expect
        .poll(
          () =>
            page
              .getByLabel('Triage')
              .textContent()
              .catch(() => ''),
          { timeout: 15_000 },
        )
        .toMatch(/SEV-2.*Database Issues/s);

      // Database Issues: the step that counts SQLite errors in errors-*.log reads the bundle's file.
      await page
        .locator('.area.left')
        .getByRole('button', { name: /Database Issues/ })
        .first()
        .click();
      const step = page.locator('[data-step="sqlite-errors"]');
      const bundleLogs = path.join(ui.serve.dataDir, 'opened-bundles');
      expect(await step.locator('pre').textContent()).toContain(bundleLogs);
      await step.getByRole('button', { name: 'Run & check' }).click();
      await expect
        .poll(
          () =>
            page
              .getByTestId('check-sqlite-errors')
              .textContent()
              .catch(() => ''),
          { timeout: 20_000 },
        )
        // A db-locked bundle: the step reads the bundle's own errors log and names the finding.
        .toMatch(/^Database locked \(finding\) · seen matched "\d+ SQLite Error 5: "/);

      // The step that asks the live API is not available in a bundle, and says why.
      await page.locator('[data-step="health-db"]').getByRole('button', { name: 'Run', exact: true }).click();
      await expect
        .poll(() => page.locator('body').textContent(), { timeout: 10_000 })
        .toContain("Not available in a bundle: this step calls Aura's API");
      expect(fs.readdirSync(bundleLogs).length).toBe(1);
    },
  );

  describe('while its files are still being verified', () => {
    /** The background verification is held back this long, as a big bundle or a slow disk would. */
    const HOLD_MS = 30_000;
    const held = useConsole(() => ({
      args: ['--bundle', file],
      env: { AURA_OPS_TEST_VERIFY_DELAY_MS: String(HOLD_MS) },
    }));

    it(
      'paints the main log from its checked tail at once, then opens the whole file in its place',
      { timeout: 120_000 },
      async () => {
        const { page } = held.browser;
        await openConsole(page, held.serve);
        const main = page.getByTestId('log-pane-Main log (aura-api)');
        const banner = main.getByTestId('log-pane-preview');
        await expect
          .poll(() => banner.textContent().catch(() => ''), { timeout: 15_000 })
          .toMatch(
            /^Showing (the last [\d.]+ [KM]B of )?aura-api-\d{8}(_\d{3})?\.log \([\d.]+ [KM]B\), checked against the bundle's manifest, while the (rest of the )?bundle is verified\./,
          );
        // The tail's records are on screen while the rest still verifies, down to the file's last
        // record (read from the checked tail the console wrote).
        const opened = path.join(held.serve.dataDir, 'opened-bundles');
        const previews = fs
          .readdirSync(opened)
          .map((d) => path.join(opened, d, 'previews', 'logs'))
          .filter((d) => fs.existsSync(d));
        expect(previews).toHaveLength(1);
        const tailFile = fs.readdirSync(previews[0]).find((n) => n.startsWith('aura-api-'))!;
        const message = lastMessage(path.join(previews[0], tailFile));
        const lastRow = () => lastRowOf(main);
        await expect.poll(lastRow, { timeout: 15_000 }).toContain(message);
        await page.screenshot({ path: path.join(dir, 'bundle-preview.png') });
        // Health shows the customer's recorded sweep and triage at once, and says it is the recorded one.
        // (The side column opens on Health; the click is for a layout that saved another tab.)
        await page
          .getByRole('button', { name: 'Health', exact: true })
          .click({ timeout: 2_000 })
          .catch(() => undefined);
        const healthNote = () =>
          page
            .getByTestId('health-bundle')
            .textContent()
            .catch(() => '');
        /** The Health panel says which triage it shows, and it is the db-locked one. */
        const triageSays = async (which: string): Promise<void> => {
          await expect.poll(healthNote, { timeout: 15_000 }).toContain(which);
          await expect
            .poll(() => page.getByLabel('Triage').textContent(), { timeout: 10_000 })
            .toContain('SEV-2');
        };
        await triageSays("the triage as the customer's console gave it");
        await page.screenshot({ path: path.join(dir, 'bundle-health-recorded.png') });
        // The bundle's long name gives way in the header; "Not recording" beside it is not cut.
        const rec = page.getByTestId('recording-indicator');
        expect(await rec.textContent()).toContain('Not recording');
        expect(await rec.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
        // The pane's name says which log it is, whole; the long "as of" line beside it gives way.
        const paneName = main.locator('.logs-head > strong');
        expect(await paneName.textContent()).toBe('Main log (aura-api)');
        expect(await paneName.evaluate((e) => e.scrollWidth <= e.clientWidth)).toBe(true);
        // Once verified, the same tab shows the whole file: no banner, the same last record.
        await expect.poll(() => banner.count(), { timeout: HOLD_MS + 45_000 }).toBe(0);
        await expect.poll(lastRow, { timeout: 15_000 }).toContain(message);
        // ... and the triage is replayed from the bundle's logs.
        await triageSays("the triage is replayed from them and the bundle's logs");
        expect(held.serve.output()).toContain('read-only, extracted in');
      },
    );
  });
});
