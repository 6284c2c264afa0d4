// Node 20+ entry: loads the wasm synchronously from the package folder, then exports the API.
import { readFileSync } from 'node:fs';
import { initSync } from '../pkg/graph_call_transfer.js';

initSync({ module: readFileSync(new URL('../pkg/graph_call_transfer_bg.wasm', import.meta.url)) });

export * from './api.js';
