/** The app's version as envelopes, exports and the worker report it. */
export const APP_VERSION = '0.1.0';
