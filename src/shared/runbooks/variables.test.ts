// Install variables: the live file of each log family is today's newest roll, else the newest
// earlier file, else today's name; hostile and unrelated names in the logs folder are ignored.
import { describe, expect, it } from 'vitest';
import type { InstallPaths } from '../install-types';
import {
  KNOWN_VARIABLES,
  LIVE_LOG_VARIABLES,
  fillVariables,
  liveLogNames,
  variablesFromInstall,
} from './variables';

function paths(logsDir: string): InstallPaths {
  return {
    dataRoot: '/data',
    logsDir,
    dbPath: '/data/aura.db',
    appSettingsPath: null,
    apiUrl: 'http://127.0.0.1:5005/',
    tempDir: '/data/Temp',
    redis: { enabled: false, connection: null, host: null, port: null, hasPassword: false },
  };
}

describe('liveLogNames', () => {
  it("picks today's newest roll, by number, not by text order", () => {
    const names = [
      'aura-api-20261206.log',
      'aura-api-20261206_002.log',
      'aura-api-20261206_010.log',
      'aura-api-20261206_009.log',
      'aura-api-20261205_004.log',
    ];
    expect(liveLogNames(names, '20261206')['aura-api']).toBe('aura-api-20261206_010.log');
  });

  it('takes the day file itself when the day has not rolled', () => {
    expect(liveLogNames(['errors-20261205_001.log', 'errors-20261206.log'], '20261206').errors).toBe(
      'errors-20261206.log',
    );
  });

  it('just after midnight, before the family wrote today, takes the newest earlier file', () => {
    const names = [
      'warnings-20261204.log',
      'warnings-20261205.log',
      'warnings-20261205_001.log',
      'aura-api-20261207.log',
    ];
    const live = liveLogNames(names, '20261207');
    expect(live.warnings).toBe('warnings-20261205_001.log');
    expect(live['aura-api']).toBe('aura-api-20261207.log');
  });

  it("with no file of a family, names today's file (the command then says it does not exist)", () => {
    expect(liveLogNames([], '20260308')).toEqual({
      'aura-api': 'aura-api-20260308.log',
      errors: 'errors-20260308.log',
      warnings: 'warnings-20260308.log',
      performance: 'performance-20260308.log',
      audit: 'audit-20260308.log',
    });
  });

  it('never picks a file dated after today (a skewed clock or a planted name)', () => {
    expect(
      liveLogNames(['audit-20261206.log', 'audit-20991231.log', 'audit-20261207_001.log'], '20261206').audit,
    ).toBe('audit-20261206.log');
  });

  it('ignores names that are not prefix-yyyyMMdd[_NNN].log', () => {
    const hostile = [
      'aura-api-20261206_001.log; rm -rf ~',
      'aura-api-20261206_001.log\nx',
      'aura-api-20261206_$(id).log',
      'aura-api-20261206_001.log.gz',
      '../aura-api-20261206_005.log',
      'aura-api-2026120_001.log',
      'aura-api-20261206-001.log',
      'constructor-20261206.log',
      'errors-2026-12.jsonl',
      'startup-2026-12-06.log',
      'AURA-API-20261206_003.log',
    ];
    expect(liveLogNames(hostile, '20261206')['aura-api']).toBe('aura-api-20261206.log');
    expect(Object.keys(liveLogNames(hostile, '20261206')).sort()).toEqual([
      'audit',
      'aura-api',
      'errors',
      'performance',
      'warnings',
    ]);
  });
});

describe('variablesFromInstall', () => {
  const now = new Date(2026, 11, 6, 23, 59, 40);

  it('fills every live-log variable with the full path of the live file', () => {
    const vars = variablesFromInstall(paths('/data/logs/'), now, [
      'aura-api-20261206.log',
      'aura-api-20261206_001.log',
      'errors-20261206.log',
    ]);
    expect(vars.apiLog).toBe('/data/logs/aura-api-20261206_001.log');
    expect(vars.errorsLog).toBe('/data/logs/errors-20261206.log');
    expect(vars.auditLog).toBe('/data/logs/audit-20261206.log');
    expect(fillVariables('tail "{{apiLog}}" "{{ warningsLog }}"', vars).filled).toBe(
      'tail "/data/logs/aura-api-20261206_001.log" "/data/logs/warnings-20261206.log"',
    );
  });

  it('keeps a Windows logs dir in backslashes', () => {
    expect(
      variablesFromInstall(paths('C:\\Users\\op\\AppData\\Local\\Aura\\logs'), now, [
        'performance-20261206_002.log',
      ]).performanceLog,
    ).toBe('C:\\Users\\op\\AppData\\Local\\Aura\\logs\\performance-20261206_002.log');
  });

  it('leaves the live-log variables unfilled when the folder was not listed, and without an install', () => {
    for (const vars of [
      variablesFromInstall(paths('/data/logs'), now),
      variablesFromInstall(null, now, ['aura-api-20261206.log']),
    ]) {
      const { missing } = fillVariables(
        '{{apiLog}} {{errorsLog}} {{warningsLog}} {{performanceLog}} {{auditLog}}',
        vars,
      );
      expect(missing).toEqual(['apiLog', 'errorsLog', 'warningsLog', 'performanceLog', 'auditLog']);
    }
  });

  it('documents every live-log variable', () => {
    for (const v of Object.values(LIVE_LOG_VARIABLES)) expect(KNOWN_VARIABLES[v]).toMatch(/live/);
  });
});
