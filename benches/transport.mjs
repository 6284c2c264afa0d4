// Transport: interpreting a response (wasm core) vs a hand-written JS interpretation of the same
// cases, and sending through sendTransfer vs a bare fetch to the same 127.0.0.1 server.
// `node benches/transport.mjs` after `npm run build`. Results are checked identical before timing.
import { createServer } from 'node:http';
import { compare, table, fmt } from './harness.mjs';
import * as g from '../dist/node.js';

const enc = new TextEncoder();
const errorBody = JSON.stringify({
  error: {
    code: 'itemNotFound',
    message: 'Call 341a0500-d4bf-4224-8b19-1581168d328b was not found.',
    innerError: { date: '2026-11-27T12:00:00', 'request-id': 'c8a1b3a0-0000-4000-8000-000000000001', 'client-request-id': '9e90d1c1-f61e-43e7-9f75-d420159aae08' },
  },
});
const operationBody = JSON.stringify({ clientContext: 'clientContext-value', createdDateTime: '2018-03-19T09:46:02Z', id: 'id-value', lastActionDateTime: '2018-03-19T09:46:02Z', status: 'Running' });
const html = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><center><h1>502 Bad Gateway</h1></center><hr><center>nginx</center></body></html>';

const cases = [
  { name: '202 accepted (empty body)', status: 202, headers: new Headers({ 'request-id': 'r-1', 'client-request-id': 'c-1' }), body: new Uint8Array(0) },
  { name: '200 + commsOperation (2018 beta)', status: 200, headers: new Headers({ 'request-id': 'r-2' }), body: enc.encode(operationBody) },
  { name: '404 Graph error body', status: 404, headers: new Headers({ 'request-id': 'r-3', 'content-type': 'application/json' }), body: enc.encode(errorBody) },
  { name: '429 + Retry-After date', status: 429, headers: new Headers({ 'retry-after': 'Fri, 27 Nov 2026 12:00:05 GMT' }), body: enc.encode('{"error":{"code":"TooManyRequests","message":"Slow down"}}') },
  { name: '502 HTML page', status: 502, headers: new Headers({ 'request-id': 'r-5' }), body: enc.encode(html) },
];
const NOW = Date.UTC(2026, 10, 27, 12, 0, 0);

/** The baseline: what a careful hand-written JS client does for exactly these cases. */
const decoder = new TextDecoder();
function baseline(status, headers, bytes, now) {
  const text = decoder.decode(bytes);
  const requestId = headers.get('request-id') ?? undefined;
  const clientRequestId = headers.get('client-request-id') ?? undefined;
  if (status === 202) return { ok: true, status, requestId, clientRequestId };
  let json;
  try {
    json = JSON.parse(text);
  } catch {}
  if (status === 200 && json && (json.id != null || json.status != null)) return { ok: true, status, operation: json, requestId, clientRequestId };
  const retryAfter = headers.get('retry-after');
  let retryAfterMs;
  if (retryAfter !== null) retryAfterMs = /^\d+$/.test(retryAfter) ? Number(retryAfter) * 1000 : Math.max(0, Date.parse(retryAfter) - now);
  const e = json?.error;
  const inner = e?.innerError ?? e?.innererror;
  const names = { 404: ['notFound', 'Not Found'], 429: ['tooManyRequests', 'Too Many Requests'], 502: ['badGateway', 'Bad Gateway'] };
  const title = /<title>([^<]*)<\/title>/i.exec(text)?.[1];
  return {
    ok: false,
    error: {
      status,
      code: e?.code || names[status][0],
      message: e?.message || `HTTP ${status} ${names[status][1]} with an HTML body: ${title}`,
      requestId: inner?.['request-id'] ?? requestId,
      clientRequestId: inner?.['client-request-id'] ?? clientRequestId,
      date: inner?.date ?? headers.get('date') ?? undefined,
      retryAfterMs,
      innerError: inner,
    },
  };
}

/** JSON with sorted keys and without undefined members, for comparing results. */
function canonical(value) {
  return JSON.stringify(value, (_, v) =>
    v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.keys(v).sort().map((k) => [k, v[k]])) : v,
  );
}

const plain = (r) => (r.ok ? r : { ok: false, error: { ...r.error, message: r.error.message } });
const rows = [];
for (const c of cases) {
  const a = plain(g.parseTransferResponse(c.status, c.headers, c.body, NOW));
  const b = baseline(c.status, c.headers, c.body, NOW);
  const [x, y] = [canonical({ ...a, error: a.error && { ...a.error, name: undefined, kind: undefined } }), canonical(b)];
  if (x !== y) {
    throw new Error(`results differ for ${c.name}:\n${x}\n${y}`);
  }
  const t = compare({
    js: () => baseline(c.status, c.headers, c.body, NOW),
    wasm: () => g.parseTransferResponse(c.status, c.headers, c.body, NOW),
  });
  rows.push([c.name, fmt(t.js), fmt(t.wasm), `**${fmt(t.wasm / t.js, 2)}x**`]);
}
console.log('### Interpreting a response (ns per response; results checked identical first)\n');
console.log(table(['case', 'hand-written JS', 'parseTransferResponse', 'ratio'], rows));

// Sending: sendTransfer (validation, token, timeout, retry bookkeeping, interpretation) vs a bare
// fetch + arrayBuffer of the same request, against a 127.0.0.1 server answering 202.
const server = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    res.writeHead(202, { 'request-id': 'r', 'client-request-id': req.headers['client-request-id'] ?? '' });
    res.end();
  });
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;
const request = g.buildTransferRequest({ callId: 'call-1', transferTarget: g.teamsUser('u1'), baseUrl: base, clientRequestId: 'c-1' });
const bare = async () => {
  const res = await fetch(request.url, request.toFetchInit('token'));
  await res.arrayBuffer();
  return res.status;
};
const viaSend = async () => (await g.sendTransfer(request, { token: 'token' })).status;
if ((await bare()) !== 202 || (await viaSend()) !== 202) throw new Error('the server did not answer 202');

async function timeAsync(fn, n) {
  const t0 = performance.now();
  for (let i = 0; i < n; i++) await fn();
  return ((performance.now() - t0) * 1000) / n;
}
const samples = { bare: [], send: [] };
for (let round = 0; round < 5; round++) {
  samples.bare.push(await timeAsync(bare, 300));
  samples.send.push(await timeAsync(viaSend, 300));
}
const median = (v) => v.sort((a, b) => a - b)[v.length >> 1];
const [tb, ts] = [median(samples.bare), median(samples.send)];
server.closeAllConnections();
server.close();
console.log('\n### Sending one transfer to 127.0.0.1 (µs per request, median of 5 rounds of 300)\n');
console.log(table(['bare fetch + arrayBuffer', 'sendTransfer', 'ratio'], [[fmt(tb), fmt(ts), `**${fmt(ts / tb, 2)}x**`]]));
