// Benchmark: parseNotifications against JSON.parse alone and against JSON.parse + a hand-written
// JS normalizer producing the same fields, on the same realistic bodies, in the same run.
// Usage: node benches/notify.mjs [--quick]   (build first: bash scripts/build.sh)
import * as g from '../dist/node.js';
import { makeBatches, referenceNormalize, referenceParse } from './notify-data.mjs';
import assert from 'node:assert/strict';

const quick = process.argv.includes('--quick');
const SLICE_MS = quick ? 60 : 250;
const ROUNDS = quick ? 5 : 15;

let sink = 0;
/** ns per call of `fn` over the inputs, for about SLICE_MS. */
function slice(fn, inputs) {
  let calls = 0;
  const start = process.hrtime.bigint();
  const deadline = start + BigInt(SLICE_MS) * 1_000_000n;
  let now = start;
  while (now < deadline) {
    for (let i = 0; i < inputs.length; i++) sink += fn(inputs[i]);
    calls += inputs.length;
    now = process.hrtime.bigint();
  }
  return Number(now - start) / calls;
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

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

console.log(`node ${process.version}; ${ROUNDS} interleaved rounds of ${SLICE_MS} ms per case; medians, and the median of the per-round ratios to JSON.parse\n`);
for (const set of sets) {
  // Round-robin, so that machine noise hits every case alike; ratios are taken within a round.
  const times = cases.map(() => []);
  for (let round = 0; round < ROUNDS; round++) {
    cases.forEach(([, fn, input], k) => times[k].push(slice(fn, set[input]) / set.perBody));
  }
  console.log(`### ${set.name} (${set.texts.length} bodies, ${set.avg.toFixed(0)} bytes per notification)\n`);
  console.log('| case | ns per notification | vs JSON.parse | vs JSON.parse + normalizer |');
  console.log('|---|---:|---:|---:|');
  cases.forEach(([name], k) => {
    const ratio = median(times[k].map((t, r) => t / times[0][r]));
    const ratio2 = median(times[k].map((t, r) => t / times[1][r]));
    console.log(`| ${name} | ${median(times[k]).toFixed(0)} | ${ratio.toFixed(2)}x | ${ratio2.toFixed(2)}x |`);
  });
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
