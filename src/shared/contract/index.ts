// The contract: every request channel ('domain:verb') with its params schema and result type, and
// every pushed event. Hosts validate with it, the preload allowlist and renderer client derive from it.
// Each domain owns one file here (a large domain keeps its shapes beside it, as walkthroughs-session.ts
// and walkthroughs-steps.ts); this index joins them (one import + one spread per domain).
import type { z } from 'zod';
import type { ChannelDef, EventDef } from './define';
import { appChannels, appEvents } from './app';
import { databaseChannels, databaseEvents } from './database';
import { installChannels, installEvents } from './install';
import { runbookReviewChannels, runbooksChannels, runbooksEvents } from './runbooks';
import { sandboxChannels, sandboxEvents } from './sandbox';
import { walkthroughChannels, walkthroughEvents } from './walkthroughs';
import { logsChannels, logsEvents } from './logs';
import { probesChannels, probesEvents } from './probes';
import { terminalChannels, terminalEvents } from './terminal';

export const channels = {
  ...appChannels,
  ...databaseChannels,
  ...installChannels,
  ...runbooksChannels,
  ...runbookReviewChannels,
  ...sandboxChannels,
  ...walkthroughChannels,
  ...logsChannels,
  ...probesChannels,
  ...terminalChannels,
} as const;

export const events = {
  ...appEvents,
  ...databaseEvents,
  ...installEvents,
  ...runbooksEvents,
  ...sandboxEvents,
  ...walkthroughEvents,
  ...logsEvents,
  ...probesEvents,
  ...terminalEvents,
} as const;

export type Channels = typeof channels;
export type Channel = keyof Channels;
export type Events = typeof events;
export type EventName = keyof Events;

type ParamsOf<D> = D extends ChannelDef<infer P, unknown> ? z.infer<P> : never;
type ParamsInOf<D> = D extends ChannelDef<infer P, unknown> ? z.input<P> : never;
type ResultOf<D> = D extends ChannelDef<z.ZodTypeAny, infer R> ? R : never;

/** Params after validation (defaults applied): what a handler receives. */
export type Params<C extends Channel> = ParamsOf<Channels[C]>;
/** Params as a caller may write them (optional fields may be left out). */
export type ParamsIn<C extends Channel> = ParamsInOf<Channels[C]>;
export type Result<C extends Channel> = ResultOf<Channels[C]>;
export type EventPayload<E extends EventName> = Events[E] extends EventDef<infer T> ? T : never;

export const CHANNEL_NAMES = Object.keys(channels) as Channel[];
export const EVENT_NAMES = Object.keys(events) as EventName[];

export function isChannel(name: string): name is Channel {
  return Object.prototype.hasOwnProperty.call(channels, name);
}

export function isEventName(name: string): name is EventName {
  return Object.prototype.hasOwnProperty.call(events, name);
}
