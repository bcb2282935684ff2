// The public entry of core/: what electron/ and the tools may use.
export { openApp, type App, type AppOptions, type AppStatus } from './app/app';
export { appOptionsFrom } from './app/options';
export { ApiError } from './shared/errors';
export { startHost, type Host } from './host/server';
export { APP_VERSION } from './shared/version';
export { CoreWorkerClient } from './worker/client';
export type { FromWorker, ToWorker, MessageChannelLike } from './worker/protocol';
