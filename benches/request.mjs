// Building a transfer request through the JS API (validation in wasm + the exact JSON text) against
// JSON.stringify of the same literal body, in the same run. `node benches/request.mjs`
import { buildTransferRequest } from '../dist/node.js';
import { deepStrictEqual } from 'node:assert/strict';
import { compare, table, fmt } from './harness.mjs';

const callId = '341a0500-d4bf-4224-8b19-1581168d328b';
const cases = {
  'Teams user (blind)': {
    options: { callId, transferTarget: { endpointType: 'default', identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' } } } },
  },
  'PSTN + locale + clientContext': {
    options: {
      callId,
      transferTarget: { endpointType: 'default', identity: { phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' } }, languageId: 'en-US', region: 'amer' },
      clientContext: '9e90d1c1-f61e-43e7-9f75-d420159aae08',
    },
  },
  'group call (transferee)': {
    options: {
      callId,
      transferTarget: { endpointType: 'default', identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' } } },
      transferee: { identity: { user: { id: '751f6800-3180-414d-bd94-333364659951', tenantId: '72f988bf-86f1-41af-91ab-2d7cd011db47' } }, participantId: '909c6581-5130-43e9-88f3-fcb3582cde37' },
    },
  },
};
for (const c of Object.values(cases)) {
  const { callId: _, ...rest } = c.options;
  c.body = rest;
  const built = buildTransferRequest(c.options);
  // Same JSON (member order follows Graph's schema order, not the caller's).
  deepStrictEqual(JSON.parse(built.bodyText), c.body);
}

const rows = [];
let sink = 0;
for (const [name, c] of Object.entries(cases)) {
  const r = compare({
    stringify: () => { sink += JSON.stringify(c.body).length; },
    build: () => { sink += buildTransferRequest(c.options).bodyText.length; },
    buildAndBody: () => { const r = buildTransferRequest(c.options); sink += r.bodyText.length + (r.body ? 1 : 0); },
  });
  rows.push([name, fmt(r.stringify), fmt(r.build), `**${fmt(r.build / r.stringify, 2)}x**`, fmt(r.buildAndBody), `${fmt(r.buildAndBody / r.stringify, 2)}x`]);
}
console.log('### Building a request (ns per request; ratio to JSON.stringify of the same body; target <= 1.5x)\n');
console.log(table(['case', 'JSON.stringify(body)', 'buildTransferRequest', 'ratio', '+ read .body', 'ratio'], rows));
if (sink === 42) console.log('');
