// Portable suite for parseNotifications and TransferTracker: runs unchanged in Node, workerd and
// Chromium. params.fixtures = the doc fixtures of tests/fixtures/notifications (read by the
// node:test file, since workers and pages cannot read files).

const GOOD = '{"changeType":"updated","resourceUrl":"/communications/calls/c1","resourceData":{"@odata.type":"#microsoft.graph.call","state":"transferring"}}';
const body = (items) => `{"value":[${items.join(',')}]}`;

function callIdOf(url) {
  const m = /\/calls\/([^/?#]+)/.exec(url);
  return m ? m[1] : null;
}

function expectedTransfer(name, item) {
  const slug = name.replace(/\.json$/, '');
  if (slug.endsWith('transfer-accepted')) return 'transferAccepted';
  if (slug.endsWith('transferring')) return 'transferring';
  if (slug.endsWith('transfer-completed')) return 'transferCompleted';
  if (slug.endsWith('transfer-failed')) return 'transferFailed';
  if (slug.endsWith('-terminated')) {
    if (item.resourceData.terminationReason !== 'AppTransferred') throw new Error(`${name}: not AppTransferred`);
    return 'transferCompleted';
  }
  return null;
}

function expectedCode(v) {
  if (v === undefined || v === null) return null;
  if (typeof v === 'string' && /^-?\d+$/.test(v)) return Number(v);
  return v;
}

function today(call, change, data) {
  return `{"@odata.type":"#microsoft.graph.commsNotifications","value":[{"@odata.type":"#microsoft.graph.commsNotification","changeType":"${change}","resourceUrl":"/communications/calls/${call}","resourceData":{"@odata.type":"#microsoft.graph.call",${data}}}]}`;
}
const transferring = (c) => today(c, 'updated', '"state":"transferring"');
const accepted = (c) => today(c, 'updated', '"state":"transferAccepted"');
const completed = (c) => today(c, 'deleted', '"state":"terminated","resultInfo":{"code":0,"subcode":7015,"message":"GracefulTransferCompleted"}');
const failed = (c) => today(c, 'updated', '"state":"established","resultInfo":{"code":500,"subCode":7000,"message":"<message>"}');

function shuffle(list, seed) {
  let s = BigInt(seed);
  for (let i = list.length - 1; i > 0; i--) {
    s = (s * 6364136223846793005n + 1442695040888963407n) & 0xffffffffffffffffn;
    const j = Number((s >> 33n) % BigInt(i + 1));
    [list[i], list[j]] = [list[j], list[i]];
  }
  return list;
}

export default function (t) {
  t.test('every doc notification parses field by field (string, bytes, ArrayBuffer)', ({ pkg, assert, params }) => {
    assert.ok(params.fixtures.length >= 50, 'all doc examples');
    for (const { name, bodyText, body: parsedBody, expect } of params.fixtures) {
      const bytes = new TextEncoder().encode(bodyText);
      const results = [
        pkg.parseNotifications(bodyText),
        pkg.parseNotifications(bytes),
        pkg.parseNotifications(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length)),
      ];
      for (const r of results) {
        assert.deepEqual(r.errors, [], name);
        assert.equal(r.notifications.length, parsedBody.value.length, name);
        const n = r.notifications[0];
        const item = parsedBody.value[0];
        const rd = item.resourceData;
        assert.ok(n instanceof pkg.Notification, name);
        assert.equal(n.index, 0, name);
        assert.equal(n.changeType, expect.changeType, `${name} changeType`);
        assert.equal(n.resourceUrl, expect.resourceUrl, `${name} resourceUrl`);
        assert.equal(n.callId, callIdOf(expect.resourceUrl), `${name} callId`);
        assert.equal(n.callId, pkg.callIdOf(n.resourceUrl), `${name} callIdOf`);
        assert.equal(n.state, expect.state === 'transfer-accepted' ? 'transferAccepted' : expect.state, `${name} state`);
        assert.equal(n.terminationReason, expect.terminationReason, `${name} terminationReason`);
        if (expect.resultInfo === null) {
          assert.equal(n.resultInfo, null, `${name} resultInfo`);
        } else {
          const sub = 'subcode' in expect.resultInfo ? expect.resultInfo.subcode : expect.resultInfo.subCode;
          assert.deepEqual(n.resultInfo, {
            code: expectedCode(expect.resultInfo.code),
            subcode: expectedCode(sub),
            message: expect.resultInfo.message ?? null,
          }, `${name} resultInfo`);
        }
        assert.equal(n.odataType, Array.isArray(rd) ? null : rd['@odata.type'] ?? null, `${name} odataType`);
        assert.equal(n.etag, (Array.isArray(rd) ? undefined : rd['@odata.etag']) ?? item['@odata.etag'] ?? null, `${name} etag`);
        assert.equal(n.clientContext, rd.clientContext ?? null, `${name} clientContext`);
        assert.equal(n.operationStatus, rd.status ?? null, `${name} operationStatus`);
        const kind = Array.isArray(rd) ? 'participants' : rd['@odata.type'] === '#microsoft.graph.commsOperation' ? 'operation' : 'call';
        assert.equal(n.kind, kind, `${name} kind`);
        assert.equal(n.transfer, expectedTransfer(name, item), `${name} transfer`);
        assert.equal(n.tone, null, name);
        assert.ok(bodyText.includes(n.resourceDataText), `${name} resourceDataText is the exact text`);
        assert.deepEqual(n.resourceData, rd, `${name} resourceData`);
        assert.deepEqual(JSON.parse(JSON.stringify(n)).resourceDataText, n.resourceDataText, name);
      }
      assert.deepEqual(results[1].notifications.map((n) => n.toJSON()), results[0].notifications.map((n) => n.toJSON()), name);
    }
  });

  t.test('bad bodies throw typed errors with a kind and a path', ({ pkg, assert }) => {
    const cases = [
      ['', 'invalidJson', ''],
      ['not json', 'invalidJson', ''],
      ['{"value":[1,}', 'invalidJson', 'value[1]'],
      [new Uint8Array([0x7b, 0xff, 0x7d]), 'invalidUtf8', ''],
      ['[]', 'invalidEnvelope', ''],
      ['{}', 'invalidEnvelope', 'value'],
      ['{"value":{}}', 'invalidEnvelope', 'value'],
      ['{"value":null}', 'invalidEnvelope', 'value'],
      [`{"x":${'['.repeat(100)}${']'.repeat(100)},"value":[]}`, 'tooDeep', 'x'],
      [42, 'invalidType', ''],
      [null, 'invalidType', ''],
    ];
    for (const [input, kind, path] of cases) {
      let caught;
      try {
        pkg.parseNotifications(input);
      } catch (e) {
        caught = e;
      }
      assert.ok(pkg.isGraphCallTransferError(caught), `${String(input).slice(0, 20)} throws`);
      assert.equal(caught.kind, kind, String(input).slice(0, 30));
      assert.equal(caught.path, path, String(input).slice(0, 30));
    }
    assert.throws(() => pkg.parseNotifications('{"value":[]}', { maxBytes: -1 }), /out of range/);
  });

  t.test('size limit: 1 MiB by default, configurable', ({ pkg, assert }) => {
    const big = body([GOOD]).replace('c1', 'x'.repeat(1 << 20));
    for (const input of [big, new TextEncoder().encode(big)]) {
      try {
        pkg.parseNotifications(input);
        assert.ok(false, 'should throw');
      } catch (e) {
        assert.equal(e.kind, 'tooLarge');
      }
    }
    const small = body([GOOD]);
    assert.equal(pkg.parseNotifications(small, { maxBytes: small.length }).notifications.length, 1);
    assert.throws(() => pkg.parseNotifications(small, { maxBytes: small.length - 1 }), /limit is/);
    assert.equal(pkg.parseNotifications(small, { maxDepth: 3 }).errors[0].kind, 'tooDeep');
    const three = body([GOOD, GOOD, GOOD]);
    assert.equal(pkg.parseNotifications(three, { maxItems: 3 }).notifications.length, 3);
    try {
      pkg.parseNotifications(three, { maxItems: 2 });
      assert.ok(false, 'should throw');
    } catch (e) {
      assert.equal(e.kind, 'tooManyItems');
      assert.equal(e.path, 'value');
    }
  });

  t.test('a bad item does not hide the good ones', ({ pkg, assert }) => {
    const r = pkg.parseNotifications(body([
      GOOD,
      '42',
      '{"resourceUrl":"/communications/calls/c2","resourceData":{"state":7}}',
      GOOD,
      '{"resourceData":{"resultInfo":{"code":true}}}',
      `{"resourceData":{"x":${'['.repeat(80)}${']'.repeat(80)}}}`,
    ]));
    assert.deepEqual(r.notifications.map((n) => n.index), [0, 3]);
    assert.deepEqual(r.errors.map((e) => [e.index, e.kind, e.path]), [
      [1, 'invalidType', 'value[1]'],
      [2, 'invalidType', 'value[2].resourceData.state'],
      [4, 'invalidType', 'value[4].resourceData.resultInfo.code'],
      [5, 'tooDeep', 'value[5].resourceData.x'],
    ]);
    assert.ok(r.errors.every((e) => pkg.isGraphCallTransferError(e)));
    assert.equal(r.errors[1].message, 'value[2].resourceData.state: wrong type: expected a string, found a number');
  });

  t.test('escapes, non-ASCII text, unknown values and other resource kinds', ({ pkg, assert }) => {
    const text = body([
      '{"changeType":"Reinvited","resourceUrl":"\\/communications\\/calls\\/caf\\u00e9","resourceData":{"state":"parked","@odata.etag":"W/\\"7\\"","resultInfo":{"code":"404","subCode":"x\\ty","message":"d\u00e9j\u00e0 \ud83d\ude00"}}}',
      '{"changeType":"updated","resourceUrl":"/communications/calls/t\u00fc","resourceData":{"@odata.type":"#microsoft.graph.call","state":"established","toneInfo":{"sequenceId":1,"tone":"tone1"}}}',
      '{"changeType":"updated","resourceUrl":"/communications/calls/m","resourceData":{"state":"established","mediaState":{"audio":"active"}}}',
      '{"changeType":"created","resource":"/app/calls/p/participants","resourceData":[{"@odata.type":"#microsoft.graph.participant","id":"a"}]}',
      '{"changeType":"updated","resourceUrl":"/communications/calls/o/operations/1","resourceData":{"@odata.type":"#microsoft.graph.commsOperation","status":"Failed","clientContext":"ctx"}}',
      '{"changeType":"updated","resourceUrl":"/communications/calls/x","resourceData":{"resultInfo":{"code":500.5,"subcode":12345678901234567890}}}',
    ]);
    const expected = [
      { changeType: 'Reinvited', resourceUrl: '/communications/calls/café', callId: 'café', state: 'parked', etag: 'W/"7"', resultInfo: { code: 404, subcode: 'x\ty', message: 'déjà 😀' }, kind: 'call', transfer: null },
      { changeType: 'updated', callId: 'tü', state: 'established', tone: 'tone1', kind: 'tone', transfer: null },
      { kind: 'mediaState', transfer: null },
      { kind: 'participants', callId: 'p', transfer: null },
      { kind: 'operation', operationStatus: 'failed', clientContext: 'ctx', transfer: 'transferFailed' },
      { resultInfo: { code: '500.5', subcode: '12345678901234567890', message: null }, transfer: null },
    ];
    for (const input of [text, new TextEncoder().encode(text)]) {
      const r = pkg.parseNotifications(input);
      assert.deepEqual(r.errors, []);
      expected.forEach((want, i) => {
        const got = r.notifications[i].toJSON();
        for (const [k, v] of Object.entries(want)) assert.deepEqual(got[k], v, `${i}.${k}`);
      });
      assert.deepEqual(r.notifications[3].resourceData, [{ '@odata.type': '#microsoft.graph.participant', id: 'a' }]);
      assert.equal(JSON.parse(r.notifications[0].resourceDataText).resultInfo.message, 'déjà 😀');
    }
  });

  t.test('tracker: documented flow, duplicates, late notifications, final phases', ({ pkg, assert }) => {
    const tr = new pkg.TransferTracker();
    assert.deepEqual(tr.register('c', { now: 0 }), []);
    const feed = (text, messageId, now) => tr.observe(pkg.parseNotifications(text), { messageId, now }).map((x) => `${x.from}>${x.to}`);
    assert.deepEqual(feed(transferring('c'), 'm1', 1), ['requested>transferring']);
    assert.deepEqual(feed(transferring('c'), 'm1', 2), []);
    assert.deepEqual(feed(transferring('c'), 'm2', 3), []);
    assert.deepEqual(feed(completed('c'), 'm3', 4), ['transferring>completed']);
    assert.deepEqual(feed(accepted('c'), 'm4', 5), []);
    assert.deepEqual(feed(failed('c'), 'm5', 6), []);
    const info = tr.get('c');
    assert.equal(info.phase, 'completed');
    assert.equal(info.duplicates, 2);
    assert.equal(info.late, 2);
    assert.deepEqual(info.resultInfo, { code: 0, subcode: 7015, message: 'GracefulTransferCompleted' });
    assert.deepEqual(info.history.map((h) => [h.from, h.to, h.at, h.event, h.messageId]), [
      ['requested', 'transferring', 1, 'transferring', 'm1'],
      ['transferring', 'completed', 4, 'transferCompleted', 'm3'],
    ]);
    assert.equal(tr.phase('nobody'), null);
    assert.equal(tr.get('nobody'), null);
  });

  t.test('tracker: accepted before transferring; failure keeps resultInfo; clientContext', ({ pkg, assert }) => {
    const tr = new pkg.TransferTracker();
    tr.register('a', { now: 0 });
    tr.register('b', { now: 0, clientContext: 'ctx-b' });
    const feed = (text, now) => tr.observe(pkg.parseNotifications(text), { now }).map((x) => `${x.callId}:${x.from}>${x.to}`);
    assert.deepEqual(feed(accepted('a'), 1), ['a:requested>accepted']);
    assert.deepEqual(feed(transferring('a'), 2), []);
    assert.equal(tr.phase('a'), 'accepted');
    assert.deepEqual(feed(failed('a'), 3), ['a:accepted>failed']);
    assert.deepEqual(tr.get('a').resultInfo, { code: 500, subcode: 7000, message: '<message>' });
    const op = '{"value":[{"changeType":"updated","resource":"/app/operations/1","resourceData":{"@odata.type":"#microsoft.graph.commsOperation","clientContext":"ctx-b","status":"failed","resultInfo":{"code":"403","subCode":"7505"}}}]}';
    assert.deepEqual(feed(op, 4), ['b:requested>failed']);
    assert.deepEqual(tr.get('b').resultInfo, { code: 403, subcode: 7505, message: null });
  });

  t.test('tracker: stalled with time passed in, unknown states, early notifications', ({ pkg, assert }) => {
    const tr = new pkg.TransferTracker({ stallAfterMs: 1000 });
    tr.observe(pkg.parseNotifications(transferring('early')), { now: 0, messageId: 'e1' });
    assert.deepEqual(tr.register('early', { now: 10 }).map((x) => x.to), ['transferring']);
    tr.register('c', { now: 0 });
    tr.observe(pkg.parseNotifications(today('c', 'updated', '"state":"parking"')), { now: 1 });
    assert.deepEqual(tr.get('c').unknownStates, ['parking']);
    assert.equal(tr.get('c').lastState, 'parking');
    assert.deepEqual(tr.tick(999), []);
    assert.deepEqual(tr.tick(1000).map((x) => [x.callId, x.to]), [['c', 'stalled']]);
    assert.deepEqual(tr.tick(1010).map((x) => [x.callId, x.from, x.to]), [['early', 'transferring', 'stalled']]);
    assert.equal(tr.phase('c'), 'stalled');
    assert.deepEqual(tr.observe(pkg.parseNotifications(accepted('c')), { now: 1500 }).map((x) => [x.from, x.to]), [['stalled', 'accepted']]);
    assert.throws(() => tr.tick(-1), /out of range/);
    assert.throws(() => tr.observe([], {}), /out of range/);
    assert.throws(() => tr.register(5, { now: 0 }), /expected a string/);
    assert.throws(() => tr.register('', { now: 0 }), /must not be empty/);
  });

  t.test('tracker: many interleaved calls with duplicates and reordering', ({ pkg, assert }) => {
    const tr = new pkg.TransferTracker();
    const events = [];
    for (let c = 0; c < 300; c++) {
      const id = `call-${c}`;
      tr.register(id, { now: 0 });
      [transferring(id), accepted(id), c % 3 === 0 ? failed(id) : completed(id)].forEach((b, k) => {
        events.push([`m-${c}-${k}`, b], [`m-${c}-${k}`, b]);
      });
    }
    shuffle(events, 7);
    events.forEach(([messageId, text], i) => tr.observe(pkg.parseNotifications(text), { messageId, now: i }));
    const all = tr.transfers();
    assert.equal(all.length, 300);
    for (const t of all) {
      const c = Number(t.callId.slice(5));
      assert.equal(t.phase, c % 3 === 0 ? 'failed' : 'completed', t.callId);
      assert.ok(t.duplicates >= 3, t.callId);
      assert.ok(t.history.length >= 1 && t.history.length <= 3, t.callId);
    }
  });

  t.test('tracker: toJSON / fromJSON and observeBody', ({ pkg, assert }) => {
    const tr = new pkg.TransferTracker({ stallAfterMs: 50 });
    tr.register('a', { now: 0, clientContext: 'ctx' });
    const r = tr.observeBody(new TextEncoder().encode(transferring('a')), { messageId: 'm1', now: 5 });
    assert.deepEqual(r.transitions.map((x) => x.to), ['transferring']);
    assert.equal(r.errorCount, 0);
    const state = JSON.parse(JSON.stringify(tr));
    assert.equal(state.transfers.a.phase, 'transferring');
    for (const copy of [pkg.TransferTracker.fromJSON(state), pkg.TransferTracker.fromJSON(JSON.stringify(state))]) {
      assert.deepEqual(copy.toJSON(), tr.toJSON());
      assert.deepEqual(copy.observeBody(transferring('a'), { messageId: 'm1', now: 6 }).transitions, []);
      assert.deepEqual(copy.tick(55).map((x) => x.to), ['stalled']);
      assert.deepEqual(copy.observeBody(completed('a'), { now: 60 }).transitions.map((x) => [x.from, x.to]), [['stalled', 'completed']]);
      assert.equal(tr.phase('a'), 'transferring');
    }
    let caught;
    try {
      pkg.TransferTracker.fromJSON('{"transfers":{"a":{"callId":1}}}');
    } catch (e) {
      caught = e;
    }
    assert.equal(caught.kind, 'invalidType');
    assert.equal(caught.path, 'transfers.a.callId');
    assert.throws(() => tr.observeBody('nope', { now: 1 }), /not valid JSON/);
    assert.equal(tr.remove('a'), true);
    assert.equal(tr.remove('a'), false);
    tr.free();
  });

  t.test('tracker: observe and observeBody agree on random bodies (escapes, dialects, codes, early, duplicates)', ({ pkg, assert }) => {
    let seed = 12345;
    const rnd = (n) => {
      // mulberry32
      seed = (seed + 0x6d2b79f5) | 0;
      let x = Math.imul(seed ^ (seed >>> 15), 1 | seed);
      x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
      return ((x ^ (x >>> 14)) >>> 0) % n;
    };
    const pick = (list) => list[rnd(list.length)];
    const ids = ['a', 'b\\u0063', 'é😀', 'q\\"x'];
    const urls = (id) => pick([
      `"resourceUrl":"/communications/calls/${id}"`,
      `"resource":"/app/calls/${id}"`,
      `"resourceUrl":"\\/communications\\/calls\\/${id}\\/participants"`,
    ]);
    const states = ['"state":"transferring"', '"callState":"transfer-accepted"', '"state":"transferAccepted"',
      '"state":"terminated"', '"state":"established"', '"state":"parking"', '"state":"transf\\u0065rring"',
      '"state":"\\ud800x"', '"state":"déjà"'];
    const codes = ['0', '200', '"403"', '"7015"', '500.5', '12345678901234567890', '"transferring"', '-0', 'null'];
    const messages = ['"ok"', '"d\\u00e9j\\u00e0 😀"', '"\\udc00"', 'null', '"<m>"'];
    const item = () => {
      const op = rnd(6) === 0;
      if (op) {
        const ctx = pick(['ctx-1', 'ctx-2', 'c\\u0074x-1']);
        return `{"changeType":"updated","resourceUrl":"/communications/calls/${pick(ids)}/operations/7","resourceData":{"@odata.type":"#microsoft.graph.commsOperation","clientContext":"${ctx}","status":"${pick(['failed', 'completed'])}","resultInfo":{"code":${pick(codes)},"subCode":${pick(codes)}}}}`;
      }
      const data = [`"@odata.type":"#microsoft.graph.call"`, pick(states)];
      if (rnd(2) === 0) data.push(`"resultInfo":{"code":${pick(codes)},"${pick(['subcode', 'subCode'])}":${pick(codes)},"message":${pick(messages)}}`);
      if (rnd(3) === 0) data.push(`"terminationReason":"${pick(['AppTransferred', 'AppInitiated', 'x\\ty'])}"`);
      return `{"changeType":"${pick(['updated', 'deleted', 'created', 'Re\\u0061dded'])}",${urls(pick(ids))},"resourceData":{${data.join(',')}}}`;
    };
    const relevant = (n) => n.transfer !== null || n.state !== null || n.changeType === 'deleted';
    let compared = 0;
    for (let round = 0; round < 40; round++) {
      const options = { stallAfterMs: 20, maxMessageIds: 1 + rnd(4), maxEarlyPerCall: 1 + rnd(3), maxEarlyCalls: 1 + rnd(3) };
      const viaObserve = new pkg.TransferTracker(options);
      const viaBody = new pkg.TransferTracker(options);
      for (let step = 0; step < 12; step++) {
        const now = round * 1000 + step * 7;
        const k = rnd(8);
        if (k < 2) {
          const id = JSON.parse(`"${pick(ids)}"`);
          const ctx = pick([undefined, 'ctx-1', 'ctx-2']);
          assert.deepEqual(viaBody.register(id, { clientContext: ctx, now }), viaObserve.register(id, { clientContext: ctx, now }));
        } else if (k === 2) {
          assert.deepEqual(viaBody.tick(now), viaObserve.tick(now));
        } else {
          const text = body(Array.from({ length: 1 + rnd(3) }, item));
          const parsed = pkg.parseNotifications(text);
          if (!parsed.notifications.every(relevant)) continue;
          const messageId = pick([undefined, 'm1', 'm2', 'm\\3', 'ü']);
          const input = rnd(2) === 0 ? text : new TextEncoder().encode(text);
          const r = viaBody.observeBody(input, { messageId, now });
          assert.deepEqual(r.transitions, viaObserve.observe(parsed, { messageId, now }), text);
          assert.equal(r.errorCount, parsed.errors.length);
          compared += parsed.notifications.length;
        }
        assert.deepEqual(viaBody.toJSON(), viaObserve.toJSON());
      }
      viaObserve.free();
      viaBody.free();
    }
    assert.ok(compared > 100, `${compared} notifications compared`);
  });

  t.test('tracker: observeBody feeds every notification, observe only those that matter', ({ pkg, assert }) => {
    // No state, no transfer, not deleted: observe skips it; observeBody feeds it to the tracker,
    // which records its terminationReason and message id (and counts a redelivery as a duplicate).
    const quiet = body(['{"changeType":"updated","resourceUrl":"/communications/calls/a","resourceData":{"terminationReason":"x"}}', GOOD]);
    const a = new pkg.TransferTracker();
    a.register('a', { now: 0 });
    assert.deepEqual(a.observe(pkg.parseNotifications(quiet), { messageId: 'm', now: 1 }), []);
    assert.equal(a.get('a').terminationReason, null);
    assert.deepEqual(a.toJSON().seen, ['m#1']);
    a.observe(pkg.parseNotifications(quiet), { messageId: 'm', now: 2 });
    assert.equal(a.get('a').duplicates, 0);
    const b = new pkg.TransferTracker();
    b.register('a', { now: 0 });
    assert.deepEqual(b.observeBody(quiet, { messageId: 'm', now: 1 }), { transitions: [], errorCount: 0 });
    assert.equal(b.get('a').terminationReason, 'x');
    assert.deepEqual(b.toJSON().seen, ['m#0', 'm#1']);
    b.observeBody(quiet, { messageId: 'm', now: 2 });
    assert.equal(b.get('a').duplicates, 1);
    // Bad items are counted, the good ones fed.
    const r = b.observeBody(body(['1', GOOD.replace('c1', 'a'), '{"changeType":5}']), { now: 3 });
    assert.deepEqual([r.transitions.map((x) => x.to), r.errorCount], [['transferring'], 2]);
    b.free();
    a.free();
  });

  t.test('tracker: observe applies what came before a bad entry; freed trackers', ({ pkg, assert }) => {
    const tr = new pkg.TransferTracker();
    tr.register('c1', { now: 0 });
    const [n] = pkg.parseNotifications(body([GOOD])).notifications;
    assert.throws(() => tr.observe([n, { state: 'transferring' }], { now: 1 }), /Notification objects/);
    assert.equal(tr.phase('c1'), 'transferring');
    assert.throws(() => tr.observe({ notifications: 5 }, { now: 1 }), /expected a Notification/);
    assert.throws(() => tr.observe([n], { now: 1, messageId: 5 }), /expected a string/);
    assert.deepEqual(tr.observe(n, { now: 2, messageId: 'x' }), []);
    assert.equal(tr.get('c1').duplicates, 1);
    tr.free();
    // A freed tracker: nothing to feed is fine, feeding throws.
    assert.deepEqual(tr.observe([], { now: 3 }), []);
    assert.throws(() => tr.observe([n], { now: 3 }), /live tracker/);
    assert.throws(() => tr.observeBody(body([]), { now: 3 }), /live tracker/);
    assert.throws(() => tr.observeBody('nope', { now: 3 }), /not valid JSON/);
    assert.throws(() => tr.observeBody(body([]), { now: -1 }), /out of range/);
  });
}
