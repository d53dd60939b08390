// The one error shape that crosses every boundary (IPC, WebSocket, CLI --json): a stable code,
// a sentence a user can act on, and optional detail. Never a stack trace.

export type ErrorCode =
  | 'bad-request'
  | 'unknown-channel'
  | 'not-found'
  | 'forbidden-path'
  | 'unavailable'
  | 'timeout'
  | 'busy'
  | 'corrupt'
  | 'read-only'
  | 'invalid-config'
  | 'cancelled'
  | 'internal';

export interface OpsErrorShape {
  code: ErrorCode;
  message: string;
  detail?: string;
}

/** Thrown by services; hosts turn it into an OpsErrorShape unchanged. */
export class OpsError extends Error implements OpsErrorShape {
  readonly code: ErrorCode;
  readonly detail?: string;
  constructor(code: ErrorCode, message: string, detail?: string) {
    super(message);
    this.name = 'OpsError';
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
}

/** Any thrown value to the wire shape; unknown errors keep their message but never their stack. */
export function toErrorShape(err: unknown): OpsErrorShape {
  if (err instanceof OpsError) {
    return err.detail === undefined
      ? { code: err.code, message: err.message }
      : { code: err.code, message: err.message, detail: err.detail };
  }
  if (err instanceof Error) return { code: 'internal', message: err.message };
  return { code: 'internal', message: String(err) };
}

export function isErrorShape(v: unknown): v is OpsErrorShape {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'string' &&
    typeof (v as { message?: unknown }).message === 'string'
  );
}
