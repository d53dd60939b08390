// The scenario table: one row per scenario, each row's leave undoes its enter (checked on the table
// and on a live sandbox: every scenario entered then left gives back the healthy install as it was),
// and a name outside the table is refused at every boundary (handle, control file, lookup).
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { missingTool } from '../../../tests/tools';
import { SCENARIO_NAMES, type ScenarioName } from '../../shared/contract/sandbox';
import { redisCommand } from './children';
import { controlFiles, readScenarioFile, readStateFile } from './control';
import {
  HEALTHY_EFFECTS,
  INVERSE_ACTION,
  SCENARIO_ACTIONS,
  SCENARIO_TABLE,
  scenarioEntry,
} from './scenario-table';
import { startSandbox, type SandboxHandle } from './server';

/** Names that must never reach a scenario: near misses, Object.prototype keys, injection, size. */
const HOSTILE_NAMES = [
  '',
  'Healthy',
  ' healthy',
  'healthy\n',
  'api_down',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  'api-down; rm -rf /',
  '../healthy',
  'x'.repeat(100_000),
];

/** Long enough for a running log flood (20 batches a second) to write hundreds of lines. */
const FLOOD_SAMPLE_MS = 300;
/** Data requests sampled at once: at error-spike's 30% failure rate, all 40 succeeding has odds under 1e-6. */
const API_SAMPLE = 40;

describe('the scenario table (data)', () => {
  it('has one row per scenario of the contract, and healthy changes nothing', () => {
    expect(Object.keys(SCENARIO_TABLE).sort()).toEqual([...SCENARIO_NAMES].sort());
    expect(SCENARIO_TABLE.healthy).toEqual({ enter: [], leave: [], effects: HEALTHY_EFFECTS });
  });

  it.each(SCENARIO_NAMES.filter((n) => n !== 'healthy'))(
    '%s: leave undoes each step of enter, and does nothing else but end a hang',
    (name) => {
      const { enter, leave, effects } = SCENARIO_TABLE[name];
      for (const step of enter) {
        const inverse = INVERSE_ACTION[step];
        expect(inverse, `${step} has an inverse`).not.toBeNull();
        expect(leave).toContain(inverse);
      }
      for (const step of leave) {
        if (step === 'api:release-hung') expect(effects.api).toBe('hang');
        else expect(enter).toContain(INVERSE_ACTION[step]);
      }
      // A scenario is something: it changes the world on entry or has an effect while active.
      expect(enter.length > 0 || JSON.stringify(effects) !== JSON.stringify(HEALTHY_EFFECTS)).toBe(true);
    },
  );

  it('pairs every action with its inverse both ways', () => {
    for (const a of SCENARIO_ACTIONS) {
      const inv = INVERSE_ACTION[a];
      if (inv !== null) expect(INVERSE_ACTION[inv]).toBe(a);
    }
  });

  it.each(HOSTILE_NAMES.map((n) => [JSON.stringify(n).slice(0, 40), n]))(
    'refuses %s as a scenario name with what to do',
    (_label, name) => {
      let message = '';
      try {
        scenarioEntry(name);
      } catch (err) {
        message = (err as Error).message;
      }
      expect(message).toMatch(/^Unknown scenario ".*"; run "aura-ops sandbox scenarios" for the list$/);
      // One line, of a readable length, whatever the name held.
      expect(message).not.toMatch(/[\n\r]/);
      expect(message.length).toBeLessThan(200);
    },
  );

  it('gives each known name its own row', () => {
    for (const n of SCENARIO_NAMES) expect(scenarioEntry(n)).toBe(SCENARIO_TABLE[n]);
  });
});

// ---------------------------------------------------------------------------------------------
// A live sandbox: enter and leave every scenario and compare what an operator can observe.

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-table-'));
const hasRedis = !missingTool('redis-server', 'scenario table: the sandbox redis-server child');
const hasSqlite3 = !missingTool('sqlite3', 'scenario table: the db-locked lock holder');
let sb: SandboxHandle;

beforeAll(async () => {
  // No background traffic or jobs: every log line and DB write comes from the scenario or this test.
  sb = await startSandbox(path.join(tmp, 'sb'), {
    create: { days: 1, logMb: 0.1, projects: 4 },
    jobTickMs: 3_600_000,
    trafficMs: 3_600_000,
    redis: hasRedis ? 'auto' : 'off',
  });
});
afterAll(async () => {
  await sb?.stop();
  fs.rmSync(tmp, { recursive: true, force: true });
});

/** A GET on a fresh connection: a pooled one may be a socket that api-down closed. */
function getJson(p: string, timeoutMs = 5000): Promise<{ status: number; body: unknown }> {
  return new Promise((resolve, reject) => {
    const req = http.get(sb.url + p, { agent: false, timeout: timeoutMs }, (res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => {
        try {
          resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as unknown });
        } catch (err) {
          reject(err as Error);
        }
      });
    });
    req.on('timeout', () => req.destroy(new Error(`GET ${p} timed out`)));
    req.on('error', reject);
  });
}

function logBytes(): number {
  return fs
    .readdirSync(sb.layout.logsDir)
    .reduce((n, f) => n + fs.statSync(path.join(sb.layout.logsDir, f)).size, 0);
}

/** What an operator can see of the install, reduced to what does not move from one look to the next. */
async function observe(): Promise<Record<string, unknown>> {
  const st = sb.status();
  const ready = await getJson('/health/ready');
  const providers = (await getJson('/api/health/providers')).body as { isHealthy: boolean }[];
  const system = await getJson('/api/health/system');
  const details = (await getJson('/api/health/details')).body as { overallStatus: string };
  const jobs = await Promise.all(Array.from({ length: API_SAMPLE }, () => getJson('/api/jobs')));
  // Another connection can take the write lock at once, and the file reads as sound.
  const other = new Database(sb.layout.dbPath, { timeout: 0 });
  let writable: boolean;
  try {
    other.exec('BEGIN IMMEDIATE; ROLLBACK;');
    writable = true;
  } catch {
    writable = false;
  }
  let quickCheck: string;
  try {
    quickCheck = String(other.pragma('quick_check', { simple: true }));
  } catch (err) {
    quickCheck = (err as Error).message;
  } finally {
    other.close();
  }
  const redis =
    st.redis.port !== null ? (await redisCommand(st.redis.port, ['PING']).catch(() => 'down')).trim() : 'off';
  const before = logBytes();
  await new Promise((r) => setTimeout(r, FLOOD_SAMPLE_MS));
  const quiet = logBytes() === before;
  return {
    scenario: st.scenario,
    listening: st.listening,
    redisRunning: st.redis.running,
    redis,
    ready: [ready.status, (ready.body as { status: string }).status],
    providersHealthy: providers.every((p) => p.isHealthy),
    system: system.status,
    details: details.overallStatus,
    apiFails: jobs.some((r) => r.status !== 200),
    writable,
    quickCheck,
    quiet,
    pristineLeft: fs.existsSync(controlFiles(sb.dir).pristine),
    stateFile: readStateFile(sb.dir)?.scenario,
  };
}

describe('every scenario on a live sandbox', () => {
  let healthy: Record<string, unknown>;
  beforeAll(async () => {
    healthy = await observe();
  });

  it('starts from a healthy install an operator would call healthy', () => {
    expect(healthy).toMatchObject({
      scenario: 'healthy',
      listening: true,
      ready: [200, 'healthy'],
      providersHealthy: true,
      system: 200,
      apiFails: false,
      writable: true,
      quickCheck: 'ok',
      quiet: true,
      pristineLeft: false,
      stateFile: 'healthy',
    });
    if (hasRedis) expect(healthy).toMatchObject({ redisRunning: true, redis: '+PONG' });
  });

  const names = SCENARIO_NAMES.filter(
    (n): n is Exclude<ScenarioName, 'healthy'> => n !== 'healthy' && (hasSqlite3 || n !== 'db-locked'),
  );
  it.each(names)(
    '%s: entering changes what the operator sees, leaving gives the healthy install back',
    async (name) => {
      try {
        await sb.setScenario(name);
        expect(sb.scenario).toBe(name);
        expect(readStateFile(sb.dir)?.scenario).toBe(name);
        // api-down and api-hang answer nothing: seen through the port and the hung request instead.
        if (name === 'api-down') expect(sb.status().listening).toBe(false);
        else if (name === 'api-hang') await expect(getJson('/health/live', 300)).rejects.toThrow(/timed out/);
        else expect(await observe()).not.toEqual({ ...healthy, scenario: name, stateFile: name });
        await sb.setScenario('healthy');
        expect(await observe()).toEqual(healthy);
      } finally {
        // A failure above must not leave the next test on this scenario.
        if (sb.scenario !== 'healthy') await sb.setScenario('healthy');
      }
    },
    30_000,
  );
});

describe('a scenario name from outside', () => {
  beforeEach(async () => {
    if (sb.scenario !== 'healthy') await sb.setScenario('healthy');
  });

  it.each(HOSTILE_NAMES.map((n) => [JSON.stringify(n).slice(0, 40), n]))(
    'the handle refuses %s and changes nothing',
    async (_label, name) => {
      const fileBefore = fs.readFileSync(controlFiles(sb.dir).scenario, 'utf8');
      await expect(sb.setScenario(name as ScenarioName)).rejects.toThrow(/Unknown scenario/);
      expect(sb.scenario).toBe('healthy');
      expect(fs.readFileSync(controlFiles(sb.dir).scenario, 'utf8')).toBe(fileBefore);
    },
  );

  it('a scenario file naming no scenario, or not an object, reads as no request', () => {
    const f = controlFiles(sb.dir).scenario;
    const before = fs.readFileSync(f, 'utf8');
    try {
      for (const body of [
        'null',
        '42',
        '"healthy"',
        '[]',
        '{"scenario":"__proto__"}',
        '{"scenario":{"toString":"api-down"}}',
        '{"scenario":"api-down ',
      ]) {
        fs.writeFileSync(f, body);
        expect(readScenarioFile(sb.dir), body).toBeNull();
      }
    } finally {
      fs.writeFileSync(f, before);
    }
  });

  it('a sandbox whose scenario file holds JSON null starts healthy (it used to throw with its port left open)', async () => {
    const dir = path.join(tmp, 'null-file');
    const other = await startSandbox(dir, {
      create: { days: 1, logMb: 0.05, projects: 2 },
      jobTickMs: 3_600_000,
      trafficMs: 3_600_000,
      redis: 'off',
    });
    await other.stop();
    fs.writeFileSync(controlFiles(dir).scenario, 'null');
    const again = await startSandbox(dir, { jobTickMs: 3_600_000, trafficMs: 3_600_000, redis: 'off' });
    try {
      expect(again.scenario).toBe('healthy');
      expect(readScenarioFile(dir)).toBe('healthy');
    } finally {
      await again.stop();
    }
  });
});
