// Benchmark: parseNotifications against JSON.parse alone and against JSON.parse + a hand-written
// JS normalizer producing the same fields, on the same realistic bodies, in the same run.
// Usage: node benches/notify.mjs [--quick]   (build first: bash scripts/build.sh)
import * as g from '../js/node.js';
import { makeBatches, referenceNormalize, referenceParse } from './notify-data.mjs';
import assert from 'node:assert/strict';

const quick = process.argv.includes('--quick');
const RUN_MS = quick ? 300 : 1500;
const ROUNDS = quick ? 3 : 5;

let sink = 0;
function measure(fn, inputs) {
  // ns per call, over RUN_MS; median of ROUNDS.
  const results = [];
  for (let round = 0; round < ROUNDS; round++) {
    let calls = 0;
    const start = process.hrtime.bigint();
    const deadline = start + BigInt(RUN_MS) * 1_000_000n;
    let now = start;
    while (now < deadline) {
      for (let i = 0; i < inputs.length; i++) sink += fn(inputs[i]);
      calls += inputs.length;
      now = process.hrtime.bigint();
    }
    results.push(Number(now - start) / calls);
  }
  results.sort((a, b) => a - b);
  return results[Math.floor(results.length / 2)];
}

const sets = [
  { name: '1 per body', perBody: 1, texts: makeBatches(2000, 1, 101) },
  { name: '5 per body', perBody: 5, texts: makeBatches(400, 5, 202) },
];

// Check before timing: identical results on every input, string and bytes.
for (const set of sets) {
  set.bytes = set.texts.map((t) => new TextEncoder().encode(t));
  set.avg = set.texts.reduce((a, t) => a + t.length, 0) / set.texts.length / set.perBody;
  set.texts.forEach((text, i) => {
    const want = referenceParse(text);
    assert.deepEqual(g.parseNotifications(text).notifications.map((n) => n.toJSON()), want);
    assert.deepEqual(g.parseNotifications(set.bytes[i]).notifications.map((n) => n.toJSON()), want);
  });
}

const cases = [
  ['JSON.parse(text) (baseline)', (t) => JSON.parse(t).value.length, 'texts'],
  ['JSON.parse + JS normalizer', (t) => referenceNormalize(t).length, 'texts'],
  ['parseNotifications(text)', (t) => g.parseNotifications(t).notifications.length, 'texts'],
  ['parseNotifications(bytes)', (t) => g.parseNotifications(t).notifications.length, 'bytes'],
  ['parseNotifications(text) + read resourceDataText', (t) => {
    const ns = g.parseNotifications(t).notifications;
    let n = 0;
    for (const x of ns) n += x.resourceDataText.length;
    return n;
  }, 'texts'],
];

console.log(`node ${process.version}; ${RUN_MS} ms x ${ROUNDS} rounds per case (median)\n`);
for (const set of sets) {
  console.log(`### ${set.name} (${set.texts.length} bodies, ${set.avg.toFixed(0)} bytes per notification)\n`);
  console.log('| case | ns per notification | vs JSON.parse |');
  console.log('|---|---:|---:|');
  let base;
  for (const [name, fn, input] of cases) {
    const ns = measure(fn, set[input]) / set.perBody;
    if (base === undefined) base = ns;
    console.log(`| ${name} | ${ns.toFixed(0)} | ${(ns / base).toFixed(2)}x |`);
  }
  console.log();
}

// Wasm memory before and after parsing 1 million notifications.
const bodies = sets[1].texts;
const before = g.wasmMemoryBytes();
const total = quick ? 100_000 : 1_000_000;
let parsed = 0;
for (let i = 0; parsed < total; i++) parsed += g.parseNotifications(bodies[i % bodies.length]).notifications.length;
const after = g.wasmMemoryBytes();
console.log(`wasm memory: ${before} bytes before, ${after} bytes after parsing ${parsed} notifications (${after === before ? 'flat' : 'GREW'})`);
if (sink === 42) console.log('');
