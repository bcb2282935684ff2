/** IPC channel names between main and the preload (the preload repeats them: it cannot import). */
export const IPC_CALL = 'memoryos:call';
export const IPC_SUBSCRIBE = 'memoryos:subscribe';
export const IPC_EVENT = 'memoryos:event';
