// Transport tests: the portable suite against a real fake Graph server in Node, workerd and
// Chromium, plus Node-only checks that read the server's record directly.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { runPortable } from '../harness/portable.mjs';
import { startFakeGraph } from '../support/fake-graph.mjs';
import * as g from '../../dist/node.js';

let fake;
await runPortable('tests/portable/transport.mjs', {
  runtimes: ['node', 'workerd', 'chromium'],
  setup: async () => {
    fake = await startFakeGraph();
    return fake;
  },
  teardown: (server) => server?.close(),
  params: (server) => ({ graph: server.origin }),
});

test('the server record matches what one sendTransfer sent, read without HTTP', async () => {
  const server = await startFakeGraph();
  try {
    const run = crypto.randomUUID();
    await fetch(`${server.origin}/_script/${run}`, { method: 'PUT', body: JSON.stringify([{ status: 503, retryAfter: 0 }, { status: 202 }]) });
    const request = g.buildTransferRequest({
      callId: 'call-9',
      transferTarget: g.phoneNumber('+12345678901'),
      baseUrl: `${server.origin}/r/${run}`,
      clientRequestId: true,
    });
    const result = await g.sendTransfer(request, { token: 'node-token' });
    const seen = server.seen(run);
    assert.equal(result.attempts, 2);
    assert.equal(seen.length, 2);
    for (const attempt of seen) {
      assert.equal(attempt.headers['client-request-id'], request.headers['client-request-id']);
      assert.equal(attempt.body, request.bodyText);
      assert.deepEqual(JSON.parse(attempt.body), request.body);
    }
    assert.deepEqual(seen.map((a) => a.headers['retry-attempt']), [undefined, '1']);
  } finally {
    await server.close();
  }
});

test('a caller fetch that ignores the abort signal still times out', async () => {
  const never = () => new Promise(() => {});
  const request = g.buildTransferRequest({ callId: 'c', transferTarget: g.teamsUser('u'), baseUrl: 'http://127.0.0.1:9' });
  const started = Date.now();
  await assert.rejects(g.sendTransfer(request, { token: 't', fetch: never, timeoutMs: 50 }), (e) => e.kind === 'timeout' && e.attempts === 1);
  assert.ok(Date.now() - started < 5000);
});

test('a caller fetch that returns something other than a Response is a network error', async () => {
  const request = g.buildTransferRequest({ callId: 'c', transferTarget: g.teamsUser('u'), baseUrl: 'http://127.0.0.1:9' });
  await assert.rejects(g.sendTransfer(request, { token: 't', fetch: async () => 'nope' }), (e) => e.kind === 'network' && /not a Response/.test(e.message));
});

test('a token function that never settles is bounded by timeoutMs, and nothing is sent', async () => {
  let fetches = 0;
  const request = g.buildTransferRequest({ callId: 'c', transferTarget: g.teamsUser('u'), baseUrl: 'http://127.0.0.1:9' });
  await assert.rejects(
    g.sendTransfer(request, { token: () => new Promise(() => {}), timeoutMs: 50, fetch: () => (fetches += 1) }),
    (e) => e.name === 'GraphCallTransferError' && e.kind === 'tokenUnavailable' && e.path === 'token' && /did not settle within 50 ms/.test(e.message),
  );
  assert.equal(fetches, 0);
});

test('an abort while waiting for the token is an aborted TransportError with no attempt', async () => {
  const request = g.buildTransferRequest({ callId: 'c', transferTarget: g.teamsUser('u'), baseUrl: 'http://127.0.0.1:9' });
  const controller = new AbortController();
  setTimeout(() => controller.abort(), 20);
  await assert.rejects(
    g.sendTransfer(request, { token: () => new Promise(() => {}), signal: controller.signal }),
    (e) => e.name === 'TransportError' && e.kind === 'aborted' && e.attempts === 0,
  );
});
