// The preload with `electron` mocked: it exposes only invoke/on, limited to the contract's names.
import { describe, expect, it, vi } from 'vitest';

const exposed = vi.hoisted(() => ({
  api: null as null | Record<string, (...a: unknown[]) => unknown>,
  invoked: [] as unknown[][],
}));

vi.mock('electron', () => ({
  contextBridge: {
    exposeInMainWorld: (key: string, api: Record<string, (...a: unknown[]) => unknown>) => {
      expect(key).toBe('auraOps');
      exposed.api = api;
    },
  },
  ipcRenderer: {
    invoke: async (...args: unknown[]) => {
      exposed.invoked.push(args);
      return { ok: true, result: null };
    },
    on: () => undefined,
    removeListener: () => undefined,
  },
}));

await import('./index');

describe('preload bridge', () => {
  it('exposes exactly invoke and on', () => {
    expect(Object.keys(exposed.api!).sort()).toEqual(['invoke', 'on']);
  });
  it('forwards contract channels and refuses anything else before IPC', async () => {
    await exposed.api!.invoke!('app:info', {});
    expect(exposed.invoked).toEqual([['aura-ops:invoke', 'app:info', {}]]);
    await expect(exposed.api!.invoke!('fs:read', { path: '/etc/shadow' })).rejects.toThrow(
      'Channel not allowed',
    );
    expect(exposed.invoked).toHaveLength(1);
  });
  it('refuses to subscribe to events outside the contract', () => {
    expect(() => exposed.api!.on!('ipc:anything', () => undefined)).toThrow('Event not allowed');
    expect(typeof exposed.api!.on!('install:changed', () => undefined)).toBe('function');
  });
});
