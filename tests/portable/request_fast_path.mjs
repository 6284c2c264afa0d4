// The fast path of buildTransferRequest (head strings + body encoded straight into wasm memory, a
// check-only wasm call, URL parts memoized per dialect and base URL), run in Node, workerd and
// Chromium. Every result is compared with what the JSON-head path or the documented URL gives.
export default function (t) {
  const callId = '341a0500-d4bf-4224-8b19-1581168d328b';
  const user = { identity: { user: { id: '550fae72-d251-43ec-868c-373732c2704f' } } };

  t.test('a large request grows the input buffer and later requests still work', ({ pkg, assert }) => {
    const big = { identity: { user: { id: 'u1', displayName: 'é'.repeat(300000) } } };
    const r = pkg.buildTransferRequest({ callId, transferTarget: big });
    assert.equal(r.body.transferTarget.identity.user.displayName.length, 300000);
    const small = pkg.buildTransferRequest({ callId, transferTarget: user });
    assert.equal(small.bodyText, JSON.stringify({ transferTarget: user }));
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: { identity: {} } }), { kind: 'missingIdentity', path: 'transferTarget.identity' });
    // An error deep in a large body after the buffer grew, then a valid request again.
    const bad = { identity: { user: { id: 'u1', displayName: 'x'.repeat(100000) }, phone: { id: '555' } } };
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: bad }), { kind: 'notE164', path: 'transferTarget.identity.phone.id' });
    assert.equal(pkg.buildTransferRequest({ callId: 'c2', transferTarget: user }).url, 'https://graph.microsoft.com/v1.0/communications/calls/c2/transfer');
  });

  t.test('head strings with non-ASCII text are split at the right place', ({ pkg, assert }) => {
    for (const bad of ['a😀b', 'é', '\ud800', 'x\u2028']) {
      const error = assert.throws(() => pkg.buildTransferRequest({ callId: bad, transferTarget: user }), { kind: 'unsafeCallId', path: 'callId' });
      assert.ok(error.reason.length > 0);
    }
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: user, clientRequestId: 'ü😀' }), { kind: 'invalidHeaderValue', path: 'clientRequestId' });
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: user, apiVersion: 'bêta' }), { kind: 'unknownApiVersion', path: 'apiVersion' });
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: user, cloud: '😀' }), { kind: 'unknownCloud', path: 'cloud' });
    // A lone surrogate is never turned into U+FFFD in a URL.
    const lone = assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: user, baseUrl: 'https://a\ud800.example' }), { path: 'baseUrl' });
    assert.ok(['invalidJson', 'invalidBaseUrl'].includes(lone.kind), lone.kind);
    // The body after non-ASCII head strings is still read from the right offset.
    const r = pkg.buildTransferRequest({ callId, transferTarget: user, baseUrl: 'https://prøxy.example/g/', clientRequestId: 'id-1' });
    assert.equal(r.url, `https://prøxy.example/g/v1.0/communications/calls/${callId}/transfer`);
    assert.deepEqual(r.headers, { 'content-type': 'application/json', 'client-request-id': 'id-1' });
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: { identity: { user: { id: '' } } }, baseUrl: 'https://prøxy.example' }), { kind: 'emptyValue', path: 'transferTarget.identity.user.id' });
  });

  t.test('URLs stay right when dialect, cloud and base URL change between calls', ({ pkg, assert }) => {
    const cases = [
      [{}, 'https://graph.microsoft.com/v1.0/communications/calls/'],
      [{ apiVersion: 'beta' }, 'https://graph.microsoft.com/beta/communications/calls/'],
      [{ apiVersion: 'beta-2018' }, 'https://graph.microsoft.com/beta/app/calls/'],
      [{ cloud: 'china' }, 'https://microsoftgraph.chinacloudapi.cn/v1.0/communications/calls/'],
      [{ cloud: 'dod', apiVersion: 'beta' }, 'https://dod-graph.microsoft.us/beta/communications/calls/'],
      [{ baseUrl: 'http://127.0.0.1:8787/' }, 'http://127.0.0.1:8787/v1.0/communications/calls/'],
      [{ baseUrl: 'HTTPS://Proxy.example/x' }, 'https://Proxy.example/x/v1.0/communications/calls/'],
    ];
    for (let round = 0; round < 2; round++) {
      for (const [extra, prefix] of cases) {
        const id = `call-${round}`;
        const r = pkg.buildTransferRequest({ callId: id, transferTarget: user, ...extra });
        assert.equal(r.url, `${prefix}${id}/transfer`, JSON.stringify(extra));
      }
    }
    // A rejected head does not poison the memo.
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: user, baseUrl: 'http://graph.example' }), { kind: 'invalidBaseUrl', path: 'baseUrl' });
    assert.equal(pkg.buildTransferRequest({ callId, transferTarget: user }).url, `https://graph.microsoft.com/v1.0/communications/calls/${callId}/transfer`);
  });

  t.test('the fast path and the JSON-head path agree', ({ pkg, assert }) => {
    // `callId: null` takes the JSON-head path; both report the same missing field.
    assert.throws(() => pkg.buildTransferRequest({ callId: null, transferTarget: user }), { kind: 'missingField', path: 'callId' });
    assert.throws(() => pkg.buildTransferRequest({ transferTarget: user }), { kind: 'missingField', path: 'callId' });
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: user, cloud: 5 }), { kind: 'invalidType', path: 'cloud' });
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: user, cloud: 'global', baseUrl: 'https://a.example' }), { kind: 'conflictingOptions', path: 'cloud' });
    const fast = pkg.buildTransferRequest({ callId, transferTarget: user, clientRequestId: 'r1', apiVersion: 'beta' });
    assert.equal(fast.method, 'POST');
    assert.deepEqual(fast.headers, { 'content-type': 'application/json', 'client-request-id': 'r1' });
    assert.equal(fast.url, `https://graph.microsoft.com/beta/communications/calls/${callId}/transfer`);
  });

  t.test('the compact-JSON quick pass and the full scanner give the same result for any body', ({ pkg, assert }) => {
    // `clientRequestId: null` takes the JSON-head path, which validates the body with the full
    // scanner (request::prepare); without it the fast path runs the quick pass for JSON.stringify's
    // output (request::check_compact). Both must accept the same bodies and throw the same error.
    const outcome = (options) => {
      try {
        const r = pkg.buildTransferRequest(options);
        return { url: r.url, bodyText: r.bodyText, headers: r.headers };
      } catch (error) {
        return { kind: error.kind, path: error.path, message: error.message };
      }
    };
    const deep = (n) => (n === 0 ? 0 : [deep(n - 1)]);
    const ids = ['u', '', ' ', ' u', 'é', '\u00a0', '\u2003x', '😀', 'a"b', 'back\\slash', 'tab\t', '\ud800', '\udc00x', '+12345678901', '+0123', '555', 'x'.repeat(1025), 'é'.repeat(600)];
    const targets = [];
    for (const id of ids) {
      targets.push({ identity: { user: { id } } });
      targets.push({ identity: { phone: { id } } });
      targets.push({ identity: { user: { id: 'u', displayName: id } } });
      targets.push({ identity: { user: { id: 'u' } }, languageId: id, [id]: { id } });
      targets.push({ identity: { device: { id }, [`${id}k`]: [id, { [id]: id }] } });
    }
    targets.push(
      { identity: { user: { id: 'u' } }, x: deep(120) },
      { identity: { user: { id: 'u' } }, x: deep(124) },
      { identity: { user: { id: 'u' } }, x: deep(125) },
      { identity: { user: { id: 'u' }, x: deep(122) } },
      { identity: { user: { id: 'u', x: deep(121) } } },
      { identity: { user: { id: 'u', x: deep(122) } } },
      { identity: { user: null, future: {} } },
      { identity: { user: null, future: 1 } },
      { identity: {} },
      { identity: { user: { id: 'u' } }, transferee: { identity: { user: { id: 'v' } } } },
      { identity: { user: { id: 'u' } }, hidden: 1 },
      { identity: { user: { id: 'u' } }, endpointType: 5 },
      { identity: { user: { id: 'u' } }, endpointType: null, region: null },
      { identity: { user: { id: 1 } } },
      null,
      'x',
    );
    const extras = [{}, { clientContext: 'ctx' }, { clientContext: ' ' }, { clientContext: 'x'.repeat(257) }, { clientContext: 'é'.repeat(200) }, { transferee: { identity: { user: { id: 'v' } }, participantId: 'p' } }, { transferee: { identity: { user: { id: 'v' } } } }, { apiVersion: 'beta-2018', operationContext: 'op' }, { apiVersion: 'beta-2018', operationContext: ' ' }, { apiVersion: 'beta-2018', transferee: {} }, { apiVersion: 'beta' }];
    let accepted = 0;
    for (const transferTarget of targets) {
      for (const extra of extras) {
        const options = { callId, transferTarget, ...extra };
        const fast = outcome(options);
        const full = outcome({ ...options, clientRequestId: null });
        assert.deepEqual(fast, full, JSON.stringify(options).slice(0, 300));
        if (fast.url !== undefined) accepted += 1;
      }
    }
    // Both outcomes occur (the comparison would prove little otherwise).
    assert.ok(accepted > 50 && accepted < targets.length * extras.length - 50, `${accepted} accepted`);
  });

  t.test('the body written without JSON.stringify is exactly JSON.stringify\'s, for any value', ({ pkg, assert }) => {
    // The fast path writes plain objects itself and lets the core confirm no string needed an
    // escape; everything else goes through JSON.stringify. Either way bodyText must be exactly
    // JSON.stringify's, and errors the JSON-head path's (clientRequestId: null takes that path).
    class Point { constructor() { this.x = 1; } }
    const withGetter = { get g() { return 'got'; }, plain: 'p' };
    const protoless = Object.assign(Object.create(null), { a: 'b', n: 1 });
    const cyclic = { a: 'x' };
    cyclic.self = cyclic;
    let deep = { end: 'x' };
    for (let i = 0; i < 40; i++) deep = { d: deep };
    const values = [
      'plain', '', 'a"b', 'back\\slash', 'line\nfeed', '\u0000\u0001\u001f\u007f', 'é', '😀', '\u2028\u2029', '\ud800', 'x\udc00',
      0, -0, 1, -1.5, 1e21, 5e-7, 123456789012345680000, NaN, Infinity, -Infinity, Number.MAX_VALUE, Number.MIN_VALUE,
      true, false, null, undefined, () => 1, Symbol('s'),
      {}, { a: { b: { c: 'd' } } }, { 2: 'two', 1: 'one', b: 'b', a: 'a' }, { 'q"uote': 1, 'back\\': 2, 'ctl\n': 3, '': 4 },
      { u: undefined, f() {}, s: Symbol('x'), kept: 'k' }, withGetter, protoless, new Point(), new Date(0), { toJSON: () => 'custom' },
      ['array', 1, undefined, null], new Map([[1, 2]]), new String('boxed'), Object(1), deep, 10n, cyclic,
    ];
    const outcome = (options) => {
      try {
        const r = pkg.buildTransferRequest(options);
        return { bodyText: r.bodyText, url: r.url };
      } catch (error) {
        return { kind: error.kind, path: error.path };
      }
    };
    let compared = 0;
    for (const value of values) {
      for (const transferTarget of [
        { identity: { user: { id: 'u' } }, extra: value },
        { extra: value, identity: { user: { id: 'u', displayName: value } } },
      ]) {
        for (const extra of [{}, { clientContext: 'c"x' }, { apiVersion: 'beta-2018', operationContext: value }]) {
          const options = { callId, transferTarget, ...extra };
          const fast = outcome(options);
          const full = outcome({ ...options, clientRequestId: null });
          assert.deepEqual(fast, full, String(typeof value));
          if (fast.bodyText !== undefined) {
            const { callId: _, apiVersion, ...rest } = options;
            const body = apiVersion === 'beta-2018'
              ? { clientContext: rest.clientContext, operationContext: rest.operationContext, transferee: rest.transferee, target: transferTarget }
              : { transferTarget, ...(rest.clientContext === undefined ? {} : { clientContext: rest.clientContext }) };
            assert.equal(fast.bodyText, JSON.stringify(body));
            compared += 1;
          }
        }
      }
    }
    assert.ok(compared > 100, `${compared} bodies compared`);
    // A polluted Object.prototype (for...in would list its member; JSON.stringify does not).
    Object.prototype.polluted = 'p'; // eslint-disable-line no-extend-native
    try {
      const r = pkg.buildTransferRequest({ callId, transferTarget: user });
      assert.equal(r.bodyText, JSON.stringify({ transferTarget: user }));
    } finally {
      delete Object.prototype.polluted;
    }
    // A getter that throws: the error is JSON.stringify's, as a typed error.
    const throwing = { identity: { user: { id: 'u' } }, get boom() { throw new Error('no'); } };
    assert.throws(() => pkg.buildTransferRequest({ callId, transferTarget: throwing }), { kind: 'invalidType', path: '' });
  });
  t.test('member names past the prefix cache bound and unusual names are written exactly', ({ pkg, assert }) => {
    // js/request.js caches the text before each member's value for 1,024 names; later names are
    // written without the cache, and the cached ones stay right.
    for (let round = 0; round < 2; round++) {
      for (let i = 0; i < 1500; i += 7) {
        const transferTarget = { identity: { user: { id: 'u' } }, [`extra${i}`]: i % 2 === 0 ? `v${i}` : { n: i, b: true, z: null } };
        const r = pkg.buildTransferRequest({ callId, transferTarget });
        assert.equal(r.bodyText, JSON.stringify({ transferTarget }));
      }
    }
    const names = JSON.parse('{"__proto__":"p","constructor":"c","":"empty","é😀":"u","a\\"b":"q","toString":1}');
    const transferTarget = { identity: { user: { id: 'u' } }, ...names };
    Object.defineProperty(transferTarget, '__proto__', { value: { x: 1 }, enumerable: true });
    for (let round = 0; round < 2; round++) {
      assert.equal(pkg.buildTransferRequest({ callId, transferTarget }).bodyText, JSON.stringify({ transferTarget }));
    }
  });
}
