// bench/report: the post-mortem draft of a session with 1,000 timeline entries (step runs with
// output, ad hoc commands, notes, probe snapshots, log pins, severity changes), read from a real
// ops.db and rendered as Markdown; goal ≤ 200 ms. Baseline, same run: the JSON export of the same
// session (the same ops.db read, then JSON.stringify). Usage: npx tsx bench/report.ts [--entries 1000] [--runs 7]
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { ServiceContext } from '../src/main/services/context';
import { OpsStore } from '../src/main/services/store/store';
import { WalkthroughService } from '../src/main/services/walkthroughs/service';
import { watchEventLoop } from './_loop';
import { rowWriter } from './_common';

const { values } = parseArgs({
  options: { entries: { type: 'string', default: '1000' }, runs: { type: 'string', default: '7' } },
});
const ENTRIES = Number(values.entries);
const RUNS = Number(values.runs);
/** The goal for a 1,000-entry report. */
const GOAL_MS = 200;

const emit = rowWriter('report');

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
}

async function main() {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-report-'));
  const store = OpsStore.open(dir);
  try {
    let t = Date.UTC(2026, 10, 27, 20, 0, 0);
    const ctx: ServiceContext = {
      dataDir: dir,
      getInstall: () => null,
      emit: () => undefined,
      onDispose: () => undefined,
    };
    const svc = new WalkthroughService(store, ctx, () => (t += 1500));
    const s = svc.start({
      kind: 'incident',
      title: 'Bench: API answers 503',
      severity: 'SEV-1',
      runbookTitle: 'Service Degradation',
    });
    const output = Array.from(
      { length: 40 },
      (_, i) => `line ${i}: GET /api/projects 503 in ${i * 7} ms`,
    ).join('\n');
    const sevs = ['SEV-2', 'SEV-1'] as const;
    let sevChanges = 0;
    for (
      let i = 0;
      (store.db
        .prepare('SELECT count(*) AS n FROM session_events WHERE session_id = ?')
        .pluck()
        .get(s.id) as number) < ENTRIES;
      i++
    ) {
      switch (i % 6) {
        case 0: {
          const runId = `bench-run-${i.toString().padStart(8, '0')}`;
          await svc.runStep(
            {
              runId,
              stepId: `step-${i % 12}`,
              command: `curl -s http://127.0.0.1:5005/health/ready # ${i}`,
              expect: { pattern: 'Healthy', flags: '', exitCode: 0 },
            },
            'run-check',
            async () => ({ sessionId: 't1', mode: 'run' as const }),
          );
          svc.commandFinished({
            sessionId: 't1',
            command: 'curl',
            exitCode: i % 5 === 0 ? 7 : 0,
            cwd: '/srv/aura',
            startedAt: new Date(t).toISOString(),
            endedAt: new Date(t + 300).toISOString(),
            durationMs: 300,
            outputExcerpt: output,
            runId,
          });
          break;
        }
        case 1:
          svc.commandFinished({
            sessionId: 't2',
            command: `tail -n 50 aura-api.log | grep ERR # ${i}`,
            exitCode: 0,
            cwd: '/srv/aura',
            startedAt: new Date(t).toISOString(),
            endedAt: new Date(t + 80).toISOString(),
            durationMs: 80,
            outputExcerpt: output,
            runId: null,
          });
          break;
        case 2:
          svc.record(s.id, {
            type: 'note',
            text: `Observation ${i}: the queue drains slower than it fills | *not* markdown`,
            deviation: i % 4 === 0,
          });
          break;
        case 3:
          svc.record(s.id, {
            type: 'probe-snapshot',
            title: 'Aura API',
            state: i % 2 ? 'unreachable' : 'ok',
            summary: 'The API at http://127.0.0.1:5005 answered 503 on /health/ready.',
          });
          break;
        case 4:
          svc.record(s.id, {
            type: 'log-pin',
            file: 'aura-api-20261127.log',
            line: 1000 + i,
            level: 'ERR',
            timestamp: '2026-11-27 20:15:33.120 +00:00',
            text: `Request POST /api/render failed\n  at Aura.Api.Render(${i})`,
          });
          break;
        default:
          svc.record(s.id, {
            type: 'severity',
            severity: sevs[sevChanges++ % 2]!,
            reason: `re-assessed after entry ${i}`,
          });
      }
    }
    const entries = svc.get(s.id).events.length;
    const md: number[] = [];
    const json: number[] = [];
    let bytes = 0;
    for (let r = 0; r < RUNS; r++) {
      let t0 = performance.now();
      bytes = svc.report(s.id, 'markdown').content.length;
      md.push(performance.now() - t0);
      t0 = performance.now();
      svc.report(s.id, 'json');
      json.push(performance.now() - t0);
    }
    const value = median(md);
    emit(`markdown_report_${entries}_entries_ms`, value, 'ms', median(json), {
      goal_ms: GOAL_MS,
      within_goal: value <= GOAL_MS,
      baseline_is: 'JSON export of the same session',
      bytes,
      runs: RUNS,
    });
  } finally {
    store.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

void watchEventLoop('report').then((loop) => main().then(() => loop.report()));
