// The runbook step test runner: its pure planning and reporting, real bash runs (exit codes,
// merged stderr, timeouts that end the whole pipeline) and `aura-ops runbooks test` on a temp install.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseRunbook } from '../../../shared/runbooks/parse';
import { variablesFromInstall } from '../../../shared/runbooks/variables';
import { runbooksCommand } from './cli';
import { createAuraOpsShim, runCommand, shellQuote, stepEnv } from './step-command';
import { declaredScenarios, planSteps } from './test-plan';
import { excerptOf, formatResults, summarize } from './test-report';
import { loadRunbooks, runPlannedSteps, testRunbooks } from './test-runner';
import { type LoadedRunbook, type StepTestResult } from './test-types';
import { offlinePaths } from './test-support';

let tmp: string;
beforeAll(() => {
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'rb-test-runner-'));
});
afterAll(() => {
  fs.rmSync(tmp, { recursive: true, force: true });
});

function loaded(source: string, vars: Record<string, string> = {}): LoadedRunbook {
  return {
    path: '/x/rb.md',
    display: 'rb.md',
    doc: parseRunbook(source, { file: 'rb.md', variables: vars }),
    scenarios: declaredScenarios(source),
  };
}

const fence = (info: string, code: string): string => `\`\`\`${info}\n${code}\n\`\`\`\n`;

describe('declaredScenarios', () => {
  it('reads testScenarios from the front matter as a list or a string', () => {
    expect(declaredScenarios('---\ntitle: X\ntestScenarios: [db-locked, db-corrupt]\n---\n# X\n')).toEqual([
      'db-locked',
      'db-corrupt',
    ]);
    expect(declaredScenarios('---\ntest-scenarios: healthy\n---\n')).toEqual(['healthy']);
  });
  it('gives nothing without front matter, without the key, or with broken YAML', () => {
    expect(declaredScenarios('# Just a title\n')).toEqual([]);
    expect(declaredScenarios('---\ntitle: X\n---\n')).toEqual([]);
    expect(declaredScenarios('---\ntestScenarios: [a, b\n---\n')).toEqual([]);
  });
});

describe('planSteps', () => {
  const doc = [
    '# Plan',
    fence('bash {name="reads" expect="/ok/"}', 'echo ok'),
    fence('bash {name="writes" expect="/x/"}', 'rm -rf "{{logsDir}}/old"'),
    fence('bash {name="needs-redis" expect="PONG"}', 'redis-cli -h "{{redisHost}}" ping'),
    fence(
      'bash {name="hang-only" exit="28" scenario="api-hang"}',
      'curl -sS --max-time 5 "{{apiUrl}}/health/live"',
    ),
    fence('bash {name="bad-regex" expect="/([/"}', 'echo x'),
    fence('bash {name="no-expectation"}', 'echo not checked'),
  ].join('\n');
  const vars = { logsDir: '/l', apiUrl: 'http://127.0.0.1:9' };

  it('refuses mutating steps, skips unfilled and other-scenario ones, flags invalid expectations', async () => {
    const plan = await planSteps(loaded(doc, vars), null);
    const by = Object.fromEntries(plan.map((p) => [p.step.id, p]));
    expect(Object.keys(by)).toEqual(['reads', 'writes', 'needs-redis', 'hang-only', 'bad-regex']);
    expect(by.reads.decided).toBeNull();
    expect(by.writes.decided?.status).toBe('skipped-mutating');
    expect(by.writes.decided?.reasons[0]).toMatch(/must only read \(lint-level error\).*rm removes files/);
    expect(by['needs-redis'].decided?.status).toBe('skipped-unfilled');
    expect(by['needs-redis'].decided?.reasons[0]).toContain('{{redisHost}}');
    expect(by['hang-only'].decided?.status).toBe('skipped-scenario');
    expect(by['bad-regex'].decided?.status).toBe('invalid');
  });

  it('runs a scenario-specific step only in its scenario', async () => {
    const inHang = (await planSteps(loaded(doc, vars), 'api-hang')).find((p) => p.step.id === 'hang-only');
    const inSlow = (await planSteps(loaded(doc, vars), 'slow-db')).find((p) => p.step.id === 'hang-only');
    expect(inHang?.decided).toBeNull();
    expect(inSlow?.decided?.status).toBe('skipped-scenario');
    expect(inSlow?.decided?.reasons[0]).toContain(
      'no answer is named for the sandbox scenario slow-db (the step names api-hang)',
    );
  });

  it('picks the shell from the fence language', async () => {
    const plan = await planSteps(loaded(`# S\n${fence('sh {expect="a"}', 'echo a')}`), null);
    expect(plan[0].shell).toBe('sh');
  });
});

describe('stepEnv, excerptOf, summarize, formatResults', () => {
  it("sets the install's AURA_* variables and puts the shim first on PATH", () => {
    const env = stepEnv(offlinePaths('/data'), '/shim', { PATH: '/usr/bin', HOME: '/h' });
    expect(env).toMatchObject({
      AURA_DATA_PATH: '/data',
      AURA_LOGS_PATH: '/data/logs',
      AURA_DATABASE_PATH: '/data/aura.db',
      AURA_API_URL: 'http://127.0.0.1:9',
      HOME: '/h',
    });
    expect(env.PATH).toBe(`/shim${path.delimiter}/usr/bin`);
    // A live install's steps never carry an as-of time, even one in the console's environment.
    expect(env.AURA_OPS_AS_OF).toBeUndefined();
    const inherited = stepEnv(offlinePaths('/data'), null, { AURA_OPS_AS_OF: '2020-01-01T00:00:00Z' });
    expect(inherited.AURA_OPS_AS_OF).toBeUndefined();
  });

  it("gives a bundle's steps its recorded time, which aura-ops logs counts ages back from", () => {
    const env = stepEnv(offlinePaths('/b'), null, { PATH: '/usr/bin' }, '2026-12-01T09:30:00.000Z');
    expect(env.AURA_OPS_AS_OF).toBe('2026-12-01T09:30:00.000Z');
  });

  it('keeps the last lines of a long output', () => {
    const out = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
    const ex = excerptOf(out);
    expect(ex.split('\n')).toHaveLength(8);
    expect(ex.endsWith('line 49')).toBe(true);
  });

  it('counts failures, invalid and mutating steps as failing, skips as neither', () => {
    const r = (status: StepTestResult['status']): StepTestResult => ({
      file: 'a.md',
      line: 3,
      runbook: 'A',
      step: status,
      scenario: null,
      status,
      command: 'x',
      expected: '/ok/ and exit 0',
      actual: 'last line "no", exit 1',
      wanted: 'ok',
      outcome: 'unexpected',
      answer: null,
      excerpt: 'no',
      exitCode: 1,
      timedOut: false,
      durationMs: 1,
      attempts: 1,
      reasons: ['output does not match /ok/'],
    });
    const results = [
      r('pass'),
      r('fail'),
      r('invalid'),
      r('skipped-mutating'),
      r('skipped-unfilled'),
      r('skipped-scenario'),
    ];
    expect(summarize(results)).toEqual({ pass: 1, fail: 3, skipped: 2, ok: false });
    const text = formatResults(results);
    expect(text).toContain('FAIL  a.md:3 fail');
    expect(text).toContain('wanted:   /ok/ and exit 0');
    expect(text).toContain('ERROR a.md:3 skipped-mutating');
    expect(text).toContain('6 checked step(s): 1 passed, 3 failed, 2 skipped');
  });
});

describe('runCommand (real bash)', () => {
  it('merges stderr into the output and reports the exit code', async () => {
    const r = await runCommand('echo out; echo err >&2; exit 3', {
      shell: 'bash',
      cwd: tmp,
      env: process.env,
      timeoutMs: 10_000,
    });
    expect(r.output).toContain('out');
    expect(r.output).toContain('err');
    expect(r.exitCode).toBe(3);
    expect(r.timedOut).toBe(false);
  });

  it('ends the whole pipeline when the time limit passes', async () => {
    const marker = path.join(tmp, 'pipeline-survivor');
    const r = await runCommand(`sleep 30 | cat; touch ${shellQuote(marker)}`, {
      shell: 'bash',
      cwd: tmp,
      env: process.env,
      timeoutMs: 300,
    });
    expect(r.timedOut).toBe(true);
    expect(r.exitCode).not.toBe(0);
    expect(fs.existsSync(marker)).toBe(false);
  });

  it('says so when the shell does not exist', async () => {
    const r = await runCommand('true', {
      shell: path.join(tmp, 'no-such-shell'),
      cwd: tmp,
      env: process.env,
      timeoutMs: 1000,
    });
    expect(r.spawnError).toMatch(/could not start/);
  });
});

describe('createAuraOpsShim', () => {
  it('writes an executable aura-ops that runs the given command with quoted words', async () => {
    const shim = createAuraOpsShim(['/bin/echo', "it's"]);
    try {
      const file = path.join(shim.dir, 'aura-ops');
      expect(fs.statSync(file).mode & 0o111).not.toBe(0);
      const r = await runCommand('aura-ops logs stats', {
        shell: 'bash',
        cwd: tmp,
        env: stepEnv(offlinePaths(tmp), shim.dir),
        timeoutMs: 5000,
      });
      expect(r.output.trim()).toBe("it's logs stats");
    } finally {
      shim.cleanup();
    }
    expect(fs.existsSync(shim.dir)).toBe(false);
  });
});

describe('findings per scenario (issue 17)', () => {
  // The Service Degradation liveness probe, against a real HTTP server: 200, a closed port (curl
  // exit 7) and a server that never answers (curl exit 28).
  const src = [
    '# Liveness',
    fence(
      'bash {name="live" ok="/^HTTP 200/m" finding-api-not-listening="exit 7" finding-api-hung="exit 28" scenarios="api-down:api-not-listening api-hang:api-hung"}',
      "curl -sS -o /dev/null --max-time 1 -w 'HTTP %{http_code}\\n' {{apiUrl}}/health/live",
    ),
  ].join('\n');
  let server: http.Server;
  let closedUrl: string;
  let url: string;
  let mode: 'ok' | 'hang' = 'ok';
  beforeAll(async () => {
    server = http.createServer((req, res) => {
      if (mode === 'ok') res.end('Healthy');
      // 'hang': never answer (the socket is closed in afterAll).
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const gone = http.createServer();
    await new Promise<void>((r) => gone.listen(0, '127.0.0.1', r));
    closedUrl = `http://127.0.0.1:${(gone.address() as AddressInfo).port}`;
    await new Promise<void>((r) => gone.close(() => r()));
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it('tests a runbook in healthy and in every scenario its steps name', () => {
    expect(loaded(src).doc.steps[0].scenarioAnswers).toEqual({
      'api-down': 'api-not-listening',
      'api-hang': 'api-hung',
    });
    const dir = fs.mkdtempSync(path.join(tmp, 'scen-'));
    fs.writeFileSync(path.join(dir, 'live.md'), `---\ntestScenarios: [slow-db]\n---\n${src}`);
    expect(loadRunbooks([dir], {})[0].scenarios.sort()).toEqual([
      'api-down',
      'api-hang',
      'healthy',
      'slow-db',
    ]);
  });

  it('wants ok in healthy, the named finding in its scenario, and skips a scenario it does not name', async () => {
    const run = async (apiUrl: string, scenario: string | null) =>
      (
        await testRunbooks([loaded(src, { apiUrl })], {
          paths: { ...offlinePaths(tmp), apiUrl },
          scenario,
          shimDir: null,
        })
      )[0];
    mode = 'ok';
    expect(await run(url, 'healthy')).toMatchObject({
      status: 'pass',
      wanted: 'ok',
      outcome: 'ok',
      answer: 'ok',
    });
    // A healthy answer in a fault scenario is a failure that says what was wanted.
    const wrongPlace = await run(url, 'api-hang');
    expect(wrongPlace).toMatchObject({ status: 'fail', wanted: 'api-hung', outcome: 'ok' });
    expect(wrongPlace.reasons[0]).toBe('answered OK, wanted finding "API hung" (exit 28)');
    expect(await run(closedUrl, 'api-down')).toMatchObject({
      status: 'pass',
      outcome: 'finding',
      answer: 'api-not-listening',
      exitCode: 7,
    });
    expect((await run(closedUrl, 'api-down')).actual).toMatch(/^API not listening: .*exit 7$/);
    expect(await run(closedUrl, 'healthy')).toMatchObject({ status: 'fail', outcome: 'finding' });
    expect(await run(closedUrl, 'slow-db')).toMatchObject({ status: 'skipped-scenario' });
    mode = 'hang';
    expect(await run(url, 'api-hang')).toMatchObject({ status: 'pass', answer: 'api-hung', exitCode: 28 });
    // A real install (state unknown): any declared answer is true of it.
    expect(await run(closedUrl, null)).toMatchObject({ status: 'pass', answer: 'api-not-listening' });
  });

  it('fails an answer the step does not declare, saying what was seen', async () => {
    const odd = `# Odd\n${fence('bash {name="odd" ok="/^up$/m" finding-down="/^down$/m"}', 'echo sideways')}`;
    const [res] = await testRunbooks([loaded(odd)], {
      paths: offlinePaths(tmp),
      scenario: null,
      shimDir: null,
    });
    expect(res).toMatchObject({ status: 'fail', outcome: 'unexpected' });
    expect(res.reasons[0]).toBe('none of the declared answers matches: saw last line "sideways", exit 0');
  });

  it('flags a step whose answers do not parse as invalid, without running it', async () => {
    const bad = `# Bad\n${fence('bash {name="b" ok="/(/" finding-x="exit 7" scenarios="api-down:nope"}', 'echo x')}`;
    const [res] = await testRunbooks([loaded(bad)], {
      paths: offlinePaths(tmp),
      scenario: 'healthy',
      shimDir: null,
    });
    expect(res.status).toBe('invalid');
    expect(res.reasons.join('\n')).toMatch(/not a valid regular expression/);
    expect(res.reasons.join('\n')).toContain(
      'scenarios: api-down names "nope", which the step does not declare',
    );
  });
});

describe('runPlannedSteps', () => {
  it('re-runs a failing step while the install settles, and records the attempts', async () => {
    const counter = path.join(tmp, 'attempts');
    const src = `# Settle\n${fence('bash {name="second-time" expect="/attempt 2/"}', `n=$(cat ${shellQuote(counter)} 2>/dev/null || echo 0); n=$((n+1)); echo "$n" > ${shellQuote(counter)}; echo "attempt $n"`)}`;
    const plan = await planSteps(loaded(src), null);
    // The counter write makes the step "mutating" for the classifier; run it as planned anyway.
    plan[0].decided = null;
    const [res] = await runPlannedSteps(plan, {
      paths: offlinePaths(tmp),
      scenario: null,
      shimDir: null,
      settleMs: 10_000,
    });
    expect(res.status).toBe('pass');
    expect(res.attempts).toBe(2);
  });

  it('reports expected against actual and an excerpt when a step fails', async () => {
    const src = `# Fail\n${fence('bash {name="nope" expect="/^ready$/m"}', 'echo "not ready"; echo "still not"')}`;
    const [res] = await testRunbooks([loaded(src)], {
      paths: offlinePaths(tmp),
      scenario: null,
      shimDir: null,
    });
    expect(res.status).toBe('fail');
    expect(res.expected).toBe('any declared answer');
    expect(res.actual).toBe('UNEXPECTED: last line "still not", exit 0');
    expect(res.outcome).toBe('unexpected');
    expect(res.excerpt).toContain('not ready');
    expect(res.line).toBe(2);
  });

  it('runs steps in the data root with the install variables filled', async () => {
    const root = fs.mkdtempSync(path.join(tmp, 'root-'));
    fs.mkdirSync(path.join(root, 'logs'));
    fs.writeFileSync(path.join(root, 'logs', 'aura-api-20261127.log'), 'x');
    const src = `# Vars\n${fence('bash {name="cwd" expect="/^aura-api-20261127.log$/m"}', 'pwd; ls logs; echo "$AURA_LOGS_PATH" "{{logsDir}}"')}`;
    const vars = { logsDir: path.join(root, 'logs') };
    const [res] = await testRunbooks([loaded(src, vars)], {
      paths: offlinePaths(root),
      scenario: null,
      shimDir: null,
    });
    expect(res.status).toBe('pass');
    expect(res.command).toContain(path.join(root, 'logs'));
  });
});

describe('aura-ops runbooks test (CLI)', () => {
  function io(): { out: string[]; err: string[]; io: { out(t: string): void; err(t: string): void } } {
    const out: string[] = [];
    const err: string[] = [];
    return { out, err, io: { out: (t) => out.push(t), err: (t) => err.push(t) } };
  }
  let install: string;
  let books: string;
  beforeAll(() => {
    install = fs.mkdtempSync(path.join(tmp, 'install-'));
    fs.mkdirSync(path.join(install, 'logs'));
    fs.writeFileSync(
      path.join(install, 'logs', 'errors-20261127.log'),
      "[2026-11-27 10:00:00.000 +00:00] [ERR] [] [] [] SQLite Error 5: 'database is locked'\n",
    );
    books = fs.mkdtempSync(path.join(tmp, 'books-'));
    fs.writeFileSync(
      path.join(books, 'db.md'),
      [
        '---',
        'title: DB',
        'testScenarios: [db-locked]',
        '---',
        '# DB',
        '',
        fence('bash {name="locked" expect="/SQLite Error 5/"}', 'cat "{{logsDir}}"/errors-*.log'),
        fence('bash {name="wrong" expect="/corrupt/"}', 'cat "{{logsDir}}"/errors-*.log'),
      ].join('\n'),
    );
  });

  it('needs --install', async () => {
    const c = io();
    expect(await runbooksCommand(['test', books], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/needs --install DIR/);
  });

  it('refuses an unknown scenario and --scenario on a folder that is not a sandbox', async () => {
    const a = io();
    expect(await runbooksCommand(['test', books, '--install', install, '--scenario', 'on-fire'], a.io)).toBe(
      2,
    );
    expect(a.err.join('')).toMatch(/Unknown scenario "on-fire"/);
    const b = io();
    expect(
      await runbooksCommand(['test', books, '--install', install, '--scenario', 'db-locked'], b.io),
    ).toBe(2);
    expect(b.err.join('')).toMatch(/is not one: drop --scenario/);
  });

  it('reports pass and fail per step with file:line and exits 1 on a failure', async () => {
    const c = io();
    const code = await runbooksCommand(['test', path.join(books, 'db.md'), '--install', install], c.io);
    const text = c.out.join('');
    expect(code).toBe(1);
    expect(text).toMatch(/PASS {2}\S*db\.md:7 locked/);
    expect(text).toMatch(/FAIL {2}\S*db\.md:11 wrong/);
    expect(text).toContain('2 checked step(s): 1 passed, 1 failed, 0 skipped');
  });

  it('prints JSON with --json', async () => {
    const c = io();
    await runbooksCommand(['test', books, '--install', install, '--json'], c.io);
    const data = JSON.parse(c.out.join('')) as {
      summary: { pass: number; fail: number };
      results: StepTestResult[];
    };
    expect(data.summary).toMatchObject({ pass: 1, fail: 1 });
    expect(data.results.map((r) => r.step)).toEqual(['locked', 'wrong']);
  });

  it('says which path does not exist', async () => {
    const c = io();
    expect(await runbooksCommand(['test', path.join(tmp, 'missing'), '--install', install], c.io)).toBe(2);
    expect(c.err.join('')).toMatch(/does not exist/);
  });
});

/** Every file under `dir` whose name is `name` (an injection's marker). */
function findNamed(dir: string, name: string): string[] {
  return (fs.readdirSync(dir, { recursive: true }) as string[]).filter((p) => path.basename(p) === name);
}

describe('hostile install paths (issue 14, item 1)', () => {
  it('Database Maintenance "integrity" with a data root named ev$(($(touch PWNED)0)) checks that aura.db and creates nothing', async () => {
    const parent = fs.mkdtempSync(path.join(tmp, 'evil-root-'));
    const root = path.join(parent, 'ev$(($(touch PWNED)0))');
    fs.mkdirSync(root);
    const db = spawnSync(
      'sqlite3',
      [path.join(root, 'aura.db'), 'CREATE TABLE t(x); INSERT INTO t VALUES (1);'],
      { encoding: 'utf8' },
    );
    expect(db.status).toBe(0);
    const source = fs.readFileSync(
      path.join(__dirname, '../../../../resources/runbooks/database-maintenance.md'),
      'utf8',
    );
    const doc = parseRunbook(source, {
      file: 'database-maintenance.md',
      variables: variablesFromInstall(offlinePaths(root), new Date()),
    });
    const step = doc.steps.find((s) => s.id === 'integrity');
    expect(step?.missingVariables).toEqual([]);
    const r = await runCommand(step?.filled ?? '', {
      shell: 'bash',
      cwd: root,
      env: process.env,
      timeoutMs: 10_000,
    });
    expect(r.output).toMatch(/^ok$/m);
    expect(r.exitCode).toBe(0);
    expect(findNamed(parent, 'PWNED')).toEqual([]);
  });

  it('aura-ops runbooks test with an install path holding "; sed -n "w FILE" ...; echo " writes no FILE', async () => {
    const parent = fs.mkdtempSync(path.join(tmp, 'evil-install-'));
    const install = path.join(parent, '"; sed -n "w FILE" /etc/hostname; echo "');
    fs.mkdirSync(path.join(install, 'logs'), { recursive: true });
    fs.writeFileSync(
      path.join(install, 'logs', 'errors-20261127.log'),
      "SQLite Error 5: 'database is locked'\n",
    );
    const books = fs.mkdtempSync(path.join(tmp, 'evil-books-'));
    // The old convention (quoted by the author) and the new one (bare) must both stay one word.
    fs.writeFileSync(
      path.join(books, 'db.md'),
      [
        '# DB',
        '',
        fence('bash {name="quoted" expect="/SQLite Error 5/"}', 'cat "{{logsDir}}"/errors-*.log'),
        fence('bash {name="bare" expect="/SQLite Error 5/"}', 'cat {{logsDir}}/errors-*.log'),
      ].join('\n'),
    );
    const out: string[] = [];
    const code = await runbooksCommand(['test', books, '--install', install], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(out.join('')).toContain('2 checked step(s): 2 passed, 0 failed, 0 skipped');
    expect(code).toBe(0);
    expect(findNamed(parent, 'FILE')).toEqual([]);
    expect(findNamed(books, 'FILE')).toEqual([]);
  });
});

describe('loadRunbooks', () => {
  it('reads folders recursively and single files once', () => {
    const dir = fs.mkdtempSync(path.join(tmp, 'load-'));
    fs.mkdirSync(path.join(dir, 'sub'));
    fs.writeFileSync(path.join(dir, 'a.md'), '# A\n');
    fs.writeFileSync(path.join(dir, 'sub', 'b.md'), '---\ntestScenarios: [healthy]\n---\n# B\n');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'x');
    const list = loadRunbooks([dir, path.join(dir, 'a.md')], {});
    expect(list.map((r) => path.basename(r.path))).toEqual(['a.md', 'b.md']);
    expect(list[1].scenarios).toEqual(['healthy']);
    expect(list[1].doc.file).toBe('sub/b.md');
  });
});
