// Portable transport suite: runs unchanged in Node, workerd and Chromium against the fake Graph
// server (tests/support/fake-graph.mjs) started by tests/js/transport.test.mjs; params.graph is its
// origin. Every test scripts its own run of the server, sends real HTTP with the runtime's own
// fetch, and then asks the server what it received.

const TARGET = { identity: { user: { id: '8A34A46B-3D17-4ADC-8DCE-DC4E7D572698' } } };
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Scripts a fresh run of the fake server; returns its base URL and a reader of what it saw. */
async function script(ctx, steps) {
  const run = crypto.randomUUID();
  const res = await fetch(`${ctx.params.graph}/_script/${run}`, { method: 'PUT', body: JSON.stringify(steps) });
  ctx.assert.equal(res.status, 204, 'the fake server accepted the script');
  return {
    run,
    baseUrl: `${ctx.params.graph}/r/${run}`,
    seen: async () => (await fetch(`${ctx.params.graph}/_seen/${run}`)).json(),
  };
}

function options(baseUrl, extra = {}) {
  return { callId: 'call-1', transferTarget: TARGET, baseUrl, ...extra };
}

/** Awaits a rejection and returns the error. */
async function caught(ctx, promise) {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  ctx.assert.ok(false, 'expected a rejection');
}

const graphError = (status, code, message, inner) => ({
  status,
  json: { error: { code, message, ...inner } },
});

export default function (t) {
  t.test('202: one POST with authorization, content-type, the stable client-request-id and the exact body', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 202 }]);
    const request = pkg.buildTransferRequest(options(fake.baseUrl, { clientRequestId: 'fixed-id-1', clientContext: 'ctx-1' }));
    const result = await pkg.sendTransfer(request, { token: 'token-1' });
    const seen = await fake.seen();
    assert.equal(seen.length, 1);
    assert.equal(seen[0].method, 'POST');
    assert.match(seen[0].path, /\/v1\.0\/communications\/calls\/call-1\/transfer$/);
    assert.equal(seen[0].headers.authorization, 'Bearer token-1');
    assert.equal(seen[0].headers['content-type'], 'application/json');
    assert.equal(seen[0].headers['client-request-id'], 'fixed-id-1');
    assert.equal(seen[0].headers['retry-attempt'], undefined, 'no Retry-Attempt on the first attempt');
    assert.equal(seen[0].body, request.bodyText);
    assert.deepEqual(result, { status: 202, requestId: `req-${fake.run.slice(0, 8)}-1`, clientRequestId: 'fixed-id-1', attempts: 1 });
  });

  t.test('a request without a client-request-id gets a generated UUID, and options are built on the fly', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 202 }]);
    const result = await pkg.sendTransfer(options(fake.baseUrl), { token: async () => 'token-async' });
    const [attempt] = await fake.seen();
    assert.match(result.clientRequestId, UUID);
    assert.equal(attempt.headers['client-request-id'], result.clientRequestId);
    assert.equal(attempt.headers.authorization, 'Bearer token-async');
  });

  t.test('200 with a commsOperation (2018 beta) is success and returns the operation', async (ctx) => {
    const { pkg, assert } = ctx;
    const operation = {
      clientContext: 'clientContext-value',
      createdDateTime: '2018-03-19T09:46:02Z',
      id: 'id-value',
      lastActionDateTime: '2018-03-19T09:46:02Z',
      status: 'Running',
    };
    const fake = await script(ctx, [{ status: 200, json: operation }]);
    const result = await pkg.sendTransfer(options(fake.baseUrl, { apiVersion: 'beta-2018' }), { token: 't' });
    assert.equal(result.status, 200);
    assert.deepEqual(result.operation, operation);
    const [attempt] = await fake.seen();
    assert.match(attempt.path, /\/beta\/app\/calls\/call-1\/transfer$/);
  });

  t.test('400, 401, 403 and 404 become GraphErrors with Graph’s fields and are never retried', async (ctx) => {
    const { pkg, assert } = ctx;
    const cases = [
      [400, 'BadRequest', 'Invalid transfer target', 'innerError'],
      [401, 'InvalidAuthenticationToken', 'Access token has expired.', 'innererror'],
      [403, 'Forbidden', 'Application does not have permission Calls.Initiate.All', 'innerError'],
      [404, 'itemNotFound', 'Call not found', 'innererror'],
    ];
    for (const [status, code, message, spelling] of cases) {
      const inner = { [spelling]: { date: '2026-11-27T12:00:00', 'request-id': `rid-${status}`, 'client-request-id': `cid-${status}` } };
      const fake = await script(ctx, [graphError(status, code, message, inner)]);
      const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl, { clientRequestId: `cid-${status}` }), { token: 't' }));
      assert.ok(pkg.isGraphError(error), `${status} is a GraphError`);
      assert.ok(error instanceof Error);
      assert.equal(error.name, 'GraphError');
      assert.equal(error.kind, 'graph');
      assert.equal(error.status, status);
      assert.equal(error.code, code);
      assert.equal(error.message, message);
      assert.equal(error.requestId, `rid-${status}`);
      assert.equal(error.clientRequestId, `cid-${status}`);
      assert.equal(error.date, '2026-11-27T12:00:00');
      assert.equal(error.retryAfterMs, undefined);
      assert.equal(error.attempts, 1);
      assert.equal(error.stopReason, 'notRetryable');
      assert.equal((await fake.seen()).length, 1, `${status} was sent once`);
    }
  });

  t.test('429 with Retry-After in seconds is retried after the wait, with Retry-Attempt and the same id', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [graphError(429, 'TooManyRequests', 'Slow down', {}), { status: 202 }].map((s, i) => (i === 0 ? { ...s, retryAfter: 1 } : s)));
    const result = await pkg.sendTransfer(options(fake.baseUrl), { token: 't' });
    const seen = await fake.seen();
    assert.equal(result.attempts, 2);
    assert.equal(seen.length, 2);
    assert.equal(seen[1].headers['retry-attempt'], '1');
    assert.equal(seen[0].headers['client-request-id'], result.clientRequestId);
    assert.equal(seen[1].headers['client-request-id'], result.clientRequestId);
    assert.equal(seen[1].body, seen[0].body);
    assert.ok(seen[1].at - seen[0].at >= 990, `waited ${seen[1].at - seen[0].at} ms for Retry-After: 1`);
  });

  t.test('429 with Retry-After as an HTTP date is honoured', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 429, retryAfterInMs: 2000 }, { status: 202 }]);
    const result = await pkg.sendTransfer(options(fake.baseUrl), { token: 't' });
    const seen = await fake.seen();
    assert.equal(result.attempts, 2);
    // The date has one-second resolution: the wait is between 1 and 2 s.
    assert.ok(seen[1].at - seen[0].at >= 900, `waited ${seen[1].at - seen[0].at} ms for a date ~2 s ahead`);
    assert.equal(seen[1].headers['retry-attempt'], '1');
  });

  t.test('429 asking for longer than maxRetryAfterMs stops with retryAfterMs on the error', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ ...graphError(429, 'TooManyRequests', 'Later'), retryAfter: 3600 }]);
    const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl), { token: 't' }));
    assert.equal(error.status, 429);
    assert.equal(error.retryAfterMs, 3_600_000);
    assert.equal(error.stopReason, 'retryAfterTooLong');
    assert.equal((await fake.seen()).length, 1);
  });

  t.test('a 429 that never ends stops at maxAttempts, numbering Retry-Attempt', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 429, retryAfter: 0 }]);
    const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl), { token: 't', retry: { maxAttempts: 4 } }));
    const seen = await fake.seen();
    assert.equal(error.attempts, 4);
    assert.equal(error.stopReason, 'attemptsExhausted');
    assert.deepEqual(seen.map((a) => a.headers['retry-attempt']), [undefined, '1', '2', '3']);
    assert.equal(new Set(seen.map((a) => a.headers['client-request-id'])).size, 1);
  });

  t.test('429 without Retry-After backs off and retries; retry: false sends once', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 429 }, { status: 202 }]);
    const result = await pkg.sendTransfer(options(fake.baseUrl), { token: 't', retry: { baseDelayMs: 40 } });
    assert.equal(result.attempts, 2);
    const once = await script(ctx, [{ status: 429 }, { status: 202 }]);
    const error = await caught(ctx, pkg.sendTransfer(options(once.baseUrl), { token: 't', retry: false }));
    assert.equal(error.stopReason, 'attemptsExhausted');
    assert.equal((await once.seen()).length, 1);
  });

  t.test('503 is retried only when Graph sent Retry-After', async (ctx) => {
    const { pkg, assert } = ctx;
    const withHeader = await script(ctx, [{ status: 503, retryAfter: 1, body: '' }, { status: 202 }]);
    const result = await pkg.sendTransfer(options(withHeader.baseUrl), { token: 't' });
    assert.equal(result.attempts, 2);
    assert.equal((await withHeader.seen()).length, 2);

    const without = await script(ctx, [{ status: 503 }, { status: 202 }]);
    const error = await caught(ctx, pkg.sendTransfer(options(without.baseUrl), { token: 't' }));
    assert.equal(error.status, 503);
    assert.equal(error.code, 'serviceUnavailable');
    assert.equal(error.message, 'HTTP 503 Service Unavailable with an empty body');
    assert.equal(error.stopReason, 'mayHaveRun');
    assert.equal((await without.seen()).length, 1, 'a 503 without Retry-After is not re-POSTed');
  });

  t.test('a Retry-After hidden by CORS (as Graph hides it) is seen in Node and workerd, not in a browser', async (ctx) => {
    const { pkg, assert, runtime } = ctx;
    const browser = runtime === 'chromium';
    const fake = await script(ctx, [{ status: 503, retryAfter: 0, hideRetryAfter: true }, { status: 202 }]);
    if (browser) {
      // The browser drops the header: a 503 then looks unprocessed-or-not, and is not re-POSTed.
      const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl), { token: 't' }));
      assert.equal(error.retryAfterMs, undefined);
      assert.equal(error.stopReason, 'mayHaveRun');
      assert.equal((await fake.seen()).length, 1);
    } else {
      const result = await pkg.sendTransfer(options(fake.baseUrl), { token: 't' });
      assert.equal(result.attempts, 2);
    }
    // A 429 is retried either way: with the header's wait, or with backoff when it is hidden.
    const throttled = await script(ctx, [{ status: 429, retryAfter: 0, hideRetryAfter: true }, { status: 202 }]);
    const result = await pkg.sendTransfer(options(throttled.baseUrl), { token: 't', retry: { baseDelayMs: 20 } });
    assert.equal(result.attempts, 2);
  });

  t.test('504 is never re-POSTed by default, only with retryUnsafe', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [graphError(504, 'UnknownError', 'Gateway timeout'), { status: 202 }]);
    const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl), { token: 't' }));
    assert.equal(error.status, 504);
    assert.equal(error.stopReason, 'mayHaveRun');
    assert.equal((await fake.seen()).length, 1);

    const optIn = await script(ctx, [graphError(504, 'UnknownError', 'Gateway timeout'), { status: 202 }]);
    const result = await pkg.sendTransfer(options(optIn.baseUrl), { token: 't', retry: { retryUnsafe: true, baseDelayMs: 20 } });
    assert.equal(result.attempts, 2);
    assert.equal((await optIn.seen()).length, 2);
  });

  t.test('a response slower than timeoutMs is a timeout and is not re-POSTed', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 202, delayMs: 1500 }]);
    const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl), { token: 't', timeoutMs: 150 }));
    assert.ok(pkg.isTransportError(error));
    assert.equal(error.name, 'TransportError');
    assert.equal(error.kind, 'timeout');
    assert.equal(error.attempts, 1);
    assert.equal(error.stopReason, 'mayHaveRun');
    assert.match(error.clientRequestId, UUID);
    assert.equal((await fake.seen()).length, 1);
  });

  t.test('a dropped connection is a network error; retried only with retryUnsafe', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ reset: true }, { status: 202 }]);
    const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl), { token: 't' }));
    assert.equal(error.kind, 'network');
    assert.equal(error.attempts, 1);
    assert.equal((await fake.seen()).length, 1, 'not re-POSTed');

    const optIn = await script(ctx, [{ reset: true }, { status: 202 }]);
    const result = await pkg.sendTransfer(options(optIn.baseUrl), { token: 't', retry: { retryUnsafe: true, baseDelayMs: 20 } });
    assert.equal(result.attempts, 2);
    const seen = await optIn.seen();
    assert.equal(seen[1].headers['client-request-id'], seen[0].headers['client-request-id']);
  });

  t.test('an HTML error page still gives a useful GraphError', async (ctx) => {
    const { pkg, assert } = ctx;
    const html = '<!DOCTYPE html>\n<html><head><title>502 Bad Gateway</title></head><body><h1>Bad Gateway</h1></body></html>';
    const fake = await script(ctx, [{ status: 502, body: html, headers: { 'content-type': 'text/html' } }]);
    const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl), { token: 't' }));
    assert.equal(error.status, 502);
    assert.equal(error.code, 'badGateway');
    assert.equal(error.message, 'HTTP 502 Bad Gateway with an HTML body: 502 Bad Gateway');
    assert.match(error.requestId, /^req-/);
    assert.equal((await fake.seen()).length, 1);
  });

  t.test('bad input is refused with typed errors before any request is sent', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 202 }]);
    const request = pkg.buildTransferRequest(options(fake.baseUrl));
    const cases = [
      [{}, { kind: 'missingField', path: 'token' }],
      [{ token: '' }, { kind: 'emptyValue', path: 'token' }],
      [{ token: 'Bearer abc' }, { kind: 'invalidHeaderValue', path: 'token' }],
      [{ token: 42 }, { kind: 'invalidType', path: 'token' }],
      [{ token: () => { throw new Error('no credentials'); } }, { kind: 'tokenUnavailable', path: 'token' }],
      [{ token: async () => { throw new Error('no credentials'); } }, { kind: 'tokenUnavailable', path: 'token' }],
      [{ token: async () => 17 }, { kind: 'invalidType', path: 'token' }],
      [{ token: () => '' }, { kind: 'emptyValue', path: 'token' }],
      [{ token: 't', timeoutMs: -1 }, { kind: 'outOfRange', path: 'timeoutMs' }],
      [{ token: 't', timeoutMs: Number.NaN }, { kind: 'outOfRange', path: 'timeoutMs' }],
      [{ token: 't', fetch: 'nope' }, { kind: 'invalidType', path: 'fetch' }],
      [{ token: 't', retry: { maxAttempts: 0 } }, { kind: 'outOfRange', path: 'retry.maxAttempts' }],
      [{ token: 't', retry: { maxAttemps: 2 } }, { kind: 'unknownOption', path: 'retry.maxAttemps' }],
      [{ token: 't', retry: 'yes' }, { kind: 'invalidType', path: 'retry' }],
      [{ token: 't', signal: {} }, { kind: 'invalidType', path: 'signal' }],
      [{ token: 't', tiemout: 5 }, { kind: 'unknownOption', path: 'tiemout' }],
    ];
    for (const [sendOptions, expected] of cases) {
      const error = await caught(ctx, pkg.sendTransfer(request, sendOptions));
      assert.equal(error.name, 'GraphCallTransferError', `${expected.kind} at ${expected.path}`);
      assert.equal(error.kind, expected.kind, `kind for ${expected.path}`);
      assert.equal(error.path, expected.path);
    }
    const badUrl = await caught(ctx, pkg.sendTransfer(options('ftp://127.0.0.1/x'), { token: 't' }));
    assert.deepEqual([badUrl.kind, badUrl.path], ['invalidBaseUrl', 'baseUrl']);
    const plainHttp = await caught(ctx, pkg.sendTransfer({ url: 'http://graph.example/x', bodyText: '{}' }, { token: 't' }));
    assert.deepEqual([plainHttp.kind, plainHttp.path], ['invalidBaseUrl', 'url']);
    const notUrl = await caught(ctx, pkg.sendTransfer({ url: 'not a url', bodyText: '{}' }, { token: 't' }));
    assert.deepEqual([notUrl.kind, notUrl.path], ['invalidBaseUrl', 'url']);
    const noOptions = await caught(ctx, pkg.sendTransfer(request));
    assert.equal(noOptions.kind, 'invalidType');
    assert.equal((await fake.seen()).length, 0, 'nothing reached the server');
  });

  t.test('the token function runs before every attempt; the caller’s fetch is used', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 429, retryAfter: 0 }, { status: 202 }]);
    let calls = 0;
    let fetches = 0;
    const result = await pkg.sendTransfer(options(fake.baseUrl), {
      token: async () => `token-${++calls}`,
      fetch: (url, init) => {
        fetches += 1;
        return fetch(url, init);
      },
    });
    const seen = await fake.seen();
    assert.equal(result.attempts, 2);
    assert.equal(fetches, 2);
    assert.deepEqual(seen.map((a) => a.headers.authorization), ['Bearer token-1', 'Bearer token-2']);
  });

  t.test('a token function that fails on a retry stops the retries with a typed error', async (ctx) => {
    const { pkg, assert } = ctx;
    const fake = await script(ctx, [{ status: 429, retryAfter: 0 }, { status: 202 }]);
    let calls = 0;
    const error = await caught(ctx, pkg.sendTransfer(options(fake.baseUrl), {
      token: () => {
        calls += 1;
        if (calls > 1) throw new Error('refresh failed');
        return 'first';
      },
    }));
    assert.deepEqual([error.kind, error.path], ['tokenUnavailable', 'token']);
    assert.equal((await fake.seen()).length, 1);
  });

  t.test('an AbortSignal cancels a slow attempt, a wait between attempts, or everything up front', async (ctx) => {
    const { pkg, assert } = ctx;
    const slow = await script(ctx, [{ status: 202, delayMs: 1500 }]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 100);
    const error = await caught(ctx, pkg.sendTransfer(options(slow.baseUrl), { token: 't', signal: controller.signal }));
    assert.equal(error.kind, 'aborted');
    assert.equal(error.attempts, 1);

    const waiting = await script(ctx, [{ status: 429, retryAfter: 20 }, { status: 202 }]);
    const second = new AbortController();
    setTimeout(() => second.abort(), 300);
    const during = await caught(ctx, pkg.sendTransfer(options(waiting.baseUrl), { token: 't', signal: second.signal }));
    assert.equal(during.kind, 'aborted');
    assert.equal((await waiting.seen()).length, 1);

    const none = await script(ctx, [{ status: 202 }]);
    const early = await caught(ctx, pkg.sendTransfer(options(none.baseUrl), { token: 't', signal: AbortSignal.abort() }));
    assert.equal(early.kind, 'aborted');
    assert.equal(early.attempts, 0);
    assert.equal((await none.seen()).length, 0);
  });

  t.test('parseTransferResponse interprets responses without IO', async (ctx) => {
    const { pkg, assert } = ctx;
    const ok = pkg.parseTransferResponse(202, new Headers({ 'request-id': 'r1', 'client-request-id': 'c1' }), '');
    assert.deepEqual(ok, { ok: true, status: 202, requestId: 'r1', clientRequestId: 'c1' });
    const op = pkg.parseTransferResponse(200, {}, new TextEncoder().encode('{"id":"op","status":"running"}'));
    assert.deepEqual(op, { ok: true, status: 200, operation: { id: 'op', status: 'running' } });
    const now = Date.UTC(2026, 10, 27, 12, 0, 0);
    const throttled = pkg.parseTransferResponse(429, [['Retry-After', 'Fri, 27 Nov 2026 12:00:05 GMT']], '{"error":{"code":"TooManyRequests","message":"m"}}', now);
    assert.equal(throttled.ok, false);
    assert.equal(throttled.error.retryAfterMs, 5000);
    assert.equal(throttled.error.code, 'TooManyRequests');
    const empty200 = pkg.parseTransferResponse(200, null, '');
    assert.equal(empty200.ok, false);
    assert.equal(empty200.error.message, 'HTTP 200 OK with an empty body');
    assert.throws(() => pkg.parseTransferResponse(42, {}, ''), { kind: 'outOfRange', path: 'status' });
    assert.throws(() => pkg.parseTransferResponse(400, {}, 7), { kind: 'invalidType', path: 'body' });
  });

  t.test('decideRetry exposes the policy to other HTTP clients', async (ctx) => {
    const { pkg, assert } = ctx;
    const decide = (outcome, extra = {}) => pkg.decideRetry({ attempt: 1, outcome, startedAt: 0, now: 10, jitter: 0.5, ...extra });
    assert.deepEqual(decide({ status: 429, retryAfterMs: 1200 }), { retry: true, delayMs: 1200, attempt: 2, retryAttempt: 1 });
    assert.deepEqual(decide({ status: 429 }), { retry: true, delayMs: 375, attempt: 2, retryAttempt: 1 });
    assert.deepEqual(decide({ status: 202 }), { retry: false, reason: 'succeeded' });
    assert.deepEqual(decide({ status: 404 }), { retry: false, reason: 'notRetryable' });
    assert.deepEqual(decide({ kind: 'timeout' }), { retry: false, reason: 'mayHaveRun' });
    assert.deepEqual(decide({ kind: 'aborted' }), { retry: false, reason: 'aborted' });
    assert.deepEqual(decide({ status: 429 }, { attempt: 3 }), { retry: false, reason: 'attemptsExhausted' });
    assert.deepEqual(decide({ status: 429, retryAfterMs: 60_000 }), { retry: false, reason: 'retryAfterTooLong' });
    assert.deepEqual(decide({ status: 429, retryAfterMs: 5_000 }, { now: 59_000 }), { retry: false, reason: 'deadlineExceeded' });
    assert.deepEqual(decide({ kind: 'network' }, { policy: { retryUnsafe: true }, jitter: 0 }), { retry: true, delayMs: 250, attempt: 2, retryAttempt: 1 });
    assert.throws(() => decide({ status: 429 }, { jitter: 2 }), { kind: 'outOfRange', path: 'jitter' });
    assert.throws(() => decide({ status: 429 }, { attempt: 0 }), { kind: 'outOfRange', path: 'attempt' });
    assert.throws(() => decide({}), { kind: 'outOfRange', path: 'outcome' });
    assert.throws(() => decide({ status: 429 }, { policy: { maxDelayMs: '1' } }), { kind: 'invalidType', path: 'policy.maxDelayMs' });
  });
}
