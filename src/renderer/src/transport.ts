// The renderer's only way to the main side: the preload bridge in Electron, a WebSocket in serve
// mode. Both are typed from the contract, so a misspelt channel or event does not compile.
import type { Channel, EventName, EventPayload, ParamsIn, Result } from '../../shared/contract';
import type { OpsErrorShape } from '../../shared/errors';
import type { IpcReply } from '../../shared/ipc-channels';
import {
  AUTH_PATH,
  SESSION_CHECK_PATH,
  SESSION_HEADER,
  SESSION_PROTOCOL_PREFIX,
  SESSION_STORAGE_KEY,
  TOKEN_HEADER,
  WS_PROTOCOL,
} from '../../shared/serve-handshake';

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

type Reply = IpcReply;

interface Bridge {
  invoke(channel: string, params: unknown): Promise<unknown>;
  on(event: string, listener: (payload: unknown) => void): () => void;
}

declare global {
  interface Window {
    auraOps?: Bridge;
  }
}

/** 'unauthorized': this tab holds no valid session; the operator must open the printed link. */
export type ConnectionState = 'connecting' | 'open' | 'closed' | 'unauthorized';

/** Reconnect delays grow to this cap, so a restarted `serve` is found again within seconds. */
const RECONNECT_MAX_MS = 4000;

/**
 * The session for this tab: traded from the `#token=` fragment the CLI printed (which is then
 * removed from the address bar), else the one this tab kept in sessionStorage before a reload.
 */
async function obtainSession(): Promise<{ session: string } | { refused: string }> {
  const m = /[#&]token=([^&]+)/.exec(location.hash);
  if (!m) {
    const kept = sessionStorage.getItem(SESSION_STORAGE_KEY);
    if (!kept) return { refused: 'This tab has no session.' };
    // A kept session may be from an earlier launch: ask first, so the page never offers the socket a
    // session it would refuse (a refused upgrade is a 401 in the browser console on every reload).
    if (!(await sessionValid(kept))) {
      sessionStorage.removeItem(SESSION_STORAGE_KEY);
      return { refused: 'The console was restarted since this tab signed in.' };
    }
    return { session: kept };
  }
  history.replaceState(null, '', location.pathname + location.search);
  let token: string;
  try {
    token = decodeURIComponent(m[1]!);
  } catch {
    return { refused: 'The token in the link is damaged.' };
  }
  const res = await fetch(AUTH_PATH, { method: 'POST', headers: { [TOKEN_HEADER]: token } });
  if (res.status === 401) {
    sessionStorage.removeItem(SESSION_STORAGE_KEY);
    return {
      refused: 'That token is not valid for this console (it changes every time the console starts).',
    };
  }
  if (!res.ok) throw new Error(`The console answered ${res.status} to the sign-in.`);
  const { session } = (await res.json()) as { session: string };
  sessionStorage.setItem(SESSION_STORAGE_KEY, session);
  return { session };
}

/** Whether the host still knows this session (a refused socket says nothing about why). */
async function sessionValid(session: string): Promise<boolean> {
  const res = await fetch(SESSION_CHECK_PATH, { headers: { [SESSION_HEADER]: session } });
  if (!res.ok) throw new Error(`The console answered ${res.status} to the session check.`);
  return ((await res.json()) as { valid: boolean }).valid;
}

class SocketBridge implements Bridge {
  private ws: WebSocket | null = null;
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (r: Reply) => void }>();
  private readonly queue: string[] = [];
  private readonly listeners = new Map<string, Set<(p: unknown) => void>>();
  private readonly stateListeners = new Set<(s: ConnectionState) => void>();
  private delay = 250;
  private session: string | null = null;
  /** Sequence number of the last event on this socket; a gap means events were lost. */
  private lastSeq = 0;
  state: ConnectionState = 'connecting';
  /** Why the state is 'unauthorized', in the operator's words. */
  refusal = '';

  constructor(private readonly url: string) {
    void this.connect();
  }

  private setState(s: ConnectionState) {
    this.state = s;
    for (const l of this.stateListeners) l(s);
  }

  private refuse(why: string) {
    this.refusal = why;
    for (const [id, p] of this.pending) {
      p.resolve({
        ok: false,
        error: { code: 'unavailable', message: `Not signed in to the console. ${why}` },
      });
      this.pending.delete(id);
    }
    this.setState('unauthorized');
  }

  private retry() {
    this.setState('closed');
    setTimeout(() => void this.connect(), this.delay);
    this.delay = Math.min(this.delay * 2, RECONNECT_MAX_MS);
  }

  private async connect() {
    this.setState('connecting');
    if (!this.session) {
      let got: Awaited<ReturnType<typeof obtainSession>>;
      try {
        got = await obtainSession();
      } catch {
        this.retry(); // the console is not answering yet
        return;
      }
      if ('refused' in got) return this.refuse(got.refused);
      this.session = got.session;
    }
    const ws = new WebSocket(this.url, [WS_PROTOCOL, SESSION_PROTOCOL_PREFIX + this.session]);
    this.ws = ws;
    this.lastSeq = 0;
    let opened = false;
    ws.onopen = () => {
      opened = true;
      this.delay = 250;
      this.setState('open');
      for (const m of this.queue.splice(0)) ws.send(m);
    };
    ws.onmessage = (ev) => {
      let msg: { id?: number; event?: string; payload?: unknown; seq?: number } & Partial<Reply>;
      try {
        msg = JSON.parse(String(ev.data)) as typeof msg;
      } catch {
        return;
      }
      if (typeof msg.event === 'string') {
        if (typeof msg.seq === 'number') {
          if (msg.seq !== this.lastSeq + 1) {
            // Events were lost: take a fresh socket, and every view resyncs on 'open'.
            ws.close(4000, 'event gap');
            return;
          }
          this.lastSeq = msg.seq;
        }
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
      if (this.ws !== ws) return;
      this.ws = null;
      for (const [id, p] of this.pending) {
        p.resolve({
          ok: false,
          error: { code: 'unavailable', message: 'Lost the connection to the console. Reconnecting…' },
        });
        this.pending.delete(id);
      }
      if (opened) return this.retry();
      // Refused before opening: a stale session (the console restarted) or the console is down.
      const session = this.session!;
      sessionValid(session).then(
        (valid) => {
          if (valid) return this.retry();
          this.session = null;
          sessionStorage.removeItem(SESSION_STORAGE_KEY);
          this.refuse('The console was restarted since this tab signed in.');
        },
        () => this.retry(),
      );
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

const socket = window.auraOps
  ? null
  : new SocketBridge(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/ws`);
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
  /** Why the serve transport is 'unauthorized' ('' otherwise). */
  refusal: (): string => socket?.refusal ?? '',
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
