// Live-log variables from a real logs folder: folders named like logs are not files, a missing
// folder lists nothing, an unreadable one is a clear error, and a roll written between two
// resolutions is picked up by the second (resolved when the step runs, not when it was loaded).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { InstallPaths } from '../../../shared/install-types';
import { installVariables, listLogNames } from './install-variables';

let root: string;
beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-livelog-'));
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

function pathsFor(logsDir: string): InstallPaths {
  return {
    dataRoot: root,
    logsDir,
    dbPath: path.join(root, 'aura.db'),
    appSettingsPath: null,
    apiUrl: 'http://127.0.0.1:5005',
    tempDir: root,
    redis: { enabled: false, connection: null, host: null, port: null, hasPassword: false },
  };
}

describe('installVariables', () => {
  it('follows the day as it rolls at size, and ignores a folder named like a newer roll', () => {
    const logs = path.join(root, 'logs');
    fs.mkdirSync(logs);
    const now = new Date(2026, 11, 6, 20, 10, 0);
    fs.writeFileSync(path.join(logs, 'aura-api-20261206.log'), 'x\n');
    expect(installVariables(pathsFor(logs), now).apiLog).toBe(path.join(logs, 'aura-api-20261206.log'));
    fs.writeFileSync(path.join(logs, 'aura-api-20261206_001.log'), 'y\n');
    fs.mkdirSync(path.join(logs, 'aura-api-20261206_002.log'));
    expect(installVariables(pathsFor(logs), now).apiLog).toBe(path.join(logs, 'aura-api-20261206_001.log'));
  });

  it('lists nothing for a missing folder, and names the folder when it cannot be listed', () => {
    expect(listLogNames(path.join(root, 'nope'))).toEqual([]);
    expect(
      installVariables(pathsFor(path.join(root, 'nope')), new Date(2026, 2, 8, 1, 59, 30)).errorsLog,
    ).toBe(path.join(root, 'nope', 'errors-20260308.log'));
    const file = path.join(root, 'not-a-dir');
    fs.writeFileSync(file, '');
    expect(() => listLogNames(file)).toThrow(`Cannot list the logs folder ${file}`);
  });

  it('fills no live-log variable without an install', () => {
    expect(installVariables(null).apiLog).toBeUndefined();
  });
});
