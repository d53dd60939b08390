// Rule tables for the tools that read files and text. Most have no option that writes or runs code,
// so their options are not checked one by one; the few with such options list the safe ones.
import { optionsOnly, parseOptions } from '../options';
import type { ToolRule } from '../types';

/** Tools none of whose options write a file or run a program (checked against their GNU/procps manuals). */
const READERS = [
  'cat',
  'head',
  'tail',
  'wc',
  'grep',
  'egrep',
  'fgrep',
  'cut',
  'tr',
  'ls',
  'du',
  'df',
  'stat',
  'free',
  'uptime',
  'vmstat',
  'ps',
  'pgrep',
  'pidof',
  'lsof',
  'jq',
  'column',
  'nl',
  'tac',
  'rev',
  'fold',
  'comm',
  'diff',
  'cmp',
  'md5sum',
  'sha1sum',
  'sha256sum',
  'sha512sum',
  'base64',
  'od',
  'hexdump',
  'strings',
  'basename',
  'dirname',
  'realpath',
  'readlink',
  'pwd',
  'whoami',
  'id',
  'groups',
  'uname',
  'nproc',
  'locale',
  'printenv',
  'type',
  'which',
  'echo',
  'true',
  'false',
  ':',
  'sleep',
  'seq',
  'lsblk',
  'findmnt',
  'lscpu',
  'getconf',
  'tty',
  'expand',
  'zcat',
] as const;

const reader: ToolRule = optionsOnly({ anyOption: true });

export const TEXT_RULES: Record<string, ToolRule> = {
  ...Object.fromEntries(READERS.map((n) => [n, reader])),

  // uniq IN OUT writes OUT: one operand at most.
  uniq: (args, ctx) => {
    const p = parseOptions(ctx.name, args, { anyOption: true });
    return p.operands.length > 1
      ? [...p.reasons, `uniq writes its second operand (${p.operands[1].raw})`]
      : p.reasons;
  },

  // sort: -o/--output writes, --compress-program runs a program; the rest only orders lines.
  sort: optionsOnly({
    flags: 'bcCdfghiMmnRrsuVz',
    valued: 'ktST',
    long: [
      '--numeric-sort',
      '--reverse',
      '--unique',
      '--ignore-case',
      '--general-numeric-sort',
      '--human-numeric-sort',
      '--version-sort',
      '--stable',
      '--zero-terminated',
      '--ignore-leading-blanks',
      '--month-sort',
      '--random-sort',
      '--check',
      '--merge',
      '--dictionary-order',
    ],
    longValued: ['--key', '--field-separator', '--buffer-size', '--parallel', '--temporary-directory'],
  }),

  // xxd IN OUT writes OUT, -r turns a dump back into a file: no -r, one operand at most.
  xxd: (args, ctx) => {
    const p = parseOptions(ctx.name, args, {
      singleDash: true,
      long: ['-a', '-b', '-C', '-e', '-E', '-i', '-p', '-ps', '-plain', '-u', '-d', '-h', '-v'],
      longValued: ['-c', '-cols', '-g', '-l', '-len', '-o', '-s', '-seek', '-n'],
    });
    return p.operands.length > 1
      ? [...p.reasons, `xxd writes its second operand (${p.operands[1].raw})`]
      : p.reasons;
  },

  // tee with no file only copies stdin to stdout.
  tee: (args, ctx) => {
    const p = parseOptions(ctx.name, args, { flags: 'ip', long: ['--ignore-interrupts'] });
    return p.operands.length > 0
      ? [...p.reasons, `tee writes to ${p.operands.map((o) => o.raw).join(', ')}`]
      : p.reasons;
  },

  // printf -v assigns a variable (with a subscript that can run commands); without it, it prints.
  printf: (args, ctx) => parseOptions(ctx.name, args.slice(0, 1), {}).reasons,
};
