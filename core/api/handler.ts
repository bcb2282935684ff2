import type { ApiMethods, MethodName } from '../../contracts/types';
import type { Ctx } from '../app/context';

export interface CallContext { ctx: Ctx; actor: string; trace_id: string }

export type Handler<M extends MethodName> = (call: CallContext, params: ApiMethods[M]['request']) => ApiMethods[M]['response'] | Promise<ApiMethods[M]['response']>;

export type Handlers = { [M in MethodName]: Handler<M> };
