// Runbook metadata on its own: the value parsers, the front matter block, and bold-line inference
// (the parser's tests cover them inside whole documents).
import { describe, expect, it } from 'vitest';
import * as metadata from './metadata';
import type { ParseProblem } from './types';

describe('value parsers', () => {
  it('reads a severity as SEV-n, a bare number or a word', () => {
    expect(metadata.parseSeverity('sev_2')).toBe('SEV-2');
    expect(metadata.parseSeverity(' 3 ')).toBe('SEV-3');
    expect(metadata.parseSeverity(1)).toBe('SEV-1');
    expect(metadata.parseSeverity('Moderate impact')).toBe('SEV-3');
    expect(metadata.parseSeverity(5)).toBeNull();
    expect(metadata.parseSeverity('urgent')).toBeNull();
  });

  it('reads a category whatever its case, and nothing else', () => {
    expect(metadata.parseCategory(' MAINTENANCE ')).toBe('Maintenance');
    expect(metadata.parseCategory('gardening')).toBeNull();
    expect(metadata.parseCategory(3)).toBeNull();
  });

  it('reads review dates as yyyy-mm-dd and refuses impossible ones', () => {
    expect(metadata.parseReviewDate('2024/11/5')).toBe('2024-11-05');
    expect(metadata.parseReviewDate(new Date(Date.UTC(2024, 0, 31)))).toBe('2024-01-31');
    expect(metadata.parseReviewDate('2024-02-30')).toBeNull();
    expect(metadata.parseReviewDate('not a date')).toBeNull();
  });
});

describe('splitFrontMatter', () => {
  it('counts the lines of the block, fences included', () => {
    const problems: ParseProblem[] = [];
    expect(metadata.splitFrontMatter('---\ntitle: A\n---\n# A', problems)).toEqual({
      data: { title: 'A' },
      lines: 3,
    });
    expect(problems).toEqual([]);
  });

  it('reports a block that is never closed, and reads no front matter', () => {
    const problems: ParseProblem[] = [];
    expect(metadata.splitFrontMatter('---\ntitle: A\n# A', problems)).toEqual({ data: null, lines: 0 });
    expect(problems.map((p) => p.rule)).toEqual(['front-matter']);
  });

  it('reports a block that is not a mapping, and skips its lines', () => {
    const problems: ParseProblem[] = [];
    expect(metadata.splitFrontMatter('---\n- a\n- b\n---\nbody', problems)).toEqual({ data: null, lines: 4 });
    expect(problems[0]?.line).toBe(2);
  });
});

describe('inferFromBoldLines', () => {
  it('fills only what is still empty, marked as inferred', () => {
    const meta = metadata.emptyMeta();
    meta.severity = 'SEV-1';
    meta.sources.severity = 'front-matter';
    metadata.inferFromBoldLines(
      meta,
      '- **Severity**: Low\n- **Estimated Time**: 10 min\n**Owner:** Ops team',
    );
    expect(meta.severity).toBe('SEV-1');
    expect(meta.sources.severity).toBe('front-matter');
    expect(meta.estimatedTime).toBe('10 min');
    expect(meta.sources.estimatedTime).toBe('inferred');
    expect(meta.owner).toBe('Ops team');
  });
});
