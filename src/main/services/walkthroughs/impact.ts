// The proposed impact start of an incident: the first record of the symptom in Aura's main log
// (a fatal line if there is one, else the first error after a quiet spell), with file and line so
// the report can point at it. Only a proposal: the operator may correct it with a reason.
// A pinned log record gets its line here too.
import fs from 'node:fs';
import path from 'node:path';
import type {
  LogEvidence,
  SessionEventData,
  SessionEventInput,
} from '../../../shared/contract/walkthroughs-session';
import { readRecentRecords } from '../probes/log-signals';

/** How far back from the incident's start the symptom is looked for. */
export const IMPACT_LOOKBACK_MS = 60 * 60_000;
/** Errors this far apart belong to different episodes; the current one starts after the last gap. */
export const IMPACT_QUIET_GAP_MS = 10 * 60_000;
/** Counting lines to a record's offset reads at most this much of a file. */
const LINE_COUNT_LIMIT_BYTES = 64 * 1024 * 1024;

/** 1-based line of the byte `offset` in `file`, or null when the file is too big or gone. */
export function lineAt(file: string, offset: number): number | null {
  if (offset > LINE_COUNT_LIMIT_BYTES) return null;
  let fd: number;
  try {
    fd = fs.openSync(file, 'r');
  } catch {
    return null; // rolled away since it was read: the record keeps its file name and time
  }
  try {
    const buf = Buffer.alloc(Math.min(offset, 1024 * 1024));
    let pos = 0;
    let lines = 1;
    while (pos < offset) {
      const n = fs.readSync(fd, buf, 0, Math.min(buf.length, offset - pos), pos);
      if (n <= 0) break;
      for (let i = 0; i < n; i++) if (buf[i] === 10) lines++;
      pos += n;
    }
    return lines;
  } finally {
    fs.closeSync(fd);
  }
}

export function findImpactStart(
  logsDir: string,
  before: number,
): { time: number | null; record: LogEvidence } | null {
  let records;
  try {
    records = readRecentRecords(logsDir, before - IMPACT_LOOKBACK_MS).records;
  } catch {
    return null; // no readable logs: there is simply no proposal, the operator can set one
  }
  const errors = records.filter(
    (r) => r.time !== null && r.time <= before && (r.level === 'ERR' || r.level === 'FTL'),
  );
  if (errors.length === 0) return null;
  let pick = errors.find((r) => r.level === 'FTL');
  if (!pick) {
    let start = 0;
    for (let i = 1; i < errors.length; i++)
      if (errors[i]!.time! - errors[i - 1]!.time! > IMPACT_QUIET_GAP_MS) start = i;
    pick = errors[start]!;
  }
  const file = path.join(logsDir, pick.file);
  return {
    time: pick.time,
    record: {
      file,
      line: lineAt(file, pick.offset),
      timestamp: new Date(pick.time!).toISOString(),
      level: pick.level ?? '',
      text: pick.message.slice(0, 2000),
    },
  };
}

/**
 * A pinned record names its file and line, so the report can point at it: the line is counted
 * from the record's byte offset in the attached install's logs folder. Only a plain file name
 * is looked up there; anything else is kept as given, without a line.
 */
export function pinWithLine(
  pin: Extract<SessionEventInput, { type: 'log-pin' }>,
  logsDir: string | undefined,
): SessionEventData {
  const { offset, ...rest } = pin;
  if (
    offset === undefined ||
    rest.line !== undefined ||
    !logsDir ||
    !/^[\w.-]+$/.test(rest.file) ||
    rest.file.startsWith('.')
  )
    return rest;
  const line = lineAt(path.join(logsDir, rest.file), offset);
  return line === null ? rest : { ...rest, line };
}
