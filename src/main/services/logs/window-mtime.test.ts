// Which records fall in a time window is decided by the records' own timestamps, never by a file's
// mtime: a folder copied without -p, a share with another clock, or a clock change make mtimes
// disagree with the lines (issue 15: under a moved clock the error rate read "no files").
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readRecentRecords } from '../probes/log-signals';
import { readSetSince } from './stats';

let dir: string;
const NOW = Date.UTC(2026, 11, 6, 23, 59, 40);
const line = (t: number, msg: string) => {
  const d = new Date(t);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const local = `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}.000`;
  const off = -d.getTimezoneOffset();
  const zone = `${off >= 0 ? '+' : '-'}${p(Math.floor(Math.abs(off) / 60))}:${p(Math.abs(off) % 60)}`;
  return `[${local} ${zone}] [ERR] [c1] [] [] ${msg} {"SourceContext":"Aura.Api"}\n`;
};

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-mtime-'));
  fs.writeFileSync(
    path.join(dir, 'aura-api-20261206.log'),
    line(NOW - 3600_000, 'an hour ago') + line(NOW - 120_000, 'two minutes ago'),
  );
  fs.writeFileSync(path.join(dir, 'aura-api-20261206_001.log'), line(NOW - 60_000, 'a minute ago'));
  // mtimes a day behind the lines, as after a copy or on a share with a slow clock.
  const old = new Date(NOW - 86_400_000);
  for (const f of fs.readdirSync(dir)) fs.utimesSync(path.join(dir, f), old, old);
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

describe('time windows over log files with stale mtimes', () => {
  it('logs stats (readSetSince) finds the records of the last 5 minutes', () => {
    const r = readSetSince(dir, 'aura-api-*.log', 'serilog', NOW - 5 * 60_000);
    expect(r.records.map((x) => x.message)).toEqual(['two minutes ago', 'a minute ago']);
    expect(r.files).toEqual(['aura-api-20261206.log', 'aura-api-20261206_001.log']);
  });

  it('the log probe (readRecentRecords) finds them too', () => {
    const r = readRecentRecords(dir, NOW - 5 * 60_000);
    expect(r.records.map((x) => x.message)).toEqual(['two minutes ago', 'a minute ago']);
  });
});
