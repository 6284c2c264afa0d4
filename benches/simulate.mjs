// The Graph simulator: the cost of one simulated transfer (validation of the request body plus
// every notification body of the scenario, produced in wasm) against the baseline of writing the
// same notification bodies with JSON.stringify from ready-made objects (checked identical first),
// and the playground server's throughput for transfer requests over HTTP on 127.0.0.1.
//
//   node benches/simulate.mjs
import assert from 'node:assert/strict';
import * as pkg from '../dist/simulator.js';
import { startPlayground } from '../www/server.mjs';
import { compare, table, fmt } from './harness.mjs';

const body = JSON.stringify({ transferTarget: { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } }, clientContext: '9e90d1c1-f61e-43e7-9f75-d420159aae08' });
const rows = [];
for (const [scenario, apiVersion] of [['success', 'v1.0'], ['duplicated', 'v1.0'], ['success', 'beta-2018']]) {
  const input = { scenario, apiVersion, callId: '341a0500-d4bf-4224-8b19-1581168d328b', body: apiVersion === 'beta-2018' ? body.replace('transferTarget', 'target') : body, seed: 1, now: 1_700_000_000_000 };
  const sim = pkg.simulateTransfer(input);
  const objects = sim.notifications.map((n) => JSON.parse(n.bodyText));
  // The baseline writes exactly the same bytes.
  assert.deepEqual(objects.map((o) => JSON.stringify(o)), sim.notifications.map((n) => n.bodyText));
  const r = compare({
    simulate: () => pkg.simulateTransfer(input),
    stringify: () => objects.map((o) => JSON.stringify(o)),
  });
  rows.push([`${scenario} ${apiVersion} (${sim.notifications.length} notifications)`, fmt(r.simulate), fmt(r.stringify), `${fmt(r.simulate / r.stringify, 1)}x`]);
}
console.log('### simulateTransfer vs JSON.stringify of the same notification bodies (ns per transfer)\n');
console.log(table(['scenario', 'simulateTransfer', 'JSON.stringify baseline', 'ratio'], rows));

// HTTP: sequential and 16-way concurrent transfer requests against the playground server.
const pg = await startPlayground({ port: 0, stepMs: 60000 });
const url = `${pg.url}sim/stalled/v1.0/communications/calls/bench/transfer`;
const send = async () => {
  const r = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body });
  assert.equal(r.status, 202);
  await r.arrayBuffer();
};
for (let i = 0; i < 50; i++) await send();
const httpRows = [];
for (const concurrency of [1, 16]) {
  const total = 800;
  const t0 = performance.now();
  let next = 0;
  await Promise.all(Array.from({ length: concurrency }, async () => {
    while (next < total) {
      next++;
      await send();
    }
  }));
  const ms = performance.now() - t0;
  httpRows.push([String(concurrency), fmt((total / ms) * 1000), fmt((ms * 1000) / total)]);
}
await pg.close();
console.log('\n### Playground server: POST transfer -> 202 over HTTP on 127.0.0.1 (fetch client in the same process)\n');
console.log(table(['concurrency', 'requests/s', 'µs per request'], httpRows));
