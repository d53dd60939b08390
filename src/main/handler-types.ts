// Types for the handler table: one function per contract channel, receiving validated params.
import type { Channel, Params, Result } from '../shared/contract';

export type Handler<C extends Channel> = (params: Params<C>) => Promise<Result<C>> | Result<C>;

/** The handlers of one domain: `HandlersFor<keyof typeof terminalChannels>`. */
export type HandlersFor<K extends Channel> = { [C in K]: Handler<C> };

export type HandlerTable = HandlersFor<Channel>;
