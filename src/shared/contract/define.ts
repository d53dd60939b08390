// Building blocks of the typed contract: a request channel pairs a zod schema for its params with
// a (type-only) result; an event names a payload type. Both hosts validate params with the schema.
import type { z } from 'zod';

export interface ChannelDef<P extends z.ZodTypeAny, R> {
  readonly params: P;
  /** Type carrier only; never read at run time. */
  readonly result: R;
}

/** `request<Result>()(paramsSchema)`: the result type is explicit, the params type is inferred. */
export function request<R>() {
  return <P extends z.ZodTypeAny>(params: P): ChannelDef<P, R> => ({ params, result: undefined as R });
}

export interface EventDef<T> {
  /** Type carrier only. */
  readonly payload: T;
}

export function event<T>(): EventDef<T> {
  return { payload: undefined as T };
}
