// `graph-call-transfer/send` (tests/js/entries.test.mjs runs this with the send entries in Node,
// workerd and Chromium): the send side works, through its own wasm, and the receive side is absent.
// params.graph: the origin of the fake Graph server (tests/support/fake-graph.mjs).

const TARGET = { identity: { user: { id: 'u1' } } };

export default function (t) {
  t.test('builds requests (fast path and JSON fallback) and validates targets and bodies', async ({ pkg, assert }) => {
    const request = pkg.buildTransferRequest({ callId: 'c1', transferTarget: pkg.teamsUser('u1'), clientRequestId: 'r1' });
    assert.equal(request.url, 'https://graph.microsoft.com/v1.0/communications/calls/c1/transfer');
    assert.deepEqual(request.headers, { 'content-type': 'application/json', 'client-request-id': 'r1' });
    assert.equal(request.bodyText, JSON.stringify({ transferTarget: TARGET }));
    // A string that needs an escape takes JSON.stringify and the core's other export.
    const escaped = pkg.buildTransferRequest({ callId: 'c2', transferTarget: TARGET, clientContext: 'say "hi"', apiVersion: 'beta-2018' });
    assert.equal(escaped.url, 'https://graph.microsoft.com/beta/app/calls/c2/transfer');
    assert.deepEqual(escaped.body, { clientContext: 'say "hi"', target: TARGET });
    // A head option that is not a string (null) takes the JSON head.
    const viaJsonHead = pkg.buildTransferRequest({ callId: 'c3', transferTarget: TARGET, apiVersion: null, cloud: 'usGov' });
    assert.equal(viaJsonHead.url, 'https://graph.microsoft.us/v1.0/communications/calls/c3/transfer');
    assert.equal(pkg.phoneNumber('+12345678901').identity.phone.id, '+12345678901');
    assert.throws(() => pkg.phoneNumber('123'), { kind: 'notE164' });
    assert.throws(() => pkg.buildTransferRequest({ callId: 'a/b', transferTarget: TARGET }), { kind: 'unsafeCallId', path: 'callId' });
    assert.deepEqual(pkg.parseTransferBody(request.bodyText), { transferTarget: TARGET });
    assert.throws(() => pkg.parseTransferBody('{"transferTarget":{}}'), { kind: 'missingIdentity' });
  });

  t.test('parses responses, decides retries and sends a transfer', async ({ pkg, assert, params }) => {
    const ok = pkg.parseTransferResponse(202, { 'request-id': 'q1' }, '');
    assert.deepEqual(ok, { ok: true, status: 202, requestId: 'q1' });
    const throttled = pkg.parseTransferResponse(429, [['Retry-After', '3']], '{"error":{"code":"TooManyRequests","message":"m"}}');
    assert.equal(throttled.error.retryAfterMs, 3000);
    assert.deepEqual(pkg.decideRetry({ attempt: 1, outcome: { status: 429, retryAfterMs: 1200 }, startedAt: 0, now: 10, jitter: 0.5 }), { retry: true, delayMs: 1200, attempt: 2, retryAttempt: 1 });
    const run = crypto.randomUUID();
    const res = await fetch(`${params.graph}/_script/${run}`, { method: 'PUT', body: JSON.stringify([{ status: 503, retryAfter: 0 }, { status: 202 }]) });
    assert.equal(res.status, 204);
    const result = await pkg.sendTransfer({ callId: 'c9', transferTarget: TARGET, baseUrl: `${params.graph}/r/${run}`, clientRequestId: 'cid-9' }, { token: 't' });
    assert.equal(result.status, 202);
    assert.equal(result.attempts, 2);
    assert.equal(result.clientRequestId, 'cid-9');
  });

  t.test('has only the send side', async ({ pkg, assert }) => {
    for (const name of ['parseNotifications', 'TransferTracker', 'Notification', 'verifyCallbackToken', 'verifyCallbackRequest', 'CallbackKeySet', 'simulateTransfer']) {
      assert.equal(name in pkg, false, name);
    }
    assert.ok(pkg.isGraphCallTransferError(pkg.makeError('invalidType', '', 'x')));
    assert.equal(typeof pkg.GraphError, 'function');
  });
}
