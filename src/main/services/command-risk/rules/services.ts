// Service managers, containers, runtimes and the console's own CLI: the status, log and version forms
// read; start/stop/restart, installs, builds and writing sub-commands ask.
import { parseOptions } from '../options';
import { type Arg, type ToolRule, shown } from '../types';

function sub(args: Arg[], known: readonly string[], tool: string): { reasons: string[]; index: number } {
  const index = args.findIndex((a) => a.value === null || !a.value.startsWith('-'));
  const a = args[index];
  if (!a) return { reasons: [], index: -1 };
  if (a.value === null || !known.includes(a.value))
    return { reasons: [`${tool} ${shown(a)} is not a sub-command known to only read`], index };
  return { reasons: [], index };
}

/** systemctl: the query verbs; with no verb it lists units. */
const SYSTEMCTL_READ = [
  'status',
  'is-active',
  'is-enabled',
  'is-failed',
  'show',
  'list-units',
  'list-unit-files',
  'list-timers',
  'list-sockets',
  'list-dependencies',
  'cat',
  'help',
] as const;

export const systemctlRule: ToolRule = (args, ctx) => {
  const p = parseOptions(ctx.name, args, {
    flags: 'laqt',
    valued: 'pnot',
    long: [
      '--user',
      '--system',
      '--no-pager',
      '--full',
      '--all',
      '--value',
      '--plain',
      '--no-legend',
      '--quiet',
      '--failed',
    ],
    longValued: ['--type', '--state', '--property', '--lines', '--output'],
  });
  const verb = p.operands[0];
  if (!verb) return p.reasons;
  if (verb.value === null || !(SYSTEMCTL_READ as readonly string[]).includes(verb.value))
    return [...p.reasons, `systemctl ${shown(verb)} changes services or the system`];
  return p.reasons;
};

/** journalctl: reading the journal; --vacuum-*, --rotate, --flush, --sync, --setup-keys change it. */
export const journalctlRule: ToolRule = (args, ctx) =>
  parseOptions(ctx.name, args, {
    flags: 'fraeqxkbmN',
    valued: 'unpogtSUIDc',
    long: [
      '--follow',
      '--no-pager',
      '--reverse',
      '--pager-end',
      '--quiet',
      '--catalog',
      '--dmesg',
      '--boot',
      '--merge',
      '--user',
      '--system',
      '--list-boots',
      '--disk-usage',
      '--no-hostname',
      '--utc',
      '--no-full',
      '--full',
      '--all',
      '--fields',
      '--header',
    ],
    longValued: [
      '--unit',
      '--user-unit',
      '--lines',
      '--priority',
      '--output',
      '--grep',
      '--identifier',
      '--since',
      '--until',
      '--facility',
      '--cursor',
      '--after-cursor',
      '--output-fields',
      '--case-sensitive',
    ],
  }).reasons;

/** docker: listing, logs and inspection; `docker compose` the same plus config. */
const DOCKER_READ = [
  'ps',
  'logs',
  'inspect',
  'images',
  'version',
  'info',
  'stats',
  'top',
  'port',
  'diff',
  'history',
] as const;
const COMPOSE_READ = ['ps', 'logs', 'config', 'ls', 'images', 'top', 'version', 'port'] as const;

function composeArgs(args: Arg[], tool: string): string[] {
  const p = parseOptions(tool, args, {
    valued: 'fp',
    longValued: ['--file', '--project-name', '--profile', '--env-file', '--project-directory'],
    long: ['--ansi'],
  });
  const verb = p.operands[0];
  if (!verb) return [...p.reasons, `${tool} without a sub-command`];
  if (verb.value === null || !(COMPOSE_READ as readonly string[]).includes(verb.value))
    return [...p.reasons, `${tool} ${shown(verb)} changes containers`];
  return p.reasons;
}

export const dockerRule: ToolRule = (args) => {
  const first = args[0];
  if (!first) return ['docker without a sub-command'];
  if (first.value === 'compose') return composeArgs(args.slice(1), 'docker compose');
  if (first.value === null || !(DOCKER_READ as readonly string[]).includes(first.value))
    return [`docker ${shown(first)} is not a sub-command known to only read`];
  // The listed sub-commands have no option that writes; their values are formats, filters and counts.
  return [];
};

/** dotnet: runtime and SDK information only (anything else may build, restore or run code). */
export const dotnetRule: ToolRule = (args) =>
  args.length === 1 && ['--info', '--version', '--list-runtimes', '--list-sdks'].includes(args[0].value ?? '')
    ? []
    : [`dotnet ${args.map(shown).join(' ')} may build, restore or run code`];

/** ffmpeg: the information flags only (a run writes its output file). */
export const ffmpegRule: ToolRule = (args) => {
  const info = [
    '-version',
    '-hide_banner',
    '-encoders',
    '-decoders',
    '-codecs',
    '-formats',
    '-hwaccels',
    '-buildconf',
    '-filters',
    '-protocols',
    '-pix_fmts',
  ];
  const bad = args.filter((a) => a.value === null || !info.includes(a.value));
  return bad.length
    ? [
        `ffmpeg ${shown(bad[0])}: only the information flags (-version, -encoders, ...) are known to only read`,
      ]
    : [];
};

/** ffprobe: stream information; -report writes a log file, -o an output. */
export const ffprobeRule: ToolRule = (args, ctx) =>
  parseOptions(ctx.name, args, {
    singleDash: true,
    long: [
      '-show_format',
      '-show_streams',
      '-show_chapters',
      '-show_programs',
      '-show_error',
      '-show_frames',
      '-show_packets',
      '-count_frames',
      '-count_packets',
      '-pretty',
      '-hide_banner',
      '-version',
      '-bitexact',
    ],
    longValued: [
      '-v',
      '-loglevel',
      '-print_format',
      '-of',
      '-output_format',
      '-select_streams',
      '-show_entries',
      '-i',
      '-read_intervals',
    ],
  }).reasons;

/** aura-ops (this console's CLI): the sub-commands that only read, with no --out. */
const AURA_OPS_READ: Record<string, readonly string[] | null> = {
  check: null,
  logs: ['tail', 'search', 'stats'],
  db: ['overview', 'tables', 'query', 'check'],
  runbooks: ['list', 'lint'],
  terminal: ['classify'],
  report: null,
  help: null,
  '--help': null,
  '-h': null,
  '--version': null,
  '-v': null,
};

export const auraOpsRule: ToolRule = (args) => {
  const [cmd, verb] = args;
  if (!cmd) return ['aura-ops without a command'];
  if (cmd.value === null || !Object.prototype.hasOwnProperty.call(AURA_OPS_READ, cmd.value))
    return [`aura-ops ${shown(cmd)} is not a command known to only read`];
  const verbs = AURA_OPS_READ[cmd.value];
  const reasons: string[] = [];
  if (verbs) {
    const r = sub(args.slice(1), verbs, `aura-ops ${cmd.value}`);
    reasons.push(...r.reasons);
    if (!verb) reasons.push(`aura-ops ${cmd.value} without a sub-command`);
  }
  const out = args.find(
    (a) => a.value === null || a.value === '--out' || a.value.startsWith('--out=') || a.value === '-o',
  );
  if (out && cmd.value !== 'terminal')
    reasons.push(`aura-ops ${shown(out)} writes a file or is only known at run time`);
  return reasons;
};

export const SERVICE_RULES: Record<string, ToolRule> = {
  systemctl: systemctlRule,
  journalctl: journalctlRule,
  docker: dockerRule,
  'docker-compose': (args) => composeArgs(args, 'docker-compose'),
  dotnet: dotnetRule,
  ffmpeg: ffmpegRule,
  ffprobe: ffprobeRule,
  'aura-ops': auraOpsRule,
};
