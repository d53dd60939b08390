// The renderer's only way to the main side: the preload bridge in Electron, a WebSocket in serve
// mode. Both are typed from the contract, so a misspelt channel or event does not compile.
import type { Channel, EventName, EventPayload, ParamsIn, Result } from '../../shared/contract';
import type { OpsErrorShape } from '../../shared/errors';

export class ApiError extends Error implements OpsErrorShape {
  readonly code: OpsErrorShape['code'];
  readonly detail?: string;
  constructor(shape: OpsErrorShape) {
    super(shape.message);
    this.name = 'ApiError';
    this.code = shape.code;
    if (shape.detail !== undefined) this.detail = shape.detail;
  }
}

type Reply = { ok: true; result: unknown } | { ok: false; error: OpsErrorShape };

interface Bridge {
  invoke(channel: string, params: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    auraOps?: Bridge;
  }
}

export type ConnectionState = 'connecting' | 'open' | 'closed';

/** Reconnect delays grow to this cap, so a restarted `serve` is found again within seconds. */
const RECONNECT_MAX_MS = 4000;

class SocketBridge implements Bridge {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void }>();
  private readonly queue: string[] = [];
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private delay = 250;
  state: ConnectionState = 'connecting';

  constructor(private readonly url: string) {
    this.connect();
  }

  private setState(s: ConnectionState) {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private connect() {
    this.setState('connecting');
    const ws = new WebSocket(this.url);
    this.ws = ws;
    ws.onopen = () => {
      this.delay = 250;
      this.setState('open');
      for (const m of this.queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (ev) => {
      let msg: { id?: number; event?: string; payload?: unknown } & Partial<Reply>;
      try {
        msg = JSON.parse(String(ev.data)) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.event === 'string') {
        for (const l of this.listeners.get(msg.event) ?? []) l(msg.payload);
        return;
      }
      if (typeof msg.id === 'number') {
        const p = this.pending.get(msg.id);
        this.pending.delete(msg.id);
        p?.resolve(msg as Reply);
      }
    };
    ws.onclose = () => {
      this.ws = null;
      for (const [id, p] of this.pending) {
        p.resolve({ ok: false, error: { code: 'unavailable', message: 'Lost the connection to the console. Reconnecting…' } });
        this.pending.delete(id);
      }
      this.setState('closed');
      setTimeout(() => this.connect(), this.delay);
      this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
    };
  }

  invoke(channel: string, params: unknown): Promise<unknown> {
    const id = this.nextId++;
    const frame = JSON.stringify({ id, channel, params });
    return new Promise<Reply>((resolve) => {
      this.pending.set(id, { resolve });
      if (this.ws && this.ws.readyState === WebSocket.OPEN) this.ws.send(frame);
      else this.queue.push(frame);
    });
  }

  on(event: string, listener: (payload: unknown) => void): () => void {
    let set = this.listeners.get(event);
    if (!set) this.listeners.set(event, (set = new Set()));
    set.add(listener);
    return () => set.delete(listener);
  }

  onState(l: (s: ConnectionState) => void): () => void {
    this.stateListeners.add(l);
    return () => this.stateListeners.delete(l);
  }
}

const socket = window.auraOps ? null : new SocketBridge(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
const bridge: Bridge = window.auraOps ?? socket!;

export const api = {
  async invoke<C extends Channel>(channel: C, params: ParamsIn<C>): Promise<Result<C>> {
    const reply = (await bridge.invoke(channel, params)) as Reply;
    if (!reply.ok) throw new ApiError(reply.error);
    return reply.result as Result<C>;
  },
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void {
    return bridge.on(event, listener as (p: unknown) => void);
  },
  /** Connection state of the serve transport (always 'open' in Electron). */
  onConnection(listener: (s: ConnectionState) => void): () => void {
    if (!socket) {
      listener('open');
      return () => undefined;
    }
    listener(socket.state);
    return socket.onState(listener);
  },
  host: (window.auraOps ? 'electron' : 'serve') as 'electron' | 'serve',
};

/** Open an http(s) link outside the app: the OS browser in Electron, a new tab in serve mode. */
export async function openExternal(url: string): Promise<void> {
  if (!/^https?:\/\//i.test(url)) return;
  const { opened } = await api.invoke('app:open-external', { url });
  if (!opened) window.open(url, '_blank', 'noopener,noreferrer');
}
