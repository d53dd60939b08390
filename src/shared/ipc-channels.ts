// The Electron IPC channels between the preload and the host, named and typed once: one invoke
// channel carries every contract call, one send channel every contract event (the serve host's /ws speaks the same reply).
import type { OpsErrorShape } from './errors';

/** What a contract call answers, over IPC and over the serve host's socket alike. */
export type IpcReply = { ok: true; result: unknown } | { ok: false; error: OpsErrorShape };

/** Renderer to main (ipcRenderer.invoke / ipcMain.handle): the channel's arguments and its answer. */
export interface IpcInvokeChannels {
  /** A contract call: its channel name (checked by the preload and again by the API) and params. */
  'aura-ops:invoke': { args: [channel: string, params: unknown]; result: IpcReply };
}

/** Main to renderer (webContents.send / ipcRenderer.on): the arguments each send carries. */
export interface IpcSendChannels {
  /** A contract event's name and its payload (the preload hands on only the contract's events). */
  'aura-ops:event': [event: string, payload: unknown];
}

export const IPC_INVOKE: keyof IpcInvokeChannels = 'aura-ops:invoke';
export const IPC_EVENT: keyof IpcSendChannels = 'aura-ops:event';
