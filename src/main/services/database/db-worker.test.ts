// The aura.db executor process as the service starts it (compiled from db-worker.ts here, the
// built db-worker.cjs in the app), spoken to directly: hostile and malformed requests get a
// protocol error with the request's id, and the process keeps serving real reads after them.
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { WorkerMessage } from './protocol';
import { makeAuraDb, tempDir } from './test-fixtures';
import { forkLauncher, type WorkerProcess } from './worker-process';
import { defaultWorkerScript } from './worker-script';

/** Longest wait for one answer: a start and an open on a loaded machine. */
const ANSWER_TIMEOUT_MS = 20_000;

let dir: string;
let child: WorkerProcess;
const inbox: WorkerMessage[] = [];
const waiters: Array<() => void> = [];

function answer(id: number): Promise<Extract<WorkerMessage, { type: 'result' }>> {
  return new Promise((resolve, reject) => {
    const deadline = setTimeout(
      () => reject(new Error(`no answer to request ${id} within ${ANSWER_TIMEOUT_MS} ms`)),
      ANSWER_TIMEOUT_MS,
    );
    const look = () => {
      const i = inbox.findIndex((m) => m.type === 'result' && m.id === id);
      if (i < 0) return false;
      clearTimeout(deadline);
      resolve(inbox.splice(i, 1)[0] as Extract<WorkerMessage, { type: 'result' }>);
      return true;
    };
    const wait = () => {
      if (!look()) waiters.push(wait);
    };
    wait();
  });
}

function request(message: unknown): void {
  child.send(message, (err) => {
    throw err;
  });
}

beforeAll(() => {
  dir = tempDir();
  makeAuraDb(path.join(dir, 'aura.db'), { journal: 'wal' });
  child = forkLauncher(defaultWorkerScript(), { ...process.env });
  child.onMessage((m) => {
    inbox.push(m as WorkerMessage);
    for (const w of waiters.splice(0)) w();
  });
});

afterAll(() => {
  child.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

describe('db-worker', () => {
  it('runs from the TypeScript source as plain CommonJS, without a loader', () => {
    const script = defaultWorkerScript();
    expect(script.endsWith('.cjs')).toBe(true);
    expect(fs.readFileSync(script, 'utf8')).not.toMatch(/:\s*WorkerMessage\b/);
  });

  it('refuses a request before open, an unknown op, an inherited name and a malformed message', async () => {
    request({ id: 1, op: 'run', items: [], stopOnError: false });
    expect(await answer(1)).toMatchObject({ ok: false, error: { code: 'AURA_OPS_NOT_OPEN' } });
    request({ id: 2, op: 'open', file: path.join(dir, 'aura.db'), busyTimeoutMs: 1000 });
    expect(await answer(2)).toMatchObject({ ok: true });
    for (const [id, op] of [
      [3, 'drop'],
      [4, 'constructor'],
      [5, 'toString'],
      [6, '__proto__'],
    ] as const) {
      request({ id, op });
      expect(await answer(id), op).toMatchObject({ ok: false, error: { code: 'AURA_OPS_PROTOCOL' } });
    }
    request({ op: 'close' });
    expect(await answer(-1)).toMatchObject({ ok: false, error: { code: 'AURA_OPS_PROTOCOL' } });
    request({ id: 7, op: 42 });
    expect(await answer(7)).toMatchObject({ ok: false, error: { code: 'AURA_OPS_PROTOCOL' } });
  });

  it('still reads, and still refuses a write, after the hostile requests', async () => {
    const item = { params: [], maxRows: 10, maxText: 100, maxBytes: 1 << 20, guard: true };
    request({
      id: 8,
      op: 'run',
      stopOnError: false,
      items: [
        { ...item, sql: 'SELECT count(*) AS n FROM "__EFMigrationsHistory"' },
        { ...item, sql: 'DELETE FROM "JobQueue"' },
      ],
    });
    const r = await answer(8);
    expect(r.ok).toBe(true);
    const [read, write] = (
      r as { value: Array<{ ok: boolean; value?: { rows: unknown[][] }; error?: { code: string } }> }
    ).value;
    expect(read.ok).toBe(true);
    expect(Number(read.value?.rows[0]?.[0])).toBeGreaterThan(0);
    expect(write).toMatchObject({ ok: false, error: { code: 'AURA_OPS_READONLY' } });
  });
});
