// The Graph simulator and the playground server, through their public surfaces: the package's
// simulateTransfer, and HTTP against startPlayground() (transfer routes, SSE stream, signed
// callbacks, JWKS, config, static files).
import { test, describe, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { createPublicKey, verify as rsaVerify } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as main from '../../dist/node.js';
import * as simulator from '../../dist/simulator.js';

// The simulator is its own entry (graph-call-transfer/simulator); the rest is the main package.
const pkg = { ...main, ...simulator };
import { startPlayground } from '../../www/server.mjs';

const CALL = '341a0500-d4bf-4224-8b19-1581168d328b';
const USER_BODY = { transferTarget: { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } }, clientContext: 'ctx-1' };
const CONSULTATIVE_BODY = { transferTarget: { ...USER_BODY.transferTarget, replacesCallId: 'e5d39592-99bd-4db8-bca8-30fb894ec51d' } };
const BODY_2018 = { target: { identity: { user: { id: '8A34A46B-3D17-4ADC-8DCE-DC4E7D572698' } } }, clientContext: 'A904FBD5A31041E881E861877A3DE3CD' };
const fixture = (name) => JSON.parse(readFileSync(new URL(`../fixtures/notifications/${name}.json`, import.meta.url), 'utf8')).body;

describe('simulateTransfer (the core through JS)', () => {
  test('a success in v1.0 gives the documented notifications, deterministically', () => {
    const input = { callId: CALL, body: JSON.stringify(USER_BODY), seed: 5, now: 1521452762000 };
    const sim = pkg.simulateTransfer(input);
    assert.equal(sim.status, 202);
    assert.equal(sim.bodyText, '');
    assert.equal(sim.headers.date, 'Mon, 19 Mar 2018 09:46:02 GMT');
    assert.deepEqual(sim.notifications.map((n) => n.event), ['transferring', 'transferAccepted', 'transferCompleted']);
    assert.deepEqual(sim.notifications.map((n) => JSON.parse(n.bodyText)), [
      fixture('v1.0-01-transferring'), fixture('v1.0-01-transfer-accepted'), fixture('v1.0-01-transfer-completed'),
    ]);
    assert.deepEqual(pkg.simulateTransfer(input), sim);
    // Bytes, strings and objects are the same body.
    assert.deepEqual(pkg.simulateTransfer({ ...input, body: new TextEncoder().encode(JSON.stringify(USER_BODY)) }), sim);
    assert.deepEqual(pkg.simulateTransfer({ ...input, body: USER_BODY }), sim);
  });

  test('the 2018 beta answers 200 with a commsOperation and uses its own notification dialect', () => {
    const sim = pkg.simulateTransfer({ callId: '57DAB8B1894C409AB240BD8BEAE78896', apiVersion: 'beta-2018', body: BODY_2018, now: 1521452762000 });
    assert.equal(sim.status, 200);
    assert.equal(sim.headers['content-type'], 'application/json');
    const op = JSON.parse(sim.bodyText);
    assert.deepEqual(Object.keys(op), ['clientContext', 'createdDateTime', 'id', 'lastActionDateTime', 'status']);
    assert.equal(op.status, 'Running');
    assert.equal(op.clientContext, BODY_2018.clientContext);
    const states = sim.notifications.map((n) => {
      const item = JSON.parse(n.bodyText).value[0];
      assert.equal(item.resource, '/app/calls/57DAB8B1894C409AB240BD8BEAE78896');
      return `${item.changeType}:${item.resourceData.callState ?? '-'}:${item.resourceData.terminationReason ?? '-'}`;
    });
    assert.deepEqual(states, ['updated:transferring:-', 'updated:transfer-accepted:-', 'updated:terminated:AppTransferred', 'deleted:terminated:AppInitiated']);
  });

  test('bad request bodies are answered 400 with a Graph error envelope naming the path', () => {
    const sim = pkg.simulateTransfer({ callId: CALL, body: { transferTarget: { identity: { phone: { id: '555-0100' } } } }, clientRequestId: 'c-1' });
    assert.equal(sim.status, 400);
    assert.deepEqual(sim.notifications, []);
    const { error } = JSON.parse(sim.bodyText);
    assert.equal(error.code, 'BadRequest');
    assert.match(error.message, /^transferTarget\.identity\.phone\.id: "555-0100" is not an E\.164/);
    assert.equal(error.innerError['client-request-id'], 'c-1');
    assert.equal(error.innerError['request-id'], sim.headers['request-id']);
  });

  test('bad simulator input throws typed errors', () => {
    const kinds = [
      [{ callId: CALL, scenario: 'sucess' }, 'unknownOption', 'scenario'],
      [{ callId: CALL, apiVersion: 'v2' }, 'unknownApiVersion', 'apiVersion'],
      [{ body: '{}' }, 'missingField', 'callId'],
      [{ callId: CALL, stepMs: -1 }, 'outOfRange', 'stepMs'],
      [{ callId: CALL, seed: 1.5 }, 'outOfRange', 'seed'],
      [{ callId: CALL, colour: 'red' }, 'unknownOption', 'colour'],
      [{ callId: CALL, clientRequestId: 7 }, 'invalidType', 'clientRequestId'],
    ];
    for (const [input, kind, path] of kinds) {
      assert.throws(() => pkg.simulateTransfer(input), (e) => pkg.isGraphCallTransferError(e) && e.kind === kind && e.path === path, JSON.stringify(input));
    }
    assert.throws(() => pkg.simulateTransfer(null), (e) => e.kind === 'invalidType');
  });

  test('every scenario has a schedule in delivery order, and the list matches the core', () => {
    assert.deepEqual([...pkg.SIMULATOR_SCENARIOS], ['success', 'successAppTransferred', 'successResultInfo', 'failure', 'duplicated', 'outOfOrder', 'slowTarget', 'throttled', 'stalled']);
    for (const scenario of pkg.SIMULATOR_SCENARIOS) {
      for (const apiVersion of ['v1.0', 'beta', 'beta-2018']) {
        const body = apiVersion === 'beta-2018' ? BODY_2018 : USER_BODY;
        const sim = pkg.simulateTransfer({ scenario, apiVersion, callId: CALL, body, attempt: 2, stepMs: 10 });
        assert.ok(sim.status === 200 || sim.status === 202, `${scenario} ${apiVersion}`);
        const delays = sim.notifications.map((n) => n.delayMs);
        assert.deepEqual(delays, [...delays].sort((a, b) => a - b));
        assert.ok(sim.notifications.length >= 1);
      }
    }
    const failure = pkg.simulateTransfer({ scenario: 'failure', callId: CALL, body: CONSULTATIVE_BODY });
    assert.equal(JSON.parse(failure.notifications[1].bodyText).value[0].resourceData.resultInfo.subCode, 7700);
  });

  test('the notifications parse with the package parser and drive the tracker to the scenario\'s phase', () => {
    const expected = { success: 'completed', successAppTransferred: 'completed', successResultInfo: 'completed', failure: 'failed', duplicated: 'completed', outOfOrder: 'completed', slowTarget: 'completed', throttled: 'completed', stalled: 'stalled' };
    for (const apiVersion of ['v1.0', 'beta', 'beta-2018']) {
      for (const scenario of pkg.SIMULATOR_SCENARIOS) {
        const body = apiVersion === 'beta-2018' ? BODY_2018 : USER_BODY;
        const sim = pkg.simulateTransfer({ scenario, apiVersion, callId: CALL, body, attempt: 2, stepMs: 100 });
        const tracker = new pkg.TransferTracker({ stallAfterMs: 5000 });
        tracker.register(CALL, { clientContext: body.clientContext, now: 0 });
        for (const n of sim.notifications) {
          const parsed = pkg.parseNotifications(n.bodyText);
          assert.deepEqual(parsed.errors, [], `${scenario} ${apiVersion}`);
          assert.equal(parsed.notifications[0].callId, CALL);
          tracker.observe(parsed, { messageId: n.messageId, now: n.delayMs });
        }
        tracker.tick(100_000);
        assert.equal(tracker.phase(CALL), expected[scenario], `${scenario} ${apiVersion}`);
        if (scenario === 'duplicated') assert.ok(tracker.get(CALL).duplicates >= 3);
        tracker.free();
      }
    }
  });
});

/** Reads a Server-Sent Events stream, calling onEvent({event, id, data}) until the signal aborts. */
async function readEvents(url, onEvent, signal) {
  const response = await fetch(url, { signal });
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  try {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) return;
      buffer += value;
      let end;
      while ((end = buffer.indexOf('\n\n')) >= 0) {
        const frame = buffer.slice(0, end);
        buffer = buffer.slice(end + 2);
        const event = { event: 'message', data: '' };
        for (const line of frame.split('\n')) {
          const colon = line.indexOf(':');
          if (colon <= 0) continue;
          const key = line.slice(0, colon);
          const value2 = line.slice(colon + 1).replace(/^ /, '');
          if (key === 'data') event.data += value2;
          else event[key] = value2;
        }
        if (event.data) onEvent({ ...event, data: JSON.parse(event.data) });
      }
    }
  } catch (error) {
    if (error.name !== 'AbortError') throw error;
  }
}

/** Waits until `predicate()` holds, polling every 20 ms, for at most `ms`. */
async function until(predicate, ms, what) {
  const deadline = Date.now() + ms;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

describe('the playground server', () => {
  let pg;
  let base;
  const events = [];
  const stream = new AbortController();
  before(async () => {
    pg = await startPlayground({ port: 0, stepMs: 20 });
    base = pg.url.replace(/\/$/, '');
    readEvents(`${base}/simulator/events`, (e) => events.push(e), stream.signal);
    await until(() => events.some((e) => e.event === 'hello'), 5000, 'the hello event');
  });
  after(async () => {
    stream.abort();
    await pg.close();
  });

  const post = (path, body, headers = {}) => fetch(`${base}${path}`, { method: 'POST', headers: { 'content-type': 'application/json', ...headers }, body: typeof body === 'string' ? body : JSON.stringify(body) });
  const notificationsOf = (callId) => events.filter((e) => e.event === 'notification' && e.data.callId === callId).map((e) => e.data);

  test('listens on 127.0.0.1 and serves the page, the package and the wasm, and nothing else', async () => {
    assert.match(pg.url, /^http:\/\/127\.0\.0\.1:\d+\/$/);
    const page = await fetch(pg.url);
    assert.equal(page.status, 200);
    assert.match(page.headers.get('content-type'), /text\/html/);
    assert.match(await page.text(), /<script type="module" src="\/app.js">/);
    for (const [path, type] of [['/app.js', /javascript/], ['/style.css', /css/], ['/dist/browser.js', /javascript/], ['/pkg/graph_call_transfer.js', /javascript/], ['/pkg/graph_call_transfer_bg.wasm', /application\/wasm/]]) {
      const r = await fetch(`${base}${path}`);
      assert.equal(r.status, 200, path);
      assert.match(r.headers.get('content-type'), type, path);
      await r.arrayBuffer();
    }
    for (const path of ['/server.mjs', '/simulator.mjs', '/js/%2e%2e/package.json', '/..%2fpackage.json', '/pkg/../Cargo.toml', '/nope.html']) {
      const r = await fetch(`${base}${path}`);
      assert.equal(r.status, 404, path);
      await r.arrayBuffer();
    }
  });

  test('a v1.0 transfer is answered 202 and its notifications stream in order', async () => {
    const callId = 'node-success-1';
    const r = await post(`/v1.0/communications/calls/${callId}/transfer`, USER_BODY, { 'client-request-id': 'crid-1' });
    assert.equal(r.status, 202);
    assert.equal(r.headers.get('client-request-id'), 'crid-1');
    assert.match(r.headers.get('request-id'), /^[0-9a-f-]{36}$/);
    assert.equal(r.headers.get('access-control-allow-origin'), '*');
    assert.match(r.headers.get('access-control-expose-headers'), /retry-after/);
    assert.equal(await r.text(), '');
    await until(() => notificationsOf(callId).length === 3, 5000, 'three notifications');
    const got = notificationsOf(callId);
    assert.deepEqual(got.map((n) => n.event), ['transferring', 'transferAccepted', 'transferCompleted']);
    for (const n of got) {
      const body = JSON.parse(n.bodyText);
      assert.equal(body['@odata.type'], '#microsoft.graph.commsNotifications');
      assert.equal(body.value[0].resourceUrl, `/communications/calls/${callId}`);
    }
    const request = events.find((e) => e.event === 'request' && e.data.callId === callId).data;
    assert.equal(request.status, 202);
    assert.equal(request.scenario, 'success');
  });

  test('the scenario is chosen per request: /sim/{scenario} prefix or x-simulator-scenario header', async () => {
    let r = await post(`/sim/failure/beta/communications/calls/node-fail-1/transfer`, CONSULTATIVE_BODY);
    assert.equal(r.status, 202);
    r = await post(`/beta/communications/calls/node-dup-1/transfer`, USER_BODY, { 'x-simulator-scenario': 'duplicated' });
    assert.equal(r.status, 202);
    await until(() => notificationsOf('node-fail-1').length === 2 && notificationsOf('node-dup-1').length === 6, 5000, 'failure and duplicate notifications');
    const failed = JSON.parse(notificationsOf('node-fail-1')[1].bodyText).value[0].resourceData;
    assert.equal(failed.state, 'established');
    assert.equal(failed.resultInfo.subCode, 7700);
    const dup = notificationsOf('node-dup-1');
    assert.equal(new Set(dup.map((n) => n.messageId)).size, 3);
    r = await post(`/sim/nonsense/v1.0/communications/calls/x/transfer`, USER_BODY);
    assert.equal(r.status, 400);
    assert.match((await r.json()).error.message, /unknown simulator scenario "nonsense"/);
  });

  test('the 2018 endpoint answers 200 with a commsOperation', async () => {
    const r = await post('/beta/app/calls/node2018/transfer', BODY_2018);
    assert.equal(r.status, 200);
    const op = await r.json();
    assert.equal(op.status, 'Running');
    assert.equal(op.clientContext, BODY_2018.clientContext);
    await until(() => notificationsOf('node2018').length === 4, 5000, 'four 2018 notifications');
    assert.equal(JSON.parse(notificationsOf('node2018')[1].bodyText).value[0].resourceData.callState, 'transfer-accepted');
    // A today's body on the 2018 endpoint is refused with the dialect error.
    const bad = await post('/beta/app/calls/node2018b/transfer', USER_BODY);
    assert.equal(bad.status, 400);
    assert.match((await bad.json()).error.message, /^transferTarget: is not part of the beta-2018 API/);
  });

  test('bad bodies, oversized bodies and wrong methods get Graph error envelopes', async () => {
    let r = await post('/v1.0/communications/calls/abc/transfer', '{"transferTarget":');
    assert.equal(r.status, 400);
    let body = await r.json();
    assert.equal(body.error.code, 'BadRequest');
    assert.match(body.error.message, /not valid JSON/);
    assert.ok(body.error.innerError['request-id']);
    r = await post('/v1.0/communications/calls/abc/transfer', { transferTarget: { identity: {} } });
    assert.match((await r.json()).error.message, /^transferTarget\.identity: needs an identity/);
    r = await post('/v1.0/communications/calls/abc/transfer', 'x'.repeat((1 << 20) + 10));
    assert.equal(r.status, 413);
    await r.arrayBuffer();
    r = await fetch(`${base}/v1.0/communications/calls/abc/transfer`);
    assert.equal(r.status, 405);
    await r.arrayBuffer();
    r = await fetch(`${base}/v1.0/communications/calls/abc/transfer`, { method: 'OPTIONS' });
    assert.equal(r.status, 204);
    assert.match(r.headers.get('access-control-allow-headers'), /client-request-id/);
    assert.match(r.headers.get('access-control-allow-headers'), /retry-attempt/);
  });

  test('throttled: 429 with Retry-After, then a retry with the same client-request-id (or Retry-Attempt) goes through', async () => {
    const path = '/sim/throttled/v1.0/communications/calls/node-throttle/transfer';
    let r = await post(path, USER_BODY, { 'client-request-id': 'crid-throttle' });
    assert.equal(r.status, 429);
    assert.equal(r.headers.get('retry-after'), '1');
    assert.equal((await r.json()).error.code, 'TooManyRequests');
    r = await post(path, USER_BODY, { 'client-request-id': 'crid-throttle' });
    assert.equal(r.status, 202);
    await r.arrayBuffer();
    r = await post('/sim/throttled/v1.0/communications/calls/node-throttle-2/transfer', USER_BODY, { 'retry-attempt': '1' });
    assert.equal(r.status, 202);
    await r.arrayBuffer();
    await until(() => notificationsOf('node-throttle').length === 3, 5000, 'notifications after the retry');
  });

  test('the package\'s sendTransfer retries the throttled answer and reads the 2018 commsOperation', async () => {
    const request = pkg.buildTransferRequest({ callId: 'node-send-1', transferTarget: USER_BODY.transferTarget, baseUrl: `${base}/sim/throttled`, clientRequestId: true });
    const result = await pkg.sendTransfer(request, { token: 'anything' });
    assert.equal(result.status, 202);
    assert.equal(result.attempts, 2);
    const requestsOf = () => events.filter((e) => e.event === 'request' && e.data.callId === 'node-send-1').map((e) => e.data);
    await until(() => requestsOf().length === 2, 5000, 'two request events');
    const requests = requestsOf();
    assert.deepEqual(requests.map((r) => r.status), [429, 202]);
    assert.equal(requests[0].clientRequestId, result.clientRequestId);
    assert.equal(requests[1].clientRequestId, result.clientRequestId);
    const old = pkg.buildTransferRequest({ callId: 'node-send-2', apiVersion: 'beta-2018', transferTarget: BODY_2018.target, clientContext: 'ctx-2018', baseUrl: base });
    const answered = await pkg.sendTransfer(old, { token: 'anything' });
    assert.equal(answered.status, 200);
    assert.equal(answered.operation.clientContext, 'ctx-2018');
    assert.equal(answered.operation.status, 'Running');
    // A refused body surfaces as a GraphError with the simulator's message.
    const bad = { url: `${base}/v1.0/communications/calls/node-send-3/transfer`, headers: { 'content-type': 'application/json' }, bodyText: '{"transferTarget":{}}' };
    await assert.rejects(pkg.sendTransfer(bad, { token: 'x' }), (e) => pkg.isGraphError(e) && e.status === 400 && e.code === 'BadRequest' && /transferTarget/.test(e.message));
  });

  test('config: the callback URL must be loopback; unknown keys are refused', async () => {
    for (const patch of [{ callbackUrl: 'https://example.com/cb' }, { callbackUrl: 'ftp://127.0.0.1/x' }, { colour: 1 }, { stepMs: -1 }, { token: 'forged' }]) {
      const r = await post('/simulator/config', patch);
      assert.equal(r.status, 400, JSON.stringify(patch));
      await r.arrayBuffer();
    }
    const r = await fetch(`${base}/simulator/config`);
    const config = await r.json();
    assert.equal(config.callbackUrl, null);
    assert.deepEqual(config.scenarios, [...pkg.SIMULATOR_SCENARIOS]);
  });

  test('callbacks are POSTed with a bearer JWT that verifies against the simulator JWKS', async () => {
    const received = [];
    let watching = 'node-callback';
    const receiver = createServer((req, res) => {
      const chunks = [];
      req.on('data', (c) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        // Only this test's calls (other tests' notifications may still be in flight).
        if (body.includes(`/calls/${watching}"`)) received.push({ headers: req.headers, body });
        res.writeHead(202).end();
      });
    });
    await new Promise((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const callbackUrl = `http://127.0.0.1:${receiver.address().port}/api/calls`;
    try {
      const appId = 'a0b1c2d3-0000-4000-8000-000000000001';
      let r = await post('/simulator/config', { callbackUrl, appId, token: 'valid' });
      assert.equal(r.status, 200);
      await r.arrayBuffer();
      r = await post('/v1.0/communications/calls/node-callback/transfer', USER_BODY);
      assert.equal(r.status, 202);
      await until(() => received.length === 3, 5000, 'three callbacks');
      await until(() => events.filter((e) => e.event === 'callback' && e.data.callId === 'node-callback').length === 3, 5000, 'callback events');
      assert.ok(events.filter((e) => e.event === 'callback' && e.data.callId === 'node-callback').every((e) => e.data.status === 202));

      const jwks = await (await fetch(`${base}/simulator/jwks`)).json();
      const openid = await (await fetch(`${base}/simulator/.well-known/openid-configuration`)).json();
      assert.equal(openid.jwks_uri, `${base}/simulator/jwks`);
      assert.equal(openid.issuer, 'https://graph.microsoft.com');
      const sent = notificationsOf('node-callback');
      // Callbacks are concurrent POSTs, so they may arrive in any order (as with Graph): match by message id.
      assert.deepEqual(received.map((cb) => cb.headers['x-microsoft-skype-message-id']).sort(), sent.map((n) => n.messageId).sort());
      for (const cb of received) {
        assert.equal(cb.headers['content-type'], 'application/json');
        assert.equal(cb.body, sent.find((n) => n.messageId === cb.headers['x-microsoft-skype-message-id']).bodyText);
        const [scheme, token] = cb.headers.authorization.split(' ');
        assert.equal(scheme, 'Bearer');
        const [h, p, s] = token.split('.');
        const header = JSON.parse(Buffer.from(h, 'base64url'));
        const claims = JSON.parse(Buffer.from(p, 'base64url'));
        assert.equal(header.alg, 'RS256');
        const jwk = jwks.keys.find((k) => k.kid === header.kid);
        assert.ok(jwk, 'the kid is in the JWKS');
        const key = createPublicKey({ key: jwk, format: 'jwk' });
        assert.ok(rsaVerify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')), 'the signature verifies');
        assert.equal(claims.iss, 'https://graph.microsoft.com');
        assert.equal(claims.aud, appId);
        assert.ok(claims.tid);
        const now = Math.floor(Date.now() / 1000);
        assert.ok(claims.exp > now && claims.exp <= now + 301, 'exp is within 300 s');
        const verified = await pkg.verifyCallbackToken(cb.headers.authorization, { appId, jwksUrl: `${base}/simulator/jwks` });
        assert.equal(verified.aud, appId);
      }

      // Broken tokens for testing a handler's refusals.
      received.length = 0;
      watching = 'node-badsig';
      r = await post('/simulator/config', { token: 'badSignature' });
      await r.arrayBuffer();
      r = await post('/sim/stalled/v1.0/communications/calls/node-badsig/transfer', USER_BODY);
      await r.arrayBuffer();
      await until(() => received.length === 1, 5000, 'the bad-signature callback');
      const [h, p, s] = received[0].headers.authorization.slice(7).split('.');
      const key = createPublicKey({ key: jwks.keys[0], format: 'jwk' });
      assert.equal(rsaVerify('sha256', Buffer.from(`${h}.${p}`), key, Buffer.from(s, 'base64url')), false);
      await assert.rejects(pkg.verifyCallbackToken(received[0].headers.authorization, { appId, jwksUrl: `${base}/simulator/jwks` }), (e) => e.kind === 'badSignature');
      received.length = 0;
      watching = 'node-notoken';
      r = await post('/simulator/config', { token: 'none' });
      await r.arrayBuffer();
      r = await post('/sim/stalled/v1.0/communications/calls/node-notoken/transfer', USER_BODY);
      await r.arrayBuffer();
      await until(() => received.length === 1, 5000, 'the token-less callback');
      assert.equal(received[0].headers.authorization, undefined);
      // A signed token for the expired flavour has exp in the past.
      const expired = pg.simulator.signToken({ flavour: 'expired' });
      assert.ok(JSON.parse(Buffer.from(expired.split('.')[1], 'base64url')).exp < Date.now() / 1000);
    } finally {
      const r = await post('/simulator/config', { callbackUrl: null, token: 'valid' });
      await r.arrayBuffer();
      await new Promise((resolve) => receiver.close(resolve));
    }
  });

  test('the sample bot at /bot/callback verifies the token with the package and refuses bad ones', async () => {
    const bots = () => events.filter((e) => e.event === 'bot').map((e) => e.data);
    try {
      for (const [token, verified, kind, status] of [['valid', true, undefined, 202], ['expired', false, 'expired', 403], ['wrongAudience', false, 'wrongAudience', 403], ['none', false, 'missingToken', 401]]) {
        let r = await post('/simulator/config', { callbackUrl: `${base}/bot/callback`, token });
        assert.equal(r.status, 200);
        await r.arrayBuffer();
        r = await post(`/sim/stalled/v1.0/communications/calls/node-bot-${token}/transfer`, USER_BODY);
        await r.arrayBuffer();
        const callId = `node-bot-${token}`;
        await until(() => events.some((e) => e.event === 'request' && e.data.callId === callId), 5000, 'the request event');
        const { transferId } = events.find((e) => e.event === 'request' && e.data.callId === callId).data;
        await until(() => bots().some((b) => b.transferId === transferId), 5000, `the sample bot's report for ${token}`);
        const report = bots().find((b) => b.transferId === transferId);
        assert.equal(report.verified, verified, token);
        assert.equal(report.kind, kind, token);
        assert.equal(report.status, status, token);
        if (verified) assert.deepEqual(report.callIds, [`node-bot-${token}`]);
        await until(() => events.some((e) => e.event === 'callback' && e.data.callId === `node-bot-${token}`), 5000, 'the callback event');
        assert.equal(events.find((e) => e.event === 'callback' && e.data.callId === `node-bot-${token}`).data.status, status);
      }
    } finally {
      const r = await post('/simulator/config', { callbackUrl: null, token: 'valid' });
      await r.arrayBuffer();
    }
  });

  test('a reconnecting stream client gets the events it missed (Last-Event-ID)', async () => {
    // Three refused requests: three `request` events and nothing else.
    for (const n of [1, 2, 3]) {
      const r = await post(`/v1.0/communications/calls/node-replay-${n}/transfer`, '{}');
      assert.equal(r.status, 400);
      await r.arrayBuffer();
    }
    await until(() => events.some((e) => e.event === 'request' && e.data.callId === 'node-replay-3'), 5000, 'the third request event');
    const first = events.find((e) => e.event === 'request' && e.data.callId === 'node-replay-1');
    const response = await fetch(`${base}/simulator/events`, { headers: { 'last-event-id': String(Number(first.id) - 1) } });
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let text = '';
    const deadline = Date.now() + 5000;
    while (!text.includes('node-replay-3') && Date.now() < deadline) {
      const { value, done } = await reader.read();
      if (done) break;
      text += value;
    }
    await reader.cancel();
    const replayed = [...text.matchAll(/"callId":"(node-replay-\d)"/g)].map((m) => m[1]);
    assert.deepEqual(replayed, ['node-replay-1', 'node-replay-2', 'node-replay-3']);
  });

  test('a second playground can run beside the first, and close() stops the timers', async () => {
    const other = await startPlayground({ port: 0, stepMs: 5000 });
    assert.notEqual(other.port, pg.port);
    const r = await fetch(`${other.url}v1.0/communications/calls/x/transfer`, { method: 'POST', body: JSON.stringify(USER_BODY) });
    assert.equal(r.status, 202);
    await r.arrayBuffer();
    const started = Date.now();
    await other.close();
    assert.ok(Date.now() - started < 3000);
    await assert.rejects(startPlayground({ host: '0.0.0.0' }), /loopback/);
  });
});
