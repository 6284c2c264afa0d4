// The receive side of the API (`graph-call-transfer/receive`), for the callback endpoint: verify
// Graph's token, parse notifications, track transfers. Its wasm (pkg/receive/) has only these exports.
export { makeError, isGraphCallTransferError } from './internal.js';
export * from './auth.js';
export * from './notify.js';
