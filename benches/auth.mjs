// Callback token verifications per second with a warm key cache: this package's
// verifyCallbackToken against jose's jwtVerify on the same tokens, in the same run.
//
//   node benches/auth.mjs            (after `bash scripts/build.sh`; jose is a devDependency)
//
// Both sides check the RS256 signature with WebCrypto, the audience, the issuers, exp/nbf with a
// 300 s skew and a non-empty tid. Results are checked to be identical before timing. Prints a
// markdown table: the ratios are ours over jose's throughput and jose's CPU time over ours (above 1
// = we are faster).
import { jwtVerify, createLocalJWKSet } from 'jose';
import * as pkg from '../dist/node.js';

const { subtle } = globalThis.crypto;
const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const APP = '8b4f7c2e-1d3a-4e5b-9c6d-7e8f9a0b1c2d';
const ISSUERS = ['https://graph.microsoft.com', 'https://api.botframework.com'];
const TOKENS = 64;
const ROUNDS = Number(process.env.ROUNDS || 15);
const ROUND_MS = Number(process.env.ROUND_MS || 300);
const CONCURRENCY = 32;

const enc = new TextEncoder();
const b64url = (bytes) => Buffer.from(bytes).toString('base64url');

const pair = await subtle.generateKey({ ...RSA, modulusLength: 2048, publicExponent: new Uint8Array([1, 0, 1]) }, true, ['sign', 'verify']);
const jwks = { keys: [{ ...(await subtle.exportKey('jwk', pair.publicKey)), kid: 'k1', use: 'sig' }] };
const now = Math.floor(Date.now() / 1000);
const tokens = [];
for (let i = 0; i < TOKENS; i++) {
  // Shaped like Graph's: a stray cty, no iat, a 300 s lifetime.
  const header = b64url(enc.encode(JSON.stringify({ typ: 'JWT', alg: 'RS256', x5t: 'k1', kid: 'k1', cty: 'JWT' })));
  const claims = {
    aud: APP,
    iss: ISSUERS[i % 2],
    exp: now + 3600,
    nbf: now - 60,
    tid: `a1b2c3d4-e5f6-4a7b-8c9d-${String(i).padStart(12, '0')}`,
    appid: '26a18ebc-cdf7-4a6a-91cb-beb352805e81',
    appidacr: '2',
    identityprovider: 'https://sts.windows.net/a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d/',
    oid: `b${i}`,
    rh: '0.AAAA...',
    sub: `s${i}`,
    ver: '1.0',
  };
  const payload = b64url(enc.encode(JSON.stringify(claims)));
  const signature = await subtle.sign(RSA, pair.privateKey, enc.encode(`${header}.${payload}`));
  tokens.push(`${header}.${payload}.${b64url(new Uint8Array(signature))}`);
}
const headers = tokens.map((t) => `Bearer ${t}`);

const options = { appId: APP, jwks };
const ours = (i) => pkg.verifyCallbackToken(headers[i], options);
const joseKeys = createLocalJWKSet(jwks);
const joseOptions = { audience: APP, issuer: ISSUERS, clockTolerance: 300, algorithms: ['RS256'], requiredClaims: ['exp'] };
async function theirs(i) {
  const token = headers[i].slice(7); // jose takes the bare token
  const { payload } = await jwtVerify(token, joseKeys, joseOptions);
  if (typeof payload.tid !== 'string' || payload.tid.trim() === '') throw new Error('missing tid');
  return payload;
}
const publicKey = await subtle.importKey('jwk', jwks.keys[0], RSA, false, ['verify']);
const parts = tokens.map((t) => {
  const dot = t.lastIndexOf('.');
  return { input: enc.encode(t.slice(0, dot)), signature: Buffer.from(t.slice(dot + 1), 'base64url') };
});
const floor = (i) => subtle.verify(RSA, publicKey, parts[i].signature, parts[i].input);

// Identical results before timing, and both refuse a forged token.
for (let i = 0; i < TOKENS; i++) {
  const a = JSON.stringify(await ours(i));
  const b = JSON.stringify(await theirs(i));
  if (a !== b) throw new Error(`results differ for token ${i}:\n${a}\n${b}`);
  if ((await floor(i)) !== true) throw new Error('the signature does not verify');
}
const forged = headers[0].slice(0, -6) + 'AAAAAA';
const oursRefuses = await pkg.verifyCallbackToken(forged, options).then(() => false, (e) => e.kind === 'badSignature');
const theirsRefuses = await jwtVerify(forged.slice(7), joseKeys, joseOptions).then(() => false, () => true);
if (!oursRefuses || !theirsRefuses) throw new Error('a forged token was accepted');

// Each round returns [verifications per wall-clock second, CPU microseconds per verification]. CPU
// time (all threads: WebCrypto runs on libuv's pool) is steadier than wall time on a loaded machine.
function result(n, start, cpu) {
  const used = process.cpuUsage(cpu);
  return [(n / (performance.now() - start)) * 1000, (used.user + used.system) / n];
}

async function sequential(fn) {
  let n = 0;
  const end = performance.now() + ROUND_MS;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < TOKENS; i++) await fn(i);
    n += TOKENS;
  }
  return result(n, start, cpu);
}

async function concurrent(fn) {
  let n = 0;
  const end = performance.now() + ROUND_MS;
  const cpu = process.cpuUsage();
  const start = performance.now();
  while (performance.now() < end) {
    for (let i = 0; i < TOKENS; i += CONCURRENCY) {
      const batch = [];
      for (let j = i; j < i + CONCURRENCY; j++) batch.push(fn(j));
      await Promise.all(batch);
    }
    n += TOKENS;
  }
  return result(n, start, cpu);
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const rows = [];
for (const [mode, run] of [['sequential (await each)', sequential], [`concurrent (${CONCURRENCY} in flight)`, concurrent]]) {
  const results = { ours: [], jose: [], floor: [] };
  for (let r = 0; r < ROUNDS; r++) {
    // Interleaved so drift affects all sides alike.
    results.ours.push(await run(ours));
    results.jose.push(await run(theirs));
    results.floor.push(await run(floor));
  }
  const rate = (side) => median(results[side].map((x) => x[0]));
  const cpu = (side) => median(results[side].map((x) => x[1]));
  rows.push({ mode, ours: rate('ours'), jose: rate('jose'), floor: rate('floor'), oursCpu: cpu('ours'), joseCpu: cpu('jose'), floorCpu: cpu('floor') });
}

const fmt = (x) => Math.round(x).toLocaleString('en-US');
console.log(`Node ${process.version}, ${TOKENS} distinct Graph-shaped tokens (RS256, 2048-bit key), warm key cache, median of ${ROUNDS} interleaved rounds of ${ROUND_MS} ms.\n`);
console.log('| mode | verifyCallbackToken (/s) | jose jwtVerify (/s) | ratio (ours / jose) | CPU µs per verification: ours | jose | CPU ratio (jose / ours) | crypto.subtle.verify alone: /s, CPU µs |');
console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.mode} | ${fmt(r.ours)} | ${fmt(r.jose)} | ${(r.ours / r.jose).toFixed(2)}x | ${r.oursCpu.toFixed(1)} | ${r.joseCpu.toFixed(1)} | ${(r.joseCpu / r.oursCpu).toFixed(2)}x | ${fmt(r.floor)}, ${r.floorCpu.toFixed(1)} |`);
}
