// Where the time of buildTransferRequest goes, step by step, for the first case of
// benches/request.mjs (Teams user, blind transfer), in one run: each row adds one step of the fast
// path (js/request.js) to the row above it, on the raw wasm exports, and the last row is the public
// function. `node benches/request-breakdown.mjs` (docs/perf.md, "Session 3").
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

// The body writer of js/request.js, reduced to what this body has (plain objects of strings), with
// its per-key cache of the text before each value (flat strings: fewer rope nodes to flatten).
let strings = 0;
const prefixCache = new Map();
function prefixesOf(key) {
  let p = prefixCache.get(key);
  if (p === undefined) {
    p = [['"', key, '":"'].join(''), ['"', key, '":{'].join(''), [',"', key, '":"'].join(''), [',"', key, '":{'].join('')];
    prefixCache.set(key, p);
  }
  return p;
}
function write(object, out, before) {
  if (typeof object.toJSON === 'function' || Object.getPrototypeOf(object) !== Object.prototype) throw new Error('not plain');
  out += before;
  const open = out.length;
  for (const key in object) {
    const value = object[key];
    const p = prefixesOf(key);
    const at = out.length === open ? 0 : 2;
    if (typeof value === 'string') { out += p[at]; out += value; out += '"'; strings += 2; } else { out = write(value, out, p[at + 1]); strings += 1; }
  }
  return out + '}';
}
const writeBody = () => { strings = 0; return write({ transferTarget }, callId, '{'); };
const encode = () => { const text = writeBody(); return text.isWellFormed() ? encoder.encodeInto(text, view).written : 0; };
const check = () => raw.checkTransferRequestBufferedRaw(encode(), strings, callId.length, -1, -1, -1, -1);
// What is measured is what the public function does, and it is valid.
strictEqual(writeBody(), callId + JSON.stringify(body));
strictEqual(check(), 0);
strictEqual(buildTransferRequest(options).bodyText, JSON.stringify(body));
const written = encode();

let sink = 0;
const steps = {
  'JSON.stringify(body) (the baseline)': () => { sink += JSON.stringify(body).length; },
  'callId + the body written in JS (strings unescaped, cached member prefixes)': () => { sink += writeBody().length; },
  '+ isWellFormed, encodeInto into wasm memory': () => { sink += encode(); },
  '+ the wasm check (no escapes needed + head + body rules)': () => { sink += check(); },
  'buildTransferRequest (+ option checks, URL, headers, result object)': () => { sink += buildTransferRequest(options).bodyText.length; },
  'the wasm check alone, same input every time (warm)': () => { sink += raw.checkTransferRequestBufferedRaw(written, strings, 36, -1, -1, -1, -1); },
};
const r = compare(steps);
const base = r[Object.keys(steps)[0]];
console.log('### buildTransferRequest step by step (ns per request; Teams user case)\n');
console.log(table(['step', 'ns', 'ratio to JSON.stringify'], Object.keys(steps).map((k) => [k, fmt(r[k]), `${fmt(r[k] / base, 2)}x`])));
if (sink === 42) console.log('');
