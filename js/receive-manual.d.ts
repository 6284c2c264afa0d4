// `graph-call-transfer/receive/manual`: the receive side, for hosts that load its wasm themselves.
export * from './receive.js';
/** Loads the receive side's wasm asynchronously (URL, Response, bytes or WebAssembly.Module). Call once before using the API. */
export { default as init, initSync } from '../pkg/receive/graph_call_transfer.js';
