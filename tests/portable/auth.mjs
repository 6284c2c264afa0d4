// Callback authentication, run unchanged in Node, workerd and Chromium (tests/js/auth.test.mjs).
// params: { origin (the JWKS server), appId, tenant, keys: { k1, k2, other: { private, public } },
// short (a 1024-bit public JWK), now (ms) }. Tokens are signed here, with the runtime's WebCrypto.

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const GRAPH = 'https://graph.microsoft.com';
const encoder = new TextEncoder();

function b64url(bytes) {
  let s = '';
  for (const b of bytes) s += String.fromCharCode(b);
  return btoa(s).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}
const part = (value) => b64url(encoder.encode(typeof value === 'string' ? value : JSON.stringify(value)));

const importedSigners = new Map();
async function signer(jwk) {
  const id = jwk.n;
  if (!importedSigners.has(id)) importedSigners.set(id, crypto.subtle.importKey('jwk', jwk, RSA, false, ['sign']));
  return importedSigners.get(id);
}

/** A compact JWS of `claims`, RS256-signed with the private JWK `key`. */
async function sign(key, claims, header = {}) {
  const signingInput = `${part({ alg: 'RS256', kid: 'k1', typ: 'JWT', ...header })}.${part(claims)}`;
  const signature = await crypto.subtle.sign(RSA, await signer(key), encoder.encode(signingInput));
  return `${signingInput}.${b64url(new Uint8Array(signature))}`;
}

const seconds = (ms) => Math.floor(ms / 1000);

function claimsAt(params, nowMs, extra = {}) {
  const now = seconds(nowMs);
  return { iss: GRAPH, aud: params.appId, exp: now + 300, nbf: now - 60, tid: params.tenant, appid: 'caller-app', ...extra };
}

const withKid = (jwk, kid, extra = {}) => ({ ...jwk, kid, use: 'sig', ...extra });

function jwksOf(params, ...kids) {
  return { keys: kids.map((kid) => withKid(params.keys[kid].public, kid)) };
}

/** A fresh key set name on the server, unique per runtime and test. */
function setName(ctx, test) {
  return `${ctx.runtime}-${test}-${Math.random().toString(36).slice(2, 8)}`;
}

async function publish(ctx, name, jwks) {
  const res = await fetch(`${ctx.params.origin}/sets/${name}/jwks`, { method: 'PUT', body: JSON.stringify(jwks) });
  ctx.assert.equal(res.status, 204);
}

async function stats(ctx, name) {
  return (await fetch(`${ctx.params.origin}/sets/${name}/stats`)).json();
}

async function rejectsWith(ctx, promise, kind, extra = {}) {
  await ctx.assert.rejects(promise, (e) => {
    ctx.assert.equal(e.kind, kind, `expected kind ${kind}, got ${e.kind}: ${e.message}`);
    ctx.assert.equal(e.name, 'GraphCallTransferError');
    ctx.assert.ok(ctx.pkg.isGraphCallTransferError(e));
    for (const [k, v] of Object.entries(extra)) {
      if (v instanceof RegExp) ctx.assert.match(String(e[k]), v);
      else ctx.assert.equal(e[k], v);
    }
    return true;
  });
}

/** Options with a static JWKS (k1) and a fixed clock. */
function staticOptions(params, extra = {}) {
  return { appId: params.appId, jwks: jwksOf(params, 'k1'), clock: () => params.now, ...extra };
}

export default function (t) {
  t.test('accepts a valid token and returns its claims (a stray cty is ignored)', async ({ pkg, assert, params }) => {
    const claims = claimsAt(params, params.now);
    const token = await sign(params.keys.k1.private, claims, { cty: 'JWT' });
    assert.deepEqual(await pkg.verifyCallbackToken(`Bearer ${token}`, staticOptions(params)), claims);
    // The scheme is case-insensitive and surrounding spaces are allowed.
    assert.deepEqual(await pkg.verifyCallbackToken(`  bearer  ${token} `, staticOptions(params)), claims);
  });

  t.test('fetches keys from a JWKS URL and from an OpenID configuration URL, once', async (ctx) => {
    const { pkg, assert, params } = ctx;
    const name = setName(ctx, 'urls');
    await publish(ctx, name, jwksOf(params, 'k1', 'k2'));
    const token = await sign(params.keys.k2.private, claimsAt(params, Date.now()), { kid: 'k2' });
    for (let i = 0; i < 3; i++) {
      // Fresh options objects each time: the key set is still shared.
      await pkg.verifyCallbackToken(`Bearer ${token}`, { appId: params.appId, jwksUrl: `${params.origin}/sets/${name}/jwks` });
      await pkg.verifyCallbackToken(`Bearer ${token}`, { appId: params.appId, openIdConfigurationUrl: `${params.origin}/sets/${name}/openid` });
    }
    assert.deepEqual(await stats(ctx, name), { jwks: 2, openid: 1 });
  });

  t.test('missingToken: no header, an empty one, or another scheme', async (ctx) => {
    for (const header of [undefined, null, '', '   ', 'Bearer', 'Bearer   ', 'Basic dXNlcjpwYXNz', 'eyJhbGciOiJSUzI1NiJ9.e30.c2ln']) {
      await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(header, staticOptions(ctx.params)), 'missingToken', { path: 'authorization' });
    }
  });

  t.test('malformed: structure, base64url, JSON, missing kid or exp, crit', async (ctx) => {
    const { params } = ctx;
    const good = await sign(params.keys.k1.private, claimsAt(params, params.now));
    const [h, p, s] = good.split('.');
    const cases = [
      ['abc', ''],
      [`${h}.${p}`, ''],
      [`${h}.${p}.${s}.x`, ''],
      [`${h}=.${p}.${s}`, 'header'],
      [`${part('not json')}.${p}.${s}`, 'header'],
      [`${part([1, 2])}.${p}.${s}`, 'header'],
      [`${part({ alg: 'RS256' })}.${p}.${s}`, 'header.kid'],
      [`${part({ kid: 'k1' })}.${p}.${s}`, 'header.alg'],
      [`${part({ alg: 'RS256', kid: 'k1', crit: ['b64'], b64: false })}.${p}.${s}`, 'header.crit'],
      [`${h}.${p}.`, 'signature'],
      [`${h}.${p}.${s}+`, 'signature'],
      [`${h}.${p}.${s.slice(0, 1)}`, 'signature'],
      [`${h}.${p}!.${s}`, 'payload'],
    ];
    for (const [token, path] of cases) {
      await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${token}`, staticOptions(params)), 'malformed', { path });
    }
    // Correctly signed, but the claims are not usable.
    const { exp, ...noExp } = claimsAt(params, params.now);
    ctx.assert.ok(exp > 0);
    const unsigned = await sign(params.keys.k1.private, noExp);
    await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${unsigned}`, staticOptions(params)), 'malformed', { path: 'payload.exp' });
    const stringExp = await sign(params.keys.k1.private, { ...noExp, exp: 'later' });
    await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${stringExp}`, staticOptions(params)), 'malformed', { path: 'payload.exp' });
    const array = await sign(params.keys.k1.private, [1, 2]);
    await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${array}`, staticOptions(params)), 'malformed', { path: 'payload' });
  });

  t.test('unsupportedAlgorithm: alg none, with or without a signature', async (ctx) => {
    const { params } = ctx;
    const payload = part(claimsAt(params, params.now));
    const good = await sign(params.keys.k1.private, claimsAt(params, params.now));
    for (const alg of ['none', 'None', 'NONE']) {
      const header = part({ alg, kid: 'k1', typ: 'JWT' });
      for (const token of [`${header}.${payload}.`, `${header}.${payload}`, `${header}.${payload}.${good.split('.')[2]}`]) {
        await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${token}`, staticOptions(params)), token.split('.').length === 3 ? 'unsupportedAlgorithm' : 'malformed');
      }
    }
    for (const alg of ['RS384', 'RS512', 'PS256', 'ES256', 'EdDSA', 'rs256']) {
      const token = `${part({ alg, kid: 'k1' })}.${payload}.${good.split('.')[2]}`;
      await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${token}`, staticOptions(params)), 'unsupportedAlgorithm', { path: 'header.alg' });
    }
  });

  t.test('unsupportedAlgorithm: an HS256 token signed with the RSA public key as the secret', async (ctx) => {
    const { params } = ctx;
    const publicJwk = withKid(params.keys.k1.public, 'k1');
    const rsaPublic = await crypto.subtle.importKey('jwk', params.keys.k1.public, RSA, true, ['verify']);
    const spki = new Uint8Array(await crypto.subtle.exportKey('spki', rsaPublic));
    const pem = `-----BEGIN PUBLIC KEY-----\n${btoa(String.fromCharCode(...spki)).replace(/.{64}/g, '$&\n')}\n-----END PUBLIC KEY-----\n`;
    const secrets = [encoder.encode(JSON.stringify(publicJwk)), encoder.encode(pem), spki];
    for (const secret of secrets) {
      const hmac = await crypto.subtle.importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign']);
      const input = `${part({ alg: 'HS256', kid: 'k1', typ: 'JWT' })}.${part(claimsAt(params, params.now))}`;
      const mac = new Uint8Array(await crypto.subtle.sign('HMAC', hmac, encoder.encode(input)));
      await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${input}.${b64url(mac)}`, staticOptions(params)), 'unsupportedAlgorithm', {
        path: 'header.alg',
        reason: /"HS256"/,
      });
    }
  });

  t.test('unknownKey: no such kid, or a key that cannot verify RS256', async (ctx) => {
    const { params } = ctx;
    const jwks = {
      keys: [
        withKid(params.keys.k1.public, 'k1'),
        withKid(params.short, 'short'),
        withKid(params.keys.k2.public, 'enc', { use: 'enc' }),
        withKid(params.keys.k2.public, 'ps', { alg: 'PS256' }),
        { kid: 'ec', kty: 'EC', crv: 'P-256', x: 'f83OJ3D2xF1Bg8vub9tLe1gHMzV76e8Tus9uPHvRVEU', y: 'x_FEzRu9m36HLN_tue659LNpXW6pCyStikYjKIWI5a0' },
        { kid: 'oct', kty: 'oct', k: 'c2VjcmV0' },
      ],
    };
    const options = { appId: params.appId, jwks, clock: () => params.now };
    const cases = [
      ['missing', /no signing key has kid "missing"/],
      ['short', /1024 bits/],
      ['enc', /use is "enc"/],
      ['ps', /PS256/],
      ['ec', /not RSA/],
      ['oct', /not RSA/],
    ];
    for (const [kid, reason] of cases) {
      const token = await sign(params.keys.k1.private, claimsAt(params, params.now), { kid });
      await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${token}`, options), 'unknownKey', { path: 'header.kid', reason });
    }
  });

  t.test('badSignature: a changed payload, another key, a truncated signature', async (ctx) => {
    const { params } = ctx;
    const token = await sign(params.keys.k1.private, claimsAt(params, params.now));
    const [h, , s] = token.split('.');
    const forged = `${h}.${part(claimsAt(params, params.now, { tid: 'another-tenant' }))}.${s}`;
    const otherKey = await sign(params.keys.other.private, claimsAt(params, params.now));
    const signature = Uint8Array.from(atob(s.replace(/-/g, '+').replace(/_/g, '/')), (c) => c.charCodeAt(0));
    const truncated = `${h}.${token.split('.')[1]}.${b64url(signature.subarray(0, 128))}`;
    for (const bad of [forged, otherKey, truncated]) {
      await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${bad}`, staticOptions(params)), 'badSignature', { path: 'signature' });
    }
    // A bad signature is reported even when the claims are also wrong (the signature is checked first).
    const expiredForgery = `${h}.${part(claimsAt(params, params.now, { exp: 1 }))}.${s}`;
    await rejectsWith(ctx, ctx.pkg.verifyCallbackToken(`Bearer ${expiredForgery}`, staticOptions(params)), 'badSignature');
  });

  t.test('expired: just inside and just outside the 300 s skew', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const now = seconds(params.now);
    const inside = await sign(params.keys.k1.private, claimsAt(params, params.now, { exp: now - 299, nbf: now - 600 }));
    assert.equal((await pkg.verifyCallbackToken(`Bearer ${inside}`, staticOptions(params))).exp, now - 299);
    for (const exp of [now - 300, now - 301, now - 86400]) {
      const outside = await sign(params.keys.k1.private, claimsAt(params, params.now, { exp, nbf: now - 600 }));
      await rejectsWith(ctx, pkg.verifyCallbackToken(`Bearer ${outside}`, staticOptions(params)), 'expired', { path: 'payload.exp' });
    }
    // With no skew, a token is valid strictly before exp.
    const strict = staticOptions(params, { clockSkewSeconds: 0 });
    const soon = await sign(params.keys.k1.private, claimsAt(params, params.now, { exp: now + 1 }));
    assert.equal((await pkg.verifyCallbackToken(`Bearer ${soon}`, strict)).exp, now + 1);
    const justNow = await sign(params.keys.k1.private, claimsAt(params, params.now, { exp: now }));
    await rejectsWith(ctx, pkg.verifyCallbackToken(`Bearer ${justNow}`, strict), 'expired');
  });

  t.test('notYetValid: nbf just inside and just outside the skew', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const now = seconds(params.now);
    const inside = await sign(params.keys.k1.private, claimsAt(params, params.now, { nbf: now + 300, exp: now + 900 }));
    assert.equal((await pkg.verifyCallbackToken(`Bearer ${inside}`, staticOptions(params))).nbf, now + 300);
    const outside = await sign(params.keys.k1.private, claimsAt(params, params.now, { nbf: now + 301, exp: now + 900 }));
    await rejectsWith(ctx, pkg.verifyCallbackToken(`Bearer ${outside}`, staticOptions(params)), 'notYetValid', { path: 'payload.nbf' });
  });

  t.test('wrongAudience and wrongIssuer (one trailing slash is ignored)', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const verify = async (extra, options = {}) => pkg.verifyCallbackToken(`Bearer ${await sign(params.keys.k1.private, claimsAt(params, params.now, extra))}`, staticOptions(params, options));
    for (const aud of ['someone-else', [], ['a', 'b'], params.appId.toUpperCase() + 'x']) {
      await rejectsWith(ctx, verify({ aud }), 'wrongAudience', { path: 'payload.aud' });
    }
    await rejectsWith(ctx, verify({ aud: undefined }), 'wrongAudience');
    assert.deepEqual((await verify({ aud: ['x', params.appId] })).aud, ['x', params.appId]);
    for (const iss of ['https://graph.microsoft.com/', 'https://api.botframework.com', 'https://api.botframework.com/']) {
      assert.equal((await verify({ iss })).iss, iss);
    }
    for (const iss of ['https://evil.example', 'https://graph.microsoft.com//', 'https://graph.microsoft.com.evil.example', 'http://graph.microsoft.com', undefined]) {
      await rejectsWith(ctx, verify({ iss }), 'wrongIssuer', { path: 'payload.iss' });
    }
    // Configured issuers replace the defaults.
    assert.equal((await verify({ iss: 'https://issuer.example' }, { issuers: ['https://issuer.example/'] })).iss, 'https://issuer.example');
    await rejectsWith(ctx, verify({}, { issuers: ['https://issuer.example'] }), 'wrongIssuer');
    await rejectsWith(ctx, verify({}, { cloud: 'usGovL4' }), 'wrongIssuer');
    assert.equal((await verify({ iss: 'https://graph.microsoft.us' }, { cloud: 'usGovL4' })).iss, 'https://graph.microsoft.us');
  });

  t.test('missingTenant and tenantNotAllowed', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const verify = async (extra, options = {}) => pkg.verifyCallbackToken(`Bearer ${await sign(params.keys.k1.private, claimsAt(params, params.now, extra))}`, staticOptions(params, options));
    for (const tid of [undefined, null, '', '   ']) {
      await rejectsWith(ctx, verify({ tid }), 'missingTenant', { path: 'payload.tid' });
    }
    await rejectsWith(ctx, verify({}, { allowedTenants: ['another-tenant'] }), 'tenantNotAllowed', { path: 'payload.tid' });
    await rejectsWith(ctx, verify({}, { allowedTenants: [] }), 'tenantNotAllowed');
    assert.equal((await verify({}, { allowedTenants: ['x', params.tenant.toUpperCase()] })).tid, params.tenant);
  });

  t.test('keyFetchFailed: error status, not JSON, redirect, timeout, refused, foreign jwks_uri', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const token = await sign(params.keys.k1.private, claimsAt(params, Date.now()));
    const name = setName(ctx, 'redirect');
    await publish(ctx, name, jwksOf(params, 'k1'));
    const cases = [
      [{ jwksUrl: `${params.origin}/status/500` }, /answered 500/],
      [{ jwksUrl: `${params.origin}/status/404` }, /answered 404/],
      [{ jwksUrl: `${params.origin}/garbage` }, /not a JWKS/],
      [{ jwksUrl: `${params.origin}/redirect/${name}` }, /redirect/],
      [{ openIdConfigurationUrl: `${params.origin}/openid-redirect/${name}` }, /redirect/],
      [{ openIdConfigurationUrl: `${params.origin}/openid-foreign` }, /loopback/],
      [{ openIdConfigurationUrl: `${params.origin}/garbage` }, /not an OpenID configuration/],
      [{ jwksUrl: `${params.origin}/slow`, timeoutSeconds: 0.3 }, /did not answer within 0.3 s/],
      [{ jwksUrl: 'http://127.0.0.1:1/keys' }, /failed/],
    ];
    // (/slow answers after 10 s with an empty key set, which would be unknownKey: keyFetchFailed
    // proves the timeout fired.)
    for (const [source, reason] of cases) {
      await rejectsWith(ctx, pkg.verifyCallbackToken(`Bearer ${token}`, { appId: params.appId, ...source }), 'keyFetchFailed', { reason });
    }
    // The redirect target itself works: the failure above is the redirect.
    assert.ok(await pkg.verifyCallbackToken(`Bearer ${token}`, { appId: params.appId, jwksUrl: `${params.origin}/sets/${name}/jwks` }));
  });

  t.test('rotated keys: an unknown kid triggers one refetch after the cooldown', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const name = setName(ctx, 'rotate');
    await publish(ctx, name, jwksOf(params, 'k1'));
    let now = params.now;
    const keySet = new pkg.CallbackKeySet({ jwksUrl: `${params.origin}/sets/${name}/jwks`, clock: () => now });
    const options = { appId: params.appId, keySet, clock: () => now };
    const t1 = await sign(params.keys.k1.private, claimsAt(params, now));
    await pkg.verifyCallbackToken(`Bearer ${t1}`, options);
    assert.deepEqual(keySet.kids, ['k1']);
    // The issuer rotates to k2.
    await publish(ctx, name, jwksOf(params, 'k2'));
    now += 61_000; // past the 60 s default cooldown
    const t2 = await sign(params.keys.k2.private, claimsAt(params, now), { kid: 'k2' });
    assert.equal((await pkg.verifyCallbackToken(`Bearer ${t2}`, options)).tid, params.tenant);
    assert.deepEqual(keySet.kids, ['k2']);
    assert.equal(keySet.fetchCount, 2);
    // k1 is gone now; asking for it again within the cooldown does not refetch.
    const t1again = await sign(params.keys.k1.private, claimsAt(params, now));
    await rejectsWith(ctx, pkg.verifyCallbackToken(`Bearer ${t1again}`, options), 'unknownKey');
    assert.deepEqual(await stats(ctx, name), { jwks: 2, openid: 0 });
  });

  t.test('cooldown: forged kids cannot hammer the key endpoint', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const name = setName(ctx, 'cooldown');
    await publish(ctx, name, jwksOf(params, 'k1'));
    let now = params.now;
    const options = { appId: params.appId, openIdConfigurationUrl: `${params.origin}/sets/${name}/openid`, cooldownSeconds: 30, clock: () => now };
    await pkg.verifyCallbackToken(`Bearer ${await sign(params.keys.k1.private, claimsAt(params, now))}`, options);
    const forged = async (i) => sign(params.keys.other.private, claimsAt(params, now), { kid: `forged-${i}` });
    for (let i = 0; i < 20; i++) await rejectsWith(ctx, pkg.verifyCallbackToken(`Bearer ${await forged(i)}`, options), 'unknownKey');
    assert.deepEqual(await stats(ctx, name), { jwks: 1, openid: 1 }, 'no refetch within the cooldown');
    now += 31_000;
    const burst = await Promise.all(Array.from({ length: 20 }, (_, i) => forged(100 + i)));
    const results = await Promise.allSettled(burst.map((t) => pkg.verifyCallbackToken(`Bearer ${t}`, options)));
    assert.ok(results.every((r) => r.status === 'rejected' && r.reason.kind === 'unknownKey'));
    assert.deepEqual(await stats(ctx, name), { jwks: 2, openid: 2 }, 'one refetch per cooldown, even for a burst');
    // Valid tokens keep working from the cache meanwhile.
    await pkg.verifyCallbackToken(`Bearer ${await sign(params.keys.k1.private, claimsAt(params, now))}`, options);
    assert.deepEqual(await stats(ctx, name), { jwks: 2, openid: 2 });
  });

  t.test('the key cache expires after its TTL and keeps stale keys when a refetch fails', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const name = setName(ctx, 'ttl');
    await publish(ctx, name, jwksOf(params, 'k1'));
    let now = params.now;
    let fail = false;
    const fetchFn = (url, init) => (fail ? Promise.reject(new Error('offline')) : fetch(url, init));
    const keySet = new pkg.CallbackKeySet({ jwksUrl: `${params.origin}/sets/${name}/jwks`, cacheTtlSeconds: 10, cooldownSeconds: 5, fetch: fetchFn, clock: () => now });
    const options = { appId: params.appId, keySet, clock: () => now };
    const token = () => sign(params.keys.k1.private, claimsAt(params, now));
    await pkg.verifyCallbackToken(`Bearer ${await token()}`, options);
    now += 9_000;
    await pkg.verifyCallbackToken(`Bearer ${await token()}`, options);
    assert.equal(keySet.fetchCount, 1);
    now += 2_000;
    await pkg.verifyCallbackToken(`Bearer ${await token()}`, options);
    assert.equal(keySet.fetchCount, 2);
    fail = true;
    now += 11_000;
    await pkg.verifyCallbackToken(`Bearer ${await token()}`, options); // stale keys still serve
    assert.equal(keySet.fetchCount, 3);
    await rejectsWith(ctx, keySet.refresh(), 'keyFetchFailed', { reason: /offline/ });
    // Stale keys are served for at most a day past their TTL while the endpoint keeps failing.
    now += 86_400_000;
    await rejectsWith(ctx, pkg.verifyCallbackToken(`Bearer ${await token()}`, options), 'keyFetchFailed', { reason: /offline/ });
    fail = false;
    now += 6_000;
    await pkg.verifyCallbackToken(`Bearer ${await token()}`, options);
  });

  t.test('concurrent first verifications share one key fetch', async (ctx) => {
    const { params, assert, pkg } = ctx;
    const name = setName(ctx, 'burst');
    await publish(ctx, name, jwksOf(params, 'k1', 'k2'));
    const options = { appId: params.appId, jwksUrl: `${params.origin}/sets/${name}/jwks` };
    const tokens = await Promise.all(Array.from({ length: 16 }, (_, i) => sign(params.keys[i % 2 ? 'k2' : 'k1'].private, claimsAt(params, Date.now(), { n: i }), { kid: i % 2 ? 'k2' : 'k1' })));
    const claims = await Promise.all(tokens.map((t) => pkg.verifyCallbackToken(`Bearer ${t}`, options)));
    assert.deepEqual(claims.map((c) => c.n), Array.from({ length: 16 }, (_, i) => i));
    assert.deepEqual(await stats(ctx, name), { jwks: 1, openid: 0 });
  });

  t.test('an injected fetch is used for the keys', async ({ pkg, assert, params }) => {
    const calls = [];
    const fetchFn = async (url, init) => {
      calls.push([url, init.redirect, typeof init.signal]);
      return new Response(JSON.stringify(jwksOf(params, 'k1')), { status: 200, headers: { 'content-type': 'application/json' } });
    };
    const options = { appId: params.appId, jwksUrl: 'https://keys.example/jwks', fetch: fetchFn };
    const token = await sign(params.keys.k1.private, claimsAt(params, Date.now()));
    await pkg.verifyCallbackToken(`Bearer ${token}`, options);
    await pkg.verifyCallbackToken(`Bearer ${token}`, options);
    assert.deepEqual(calls, [['https://keys.example/jwks', 'manual', 'object']]);
  });

  t.test('verifyCallbackRequest verifies, then reads and parses the body', async ({ pkg, assert, params }) => {
    const token = await sign(params.keys.k1.private, claimsAt(params, params.now));
    const body = JSON.stringify({ value: [{ changeType: 'updated', resource: 'communications/calls/1' }] });
    const request = () => new Request('https://bot.example/callback', { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body });
    const parse = (bytes) => JSON.parse(new TextDecoder().decode(bytes)).value;
    const parsed = await pkg.verifyCallbackRequest(request(), staticOptions(params, { parse }));
    assert.equal(parsed.claims.tid, params.tenant);
    assert.deepEqual(parsed.notifications, JSON.parse(body).value);
    assert.equal(new TextDecoder().decode(parsed.body), body);
    const plain = await pkg.verifyCallbackRequest(request(), staticOptions(params));
    assert.equal(new TextDecoder().decode(plain.body), body);
    if (typeof pkg.parseNotifications === 'function') assert.deepEqual(plain.notifications, pkg.parseNotifications(plain.body));
    else assert.equal(plain.notifications, undefined);
    // A request without a valid token is refused before its body is read.
    const forged = new Request('https://bot.example/callback', { method: 'POST', headers: { authorization: `Bearer ${token.slice(0, -3)}AAA` }, body });
    await assert.rejects(pkg.verifyCallbackRequest(forged, staticOptions(params)), { kind: 'badSignature' });
    assert.equal(forged.bodyUsed, false);
    const anonymous = new Request('https://bot.example/callback', { method: 'POST', body });
    await assert.rejects(pkg.verifyCallbackRequest(anonymous, staticOptions(params)), { kind: 'missingToken' });
  });

  t.test('options are checked', async ({ pkg, assert, params }) => {
    const token = `Bearer ${await sign(params.keys.k1.private, claimsAt(params, params.now))}`;
    const jwks = jwksOf(params, 'k1');
    const cases = [
      [{ jwks }, 'missingField', 'appId'],
      [{ appId: '', jwks }, 'emptyValue', 'appId'],
      [{ appId: 'a', jwks, audience: 'b' }, 'unknownOption', 'audience'],
      [{ appId: 'a', jwks, cloud: 'mars' }, 'unknownCloud', 'cloud'],
      [{ appId: 'a', jwks, clockSkewSeconds: 7200 }, 'outOfRange', 'clockSkewSeconds'],
      [{ appId: 'a', jwks, jwksUrl: 'https://x.example/keys' }, 'conflictingOptions', 'jwks'],
      [{ appId: 'a', jwksUrl: 'http://keys.example/jwks' }, 'invalidBaseUrl', 'jwksUrl'],
      [{ appId: 'a', jwksUrl: 42 }, 'invalidType', 'jwksUrl'],
      [{ appId: 'a', jwks, timeoutSeconds: -1 }, 'outOfRange', 'timeoutSeconds'],
      [{ appId: 'a', keySet: {} }, 'invalidType', 'keySet'],
      [{ appId: 'a', jwks: [] }, 'invalidType', 'jwks'],
    ];
    for (const [options, kind, path] of cases) {
      await assert.rejects(pkg.verifyCallbackToken(token, options), { kind, path });
    }
    await assert.rejects(pkg.verifyCallbackToken(token, null), { kind: 'invalidType' });
    await assert.rejects(pkg.verifyCallbackToken(token, staticOptions(params, { clock: () => NaN })), { kind: 'invalidType', path: 'clock' });
    await assert.rejects(pkg.verifyCallbackToken(42, staticOptions(params)), { kind: 'invalidType', path: 'authorization' });
  });
}
