// The review service on real files, a real ops.db and a real walk-through service: drafts proposed
// from a session and saved beside the runbook (hostile names and planted links included), and the
// draft -> published path with who and when, for the operator's runbooks and for bundled ones.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import type { ServiceContext } from '../context';
import { OpsStore } from '../store/store';
import { WalkthroughService } from '../walkthroughs/service';
import { parseRunbook } from '../../../shared/runbooks/parse';
import { apiDownRunbook } from '../../../shared/runbooks/test-fixtures';
import { RunbookLibrary } from './library';
import { ReviewService } from './review-service';

const RUNBOOK = apiDownRunbook(
  'category: Incident Response\nowner: ana\n',
  'http://127.0.0.1:5005',
  'Restart the API.',
);
const cleanups: (() => void)[] = [];
afterEach(() => {
  for (const c of cleanups.splice(0)) c();
});

function tmp(prefix: string): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  cleanups.push(() => fs.rmSync(d, { recursive: true, force: true }));
  return d;
}

function setup(opts: { bundled?: string; folders?: string[] } = {}) {
  const dataDir = tmp('aura-review-data-');
  const store = OpsStore.open(dataDir);
  cleanups.unshift(() => store.close());
  const ctx: ServiceContext = {
    dataDir,
    getInstall: () => null,
    emit: () => undefined,
    onDispose: () => undefined,
  };
  const wt = new WalkthroughService(store, ctx);
  let review: ReviewService | null = null;
  const library = new RunbookLibrary({
    bundledDir: opts.bundled ?? null,
    folders: opts.folders ?? [],
    reviewStatusOf: (id) => review?.storedStatus(id) ?? null,
  });
  review = new ReviewService({
    library,
    store,
    walkthroughs: wt,
    getInstall: () => null,
    shimDir: () => null,
    onChanged: () => undefined,
  });
  return { wt, library, review, store };
}

/** A walk-through of `runbookId` with one ad hoc command, one declined step and one "should say" note. */
function walk(wt: WalkthroughService, runbookId: string): string {
  const s = wt.start({ kind: 'runbook', title: 'API Down', runbookId, fromTriage: false });
  wt.commandFinished({
    sessionId: 't1',
    command: 'ss -ltnp | grep 5005',
    exitCode: 1,
    cwd: '/tmp',
    startedAt: '',
    endedAt: '',
    durationMs: 12,
    outputExcerpt: '',
    runId: null,
  });
  wt.stepNotRun(
    { runId: 'run-declined-1', stepId: 'restart', runbookId, command: 'systemctl restart aura' },
    'declined',
    'outside the window',
  );
  wt.record(s.id, {
    type: 'note',
    text: 'check the port before restarting',
    deviation: false,
    shouldSay: true,
  });
  return s.id;
}

const frontMatter = (text: string) =>
  parseYaml(/^---\n([\s\S]*?)\n---\n/.exec(text)![1]) as Record<string, unknown>;

describe('revisions from a session', () => {
  it('proposes a draft with the ad hoc command and saves it beside the runbook, never over it', () => {
    const dir = tmp('aura-review-rb-');
    fs.mkdirSync(path.join(dir, 'incidents'));
    const file = path.join(dir, 'incidents', 'api-down.md');
    fs.writeFileSync(file, RUNBOOK);
    const { wt, library, review } = setup({ folders: [dir] });
    const id = library.list(true).runbooks.find((r) => r.file === 'incidents/api-down.md')!.id;
    const sid = walk(wt, id);

    const p = review.propose(sid);
    expect(p.counts).toEqual({ adHoc: 1, edited: 0, skipped: 2, shouldSay: 1 });
    expect(p.text).toContain('ss -ltnp | grep 5005');
    expect(p.text).toContain('The runbook should say: check the port before restarting');
    expect(p.text).toMatch(/step `restart` was declined \(outside the window\)/);
    expect(p.targetFolder).toBe(path.join(dir, 'incidents'));

    // The operator edits it, even claiming it is published: it is saved as a draft all the same.
    const edited =
      p.text.replace('status: draft', 'status: published') + '\nOne more line by the operator.\n';
    const saved = review.saveRevision(sid, edited);
    expect(path.dirname(saved.path)).toBe(path.join(dir, 'incidents'));
    expect(saved.file).toMatch(/^api-down\.rev-\d{8}-[0-9a-f]{8}\.md$/);
    const text = fs.readFileSync(saved.path, 'utf8');
    expect(frontMatter(text)).toMatchObject({
      status: 'draft',
      revisionOf: 'incidents/api-down.md',
      session: sid,
    });
    expect(text).toContain('One more line by the operator.');
    expect(fs.readFileSync(file, 'utf8')).toBe(RUNBOOK);

    // A second save makes a second file; the library lists the draft with its status.
    const again = review.saveRevision(sid, p.text);
    expect(again.path).not.toBe(saved.path);
    expect(library.list(true).runbooks.find((r) => r.id === saved.id)?.reviewStatus).toBe('draft');

    // The session's timeline and report link to the draft.
    const d = wt.get(sid);
    expect(
      d.events.filter((e) => e.type === 'revision').map((e) => (e.type === 'revision' ? e.file : '')),
    ).toEqual([saved.path, again.path]);
    expect(wt.report(sid, 'markdown').content).toContain(
      `Draft revision of the runbook saved: [${saved.file.replace(/[_*[\]]/g, (c) => `\\${c}`)}]`,
    );
  });

  it('never writes outside the folder: hostile names, planted links, a folder swapped for a link', () => {
    const dir = tmp('aura-review-hostile-');
    const outside = tmp('aura-review-outside-');
    const hostile = 'a..$(touch pwned) `x`;rm -rf ~ \u202e.md';
    fs.writeFileSync(path.join(dir, hostile), RUNBOOK);
    const { wt, library, review } = setup({ folders: [dir] });
    const id = library.list(true).runbooks.find((r) => r.file === hostile)!.id;
    const sid = walk(wt, id);
    const p = review.propose(sid);

    // A link planted under the first draft name is not followed: the next name is used.
    const saved1 = review.saveRevision(sid, p.text);
    expect(path.dirname(saved1.path)).toBe(dir);
    expect(saved1.file).toMatch(/^[a-z0-9][a-z0-9.-]*\.md$/);
    fs.rmSync(saved1.path);
    const target = path.join(outside, 'victim.md');
    fs.writeFileSync(target, 'untouched');
    fs.symlinkSync(target, saved1.path);
    const saved2 = review.saveRevision(sid, p.text);
    expect(saved2.path).not.toBe(saved1.path);
    expect(fs.readFileSync(target, 'utf8')).toBe('untouched');
    expect(fs.readdirSync(outside)).toEqual(['victim.md']);

    // The runbook's own folder replaced by a link to elsewhere: nothing is written.
    const sub = tmp('aura-review-sub-');
    fs.mkdirSync(path.join(sub, 'rb'));
    fs.writeFileSync(path.join(sub, 'rb', 'api.md'), RUNBOOK);
    const s2 = setup({ folders: [sub] });
    const id2 = s2.library.list(true).runbooks.find((r) => r.file === 'rb/api.md')!.id;
    const sid2 = walk(s2.wt, id2);
    const text2 = s2.review.propose(sid2).text;
    fs.renameSync(path.join(sub, 'rb'), path.join(sub, 'rb-moved'));
    fs.symlinkSync(outside, path.join(sub, 'rb'));
    expect(() => s2.review.saveRevision(sid2, text2)).toThrow(/not inside the runbook folder/);
    expect(fs.readdirSync(outside)).toEqual(['victim.md']);
  });

  it('says what to do when the runbook is bundled and no folder of the operator can take a draft', () => {
    const bundled = tmp('aura-review-bundled-');
    fs.writeFileSync(path.join(bundled, 'api-down.md'), RUNBOOK);
    const { wt, library, review } = setup({ bundled });
    const id = library.list(true).runbooks[0].id;
    const sid = walk(wt, id);
    expect(review.propose(sid).targetFolder).toBeNull();
    expect(() => review.saveRevision(sid, review.propose(sid).text)).toThrow(
      /add a runbook folder of your own/,
    );
    expect(fs.readdirSync(bundled)).toEqual(['api-down.md']);
  });

  it('refuses front matter it cannot keep a draft status in, and writes nothing', () => {
    const dir = tmp('aura-review-badfm-');
    fs.writeFileSync(path.join(dir, 'api.md'), RUNBOOK);
    const { wt, library, review } = setup({ folders: [dir] });
    const sid = walk(wt, library.list(true).runbooks[0].id);
    expect(() => review.saveRevision(sid, '---\n- a list\n---\n# T\n')).toThrow(/not a map/);
    expect(fs.readdirSync(dir)).toEqual(['api.md']);
  });
});

describe('edited steps', () => {
  it('proposes the command as run when the operator changed a step, and not a copy', async () => {
    const dir = tmp('aura-review-edit-');
    fs.writeFileSync(path.join(dir, 'api.md'), RUNBOOK);
    const { wt, library, review } = setup({ folders: [dir] });
    const id = library.list(true).runbooks[0].id;
    const sid = wt.start({ kind: 'runbook', title: 'API Down', runbookId: id, fromTriage: false }).id;
    const edited = 'curl -s --max-time 5 http://127.0.0.1:5005/health/live';
    await wt.runStep(
      { runId: 'run-edited-0001', stepId: 'liveness', runbookId: id, command: edited },
      'run',
      async () => ({ sessionId: 't1', mode: 'run' as const }),
    );
    wt.commandFinished({
      sessionId: 't1',
      command: edited,
      exitCode: 7,
      cwd: '/tmp',
      startedAt: '',
      endedAt: '',
      durationMs: 5,
      outputExcerpt: '',
      runId: 'run-edited-0001',
    });
    wt.stepNotRun(
      { runId: 'run-copied-0001', stepId: 'restart', runbookId: id, command: 'systemctl restart aura --now' },
      'copied',
    );
    const p = review.propose(sid);
    expect(p.counts.edited).toBe(1);
    expect(parseRunbook(p.text, { file: 'x.md' }).steps.map((s) => s.code)).toEqual([
      edited,
      'systemctl restart aura',
    ]);
  });
});

describe('review workflow', () => {
  const EVIDENCE =
    'lastTested:\n  date: 2026-12-06\n  scenarios: [api-down]\n  outcomes:\n    api-down: { pass: 1, fail: 0, skipped: 0 }\n';

  it('moves an operator runbook draft -> published in its front matter, keeps the approved text, shows changes since', () => {
    const dir = tmp('aura-review-flow-');
    const file = path.join(dir, 'api.md');
    fs.writeFileSync(file, RUNBOOK.replace('owner: ana\n', 'owner: ana\nstatus: draft\n'));
    const { library, review } = setup({ folders: [dir] });
    const id = library.list(true).runbooks[0].id;

    expect(() => review.move(id, 'tested', 'ana')).toThrow(/Test it in the sandbox first/);
    expect(() => review.move(id, 'published', 'lee')).toThrow(/not to published/);
    // Evidence as "Test in sandbox" (or aura-ops runbooks test) records it.
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('status: draft\n', `status: draft\n${EVIDENCE}`),
    );
    library.refresh(true);
    review.move(id, 'tested', 'ana');
    expect(() => review.move(id, 'reviewed', 'ana')).toThrow(/owner cannot be its own reviewer/);
    review.move(id, 'reviewed', 'bo');
    expect(review.get(id).changesSinceApproval).toBeNull();
    review.move(id, 'approved', 'lee');
    const view = review.move(id, 'published', 'lee');
    expect(view.review).toMatchObject({
      status: 'published',
      owner: 'ana',
      reviewedBy: 'bo',
      approvedBy: 'lee',
    });
    expect(view.lint).toEqual([]);
    const fm = frontMatter(fs.readFileSync(file, 'utf8'));
    expect(fm).toMatchObject({ status: 'published', reviewedBy: 'bo', approvedBy: 'lee' });
    expect(fm.approvedAt).toEqual(fm.lastReviewed);
    expect(library.list(true).runbooks[0].reviewStatus).toBe('published');

    // The approved text sits beside it; an edit after approval shows as a line diff.
    expect(view.approvedCopy).toBe(path.join(dir, '.approved', 'api.md'));
    expect(view.changesSinceApproval?.every((l) => l.op === 'same')).toBe(true);
    fs.appendFileSync(file, '\nA line added after approval.\n');
    library.refresh(true);
    const changed = review.get(id).changesSinceApproval ?? [];
    expect(changed.filter((l) => l.op !== 'same')).toEqual([
      { op: 'add', text: 'A line added after approval.' },
      { op: 'add', text: '' },
    ]);
    // The library does not list the approved copy as a runbook.
    expect(library.list(true).runbooks.map((r) => r.file)).toEqual(['api.md']);

    review.move(id, 'draft', 'ana');
    expect(frontMatter(fs.readFileSync(file, 'utf8'))).toMatchObject({ status: 'draft' });
    expect(frontMatter(fs.readFileSync(file, 'utf8')).approvedBy).toBeUndefined();
  });

  it("keeps a bundled runbook's review in the console store and leaves its file alone", () => {
    const bundled = tmp('aura-review-bundled-flow-');
    const file = path.join(bundled, 'api.md');
    fs.writeFileSync(file, RUNBOOK.replace('owner: ana\n', `owner: ana\n${EVIDENCE}`));
    const { library, review, store } = setup({ bundled });
    const id = library.list(true).runbooks[0].id;
    expect(library.list().runbooks[0].reviewStatus).toBeNull();
    review.move(id, 'draft', 'ana');
    review.move(id, 'tested', 'ana');
    review.move(id, 'reviewed', 'bo');
    expect(library.list().runbooks[0].reviewStatus).toBe('reviewed');
    review.move(id, 'approved', 'lee');
    const v = review.get(id);
    expect(v.keptIn).toBe('console-store');
    expect(v.approvedCopy).toMatch(/store/);
    expect(store.getSetting<Record<string, unknown>>(`runbook-review:${id}`)).toMatchObject({
      status: 'approved',
      reviewedBy: 'bo',
      approvedBy: 'lee',
    });
    expect(fs.readFileSync(file, 'utf8')).toBe(RUNBOOK.replace('owner: ana\n', `owner: ana\n${EVIDENCE}`));
  });
});
