// `aura-ops db ...`: the aura.db inspector on the command line, a safe alternative to the sqlite3
// CLI for the runbooks (read-only, time-limited, never creates files next to aura.db).
import os from 'node:os';
import { parseArgs } from 'node:util';
import type { CliCommand, CliIO } from '../../cli-types';
import type { Cell, DbOverview, RowsPage } from '../../../shared/contract/database';
import { OpsError } from '../../../shared/errors';
import { DatabaseService } from './service';

/** Widest cell in the text table; --json gives whole values. */
const TEXT_CELL_MAX = 60;
/** Exit code when a check ran and found problems (1 is "the command failed"). */
export const EXIT_PROBLEMS = 3;

const HELP = `Usage: aura-ops db <action> --db FILE [options]

Reads aura.db read-only: never writes it, never creates -wal/-shm/-journal files next to it.

Actions:
  overview              Size, journal mode, free pages, schema (migrations), tables, indexes
  tables                Tables with row counts (capped; use count for an exact one)
  count TABLE           Exact row count of one table
  query "SQL"           Run one read-only statement; --limit caps rows (default 1000)
  explain "SQL"         EXPLAIN QUERY PLAN of a statement
  check [--full]        PRAGMA quick_check (integrity_check with --full), table by table;
                        exit code ${EXIT_PROBLEMS} when problems are found
  backup --out FILE     Online backup (SQLite backup API, WAL-safe) to a new FILE; prints size, sha256
                        and quick_check of the copy (a damaged copy gets FILE.DAMAGED.txt and a warning)

Options:
  --db FILE        aura.db to read (default: $AURA_DATABASE_PATH)
  --json           Print data as JSON
  --limit N        Row cap for query (default 1000)
  --timeout MS     Time limit per query (default 5000)
  -h, --help       This help`;

function cellText(c: Cell): string {
  if (c === null) return 'NULL';
  if (typeof c === 'number') return String(c);
  if (typeof c === 'string') return c;
  if (c.kind === 'bigint') return c.value;
  if (c.kind === 'blob') return `<blob ${c.bytes} bytes>`;
  return `${c.text}… (${c.length} chars)`;
}

function clip(s: string): string {
  const one = s.replace(/\s+/g, ' ');
  return one.length > TEXT_CELL_MAX ? `${one.slice(0, TEXT_CELL_MAX - 1)}…` : one;
}

export function textTable(header: string[], rows: string[][]): string {
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) =>
    r
      .map((v, i) => v.padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...rows.map(line)].join('\n');
}

function pageText(p: RowsPage): string {
  const body = textTable(
    p.columns.map((c) => c.name),
    p.rows.map((r) => r.map((c) => clip(cellText(c)))),
  );
  const more = p.hasMore ? `, more rows exist (cap ${p.limit})` : '';
  return `${body}\n(${p.rows.length} row${p.rows.length === 1 ? '' : 's'}${more}; ${p.elapsedMs} ms)`;
}

function mb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

function overviewText(o: DbOverview): string {
  const lines = [
    `aura.db      ${o.dbPath} (${o.access === 'snapshot' ? 'read from a private snapshot' : 'read in place'})`,
    `size         ${mb(o.sizeBytes)} (page_count ${o.pageCount} x page_size ${o.pageSize}); on disk ${mb(o.file.size)}`,
    `-wal / -shm  ${o.wal.exists ? mb(o.wal.size) : 'none'} / ${o.shm.exists ? mb(o.shm.size) : 'none'}`,
    `journal      ${o.journalMode}`,
    `write lock   ${o.lock.state === 'free' ? 'none' : o.lock.summary}${o.lock.impact ? ` ${o.lock.impact}` : ''}`,
    `free pages   ${o.freelistPages} (${(o.freeRatio * 100).toFixed(1)}%${o.vacuumCandidate ? ', VACUUM candidate' : ''})`,
    `modified     ${o.file.mtime ?? '?'}${o.wal.mtime ? ` (-wal ${o.wal.mtime})` : ''}`,
    `schema       ${o.schema.state}: ${o.schema.summary}`,
    `sqlite       ${o.sqliteVersion}`,
    '',
    textTable(
      ['table', 'rows', 'columns'],
      o.tables.map((t) => [
        t.name + (t.type === 'view' ? ' (view)' : ''),
        t.rowCount === null ? (t.countError ? 'error' : '-') : `${t.capped ? '>' : ''}${t.rowCount}`,
        String(t.columns.length),
      ]),
    ),
    '',
    `${o.indexes.length} indexes; ${o.elapsedMs} ms`,
  ];
  for (const n of o.notes) lines.push(`note: ${n}`);
  return lines.join('\n');
}

export const dbCommand: CliCommand = async (argv: string[], io: CliIO) => {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        db: { type: 'string' },
        json: { type: 'boolean', default: false },
        limit: { type: 'string' },
        timeout: { type: 'string' },
        out: { type: 'string' },
        full: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (err) {
    io.err(`aura-ops db: ${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const { values, positionals } = parsed;
  const [action, ...args] = positionals;
  if (values.help || !action) {
    (values.help ? io.out : io.err)(HELP);
    return values.help ? 0 : 2;
  }
  const dbPath = values.db ?? process.env.AURA_DATABASE_PATH;
  if (!dbPath) {
    io.err('aura-ops db: say which database with --db FILE (or set AURA_DATABASE_PATH).');
    return 2;
  }
  const intFlag = (v: string | undefined, name: string): number | undefined => {
    if (v === undefined) return undefined;
    const n = Number(v);
    if (!Number.isInteger(n) || n <= 0)
      throw new OpsError('bad-request', `--${name} must be a positive whole number`, `Got "${v}".`);
    return n;
  };

  const svc = new DatabaseService(
    { dataDir: process.env.AURA_OPS_DATA_DIR ?? os.tmpdir(), dbPath: () => dbPath, emit: () => undefined },
    { queryTimeoutMs: intFlag(values.timeout, 'timeout') },
  );
  const print = (data: unknown, text: string) => io.out(values.json ? JSON.stringify(data, null, 2) : text);
  try {
    switch (action) {
      case 'overview': {
        const o = await svc.overview();
        print(o, overviewText(o));
        return 0;
      }
      case 'tables': {
        const t = await svc.tables();
        print(
          t,
          textTable(
            ['table', 'type', 'rows'],
            t.map((x) => [x.name, x.type, x.rowCount === null ? '-' : `${x.capped ? '>' : ''}${x.rowCount}`]),
          ),
        );
        return 0;
      }
      case 'count': {
        if (!args[0])
          throw new OpsError(
            'bad-request',
            'count needs a table name',
            'Example: aura-ops db count JobQueue --db aura.db',
          );
        const c = await svc.count(args[0]);
        print(c, `${c.table}: ${c.count} rows`);
        return 0;
      }
      case 'query': {
        if (!args[0])
          throw new OpsError(
            'bad-request',
            'query needs the SQL as one argument',
            'Example: aura-ops db query "SELECT * FROM JobQueue" --db aura.db',
          );
        const r = await svc.query({
          sql: args.join(' '),
          limit: intFlag(values.limit, 'limit'),
          record: false,
        });
        print(r, pageText(r));
        return 0;
      }
      case 'explain': {
        if (!args[0])
          throw new OpsError(
            'bad-request',
            'explain needs the SQL as one argument',
            'Example: aura-ops db explain "SELECT * FROM JobQueue WHERE Status = 1"',
          );
        const plan = await svc.explain(args.join(' '));
        print(plan, plan.map((s) => `${s.id} <- ${s.parent}: ${s.detail}`).join('\n'));
        return 0;
      }
      case 'check': {
        const r = await svc.check(values.full ? 'integrity' : 'quick', 'cli-check');
        print(
          r,
          r.ok
            ? `ok (${r.kind} check of ${r.tablesChecked} tables, ${r.elapsedMs} ms)`
            : `${r.problems.length} problem(s):\n${r.problems.join('\n')}`,
        );
        return r.ok ? 0 : EXIT_PROBLEMS;
      }
      case 'backup': {
        if (!values.out)
          throw new OpsError(
            'bad-request',
            'backup needs --out FILE (a new file)',
            'Example: aura-ops db backup --db aura.db --out aura-backup.db',
          );
        const b = await svc.backup({ out: values.out, jobId: 'cli-backup' });
        print(
          b,
          `${b.file}\n  ${b.size} bytes, ${b.pages} pages, sha256 ${b.sha256} (${b.elapsedMs} ms)\n  quick_check of the copy: ${b.quickCheck.ok ? 'ok' : 'FAILED'}`,
        );
        // Still a success (the copy is kept as evidence), but never a quiet one.
        if (b.damaged)
          io.err(`WARNING: damaged backup. ${b.damaged.warning}\n  Details: ${b.damaged.sidecar}`);
        return 0;
      }
      default:
        io.err(`aura-ops db: unknown action "${action}"\n\n${HELP}`);
        return 2;
    }
  } catch (err) {
    const e = err as Error & { code?: string; detail?: string };
    if (values.json)
      io.err(JSON.stringify({ code: e.code ?? 'internal', message: e.message, detail: e.detail }));
    else io.err(`aura-ops db ${action}: ${e.message}${e.detail ? `\n  ${e.detail}` : ''}`);
    return 1;
  } finally {
    await svc.dispose();
  }
};
