// Worker-thread entry for CPU-heavy jobs that would otherwise block the main process's event loop
// (every terminal, log pane and the demo sandbox share it): log signals, big runbooks, /proc scans.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { probeLogs } from '../services/probes/log-signals';
import { parseRunbook } from '../../shared/runbooks/parse';
import { listProcProcesses } from '../services/probes/system-probes';
import type { TaskName, TaskRequest, TaskReply, Tasks } from './task-types';

const run: { [K in TaskName]: (args: Tasks[K]['args']) => Tasks[K]['result'] } = {
  'probe-logs': ({ install, now, floor }) => probeLogs(install, { now, floor }),
  'parse-runbook': ({ abs, file, variables }) => parseRunbook(fs.readFileSync(abs, 'utf8'), { file, variables }),
  'list-processes': () => listProcProcesses(),
};

if (!parentPort) throw new Error('task-worker.ts runs only as a worker thread');
const port = parentPort;
port.on('message', (req: TaskRequest) => {
  let reply: TaskReply;
  try {
    const fn = run[req.task] as (a: unknown) => unknown;
    if (typeof fn !== 'function') throw new Error(`unknown task "${String(req.task)}"`);
    reply = { id: req.id, ok: true, value: fn(req.args) };
  } catch (err) {
    reply = { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
});
