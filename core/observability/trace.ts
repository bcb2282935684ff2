import { AsyncLocalStorage } from 'node:async_hooks';

// The trace id of the API call being served, carried into every envelope it emits.
const store = new AsyncLocalStorage<string>();

export const withTrace = <T>(traceId: string, fn: () => T): T => store.run(traceId, fn);
export const currentTraceId = (): string | undefined => store.getStore();
