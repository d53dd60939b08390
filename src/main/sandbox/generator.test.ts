// createSandbox against FACTS: the EF schema (every table and column), migrations, WAL, the rows
// a troubleshooter looks for, and the log history (names, template, rolls, retention).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSandbox, type CreateSandboxResult } from './generator';
import { localOffsetMinutes } from './serilog-writer';

const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-gen-'));
afterAll(() => fs.rmSync(tmp, { recursive: true, force: true }));

interface FactColumn {
  name: string;
  type: string;
  nullable: boolean;
}

/** Parse FACTS §3's `- \`Table\` (PK a, b): Col TYPE(n) NULL, …` lines. */
function factsTables(): Map<string, { pk: string[]; columns: FactColumn[] }> {
  const text = fs.readFileSync(path.join(__dirname, 'fixtures', 'facts-tables.txt'), 'utf8');
  const out = new Map<string, { pk: string[]; columns: FactColumn[] }>();
  for (const line of text.split('\n')) {
    const m = /^- `([^`]+)` \(PK ([^)]+)\): (.*)$/.exec(line);
    if (!m) continue;
    const columns = m[3].split(/, (?=\w+ )/).map((c) => {
      const cm = /^(\w+) (decimal\(18,6\)|\w+)(?:\(\d+\))?( NULL)?$/.exec(c.trim());
      if (!cm) throw new Error(`unparsed FACTS column: ${c}`);
      return { name: cm[1], type: cm[2], nullable: cm[3] !== undefined };
    });
    out.set(m[1], { pk: m[2].split(',').map((s) => s.trim()), columns });
  }
  return out;
}

const sqlite = (db: string, sql: string): string =>
  execFileSync('sqlite3', [db, sql], { encoding: 'utf8' }).trim();

let sb: CreateSandboxResult;
beforeAll(() => {
  sb = createSandbox(path.join(tmp, 'main'), { days: 2, logMb: 1, projects: 12, seed: 3 });
});

describe('aura.db', () => {
  it('has exactly the tables of the EF model snapshot plus the migrations history', () => {
    const facts = factsTables();
    expect(facts.size).toBe(34);
    const tables = sqlite(
      sb.dbPath,
      "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name;",
    ).split('\n');
    expect(tables.sort()).toEqual([...facts.keys(), '__EFMigrationsHistory'].sort());
    // Declared in the model, created only by an undiscovered migration: absent, as in real DBs.
    expect(tables).not.toContain('SemanticAssetMetadata');
  });

  it('has every column with the EF SQLite type, nullability and primary key', () => {
    const db = new Database(sb.dbPath, { readonly: true });
    try {
      for (const [table, spec] of factsTables()) {
        const cols = db.prepare(`PRAGMA table_info("${table}")`).all() as {
          name: string;
          type: string;
          notnull: number;
          pk: number;
        }[];
        expect(
          cols.map((c) => c.name),
          table,
        ).toEqual(spec.columns.map((c) => c.name));
        for (const [i, c] of cols.entries()) {
          const f = spec.columns[i];
          // table_info upper-cases plain type keywords (`text` -> TEXT); decimal(18,6) stays as declared.
          expect(c.type.toLowerCase(), `${table}.${c.name}`).toBe(f.type.toLowerCase());
          expect(c.notnull === 0, `${table}.${c.name} nullable`).toBe(f.nullable);
        }
        const pk = cols
          .filter((c) => c.pk > 0)
          .sort((a, b) => a.pk - b.pk)
          .map((c) => c.name);
        expect(pk, `${table} PK`).toEqual(spec.pk);
      }
    } finally {
      db.close();
    }
  });

  it('records the 8 migrations EF discovers and runs in WAL mode', () => {
    expect(
      sqlite(
        sb.dbPath,
        'SELECT MigrationId || "|" || ProductVersion FROM __EFMigrationsHistory ORDER BY 1;',
      ).split('\n'),
    ).toEqual([
      '20251026005425_InitialCreate|8.0.11',
      '20251101230642_AddUserSetupTable|8.0.11',
      '20251102050640_AddProjectStatePersistence|8.0.11',
      '20251103202216_AddActionLogAndSoftDelete|8.0.11',
      '20251108184353_AddWizardProjectManagement|8.0.11',
      '20251109170431_AddSystemConfiguration|8.0.11',
      '20251121045900_AddCreatedByToConfigurations|8.0.11',
      '20251122175419_AddMissingDatabaseTables|8.0.11',
    ]);
    expect(sqlite(sb.dbPath, 'PRAGMA journal_mode;')).toBe('wal');
    expect(sqlite(sb.dbPath, 'PRAGMA integrity_check;')).toBe('ok');
  });

  it('holds the rows a troubleshooter looks for', () => {
    expect(sqlite(sb.dbPath, 'SELECT DISTINCT Status FROM ProjectStates ORDER BY 1;').split('\n')).toEqual([
      'Cancelled',
      'Completed',
      'Failed',
      'InProgress',
    ]);
    expect(sqlite(sb.dbPath, 'SELECT DISTINCT Status FROM JobQueue ORDER BY 1;').split('\n')).toEqual([
      'Cancelled',
      'Completed',
      'Failed',
      'Pending',
      'Processing',
    ]);
    expect(
      Number(
        sqlite(
          sb.dbPath,
          "SELECT COUNT(*) FROM JobQueue WHERE Status='Failed' AND LastError IS NOT NULL AND length(LastError) > 10;",
        ),
      ),
    ).toBeGreaterThan(0);
    // A stuck job: Processing, started hours ago, not updated since.
    expect(
      Number(
        sqlite(
          sb.dbPath,
          "SELECT COUNT(*) FROM JobQueue WHERE Status='Processing' AND julianday('now') - julianday(UpdatedAt) > 1.0/24;",
        ),
      ),
    ).toBeGreaterThan(0);
    expect(Number(sqlite(sb.dbPath, 'SELECT COUNT(*) FROM JobProgressHistory;'))).toBeGreaterThan(0);
    expect(
      Number(
        sqlite(sb.dbPath, 'SELECT COUNT(*) FROM audit_logs WHERE Success = 0 AND ErrorMessage IS NOT NULL;'),
      ),
    ).toBeGreaterThan(0);
    for (const t of [
      'UsageStatistics',
      'CostTracking',
      'PerformanceMetrics',
      'system_configuration',
      'user_setup',
    ]) {
      expect(Number(sqlite(sb.dbPath, `SELECT COUNT(*) FROM "${t}";`)), t).toBeGreaterThan(0);
    }
    // EF stores Guids as upper-case text and DateTimes as `yyyy-MM-dd HH:mm:ss.fff`.
    expect(sqlite(sb.dbPath, 'SELECT Id || " " || CreatedAt FROM ProjectStates LIMIT 1;')).toMatch(
      /^[0-9A-F]{8}-[0-9A-F]{4}-4[0-9A-F]{3}-[89AB][0-9A-F]{3}-[0-9A-F]{12} \d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}$/,
    );
  });
});

describe('appsettings.json', () => {
  it('has the ops sections as Aura ships them, with the chosen port', () => {
    const s = JSON.parse(fs.readFileSync(sb.appSettingsPath, 'utf8'));
    expect(s.Urls).toBe('http://127.0.0.1:5005');
    expect(s.Serilog.MinimumLevel.Default).toBe('Information');
    expect(s.Caching).toMatchObject({ Enabled: true, UseRedis: false, RedisConnection: '' });
    expect(s.Database).toMatchObject({ Provider: 'SQLite', SQLitePath: '' });
    expect(s.HealthChecks).toMatchObject({
      DiskSpaceThresholdGB: 1.0,
      DiskSpaceCriticalGB: 0.5,
      MemoryWarningThresholdMB: 1024,
      MemoryCriticalThresholdMB: 2048,
    });
  });
});

describe('log history', () => {
  const today = (): string => {
    const w = new Date(Date.now() + localOffsetMinutes(new Date()) * 60_000);
    return w.toISOString().slice(0, 10).replace(/-/g, '');
  };

  it("has the five families, today's main files and a _001 size roll", () => {
    const names = sb.logFiles;
    // errors-/warnings- appear on the first event that passes their level filter, as in Serilog.
    for (const fam of ['aura-api-', 'performance-', 'audit-'])
      expect(names, fam).toContain(`${fam}${today()}.log`);
    for (const fam of ['errors-', 'warnings-'])
      expect(
        names.some((n) => n.startsWith(fam)),
        fam,
      ).toBe(true);
    expect(names.some((n) => /^aura-api-\d{8}_001\.log$/.test(n))).toBe(true);
    expect(
      names.every((n) => /^(aura-api|errors|warnings|performance|audit)-\d{8}(_\d{3})?\.log$/.test(n)),
    ).toBe(true);
  });

  it('writes every physical line as a template line or an exception/SQL continuation', () => {
    const start =
      /^\[(\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}\.\d{3}) ([+-]\d{2}:\d{2})\] \[(INF|WRN|ERR|FTL)\] \[([0-9a-f]{32}|[0-9A-Z]{13}:\d{8}|[0-9a-f-]{36}|)\] \[([0-9a-f]{32}|)\] \[([0-9a-f]{16}|)\] /;
    const continuation =
      /^( {3}at |\s*---> | {3}--- End|[\w.]+(\+\w+)?(Exception|Error)\b|FROM |WHERE |ORDER BY |LIMIT |SELECT )/;
    // Each line carries the zone offset of its own instant (a DST change inside the history included).
    const zzz = (off: number) =>
      `${off < 0 ? '-' : '+'}${String(Math.floor(Math.abs(off) / 60)).padStart(2, '0')}:${String(Math.abs(off) % 60).padStart(2, '0')}`;
    const offsetOfLine = (local: string, zone: string): string => {
      const sign = zone.startsWith('-') ? -1 : 1;
      const minutes = sign * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)));
      const instant = Date.parse(`${local.replace(' ', 'T')}Z`) - minutes * 60_000;
      return zzz(localOffsetMinutes(new Date(instant)));
    };
    let starts = 0;
    let empties = 0;
    let exceptions = 0;
    for (const n of sb.logFiles) {
      const lines = fs.readFileSync(path.join(sb.logsDir, n), 'utf8').split('\n');
      expect(lines.pop()).toBe('');
      for (const l of lines) {
        const m = start.exec(l);
        if (m) {
          starts++;
          expect(m[2]).toBe(offsetOfLine(m[1], m[2]));
          expect(l).toMatch(/ \{.*\}$|^[^{]*Executed DbCommand/);
          if (l.includes('] [] [] [] ')) empties++;
        } else {
          expect(l, `${n}: ${l.slice(0, 120)}`).toMatch(continuation);
          if (/^ {3}at /.test(l)) exceptions++;
        }
      }
    }
    expect(starts).toBeGreaterThan(1000);
    expect(empties).toBeGreaterThan(10);
    expect(exceptions).toBeGreaterThan(5);
  });

  it('keeps errors- to ERR/FTL and warnings- to WRN and above', () => {
    for (const n of sb.logFiles.filter((f) => f.startsWith('errors-') || f.startsWith('warnings-'))) {
      const levels = new Set(
        [...fs.readFileSync(path.join(sb.logsDir, n), 'utf8').matchAll(/^\[[^\]]+\] \[(\w{3})\]/gm)].map(
          (m) => m[1],
        ),
      );
      const allowed = n.startsWith('errors-') ? ['ERR', 'FTL'] : ['WRN', 'ERR', 'FTL'];
      for (const l of levels) expect(allowed, n).toContain(l);
    }
  });

  it('applies retention like Aura: 30 files per family, 90 for audit', () => {
    const r = createSandbox(path.join(tmp, 'long'), { days: 40, logMb: 0.2, projects: 2 });
    const count = (p: string): number => r.logFiles.filter((n) => n.startsWith(p)).length;
    expect(count('aura-api-')).toBe(30);
    // errors-/warnings- exist only for days with such events; never more than 30 are kept.
    expect(count('errors-')).toBeGreaterThan(10);
    expect(count('errors-')).toBeLessThanOrEqual(30);
    expect(count('warnings-')).toBeLessThanOrEqual(30);
    expect(count('audit-')).toBeGreaterThanOrEqual(40);
    // The newest files are the ones kept.
    expect(r.logFiles).toContain(`aura-api-${today()}.log`);
  });
});

describe('createSandbox guards and determinism', () => {
  it('refuses a non-empty folder that is not a sandbox, and replaces a sandbox only with overwrite', () => {
    const foreign = path.join(tmp, 'foreign');
    fs.mkdirSync(foreign);
    fs.writeFileSync(path.join(foreign, 'keep.txt'), 'x');
    expect(() => createSandbox(foreign)).toThrow(/not a sandbox/);
    expect(fs.existsSync(path.join(foreign, 'keep.txt'))).toBe(true);
    expect(() => createSandbox(sb.dir)).toThrow(/overwrite/);
  });

  it('treats options given as undefined as absent (defaults apply)', () => {
    const r = createSandbox(path.join(tmp, 'undef'), { days: undefined, dbMb: undefined, logMb: 0.05 });
    expect(r.logFiles.filter((n) => n.startsWith('aura-api-')).length).toBeGreaterThanOrEqual(7);
  });

  it('rejects bad sizes with a message naming the option', () => {
    expect(() => createSandbox(path.join(tmp, 'bad1'), { days: 0 })).toThrow(/days/);
    expect(() => createSandbox(path.join(tmp, 'bad2'), { logMb: -1 })).toThrow(/logMb/);
    expect(() => createSandbox(path.join(tmp, 'bad3'), { projects: 1.5 })).toThrow(/projects/);
  });

  it('gives the same files for the same seed and clock', () => {
    const now = new Date('2025-12-08T15:00:00Z');
    const a = createSandbox(path.join(tmp, 'seed-a'), { days: 1, logMb: 0.05, seed: 11, now });
    const b = createSandbox(path.join(tmp, 'seed-b'), { days: 1, logMb: 0.05, seed: 11, now });
    expect(a.logFiles).toEqual(b.logFiles);
    const main = a.logFiles.find((n) => n.startsWith('aura-api-'))!;
    const norm = (r: CreateSandboxResult): string =>
      fs.readFileSync(path.join(r.logsDir, main), 'utf8').split(r.dir).join('<dir>');
    expect(norm(a)).toBe(norm(b));
  });
});
