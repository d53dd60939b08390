// The runbook column end to end on the demo install: open a runbook, Run & check a read-only step
// against the sandbox API, a mutating step asks first, a walk-through records a checklist tick that
// survives a restart, and the exported report has the timeline in order.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';
import { drillRunbook, runAndCheck, walkDrill } from './runbook-ui';

const skip = missingTool('chromium', 'e2e runbooks');

const DRILL = drillRunbook({
  title: 'E2E Drill',
  meta: { estimatedTime: '5 minutes' },
  lastReviewed: '2026-11-27',
  overview: 'A drill used by the end-to-end tests.',
  diagnosis: `\`\`\`bash {name="live" expect="/healthy/"}
curl -s -m 2 {{apiUrl}}/health/live
\`\`\`
`,
  resolution: `1. Remove a stale marker file.

\`\`\`bash {name="cleanup"}
rm -f "{{dataRoot}}/stale-marker.tmp"
\`\`\`

- [ ] Logs checked after the fix
`,
});

describe.skipIf(skip)('runbooks in the console', () => {
  const ui = useConsole();
  const folder = tempDir('rb-folder');
  fs.writeFileSync(path.join(folder, 'e2e-drill.md'), DRILL);

  it(
    'runs and checks a read-only step, asks before a mutating one, records a walk-through',
    { timeout: 90_000 },
    async () => {
      const { page } = ui.browser;
      await walkDrill(page, ui.serve, { folder, file: 'e2e-drill.md', title: 'E2E Drill' });

      // Run & check: the sandbox answers /health/live, so the step answers OK.
      const live = page.locator('[data-step="live"]');
      expect(await live.locator('pre').textContent()).toMatch(
        /curl -s -m 2 http:\/\/127\.0\.0\.1:\d+\/health\/live/,
      );
      await runAndCheck(page, 'live', /^OK\b/);

      // A mutating step is shown in full and nothing runs until the operator chooses.
      fs.writeFileSync(path.join(ui.serve.dataDir, 'demo', 'stale-marker.tmp'), 'x');
      await page.locator('[data-step="cleanup"]').getByRole('button', { name: 'Run', exact: true }).click();
      const dialog = page.getByRole('dialog');
      await dialog.waitFor();
      expect(await dialog.textContent()).toContain('rm -f');
      await dialog.getByRole('button', { name: 'Cancel' }).click();
      await dialog.waitFor({ state: 'detached' });
      // The terminal runs its input in order: once a command sent after Cancel has printed, the
      // cancelled one would have run before it. It did not.
      await page.evaluate(() =>
        window.dispatchEvent(
          new CustomEvent('aura-ops:terminal-run', { detail: { command: "printf 'cancel-%s\\n' barrier" } }),
        ),
      );
      // Every terminal's text, soft-wrapped rows joined (a wrapped marker must not escape the check): the request goes to the active terminal when idle, else to a new one.
      const terminalText = () =>
        page
          .locator('[data-testid="terminal-pane"] .term-host')
          .evaluateAll((els) =>
            els
              .map(
                (el) =>
                  (el as HTMLElement & { auraTerminalLines?: () => string[] })
                    .auraTerminalLines?.()
                    .join('\n') ?? '',
              )
              .join('\n'),
          );
      // Only the output has "cancel-barrier" (the typed command reads cancel-%s); a redrawn prompt may follow it on the line.
      await expect.poll(terminalText, { timeout: 15_000 }).toMatch(/^cancel-barrier/m);
      expect(await terminalText()).not.toContain('stale-marker');
      expect(fs.existsSync(path.join(ui.serve.dataDir, 'demo', 'stale-marker.tmp'))).toBe(true);

      // Tick the checklist item: it belongs to the session, not to the file.
      await page.getByRole('checkbox', { name: 'Logs checked after the fix' }).check();
      await expect
        .poll(() => page.getByRole('checkbox', { name: 'Logs checked after the fix' }).isChecked(), {
          timeout: 8000,
        })
        .toBe(true);
      expect(fs.readFileSync(path.join(folder, 'e2e-drill.md'), 'utf8')).toContain(
        '- [ ] Logs checked after the fix',
      );

      // Restart the console: the session and its tick are intact.
      await ui.restart();
      await openConsole(page, ui.serve);
      await page
        .locator('.area.left')
        .getByRole('button', { name: /E2E Drill/ })
        .first()
        .click();
      await page.locator('.rb-title', { hasText: 'E2E Drill' }).waitFor();
      await expect
        .poll(() => page.getByRole('checkbox', { name: 'Logs checked after the fix' }).isChecked(), {
          timeout: 10_000,
        })
        .toBe(true);

      // The report has the step, its check and the tick, in that order.
      await page.getByRole('tab', { name: 'Session' }).click();
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export report (Markdown)' }).click(),
      ]);
      const md = fs.readFileSync((await download.path())!, 'utf8');
      const ran = md.indexOf('step **live**');
      const checked = md.indexOf('answer **OK**');
      const ticked = md.indexOf('Ticked: Logs checked after the fix');
      expect(ran).toBeGreaterThan(0);
      expect(checked).toBeGreaterThan(ran);
      expect(ticked).toBeGreaterThan(checked);
    },
  );
});
