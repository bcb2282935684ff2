// The public entry of core/: what electron/ and the tools may use.
export { openApp, type App, type AppOptions } from './app/app';
export { ApiError } from './shared/errors';
export { startHost, type Host } from './host/server';
export { APP_VERSION } from './app/context';
