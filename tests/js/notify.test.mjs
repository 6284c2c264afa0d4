// parseNotifications and TransferTracker: the portable suite in Node, workerd and Chromium, plus
// Node-only checks (parity with a hand-written reference normalizer, flat wasm memory).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync, readdirSync } from 'node:fs';
import { runPortable, ROOT } from '../harness/portable.mjs';
import * as g from '../../dist/node.js';
import { makeBatches, referenceParse } from '../../benches/notify-data.mjs';

const dir = `${ROOT}/tests/fixtures/notifications/`;
const fixtures = readdirSync(dir).filter((f) => f.endsWith('.json')).sort().map((name) => {
  const fx = JSON.parse(readFileSync(dir + name, 'utf8'));
  return { name, bodyText: fx.bodyText, body: fx.body, expect: fx.expect };
});

await runPortable('tests/portable/notify.mjs', { params: { fixtures } });

test('parseNotifications equals the reference JS normalizer on the benchmark batches', () => {
  for (const batch of makeBatches(64, 1, 11).concat(makeBatches(64, 5, 12))) {
    const ours = g.parseNotifications(batch).notifications.map((n) => n.toJSON());
    assert.deepEqual(ours, referenceParse(batch));
  }
});

test('wasm memory stays flat while parsing many notifications', () => {
  const batches = makeBatches(200, 5, 3);
  const mem = () => g.wasmMemoryBytes();
  for (const b of batches) g.parseNotifications(b);
  const before = mem();
  for (let i = 0; i < 20_000; i++) g.parseNotifications(batches[i % batches.length]);
  assert.equal(mem(), before);
});
