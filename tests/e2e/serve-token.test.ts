// A chosen token reaches the real `aura-ops serve` through the environment or a file, never argv
// (world-readable in /proc), and the shells it starts do not inherit it.
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { startServe, tempDir, type ServeProc } from './harness';
import { connect, waitFor } from './serve-client';

describe('serve with a chosen token', () => {
  let serve: ServeProc | undefined;
  afterEach(async () => {
    await serve?.stop();
    serve = undefined;
  });

  it('takes AURA_OPS_TOKEN, keeps it out of the process list and out of its shells', async () => {
    const token = 'env-token-0123456789-abcdef';
    serve = await startServe({ args: ['--no-demo'], env: { AURA_OPS_TOKEN: token } });
    expect(serve.token).toBe(token);
    expect(fs.readFileSync(`/proc/${serve.proc.pid}/cmdline`, 'utf8')).not.toContain(token);
    const c = await connect(serve);
    try {
      const { id } = await c.call<{ id: string }>('terminal:create', { cols: 100, rows: 24 });
      await c.call('terminal:write', { sessionId: id, data: 'echo "[${AURA_OPS_TOKEN:-not-inherited}]"\r' });
      const r = await waitFor(
        'the shell to print the variable',
        () => c.call<{ data: string }>('terminal:replay', { sessionId: id }),
        (x) => x.data.includes('[not-inherited]') || x.data.includes(`[${token}]`),
      );
      expect(r.data).toContain('[not-inherited]');
      expect(r.data).not.toContain(token);
    } finally {
      c.close();
    }
  });

  it('takes --token-file, and refuses one other users can read', async () => {
    const dir = tempDir('token');
    const file = path.join(dir, 'token');
    fs.writeFileSync(file, 'file-token-0123456789-abcdef\n', { mode: 0o644 });
    fs.chmodSync(file, 0o644);
    await expect(startServe({ args: ['--no-demo', '--token-file', file] })).rejects.toThrow(/chmod 600/);
    fs.chmodSync(file, 0o600);
    serve = await startServe({ args: ['--no-demo', '--token-file', file] });
    expect(serve.token).toBe('file-token-0123456789-abcdef');
    const c = await connect(serve);
    c.close();
  });
});
