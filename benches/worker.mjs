// The edge worker under load, in workerd through miniflare, against a baseline worker on the same
// runtime that answers 202 after reading the body (no token check, no parsing, no Durable
// Object): the ratio is what verification, parsing, routing and persistence cost on top of the
// HTTP path itself.
//
//   node benches/worker.mjs [rounds=3]
//
// Before timing, one load run is checked like the test does (every call in its planned phase,
// each distinct message applied once, histories identical to a replay through the package's
// TransferTracker in Node). Each round then sends 1,000 concurrent callbacks (100 calls, 10%
// redeliveries, shuffled) to each worker, interleaved; medians are reported. Each request uses
// its own connection (see tests/support/worker-harness.mjs). Loopback only, bounded in count and time.
import os from 'node:os';
import { randomUUID } from 'node:crypto';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { startWorker, freshDir, request, ROOT } from '../tests/support/worker-harness.mjs';
import { makeSigner, callbackClaims } from '../tests/support/worker-keys.mjs';
import { startGraph, participantsBody } from '../tests/support/worker-graph.mjs';
import { runLoad } from '../tests/support/worker-load.mjs';
import { table, fmt } from './harness.mjs';

const rounds = Math.max(1, Math.min(9, Number(process.argv[2] ?? 3) || 3));
const pkg = await import(pathToFileURL(path.join(ROOT, 'dist/node.js')).href);
for (const name of ['parseNotifications', 'TransferTracker', 'sendTransfer', 'verifyCallbackToken']) {
  if (!(name in pkg)) {
    console.log(`benches/worker.mjs: skipped, the package does not export ${name} yet`);
    process.exit(0);
  }
}

const APP_ID = 'bench-app';
const TENANT = 'bench-tenant';
const GRAPH_TOKEN = `graph-${randomUUID()}`;
const ADMIN_TOKEN = `admin-${randomUUID()}`;
const signer = await makeSigner('bench-key');
const token = await signer.sign(callbackClaims({ appId: APP_ID, tenant: TENANT, lifetimeSeconds: 3000 }));
const graph = await startGraph({ token: GRAPH_TOKEN });
const worker = await startWorker({
  persistDir: await freshDir('bench'),
  bindings: { BOT_APP_ID: APP_ID, JWKS: JSON.stringify({ keys: [signer.jwk] }), ALLOWED_TENANTS: TENANT, GRAPH_BASE_URL: graph.baseUrl, GRAPH_TOKEN, ADMIN_TOKEN },
});

// The baseline: same runtime, same HTTP path, answers 202 after reading the body.
const { Miniflare } = await import('miniflare');
const baselineMf = new Miniflare({
  modules: true,
  script: 'export default { async fetch(request) { await request.arrayBuffer(); return new Response(\'{"ok":true}\', { status: 202, headers: { "content-type": "application/json" } }); } };',
  compatibilityDate: '2025-09-01',
  host: '127.0.0.1',
  port: 0,
});
const baselineUrl = (await baselineMf.ready).toString().replace(/\/$/, '');
const baseline = { url: baselineUrl, fetch: (p, init) => request(baselineUrl + p, init) };

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };
async function callback(w, body, { messageId = randomUUID(), timeoutMs } = {}) {
  const res = await w.fetch('/callback', {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-microsoft-skype-message-id': messageId },
    body,
    timeoutMs,
  });
  const text = await res.text();
  return { status: res.status, body: text === '' ? null : JSON.parse(text) };
}
async function transfer(w, callId, options) {
  const res = await w.fetch(`/calls/${encodeURIComponent(callId)}/transfer`, { method: 'POST', headers: { ...admin, 'content-type': 'application/json' }, body: JSON.stringify(options) });
  return { status: res.status, body: await res.json() };
}
async function getCall(w, callId) {
  const res = await w.fetch(`/calls/${encodeURIComponent(callId)}`, { headers: admin });
  return { status: res.status, body: await res.json() };
}
const target = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } };
const load = (seed) => runLoad({ worker, callback, transfer, getCall, target, calls: 100, callbacks: 1000, duplicateRate: 0.1, seed, tracker: pkg.TransferTracker, parse: pkg.parseNotifications });

/** The same number of concurrent callbacks (same bodies' sizes) to the baseline. */
async function baselineLoad(n = 1000) {
  const latencies = [];
  let ok = 0;
  const t0 = performance.now();
  await Promise.all(Array.from({ length: n }, async (_, i) => {
    const s = performance.now();
    const r = await callback(baseline, participantsBody(`b-${i % 100}`, i), { timeoutMs: 120_000 });
    latencies.push(performance.now() - s);
    if (r.status === 202) ok++;
  }));
  const elapsedMs = performance.now() - t0;
  latencies.sort((a, b) => a - b);
  return { ok, throughput: n / (elapsedMs / 1000), p50: latencies[Math.ceil(n * 0.5) - 1], p99: latencies[Math.ceil(n * 0.99) - 1] };
}

/** `n` callbacks one after another: latency without queueing. */
async function sequential(w, n, label) {
  const latencies = [];
  for (let i = 0; i < n; i++) {
    const s = performance.now();
    const r = await callback(w, participantsBody(`seq-${label}-${i % 10}`, i));
    latencies.push(performance.now() - s);
    if (r.status !== 202) throw new Error(`${label}: ${r.status}`);
  }
  latencies.sort((a, b) => a - b);
  return latencies[Math.ceil(n * 0.5) - 1];
}

const median = (xs) => xs.slice().sort((a, b) => a - b)[xs.length >> 1];

try {
  // Check before timing.
  const check = await load(1);
  if (check.problems.length > 0 || check.statusCounts[202] !== 1000 || check.duplicatesAnswered !== check.duplicatesSent) {
    throw new Error(`the worker's results are wrong: ${JSON.stringify({ problems: check.problems.slice(0, 5), statusCounts: check.statusCounts })}`);
  }
  const b0 = await baselineLoad();
  if (b0.ok !== 1000) throw new Error(`the baseline answered ${b0.ok} of 1000 with 202`);

  const ours = [];
  const base = [];
  for (let r = 0; r < rounds; r++) {
    const o = await load(100 + r);
    if (o.problems.length > 0) throw new Error(`round ${r}: ${o.problems[0]}`);
    ours.push(o);
    base.push(await baselineLoad());
  }
  const seqOurs = await sequential(worker, 200, 'worker');
  const seqBase = await sequential(baseline, 200, 'baseline');

  const m = (xs, k) => median(xs.map((x) => x[k]));
  const rows = [
    ['throughput, 1,000 concurrent (callbacks/s)', fmt(m(ours, 'throughput')), fmt(m(base, 'throughput')), `${fmt(m(ours, 'throughput') / m(base, 'throughput'), 2)}x`],
    ['p50 latency, 1,000 concurrent (ms)', fmt(m(ours, 'p50')), fmt(m(base, 'p50')), `${fmt(m(ours, 'p50') / m(base, 'p50'), 2)}x`],
    ['p99 latency, 1,000 concurrent (ms)', fmt(m(ours, 'p99')), fmt(m(base, 'p99')), `${fmt(m(ours, 'p99') / m(base, 'p99'), 2)}x`],
    ['p50 latency, one at a time (ms)', fmt(seqOurs, 1), fmt(seqBase, 1), `${fmt(seqOurs / seqBase, 2)}x`],
  ];
  console.log(`### Edge worker under load (workerd via miniflare ${(await import('miniflare/package.json', { with: { type: 'json' } }).catch(() => ({ default: {} }))).default.version ?? ''}, node ${process.version}, ${os.cpus().length} cores, load average ${os.loadavg()[0].toFixed(1)})\n`);
  console.log(`median of ${rounds} rounds; each: 100 calls, 1,000 callbacks (100 redeliveries), shuffled, all at once\n`);
  console.log(table(['measure', 'worker', 'baseline (202, no work)', 'ratio'], rows));
} finally {
  await worker.dispose();
  await baselineMf.dispose();
  await graph.close();
}
