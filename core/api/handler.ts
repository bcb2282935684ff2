import type { ApiMethods, MethodName } from '../../contracts/types';
import type { Ctx } from '../context/ctx';
import type { SyncPort } from './sync-port';
import type { SessionPort } from '../members/profiles';

/** One call as a handler sees it: the open vault, who acts, the trace, and sync when it runs here. */
export interface CallContext {
  ctx: Ctx; actor: string; trace_id: string; sync: SyncPort | null;
  /** the door's session (the local host keeps one per login); null where a door keeps none */
  session: SessionPort | null;
}

export type Handler<M extends MethodName> = (call: CallContext, params: ApiMethods[M]['request']) => ApiMethods[M]['response'] | Promise<ApiMethods[M]['response']>;

/** Handlers for the methods of one namespace (handlers/<namespace>.ts). */
export type HandlersOf<P extends string> = { [M in MethodName as M extends `${P}.${string}` ? M : never]: Handler<M> };

export type Handlers = { [M in MethodName]: Handler<M> };
