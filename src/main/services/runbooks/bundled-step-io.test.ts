// The bundled runbooks' inputs, outputs and preconditions hold against the real tools: the backup
// step's output-match reads the path the real `aura-ops db backup` prints (a path with a space and
// a quote included), the restore step filled with it copies that backup in a real bash, and
// `runbooks test` runs a checked step with its input defaults.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { extractOutput, fillInputs } from '../../../shared/runbooks/inputs';
import { parseRunbook } from '../../../shared/runbooks/parse';
import { dbCommand } from '../database/cli';
import { makeAuraDb } from '../database/test-fixtures';
import { testRunbooks } from './test-runner';
import { type LoadedRunbook } from './test-types';
import { offlinePaths } from './test-support';

const RUNBOOKS_DIR = path.resolve(__dirname, '../../../../resources/runbooks');
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bundled-step-io-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const parse = (file: string, variables: Record<string, string>) =>
  parseRunbook(fs.readFileSync(path.join(RUNBOOKS_DIR, file), 'utf8'), { file, variables });

describe('bundled runbooks: inputs, outputs and preconditions', () => {
  it(
    'backup -> restore: the output of the real backup fills the restore, which copies it',
    { timeout: 60_000 },
    async () => {
      const db = path.join(dir, 'aura.db');
      makeAuraDb(db, { journal: 'wal', bulkJobs: 20 });
      const backupsDir = path.join(dir, "back ups o'clock");
      fs.mkdirSync(backupsDir);
      const dest = path.join(backupsDir, 'aura-20261207.db');
      const restored = path.join(dir, 'restored', 'aura.db');
      fs.mkdirSync(path.dirname(restored));
      const doc = parse('backup-and-restore.md', { dbPath: restored, dataRoot: dir, today: '20261207' });
      expect(doc.problems.filter((p) => p.severity === 'error')).toEqual([]);
      const take = doc.steps.find((s) => s.id === 'take-backup');
      const restore = doc.steps.find((s) => s.id === 'restore-copy');
      expect(take?.output?.name).toBe('backupFile');
      expect(restore?.inputs?.[0]).toMatchObject({
        name: 'backupFile',
        type: 'path',
        from: { step: 'take-backup', output: 'backupFile' },
      });
      expect(restore?.requires).toEqual([{ kind: 'api-stopped' }]);

      // The terminal shows the command line before the output; the match must skip it.
      const out: string[] = [];
      expect(
        await dbCommand(['backup', '--db', db, '--out', dest], {
          out: (t) => out.push(t),
          err: (t) => out.push(t),
        }),
      ).toBe(0);
      const printed = `$ aura-ops db backup --db ${db} --out ${dest}\r\n${out.join('\n').replace(/\n/g, '\r\n')}\r\n`;
      const got = extractOutput(take!.output!, printed);
      expect(got).toEqual({ value: dest });

      const filled = fillInputs(restore!, { backupFile: dest });
      expect(filled.errors).toEqual({});
      execFileSync('bash', ['--norc', '--noprofile', '-c', filled.command!]);
      expect(fs.readFileSync(restored).equals(fs.readFileSync(dest))).toBe(true);
    },
  );

  it('VACUUM and ANALYZE wait for a window, a backup and a stopped API; Redis start asks for its service', () => {
    const maint = parse('database-maintenance.md', {});
    expect(maint.steps.find((s) => s.id === 'vacuum')?.requires).toEqual([
      { kind: 'maintenance-window' },
      { kind: 'backup' },
      { kind: 'api-stopped' },
    ]);
    expect(maint.steps.find((s) => s.id === 'analyze')?.requires).toEqual([
      { kind: 'backup' },
      { kind: 'api-stopped' },
    ]);
    const cache = parse('cache-management.md', {});
    const start = cache.steps.find((s) => s.id === 'start-redis');
    expect(start?.inputs?.[0]).toMatchObject({ name: 'service', default: 'redis-server' });
    expect(fillInputs(start!, { service: 'redis' }).command).toBe('sudo systemctl start redis');
    expect(fillInputs(start!, { service: 'redis; reboot' }).errors.service).toMatch(/does not match/);
  });
});

describe('runbooks test and step inputs', () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-test-inputs-'));
  afterAll(() => fs.rmSync(root, { recursive: true, force: true }));
  const paths = offlinePaths(root);
  const source = [
    '# Inputs under test',
    '## Diagnosis',
    '```bash {name="with-default" expect="/^\\[hello; world\\]$/m" input-word="text" input-word-default="hello; world"}',
    "printf '[%s]\\n' {{word}}",
    '```',
    '```bash {name="no-default" expect="/x/" input-word="text"}',
    "printf '[%s]\\n' {{word}}",
    '```',
  ].join('\n');

  it(
    'runs a checked step with its input defaults (quoted), and skips one without a default',
    { timeout: 30_000 },
    async () => {
      const loaded: LoadedRunbook = {
        path: path.join(root, 'rb.md'),
        display: 'rb.md',
        doc: parseRunbook(source, { file: 'rb.md', variables: {} }),
        scenarios: [],
      };
      const results = await testRunbooks([loaded], { paths, scenario: null, shimDir: null });
      expect(results.map((r) => [r.step, r.status])).toEqual([
        ['with-default', 'pass'],
        ['no-default', 'skipped-unfilled'],
      ]);
      expect(results[0].command).toBe("printf '[%s]\\n' 'hello; world'");
      expect(results[1].reasons).toEqual(['input word has no usable default: a value is required.']);
    },
  );
});
