// `graph-call-transfer/receive` (tests/js/entries.test.mjs runs this with the receive entries in
// Node, workerd and Chromium): the callback side works, through its own wasm, and the send side is
// absent. params: { appId, now (ms), key: { private, public } (an RSA JWK pair made by the node:test file) }.

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const encoder = new TextEncoder();
const ITEM = '{"changeType":"updated","resourceUrl":"/communications/calls/c1","resourceData":{"@odata.type":"#microsoft.graph.call","state":"transferring"}}';
const BODY = `{"value":[${ITEM}]}`;

function b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const part = (value) => b64url(encoder.encode(JSON.stringify(value)));

/** A compact RS256 JWS of `claims`, signed with the runtime's WebCrypto. */
async function sign(privateJwk, claims) {
  const key = await crypto.subtle.importKey('jwk', privateJwk, RSA, false, ['sign']);
  const input = `${part({ alg: 'RS256', kid: 'k1', typ: 'JWT' })}.${part(claims)}`;
  return `${input}.${b64url(new Uint8Array(await crypto.subtle.sign(RSA, key, encoder.encode(input))))}`;
}

function claims(params) {
  const now = Math.floor(params.now / 1000);
  return { iss: 'https://graph.microsoft.com', aud: params.appId, exp: now + 300, nbf: now - 60, tid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', appid: 'caller-app' };
}

function options(params) {
  return { appId: params.appId, jwks: { keys: [{ ...params.key.public, kid: 'k1', use: 'sig' }] }, clock: () => params.now };
}

export default function (t) {
  t.test('parses notifications and tracks a transfer', async ({ pkg, assert }) => {
    const { notifications, errors } = pkg.parseNotifications(BODY);
    assert.equal(errors.length, 0);
    assert.equal(notifications.length, 1);
    assert.equal(notifications[0].callId, 'c1');
    assert.equal(notifications[0].transfer, 'transferring');
    assert.throws(() => pkg.parseNotifications('{"value":'), { kind: 'invalidJson' });
    const tracker = new pkg.TransferTracker();
    assert.deepEqual(tracker.register('c1', { now: 0 }), []);
    const { transitions, errorCount } = tracker.observeBody(BODY, { now: 5, messageId: 'm1' });
    assert.equal(errorCount, 0);
    assert.deepEqual(transitions.map((x) => [x.callId, x.from, x.to, x.at]), [['c1', 'requested', 'transferring', 5]]);
    assert.deepEqual(tracker.observeBody(BODY, { now: 6, messageId: 'm1' }).transitions, [], 'a duplicate delivery');
    const restored = pkg.TransferTracker.fromJSON(JSON.stringify(tracker));
    assert.equal(restored.phase('c1'), 'transferring');
    tracker.free();
    restored.free();
  });

  t.test("verifies Graph's callback token and a whole callback request", async ({ pkg, assert, params }) => {
    const token = await sign(params.key.private, claims(params));
    assert.deepEqual(await pkg.verifyCallbackToken(`Bearer ${token}`, options(params)), claims(params));
    await assert.rejects(pkg.verifyCallbackToken(`Bearer ${token}`, { ...options(params), appId: 'another-app' }), { kind: 'wrongAudience' });
    const request = new Request('https://bot.example/callback', { method: 'POST', headers: { authorization: `Bearer ${token}` }, body: BODY });
    const verified = await pkg.verifyCallbackRequest(request, options(params));
    assert.deepEqual(verified.claims, claims(params));
    // Without a parser of its own, the request is parsed by the package's parseNotifications.
    assert.equal(verified.notifications.notifications[0].callId, 'c1');
  });

  t.test('has only the receive side', async ({ pkg, assert }) => {
    for (const name of ['buildTransferRequest', 'teamsUser', 'parseTransferBody', 'TransferRequest', 'sendTransfer', 'parseTransferResponse', 'decideRetry', 'GraphError', 'simulateTransfer']) {
      assert.equal(name in pkg, false, name);
    }
    assert.ok(pkg.isGraphCallTransferError(pkg.makeError('invalidType', '', 'x')));
  });
}
