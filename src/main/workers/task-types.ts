// The jobs the task worker runs, typed on both sides of the thread boundary (plain data only:
// arguments and results cross by structured clone).
import type { InstallCandidate } from '../../shared/install-types';
import type { ParsedRunbook } from '../../shared/runbooks/types';
import type { LogProbeOutput } from '../services/probes/log-signals';
import type { ProcInfo } from '../services/probes/system-probes';
import type { EntryDigest, ZipEntryInfo } from '../services/bundle/unzip';

export interface Tasks {
  'probe-logs': { args: { install: InstallCandidate; now?: number; floor?: number }; result: LogProbeOutput };
  /** The worker reads the file itself: a 9 MB text is not copied across the thread boundary twice. */
  'parse-runbook': {
    args: { abs: string; file: string; variables: Record<string, string> };
    result: ParsedRunbook;
  };
  /** Linux: the watched processes from /proc (hundreds of synchronous reads per sweep). */
  'list-processes': { args: Record<string, never>; result: ProcInfo[] };
  /**
   * One entry of an opened support bundle inflated into `target`, counted, CRC-checked and hashed
   * (inflate, hash and write off the main loop). A refused entry answers its reason, not a throw.
   */
  /** sha256 of a whole file (an opened bundle's zip: tens of MB hashed off the main loop). */
  'sha256-file': { args: { file: string }; result: string };
  'bundle-extract': {
    args: { zip: string; entry: ZipEntryInfo; target: string };
    result: { ok: true; digest: EntryDigest } | { ok: false; code: string; message: string };
  };
}
export type TaskName = keyof Tasks;

export interface TaskRequest {
  id: number;
  task: TaskName;
  args: unknown;
}
export type TaskReply = { id: number; ok: true; value: unknown } | { id: number; ok: false; error: string };
