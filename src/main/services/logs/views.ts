// What a narrowed pane shows: the view of its records by level, line filter and time range, built
// from the index and a search of the files, and kept current as live records arrive; plus the file
// search and the seek by time the view and the service's queries share.
import fs from 'node:fs';
import type { TimeRange } from '../../../shared/contract/logs';
import { OpsError } from '../../../shared/errors';
import {
  LEVELS,
  NO_LEVEL,
  levelIndex,
  type LineIn,
  type LogLevel,
  type LogRecord,
} from '../../../shared/serilog';
import { compileSearch, lineTester, searchRange, type CompiledSearch } from './file-reader';
import {
  knownEnd,
  levelAt,
  offsetAt,
  paneTotal,
  readRecords,
  segmentRange,
  type Pane,
  type View,
} from './pane';

export interface LogFilter {
  text: string;
  regex: boolean;
  caseSensitive: boolean;
  invert: boolean;
}

/** What a request narrows the pane to; with none of them set the pane is shown whole. */
export interface ViewQuery {
  levels?: LogLevel[];
  filter?: LogFilter;
  range?: TimeRange;
}

export function narrowed(q: ViewQuery): boolean {
  return q.levels !== undefined || q.filter !== undefined || q.range !== undefined;
}

function levelMask(levels?: LogLevel[]): boolean[] {
  const mask = new Array<boolean>(NO_LEVEL + 1).fill(levels === undefined);
  if (levels) for (const l of levels) mask[LEVELS.indexOf(l)] = true;
  return mask;
}

export function compile(pattern: string, regex: boolean, caseSensitive: boolean): CompiledSearch {
  try {
    return compileSearch(pattern, { regex, caseSensitive });
  } catch (err) {
    throw new OpsError(
      'bad-request',
      `The search pattern is not a valid regular expression: ${(err as Error).message}. Fix it or turn regex off.`,
    );
  }
}

/** The pane's view for `q`: the cached one when the query is the same, else built and cached. */
export async function viewOf(p: Pane, q: ViewQuery): Promise<View> {
  const { levels, filter } = q;
  const range = q.range ?? null;
  const key = JSON.stringify([levels ?? null, filter ?? null, range]);
  if (p.view?.key === key) return p.view;
  const search = filter ? compile(filter.text, filter.regex, filter.caseSensitive) : null;
  const mask = levelMask(levels);
  if (search || range) await p.indexDone;
  // Records are in time order: a range is one run of positions, found by two binary searches.
  const lo = range ? firstAtOrAfter(p, range.from) : 0;
  const hi = range ? firstAtOrAfter(p, range.to) : paneTotal(p);
  const positions: number[] = [];
  if (search) {
    const hits = matchPositions(p, search);
    let h = 0;
    for (let i = lo; i < hi; i++) {
      while (h < hits.length && hits[h] < i) h++;
      const hit = h < hits.length && hits[h] === i;
      if (hit !== filter?.invert && mask[levelAt(p, i)]) positions.push(i);
    }
  } else {
    for (let i = lo; i < hi; i++) if (mask[levelAt(p, i)]) positions.push(i);
  }
  const v: View = {
    key,
    mask,
    test: search ? lineTester(search) : null,
    invert: filter?.invert ?? false,
    range,
    positions,
  };
  p.view = v;
  return v;
}

/** Positions of records with at least one matching line, ascending, deduplicated. */
export function matchPositions(p: Pane, search: CompiledSearch): number[] {
  const out: number[] = [];
  for (let s = 0; s < p.segments.length; s++) {
    const seg = p.segments[s];
    const [a, b] = segmentRange(p, s);
    if (seg.gone || a >= b) continue;
    let fd: number;
    try {
      fd = fs.openSync(seg.path, 'r');
    } catch {
      continue;
    }
    try {
      const start = offsetAt(p, a);
      const end = Math.min(fs.fstatSync(fd).size, knownEnd(p, s));
      let last = -1;
      searchRange(fd, start, end, search, (off) => {
        // Records are found in offset order, so a moving binary search lower bound suffices.
        let lo = Math.max(a, last);
        let hi = b - 1;
        let ans = -1;
        while (lo <= hi) {
          const m = (lo + hi) >>> 1;
          if (offsetAt(p, m) <= off) {
            ans = m;
            lo = m + 1;
          } else hi = m - 1;
        }
        if (ans >= 0 && ans !== last) {
          out.push(ans);
          last = ans;
        }
      });
    } finally {
      fs.closeSync(fd);
    }
  }
  return out;
}

/** Position of the first record at or after `time` (the total when there is none). */
export function firstAtOrAfter(p: Pane, time: number): number {
  const timeAt = (i: number): number | null => {
    // Records without a time (orphan lines) borrow the next timed record's time.
    for (let k = i; k < Math.min(paneTotal(p), i + 50); k++) {
      const t = readRecords(p, [k])[0].time;
      if (t !== null) return t;
    }
    return null;
  };
  let lo = 0;
  let hi = paneTotal(p) - 1;
  let ans = paneTotal(p);
  while (lo <= hi) {
    const m = (lo + hi) >>> 1;
    const t = timeAt(m);
    if (t === null || t >= time) {
      ans = m;
      hi = m - 1;
    } else lo = m + 1;
  }
  return ans;
}

export function lowerBound(a: number[], x: number): number {
  let lo = 0;
  let hi = a.length;
  while (lo < hi) {
    const m = (lo + hi) >>> 1;
    if (a[m] < x) lo = m + 1;
    else hi = m;
  }
  return lo;
}

/**
 * Whether a live record belongs in a view: its level, then its raw lines through the view's line
 * test (a record matches when one of its lines does, as the file search counts it). Null when a
 * line was cut for display, so the lines read do not tell.
 */
export function viewAccepts(v: View, r: LogRecord, lines: readonly LineIn[]): boolean | null {
  if (!v.mask[levelIndex(r.level)]) return false;
  if (v.range && (r.time === null || r.time < v.range.from || r.time >= v.range.to)) return false;
  if (!v.test) return true;
  if (lines.some((l) => l.truncated === true)) return null;
  const test = v.test;
  return lines.some((l) => test(l.text)) !== v.invert;
}
