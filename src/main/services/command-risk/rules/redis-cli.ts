// redis-cli reads when it runs one command from a list of read-only Redis commands, or one of its
// own scanning/statistics modes. With no command it is interactive (or reads commands from a pipe).
import { parseOptions } from '../options';
import { type ToolRule, shown } from '../types';

/** Redis commands that only read (a second word, when given, narrows a container command). */
const READ_COMMANDS = new Set([
  'ping',
  'info',
  'dbsize',
  'ttl',
  'pttl',
  'type',
  'exists',
  'get',
  'mget',
  'strlen',
  'getrange',
  'hget',
  'hgetall',
  'hkeys',
  'hvals',
  'hlen',
  'hmget',
  'hexists',
  'llen',
  'lrange',
  'lindex',
  'scard',
  'smembers',
  'sismember',
  'zcard',
  'zrange',
  'zscore',
  'zcount',
  'zrank',
  'scan',
  'hscan',
  'sscan',
  'zscan',
  'keys',
  'time',
  'lastsave',
  'role',
  'echo',
  'randomkey',
  'xlen',
  'xinfo',
  'xrange',
  'pubsub',
  'client list',
  'client info',
  'client getname',
  'config get',
  'memory usage',
  'memory stats',
  'memory doctor',
  'slowlog get',
  'slowlog len',
  'latency latest',
  'latency doctor',
  'latency history',
  'object encoding',
  'object freq',
  'object idletime',
  'object refcount',
  'command count',
  'command docs',
  'command info',
  'command list',
  'cluster info',
  'cluster nodes',
]);

/** redis-cli modes that scan or measure without changing data. */
const READ_MODES = [
  '--scan',
  '--bigkeys',
  '--memkeys',
  '--stat',
  '--latency',
  '--latency-history',
  '--latency-dist',
];

export const redisCliRule: ToolRule = (args, ctx) => {
  const p = parseOptions(ctx.name, args, {
    flags: 'c',
    valued: 'hpnasui',
    long: [
      '--raw',
      '--no-raw',
      '--csv',
      '--json',
      '--no-auth-warning',
      '--askpass',
      '--tls',
      '--insecure',
      '--verbose',
      ...READ_MODES,
    ],
    longValued: ['--user', '--pass', '--pattern', '--count', '--cacert', '--sni', '--quoted-pattern'],
  });
  const reasons = [...p.reasons];
  const mode = p.options.some((o) => READ_MODES.includes(o.name));
  if (p.operands.length === 0)
    return mode
      ? reasons
      : [...reasons, 'redis-cli without a command is interactive or reads commands from stdin'];
  if (mode) return [...reasons, 'redis-cli with both a scanning mode and a command'];
  const [cmd, sub] = p.operands;
  if (
    cmd.value === null ||
    (sub && sub.value === null && cmd.value !== null && !READ_COMMANDS.has(cmd.value.toLowerCase()))
  ) {
    return [...reasons, `the Redis command ${shown(cmd)} is only known at run time`];
  }
  const one = cmd.value.toLowerCase();
  const two = sub?.value ? `${one} ${sub.value.toLowerCase()}` : '';
  if (!READ_COMMANDS.has(two) && !READ_COMMANDS.has(one))
    return [
      ...reasons,
      `the Redis command ${cmd.value.toUpperCase()}${sub?.value ? ` ${sub.value.toUpperCase()}` : ''} is not known to only read`,
    ];
  if (
    ['client', 'config', 'memory', 'slowlog', 'latency', 'object', 'command', 'cluster'].includes(one) &&
    !READ_COMMANDS.has(two)
  ) {
    return [
      ...reasons,
      `the Redis command ${one.toUpperCase()} ${sub?.value?.toUpperCase() ?? ''} is not known to only read`,
    ];
  }
  return reasons;
};

export const REDIS_RULES: Record<string, ToolRule> = { 'redis-cli': redisCliRule };
