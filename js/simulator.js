// `graph-call-transfer/simulator`: the deterministic Graph simulator (tests, the playground, demos).
// It is a separate wasm (pkg/simulator, the crate built with its `simulator` feature) so that the
// package's main wasm, which apps ship, does not carry it. Loads synchronously from a file: URL
// (Node), otherwise by fetch (browsers; top-level await). workerd is not a target of this entry.
import init, { initSync } from '../pkg/simulator/graph_call_transfer.js';

const wasmUrl = new URL('../pkg/simulator/graph_call_transfer_bg.wasm', import.meta.url);
if (wasmUrl.protocol === 'file:') {
  const { readFileSync } = await import('node:fs');
  initSync({ module: readFileSync(wasmUrl) });
} else {
  await init({ module_or_path: wasmUrl });
}

export * from './simulate.js';
