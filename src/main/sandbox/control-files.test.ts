// The sandbox's control files (state, scenario, children) are read by other processes while the
// sandbox rewrites them: a reader must never see a half-written file (the CLI took one for "the
// sandbox stopped" and failed a scenario switch under load).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { writeControlFile } from './control';

/** Rewrites while the reader runs; enough for a torn read to show with a plain writeFileSync. */
const WRITES = 3000;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-control-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('writeControlFile', () => {
  it('gives a reader in another process the old whole file or the new one, never a torn one', async () => {
    const f = path.join(dir, 'state.json');
    const big = 'x'.repeat(64 * 1024); // a write that is not one page
    writeControlFile(f, { n: 0, big });
    const stop = path.join(dir, 'stop');
    // The reader parses the file as fast as it can until told to stop, and prints what it saw.
    const reader = spawn(
      process.execPath,
      [
        '-e',
        `const fs = require('fs'); let ok = 0, torn = 0;
         while (!fs.existsSync(${JSON.stringify(stop)})) {
           try { JSON.parse(fs.readFileSync(${JSON.stringify(f)}, 'utf8')); ok++; } catch { torn++; }
         }
         process.stdout.write(JSON.stringify({ ok, torn }));`,
      ],
      { stdio: ['ignore', 'pipe', 'inherit'] },
    );
    let out = '';
    reader.stdout.on('data', (d: Buffer) => (out += d.toString()));
    const exited = new Promise<void>((resolve) => reader.on('exit', () => resolve()));
    for (let n = 1; n <= WRITES; n++) writeControlFile(f, { n, big });
    fs.writeFileSync(stop, '');
    await exited;
    const seen = JSON.parse(out) as { ok: number; torn: number };
    expect(seen.ok).toBeGreaterThan(0);
    expect(seen.torn).toBe(0);
    expect(JSON.parse(fs.readFileSync(f, 'utf8')).n).toBe(WRITES);
    // No temp file is left beside it.
    expect(fs.readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });
});
