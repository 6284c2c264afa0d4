// For hosts that load the wasm themselves: call `init(...)` (async; URL, Response, bytes or
// WebAssembly.Module) or `initSync({ module })` once, then use the API.
export { default as init, initSync } from '../pkg/graph_call_transfer.js';
export * from './api.js';
