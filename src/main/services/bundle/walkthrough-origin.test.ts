// A walk-through started while a bundle is attached records which bundle: its full sha256 with
// the host and time, in the session's install label (what the report and the session list show).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, expect, it } from 'vitest';
import type { InstallCandidate } from '../../../shared/install-types';
import { resolveRoot } from '../install/discover';
import { OpsStore } from '../store/store';
import { WalkthroughService } from '../walkthroughs/service';
import { bundleLabel } from './open';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-wt-bundle-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

it('records the bundle sha256 in full', () => {
  const sha256 = 'ab'.repeat(32);
  const origin = {
    file: '/x/b.zip',
    sha256,
    host: 'cust-pc',
    asOf: '2026-12-06T22:10:00.000Z',
    timeZone: 'Europe/Berlin',
    auraVersion: '1.0.0',
    consoleVersion: '0.1.0',
  };
  const base = resolveRoot(
    { kind: 'bundle', dataRoot: path.join(dir, 'x'), source: 'test', useEnv: false },
    { env: {} },
  );
  const install: InstallCandidate = {
    ...base,
    id: `bundle:${sha256}`,
    label: bundleLabel(origin),
    bundle: origin,
  };
  const store = OpsStore.open(dir);
  try {
    const svc = new WalkthroughService(
      store,
      { dataDir: dir, getInstall: () => install, emit: () => undefined, onDispose: () => undefined },
      () => Date.UTC(2026, 11, 7, 3, 0, 0),
    );
    const s = svc.start({ kind: 'incident', title: 'Locked DB at a customer', severity: 'SEV-2' });
    expect(svc.get(s.id).installLabel).toBe(
      `Bundle from cust-pc as of 2026-12-06 22:10:00Z (sha256 ${sha256})`,
    );
  } finally {
    store.close();
  }
});
