// Signing keys and Graph-shaped callback tokens for the worker tests, generated at run time with
// WebCrypto (no private key is stored in the repository).
import { webcrypto } from 'node:crypto';

const { subtle } = webcrypto;

function b64url(bytes) {
  return Buffer.from(bytes).toString('base64url');
}

/** A fresh RS256 key pair: `{ kid, jwk (public), sign(claims, header?) }`. */
export async function makeSigner(kid = `test-${Math.random().toString(36).slice(2, 10)}`) {
  const pair = await subtle.generateKey(
    { name: 'RSASSA-PKCS1-v1_5', modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]), hash: 'SHA-256' },
    true,
    ['sign', 'verify'],
  );
  const exported = await subtle.exportKey('jwk', pair.publicKey);
  const jwk = { kty: 'RSA', use: 'sig', kid, n: exported.n, e: exported.e };
  async function sign(claims, header = {}) {
    const head = b64url(JSON.stringify({ alg: 'RS256', typ: 'JWT', cty: 'JWT', kid, ...header }));
    const body = b64url(JSON.stringify(claims));
    const input = `${head}.${body}`;
    const sig = await subtle.sign('RSASSA-PKCS1-v1_5', pair.privateKey, new TextEncoder().encode(input));
    return `${input}.${b64url(new Uint8Array(sig))}`;
  }
  return { kid, jwk, sign };
}

/** Claims like those of a real Graph callback token: 300 s lifetime, no iat. */
export function callbackClaims({ appId, tenant, issuer = 'https://graph.microsoft.com', now = Date.now(), lifetimeSeconds = 300, ...extra }) {
  const t = Math.floor(now / 1000);
  return { iss: issuer, aud: appId, tid: tenant, nbf: t - 5, exp: t + lifetimeSeconds, appid: 'graph-calling', ...extra };
}
