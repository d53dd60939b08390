import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { judgeLogRoot, type RootPolicyContext } from './root-policy';

const posix: RootPolicyContext = {
  installDirs: ['/srv/aura', '/var/log/aura'],
  home: '/home/op',
  pathApi: path.posix,
};
const kind = (p: string, ctx = posix) => judgeLogRoot(p, ctx).kind;

describe('judgeLogRoot', () => {
  it('takes the install folders and ordinary folders under home', () => {
    for (const p of ['/srv/aura', '/srv/aura/logs', '/var/log/aura', '/home/op/aura-logs', '/home/op/a/b'])
      expect(kind(p), p).toBe('allow');
  });
  it('refuses the root and system folders, whatever is typed', () => {
    for (const p of [
      '/',
      '/etc',
      '/etc/ssl',
      '/proc',
      '/proc/1',
      '/sys',
      '/dev',
      '/boot',
      '/root',
      '/root/.ssh',
      '/run',
      '/usr',
      '/var/lib',
      '/bin',
    ]) {
      expect(kind(p), p).toBe('refuse');
    }
  });
  it('asks for a typed confirmation everywhere else', () => {
    for (const p of [
      '/home/op',
      '/home',
      '/var/log',
      '/tmp/x',
      '/opt/other',
      '/home/other',
      '/home/op/.ssh',
      '/home/op/.config/x',
      '/srv',
    ]) {
      expect(kind(p), p).toBe('confirm');
    }
  });
  it('lets an operator whose home is /root use folders under it', () => {
    const asRoot = { ...posix, home: '/root' };
    expect(kind('/root/aura-logs', asRoot)).toBe('allow');
    expect(kind('/root', asRoot)).toBe('confirm');
    expect(kind('/root/.ssh', asRoot)).toBe('confirm');
  });
  it('does not let a look-alike prefix pass for a folder inside', () => {
    expect(kind('/srv/aura-other')).toBe('confirm');
    expect(kind('/home/op2')).toBe('confirm');
    expect(kind('/etcetera')).toBe('confirm');
  });
  it('on Windows: drive roots and the Windows folder are refused, case-insensitively', () => {
    const win: RootPolicyContext = {
      installDirs: ['C:\\Users\\op\\AppData\\Local\\Aura'],
      home: 'C:\\Users\\op',
      windowsDir: 'C:\\Windows',
      pathApi: path.win32,
    };
    expect(kind('C:\\', win)).toBe('refuse');
    expect(kind('D:\\', win)).toBe('refuse');
    expect(kind('c:\\windows\\system32', win)).toBe('refuse');
    expect(kind('C:\\Users\\op\\AppData\\Local\\Aura\\logs', win)).toBe('allow');
    expect(kind('C:\\Users\\op\\logs', win)).toBe('allow');
    expect(kind('C:\\Users\\op\\.ssh', win)).toBe('confirm');
    expect(kind('C:\\ProgramData', win)).toBe('confirm');
  });
});
