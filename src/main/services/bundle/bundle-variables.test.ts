// Runbook steps on an opened bundle: the install variables point into the extraction, and the
// day-dependent ones ({{today}}, {{errorsLog}}) are the bundle's day, not the support engineer's.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { InstallCandidate } from '../../../shared/install-types';
import { resolveRoot } from '../install/discover';
import { RunbookLibrary } from '../runbooks/library';
import { bundleLabel } from './open';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-bundle-vars-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it("fills {{today}} and {{errorsLog}} with the bundle's day, paths inside the extraction", () => {
  const data = path.join(dir, 'extracted');
  fs.mkdirSync(path.join(data, 'logs'), { recursive: true });
  // The bundle was made on 2026-11-30; the engineer opens it a week later.
  fs.writeFileSync(path.join(data, 'logs', 'errors-20261129.log'), 'x\n');
  fs.writeFileSync(path.join(data, 'logs', 'errors-20261130.log'), 'x\n');
  const origin = {
    file: '/x/b.zip',
    sha256: 'cd'.repeat(32),
    host: 'cust-pc',
    asOf: '2026-11-30T12:00:00.000Z',
    timeZone: 'UTC',
    auraVersion: null,
    consoleVersion: '0.1.0',
  };
  const base = resolveRoot(
    {
      kind: 'bundle',
      dataRoot: data,
      source: 'test',
      useEnv: false,
      overrides: { dbPath: path.join(data, 'db', 'aura.db') },
    },
    { env: {} },
  );
  const install: InstallCandidate = {
    ...base,
    id: `bundle:${origin.sha256}`,
    label: bundleLabel(origin),
    bundle: origin,
  };
  const folder = path.join(dir, 'rb');
  fs.mkdirSync(folder);
  fs.writeFileSync(
    path.join(folder, 'drill.md'),
    [
      '---',
      'title: Bundle Drill',
      'category: Incident Response',
      'severity: SEV-3',
      'estimatedTime: 5 minutes',
      'lastReviewed: 2026-11-27',
      '---',
      '# Bundle Drill',
      '## Overview',
      'x',
      '## Symptoms',
      '- x',
      '## Diagnosis',
      '```bash {name="day"}',
      'tail -n 5 {{errorsLog}} && echo {{today}} && ls {{dbPath}}',
      '```',
      '## Resolution',
      'x',
      '## Prevention',
      'x',
      '## References',
      'x',
      '',
    ].join('\n'),
  );
  const lib = new RunbookLibrary({
    bundledDir: null,
    folders: [folder],
    now: () => new Date('2026-12-07T03:00:00Z'),
    getInstall: () => install,
  });
  const listed = lib.list(true);
  const id = JSON.stringify(listed).match(/"id":"([^"]*drill\.md)"/)?.[1];
  expect(id).toBeDefined();
  const step = lib.get(id!).steps.find((s) => s.name === 'day');
  expect(step?.filled).toBe(
    `tail -n 5 ${path.join(data, 'logs', 'errors-20261130.log')} && echo 20261130 && ls ${path.join(data, 'db', 'aura.db')}`,
  );
});
