// Callback authentication in Node, workerd and Chromium: generates RSA keys (none are stored in the
// repository), serves key sets from a 127.0.0.1 JWKS server and runs tests/portable/auth.mjs.
import { runPortable } from '../harness/portable.mjs';
import { startJwksServer } from '../support/jwks-server.mjs';

const { subtle } = globalThis.crypto;

async function rsaKeyPair(bits) {
  const pair = await subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: bits, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  return { private: await subtle.exportKey('jwk', pair.privateKey), public: await subtle.exportKey('jwk', pair.publicKey) };
}

await runPortable('tests/portable/auth.mjs', {
  runtimes: ['node', 'workerd', 'chromium'],
  async setup() {
    const [k1, k2, other, short] = await Promise.all([rsaKeyPair(2048), rsaKeyPair(2048), rsaKeyPair(2048), rsaKeyPair(1024)]);
    const server = await startJwksServer();
    return {
      server,
      params: {
        origin: server.origin,
        appId: '8b4f7c2e-1d3a-4e5b-9c6d-7e8f9a0b1c2d',
        tenant: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d',
        keys: { k1, k2, other },
        short: short.public,
        now: Date.UTC(2026, 0, 15, 12, 0, 0),
      },
    };
  },
  params: (context) => context.params,
  teardown: (context) => context?.server.close(),
});
