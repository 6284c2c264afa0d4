// The per-side entries `graph-call-transfer/send` and `graph-call-transfer/receive`, each with its
// own wasm, in Node, workerd and Chromium (tests/portable/send.mjs and receive.mjs).
import { runPortable } from '../harness/portable.mjs';
import { startFakeGraph } from '../support/fake-graph.mjs';

await runPortable('tests/portable/send.mjs', {
  entry: 'send',
  runtimes: ['node', 'workerd', 'chromium'],
  setup: () => startFakeGraph(),
  teardown: (server) => server?.close(),
  params: (server) => ({ graph: server.origin }),
});

await runPortable('tests/portable/receive.mjs', {
  entry: 'receive',
  runtimes: ['node', 'workerd', 'chromium'],
  async setup() {
    const pair = await crypto.subtle.generateKey(
      { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
      true,
      ['sign', 'verify'],
    );
    const key = { private: await crypto.subtle.exportKey('jwk', pair.privateKey), public: await crypto.subtle.exportKey('jwk', pair.publicKey) };
    return { appId: '8b4f7c2e-1d3a-4e5b-9c6d-7e8f9a0b1c2d', now: Date.UTC(2026, 0, 15, 12, 0, 0), key };
  },
  params: (context) => context,
});
