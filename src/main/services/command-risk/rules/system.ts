// Rule tables for system tools whose common forms read but whose other forms change the machine
// (the clock, the host name, mounts, kernel settings, the GPU) or the shell (history, variables).
import { isHarmlessName } from '../names';
import { parseOptions } from '../options';
import { type ToolRule, shown } from '../types';

export const SYSTEM_RULES: Record<string, ToolRule> = {
  // date: +FORMAT, -u, -d STRING, -r FILE, -I/-R print; -s/--set and a MMDDhhmm operand set the clock.
  date: (args, ctx) => {
    const p = parseOptions(ctx.name, args, {
      flags: 'uRI',
      valued: 'dr',
      long: ['--utc', '--universal', '--rfc-email', '--iso-8601', '--debug'],
      longValued: ['--date', '--reference', '--iso-8601', '--rfc-3339'],
    });
    const bad = p.operands.filter((o) => o.value === null || !o.value.startsWith('+'));
    return [...p.reasons, ...bad.map((o) => `date ${shown(o)} sets the system clock`)];
  },

  // hostname with no operand prints; an operand or -F/-b sets the host name.
  hostname: (args, ctx) => {
    const p = parseOptions(ctx.name, args, {
      flags: 'aAdfiIsy',
      long: [
        '--fqdn',
        '--long',
        '--short',
        '--ip-address',
        '--all-ip-addresses',
        '--domain',
        '--alias',
        '--all-fqdns',
      ],
    });
    return p.operands.length > 0
      ? [...p.reasons, `hostname ${shown(p.operands[0])} sets the host name`]
      : p.reasons;
  },

  // mount with no operand lists mounts (-l adds labels, -t filters); anything else mounts.
  mount: (args, ctx) => {
    const p = parseOptions(ctx.name, args, { flags: 'l', valued: 't', longValued: ['--types'] });
    return p.operands.length > 0
      ? [...p.reasons, `mount ${shown(p.operands[0])} mounts a file system`]
      : p.reasons;
  },

  // sysctl NAME reads; NAME=VALUE, -w, -p, --system and -f load settings.
  sysctl: (args, ctx) => {
    const p = parseOptions(ctx.name, args, {
      flags: 'aAnNeqbX',
      long: ['--all', '--values', '--names', '--binary', '--ignore'],
    });
    const sets = p.operands.filter((o) => o.value === null || o.value.includes('='));
    return [...p.reasons, ...sets.map((o) => `sysctl ${shown(o)} changes a kernel setting`)];
  },

  // nvidia-smi: the listing and query forms only; -r resets a GPU, -pm/-pl/-ac/-c/-e change settings.
  'nvidia-smi': (args, ctx) => {
    const p = parseOptions(ctx.name, args, {
      flags: 'Lqx',
      valued: 'dil',
      long: ['--list-gpus', '--query', '--xml-format'],
      longValued: [
        '--query-gpu',
        '--query-compute-apps',
        '--format',
        '--id',
        '--display',
        '--loop',
        '--loop-ms',
      ],
    });
    return p.operands.length > 0
      ? [...p.reasons, `nvidia-smi ${shown(p.operands[0])} is a sub-command that changes GPU settings`]
      : p.reasons;
  },

  // history or history N lists; -c -d -a -w -r -n -s -p change or write the history.
  history: (args) =>
    args.length === 0 || (args.length === 1 && args[0].value !== null && /^\d+$/.test(args[0].value))
      ? []
      : [`history ${args.map(shown).join(' ')} changes or writes the shell history`],

  // read NAME...: sets shell variables; only plain, harmless names (a subscript `a[$(cmd)]` runs commands).
  read: (args, ctx) => {
    const p = parseOptions(ctx.name, args, { flags: 'rs', valued: 'dtnNp' });
    const bad = p.operands.filter((o) => o.value === null || !isHarmlessName(o.value));
    return [
      ...p.reasons,
      ...bad.map((o) => `read sets ${shown(o)}, a name a shell gives a meaning (or with a subscript)`),
    ];
  },

  // test ... : -v and -R evaluate array subscripts, which can run commands.
  test: (args) =>
    args
      .filter((a) => a.value === '-v' || a.value === '-R' || (a.value === null && a.prefix.startsWith('-')))
      .map((a) => `test ${shown(a)} evaluates an array subscript, which can run commands`),

  // ss lists sockets; -K/--kill closes them, -D/--diag writes a dump file.
  ss: (args, ctx) =>
    parseOptions(ctx.name, args, {
      flags: 'hVHnralmpiesbE460tuwxSM',
      valued: 'fAF',
      long: [
        '--numeric',
        '--resolve',
        '--all',
        '--listening',
        '--processes',
        '--info',
        '--tcp',
        '--udp',
        '--unix',
        '--summary',
        '--no-header',
        '--extended',
        '--memory',
      ],
      longValued: ['--family', '--query'],
    }).reasons,
};
