// Preload (sandboxed): exposes only the contract's channels and events to the renderer, over one
// IPC channel. A channel not in the contract is refused here before it reaches main.
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES } from '../shared/contract';

const INVOKE = 'aura-ops:invoke';
const EVENT = 'aura-ops:event';
const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAMES);

const bridge = {
  invoke(channel: string, params: unknown): Promise<unknown> {
    if (!channels.has(channel)) return Promise.reject(new Error(`Channel not allowed: ${channel}`));
    return ipcRenderer.invoke(INVOKE, channel, params);
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`Event not allowed: ${event}`);
    const wrapped = (_e: Electron.IpcRendererEvent, name: string, payload: unknown) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(EVENT, wrapped);
    return () => ipcRenderer.removeListener(EVENT, wrapped);
  },
};

contextBridge.exposeInMainWorld('auraOps', bridge);
