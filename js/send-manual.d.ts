// `graph-call-transfer/send/manual`: the send side, for hosts that load its wasm themselves.
export * from './send.js';
/** Loads the send side's wasm asynchronously (URL, Response, bytes or WebAssembly.Module). Call once before using the API. */
export { default as init, initSync } from '../pkg/send/graph_call_transfer.js';
