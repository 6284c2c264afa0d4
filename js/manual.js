// For hosts that load the wasm themselves: call `init(...)` (async; URL, Response, bytes or
// WebAssembly.Module, as `{ module_or_path }`) or `initSync({ module })` once, then use the API.
// Without an argument, `init()` fetches the package's own pkg/graph_call_transfer_bg.wasm.
import rawInit from '../pkg/graph_call_transfer.js';

export { initSync } from '../pkg/graph_call_transfer.js';

export function init(input) {
  return rawInit(input ?? { module_or_path: new URL('../pkg/graph_call_transfer_bg.wasm', import.meta.url) });
}

export * from './api.js';
