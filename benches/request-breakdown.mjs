// Where the time of buildTransferRequest goes, step by step, for the first case of
// benches/request.mjs (Teams user, blind transfer), in one run: each row adds one step of the fast
// path to the row above it, on the raw wasm exports, and the last row is the public function.
// `node benches/request-breakdown.mjs` (docs/perf.md, "speed, session 2").
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
const size = 4096;
const ptr = raw.inputBufferRaw(size); // may grow the memory: take the buffer after it
const view = new Uint8Array(raw.initSync().memory.buffer, ptr, size);
const encode = () => encoder.encodeInto(callId + JSON.stringify({ transferTarget }), view).written;
// What is measured is what the public function validates, and it is valid.
strictEqual(raw.checkTransferRequestBufferedRaw(encode(), callId.length, -1, -1, -1, -1), 0);
strictEqual(buildTransferRequest(options).bodyText, JSON.stringify(body));
const written = encode();

let sink = 0;
const steps = {
  'JSON.stringify(body) (the baseline)': () => { sink += JSON.stringify(body).length; },
  '+ callId and encodeInto into wasm memory': () => { sink += encode(); },
  '+ an almost empty wasm call (inputBufferRaw)': () => { sink += encode() + raw.inputBufferRaw(16); },
  '+ the wasm check (checkTransferRequestBufferedRaw)': () => { sink += raw.checkTransferRequestBufferedRaw(encode(), 36, -1, -1, -1, -1); },
  'buildTransferRequest (+ option checks, URL, headers, result object)': () => { sink += buildTransferRequest(options).bodyText.length; },
  'the wasm check alone, same input every time (warm)': () => { sink += raw.checkTransferRequestBufferedRaw(written, 36, -1, -1, -1, -1); },
};
const r = compare(steps);
const base = r[Object.keys(steps)[0]];
console.log('### buildTransferRequest step by step (ns per request; Teams user case)\n');
console.log(table(['step', 'ns', 'ratio to JSON.stringify'], Object.keys(steps).map((k) => [k, fmt(r[k]), `${fmt(r[k] / base, 2)}x`])));
if (sink === 42) console.log('');
