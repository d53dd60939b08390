// ops.db on real files: migrations run once and in order, a failing migration leaves nothing
// half-done, a newer schema is refused with advice, settings round-trip.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { OpsStore, defaultDataDir, type Migration } from './store';

const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-store-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

describe('OpsStore', () => {
  it('creates ops.db in WAL mode at the latest schema version', () => {
    const dir = tmp();
    const s = OpsStore.open(dir);
    expect(s.file).toBe(path.join(dir, 'ops.db'));
    expect(s.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(s.schemaVersion).toBeGreaterThanOrEqual(1);
    s.close();
  });

  it('keeps ops.db, its -wal and -shm owner-only (0600) in a data dir it creates 0700 (issue 14, item 8)', () => {
    const dir = path.join(tmp(), 'new', 'data');
    const s = OpsStore.open(dir);
    s.setSetting('probe', { written: true });
    const mode = (p: string) => fs.statSync(p).mode & 0o777;
    expect(mode(dir)).toBe(0o700);
    expect(mode(path.dirname(dir))).toBe(0o700);
    for (const f of ['ops.db', 'ops.db-wal', 'ops.db-shm'])
      expect({ f, mode: mode(path.join(dir, f)) }).toEqual({ f, mode: 0o600 });
    s.close();
    // An ops.db left 0644 by an older console is made owner-only when it is opened.
    fs.chmodSync(path.join(dir, 'ops.db'), 0o644);
    OpsStore.open(dir).close();
    expect(mode(path.join(dir, 'ops.db'))).toBe(0o600);
  });

  it('runs each migration once, in order, across reopenings', () => {
    const dir = tmp();
    const log: number[] = [];
    const m = (version: number): Migration => ({
      version,
      description: `v${version}`,
      up: (db) => {
        log.push(version);
        db.exec(`CREATE TABLE t${version} (x)`);
      },
    });
    OpsStore.open(dir, [m(2), m(1)]).close();
    expect(log).toEqual([1, 2]);
    const s = OpsStore.open(dir, [m(1), m(2), m(3)]);
    expect(log).toEqual([1, 2, 3]);
    expect(s.schemaVersion).toBe(3);
    s.close();
  });

  it('rolls a failing migration back entirely and keeps the previous version', () => {
    const dir = tmp();
    const good: Migration = { version: 1, description: 'ok', up: (db) => db.exec('CREATE TABLE a (x)') };
    OpsStore.open(dir, [good]).close();
    const bad: Migration = {
      version: 2,
      description: 'fails half way',
      up: (db) => {
        db.exec('CREATE TABLE b (x)');
        throw new Error('boom');
      },
    };
    expect(() => OpsStore.open(dir, [good, bad])).toThrow('boom');
    const s = OpsStore.open(dir, [good]);
    expect(s.schemaVersion).toBe(1);
    expect(s.db.prepare("SELECT name FROM sqlite_master WHERE name = 'b'").get()).toBeUndefined();
    s.close();
  });

  it('refuses an ops.db written by a newer console, saying what to do', () => {
    const dir = tmp();
    const s = OpsStore.open(dir);
    s.db.pragma('user_version = 999');
    s.close();
    expect(() => OpsStore.open(dir)).toThrow(/schema version 999/);
  });

  it('round-trips settings, and treats a damaged value as unset', () => {
    const dir = tmp();
    const s = OpsStore.open(dir);
    s.setSetting('a', { x: [1, 2] });
    s.setSetting('a', { x: [3] });
    expect(s.getSetting('a')).toEqual({ x: [3] });
    s.db.prepare("INSERT INTO settings VALUES ('bad', '{not json', 'now')").run();
    expect(s.getSetting('bad')).toBeUndefined();
    s.deleteSetting('a');
    expect(s.getSetting('a')).toBeUndefined();
    s.close();
  });

  it('says clearly when the data dir cannot be created', () => {
    const dir = tmp();
    const file = path.join(dir, 'a-file');
    fs.writeFileSync(file, '');
    expect(() => OpsStore.open(path.join(file, 'sub'))).toThrow(/Cannot create the console's data folder/);
  });

  it('says clearly when ops.db is not a database', () => {
    const dir = tmp();
    fs.writeFileSync(path.join(dir, 'ops.db'), 'this is not sqlite at all, not even close'.repeat(50));
    expect(() => OpsStore.open(dir)).toThrow(/Cannot open the console's own database/);
  });
});

describe('defaultDataDir', () => {
  it('honours AURA_OPS_DATA_DIR, then the per-OS config folder', () => {
    expect(defaultDataDir({ AURA_OPS_DATA_DIR: '/x/y' }, 'linux')).toBe('/x/y');
    expect(defaultDataDir({ HOME: '/h' }, 'linux')).toBe('/h/.config/aura-ops');
    expect(defaultDataDir({ HOME: '/h', XDG_CONFIG_HOME: '/c' }, 'linux')).toBe('/c/aura-ops');
    expect(defaultDataDir({ HOME: '/h' }, 'darwin')).toBe('/h/Library/Application Support/aura-ops');
  });
});
