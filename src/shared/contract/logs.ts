// Contract domain "logs": live tail panes over Aura's rolling log files, paging and searching
// big files through a background index, and the error-rate and histogram figures.
import { z } from 'zod';
import { LEVELS, LOG_FORMATS, type LogFormat, type LogRecord } from '../serilog';
import { event, request } from './define';

export interface LogFileInfo {
  name: string;
  size: number;
  mtimeMs: number;
  /** A support bundle's file still being verified: listed from its manifest, not yet readable. */
  pending?: boolean;
}

export interface LogSourceInfo {
  family: string;
  label: string;
  pattern: string;
  format: LogFormat;
  /** Matching files in roll order (oldest first). */
  files: LogFileInfo[];
}

/** The detail of the 'forbidden-path' error of logs:add-root when typing the path would let it through. */
export const LOG_ROOT_CONFIRM_DETAIL = 'confirm-by-typing-the-full-path';

export interface LogSources {
  /** The attached install's logs dir, or null with no install. */
  logsDir: string | null;
  logsDirExists: boolean;
  /** Every folder panes may open files from (logs dir + user-added roots). */
  roots: string[];
  families: LogSourceInfo[];
}

export interface PaneInfo {
  paneId: string;
  title: string;
  dir: string;
  pattern: string;
  format: LogFormat;
  /** The file being followed, or null while waiting for one. */
  file: string | null;
  /** True while the background index of the older part of the file is being built. */
  indexing: boolean;
  /** Records known now (grows; jumps when the index finishes, see logs:index-progress.shift). */
  total: number;
  /**
   * On a support bundle still being verified: the pane shows only the checked tail of its newest
   * file (the last `shownBytes` of `fileBytes`); the whole file opens once the bundle is verified.
   */
  preview?: PanePreview;
}

export interface PanePreview {
  /** The bundled file (its base name) the tail is from. */
  file: string;
  shownBytes: number;
  fileBytes: number;
}

/** A record plus its position in the pane (0 = oldest indexed record). */
export type IndexedRecord = LogRecord & { index: number };

export interface PageResult {
  records: IndexedRecord[];
  /** Position of records[0] in the (filtered) view. */
  from: number;
  /** Records in the (filtered) view. */
  total: number;
  /** Records in the pane without filters. */
  unfilteredTotal: number;
}

export interface SearchResult {
  /** Pane positions of matching records, ascending, at most `limit`. */
  matches: number[];
  /** Matching records in the whole pane (may exceed matches.length). */
  total: number;
  truncated: boolean;
}

export interface ErrorRateResult {
  since: number;
  until: number;
  windowMinutes: number;
  requests: number;
  requests5xx: number;
  rate5xx: number | null;
  errors: number;
  errorsPerMinute: number;
  files: string[];
}

export interface HistogramResult {
  /** Per minute: counts VRB, DBG, INF, WRN, ERR, FTL, no-level. */
  buckets: Array<{ t: number; counts: number[] }>;
}

export type PaneStatusKind =
  'waiting-for-dir' | 'waiting-for-file' | 'following' | 'rotated' | 'truncated' | 'recreated' | 'error';

const paneId = z.string().min(1).max(64);
const levels = z.array(z.enum(LEVELS)).max(LEVELS.length).optional();
const filter = z
  .object({
    text: z.string().min(1).max(1000),
    regex: z.boolean().default(false),
    caseSensitive: z.boolean().default(false),
    /** Filter out (hide matches) instead of in. */
    invert: z.boolean().default(false),
  })
  .strict()
  .optional();
/** A time range [from, to) in epoch ms the view is limited to (the histogram's drag selection). */
const timeRange = z
  .object({ from: z.number().finite(), to: z.number().finite() })
  .strict()
  .refine((r) => r.from < r.to, 'the range must start before it ends');
export type TimeRange = z.infer<typeof timeRange>;
const range = timeRange.optional();

export const logsChannels = {
  'logs:sources': request<LogSources>()(z.object({}).strict()),
  /** Allow panes to open files under another folder (the host remembers it across restarts). */
  /**
   * Let panes read files under a folder. Outside the install's folders and ordinary folders of
   * home it needs `confirm` equal to the folder's full path (the error's detail is then
   * LOG_ROOT_CONFIRM_DETAIL and its message names the path); system folders are refused.
   */
  'logs:add-root': request<LogSources>()(
    z.object({ path: z.string().min(1).max(4096), confirm: z.string().max(4096).optional() }).strict(),
  ),
  'logs:open-pane': request<PaneInfo>()(
    z
      .object({
        family: z.string().min(1).max(64).optional(),
        path: z.string().min(1).max(4096).optional(),
        format: z.enum(LOG_FORMATS as [LogFormat, ...LogFormat[]]).optional(),
      })
      .strict()
      .refine(
        (p) => (p.family === undefined) !== (p.path === undefined),
        'give exactly one of family or path',
      ),
  ),
  'logs:close-pane': request<{ closed: boolean }>()(z.object({ paneId }).strict()),
  'logs:panes': request<PaneInfo[]>()(z.object({}).strict()),
  /** A page of records; a negative fromLine counts from the end (-count = the last page). */
  'logs:page': request<PageResult>()(
    z
      .object({
        paneId,
        fromLine: z.number().int(),
        count: z.number().int().min(1).max(2000),
        levels,
        filter,
        range,
      })
      .strict(),
  ),
  'logs:search': request<SearchResult>()(
    z
      .object({
        paneId,
        pattern: z.string().min(1).max(1000),
        regex: z.boolean().default(false),
        caseSensitive: z.boolean().default(false),
        /** With levels/filter, matches are positions in that filtered view (as logs:page counts). */
        levels,
        filter,
        range,
        limit: z.number().int().min(1).max(100_000).default(10_000),
      })
      .strict(),
  ),
  /** Position of the first record at or after `time` (epoch ms), in the filtered view if given. */
  'logs:seek-time': request<{ index: number }>()(
    z.object({ paneId, time: z.number(), levels, filter, range }).strict(),
  ),
  'logs:error-rate': request<ErrorRateResult>()(
    z
      .object({
        windowMinutes: z
          .number()
          .min(1)
          .max(7 * 24 * 60)
          .default(15),
        family: z.string().default('aura-api'),
      })
      .strict(),
  ),
  /** Per-minute counts over [fromLine, toLine) of the view the pane shows (levels/filter/range applied). */
  'logs:histogram': request<HistogramResult>()(
    z
      .object({
        paneId,
        fromLine: z.number().int().min(0),
        toLine: z.number().int().min(0),
        levels,
        filter,
        range,
      })
      .strict(),
  ),
  /** The whole record at a byte offset (lines uncut), e.g. to expand a truncated record. */
  'logs:record': request<LogRecord>()(
    z.object({ paneId, offset: z.number().int().min(0), file: z.string().max(1024).optional() }).strict(),
  ),
} as const;

export const logsEvents = {
  /** New records of a pane, at most every 50 ms. `first` is the position of records[0]. */
  'logs:batch': event<{ paneId: string; records: IndexedRecord[]; first: number; total: number }>(),
  /** Background index progress; when done, positions shift by `shift` (older records prepended). */
  'logs:index-progress': event<{
    paneId: string;
    bytes: number;
    totalBytes: number;
    records: number;
    done: boolean;
    shift: number;
    total: number;
    error?: string;
  }>(),
  'logs:pane-status': event<{ paneId: string; kind: PaneStatusKind; file: string | null; message: string }>(),
} as const;
