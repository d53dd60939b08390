// The runbook library over real folders (the fixtures copied to a temp dir), its handlers through
// the contract's zod schemas, and the `runbooks list|lint` CLI.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { channels } from '../../../shared/contract';
import { OpsError } from '../../../shared/errors';
import type { InstallCandidate } from '../../../shared/install-types';
import { runbooksCommand } from './cli';
import { runbooksHandlers } from './handlers';
import { RunbookLibrary } from './library';

const FIXTURES = path.join(__dirname, 'fixtures');
const NOW = new Date('2025-12-10T12:00:00Z');
let tmp: string;
let bundled: string;
let extra: string;

const install = {
  paths: {
    dataRoot: '/srv/aura',
    logsDir: '/srv/aura/logs',
    dbPath: '/srv/aura/aura.db',
    appSettingsPath: null,
    apiUrl: 'http://127.0.0.1:5005/',
    tempDir: '/tmp/aura',
    redis: { enabled: false, connection: null, host: null, port: null, hasPassword: false },
  },
} as unknown as InstallCandidate;

beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'runbooks-lib-'));
  bundled = path.join(tmp, 'bundled');
  extra = path.join(tmp, 'team');
  fs.cpSync(path.join(FIXTURES, 'library'), bundled, { recursive: true });
  fs.cpSync(path.join(FIXTURES, 'broken'), extra, { recursive: true });
});
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

const lib = (opts: Partial<ConstructorParameters<typeof RunbookLibrary>[0]> = {}) =>
  new RunbookLibrary({ bundledDir: bundled, now: () => NOW, getInstall: () => install, ...opts });

describe('RunbookLibrary', () => {
  it('lists the bundled runbooks with metadata, categories from the index and stale marks', () => {
    const view = lib().list();
    expect(view.homeId).toBe('bundled:README.md');
    expect(view.installAttached).toBe(true);
    const byFile = Object.fromEntries(view.runbooks.map((r) => [r.file, r]));
    expect(Object.keys(byFile).sort()).toEqual([
      'README.md',
      'database-issues.md',
      'high-error-rates.md',
      'maintenance/log-management.md',
    ]);
    expect(byFile['database-issues.md']).toMatchObject({
      title: 'Database Issues',
      category: 'Incident Response',
      severity: 'SEV-2',
      stale: false,
      steps: 4,
      checkedSteps: 3,
      errors: 0,
    });
    expect(byFile['high-error-rates.md']).toMatchObject({
      category: 'Incident Response',
      categorySource: 'index',
      stale: true,
      reviewAgeDays: 395,
    });
    expect(byFile['README.md'].kind).toBe('index');
    expect(view.folders[0]).toMatchObject({ id: 'bundled', bundled: true, count: 3, error: null });
  });

  it('returns a document with filled steps, lint and link targets', () => {
    const doc = lib().get('bundled:database-issues.md');
    const step = doc.steps.find((s) => s.id === 'lock-errors');
    expect(step?.filled).toBe('grep -c "database is locked" /srv/aura/logs/aura-api-20251210.log');
    expect(doc.steps.find((s) => s.id === 'step-4')?.filled).toBe(
      'curl -fsS http://127.0.0.1:5005/health/ready',
    );
    expect(doc.lint).toEqual([]);
    expect(doc.links.map((l, i) => [l.href, doc.linkTargets[i]])).toEqual([
      ['./high-error-rates.md#diagnosis', 'bundled:high-error-rates.md'],
      ['maintenance/log-management.md', 'bundled:maintenance/log-management.md'],
      ['https://www.sqlite.org/wal.html', null],
    ]);
    expect(lib().get('bundled:maintenance/log-management.md').linkTargets).toEqual([
      'bundled:database-issues.md',
    ]);
  });

  it('refuses ids that are not in the library (no path traversal through ids)', () => {
    expect(() => lib().get('bundled:../../etc/passwd.md')).toThrow(OpsError);
    expect(() => lib().get('nope')).toThrow(/No runbook/);
  });

  it('searches titles above symptoms above bodies', () => {
    const l = lib();
    const hits = l.search('database');
    expect(hits[0].id).toBe('bundled:database-issues.md');
    expect(hits[0].fields).toContain('title');
    expect(l.search('rotation').map((h) => h.id)).toEqual(['bundled:maintenance/log-management.md']);
    expect(l.search('zzzz')).toEqual([]);
  });

  it('adds and removes a user folder, persisting the list; checks the path first', () => {
    let saved: string[] = [];
    const changes: string[] = [];
    const l = lib({ onFoldersChanged: (f) => (saved = f), onChanged: (r) => changes.push(r) });
    const view = l.addFolder(extra);
    expect(saved).toEqual([fs.realpathSync(extra)]);
    expect(changes).toEqual(['folders']);
    const team = view.folders.find((f) => !f.bundled)!;
    expect(view.runbooks.find((r) => r.folderId === team.id)?.errors).toBeGreaterThan(0);
    expect(() => l.addFolder('relative/dir')).toThrow(/not an absolute path/);
    expect(() => l.addFolder(path.join(tmp, 'missing'))).toThrow(/does not exist/);
    expect(() => l.addFolder(path.join(bundled, 'README.md'))).toThrow(/is a file/);
    const empty = fs.mkdtempSync(path.join(tmp, 'empty-'));
    expect(() => l.addFolder(empty)).toThrow(/No Markdown files/);
    expect(() => l.removeFolder('bundled')).toThrow(/cannot be removed/);
    l.removeFolder(team.id);
    expect(saved).toEqual([]);
  });

  it('reports a folder that disappeared instead of failing', () => {
    const gone = fs.mkdtempSync(path.join(tmp, 'gone-'));
    fs.writeFileSync(path.join(gone, 'a.md'), '# A\n');
    const l = lib({ folders: [gone] });
    expect(l.list().runbooks.some((r) => r.file === 'a.md')).toBe(true);
    fs.rmSync(gone, { recursive: true });
    const view = l.list(true);
    expect(view.folders.find((f) => f.path === gone)?.error).toMatch(/cannot be read/);
    expect(view.runbooks.some((r) => r.file === 'a.md')).toBe(false);
  });

  it('re-reads a file when it changes on disk', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'sizes-'));
    fs.writeFileSync(path.join(dir, 'small.md'), '# Small One\n');
    const l = lib({ bundledDir: dir });
    expect(l.list().runbooks.map((r) => r.title)).toEqual(['Small One']);
    fs.writeFileSync(path.join(dir, 'small.md'), '# Renamed Runbook\n\nmore text\n');
    expect(l.list(true).runbooks.map((r) => r.title)).toEqual(['Renamed Runbook']);
  });

  it('creates a runbook from the template that lints clean, and refuses to overwrite it', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'new-'));
    const changes: string[] = [];
    const l = lib({ bundledDir: dir, onChanged: (r) => changes.push(r) });
    const created = l.create({
      folderId: 'bundled',
      title: 'Disk Full Recovery',
      category: 'Incident Response',
      severity: 'SEV-2',
    });
    expect(created.id).toBe('bundled:disk-full-recovery.md');
    expect(fs.existsSync(created.path)).toBe(true);
    const doc = l.get(created.id);
    expect(doc.sections.map((s) => s.name)).toEqual([
      'Overview',
      'Symptoms',
      'Diagnosis',
      'Resolution',
      'Prevention',
      'References',
    ]);
    expect(doc.lint.filter((p) => p.severity !== 'info')).toEqual([]);
    // The template's step is in the findings form: a healthy answer and two named findings.
    expect(doc.steps[0].answers.map((a) => a.label)).toEqual(['OK', 'API not listening', 'API hung']);
    expect(changes).toEqual(['created']);
    expect(() =>
      l.create({ folderId: 'bundled', title: 'Disk Full Recovery', category: 'Maintenance' }),
    ).toThrow(/already exists/);
  });
});

describe('runbooks handlers through the contract schemas', () => {
  it('validates params and calls the library', async () => {
    const h = runbooksHandlers(lib());
    const params = channels['runbooks:search'].params.parse({ q: 'database' });
    expect(params.limit).toBe(20);
    const hits = await h['runbooks:search'](params);
    expect(hits[0].summary.title).toBe('Database Issues');
    expect(
      channels['runbooks:new'].params.safeParse({ folderId: 'x', title: 'ab', category: 'Maintenance' })
        .success,
    ).toBe(false);
    expect(
      channels['runbooks:new'].params.safeParse({ folderId: 'x', title: 'Good Title', category: 'Gardening' })
        .success,
    ).toBe(false);
  });
});

describe('runbooks CLI', () => {
  const run = async (...argv: string[]) => {
    let out = '';
    let err = '';
    const code = await runbooksCommand(argv, {
      out: (t) => (out += `${t}\n`),
      err: (t) => (err += `${t}\n`),
    });
    return { code, out, err };
  };

  it('lint exits 0 with only warnings, 1 with errors, and prints file:line messages', async () => {
    const ok = await run('lint', bundled, '--now', '2025-12-10');
    expect(ok.code).toBe(0);
    expect(ok.out).toMatch(/high-error-rates\.md:1: warning last-reviewed/);
    const bad = await run('lint', extra, '--now', '2025-12-10');
    expect(bad.code).toBe(1);
    expect(bad.out).toMatch(/bad-runbook\.md:10: error code-lang/);
    expect(bad.out).toMatch(/bad-runbook\.md:22: error link/);
  });

  it('list --json gives title, category, sections and which blocks are steps', async () => {
    const r = await run('list', bundled, '--json');
    expect(r.code).toBe(0);
    const data = JSON.parse(r.out) as {
      title: string;
      sections: string[];
      codeBlocks: { line: number; executable: boolean; step: { id: string } | null }[];
    }[];
    const db = data.find((d) => d.title === 'Database Issues')!;
    expect(db.sections).toHaveLength(6);
    expect(db.codeBlocks.map((b) => [b.line, b.executable, b.step?.id ?? null])).toEqual([
      [34, true, 'db-integrity'],
      [40, true, 'journal-mode'],
      [46, true, 'lock-errors'],
      [56, true, 'step-4'],
    ]);
  });

  it('answers --help, and exit 2 with a message for a missing folder or unknown command', async () => {
    expect((await run('--help')).out).toMatch(/Usage: aura-ops runbooks/);
    const missing = await run('lint', path.join(tmp, 'nope'));
    expect(missing.code).toBe(2);
    expect(missing.err).toMatch(/does not exist/);
    expect((await run('frobnicate')).code).toBe(2);
    expect((await run('lint', '--now', 'soon')).code).toBe(2);
  });
});
