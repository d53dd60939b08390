// Revisions from a walk-through and the review workflow in the real UI, in one console session: a
// walk-through with one ad hoc terminal command and a "the runbook should say" note proposes a
// revision holding both, saved as a draft file beside the runbook; that draft is then tested in the
// sandbox and moved draft -> tested -> reviewed -> approved -> published, who and when in its file.
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { parse as parseYaml } from 'yaml';
import { missingTool } from '../tools';
import { useConsole } from './console';
import { tempDir, openConsole } from './harness';
import { addRunbookFolder, drillRunbook, openRunbookFile, runAndCheck, startWalkThrough } from './runbook-ui';

const skip = missingTool('chromium', 'e2e runbook review');
/** Screenshots for a person to look at: in JOURNEY_SHOTS when set (kept), else a temp folder. */
const shots = process.env.JOURNEY_SHOTS ?? tempDir('review-shots');
fs.mkdirSync(shots, { recursive: true });

const RUNBOOK = drillRunbook({
  title: 'Review Drill',
  meta: { owner: 'ana', status: 'draft' },
  lastReviewed: '2026-11-27',
  overview: 'A drill for revisions and reviews.',
  diagnosis: `\`\`\`bash {name="live" expect="/healthy/"}
curl -s -m 2 {{apiUrl}}/health/live
\`\`\`
`,
  resolution: `1. Remove a stale marker file.

\`\`\`bash {name="cleanup"}
rm -f {{dataRoot}}/stale-marker.tmp
\`\`\`
`,
});

/** The ad hoc command; its output (review-adhoc-42) differs from its text, so the wait is on the run. */
const AD_HOC = 'echo review-adhoc-$((6*7))';

const frontMatter = (file: string) =>
  parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(fs.readFileSync(file, 'utf8'))![1]) as Record<string, unknown>;

async function shot(page: Page, name: string) {
  await page.screenshot({ path: path.join(shots, `${name}.png`) });
}

describe.skipIf(skip)('revisions from a session and the review workflow', () => {
  const ui = useConsole();
  const folder = tempDir('review-folder');
  const original = path.join(folder, 'review-drill.md');
  fs.writeFileSync(original, RUNBOOK);

  it(
    'turns a walk-through into a draft revision and walks that draft to published',
    { timeout: 120_000 },
    async () => {
      const { page } = ui.browser;
      page.setDefaultTimeout(15_000);
      await openConsole(page, ui.serve);
      await addRunbookFolder(page, folder);
      const library = page.locator('.area.left');
      await openRunbookFile(page, 'review-drill.md', 'Review Drill');
      // The library shows the status from the front matter.
      expect(
        await library.locator('button[title="review-drill.md"]').getByTestId('review-badge').textContent(),
      ).toBe('draft');

      // Walk through: one checked step, one ad hoc command typed in the terminal, one note.
      await startWalkThrough(page, 'Review Drill');
      await runAndCheck(page, 'live', /^OK · /);
      await page.locator('[data-testid="terminal-pane"]').first().locator('.xterm').click();
      await page.keyboard.type(AD_HOC);
      await page.keyboard.press('Enter');
      await page.getByRole('tab', { name: 'Session' }).click();
      const panel = page.getByTestId('session-panel');
      const timeline = page.getByTestId('timeline');
      await expect.poll(() => timeline.textContent(), { timeout: 15_000 }).toContain(`Ad hoc ${AD_HOC}`);
      await panel.getByLabel('Note').fill('Check that port 5005 listens before anything else');
      await panel.getByRole('button', { name: 'The runbook should say' }).click();
      await expect
        .poll(() => timeline.textContent(), { timeout: 8000 })
        .toContain('The runbook should say: Check that port 5005');

      // The proposal holds the ad hoc command, the note and the step that was not run.
      const revision = page.getByTestId('revision');
      await revision.getByRole('button', { name: 'Propose revision' }).click();
      const draftText = revision.getByLabel('Revision draft');
      await draftText.waitFor();
      const proposed = await draftText.inputValue();
      expect(proposed).toContain(AD_HOC);
      expect(proposed).toContain('The runbook should say: Check that port 5005 listens before anything else');
      expect(proposed).toMatch(/step `cleanup` was not run/);
      expect(proposed).toMatch(/^status: draft$/m);
      // The operator edits it and looks at the diff before saving.
      await draftText.fill(
        proposed.replace(
          '1. Remove a stale marker file.',
          '1. Check the port, then remove a stale marker file.',
        ),
      );
      await revision.getByRole('tab', { name: 'Diff' }).click();
      const diff = await revision.getByTestId('revision-diff').textContent();
      expect(diff).toContain(AD_HOC);
      expect(diff).toContain('- 1. Remove a stale marker file.');
      await shot(page, '1-revision-diff');
      await revision.getByRole('button', { name: 'Save as draft' }).click();
      await revision.getByTestId('revision-saved').waitFor();
      await expect.poll(() => timeline.textContent(), { timeout: 8000 }).toContain('Draft revision saved');

      // The draft is a new file beside the runbook; the runbook itself is unchanged.
      const drafts = fs
        .readdirSync(folder)
        .filter((f) => /^review-drill\.rev-\d{8}-[0-9a-f]{8}\.md$/.test(f));
      expect(drafts).toHaveLength(1);
      const draft = path.join(folder, drafts[0]);
      expect(fs.readFileSync(original, 'utf8')).toBe(RUNBOOK);
      const text = fs.readFileSync(draft, 'utf8');
      expect(text).toContain(AD_HOC);
      expect(text).toContain('1. Check the port, then remove a stale marker file.');
      expect(frontMatter(draft)).toMatchObject({
        status: 'draft',
        revisionOf: 'review-drill.md',
        owner: 'ana',
      });
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        panel.getByRole('button', { name: 'Export report (Markdown)' }).click(),
      ]);
      expect(fs.readFileSync((await download.path())!, 'utf8')).toContain(
        `Draft revision of the runbook saved: [${drafts[0]}]`,
      );

      // The draft is in the library; it moves to published through the Review box, one step at a time.
      const draftItem = library.locator(`button[title="${drafts[0]}"]`);
      await openRunbookFile(page, drafts[0]);
      await expect
        .poll(() => page.locator('.rb-head').getByTestId('review-badge').textContent(), { timeout: 8000 })
        .toBe('draft');
      const review = page.getByTestId('review');
      await review.locator('summary').click();
      await review.getByLabel('Your name').fill('ana');
      await review.getByRole('button', { name: 'Mark tested' }).click();
      await expect
        .poll(
          () =>
            review
              .getByRole('alert')
              .textContent()
              .catch(() => ''),
          { timeout: 8000 },
        )
        .toContain('Test it in the sandbox first');
      await review.getByRole('button', { name: 'Test in sandbox' }).click();
      await expect
        .poll(() => review.getByTestId('last-tested').textContent(), { timeout: 30_000 })
        .toMatch(/\d{4}-\d\d-\d\d: \S+ 1 ok, 0 not ok/);
      // One row: the scenario, the step, the answer in the console's words (ok, not pass), the detail.
      expect(await review.getByTestId('review-results').locator('tbody td').allTextContents()).toEqual([
        expect.any(String),
        'live',
        'ok',
        expect.stringMatching(/^OK: /),
      ]);
      await review.getByRole('button', { name: 'Mark tested' }).click();
      await expect
        .poll(() => review.getByTestId('review-badge').textContent(), { timeout: 8000 })
        .toBe('tested');
      await review.getByLabel('Your name').fill('bo');
      await review.getByRole('button', { name: 'Record peer review' }).click();
      await expect
        .poll(() => review.getByTestId('review-badge').textContent(), { timeout: 8000 })
        .toBe('reviewed');
      await review.getByLabel('Your name').fill('lee');
      await review.getByRole('button', { name: 'Approve' }).click();
      await expect
        .poll(() => review.getByTestId('review-badge').textContent(), { timeout: 8000 })
        .toBe('approved');
      await review.getByRole('button', { name: 'Publish' }).click();
      await expect
        .poll(() => review.getByTestId('review-badge').textContent(), { timeout: 8000 })
        .toBe('published');
      await page.locator('.area.left .rb-back').click();
      await expect
        .poll(() => draftItem.getByTestId('review-badge').textContent(), { timeout: 8000 })
        .toBe('published');

      const fm = frontMatter(draft);
      expect(fm).toMatchObject({ status: 'published', owner: 'ana', reviewedBy: 'bo', approvedBy: 'lee' });
      expect(fm.lastTested).toMatchObject({ outcomes: expect.any(Object) });
      expect(fs.existsSync(path.join(folder, '.approved', drafts[0]))).toBe(true);

      // An edit after approval shows as a change since the approval.
      fs.appendFileSync(draft, '\nA line added after the approval.\n');
      // The console does not watch the folder: opening the runbook again reads it.
      await openRunbookFile(page, 'review-drill.md');
      await expect
        .poll(() => page.locator('.rb-head').getByTestId('review-badge').textContent(), { timeout: 8000 })
        .toBe('draft');
      await openRunbookFile(page, drafts[0]);
      await expect
        .poll(() => page.locator('.rb-head').getByTestId('review-badge').textContent(), { timeout: 8000 })
        .toBe('published');
      await review.evaluate((el) => ((el as HTMLDetailsElement).open = true));
      await expect
        .poll(
          () =>
            review
              .getByTestId('approval-diff')
              .textContent()
              .catch(() => ''),
          { timeout: 15_000 },
        )
        .toContain('+ A line added after the approval.');
      await shot(page, '2-published');
      console.log(`runbook review screenshots: ${shots}`);
    },
  );
});
