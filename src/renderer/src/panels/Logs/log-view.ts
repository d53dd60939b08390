// What a log pane asks the server for, as pure functions: the view parameters (levels, one text
// filter, a time range), the key that tells one view from the next, and the small state steps
// (level toggles, match stepping, the search highlight) the pane's controls take.
import type { TimeRange } from '../../../../shared/contract/logs';
import { LEVELS, type LogLevel } from '../../../../shared/serilog';

/** The filter form's applied value: text matched in or out, plain or as a regular expression. */
export interface Filter {
  text: string;
  regex: boolean;
  invert: boolean;
}

/** The view part of logs:page, logs:search, logs:seek-time and logs:histogram requests. */
export interface ViewParams {
  /** Undefined = all levels. */
  levels?: LogLevel[];
  filter?: { text: string; regex: boolean; caseSensitive: boolean; invert: boolean };
  range?: TimeRange;
}

/**
 * The server view of a pane. All levels are sent as none (the unfiltered view); a correlation id
 * wins over the typed filter and matches case-sensitively, as ids are written.
 */
export function buildViewParams(
  levels: ReadonlySet<LogLevel>,
  filter: Filter | null,
  correlation: string | null,
  range: TimeRange | null,
): ViewParams {
  const lv = LEVELS.every((l) => levels.has(l)) ? undefined : LEVELS.filter((l) => levels.has(l));
  const f = correlation
    ? { text: correlation, regex: false, caseSensitive: true, invert: false }
    : filter
      ? { text: filter.text, regex: filter.regex, caseSensitive: false, invert: filter.invert }
      : undefined;
  return { levels: lv, filter: f, range: range ?? undefined };
}

/** Whether the view hides anything: then live batches cannot be placed by position. */
export function isFilteredView(p: ViewParams): boolean {
  return p.levels !== undefined || p.filter !== undefined || p.range !== undefined;
}

/** Equal for equal views: a response fetched for one key is dropped once the key has changed. */
export function viewKeyOf(p: ViewParams): string {
  return JSON.stringify(p);
}

/** The applied filter for a submitted draft: an empty text removes the filter. */
export function appliedFilter(draft: Filter): Filter | null {
  return draft.text ? { ...draft } : null;
}

/** Toggle one level; the last level shown cannot be turned off (an empty view says nothing). */
export function toggleLevel(prev: ReadonlySet<LogLevel>, l: LogLevel): ReadonlySet<LogLevel> {
  const next = new Set(prev);
  if (next.has(l)) next.delete(l);
  else next.add(l);
  return next.size === 0 ? prev : next;
}

/** Search matches: view positions, the total in the pane, and the current one (-1 = none). */
export interface Matches {
  list: number[];
  total: number;
  at: number;
}

/** A new search result starts at the newest match (the end of the log is where the operator is). */
export function matchesFrom(list: number[], total: number): Matches {
  return { list, total, at: list.length ? list.length - 1 : -1 };
}

/** The next (d = 1) or previous (d = -1) match, wrapping around; null when there is none. */
export function stepMatch(m: Matches | null, d: 1 | -1): Matches | null {
  if (!m || m.list.length === 0) return null;
  return { ...m, at: (m.at + d + m.list.length) % m.list.length };
}

/** The search text as a global, case-insensitive highlight; null for none or an invalid regex. */
export function highlightRegex(search: { text: string; regex: boolean }): RegExp | null {
  if (!search.text) return null;
  try {
    return new RegExp(search.regex ? search.text : search.text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'), 'gi');
  } catch (e) {
    // The server answers the same text with its own error when it is searched; here it only
    // means no highlight while the operator is still typing.
    if (e instanceof SyntaxError) return null;
    throw e;
  }
}
