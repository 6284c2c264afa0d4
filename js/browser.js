// Browser and bundler entry: fetches and compiles the wasm (streaming) before the module finishes
// loading (top-level await), so the API is synchronous to use, as in Node and workerd.
import init from '../pkg/graph_call_transfer.js';

await init({ module_or_path: new URL('../pkg/graph_call_transfer_bg.wasm', import.meta.url) });

export * from './api.js';
