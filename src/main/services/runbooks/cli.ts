// `aura-ops runbooks list|lint [DIR...]`: what the library understood of each runbook, and the
// handbook's standards as file:line messages (exit 1 on errors) for editors and CI.
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { OpsError } from '../../../shared/errors';
import { formatProblem } from '../../../shared/runbooks/lint';
import type { CliCommand, CliIO } from '../../cli-types';
import { RunbookLibrary } from './library';

const HELP = `Usage: aura-ops runbooks <command> [DIR...] [options]

Commands:
  list [DIR...]   Show what the console understood of each runbook: title, category,
                  severity, the six sections found, code blocks and executable steps.
  lint [DIR...]   Check the handbook's standards (title, six sections, steps under
                  Resolution, fenced code with a language, reviewed within 90 days,
                  links that resolve). Prints file:line messages; exit 1 on errors.
  test            Not available yet: needs the terminal's shell integration.

DIR defaults to the bundled runbooks (resources/runbooks, or $AURA_OPS_RUNBOOKS_DIR).

Options:
  --json          Print data as JSON
  --now DATE      Reference date for the review rule (yyyy-mm-dd; default today)
  -h, --help      Show this help
`;

/** The bundled runbooks: $AURA_OPS_RUNBOOKS_DIR, else resources/runbooks in cwd or a parent. */
export function findBundledRunbooks(start = process.cwd()): string | null {
  const env = process.env.AURA_OPS_RUNBOOKS_DIR;
  if (env) return path.resolve(env);
  let dir = path.resolve(start);
  for (;;) {
    const candidate = path.join(dir, 'resources', 'runbooks');
    if (fs.existsSync(candidate)) return candidate;
    const parent = path.dirname(dir);
    if (parent === dir) return null;
    dir = parent;
  }
}

function libraryFor(dirs: string[], now: Date): RunbookLibrary {
  const folders = dirs.length > 0 ? dirs : [findBundledRunbooks()].filter((d): d is string => d !== null);
  if (folders.length === 0) {
    throw new OpsError('not-found', 'No runbook folder given and no resources/runbooks found: pass a folder, e.g. `aura-ops runbooks lint docs/`.');
  }
  for (const d of folders) {
    const abs = path.resolve(d);
    if (!fs.existsSync(abs)) throw new OpsError('not-found', `Folder "${d}" does not exist: check the path.`);
    if (!fs.statSync(abs).isDirectory()) throw new OpsError('bad-request', `"${d}" is a file: pass the folder that holds the runbooks.`);
  }
  return new RunbookLibrary({ bundledDir: null, folders: folders.map((d) => path.resolve(d)), now: () => now });
}

function rel(p: string): string {
  const r = path.relative(process.cwd(), p);
  return r.startsWith('..') ? p : r;
}

function listCmd(lib: RunbookLibrary, json: boolean, io: CliIO): number {
  const entries = lib.lintAll();
  if (json) {
    io.out(
      `${JSON.stringify(
        entries.map((e) => ({
          path: rel(e.path),
          ...e.summary,
          codeBlocks: e.doc.codeBlocks.map((b) => {
            const step = e.doc.steps.find((s) => s.blockIndex === b.index);
            return { line: b.line, lang: b.lang, section: b.section, executable: b.executable, step: step ? { id: step.id, expect: step.expect, variables: step.variables } : null };
          }),
        })),
        null,
        2,
      )}\n`,
    );
    return 0;
  }
  if (entries.length === 0) io.out('No Markdown files found.\n');
  for (const e of entries) {
    const s = e.summary;
    const badges = [s.category ?? 'no category', s.severity ?? 'no severity', s.estimatedTime, s.stale && s.kind === 'runbook' ? 'STALE' : null].filter(Boolean);
    io.out(`${rel(e.path)}\n  ${s.kind === 'index' ? '[index] ' : ''}${s.title} (${badges.join(', ')})\n`);
    if (s.kind === 'runbook') {
      const missing = ['Overview', 'Symptoms', 'Diagnosis', 'Resolution', 'Prevention', 'References'].filter((n) => !(s.sections as string[]).includes(n));
      io.out(`  sections: ${s.sections.join(', ') || 'none'}${missing.length ? ` (missing: ${missing.join(', ')})` : ''}\n`);
    }
    const blocks = e.doc.codeBlocks.map((b) => {
      const step = e.doc.steps.find((x) => x.blockIndex === b.index);
      return `${b.lang ?? '?'}@${b.line}${step ? ` step ${step.id}${step.expect ? ' +expect' : ''}` : ''}`;
    });
    io.out(`  code blocks: ${blocks.length}${blocks.length ? `: ${blocks.join('; ')}` : ''}\n`);
  }
  return 0;
}

function lintCmd(lib: RunbookLibrary, json: boolean, io: CliIO): number {
  const entries = lib.lintAll();
  const problems = entries.flatMap((e) => e.problems.map((p) => ({ ...p, file: rel(p.file) })));
  const errors = problems.filter((p) => p.severity === 'error').length;
  const warnings = problems.filter((p) => p.severity === 'warning').length;
  if (json) {
    io.out(`${JSON.stringify({ files: entries.length, errors, warnings, problems }, null, 2)}\n`);
  } else {
    for (const p of problems) io.out(`${formatProblem(p)}\n`);
    io.out(`${entries.length} file(s): ${errors} error(s), ${warnings} warning(s)\n`);
  }
  return errors > 0 ? 1 : 0;
}

export const runbooksCommand: CliCommand = async (argv, io) => {
  let parsed: ReturnType<typeof parseArgs>;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' }, now: { type: 'string' } },
    });
  } catch (err) {
    io.err(`${(err as Error).message}\n\n${HELP}`);
    return 2;
  }
  const [sub, ...dirs] = parsed.positionals;
  if (parsed.values.help || !sub) {
    io.out(HELP);
    return sub || parsed.values.help ? 0 : 2;
  }
  let now = new Date();
  if (typeof parsed.values.now === 'string') {
    now = new Date(`${parsed.values.now}T12:00:00Z`);
    if (Number.isNaN(now.getTime())) {
      io.err(`--now "${parsed.values.now}" is not a date: use yyyy-mm-dd.\n`);
      return 2;
    }
  }
  const json = parsed.values.json === true;
  try {
    if (sub === 'list') return listCmd(libraryFor(dirs, now), json, io);
    if (sub === 'lint') return lintCmd(libraryFor(dirs, now), json, io);
    if (sub === 'test') {
      io.err('`runbooks test` is not available yet: it needs the terminal shell integration and the sandbox.\n');
      return 2;
    }
    io.err(`Unknown command "${sub}".\n\n${HELP}`);
    return 2;
  } catch (err) {
    if (err instanceof OpsError) {
      io.err(`${err.message}\n`);
      return 2;
    }
    throw err;
  }
};
