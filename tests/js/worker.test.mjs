// The edge worker (worker/src/index.js) in workerd through miniflare: callbacks verified, parsed,
// de-duplicated and routed to one Durable Object per call; transfers sent to a Graph stand-in on
// 127.0.0.1; state surviving a restart; a load run of 1,000 concurrent callbacks.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { pathToFileURL } from 'node:url';
import path from 'node:path';
import { startWorker, freshDir, ROOT } from '../support/worker-harness.mjs';
import { makeSigner, callbackClaims } from '../support/worker-keys.mjs';
import { startGraph, transferBodies, participantsBody, batchBody, envelope, callItem } from '../support/worker-graph.mjs';
import { runLoad } from '../support/worker-load.mjs';

const pkg = await import(pathToFileURL(path.join(ROOT, 'dist/node.js')).href);

const APP_ID = 'bot-app-0f6c';
const TENANT = 'c6b1d7a4-7e0d-4c5e-9a51-2f7d2c1c0a11';
const GRAPH_TOKEN = `graph-${randomUUID()}`;
const ADMIN_TOKEN = `admin-${randomUUID()}`;

let signer;
let other; // a key the worker does not know
let graph;
let worker;
let persistDir;
let token; // a valid callback token, reused like Graph reuses its tokens

function bindings(extra = {}) {
  return {
    BOT_APP_ID: APP_ID,
    JWKS: JSON.stringify({ keys: [signer.jwk] }),
    ALLOWED_TENANTS: TENANT,
    GRAPH_BASE_URL: graph.baseUrl,
    GRAPH_API_VERSION: 'v1.0',
    GRAPH_TOKEN,
    ADMIN_TOKEN,
    ...extra,
  };
}

async function callback(w, body, { messageId = randomUUID(), authorization = `Bearer ${token}`, headers = {}, timeoutMs } = {}) {
  const h = { 'content-type': 'application/json', ...headers };
  if (authorization !== null) h.authorization = authorization;
  if (messageId !== null) h['x-microsoft-skype-message-id'] = messageId;
  const res = await w.fetch('/callback', { method: 'POST', headers: h, body, timeoutMs });
  const text = await res.text();
  return { status: res.status, headers: res.headers, body: text === '' ? null : JSON.parse(text) };
}

const admin = { authorization: `Bearer ${ADMIN_TOKEN}` };

async function getCall(w, callId) {
  const res = await w.fetch(`/calls/${encodeURIComponent(callId)}`, { headers: admin });
  return { status: res.status, body: await res.json() };
}

async function transfer(w, callId, options) {
  const res = await w.fetch(`/calls/${encodeURIComponent(callId)}/transfer`, {
    method: 'POST',
    headers: { ...admin, 'content-type': 'application/json' },
    body: JSON.stringify(options),
  });
  return { status: res.status, body: await res.json() };
}

const target = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f', displayName: 'Heidi Steen' } } };

function phases(history) {
  return history.map((t) => `${t.from}->${t.to}`);
}

describe('edge worker in workerd', () => {
  before(async () => {
    signer = await makeSigner('key-1');
    other = await makeSigner('key-1'); // same kid, other key: a forged token
    token = await signer.sign(callbackClaims({ appId: APP_ID, tenant: TENANT }));
    graph = await startGraph({ token: GRAPH_TOKEN, jwks: { keys: [signer.jwk] } });
    persistDir = await freshDir('main');
    worker = await startWorker({ persistDir, bindings: bindings() });
  });

  after(async () => {
    await worker?.dispose();
    await graph?.close();
  });

  describe('end to end with the Graph simulator and its signed callbacks', () => {
    let pg;
    let w;
    const events = [];

    before(async () => {
      const { startPlayground } = await import(pathToFileURL(path.join(ROOT, 'www/server.mjs')).href);
      pg = await startPlayground({ port: 0, host: '127.0.0.1', stepMs: 15, appId: APP_ID, tenantId: TENANT, seed: 11 });
      const base = pg.url.replace(/\/$/, '');
      w = await startWorker({
        persistDir: await freshDir('simulator'),
        bindings: bindings({ JWKS: '', JWKS_URL: `${base}/simulator/jwks`, GRAPH_BASE_URL: base }),
      });
      pg.simulator.setConfig({ callbackUrl: `${w.url}/callback` });
      pg.simulator.subscribe((e) => events.push(e));
    });
    after(async () => {
      await pg?.close();
      await w?.dispose();
    });

    /** Sends a transfer through the worker and waits (at most 15 s) until the simulator has had an answer to each callback. */
    async function simulate(scenario, { apiVersion = 'v1.0', token = 'valid', options = {} } = {}) {
      pg.simulator.setConfig({ defaultScenario: scenario, token });
      const callId = `sim-${scenario}-${randomUUID()}`;
      const sent = await transfer(w, callId, { transferTarget: target, clientContext: `ctx-${scenario}`, apiVersion, ...options });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      const deadline = Date.now() + 15_000;
      let expected;
      let answers;
      for (;;) {
        const accepted = events.filter((e) => e.type === 'request' && e.data.callId === callId && e.data.status < 300);
        expected = accepted.reduce((n, e) => n + e.data.notifications, 0);
        answers = events.filter((e) => e.type === 'callback' && e.data.callId === callId);
        if (accepted.length > 0 && answers.length >= expected) break;
        if (Date.now() > deadline) throw new Error(`only ${answers.length} of ${expected} callbacks answered for ${callId}`);
        await new Promise((r) => setTimeout(r, 25));
      }
      const state = await getCall(w, callId);
      return { callId, sent: sent.body, answers: answers.map((e) => e.data), state: state.body, requests: events.filter((e) => e.type === 'request' && e.data.callId === callId).map((e) => e.data) };
    }

    it('success (v1.0): every signed callback acknowledged, the call completed', async () => {
      const r = await simulate('success');
      assert.deepEqual(r.answers.map((a) => a.status), r.answers.map(() => 202));
      assert.equal(r.state.phase, 'completed');
      assert.deepEqual(phases(r.state.history), ['requested->transferring', 'transferring->accepted', 'accepted->completed']);
      assert.deepEqual(r.state.resultInfo, { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' });
      assert.equal(r.state.deliveries.length, r.answers.length);
    });

    it('failure (v1.0): the call failed with resultInfo 500/7000', async () => {
      const r = await simulate('failure');
      assert.ok(r.answers.every((a) => a.status === 202));
      assert.equal(r.state.phase, 'failed');
      assert.equal(r.state.resultInfo.code, 500);
      assert.equal(r.state.resultInfo.subcode, 7000);
    });

    it('success in the 2018 dialect (/app/calls, commsOperation, callState)', async () => {
      const r = await simulate('success', { apiVersion: 'beta-2018' });
      assert.match(r.requests[0].path, /^\/beta\/app\/calls\//);
      assert.equal(r.sent.send.status, 200);
      assert.ok(r.answers.every((a) => a.status === 202));
      assert.equal(r.state.phase, 'completed');
      assert.equal(r.state.history.at(-1).to, 'completed');
    });

    it('failure in the 2018 dialect', async () => {
      const r = await simulate('failure', { apiVersion: 'beta-2018' });
      assert.ok(r.answers.every((a) => a.status === 202));
      assert.equal(r.state.phase, 'failed');
    });

    it('duplicated notifications (same message id twice) are applied once', async () => {
      const r = await simulate('duplicated');
      assert.ok(r.answers.every((a) => a.status === 202));
      const distinct = new Set(r.answers.map((a) => a.messageId));
      assert.equal(r.answers.length, distinct.size * 2);
      assert.equal(r.state.deliveries.length, distinct.size);
      assert.equal(r.state.phase, 'completed');
      assert.deepEqual(phases(r.state.history), ['requested->transferring', 'transferring->accepted', 'accepted->completed']);
    });

    it('out of order (transferAccepted before transferring) still completes, nothing doubled', async () => {
      const r = await simulate('outOfOrder');
      assert.equal(r.state.phase, 'completed');
      const tos = r.state.history.map((t) => t.to);
      assert.equal(new Set(tos).size, tos.length);
    });

    it('throttled: the transfer is retried after Retry-After and then tracked', async () => {
      const r = await simulate('throttled');
      assert.equal(r.sent.send.attempts, 2);
      assert.deepEqual(r.requests.map((q) => q.status), [429, 202]);
      assert.equal(r.state.phase, 'completed');
    });

    for (const flavour of ['expired', 'wrongAudience', 'wrongIssuer', 'missingTenant', 'badSignature', 'none']) {
      it(`callbacks with a bad token (${flavour}) are refused (401) and change nothing`, async () => {
        const r = await simulate('success', { token: flavour });
        assert.ok(r.answers.length > 0);
        assert.deepEqual(r.answers.map((a) => a.status), r.answers.map(() => 401));
        assert.equal(r.state.phase, 'requested');
        assert.equal(r.state.deliveries.length, 0);
      });
    }
  });

  describe('end to end with signed callbacks', () => {
    it('a transfer that completes (v1.0)', async () => {
      const callId = `e2e-ok-${randomUUID()}`;
      const sent = await transfer(worker, callId, { transferTarget: target, clientContext: 'ctx-ok' });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      assert.equal(sent.body.phase, 'requested');
      const req = graph.requests.find((r) => r.callId === callId);
      assert.equal(req.path, `/v1.0/communications/calls/${callId}/transfer`);
      assert.equal(req.headers.authorization, `Bearer ${GRAPH_TOKEN}`);
      assert.deepEqual(JSON.parse(req.bodyText), { transferTarget: target, clientContext: 'ctx-ok' });
      assert.equal(sent.body.send.clientRequestId, req.headers['client-request-id']);

      for (const body of transferBodies(callId, 'completed')) {
        const r = await callback(worker, body);
        assert.equal(r.status, 202);
        assert.equal(r.body.duplicate, false);
      }
      const { status, body } = await getCall(worker, callId);
      assert.equal(status, 200);
      assert.equal(body.phase, 'completed');
      assert.deepEqual(phases(body.history), ['requested->transferring', 'transferring->accepted', 'accepted->completed']);
      assert.deepEqual(body.resultInfo, { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' });
      assert.equal(body.callEnded, true);
      assert.equal(body.deliveries.length, 3);
    });

    it('a transfer that fails (v1.0, subCode spelling)', async () => {
      const callId = `e2e-fail-${randomUUID()}`;
      assert.equal((await transfer(worker, callId, { transferTarget: target })).status, 202);
      for (const body of transferBodies(callId, 'failed')) assert.equal((await callback(worker, body)).status, 202);
      const { body } = await getCall(worker, callId);
      assert.equal(body.phase, 'failed');
      assert.deepEqual(phases(body.history), ['requested->transferring', 'transferring->failed']);
      assert.equal(body.resultInfo.code, 500);
      assert.equal(body.resultInfo.subcode, 7000);
      // A failed transfer may be tried again.
      const again = await transfer(worker, callId, { transferTarget: target });
      assert.equal(again.status, 202, JSON.stringify(again.body));
      assert.equal((await getCall(worker, callId)).body.phase, 'requested');
    });

    it('the 2018 beta dialect: /app/calls, 200 + commsOperation, callState, resource', async () => {
      const callId = `E2E2018${randomUUID().replace(/-/g, '').toUpperCase()}`;
      const sent = await transfer(worker, callId, { transferTarget: target, clientContext: 'ctx-2018', apiVersion: 'beta-2018' });
      assert.equal(sent.status, 202, JSON.stringify(sent.body));
      const req = graph.requests.find((r) => r.callId === callId);
      assert.equal(req.path, `/beta/app/calls/${callId}/transfer`);
      assert.deepEqual(JSON.parse(req.bodyText).target, target);
      assert.equal(sent.body.send.status, 200);
      assert.equal(sent.body.send.operation.status, 'running');
      for (const body of transferBodies(callId, 'completed', 'beta-2018')) assert.equal((await callback(worker, body)).status, 202);
      const { body } = await getCall(worker, callId);
      assert.equal(body.phase, 'completed');
      assert.deepEqual(phases(body.history), ['requested->transferring', 'transferring->accepted', 'accepted->completed']);
      assert.equal(body.terminationReason, 'AppTransferred');
    });

    it('notifications that arrive before the transfer answer are applied when it registers', async () => {
      const callId = `early-${randomUUID()}`;
      const [transferring] = transferBodies(callId, 'completed');
      assert.equal((await callback(worker, transferring)).status, 202);
      const before = await getCall(worker, callId);
      assert.equal(before.status, 200);
      assert.equal(before.body.registered, false);
      const sent = await transfer(worker, callId, { transferTarget: target });
      assert.equal(sent.status, 202);
      assert.equal(sent.body.phase, 'transferring');
    });

    it('a redelivered body (same message id) is applied once', async () => {
      const callId = `dup-${randomUUID()}`;
      await transfer(worker, callId, { transferTarget: target });
      const [first] = transferBodies(callId, 'completed');
      const messageId = randomUUID();
      const a = await callback(worker, first, { messageId });
      const b = await callback(worker, first, { messageId });
      assert.equal(a.status, 202);
      assert.equal(b.status, 202);
      assert.equal(a.body.duplicate, false);
      assert.equal(b.body.duplicate, true);
      const { body } = await getCall(worker, callId);
      assert.equal(body.history.length, 1);
      assert.equal(body.deliveries.length, 1);
      // Without the header, identical bodies count as one message too.
      const c = await callback(worker, first, { messageId: null });
      const d = await callback(worker, first, { messageId: null });
      assert.equal(c.body.duplicate, false);
      assert.equal(d.body.duplicate, true);
    });

    it('one body about several calls reaches each call', async () => {
      const a = `batch-a-${randomUUID()}`;
      const b = `batch-b-${randomUUID()}`;
      await transfer(worker, a, { transferTarget: target });
      await transfer(worker, b, { transferTarget: target });
      const r = await callback(worker, batchBody([[a, 'transferring'], [b, 'transferring'], [b, 'transferAccepted']]));
      assert.equal(r.status, 202);
      assert.equal(r.body.calls, 2);
      assert.equal((await getCall(worker, a)).body.phase, 'transferring');
      assert.equal((await getCall(worker, b)).body.phase, 'accepted');
    });

    it('a Graph error on the transfer is reported and nothing is registered', async () => {
      const callId = `graph-err-${randomUUID()}`;
      graph.answer(callId, 403, { error: { code: 'Forbidden', message: 'no permission', innerError: { 'request-id': 'r-403', date: '2026-01-01T00:00:00Z' } } });
      const sent = await transfer(worker, callId, { transferTarget: target });
      assert.equal(sent.status, 502);
      assert.equal(sent.body.graph.status, 403);
      assert.equal(sent.body.graph.code, 'Forbidden');
      assert.equal((await getCall(worker, callId)).status, 404);
    });

    it('a second transfer while one is in progress is refused (409)', async () => {
      const callId = `conflict-${randomUUID()}`;
      assert.equal((await transfer(worker, callId, { transferTarget: target })).status, 202);
      const again = await transfer(worker, callId, { transferTarget: target });
      assert.equal(again.status, 409);
      assert.equal(again.body.phase, 'requested');
      assert.equal(graph.requests.filter((r) => r.callId === callId).length, 1);
    });

    it('bad transfer options are a 400 with the path', async () => {
      const sent = await transfer(worker, `bad-opts-${randomUUID()}`, { transferTarget: { identity: { phone: { id: '12345' } } } });
      assert.equal(sent.status, 400);
      assert.equal(sent.body.error, 'notE164');
      assert.equal(sent.body.path, 'transferTarget.identity.phone.id');
    });
  });

  describe('malformed and unknown payloads are acknowledged and kept', () => {
    it('a non-JSON body gets 202 and is kept in the inbox', async () => {
      const messageId = `nonjson-${randomUUID()}`;
      const r = await callback(worker, 'this is not JSON {', { messageId, headers: { 'content-type': 'text/plain' } });
      assert.equal(r.status, 202);
      assert.equal(r.body.kept, true);
      const inbox = await (await worker.fetch('/inbox', { headers: admin })).json();
      const entry = inbox.entries.find((e) => e.messageId === messageId);
      assert.ok(entry, 'kept in the inbox');
      assert.equal(entry.why, 'unparseable');
      assert.equal(entry.errors[0].kind, 'invalidJson');
      assert.equal(entry.body.text, 'this is not JSON {');
      assert.equal(entry.tenant, TENANT);
    });

    it('an unknown envelope shape gets 202 and is kept', async () => {
      const messageId = `shape-${randomUUID()}`;
      const r = await callback(worker, JSON.stringify({ hello: 'world', value: 'not a list' }), { messageId });
      assert.equal(r.status, 202);
      const inbox = await (await worker.fetch('/inbox', { headers: admin })).json();
      assert.ok(inbox.entries.some((e) => e.messageId === messageId));
    });

    it('a partly malformed batch: the good items apply, the bad ones are kept', async () => {
      const callId = `partial-${randomUUID()}`;
      await transfer(worker, callId, { transferTarget: target });
      const messageId = `partial-${randomUUID()}`;
      const body = envelope([
        callItem(callId, 'updated', { state: 'transferring' }),
        { changeType: 'updated', resourceUrl: `/communications/calls/${callId}`, resourceData: { state: 42 } },
        { changeType: 'updated', resourceUrl: '/communications/somethingElse/7', resourceData: { whatever: true } },
      ]);
      const r = await callback(worker, body, { messageId });
      assert.equal(r.status, 202);
      assert.equal(r.body.kept, true);
      assert.equal((await getCall(worker, callId)).body.phase, 'transferring');
      const inbox = await (await worker.fetch('/inbox', { headers: admin })).json();
      const entry = inbox.entries.find((e) => e.messageId === messageId);
      assert.ok(entry.errors.length >= 1, JSON.stringify(entry));
      assert.match(entry.errors[0].path, /^value\[1\]/);
    });

    it('notifications of unknown states are applied without failing', async () => {
      const callId = `unknown-state-${randomUUID()}`;
      await transfer(worker, callId, { transferTarget: target });
      const r = await callback(worker, envelope([callItem(callId, 'updated', { state: 'teleporting', newField: { x: 1 } })]));
      assert.equal(r.status, 202);
      const { body } = await getCall(worker, callId);
      assert.equal(body.phase, 'requested');
      assert.equal(body.deliveries.length, 1);
    });
  });

  describe('refusals', () => {
    const body = () => transferBodies(`refused-${randomUUID()}`, 'completed')[0];

    it('bad tokens get 401', async () => {
      const forged = (header) => `Bearer ${Buffer.from(JSON.stringify(header)).toString('base64url')}.${Buffer.from(JSON.stringify(callbackClaims({ appId: APP_ID, tenant: TENANT }))).toString('base64url')}.`;
      const cases = [
        ['missingToken', null],
        ['missingToken', 'Basic abc'],
        ['malformed', 'Bearer not.a.jwt'],
        ['badSignature', `Bearer ${await other.sign(callbackClaims({ appId: APP_ID, tenant: TENANT }))}`],
        ['wrongAudience', `Bearer ${await signer.sign(callbackClaims({ appId: 'someone-else', tenant: TENANT }))}`],
        ['tenantNotAllowed', `Bearer ${await signer.sign(callbackClaims({ appId: APP_ID, tenant: 'another-tenant' }))}`],
        ['expired', `Bearer ${await signer.sign(callbackClaims({ appId: APP_ID, tenant: TENANT, now: Date.now() - 3_600_000 }))}`],
        ['wrongIssuer', `Bearer ${await signer.sign(callbackClaims({ appId: APP_ID, tenant: TENANT, issuer: 'https://evil.example' }))}`],
        ['unsupportedAlgorithm', forged({ alg: 'none', kid: 'key-1' })],
        ['unknownKey', `Bearer ${await (await makeSigner('key-unknown')).sign(callbackClaims({ appId: APP_ID, tenant: TENANT }))}`],
      ];
      for (const [kind, authorization] of cases) {
        const r = await callback(worker, body(), { authorization });
        assert.equal(r.status, 401, `${kind}: ${JSON.stringify(r.body)}`);
        assert.equal(r.body.error, kind, JSON.stringify(r.body));
        assert.match(r.headers.get('www-authenticate'), /^Bearer/);
      }
    });

    it('a body over the limit gets 413 (declared length, and streamed without one)', async () => {
      const big = 'x'.repeat((1 << 20) + 1);
      const declared = await callback(worker, big);
      assert.equal(declared.status, 413);
      assert.equal(declared.body.error, 'tooLarge');
      // Chunked, no content-length: the worker stops reading at the limit and answers 413 while
      // the client is still sending (the client stops when the answer arrives; a reset of the
      // upload after the answer is expected).
      const status = await new Promise((resolve, reject) => {
        let answered = null;
        const req = http.request(`${worker.url}/callback`, {
          method: 'POST',
          agent: false,
          headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'transfer-encoding': 'chunked' },
        }, (res) => {
          answered = res.statusCode;
          res.resume();
          res.on('end', () => resolve(answered));
        });
        req.on('error', (e) => (answered === null ? reject(e) : resolve(answered)));
        const chunk = Buffer.alloc(64 * 1024, 'y');
        let sent = 0;
        const pump = () => {
          if (answered !== null || sent >= 40) return req.end(); // 2.5 MiB at most
          sent++;
          if (req.write(chunk)) setImmediate(pump);
          else req.once('drain', pump);
        };
        pump();
        setTimeout(() => reject(new Error('no answer to the streamed body within 20 s')), 20_000).unref();
      });
      assert.equal(status, 413);
      // Exactly the limit is fine (and, not being JSON, kept).
      const exact = await callback(worker, 'z'.repeat(1 << 20));
      assert.equal(exact.status, 202);
    });

    it('unknown resources and methods', async () => {
      const cases = [
        ['GET', '/', 404],
        ['GET', '/nope', 404],
        ['GET', '/calls', 404],
        ['GET', `/calls/never-seen-${randomUUID()}`, 404],
        ['GET', '/calls/a/b/c', 404],
        ['GET', '/calls/%E0%A4%A', 404],
        ['GET', '/callback', 405],
        ['PUT', '/callback', 405],
        ['DELETE', '/calls/x', 405],
        ['GET', '/calls/x/transfer', 405],
        ['POST', '/inbox', 405],
      ];
      for (const [method, p, status] of cases) {
        const res = await worker.fetch(p, { method, headers: admin });
        assert.equal(res.status, status, `${method} ${p}`);
        assert.match(res.headers.get('content-type'), /^application\/json/);
        await res.json();
      }
    });

    it('admin routes need the admin token', async () => {
      for (const headers of [{}, { authorization: 'Bearer wrong' }, { authorization: `Bearer ${token}` }]) {
        assert.equal((await worker.fetch('/calls/x', { headers })).status, 401);
        assert.equal((await worker.fetch('/inbox', { headers })).status, 401);
        const res = await worker.fetch('/calls/x/transfer', { method: 'POST', headers, body: JSON.stringify({ transferTarget: target }) });
        assert.equal(res.status, 401);
      }
    });

    it('a transfer body that is not a JSON object gets 400', async () => {
      for (const body of ['nope', '[1]', 'null']) {
        const res = await worker.fetch('/calls/x1/transfer', { method: 'POST', headers: admin, body });
        assert.equal(res.status, 400);
        await res.json();
      }
    });
  });

  describe('restart', () => {
    it('Durable Object state and de-duplication survive a restart mid-run', async () => {
      const dir = await freshDir('restart');
      let w = await startWorker({ persistDir: dir, bindings: bindings() });
      const calls = Array.from({ length: 10 }, (_, i) => `restart-${i}-${randomUUID()}`);
      const plan = calls.map((callId, i) => ({ callId, outcome: i % 3 === 0 ? 'failed' : 'completed' }));
      const ids = new Map();
      try {
        for (const { callId } of calls.map((callId) => ({ callId }))) assert.equal((await transfer(w, callId, { transferTarget: target })).status, 202);
        // First half of each call's notifications, then a restart.
        for (const { callId, outcome } of plan) {
          const bodies = transferBodies(callId, outcome);
          ids.set(callId, bodies.map(() => randomUUID()));
          const r = await callback(w, bodies[0], { messageId: ids.get(callId)[0] });
          assert.equal(r.status, 202);
        }
      } finally {
        await w.dispose();
      }
      w = await startWorker({ persistDir: dir, bindings: bindings() });
      try {
        for (const { callId } of plan) assert.equal((await getCall(w, callId)).body.phase, 'transferring');
        // Graph redelivers what it sent before the restart, then the rest.
        for (const { callId, outcome } of plan) {
          const bodies = transferBodies(callId, outcome);
          const again = await callback(w, bodies[0], { messageId: ids.get(callId)[0] });
          assert.equal(again.body.duplicate, true, 'the seen message ids survived the restart');
          for (let i = 1; i < bodies.length; i++) assert.equal((await callback(w, bodies[i], { messageId: ids.get(callId)[i] })).status, 202);
        }
        for (const { callId, outcome } of plan) {
          const { body } = await getCall(w, callId);
          assert.equal(body.phase, outcome);
          assert.equal(body.history[0].to, 'transferring');
          assert.equal(new Set(body.deliveries.map((d) => d.messageId)).size, transferBodies(callId, outcome).length);
        }
      } finally {
        await w.dispose();
      }
    });
    it('a restart in the middle of 1,000 concurrent callbacks loses nothing: what got 202 was stored, the rest is redelivered', async () => {
      const dir = await freshDir('restart-load');
      const first = await startWorker({ persistDir: dir, bindings: bindings() });
      let report;
      try {
        report = await runLoad({
          worker: first, callback, transfer, getCall, target, calls: 50, callbacks: 1000, duplicateRate: 0.1, seed: 3,
          tracker: pkg.TransferTracker, parse: pkg.parseNotifications,
          restartAfter: 300, restart: () => startWorker({ persistDir: dir, bindings: bindings() }),
        });
      } finally {
        await (report?.worker ?? first).dispose().catch(() => {});
      }
      console.log(`# restart mid-run: ${report.failures} callbacks cut off by the restart and delivered again; answers ${JSON.stringify(report.statusCounts)}`);
      assert.equal(report.restarted, true);
      assert.deepEqual(report.problems, []);
    });
  });

  describe('load', () => {
    it('1,000 concurrent callbacks over 100 calls, 10% duplicates, shuffled: every call right, no transition lost or doubled', async () => {
      const report = await runLoad({ worker, callback, transfer, getCall, target, calls: 100, callbacks: 1000, duplicateRate: 0.1, seed: 7, tracker: pkg.TransferTracker, parse: pkg.parseNotifications });
      console.log(`# load: ${report.callbacks} callbacks in ${report.elapsedMs.toFixed(0)} ms: ${report.throughput.toFixed(0)}/s, p50 ${report.p50.toFixed(1)} ms, p99 ${report.p99.toFixed(1)} ms`);
      assert.equal(report.statusCounts[202], 1000, JSON.stringify(report.statusCounts));
      assert.equal(report.duplicatesAnswered, report.duplicatesSent);
      assert.deepEqual(report.problems, []);
    });
  });

  describe('bounds and timers', () => {
    let w;
    before(async () => {
      w = await startWorker({ persistDir: await freshDir('bounds'), bindings: bindings({ SEEN_MESSAGE_IDS: '8', STALL_AFTER_MS: '300' }) });
    });
    after(() => w?.dispose());

    it('the per-call de-duplication memory is bounded (oldest forgotten first)', async () => {
      const callId = `bounded-${randomUUID()}`;
      const ids = Array.from({ length: 12 }, () => randomUUID());
      for (let i = 0; i < ids.length; i++) assert.equal((await callback(w, participantsBody(callId, i), { messageId: ids[i] })).body.duplicate, false);
      const { body } = await getCall(w, callId);
      assert.deepEqual(body.deliveries.map((d) => d.messageId), ids.slice(4));
      assert.equal((await callback(w, participantsBody(callId, 11), { messageId: ids[11] })).body.duplicate, true);
      assert.equal((await callback(w, participantsBody(callId, 4), { messageId: ids[4] })).body.duplicate, true);
      // The oldest were forgotten: a very late redelivery is applied again (harmless for the
      // tracker, whose phases only move forward).
      assert.equal((await callback(w, participantsBody(callId, 0), { messageId: ids[0] })).body.duplicate, false);
      assert.equal((await getCall(w, callId)).body.deliveries.length, 8);
    });

    it('a transfer without progress is marked stalled by the Durable Object alarm, and resumes', async () => {
      const callId = `stall-${randomUUID()}`;
      assert.equal((await transfer(w, callId, { transferTarget: target })).status, 202);
      let phase;
      for (let i = 0; i < 50 && phase !== 'stalled'; i++) {
        await new Promise((r) => setTimeout(r, 100));
        phase = (await getCall(w, callId)).body.phase;
      }
      assert.equal(phase, 'stalled');
      for (const body of transferBodies(callId, 'completed')) assert.equal((await callback(w, body)).status, 202);
      const { body } = await getCall(w, callId);
      assert.equal(body.phase, 'completed');
      assert.deepEqual(phases(body.history), ['requested->stalled', 'stalled->transferring', 'transferring->accepted', 'accepted->completed']);
    });
  });

  describe('retention', () => {
    it('idle calls are deleted after RETAIN_MS, a transfer in progress is kept', async () => {
      const w = await startWorker({ persistDir: await freshDir('retain'), bindings: bindings({ RETAIN_MS: '400', STALL_AFTER_MS: '60000' }) });
      try {
        const done = `retain-done-${randomUUID()}`;
        const idle = `retain-idle-${randomUUID()}`;
        const busy = `retain-busy-${randomUUID()}`;
        for (const id of [done, busy]) assert.equal((await transfer(w, id, { transferTarget: target })).status, 202);
        for (const body of transferBodies(done, 'completed')) assert.equal((await callback(w, body)).status, 202);
        assert.equal((await callback(w, participantsBody(idle, 1))).status, 202);
        assert.equal((await callback(w, transferBodies(busy, 'completed')[0])).status, 202);
        assert.equal((await getCall(w, done)).body.phase, 'completed');
        let gone = false;
        for (let i = 0; i < 50 && !gone; i++) {
          await new Promise((r) => setTimeout(r, 100));
          gone = (await getCall(w, done)).status === 404 && (await getCall(w, idle)).status === 404;
        }
        assert.ok(gone, 'the completed and the never-transferred calls were deleted');
        const kept = await getCall(w, busy);
        assert.equal(kept.status, 200);
        assert.equal(kept.body.phase, 'transferring');
      } finally {
        await w.dispose();
      }
    });
  });

  describe('keys from a JWKS URL', () => {
    it('fetches the keys once and verifies callbacks with them', async () => {
      const dir = await freshDir('jwks-url');
      const w = await startWorker({ persistDir: dir, bindings: bindings({ JWKS: '', JWKS_URL: `${graph.baseUrl}/keys` }) });
      try {
        const before = graph.keyFetches;
        for (let i = 0; i < 5; i++) assert.equal((await callback(w, participantsBody(`jwks-${i}`, i))).status, 202);
        assert.equal(graph.keyFetches - before, 1);
        assert.equal((await callback(w, participantsBody('jwks-x', 1), { authorization: `Bearer ${await other.sign(callbackClaims({ appId: APP_ID, tenant: TENANT }))}` })).status, 401);
      } finally {
        await w.dispose();
      }
    });

    it('an unreachable key endpoint is our failure: 503 with Retry-After, so Graph delivers again', async () => {
      const w = await startWorker({ persistDir: await freshDir('jwks-down'), bindings: bindings({ JWKS: '', JWKS_URL: 'http://127.0.0.1:1/keys' }) });
      try {
        const r = await callback(w, participantsBody('jwks-down', 1));
        assert.equal(r.status, 503);
        assert.equal(r.body.error, 'keyFetchFailed');
        assert.ok(Number(r.headers.get('retry-after')) > 0);
      } finally {
        await w.dispose();
      }
    });
  });
});
