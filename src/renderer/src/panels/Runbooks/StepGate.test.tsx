// Server-side render of a step with inputs and preconditions: the form and the list show, the
// filled command is quoted, and Run stays disabled while a value is missing or a precondition is
// not met; with the workbench's facts a met precondition lets Run through.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunbookDocument } from '../../../../shared/contract/runbooks';
import { lintRunbook } from '../../../../shared/runbooks/lint';
import { parseRunbook } from '../../../../shared/runbooks/parse';
import type { PreconditionFacts } from '../../../../shared/runbooks/preconditions';
import RunbookViewer from './RunbookViewer';
import { StepRunContext, type StepRunContextValue } from './step-gate';

function docFrom(text: string): RunbookDocument {
  const parsed = parseRunbook(text, { file: 'doc.md', variables: {} });
  return {
    ...parsed,
    id: 'bundled:doc.md',
    folderId: 'bundled',
    lint: lintRunbook(parsed, { now: new Date('2026-12-06T00:00:00Z'), exists: () => false }),
    linkTargets: [],
    variables: {},
    summary: {
      id: 'bundled:doc.md',
      folderId: 'bundled',
      file: 'doc.md',
      kind: 'runbook',
      title: 'Doc',
      category: null,
      categorySource: 'none',
      severity: null,
      estimatedTime: null,
      symptoms: [],
      tags: [],
      lastReviewed: null,
      stale: false,
      reviewAgeDays: null,
      sections: [],
      codeBlocks: parsed.codeBlocks.length,
      steps: parsed.steps.length,
      checkedSteps: 0,
      errors: 0,
      warnings: 0,
    },
  };
}

const DOC = docFrom(`# Doc

## Resolution

\`\`\`bash {name="start" input-service="text" input-service-default="it's; here" requires="backup"}
sudo systemctl start {{service}}
\`\`\`

\`\`\`bash {name="empty" input-target="path"}
ls -l {{target}}
\`\`\`
`);

/** The text a user reads (tags dropped, the entities React writes decoded). */
function textOf(html: string): string {
  return html
    .replace(/<[^>]+>/g, '')
    .replace(/&#x27;/g, "'")
    .replace(/&quot;/g, '"')
    .replace(/&amp;/g, '&');
}

/** The Run button of a step, as rendered. */
function runButton(html: string, stepId: string): string {
  const block = html.slice(html.indexOf(`data-step="${stepId}"`));
  return /<button[^>]*>Run<\/button>/.exec(block)?.[0] ?? '';
}

const ctx = (facts: Partial<PreconditionFacts>): StepRunContextValue => ({
  facts: {
    now: Date.UTC(2026, 11, 6),
    timeZone: 'UTC',
    session: { id: 's', title: 'S' },
    backups: [],
    stepOutcomes: {},
    api: null,
    ...facts,
  },
  outputs: {},
  onOverride: () => Promise.resolve(),
  gates: {},
  updateGate: () => undefined,
});

describe('step inputs and preconditions in the viewer', () => {
  it('without the workbench: the form, the quoted default, preconditions unknown and Run disabled', () => {
    const html = renderToString(<RunbookViewer doc={DOC} onRunStep={() => undefined} />);
    expect(html).toContain('data-testid="inputs-start"');
    expect(textOf(html)).toContain("sudo systemctl start 'it'\\''s; here'");
    expect(html).toContain('aura.db backed up in this session');
    expect(html).toContain('unknown (not met)');
    expect(runButton(html, 'start')).toContain('disabled');
    // An input with no value: Run and Copy wait for it.
    expect(runButton(html, 'empty')).toContain('disabled');
    expect(runButton(html, 'empty')).toContain('Fill target first');
  });

  it('with a backup in the recording session: met, and Run is enabled', () => {
    const html = renderToString(
      <StepRunContext.Provider
        value={ctx({
          backups: [{ at: Date.UTC(2026, 11, 6) - 60_000, file: '/b/aura.db', ok: true, damaged: false }],
        })}
      >
        <RunbookViewer doc={DOC} onRunStep={() => undefined} />
      </StepRunContext.Provider>,
    );
    expect(html).toContain('/b/aura.db taken 60 s ago');
    expect(runButton(html, 'start')).not.toContain('disabled');
  });

  it('with no backup: not met, Run disabled, Override offered', () => {
    const html = renderToString(
      <StepRunContext.Provider value={ctx({})}>
        <RunbookViewer doc={DOC} onRunStep={() => undefined} />
      </StepRunContext.Provider>,
    );
    expect(textOf(html)).toContain('no backup of aura.db in "S" yet');
    expect(runButton(html, 'start')).toContain('disabled');
    expect(html).toContain('Override…');
  });
});
