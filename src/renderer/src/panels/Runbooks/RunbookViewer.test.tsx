// Server-side render of the viewer (react-dom/server): hostile Markdown must come out without
// scripts, event-handler attributes, refused URL schemes or remote image loads; steps get buttons.
import { renderToString } from 'react-dom/server';
import { describe, expect, it } from 'vitest';
import type { RunbookDocument } from '../../../../shared/contract/runbooks';
import { answerStep } from '../../../../shared/runbooks/findings';
import { lintRunbook } from '../../../../shared/runbooks/lint';
import { parseRunbook } from '../../../../shared/runbooks/parse';
import RunbookViewer, { safeUrl } from './RunbookViewer';
import { highlight } from './highlight';

function docFrom(text: string, linkTargets: Record<string, string> = {}): RunbookDocument {
  const parsed = parseRunbook(text, { file: 'doc.md', variables: { dbPath: '/srv/aura/aura.db' } });
  const lint = lintRunbook(parsed, {
    now: new Date('2025-12-10T00:00:00Z'),
    exists: (t) => t in linkTargets,
  });
  return {
    ...parsed,
    id: 'bundled:doc.md',
    folderId: 'bundled',
    lint,
    linkTargets: parsed.links.map((l) => (l.target ? (linkTargets[l.target] ?? null) : null)),
    variables: { dbPath: '/srv/aura/aura.db' },
    summary: {
      id: 'bundled:doc.md',
      folderId: 'bundled',
      file: 'doc.md',
      kind: 'runbook',
      title: parsed.meta.title ?? 'doc.md',
      category: null,
      categorySource: 'none',
      severity: parsed.meta.severity,
      estimatedTime: parsed.meta.estimatedTime,
      symptoms: [],
      tags: [],
      lastReviewed: null,
      stale: true,
      reviewAgeDays: null,
      sections: parsed.sections.map((s) => s.name),
      codeBlocks: parsed.codeBlocks.length,
      steps: parsed.steps.length,
      checkedSteps: 0,
      errors: 0,
      warnings: 0,
    },
  };
}

const HOSTILE = `# Hostile Runbook

<script>alert('x')</script>

<img src="x" onerror="alert(1)">

Inline <span onclick="steal()">html</span> and <iframe src="https://evil.example"></iframe>.

[js](javascript:alert(1)) [JS2](JaVaScRiPt:alert(2)) [data](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==) [vb](vbscript:msgbox(1))

[ref link][r]

[r]: javascript:alert(3)

![remote](https://evil.example/track.png) ![inline](data:image/png;base64,AAAA)

<a href="javascript:alert(4)">raw anchor</a>
`;

describe('RunbookViewer (render)', () => {
  it('renders hostile Markdown without scripts, handlers, refused schemes or image loads', () => {
    const html = renderToString(<RunbookViewer doc={docFrom(HOSTILE)} />);
    expect(html).toContain('Hostile Runbook');
    expect(html.toLowerCase()).not.toContain('<script');
    expect(html.toLowerCase()).not.toContain('onerror=');
    expect(html.toLowerCase()).not.toContain('onclick=');
    expect(html.toLowerCase()).not.toContain('<iframe');
    expect(html.toLowerCase()).not.toMatch(/href="\s*(javascript|data|vbscript):/);
    // The refused hrefs appear only as quoted text in the lint list, never in the rendered body.
    const body = html.slice(html.indexOf('<article'), html.indexOf('</article>'));
    expect(body.toLowerCase()).not.toContain('javascript:');
    expect(body.toLowerCase()).not.toContain('data:');
    expect(html).not.toMatch(/<img/i);
    expect(html).toContain('[image: remote]');
  });

  it('renders tables, task lists, the outline and step buttons with filled variables', () => {
    const doc = docFrom(
      `# Database Issues

## 1. Overview
- **Severity**: High
- **Estimated Time**: 15 minutes

| a | b |
|---|---|
| 1 | 2 |

## 3. Diagnosis
\`\`\`bash {name="db-integrity" expect="/^ok$/m"}
sqlite3 {{dbPath}} "PRAGMA integrity_check;"
\`\`\`

\`\`\`json
{"status": "ok"}
\`\`\`

## 4. Resolution
- [ ] Stop the API
- [x] Back up

See [other](./other.md) and [site](https://sqlite.org/).
`,
      { 'other.md': 'bundled:other.md' },
    );
    const a = answerStep(doc.steps[0].answers, 'ok\n', 0);
    const check = {
      status: 'pass' as const,
      expected: a.expected,
      actual: a.seen,
      reasons: a.reasons,
      outcome: a.outcome,
      finding: a.label,
    };
    const html = renderToString(
      <RunbookViewer doc={doc} onRunStep={() => undefined} checks={{ 'db-integrity': check }} />,
    );
    expect(html).toContain('<table>');
    expect(html).toContain('type="checkbox"');
    expect(html).toMatch(/SEV-2/);
    expect(html).toContain('15 minutes');
    expect(html).toContain('/srv/aura/aura.db');
    expect(html).not.toContain('{{dbPath}}');
    expect(html).toContain('Run &amp; check');
    expect(html).toContain('data-step="db-integrity"');
    expect(html).toContain('data-outcome="ok"');
    expect(html).toContain('<strong>OK</strong>');
    expect(html).toContain('href="#runbook:bundled:other.md"');
    expect(html).toContain('href="https://sqlite.org/"');
    expect(html).toMatch(/id="rb-3-diagnosis"/);
    // The outline marks the sections this runbook lacks.
    expect(html).toMatch(/class="rb-missing"[^>]*>Symptoms</);
    // Only the shell block is a step: one Run button.
    expect(html.match(/>Run</g)?.length).toBe(1);
  });
});

describe('safeUrl', () => {
  it('empties refused schemes and keeps http(s), mailto and relative links', () => {
    expect(safeUrl('javascript:alert(1)')).toBe('');
    expect(safeUrl(' data:text/html,x')).toBe('');
    expect(safeUrl('vbscript:x')).toBe('');
    expect(safeUrl('https://example.com/a')).toBe('https://example.com/a');
    expect(safeUrl('./other.md#x')).toBe('./other.md#x');
  });
});

describe('highlight', () => {
  it('classes comments, strings, variables, placeholders and keywords in shell', () => {
    const t = highlight('# check\ncurl -s "$URL" {{apiUrl}}/health', 'bash');
    expect(t.map((x) => [x.kind, x.text])).toEqual([
      ['comment', '# check'],
      ['text', '\n'],
      ['keyword', 'curl'],
      ['text', ' '],
      ['flag', '-s'],
      ['text', ' '],
      ['string', '"$URL"'],
      ['text', ' '],
      ['placeholder', '{{apiUrl}}'],
      ['text', '/health'],
    ]);
    expect(t.map((x) => x.text).join('')).toBe('# check\ncurl -s "$URL" {{apiUrl}}/health');
  });

  it('keeps unknown languages as text', () => {
    expect(highlight('<b>x</b>', 'text')).toEqual([{ kind: 'text', text: '<b>x</b>' }]);
  });

  it("shows a step's declared answers and a finding by its name, never FAIL (issue 17)", () => {
    const doc = docFrom(`# Live
## 3. Diagnosis
\`\`\`bash {name="liveness" ok="/HTTP 200/" finding-api-not-listening="exit 7" finding-api-hung="exit 28"}
curl -sS -o /dev/null --max-time 5 -w 'HTTP %{http_code}' {{apiUrl}}/health/live
\`\`\`
`);
    const a = answerStep(doc.steps[0].answers, 'curl: (7) Failed to connect to 127.0.0.1 port 5005\n', 7);
    const verdict = {
      status: 'fail' as const,
      expected: a.expected,
      actual: a.seen,
      reasons: a.reasons,
      outcome: a.outcome,
      finding: a.label,
    };
    const html = renderToString(
      <RunbookViewer doc={doc} onRunStep={() => undefined} checks={{ liveness: verdict }} />,
    );
    expect(html).toContain('Run &amp; check');
    expect(html).toMatch(
      /class="rb-answer rb-answer-finding" title="Finding when exit 7">API not listening</,
    );
    expect(html).toMatch(/data-outcome="finding"><strong>API not listening<\/strong>/);
    expect(html).not.toMatch(/FAIL/);
    // An older verdict without an outcome reads as unexpected, not as a finding.
    const old = renderToString(
      <RunbookViewer
        doc={doc}
        checks={{ liveness: { status: 'fail', expected: 'x', actual: 'y', reasons: ['r'] } }}
      />,
    );
    expect(old).toContain('data-outcome="unexpected"');
  });
});
