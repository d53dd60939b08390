// Preload (sandboxed): exposes only the contract's channels and events to the renderer, over one
// IPC channel. A channel not in the contract is refused here before it reaches main.
import { contextBridge, ipcRenderer } from 'electron';
import { CHANNEL_NAMES, EVENT_NAMES } from '../shared/contract';
import { IPC_EVENT, IPC_INVOKE, type IpcInvokeChannels, type IpcSendChannels } from '../shared/ipc-channels';

type InvokeArgs = IpcInvokeChannels[typeof IPC_INVOKE]['args'];
type SendArgs = IpcSendChannels[typeof IPC_EVENT];
const channels = new Set<string>(CHANNEL_NAMES);
const events = new Set<string>(EVENT_NAMES);

const bridge = {
  invoke(channel: string, params: unknown): Promise<unknown> {
    if (!channels.has(channel)) return Promise.reject(new Error(`Channel not allowed: ${channel}`));
    const args: InvokeArgs = [channel, params];
    return ipcRenderer.invoke(IPC_INVOKE, ...args);
  },
  on(event: string, listener: (payload: unknown) => void): () => void {
    if (!events.has(event)) throw new Error(`Event not allowed: ${event}`);
    const wrapped = (_e: Electron.IpcRendererEvent, ...[name, payload]: SendArgs) => {
      if (name === event) listener(payload);
    };
    ipcRenderer.on(IPC_EVENT, wrapped);
    return () => ipcRenderer.removeListener(IPC_EVENT, wrapped);
  },
};

contextBridge.exposeInMainWorld('auraOps', bridge);
