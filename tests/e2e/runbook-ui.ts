// The runbook column's common moves for e2e tests, written once: a drill runbook's text, adding a
// folder to the library, opening a runbook from it, starting a walk-through (or all of these at
// once) and reading a step's Run & check answer. Each waits for what the operator would see before it returns.
import { expect } from 'vitest';
import type { Page } from 'playwright-core';
import { openConsole, type ServeProc } from './harness';

export interface DrillText {
  title: string;
  lastReviewed: string;
  /** Front matter lines after the title, in order (category and severity are the drill's unless given). */
  meta?: Record<string, string>;
  overview: string;
  /** The Diagnosis section's body (code fences included). */
  diagnosis: string;
  /** The Resolution section's body. */
  resolution: string;
}

/** A runbook in the handbook's format: front matter, the sections the linter wants, the given steps. */
export function drillRunbook(d: DrillText): string {
  const meta = { category: 'Incident Response', severity: 'SEV-3', ...d.meta };
  const front = Object.entries(meta)
    .map(([k, v]) => `${k}: ${v}\n`)
    .join('');
  return `---
title: ${d.title}
${front}lastReviewed: ${d.lastReviewed}
---
# ${d.title}

## Overview
${d.overview}

## Symptoms
- Nothing in particular

## Diagnosis
${d.diagnosis}
## Resolution
${d.resolution}
## Prevention
- Keep drilling.

## References
- The handbook.
`;
}

/** Adds a runbook folder to the library through "Folders and new runbook". */
export async function addRunbookFolder(page: Page, folder: string): Promise<void> {
  await page.getByText('Folders and new runbook').click();
  await page.getByLabel('Folder path').fill(folder);
  await page.getByRole('button', { name: 'Add folder' }).click();
}

/**
 * Opens a runbook from the library by its file name (a narrow column shows the library behind
 * "← Library"); with `title`, waits until the runbook shows it.
 */
export async function openRunbookFile(page: Page, file: string, title?: string): Promise<void> {
  const back = page.locator('.area.left .rb-back');
  if (await back.isVisible()) await back.click();
  await page.locator(`.area.left button[title="${file}"]`).click();
  if (title !== undefined) await page.locator('.rb-title', { hasText: title }).waitFor();
}

/** Starts a walk-through of the open runbook and waits until the console says it records. */
export async function startWalkThrough(page: Page, title: string): Promise<void> {
  await page.getByTestId('walkthrough-bar').getByRole('button', { name: 'Walk through' }).click();
  await expect
    .poll(() => page.getByTestId('recording-indicator').textContent(), { timeout: 8000 })
    .toContain(`Recording: ${title}`);
}

/**
 * The start of every drill: the console loaded, `folder` added to the library, its `file` opened
 * (showing `title`) and a walk-through of it recording.
 */
export async function walkDrill(
  page: Page,
  serve: Pick<ServeProc, 'url' | 'openUrl'>,
  drill: { folder: string; file: string; title: string },
): Promise<void> {
  await openConsole(page, serve);
  await addRunbookFolder(page, drill.folder);
  await openRunbookFile(page, drill.file, drill.title);
  await startWalkThrough(page, drill.title);
}

/** Clicks a step's Run & check and waits until its answer matches `answer`; returns the answer. */
export async function runAndCheck(page: Page, step: string, answer: RegExp): Promise<string> {
  await page.locator(`[data-step="${step}"]`).getByRole('button', { name: 'Run & check' }).click();
  const check = page.getByTestId(`check-${step}`);
  await expect.poll(() => check.textContent().catch(() => ''), { timeout: 15_000 }).toMatch(answer);
  return (await check.textContent()) ?? '';
}
