// Where `aura-ops serve` takes a chosen token from: a file or the environment (argv is readable by
// every user in /proc), with real files and their modes.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { TOKEN_ENV, readGivenToken } from './serve-command';

describe('readGivenToken', () => {
  let dir = '';
  let errs: string[] = [];
  const io = { out: () => undefined, err: (s: string) => void errs.push(s) };
  const saved = process.env[TOKEN_ENV];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'aura-ops-token-'));
    errs = [];
    delete process.env[TOKEN_ENV];
  });
  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
    if (saved === undefined) delete process.env[TOKEN_ENV];
    else process.env[TOKEN_ENV] = saved;
  });

  const file = (text: string, mode = 0o600) => {
    const f = path.join(dir, 'token');
    fs.writeFileSync(f, text, { mode });
    fs.chmodSync(f, mode);
    return f;
  };

  it('is null (a random token) when none is given', () => {
    expect(readGivenToken(undefined, undefined, io)).toBeNull();
    expect(errs).toEqual([]);
  });

  it('reads the first line of a private file', () => {
    expect(readGivenToken(undefined, file('abcdefghijklmnopqrstuvwx\nignored\n'), io)).toBe(
      'abcdefghijklmnopqrstuvwx',
    );
    expect(readGivenToken(undefined, file('abcdefghijklmnopqrstuvwx\r\n'), io)).toBe(
      'abcdefghijklmnopqrstuvwx',
    );
  });

  it('refuses a file other users can read, a missing file, a short or spaced token', () => {
    expect(readGivenToken(undefined, file('abcdefghijklmnopqrstuvwx\n', 0o644), io)).toBe(false);
    expect(errs.at(-1)).toContain('chmod 600');
    expect(readGivenToken(undefined, path.join(dir, 'nope'), io)).toBe(false);
    expect(errs.at(-1)).toContain('cannot read');
    expect(readGivenToken(undefined, file('short\n'), io)).toBe(false);
    expect(errs.at(-1)).toContain('at least 16');
    expect(readGivenToken(undefined, file('abcdefgh ijklmnopqrstuvwx\n'), io)).toBe(false);
    expect(errs.at(-1)).toContain('spaces');
    expect(readGivenToken(undefined, file('\nabcdefghijklmnopqrstuvwx\n'), io)).toBe(false);
  });

  it('takes the environment and removes it, so shells do not inherit it', () => {
    process.env[TOKEN_ENV] = 'from-the-environment-123';
    expect(readGivenToken(undefined, undefined, io)).toBe('from-the-environment-123');
    expect(process.env[TOKEN_ENV]).toBeUndefined();
  });

  it('refuses two sources at once, and still clears the environment', () => {
    process.env[TOKEN_ENV] = 'from-the-environment-123';
    expect(readGivenToken('from-the-argument-12345', undefined, io)).toBe(false);
    expect(errs.at(-1)).toContain('one way');
    expect(process.env[TOKEN_ENV]).toBeUndefined();
  });

  it('still takes --token, with a warning about the process list', () => {
    expect(readGivenToken('from-the-argument-12345', undefined, io)).toBe('from-the-argument-12345');
    expect(errs.at(-1)).toContain('process list');
  });
});
