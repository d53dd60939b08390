// Worker-thread entry for CPU-heavy jobs that would otherwise block the main process's event loop
// (every terminal, log pane and the demo sandbox share it): log signals, big runbooks, /proc scans.
import fs from 'node:fs';
import { parentPort } from 'node:worker_threads';
import { probeLogs } from '../services/probes/log-signals';
import { parseRunbook } from '../../shared/runbooks/parse';
import { listProcProcesses } from '../services/probes/system-probes';
import { extractEntry, sha256File } from '../services/bundle/unzip';

import { OpsError } from '../../shared/errors';
import type { TaskName, TaskRequest, TaskReply, Tasks } from './task-types';

const run: { [K in TaskName]: (args: Tasks[K]['args']) => Tasks[K]['result'] | Promise<Tasks[K]['result']> } =
  {
    'probe-logs': ({ install, now, floor }) => probeLogs(install, { now, floor }),
    'parse-runbook': ({ abs, file, variables }) =>
      parseRunbook(fs.readFileSync(abs, 'utf8'), { file, variables }),
    'list-processes': () => listProcProcesses(),
    'sha256-file': ({ file }) => sha256File(file),
    'bundle-extract': ({ zip, entry, target }) =>
      extractEntry(zip, entry, target).then(
        (digest) => ({ ok: true as const, digest }),
        (err: unknown) => {
          // The bundle's own refusals (size, CRC) keep their code and words; anything else is named.
          if (err instanceof OpsError) return { ok: false as const, code: err.code, message: err.message };
          throw err;
        },
      ),
  };

if (!parentPort) throw new Error('task-worker.ts runs only as a worker thread');
const port = parentPort;
// A lane sends its next job only after this one's reply, so an async job runs alone too.
port.on('message', (req: TaskRequest) => {
  void (async (): Promise<TaskReply> => {
    try {
      const fn = run[req.task] as (a: unknown) => unknown;
      if (typeof fn !== 'function') throw new Error(`unknown task "${String(req.task)}"`);
      return { id: req.id, ok: true, value: await fn(req.args) };
    } catch (err) {
      return { id: req.id, ok: false, error: err instanceof Error ? err.message : String(err) };
    }
  })().then((reply) => port.postMessage(reply));
});
