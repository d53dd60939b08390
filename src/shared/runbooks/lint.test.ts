// Lint rules of the handbook's standards, one bad input per rule, against a clean baseline.
import { describe, expect, it } from 'vitest';
import { isStale, lintRunbook, reviewAgeDays, type LintContext } from './lint';
import { parseRunbook } from './parse';

const NOW = new Date('2025-12-10T12:00:00Z');
const FILES: Record<string, string[]> = { 'other.md': ['other', '2-symptoms'], 'doc.md': [] };
const ctx: LintContext = {
  now: NOW,
  exists: (t) => t in FILES,
  slugsOf: (t) => FILES[t] ?? null,
};

const GOOD = `---
category: Incident Response
lastReviewed: 2025-11-01
---
# Database Issues

## 1. Overview
Text, see [other](./other.md#2-symptoms) and [below](#6-references).

## 2. Symptoms
- Locked

## 3. Diagnosis
\`\`\`bash {expect="/ok/"}
echo ok
\`\`\`

## 4. Resolution
1. Stop the API.
2. Restart it.

## 5. Prevention
Keep one writer.

## 6. References
- [other](other.md)
`;

const lint = (text: string, file = 'doc.md', c: LintContext = ctx) =>
  lintRunbook(parseRunbook(text, { file }), c);
const rules = (text: string, c: LintContext = ctx) =>
  lint(text, 'doc.md', c).map((p) => `${p.severity}:${p.rule}`);

describe('lintRunbook', () => {
  it('finds nothing wrong with a runbook that follows the handbook', () => {
    expect(lint(GOOD)).toEqual([]);
  });

  it('requires a clear title', () => {
    expect(rules(GOOD.replace('# Database Issues', ''))).toContain('error:title');
    expect(rules(GOOD.replace('# Database Issues', '# Runbook'))).toContain('warning:title');
  });

  it('reports each missing section at the title line, and sections out of order', () => {
    const noPrev = lint(GOOD.replace('## 5. Prevention\nKeep one writer.\n', ''));
    expect(noPrev).toContainEqual(
      expect.objectContaining({
        rule: 'sections',
        line: 5,
        severity: 'error',
        message: expect.stringContaining('"Prevention"'),
      }),
    );
    const swapped = GOOD.replace('## 1. Overview', '## 1. Symptoms0')
      .replace('## 2. Symptoms', '## 2. Overview')
      .replace('Symptoms0', 'Symptoms');
    expect(rules(swapped)).toContain('warning:section-order');
  });

  it('requires numbered or imperative steps under Resolution', () => {
    const prose = GOOD.replace('1. Stop the API.\n2. Restart it.', 'We think a restart helps.');
    expect(rules(prose)).toContain('error:resolution-steps');
    const bullets = GOOD.replace('1. Stop the API.\n2. Restart it.', '- Stop the API.\n- Restart it.');
    expect(rules(bullets)).not.toContain('error:resolution-steps');
    const vague = GOOD.replace('2. Restart it.', '2. You should maybe restart it.');
    expect(lint(vague)).toContainEqual(
      expect.objectContaining({ rule: 'imperative', severity: 'warning', line: 19 }),
    );
  });

  it('requires a language on every code fence, with its line', () => {
    const p = lint(GOOD.replace('```bash {expect="/ok/"}', '```'));
    expect(p).toEqual([expect.objectContaining({ rule: 'code-lang', line: 14, severity: 'error' })]);
  });

  it('warns when the review is older than a quarter, missing, or in the future', () => {
    expect(rules(GOOD.replace('2025-11-01', '2025-09-10'))).toEqual(['warning:last-reviewed']);
    expect(rules(GOOD.replace('2025-11-01', '2025-09-11'))).toEqual([]);
    expect(rules(GOOD.replace('lastReviewed: 2025-11-01\n', ''))).toEqual(['warning:last-reviewed']);
    expect(rules(GOOD.replace('2025-11-01', '2026-01-01'))).toEqual(['warning:last-reviewed']);
    expect(rules(GOOD, { ...ctx, now: new Date('2026-06-01T00:00:00Z') })).toEqual(['warning:last-reviewed']);
  });

  it('reports links that do not resolve, fragments that name no heading, and refused schemes', () => {
    expect(lint(GOOD.replace('](other.md)', '](missing.md)'))).toEqual([
      expect.objectContaining({ rule: 'link', severity: 'error', line: 26 }),
    ]);
    expect(rules(GOOD.replace('#2-symptoms', '#nowhere'))).toEqual(['warning:link']);
    expect(rules(GOOD.replace('#6-references', '#nowhere'))).toEqual(['warning:link']);
    expect(rules(GOOD.replace('](other.md)', '](../../escape.md)'))).toEqual(['error:link']);
    expect(rules(GOOD.replace('](other.md)', '](javascript:alert(1))'))).toEqual(['warning:unsafe-link']);
  });

  it('passes parse problems through (broken front matter, bad expectation)', () => {
    expect(rules(GOOD.replace('category: Incident Response', 'category: [x'))).toContain(
      'error:front-matter',
    );
    expect(rules(GOOD.replace('/ok/', '/(/'))).toContain('error:step-expect');
  });

  it('checks an index (README.md) for links and fences only, not for the six sections', () => {
    expect(lint('# Handbook\n\n- [Other](other.md)\n', 'README.md')).toEqual([]);
    expect(lint('# Handbook\n\n- [Gone](gone.md)\n\n```\nx\n```\n', 'README.md').map((p) => p.rule)).toEqual([
      'link',
      'code-lang',
    ]);
  });

  it('warns on -{{today}}.log in a command and names the live-log variable of its family', () => {
    const withStep = (code: string) => GOOD.replace('echo ok', () => code);
    const found = lint(withStep('grep -c x {{logsDir}}/errors-{{today}}.log'));
    expect(found.map((p) => `${p.line}:${p.severity}:${p.rule}`)).toEqual(['14:warning:live-log']);
    expect(found[0].message).toContain('use {{errorsLog}} ');
    expect(lint(withStep('tail {{logsDir}}/aura-api-{{ today }}.log'))[0].message).toContain(
      'use {{apiLog}} ',
    );
    // A prefix that is no family (or an Object.prototype key) gets the list, not a made-up variable.
    for (const odd of ['cat {{logsDir}}/constructor-{{today}}.log', 'cat {{logsDir}}/-{{today}}.log']) {
      const [p] = lint(withStep(odd));
      expect(p.rule).toBe('live-log');
      expect(p.message).toContain(
        '{{apiLog}}, {{errorsLog}}, {{warningsLog}}, {{performanceLog}}, {{auditLog}}',
      );
    }
    // The variable itself, a dated backup and the roll pattern of an ls are fine.
    for (const ok of [
      'tail {{apiLog}}',
      'cp a {{dataRoot}}/backups/aura-{{today}}.db',
      "ls | grep -E -- -{{today}}'(_[0-9]{3})?\\.log$'",
    ]) {
      expect(lint(withStep(ok))).toEqual([]);
    }
    // Prose and output blocks are not commands; an index's commands are.
    expect(lint(GOOD.replace('Keep one writer.', 'Old runbooks read aura-api-{{today}}.log.'))).toEqual([]);
    expect(
      lint('# Handbook\n\n```bash\ntail {{logsDir}}/audit-{{today}}.log\n```\n', 'README.md').map(
        (p) => p.rule,
      ),
    ).toEqual(['live-log']);
  });
});

describe('review age', () => {
  it('counts calendar days and marks older than 90 or missing as stale', () => {
    expect(reviewAgeDays('2025-12-09', NOW)).toBe(1);
    expect(isStale('2025-09-11', NOW)).toBe(false);
    expect(isStale('2025-09-10', NOW)).toBe(true);
    expect(isStale(null, NOW)).toBe(true);
  });
});
