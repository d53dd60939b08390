// What the inspector's tabs share: the error box, any failure as an ApiError, and ids for
// requests that can be cancelled.
import { ApiError } from '../../transport';

export function ErrorBox({ error }: { error: ApiError | null }) {
  if (!error) return null;
  return (
    <div className="db-error" role="alert">
      <strong>{error.message}</strong>
      {error.detail && <div>{error.detail}</div>}
    </div>
  );
}

export function toApiError(err: unknown): ApiError {
  return err instanceof ApiError ? err : new ApiError({ code: 'internal', message: String(err) });
}

export function newId(prefix: string): string {
  return `${prefix}-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
}
