// Unit tests of the review workflow: front matter, transitions, lint, front-matter edits, the line
// diff and the revision proposed from a walk-through (hostile names included).
import { describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { lintRunbook } from './lint';
import { parseRunbook } from './parse';
import {
  hasTestEvidence,
  lineDiff,
  proposeRevision,
  revisionFileName,
  reviewFromFrontMatter,
  setFrontMatter,
  transitionProblem,
  type SessionFacts,
} from './review';
import { apiDownRunbook } from './test-fixtures';

const RUNBOOK = apiDownRunbook(
  `status: published
owner: ana
approvedBy: lee
lastReviewed: 2026-11-20
lastTested:
  date: 2026-11-21
  scenarios: [api-down]
  outcomes:
    api-down: { pass: 2, fail: 0, skipped: 1 }
`,
  '{{apiUrl}}',
  'Restart it.',
);
const now = new Date('2026-12-07T03:00:00Z');
const ctx = { now, exists: () => true };
const lintOf = (src: string) =>
  lintRunbook(parseRunbook(src, { file: 'api-down.md' }), ctx).map((p) => p.rule);

describe('review front matter', () => {
  it('reads status, people and test evidence', () => {
    const r = parseRunbook(RUNBOOK, { file: 'api-down.md' }).review!;
    expect(r.status).toBe('published');
    expect(r.owner).toBe('ana');
    expect(r.approvedBy).toBe('lee');
    expect(r.lastTested).toEqual({
      date: '2026-11-21',
      scenarios: ['api-down'],
      outcomes: { 'api-down': { pass: 2, fail: 0, skipped: 1 } },
    });
    expect(hasTestEvidence(r.lastTested)).toBe(true);
  });

  it('names what it cannot read instead of guessing', () => {
    const r = reviewFromFrontMatter({
      status: 'shipped',
      lastTested: { date: 'soon' },
      approvedBy: { $ne: 1 },
    });
    expect(r.status).toBeNull();
    expect(r.approvedBy).toBeNull();
    expect(r.problems.join(' ')).toMatch(
      /status must be one of draft, tested, reviewed, approved, published/,
    );
    expect(r.problems.join(' ')).toMatch(/lastTested.date/);
  });

  it('a failed or empty test is no evidence', () => {
    expect(
      hasTestEvidence({
        date: '2026-12-01',
        scenarios: ['x'],
        outcomes: { x: { pass: 3, fail: 1, skipped: 0 } },
      }),
    ).toBe(false);
    expect(
      hasTestEvidence({
        date: '2026-12-01',
        scenarios: ['x'],
        outcomes: { x: { pass: 0, fail: 0, skipped: 4 } },
      }),
    ).toBe(false);
    expect(hasTestEvidence({ date: '2026-12-01', scenarios: [], outcomes: {} })).toBe(false);
    expect(hasTestEvidence(null)).toBe(false);
  });
});

describe('transitions (default-deny)', () => {
  const base = reviewFromFrontMatter({ status: 'draft', owner: 'ana' });
  it('moves one step at a time in the handbook order', () => {
    expect(transitionProblem(base, null, 'reviewed', 'bo')).toMatch(/moves to tested, not to reviewed/);
    expect(transitionProblem(base, null, 'published', 'bo')).toMatch(/not to published/);
    expect(
      transitionProblem(reviewFromFrontMatter({ status: 'published' }), null, 'published', 'bo'),
    ).toMatch(/nothing further/);
  });
  it('asks for what each step needs', () => {
    expect(transitionProblem(base, null, 'tested', 'ana')).toMatch(/Test it in the sandbox first/);
    const tested = {
      ...base,
      status: 'tested' as const,
      lastTested: {
        date: '2026-12-07',
        scenarios: ['current'],
        outcomes: { current: { pass: 1, fail: 0, skipped: 0 } },
      },
    };
    expect(transitionProblem(base, null, 'tested', ' ')).toMatch(/Say who you are/);
    expect(transitionProblem(tested, null, 'reviewed', 'ANA')).toMatch(/owner cannot be its own reviewer/);
    expect(transitionProblem(tested, null, 'reviewed', 'bo')).toBeNull();
    expect(transitionProblem({ ...tested, status: 'reviewed' }, '2026-12-07', 'approved', 'lee')).toMatch(
      /peer review/,
    );
    expect(
      transitionProblem(
        { ...tested, status: 'approved', reviewedBy: 'bo' },
        '2026-12-07',
        'published',
        'lee',
      ),
    ).toMatch(/approval/);
    expect(
      transitionProblem(
        { ...tested, status: 'approved', reviewedBy: 'bo', approvedBy: 'lee' },
        '2026-12-07',
        'published',
        'lee',
      ),
    ).toBeNull();
    expect(transitionProblem(tested, null, 'draft', 'bo')).toBeNull();
  });
});

describe('lint of a published runbook', () => {
  it('is quiet when approved, tested and reviewed within 90 days', () => {
    expect(lintOf(RUNBOOK).filter((r) => r.startsWith('review-'))).toEqual([]);
  });
  it('flags no approval, no test evidence, and an old review', () => {
    expect(lintOf(RUNBOOK.replace('approvedBy: lee\n', ''))).toContain('review-approval');
    expect(lintOf(RUNBOOK.replace('fail: 0', 'fail: 2'))).toContain('review-tested');
    expect(lintOf(RUNBOOK.replace(/lastTested:[\s\S]*?skipped: 1 \}\n/, ''))).toContain('review-tested');
    expect(lintOf(RUNBOOK.replace('2026-11-20', '2026-08-01'))).toContain('review-age');
    expect(lintOf(RUNBOOK.replace('lastReviewed: 2026-11-20\n', ''))).toContain('review-age');
  });
  it('leaves drafts alone', () => {
    expect(
      lintOf(RUNBOOK.replace('status: published', 'status: draft').replace('approvedBy: lee\n', '')).filter(
        (r) => r.startsWith('review-'),
      ),
    ).toEqual([]);
  });
});

describe('setFrontMatter', () => {
  it('sets and removes keys and keeps the body byte for byte', () => {
    const out = setFrontMatter(RUNBOOK, { status: 'draft', approvedBy: null, reviewedBy: 'bo' });
    const fm = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(out)![1]) as Record<string, unknown>;
    expect(fm.status).toBe('draft');
    expect(fm.approvedBy).toBeUndefined();
    expect(fm.reviewedBy).toBe('bo');
    expect(fm.title).toBe('API Down');
    expect(out.slice(out.indexOf('# API Down'))).toBe(RUNBOOK.slice(RUNBOOK.indexOf('# API Down')));
  });
  it('adds front matter to a file without any', () => {
    expect(setFrontMatter('# T\n', { status: 'draft' })).toBe('---\nstatus: draft\n---\n# T\n');
  });
  it('refuses front matter that is not a map', () => {
    expect(() => setFrontMatter('---\n- a\n- b\n---\n# T\n', { status: 'draft' })).toThrow(/not a map/);
    expect(() => setFrontMatter('---\nkey: [unclosed\n---\n# T\n', { status: 'draft' })).toThrow(
      /not valid YAML/,
    );
  });
  it('a value cannot break out of its key', () => {
    const out = setFrontMatter('# T\n', { reviewedBy: 'x\n---\nstatus: published' });
    const fm = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(out)![1]) as Record<string, unknown>;
    expect(Object.keys(fm)).toEqual(['reviewedBy']);
    expect(fm.reviewedBy).toBe('x\n---\nstatus: published');
  });
});

describe('lineDiff', () => {
  it('marks added and removed lines', () => {
    expect(lineDiff('a\nb\nc', 'a\nc\nd')).toEqual([
      { op: 'same', text: 'a' },
      { op: 'del', text: 'b' },
      { op: 'same', text: 'c' },
      { op: 'add', text: 'd' },
    ]);
    expect(lineDiff('same', 'same')).toEqual([{ op: 'same', text: 'same' }]);
  });
});

describe('proposeRevision', () => {
  const doc = parseRunbook(RUNBOOK, { file: 'incidents/api-down.md' });
  const facts: SessionFacts = {
    sessionId: '0123abcd-ffff-4000-8000-000000000000',
    sessionTitle: 'API Down',
    adHoc: [
      { command: 'ss -ltnp | grep 5005', exitCode: 1 },
      { command: 'echo ```; rm -rf /', exitCode: 0 },
    ],
    edited: [{ stepId: 'liveness', command: 'curl -s --max-time 5 {{apiUrl}}/health/live' }],
    skipped: [{ stepId: 'restart', why: 'declined', reason: 'not in a window' }],
    shouldSay: ['check the port first'],
  };
  const out = proposeRevision(doc, RUNBOOK, facts, '2026-12-07');
  const fm = parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(out)![1]) as Record<string, unknown>;

  it('is a draft that names its source and session, without the original approval', () => {
    expect(fm.status).toBe('draft');
    expect(fm.revisionOf).toBe('incidents/api-down.md');
    expect(fm.session).toBe(facts.sessionId);
    expect(fm.approvedBy).toBeUndefined();
    expect(fm.lastTested).toBeUndefined();
  });
  it('holds the ad hoc commands as steps, the notes, the edited command and the skip', () => {
    const re = parseRunbook(out, { file: 'x.md' });
    expect(re.steps.map((s) => s.code)).toContain('ss -ltnp | grep 5005');
    // A command holding a fence stays inside its own, longer fence.
    expect(re.steps.map((s) => s.code)).toContain('echo ```; rm -rf /');
    expect(re.steps.find((s) => s.id === 'liveness')?.code).toBe(
      'curl -s --max-time 5 {{apiUrl}}/health/live',
    );
    expect(out).toContain('The runbook should say: check the port first');
    expect(out).toMatch(/step `restart` was declined \(not in a window\)/);
    // The proposal goes before Prevention, and the six sections stay in order.
    expect(out.indexOf('## Proposed from session 0123abcd')).toBeLessThan(out.indexOf('## Prevention'));
    expect(re.sections.map((s) => s.name)).toEqual([
      'Overview',
      'Symptoms',
      'Diagnosis',
      'Resolution',
      'Prevention',
      'References',
    ]);
  });
});

describe('revisionFileName', () => {
  it('is flat, lower-case and safe whatever the names hold', () => {
    expect(revisionFileName('incidents/API Down.md', '0123abcd-ff', '2026-12-07')).toBe(
      'api-down.rev-20261207-0123abcd.md',
    );
    for (const hostile of [
      '../../etc/passwd',
      '..\\..\\win.ini',
      '/abs/path.md',
      '.hidden.md',
      '\u0000evil.md',
      '…….md',
      '',
    ]) {
      const name = revisionFileName(hostile, '../../x', '2026-12-07');
      expect(name).toMatch(/^[a-z0-9][a-z0-9.-]*\.md$/);
      expect(name).not.toContain('..');
      expect(name).not.toMatch(/[\\/]/);
    }
    expect(revisionFileName('a.md', 's', '2026-12-07', 3)).toBe('a.rev-20261207-s-3.md');
  });
});
