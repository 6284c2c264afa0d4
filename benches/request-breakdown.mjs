// Where the time of buildTransferRequest goes, step by step, for the first case of
// benches/request.mjs (Teams user, blind transfer), in one run: each row adds one step of the
// walked fast path (js/api.js, src/request/walked.rs) to the row above it, on the raw wasm
// exports, and the last row is the public function. `node benches/request-breakdown.mjs`
// (docs/perf.md, "Session 3").
import { readFileSync } from 'node:fs';
import * as raw from '../pkg/graph_call_transfer.js';
import { buildTransferRequest } from '../dist/node.js';
import { strictEqual } from 'node:assert/strict';
import { compare, table, fmt } from './harness.mjs';

raw.initSync({ module: readFileSync(new URL('../pkg/graph_call_transfer_bg.wasm', import.meta.url)) });

const callId = '341a0500-d4bf-4224-8b19-1581168d328b';
const transferTarget = { endpointType: 'default', identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' } } };
const options = { callId, transferTarget };
const body = { transferTarget };

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8', { ignoreBOM: true });
const size = 8192;
const ptr = raw.inputBufferRaw(size); // may grow the memory: take the buffers after it
const tptr = raw.tokenBufferRaw(1024);
const view = new Uint8Array(raw.initSync().memory.buffer, ptr, size);
const tokens = new Uint32Array(raw.initSync().memory.buffer, tptr, 1024);

// The same walk as js/api.js (strings and objects are all this body has).
const STRING = 1 << 29, OPEN = 3 << 29, CLOSE = 4 << 29;
let text = '', count = 0;
function member(key, value) {
  if (typeof value === 'string') {
    text += key; text += value; tokens[count] = key.length; tokens[count + 1] = STRING | value.length; count += 2;
    return;
  }
  if (Object.getPrototypeOf(value) !== Object.prototype || typeof value.toJSON === 'function') throw new Error('not plain');
  text += key; tokens[count] = key.length; tokens[count + 1] = OPEN; count += 2;
  for (const k in value) member(k, value[k]);
  tokens[count++] = CLOSE;
}
const walk = () => {
  text = callId; count = 1; tokens[0] = OPEN;
  member('transferTarget', transferTarget);
  tokens[count++] = CLOSE;
  return text.isWellFormed() ? count : 0;
};
const encode = () => { walk(); return encoder.encodeInto(text, view).written; };
const wasm = () => { const written = encode(); return [written, raw.buildWalkedRaw(written, text.length, count, callId.length, -1, -1, -1, -1)]; };
// What is measured is what the public function does, and it is valid.
{
  const [written, len] = wasm();
  strictEqual(decoder.decode(view.subarray(written, written + len)), JSON.stringify(body));
  strictEqual(buildTransferRequest(options).bodyText, JSON.stringify(body));
}
const [written] = wasm();

let sink = 0;
const steps = {
  'JSON.stringify(body) (the baseline)': () => { sink += JSON.stringify(body).length; },
  'walk the options (names + strings into one string, tokens into wasm memory)': () => { sink += walk(); },
  '+ encodeInto into wasm memory': () => { sink += encode(); },
  '+ the wasm call: write the JSON and check it (buildWalkedRaw)': () => { sink += wasm()[1]; },
  '+ TextDecoder.decode of the JSON': () => { const [w, l] = wasm(); sink += decoder.decode(view.subarray(w, w + l)).length; },
  'buildTransferRequest (+ option checks, URL, headers, result object)': () => { sink += buildTransferRequest(options).bodyText.length; },
  'the wasm call alone, same input every time (warm)': () => { sink += raw.buildWalkedRaw(written, text.length, count, callId.length, -1, -1, -1, -1); },
};
const r = compare(steps);
const base = r[Object.keys(steps)[0]];
console.log('### buildTransferRequest step by step (ns per request; Teams user case)\n');
console.log(table(['step', 'ns', 'ratio to JSON.stringify'], Object.keys(steps).map((k) => [k, fmt(r[k]), `${fmt(r[k] / base, 2)}x`])));
if (sink === 42) console.log('');
