// find and tar: find's expression can delete, run (-exec, -ok) and write (-fprint); tar can create,
// extract and run programs (--checkpoint-action, --to-command, -I). Only listing forms are accepted.
import { parseOptions } from '../options';
import { type Arg, type ToolRule, mayBeOption, shown } from '../types';

/** find tests and actions that only read or print to stdout, with whether they take a value. */
const FIND_PRIMARIES: Record<string, boolean> = {
  '-name': true,
  '-iname': true,
  '-path': true,
  '-ipath': true,
  '-wholename': true,
  '-iwholename': true,
  '-regex': true,
  '-iregex': true,
  '-regextype': true,
  '-type': true,
  '-xtype': true,
  '-mtime': true,
  '-mmin': true,
  '-atime': true,
  '-amin': true,
  '-ctime': true,
  '-cmin': true,
  '-newer': true,
  '-anewer': true,
  '-cnewer': true,
  '-size': true,
  '-user': true,
  '-group': true,
  '-uid': true,
  '-gid': true,
  '-perm': true,
  '-lname': true,
  '-ilname': true,
  '-links': true,
  '-inum': true,
  '-samefile': true,
  '-maxdepth': true,
  '-mindepth': true,
  '-fstype': true,
  '-used': true,
  '-printf': true,
  '-empty': false,
  '-readable': false,
  '-writable': false,
  '-executable': false,
  '-xdev': false,
  '-mount': false,
  '-follow': false,
  '-print': false,
  '-print0': false,
  '-ls': false,
  '-prune': false,
  '-true': false,
  '-false': false,
  '-not': false,
  '-a': false,
  '-o': false,
  '-and': false,
  '-or': false,
  '-daystart': false,
  '-depth': false,
  '-noleaf': false,
  '-nouser': false,
  '-nogroup': false,
  '-quit': false,
  '-ignore_readdir_race': false,
  '!': false,
  '(': false,
  ')': false,
  ',': false,
};

export const findRule: ToolRule = (args) => {
  const reasons: string[] = [];
  let i = 0;
  while (i < args.length && ['-H', '-L', '-P'].includes(args[i].value ?? '')) i++;
  // Start points, up to the first word that begins an expression.
  for (; i < args.length; i++) {
    const a = args[i];
    if (a.value !== null && (a.value.startsWith('-') || ['!', '(', ')', ','].includes(a.value))) break;
    if (a.value === null && mayBeOption(a)) {
      reasons.push(`find: ${shown(a)} may turn into an expression (-delete, -exec) at run time`);
      return reasons;
    }
  }
  for (; i < args.length; i++) {
    const a = args[i];
    const takesValue = a.value === null ? undefined : FIND_PRIMARIES[a.value];
    if (takesValue === undefined) {
      reasons.push(
        `find ${shown(a)} is not a test known to only read (-delete, -exec, -ok and -fprint change things)`,
      );
      continue;
    }
    if (takesValue) i++;
  }
  return reasons;
};

/** tar: list only (-t/--list), reading an archive (-f) on this machine (a `host:` file runs rsh). */
export const tarRule: ToolRule = (args, ctx) => {
  // Old style: `tar tzf FILE`, a first word of letters without a dash.
  const first = args[0]?.value;
  const words: Arg[] =
    first && /^[a-zA-Z]+$/.test(first)
      ? [{ ...args[0], value: `-${first}`, prefix: `-${first}` }, ...args.slice(1)]
      : args;
  const p = parseOptions(ctx.name, words, {
    flags: 'tvzjJaO',
    valued: 'fT',
    long: [
      '--list',
      '--verbose',
      '--gzip',
      '--bzip2',
      '--xz',
      '--zstd',
      '--null',
      '--wildcards',
      '--no-wildcards',
      '--anchored',
      '--numeric-owner',
      '--force-local',
    ],
    longValued: ['--file', '--files-from'],
  });
  const reasons = [...p.reasons];
  if (!p.options.some((o) => o.name === '-t' || o.name === '--list'))
    reasons.push('tar without -t (list) creates or extracts an archive');
  const force = p.options.some((o) => o.name === '--force-local');
  for (const o of p.options.filter((x) => x.name === '-f' || x.name === '--file')) {
    if (!o.value || o.value.value === null || (o.value.value.includes(':') && !force))
      reasons.push(`tar -f ${o.value ? shown(o.value) : ''}: an archive named host:file is opened over rsh`);
  }
  return reasons;
};

export const FIND_TAR_RULES: Record<string, ToolRule> = { find: findRule, tar: tarRule };
