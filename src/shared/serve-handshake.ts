// How a page served by `aura-ops serve` proves it holds the launch token, shared by the host and the
// renderer: the token is traded once for a session kept in sessionStorage (per origin, port
// included), and the session rides in the WebSocket subprotocol list. No cookie carries it.

/** The subprotocol the host selects; the renderer offers it with the session entry. */
export const WS_PROTOCOL = 'aura-ops.v1';
/** Prefix of the subprotocol entry that carries the session (a base64url value). */
export const SESSION_PROTOCOL_PREFIX = 'aura-ops.session.';
/** POST here with the token header: 200 `{ session }`, or 401. */
export const AUTH_PATH = '/__auth';
/** GET here with the session header: 200 `{ valid }`, so a refused socket can tell "stale" from "down". */
export const SESSION_CHECK_PATH = '/__session';
export const TOKEN_HEADER = 'X-Aura-Ops-Token';
export const SESSION_HEADER = 'X-Aura-Ops-Session';
/** sessionStorage key: per origin and per tab, survives a reload of that tab. */
export const SESSION_STORAGE_KEY = 'aura-ops.session';

/** The session from a Sec-WebSocket-Protocol header, when it also offers our protocol. */
export function sessionFromProtocols(header: string | undefined): string | null {
  if (!header) return null;
  const offered = header.split(',').map((p) => p.trim());
  if (!offered.includes(WS_PROTOCOL)) return null;
  const entry = offered.find((p) => p.startsWith(SESSION_PROTOCOL_PREFIX));
  return entry ? entry.slice(SESSION_PROTOCOL_PREFIX.length) : null;
}
