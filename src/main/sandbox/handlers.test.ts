// The sandbox contract handlers: scenario list, status, switching, and the clear error when no
// sandbox runs; params go through the contract's zod schema as the hosts do.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpsError } from '../../shared/errors';
import { SCENARIOS, sandboxChannels } from '../../shared/contract/sandbox';
import { sandboxHandlers } from './handlers';
import { startSandbox, type SandboxHandle } from './server';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-hdl-'));
let sb: SandboxHandle | null = null;
afterAll(async () => {
  await sb?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

describe('sandbox handlers', () => {
  it('without a running sandbox: lists scenarios, reports not running, refuses to switch with "unavailable"', async () => {
    const h = sandboxHandlers(() => null);
    expect(await h['sandbox:scenarios']({})).toEqual(SCENARIOS);
    expect(await h['sandbox:status']({})).toMatchObject({ running: false, url: null, scenario: null });
    const err = await Promise.resolve(h['sandbox:set-scenario']({ name: 'db-locked' })).catch(
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(OpsError);
    expect(err).toMatchObject({ code: 'unavailable' });
    expect((err as OpsError).detail).toMatch(/aura-ops sandbox run/);
  });

  it('with a running sandbox: switches and reports the new state; the schema rejects unknown names', async () => {
    sb = await startSandbox(path.join(tmp, 'sb'), {
      create: { days: 1, logMb: 0.05, projects: 2 },
      redis: 'off',
    });
    const h = sandboxHandlers(() => sb);
    const seen: string[] = [];
    sb.onChange((s) => seen.push(s.scenario ?? ''));
    const st = await h['sandbox:set-scenario'](
      sandboxChannels['sandbox:set-scenario'].params.parse({ name: 'memory-high' }),
    );
    expect(st).toMatchObject({ running: true, scenario: 'memory-high', url: sb.url, listening: true });
    expect(seen).toEqual(['memory-high']);
    expect((await fetch(`${sb.url}/health/ready`).then((r) => r.json())).status).toBe('degraded');
    expect(sandboxChannels['sandbox:set-scenario'].params.safeParse({ name: 'on-fire' }).success).toBe(false);
    expect(sandboxChannels['sandbox:status'].params.safeParse({ extra: 1 }).success).toBe(false);
  });
});
