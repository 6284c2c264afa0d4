// workerd / Cloudflare Workers entry. workerd forbids compiling wasm from bytes at run time, so the
// .wasm is imported as a module (wrangler and miniflare turn it into a WebAssembly.Module).
import wasmModule from '../pkg/graph_call_transfer_bg.wasm';
import { initSync } from '../pkg/graph_call_transfer.js';

initSync({ module: wasmModule });

export * from './api.js';
