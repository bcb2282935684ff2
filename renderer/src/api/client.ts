import type { ApiMethods, MethodName } from '../../../contracts/types';
import { ApiCallError } from './errors';
import type { EventListener, Transport, TransportStatus } from './transport';

export type Params<M extends MethodName> = ApiMethods[M]['request'];
export type Result<M extends MethodName> = ApiMethods[M]['response'];

/**
 * The one typed API client: method names, params and results come from the contract types, so a
 * renamed field breaks the renderer's build instead of a screen. The transport decides the door.
 */
export class ApiClient {
  constructor(private readonly transport: Transport, private readonly onToken: (token: string) => void = () => {}) {}

  get door(): Transport['kind'] {
    return this.transport.kind;
  }

  call<M extends MethodName>(method: M, params: Params<M>): Promise<Result<M>> {
    // the failed method travels with the error, so its sentence can say what was asked
    return (this.transport.call(method, params) as Promise<Result<M>>).catch((e: unknown) => {
      if (e instanceof ApiCallError && !e.method) e.method = method;
      throw e;
    });
  }

  subscribe(topic: string, listener: EventListener): () => void {
    return this.transport.subscribe(topic, listener);
  }

  /** a profile switch answered a new session token (the local host's door); IPC has none to keep */
  rebind(token: string | null): void {
    if (!token || !this.transport.setToken) return;
    this.transport.setToken(token);
    this.onToken(token);
  }

  onStatus(listener: (s: TransportStatus) => void): () => void {
    return this.transport.onStatus?.(listener) ?? (() => {});
  }
}
