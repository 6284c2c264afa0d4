// The request-builder JS API, run unchanged in Node, workerd and Chromium (tests/harness/portable.mjs).
// params.fixtures: the documented request examples (tests/fixtures/requests), read by the Node side.
export default function (t) {
  const callId = '341a0500-d4bf-4224-8b19-1581168d328b';
  const user = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } };

  t.test('builds a blind transfer to a Teams user', ({ pkg, assert }) => {
    const r = pkg.buildTransferRequest({ callId, transferTarget: user });
    assert.equal(r.method, 'POST');
    assert.equal(r.url, `https://graph.microsoft.com/v1.0/communications/calls/${callId}/transfer`);
    assert.deepEqual(r.headers, { 'content-type': 'application/json' });
    assert.equal(r.bodyText, JSON.stringify({ transferTarget: user }));
    assert.deepEqual(r.body, { transferTarget: user });
    assert.equal(Object.getPrototypeOf(r.body), Object.prototype, 'body is a plain object, not a Map');
    assert.deepEqual(JSON.parse(JSON.stringify(r)), { method: 'POST', url: r.url, headers: r.headers, body: r.body });
  });

  t.test('rebuilds every documented request example field by field', ({ pkg, assert, params }) => {
    assert.ok(params.fixtures.length >= 13, 'fixtures were passed in');
    for (const f of params.fixtures) {
      const body = f.body ?? f.correctedBody;
      const targetKey = f.dialect === 'beta-2018' ? 'target' : 'transferTarget';
      const options = { callId: f.callId ?? callId, apiVersion: f.dialect, transferTarget: body[targetKey] };
      for (const k of ['transferee', 'clientContext', 'operationContext']) if (k in body) options[k] = body[k];
      const r = pkg.buildTransferRequest(options);
      assert.deepEqual(r.body, body, `${f.name}: body`);
      for (const [key, value] of Object.entries(body)) assert.deepEqual(r.body[key], value, `${f.name}: ${key}`);
      assert.match(r.url, f.dialect === 'beta-2018' ? /\/beta\/app\/calls\/[^/]+\/transfer$/ : new RegExp(`/${f.dialect === 'beta' ? 'beta' : 'v1\\.0'}/communications/calls/`), f.name);
    }
  });

  t.test('helpers build validated targets', ({ pkg, assert }) => {
    assert.deepEqual(pkg.teamsUser('u1', { displayName: 'Heidi', endpointType: 'default' }), {
      identity: { user: { id: 'u1', displayName: 'Heidi' } },
      endpointType: 'default',
    });
    assert.deepEqual(pkg.phoneNumber('+12345678901', { languageId: 'en-US', region: 'amer' }), {
      identity: { phone: { '@odata.type': '#microsoft.graph.identity', id: '+12345678901' } },
      languageId: 'en-US',
      region: 'amer',
    });
    assert.deepEqual(pkg.applicationInstance('ai1'), { identity: { applicationInstance: { id: 'ai1' } } });
    assert.throws(() => pkg.phoneNumber('555-0100'), { kind: 'notE164', path: 'identity.phone.id', name: 'GraphCallTransferError' });
    assert.throws(() => pkg.teamsUser(''), { kind: 'emptyValue', path: 'identity.user.id' });
    assert.throws(() => pkg.teamsUser(42), { kind: 'invalidType', path: 'identity.user.id' });
    assert.throws(() => pkg.applicationInstance('a', 'x'), { kind: 'invalidType' });
  });

  t.test('consultative, group-call, PSTN, 2018 and cloud variants', ({ pkg, assert }) => {
    const consult = pkg.buildTransferRequest({ callId, transferTarget: { ...user, replacesCallId: 'c2' }, apiVersion: 'beta' });
    assert.equal(consult.body.transferTarget.replacesCallId, 'c2');
    assert.match(consult.url, /\/beta\/communications\//);
    const transferee = { identity: { user: { id: 'u2' } }, participantId: 'p1' };
    const group = pkg.buildTransferRequest({ callId, transferTarget: user, transferee, clientContext: 'ctx' });
    assert.deepEqual(group.body, { transferTarget: user, transferee, clientContext: 'ctx' });
    const old = pkg.buildTransferRequest({ callId, transferTarget: user, apiVersion: 'beta-2018', operationContext: 'op', clientContext: 'c' });
    assert.equal(old.bodyText, JSON.stringify({ clientContext: 'c', operationContext: 'op', target: user }));
    assert.equal(old.url, `https://graph.microsoft.com/beta/app/calls/${callId}/transfer`);
    const gov = pkg.buildTransferRequest({ callId, transferTarget: user, cloud: 'usGovL5' });
    assert.match(gov.url, /^https:\/\/dod-graph\.microsoft\.us\/v1\.0\//);
    const local = pkg.buildTransferRequest({ callId, transferTarget: user, baseUrl: 'http://127.0.0.1:8787/' });
    assert.match(local.url, /^http:\/\/127\.0\.0\.1:8787\/v1\.0\//);
  });

  t.test('client-request-id: given, generated, and stable in the request', ({ pkg, assert }) => {
    const given = pkg.buildTransferRequest({ callId, transferTarget: user, clientRequestId: 'abc-123' });
    assert.equal(given.headers['client-request-id'], 'abc-123');
    const generated = pkg.buildTransferRequest({ callId, transferTarget: user, clientRequestId: true });
    assert.match(generated.headers['client-request-id'], /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    const init = generated.toFetchInit('tok');
    assert.equal(init.headers.authorization, 'Bearer tok');
    assert.equal(init.body, generated.bodyText);
  });

  t.test('unknown fields, non-ASCII text and future enum values survive', ({ pkg, assert }) => {
    const target = { identity: { user: { id: 'u1', displayName: 'Zoë 👋 “quoted”' }, futureKind: { id: 'f' } }, endpointType: 'holographic', extra: [1, { a: null }] };
    const r = pkg.buildTransferRequest({ callId, transferTarget: target, clientContext: 'ü'.repeat(256) });
    assert.deepEqual(r.body.transferTarget, target);
    assert.equal(r.body.clientContext.length, 256);
  });

  t.test('every bad input gets a typed error with kind and path', ({ pkg, assert }) => {
    const cases = [
      [undefined, 'invalidType', ''],
      [null, 'invalidType', ''],
      ['x', 'invalidType', ''],
      [[], 'invalidType', ''],
      [{ transferTarget: user }, 'missingField', 'callId'],
      [{ callId }, 'missingField', 'transferTarget'],
      [{ callId: '', transferTarget: user }, 'emptyValue', 'callId'],
      [{ callId: '../x', transferTarget: user }, 'unsafeCallId', 'callId'],
      [{ callId: 5, transferTarget: user }, 'invalidType', 'callId'],
      [{ callId, transferTarget: {} }, 'missingIdentity', 'transferTarget.identity'],
      [{ callId, transferTarget: { identity: { phone: { id: '0044 20' } } } }, 'notE164', 'transferTarget.identity.phone.id'],
      [{ callId, transferTarget: { ...user, replacesCallId: '' } }, 'emptyValue', 'transferTarget.replacesCallId'],
      [{ callId, transferTarget: user, transferee: { participantId: 'p' } }, 'missingIdentity', 'transferee.identity'],
      [{ callId, transferTarget: user, transferee: user }, 'missingField', 'transferee.participantId'],
      [{ callId, transferTarget: user, clientContext: 'x'.repeat(257) }, 'tooLong', 'clientContext'],
      [{ callId, transferTarget: user, operationContext: 'o' }, 'unsupportedInDialect', 'operationContext'],
      [{ callId, transferTarget: user, apiVersion: 'beta-2018', transferee: { identity: user.identity, participantId: 'p' } }, 'unsupportedInDialect', 'transferee'],
      [{ callId, transferTarget: user, apiVersion: 'v2.0' }, 'unknownApiVersion', 'apiVersion'],
      [{ callId, transferTarget: user, cloud: 'moon' }, 'unknownCloud', 'cloud'],
      [{ callId, transferTarget: user, baseUrl: 'http://graph.example' }, 'invalidBaseUrl', 'baseUrl'],
      [{ callId, transferTarget: user, cloud: 'global', baseUrl: 'https://a.example' }, 'conflictingOptions', 'cloud'],
      [{ callId, transferTarget: user, clientRequestId: 'a b' }, 'invalidHeaderValue', 'clientRequestId'],
      [{ callId, transferTarget: user, bogus: 1 }, 'unknownOption', 'bogus'],
      [{ callId, transferTarget: { identity: { user: { id: 1n } } } }, 'invalidType', ''],
    ];
    for (const [options, kind, path] of cases) {
      const error = assert.throws(() => pkg.buildTransferRequest(options), { kind, path, name: 'GraphCallTransferError' }, JSON.stringify(options, (_, v) => (typeof v === 'bigint' ? 'bigint' : v)));
      assert.ok(error instanceof Error, 'an Error object');
      assert.ok(pkg.isGraphCallTransferError(error));
      assert.equal(typeof error.reason, 'string');
    }
    const cyclic = { callId };
    cyclic.transferTarget = cyclic;
    assert.throws(() => pkg.buildTransferRequest(cyclic), { kind: 'invalidType', path: '' });
  });

  t.test('parseTransferBody validates received bodies in each dialect', ({ pkg, assert }) => {
    assert.deepEqual(pkg.parseTransferBody(JSON.stringify({ transferTarget: user })), { transferTarget: user });
    assert.deepEqual(pkg.parseTransferBody(new TextEncoder().encode(JSON.stringify({ target: user })), 'beta-2018'), { target: user });
    assert.throws(() => pkg.parseTransferBody('{"target":{}}'), { kind: 'unsupportedInDialect', path: 'target' });
    assert.throws(() => pkg.parseTransferBody('{"transferTarget":'), { kind: 'invalidJson', path: 'transferTarget' });
    assert.throws(() => pkg.parseTransferBody(42), { kind: 'invalidType' });
    assert.throws(() => pkg.parseTransferBody('{}', 'v9'), { kind: 'unknownApiVersion' });
  });
}
