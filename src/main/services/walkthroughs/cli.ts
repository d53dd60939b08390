// `aura-ops report`: print or save a walk-through session as a Markdown incident report or JSON,
// straight from ops.db (the console need not be running).
import fs from 'node:fs';
import { parseArgs } from 'node:util';
import type { CliCommand } from '../../cli-types';
import { OpsStore, defaultDataDir } from '../store/store';
import { WalkthroughService } from './service';

const HELP = `Usage: aura-ops report SESSION [--json] [--out FILE] [--data-dir DIR]
       aura-ops report --list [--data-dir DIR]

Print a recorded session as a post-mortem draft in Markdown (or JSON with --json). SESSION is the
session id or a unique prefix of it, as --list shows.

Options:
  --json          JSON instead of Markdown
  --out FILE      Write to FILE instead of standard output
  --list          List the recorded sessions, newest first
  --data-dir DIR  The console's data folder holding ops.db (default: $AURA_OPS_DATA_DIR or the
                  per-user config folder)
  -h, --help      Show this help`;

export const reportCommand: CliCommand = async (argv, io) => {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      json: { type: 'boolean', default: false },
      out: { type: 'string' },
      list: { type: 'boolean', default: false },
      'data-dir': { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    allowPositionals: true,
  });
  if (values.help) {
    io.out(HELP);
    return 0;
  }
  if (!values.list && positionals.length !== 1) {
    io.err('aura-ops report: give one SESSION id (or --list). See aura-ops report --help.');
    return 2;
  }
  const store = OpsStore.open(values['data-dir'] ?? defaultDataDir());
  try {
    const svc = new WalkthroughService(store, {
      dataDir: values['data-dir'] ?? defaultDataDir(),
      getInstall: () => null,
      emit: () => undefined,
      onDispose: () => undefined,
    });
    if (values.list) {
      const rows = svc.list(undefined, 500);
      if (values.json) io.out(JSON.stringify(rows, null, 2));
      else if (rows.length === 0) io.out('No walk-through sessions recorded yet.');
      else
        for (const r of rows)
          io.out(
            `${r.id.slice(0, 8)}  ${new Date(r.startedAt).toISOString().slice(0, 16).replace('T', ' ')}  ${r.status.padEnd(9)} ${r.kind.padEnd(8)} ${r.severity ?? '     '}  ${r.title}`,
          );
      return 0;
    }
    const report = svc.report(svc.resolveId(positionals[0]!), values.json ? 'json' : 'markdown');
    if (values.out) {
      fs.writeFileSync(values.out, report.content);
      io.out(`Wrote ${values.out}`);
    } else io.out(report.content.replace(/\n$/, ''));
    return 0;
  } finally {
    store.close();
  }
};
