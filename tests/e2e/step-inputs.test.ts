// Step inputs, outputs and preconditions end to end, in one console session: an earlier step's
// output fills a later step's input; a hostile input stays one argument in the real terminal (the
// file it names is not created); a precondition blocks Run until overridden with a reason, and
// the reason is on the session timeline.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir } from './harness';
import { drillRunbook, walkDrill } from './runbook-ui';

const skip = missingTool('chromium', 'e2e step inputs');

const DRILL = drillRunbook({
  title: 'Inputs Drill',
  meta: { estimatedTime: '5 minutes' },
  lastReviewed: '2026-12-01',
  overview: 'A drill for step inputs and preconditions.',
  diagnosis: `\`\`\`bash {name="pick" output="target" output-match="/^picked: (\\\\S+)$/m"}
printf 'picked: %s\\n' from-output
\`\`\`
`,
  resolution: `1. Echo the target back (the step sits in the list item, as in the bundled runbooks):

   \`\`\`bash {name="echo-target" input-target="text" input-target-from="pick.target" requires="backup"}
   printf '[%s]\\n' {{target}}
   \`\`\`
`,
});

describe.skipIf(skip)('step inputs and preconditions', () => {
  const ui = useConsole();
  const folder = tempDir('rb-inputs');
  const marks = tempDir('rb-inputs-marks');
  fs.writeFileSync(path.join(folder, 'inputs-drill.md'), DRILL);

  it(
    'fills an output into a later input, keeps a hostile input one argument, and records an override',
    { timeout: 90_000 },
    async () => {
      const { page } = ui.browser;
      await walkDrill(page, ui.serve, { folder, file: 'inputs-drill.md', title: 'Inputs Drill' });

      // The later step: its input waits for a value, its precondition is not met, so Run is blocked.
      const step = page.locator('[data-step="echo-target"]');
      const run = step.getByRole('button', { name: 'Run', exact: true });
      const input = step.getByLabel('target');
      expect(await input.inputValue()).toBe('');
      expect(await run.isDisabled()).toBe(true);
      const conds = page.getByTestId('preconditions-echo-target');
      expect(await conds.textContent()).toContain('aura.db backed up in this session');
      expect(await conds.textContent()).toContain('not met');

      // Run the earlier step: its named output fills the input.
      await page.locator('[data-step="pick"]').getByRole('button', { name: 'Run', exact: true }).click();
      await expect.poll(() => input.inputValue(), { timeout: 15_000 }).toBe('from-output');
      expect(await step.locator('pre').textContent()).toBe("printf '[%s]\\n' from-output");

      // A hostile value: shown quoted, refused values say why.
      const marker = path.join(marks, 'X');
      const hostile = `'; touch ${marker}`;
      await input.fill('-rf');
      await expect.poll(() => step.textContent()).toContain('starts with "-"');
      await input.fill(`$(touch ${marker})`);
      expect(await step.locator('pre').textContent()).toBe(`printf '[%s]\\n' '$(touch ${marker})'`);
      await input.fill(hostile);
      // The same field stays in the page while the console re-renders (the override below records an
      // event, which reloads the session): a remounted field would lose the operator's focus.
      const field = await input.elementHandle();
      expect(await step.locator('pre').textContent()).toBe(`printf '[%s]\\n' ''\\''; touch ${marker}'`);
      expect(await run.isDisabled()).toBe(true);

      // Override the precondition with a reason: Run opens.
      await conds.getByRole('button', { name: 'Override…' }).click();
      const reasonBox = conds.getByLabel('Why must this step run anyway?');
      const allow = conds.getByRole('button', { name: 'Override and allow Run' });
      await reasonBox.fill('short');
      expect(await allow.isDisabled()).toBe(true);
      const reason = 'drill: no backup needed for an echo';
      await reasonBox.fill(reason);
      await allow.click();
      await expect.poll(() => run.isDisabled(), { timeout: 8000 }).toBe(false);
      expect(await field?.evaluate((el) => el.isConnected)).toBe(true);
      await run.click();

      // The terminal printed the value as one literal argument, and nothing ran it. Lines are read with
      // soft wraps joined: the temp path is long enough to wrap in CI's narrower terminal.
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
      await expect.poll(terminalText, { timeout: 15_000 }).toContain(`['; touch ${marker}]`);
      expect(fs.existsSync(marker)).toBe(false);
      // The override covered one run: Run is blocked again.
      await expect.poll(() => run.isDisabled(), { timeout: 8000 }).toBe(true);

      // The reason is on the session timeline.
      await page.getByRole('tab', { name: 'Session' }).click();
      const timeline = page.getByTestId('timeline');
      await expect.poll(() => timeline.textContent(), { timeout: 8000 }).toContain(reason);
      expect(await timeline.textContent()).toContain('echo-target');
    },
  );
});
