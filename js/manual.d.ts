export * from './index.js';
/** Loads the wasm asynchronously (URL, Response, bytes or WebAssembly.Module). Call once before using the API. */
export { default as init, initSync } from '../pkg/graph_call_transfer.js';
