// Linux's process table read from /proc: one parser for /proc/<pid>/stat and cmdline, and the walks
// the terminal (a shell's descendants, zombies) and the process probe (watched programs) need.
import fs from 'node:fs';

/** Where the kernel shows its processes. */
export const PROC_ROOT = '/proc';
/** Clock ticks per second in /proc/<pid>/stat (USER_HZ is 100 on every Linux Node supports). */
export const USER_HZ = 100;
/** Bytes per page for the rss field (4 KiB on the x86-64 and arm64 kernels Node ships for). */
export const PAGE_SIZE = 4096;

/** The fields of /proc/<pid>/stat that the console reads (proc(5) numbering in the comments). */
export interface ProcStat {
  pid: number;
  /** (2) The executable's name as the kernel keeps it, at most 15 bytes; may hold spaces and ')'. */
  comm: string;
  /** (3) R, S, D, Z (zombie), T, t, X, I ... */
  state: string;
  /** (4) */
  ppid: number;
  /** (14) and (15): user and system CPU time, in clock ticks. */
  utimeTicks: number;
  stimeTicks: number;
  /** (22) Start time after system boot, in clock ticks. */
  startTicks: number;
  /** (24) Resident set size, in pages. */
  rssPages: number;
}

/** Reads of a process that ended (or that this user may not see) mean "not there", not an error. */
const GONE_CODES = new Set(['ENOENT', 'ESRCH', 'EACCES', 'EPERM']);

function gone(err: unknown): boolean {
  return GONE_CODES.has((err as NodeJS.ErrnoException).code ?? '');
}

/**
 * Parses one /proc/<pid>/stat line. The name sits in parentheses and may itself hold ') (' and
 * spaces, so the fields after it are counted from the last ')'. Null for anything malformed.
 */
export function parseStat(text: string): ProcStat | null {
  const open = text.indexOf(' (');
  const close = text.lastIndexOf(')');
  if (open < 1 || close < open) return null;
  const pid = Number(text.slice(0, open));
  const f = text
    .slice(close + 2)
    .trim()
    .split(' ');
  // f[0] is field 3 (state), so field n is f[n - 3].
  if (!Number.isInteger(pid) || pid <= 0 || f.length < 22 || !/^[A-Za-z]$/.test(f[0])) return null;
  const num = (n: number): number => Number(f[n - 3]);
  const stat: ProcStat = {
    pid,
    comm: text.slice(open + 2, close),
    state: f[0],
    ppid: num(4),
    utimeTicks: num(14),
    stimeTicks: num(15),
    startTicks: num(22),
    rssPages: num(24),
  };
  const numbers = [stat.ppid, stat.utimeTicks, stat.stimeTicks, stat.startTicks, stat.rssPages];
  return numbers.every((n) => Number.isInteger(n) && n >= 0) ? stat : null;
}

/** The stat of `pid`, or null when it has ended or is hidden from this user. */
export function readStat(pid: number, root = PROC_ROOT): ProcStat | null {
  try {
    return parseStat(fs.readFileSync(`${root}/${pid}/stat`, 'utf8'));
  } catch (err) {
    if (gone(err)) return null;
    throw err;
  }
}

/** The argument vector of `pid` (empty for a kernel thread or a zombie), or null when it has ended. */
export function readCmdline(pid: number, root = PROC_ROOT): string[] | null {
  try {
    return fs.readFileSync(`${root}/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
  } catch (err) {
    if (gone(err)) return null;
    throw err;
  }
}

/** Whether this system has a /proc process table to read (Linux). */
export function hasProcTable(root = PROC_ROOT): boolean {
  return fs.existsSync(`${root}/self/stat`);
}

/**
 * Every process now, or null where there is no /proc (macOS, Windows). A process that ends while
 * the table is read is simply not in it.
 */
export function processTable(root = PROC_ROOT): ProcStat[] | null {
  let entries: string[];
  try {
    entries = fs.readdirSync(root);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const out: ProcStat[] = [];
  for (const e of entries) {
    if (!/^\d+$/.test(e)) continue;
    const stat = readStat(Number(e), root);
    if (stat) out.push(stat);
  }
  return out;
}

/** Pids of every descendant of `pid` in `table` (children first, breadth-first); empty without /proc. */
export function descendants(pid: number, table: readonly ProcStat[] | null = processTable()): number[] {
  if (!table) return [];
  const children = new Map<number, number[]>();
  for (const p of table) {
    const list = children.get(p.ppid);
    if (list) list.push(p.pid);
    else children.set(p.ppid, [p.pid]);
  }
  const out: number[] = [];
  const seen = new Set<number>([pid]);
  const queue = [pid];
  for (let i = 0; i < queue.length; i++) {
    for (const c of children.get(queue[i]) ?? []) {
      if (seen.has(c)) continue; // a pid reused while the table was read cannot loop the walk
      seen.add(c);
      out.push(c);
      queue.push(c);
    }
  }
  return out;
}

/**
 * True while `pid` exists and is not a zombie waiting to be reaped (a zombie still answers
 * kill(0)). Without /proc, kill(0) is all there is to go on.
 */
export function isAlive(pid: number, root = PROC_ROOT): boolean {
  // kill(0, 0) and kill(-n, 0) would ask about a whole process group: no such pid is alive.
  if (!Number.isInteger(pid) || pid <= 0) return false;
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: it exists but belongs to another user; anything else (ESRCH) means it is gone.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (!hasProcTable(root)) return true;
  const stat = readStat(pid, root);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
}
