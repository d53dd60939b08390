// The runbook parser on small inline documents and on hostile input: raw HTML, scripts,
// javascript:/data: links, an img with onerror, a 5 MB file, broken front matter, no headings.
import { describe, expect, it } from 'vitest';
import { MAX_PARSE_CHARS, parseRunbook, sectionNameOf } from './parse';

const parse = (text: string, file = 'dir/doc.md', variables?: Record<string, string>) =>
  parseRunbook(text, { file, variables });

describe('front matter', () => {
  it('reads every field and keeps line numbers of the whole file', () => {
    const doc = parse(`---
title: Cache Management
category: maintenance
severity: 2
estimated_time: 20 minutes
symptoms: [Redis refuses connections, "cache hit rate 0%"]
tags: redis, cache
owner: Ops
last-reviewed: 2025-10-01
---
# Cache Management

## Overview
Text.
`);
    expect(doc.meta).toMatchObject({
      title: 'Cache Management',
      category: 'Maintenance',
      severity: 'SEV-2',
      estimatedTime: '20 minutes',
      symptoms: ['Redis refuses connections', 'cache hit rate 0%'],
      tags: ['redis', 'cache'],
      owner: 'Ops',
      lastReviewed: '2025-10-01',
    });
    expect(doc.meta.sources.title).toBe('front-matter');
    expect(doc.bodyLineOffset).toBe(10);
    expect(doc.headings[0]).toMatchObject({ text: 'Cache Management', line: 11, depth: 1 });
    expect(doc.sections[0]).toMatchObject({ name: 'Overview', line: 13 });
    expect(doc.problems).toEqual([]);
  });

  it('reports invalid YAML as a problem with its line, and still parses the body', () => {
    const doc = parse('---\ntitle: ok\nsymptoms: [unclosed\n---\n# Real Title\n\n## Overview\n');
    expect(doc.problems).toHaveLength(1);
    expect(doc.problems[0]).toMatchObject({ severity: 'error', rule: 'front-matter' });
    expect(doc.problems[0].line).toBeGreaterThanOrEqual(2);
    expect(doc.meta.title).toBe('Real Title');
    expect(doc.sections.map((s) => s.name)).toEqual(['Overview']);
  });

  it('reports an unclosed front matter block and treats the file as plain Markdown', () => {
    const doc = parse('---\ntitle: x\n\n# Heading\n');
    expect(doc.problems[0]).toMatchObject({ rule: 'front-matter', line: 1 });
    expect(doc.bodyLineOffset).toBe(0);
  });

  it('reports a front matter that is not a mapping, and bad field values as warnings', () => {
    expect(parse('---\n- a\n- b\n---\n# T\n').problems[0].message).toMatch(/key: value/);
    const doc = parse('---\ncategory: Gardening\nseverity: SEV-9\nlastReviewed: yesterday-ish\n---\n# T\n');
    expect(doc.problems.map((p) => [p.severity, p.message.split(':')[0]])).toEqual([
      ['warning', 'Front matter "category"'],
      ['warning', 'Front matter "severity"'],
      ['warning', 'Front matter "lastReviewed"'],
    ]);
    expect(doc.meta.category).toBeNull();
    expect(doc.meta.severity).toBeNull();
  });
});

describe('inference without front matter (Aura docs style)', () => {
  const aura = `# Provider Failures Runbook

## 1. Overview

- **Severity**: Critical
- **Estimated Time**: 30 minutes
**Category**: Incident Response

## 2. Symptoms

- OpenAI returns 429
- Circuit breaker open

## 3. Diagnosis

Text.

## 4. Resolution Steps

1. Reset the breaker.

## 5. Prevention
## 6. References

---

**Last Updated**: November 10, 2024
`;
  it('takes title, severity, time, category, symptoms and the footer date', () => {
    const doc = parse(aura);
    expect(doc.meta).toMatchObject({
      title: 'Provider Failures Runbook',
      severity: 'SEV-1',
      estimatedTime: '30 minutes',
      category: 'Incident Response',
      symptoms: ['OpenAI returns 429', 'Circuit breaker open'],
      lastReviewed: '2024-11-10',
    });
    expect(doc.meta.sources).toMatchObject({
      severity: 'inferred',
      title: 'inferred',
      lastReviewed: 'inferred',
    });
  });

  it('finds the six numbered sections with their lines and ranges', () => {
    const doc = parse(aura);
    expect(doc.sections.map((s) => [s.name, s.line])).toEqual([
      ['Overview', 3],
      ['Symptoms', 9],
      ['Diagnosis', 14],
      ['Resolution', 18],
      ['Prevention', 22],
      ['References', 23],
    ]);
    expect(doc.sections[3].endLine).toBe(21);
  });

  it('matches section headings the way authors write them', () => {
    expect(sectionNameOf('3. Diagnosis')).toBe('Diagnosis');
    expect(sectionNameOf('Diagnostic Steps')).toBe('Diagnosis');
    expect(sectionNameOf('Step 4: Resolution')).toBe('Resolution');
    expect(sectionNameOf('Overview:')).toBe('Overview');
    expect(sectionNameOf('Resolutions of the board')).toBeNull();
    expect(sectionNameOf('Related runbooks')).toBeNull();
  });
});

describe('code blocks and steps', () => {
  const doc = parse(
    [
      '# T',
      '## Diagnosis',
      '```bash {name="db-integrity" expect="/^ok$/m"}',
      'sqlite3 "{{dbPath}}" "PRAGMA integrity_check;"',
      '```',
      '```console',
      '$ curl -s {{apiUrl}}/health/live',
      '{"status":"healthy"}',
      '```',
      '```json',
      '{"a":1}',
      '```',
      '```',
      'plain',
      '```',
      '## Resolution',
      '```sh {expect="/(broken/"}',
      'echo {{nope}}',
      '```',
    ].join('\n'),
    'doc.md',
    { dbPath: '/data/aura.db', apiUrl: 'http://127.0.0.1:5005' },
  );

  it('lists every block with language, line and section; only shell fences are steps', () => {
    expect(doc.codeBlocks.map((b) => [b.lang, b.line, b.section, b.executable])).toEqual([
      ['bash', 3, 'Diagnosis', true],
      ['console', 6, 'Diagnosis', true],
      ['json', 10, 'Diagnosis', false],
      [null, 13, 'Diagnosis', false],
      ['sh', 17, 'Resolution', true],
    ]);
    expect(doc.steps.map((s) => s.id)).toEqual(['db-integrity', 'step-2', 'step-3']);
  });

  it('fills install variables and reports the ones it cannot fill', () => {
    expect(doc.steps[0].filled).toBe('sqlite3 "/data/aura.db" "PRAGMA integrity_check;"');
    expect(doc.steps[0].code).toContain('{{dbPath}}');
    expect(doc.steps[0].expect).toEqual({ pattern: '^ok$', flags: 'm', exitCode: 0 });
    expect(doc.steps[2].missingVariables).toEqual(['nope']);
    expect(doc.steps[2].filled).toBe('echo {{nope}}');
  });

  it('warns when a step puts a variable inside quotes, and refuses a hostile value in backticks', () => {
    expect(doc.problems).toContainEqual(
      expect.objectContaining({ rule: 'step-variable-quoted', severity: 'warning' }),
    );
    const bare = parse('# T\n\n```bash\nls {{logsDir}}\n```\n', 'x.md', { logsDir: '/l' });
    expect(bare.problems.filter((p) => p.rule.startsWith('step-variable'))).toEqual([]);
    const tick = parse('# T\n\n```bash\necho `ls {{logsDir}}`\n```\n', 'x.md', { logsDir: '/a b$(id)' });
    expect(tick.steps[0].missingVariables).toEqual(['logsDir']);
    expect(tick.steps[0].filled).toBe('echo `ls {{logsDir}}`');
    expect(tick.problems).toContainEqual(
      expect.objectContaining({ rule: 'step-variable-unsafe', severity: 'error' }),
    );
  });

  it('runs only the prompted lines of a console block', () => {
    expect(doc.steps[1].filled).toBe('curl -s http://127.0.0.1:5005/health/live');
  });

  it('reports an invalid expectation regex as a problem on the fence line', () => {
    expect(doc.steps[2].expect).toBeNull();
    expect(doc.steps[2].expectError).toMatch(/not a valid regular expression/);
    expect(doc.problems).toContainEqual(
      expect.objectContaining({ rule: 'step-expect', line: 17, severity: 'error' }),
    );
  });

  it('reports a step name used twice', () => {
    const d = parse('```bash {name=a}\nls\n```\n\n```bash {name=a}\nls\n```\n');
    expect(d.problems.map((p) => p.rule)).toEqual(['step-name']);
  });
});

describe('links', () => {
  it('resolves relative .md links against the file, keeps fragments, classifies the rest', () => {
    const doc = parse(
      '[a](../other.md#2-symptoms) [b](sub/x.md) [c](#local) [d](https://example.com/) [e](mailto:x@y) [f](/root.md) [g](./pic.png)',
      'team/dir/doc.md',
    );
    expect(doc.links.map((l) => [l.kind, l.target, l.fragment])).toEqual([
      ['runbook', 'team/other.md', '2-symptoms'],
      ['runbook', 'team/dir/sub/x.md', null],
      ['anchor', null, 'local'],
      ['external', null, null],
      ['other', null, null],
      ['runbook', 'root.md', null],
      ['other', null, null],
    ]);
  });
});

describe('hostile input', () => {
  it('does not execute or keep raw HTML; it is reported once as shown-as-text', () => {
    const doc = parse(
      '# T\n\n<script>alert(1)</script>\n\n<img src=x onerror="alert(1)">\n\nText <b onclick="x()">b</b>\n',
    );
    expect(doc.problems.filter((p) => p.rule === 'raw-html')).toHaveLength(1);
    expect(doc.problems[0].line).toBe(3);
    expect(doc.links).toEqual([]);
  });

  it('refuses javascript:, data: and vbscript: links, also obfuscated', () => {
    const doc = parse(
      '[a](javascript:alert(1)) [b](data:text/html;base64,PHNjcmlwdD4=) [c](VBScript:msgbox) [d](<java\tscript:alert(1)>) [e]: javascript:void(0)\n\n[e][e]',
    );
    const kinds = doc.links.map((l) => l.kind);
    expect(kinds.every((k) => k === 'refused')).toBe(true);
    expect(kinds.length).toBeGreaterThanOrEqual(4);
    expect(doc.problems.filter((p) => p.rule === 'unsafe-link').length).toBe(kinds.length);
  });

  it('parses a document with no headings at all: no title, no sections, no crash', () => {
    const doc = parse('just some text\n\nand more\n');
    expect(doc.meta.title).toBeNull();
    expect(doc.sections).toEqual([]);
    expect(doc.headings).toEqual([]);
  });

  it('does not take a section heading as the title', () => {
    expect(parse('## Overview\ntext\n').meta.title).toBeNull();
  });

  it('handles an empty file and CRLF line endings', () => {
    expect(parse('').lineCount).toBe(0);
    const doc = parse('# Title\r\n\r\n## Overview\r\n');
    expect(doc.sections[0].line).toBe(3);
  });

  it('cuts a 5 MB file to the parse limit with an error instead of hanging', () => {
    const chunk = 'Line with **bold**, a [link](./x.md) and <b>html</b>.\n\n';
    const big = `# Huge\n\n${chunk.repeat(Math.ceil((5 * 1024 * 1024) / chunk.length))}`;
    expect(big.length).toBeGreaterThan(5 * 1024 * 1024);
    const doc = parse(big);
    expect(doc.meta.title).toBe('Huge');
    expect(doc.body.length).toBeLessThanOrEqual(MAX_PARSE_CHARS);
    expect(doc.problems).toContainEqual(expect.objectContaining({ rule: 'too-large', severity: 'error' }));
  });
});

describe('fence attributes as written', () => {
  it('keeps backslashes in an expectation: Markdown would have eaten them', () => {
    const md = [
      '# T',
      '',
      '## Diagnosis',
      '',
      '```bash {name="s" expect="/\\"status\\":\\"healthy\\"\\\\./"}',
      'curl -s x',
      '```',
      '',
    ].join('\n');
    const doc = parse(md, 't.md');
    const step = doc.steps[0]!;
    expect(step.expect).toEqual({ pattern: '"status":"healthy"\\.', flags: '', exitCode: 0 });
  });
});
