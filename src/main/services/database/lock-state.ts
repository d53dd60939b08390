// Who holds aura.db's write lock, read from the kernel's lock table (/proc/locks) without opening
// the database or taking any lock ourselves: the inspector and the aura.db card use it to say so.
import fs from 'node:fs';
import type { DbLockHolder, DbLockKind, DbLockState } from '../../../shared/contract/database';
import { nowMs } from '../../../shared/clock';
import { readCmdline, readStat } from '../system/proc-table';

/** Aura's own write transactions commit in milliseconds; a lock still held this much later is stuck or long. */
export const LOCK_CONFIRM_MS = 250;

/** A program name longer than this is cut (a path-like argv[0] is reduced to its last part first). */
const PROGRAM_NAME_MAX = 64;

/** SQLite's unix VFS lock bytes (os_unix.c / wal.c): where each lock lives in the file. */
const WAL_LOCK_OFFSET = 120; // -shm: WAL_WRITE_LOCK (+0), CKPT (+1), RECOVER (+2)
const PENDING_BYTE = 0x40000000; // aura.db (rollback journal): PENDING, RESERVED = +1, SHARED = +2 .. +511
const SHARED_FIRST = PENDING_BYTE + 2;
const SHARED_LAST = SHARED_FIRST + 510 - 1;

export interface LockedFile {
  /** 'db' = aura.db itself, 'shm' = aura.db-shm (the WAL index, where WAL locks live). */
  role: 'db' | 'shm';
  path: string;
}

interface RawLock {
  pid: number | null;
  major: number;
  minor: number;
  inode: bigint;
  start: number;
  end: number;
}

/** One line of /proc/locks: `1: POSIX  ADVISORY  WRITE 29461 fe:00:2228694 120 120` (waiters, `->`, skipped). */
const LOCK_LINE_RE =
  /^\d+:\s+(POSIX|OFDLCK)\s+\S+\s+WRITE\s+(-?\d+)\s+([0-9a-f]+):([0-9a-f]+):(\d+)\s+(\d+)\s+(\d+|EOF)\s*$/i;

/** Held WRITE (exclusive) byte-range locks; only those can block a writer. */
export function parseProcLocks(text: string): RawLock[] {
  const out: RawLock[] = [];
  for (const line of text.split('\n')) {
    const m = LOCK_LINE_RE.exec(line.trim());
    if (!m) continue;
    const pid = Number(m[2]);
    out.push({
      pid: pid > 0 ? pid : null,
      major: parseInt(m[3], 16),
      minor: parseInt(m[4], 16),
      inode: BigInt(m[5]),
      start: Number(m[6]),
      end: m[7].toUpperCase() === 'EOF' ? Number.MAX_SAFE_INTEGER : Number(m[7]),
    });
  }
  return out;
}

/** glibc's major()/minor() of a userspace dev_t, as the kernel prints it in /proc/locks. */
export function devParts(dev: bigint): { major: number; minor: number } {
  const major = ((dev >> 8n) & 0xfffn) | ((dev >> 32n) & 0xfffff000n);
  const minor = (dev & 0xffn) | ((dev >> 12n) & 0xffffff00n);
  return { major: Number(major), minor: Number(minor) };
}

const covers = (l: RawLock, a: number, b = a): boolean => l.start <= b && l.end >= a;

function kindOf(role: LockedFile['role'], l: RawLock): DbLockKind | null {
  if (role === 'shm') {
    if (covers(l, WAL_LOCK_OFFSET)) return 'wal-write';
    if (covers(l, WAL_LOCK_OFFSET + 2)) return 'wal-recovery';
    if (covers(l, WAL_LOCK_OFFSET + 1)) return 'wal-checkpoint';
    return null;
  }
  if (covers(l, SHARED_FIRST, SHARED_LAST)) return 'exclusive';
  if (covers(l, PENDING_BYTE)) return 'pending';
  if (covers(l, PENDING_BYTE + 1)) return 'reserved';
  return null;
}

function commandOf(pid: number | null): string | null {
  if (pid === null) return null;
  // The program only: arguments may carry secrets (a connection string, a password flag). A holder
  // that exited meanwhile, or another user's hidden one, reads as null: we say we could not tell.
  const argv0 = readCmdline(pid)?.[0] ?? '';
  const name = argv0.split(/[\\/]/).pop() || (readStat(pid)?.comm ?? '');
  return name ? name.slice(0, PROGRAM_NAME_MAX) : null;
}

/** Holders of write-type locks on the given files right now (Linux), or null where /proc/locks is absent. */
export function sampleLocks(files: LockedFile[], procLocks = '/proc/locks'): DbLockHolder[] | null {
  let text: string;
  try {
    text = fs.readFileSync(procLocks, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
  const locks = parseProcLocks(text);
  const holders: DbLockHolder[] = [];
  for (const f of files) {
    let st: fs.BigIntStats;
    try {
      st = fs.statSync(f.path, { bigint: true });
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') continue;
      throw err;
    }
    const { major, minor } = devParts(st.dev);
    for (const l of locks) {
      if (l.inode !== st.ino || l.major !== major || l.minor !== minor) continue;
      const kind = kindOf(f.role, l);
      if (!kind) continue;
      if (holders.some((h) => h.pid === l.pid && h.kind === kind)) continue;
      holders.push({ pid: l.pid, command: commandOf(l.pid), kind, file: f.path });
    }
  }
  return holders;
}

const KIND_WORDS: Record<DbLockKind, string> = {
  'wal-write': 'the WAL write lock',
  'wal-checkpoint': 'the checkpoint lock',
  'wal-recovery': 'the WAL recovery lock',
  reserved: 'a RESERVED lock (an open write transaction)',
  pending: 'a PENDING lock (waiting to commit)',
  exclusive: 'an EXCLUSIVE lock (committing, or exclusive locking mode)',
};

const IMPACT: Record<DbLockKind, string> = {
  'wal-write':
    'Aura cannot write to aura.db: job progress, queue changes and project saves wait for its busy timeout and then fail with "database is locked". Reads (the API\'s and this inspector\'s) still work.',
  'wal-checkpoint':
    'The -wal file cannot be checkpointed back into aura.db and keeps growing; reads and writes still work.',
  'wal-recovery': 'The WAL index is being rebuilt: every connection, Aura included, waits until it is done.',
  reserved:
    'Aura cannot start a write (its writes fail with "database is locked" after the busy timeout); reads still work until the holder commits.',
  pending: 'New readers, Aura and this inspector included, are refused until the holder commits.',
  exclusive:
    'Nothing else can read or write aura.db until the holder lets go: Aura fails with "database is locked".',
};

function holderWords(h: DbLockHolder): string {
  const who = h.command ? `${h.command} (pid ${h.pid})` : h.pid ? `pid ${h.pid}` : 'another process';
  return `${who} holds ${KIND_WORDS[h.kind]}`;
}

function holderKey(h: DbLockHolder): string {
  return `${h.file}|${h.pid ?? '?'}|${h.kind}`;
}

/**
 * Remembers when each holder was first seen, so "since" survives between observations; a holder
 * not seen in one observation is forgotten (its next lock is a new one).
 */
export class LockWatch {
  private firstSeen = new Map<string, { file: string; at: number }>();

  constructor(private readonly procLocks = '/proc/locks') {}

  /** Samples twice, LOCK_CONFIRM_MS apart: a holder in both samples holds the lock (not a passing commit). */
  async observe(files: LockedFile[], confirmMs = LOCK_CONFIRM_MS): Promise<DbLockState> {
    const first = sampleLocks(files, this.procLocks);
    if (first === null) {
      return {
        state: 'unknown',
        holders: [],
        since: null,
        checkedAt: nowMs(),
        summary:
          'Lock holders cannot be read on this system (they come from /proc/locks, which only Linux has).',
        impact: null,
        howToCheck:
          'lsof aura.db aura.db-shm (macOS), or Resource Monitor > CPU > Associated Handles (Windows)',
      };
    }
    let held = first;
    if (first.length > 0 && confirmMs > 0) {
      await new Promise((r) => setTimeout(r, confirmMs));
      const again = sampleLocks(files, this.procLocks) ?? [];
      const keys = new Set(again.map(holderKey));
      held = first.filter((h) => keys.has(holderKey(h)));
    }
    return this.state(files, held);
  }

  private state(files: LockedFile[], held: DbLockHolder[]): DbLockState {
    const now = nowMs();
    const keys = new Set(held.map(holderKey));
    // Only the observed files' holders are forgotten: the watch is shared by every aura.db looked at.
    const observed = new Set(files.map((f) => f.path));
    for (const [k, v] of [...this.firstSeen])
      if (observed.has(v.file) && !keys.has(k)) this.firstSeen.delete(k);
    for (const h of held)
      if (!this.firstSeen.has(holderKey(h))) this.firstSeen.set(holderKey(h), { file: h.file, at: now });
    const howToCheck = 'lsof aura.db aura.db-wal aura.db-shm   (or: fuser -v aura.db*)';
    if (held.length === 0) {
      return {
        state: 'free',
        holders: [],
        since: null,
        checkedAt: now,
        summary: 'No process holds a write lock on aura.db.',
        impact: null,
        howToCheck,
      };
    }
    const since = Math.min(...held.map((h) => this.firstSeen.get(holderKey(h))?.at ?? now));
    // The lock that matters most to Aura first: exclusive blocks everything, wal-write blocks writes.
    const order: DbLockKind[] = [
      'exclusive',
      'pending',
      'wal-recovery',
      'wal-write',
      'reserved',
      'wal-checkpoint',
    ];
    const main = [...held].sort((a, b) => order.indexOf(a.kind) - order.indexOf(b.kind))[0];
    return {
      state: 'locked',
      holders: held,
      since,
      checkedAt: now,
      summary: `aura.db is locked: ${held.map(holderWords).join('; ')}.`,
      impact: IMPACT[main.kind],
      howToCheck,
    };
  }
}

/**
 * The one watch of this process: the Database tab and the aura.db card observe through it, so both
 * give the same "since" for the same holder.
 */
export const sharedLockWatch = new LockWatch();

/** The files whose locks matter for one aura.db. */
export function lockFilesOf(dbPath: string): LockedFile[] {
  return [
    { role: 'db', path: dbPath },
    { role: 'shm', path: `${dbPath}-shm` },
  ];
}
