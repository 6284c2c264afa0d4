// Benchmark inputs for benches/notify.mjs (also used by tests/js/notify.test.mjs): realistic
// callback bodies of about 465 bytes per notification, mixing today's dialect and the 2018 one,
// success and failure flows, 1 or 5 notifications per body. Deterministic (seeded).
//
// referenceParse is the baseline "JSON.parse + a hand-written JS normalizer" producing the same
// fields as Notification.toJSON() (resourceData instead of resourceDataText, see comparable()).

function rng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 4294967296;
  };
}

function uuid(r) {
  const h = () => Math.floor(r() * 16).toString(16);
  const part = (n) => Array.from({ length: n }, h).join('');
  return `${part(8)}-${part(4)}-4${part(3)}-a${part(3)}-${part(12)}`;
}

function hex32(r) {
  return uuid(r).replace(/-/g, '').toUpperCase();
}

/** One notification item (an object) of today's dialect. */
function today(r, call, step) {
  const tenant = 'd6b7b5c2-0f4e-4b8a-9c1e-3a2b1c0d9e8f';
  const base = {
    '@odata.type': '#microsoft.graph.call',
    '@odata.id': `/communications/calls/${call}`,
    '@odata.etag': `W/"${Math.floor(r() * 90000) + 10000}"`,
    state: 'transferring',
    callChainId: uuid(r),
    tenantId: tenant,
  };
  let changeType = 'updated';
  if (step === 'accepted') base.state = 'transferAccepted';
  if (step === 'completed') {
    changeType = 'deleted';
    base.state = 'terminated';
    if (r() < 0.5) {
      base.resultInfo = { '@odata.type': '#microsoft.graph.resultInfo', code: 0, subcode: 7015, message: 'GracefulTransferCompleted' };
    } else {
      base.terminationReason = 'AppTransferred';
    }
  }
  if (step === 'failed') {
    base.state = 'established';
    base.resultInfo = { '@odata.type': '#microsoft.graph.resultInfo', code: 500, subCode: r() < 0.5 ? 7000 : 7700, message: 'Transfer failed: the target did not answer' };
  }
  return {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType,
    resourceUrl: `/communications/calls/${call}`,
    resourceData: base,
  };
}

/** One notification item of the 2018 dialect. */
function old(r, call, step) {
  const rd = {
    '@odata.type': '#microsoft.graph.call',
    '@odata.id': `/app/calls/${call}`,
    '@odata.etag': `W/"${Math.floor(r() * 9000) + 1000}"`,
    callState: 'transferring',
    applicationId: uuid(r),
    callRoutes: [{ final: { identity: { user: { id: uuid(r) } } } }],
  };
  let changeType = 'updated';
  if (step === 'accepted') rd.callState = 'transfer-accepted';
  if (step === 'completed') {
    rd.callState = 'terminated';
    rd.terminationReason = 'AppTransferred';
  }
  if (step === 'failed') {
    rd.callState = 'established';
    rd.resultInfo = { code: '500', subCode: '7000', message: 'Transfer failed: the target did not answer' };
  }
  if (step === 'deleted') {
    changeType = 'deleted';
    rd.callState = 'terminated';
    rd.terminationReason = 'AppInitiated';
  }
  return { changeType, resource: `/app/calls/${call}`, resourceData: rd };
}

const FLOWS = [
  ['transferring', 'accepted', 'completed'],
  ['transferring', 'failed'],
  ['transferring', 'accepted', 'completed', 'deleted'],
];

/** `count` bodies with `perBody` notifications each. */
export function makeBatches(count, perBody, seed = 1) {
  const r = rng(seed);
  const items = [];
  while (items.length < count * perBody) {
    const dialect2018 = r() < 0.35;
    const call = dialect2018 ? hex32(r) : uuid(r);
    const flow = FLOWS[Math.floor(r() * FLOWS.length)];
    for (const step of flow) {
      if (step === 'deleted' && !dialect2018) continue;
      items.push(dialect2018 ? old(r, call, step) : today(r, call, step));
    }
  }
  const out = [];
  for (let i = 0; i < count; i++) {
    out.push(JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: items.slice(i * perBody, (i + 1) * perBody) }));
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The reference normalizer (the baseline of the benchmark and the oracle of the parity test).

const STATES = { 'transfer-accepted': 'transferAccepted' };
const STATUSES = { NotStarted: 'notStarted', Running: 'running', Completed: 'completed', Failed: 'failed' };

function str(v) {
  return typeof v === 'string' ? v : null;
}

function codeOf(v) {
  if (typeof v === 'number') return Number.isInteger(v) && Math.abs(v) <= Number.MAX_SAFE_INTEGER ? v : String(v);
  if (typeof v === 'string') {
    if (/^-?\d{1,16}$/.test(v)) {
      const n = Number(v);
      if (Math.abs(n) <= Number.MAX_SAFE_INTEGER) return n || 0;
    }
    return v;
  }
  return null;
}

function callIdOf(url) {
  if (url === null) return null;
  const at = url.indexOf('/calls/');
  if (at < 0) return null;
  const rest = url.slice(at + 7);
  const m = /[/?#]/.exec(rest);
  const id = m === null ? rest : rest.slice(0, m.index);
  return id === '' ? null : id;
}

function normalize(item, index) {
  const rd = item.resourceData;
  const obj = rd !== null && typeof rd === 'object' && !Array.isArray(rd) ? rd : null;
  const resourceUrl = str(item.resourceUrl) ?? str(item.resource);
  const odataType = obj ? str(obj['@odata.type']) : null;
  const rawState = obj ? str(obj.state) ?? str(obj.callState) : null;
  const state = rawState === null ? null : STATES[rawState] ?? rawState;
  const ri = obj && obj.resultInfo && typeof obj.resultInfo === 'object' ? obj.resultInfo : null;
  const resultInfo = ri === null ? null : {
    code: codeOf(ri.code),
    subcode: codeOf(ri.subcode !== undefined && ri.subcode !== null ? ri.subcode : ri.subCode),
    message: str(ri.message),
  };
  const status = obj ? str(obj.status) : null;
  const operationStatus = status === null ? null : STATUSES[status] ?? status;
  const changeType = str(item.changeType);
  const terminationReason = obj ? str(obj.terminationReason) : null;
  const url = resourceUrl ?? '';
  const type = odataType ?? '';
  let kind;
  if (Array.isArray(rd) || type === '#microsoft.graph.participant' || url.includes('/participants')) kind = 'participants';
  else if (type.endsWith('Operation') || url.includes('/operations/')) kind = 'operation';
  else if (obj && obj.toneInfo) kind = 'tone';
  else if (obj && obj.mediaState) kind = 'mediaState';
  else kind = 'call';
  let transfer = null;
  if (kind === 'operation') {
    if (type === '' || type === '#microsoft.graph.commsOperation') {
      const sub = resultInfo && typeof resultInfo.subcode === 'string' ? resultInfo.subcode : null;
      if (operationStatus === 'failed') transfer = 'transferFailed';
      else if (sub === 'transferring') transfer = 'transferring';
      else if (sub === 'transferAccepted' || sub === 'transfer-accepted') transfer = 'transferAccepted';
      else if (sub === 'transferCompleted') transfer = 'transferCompleted';
    }
  } else if (kind !== 'participants') {
    const ended = state === 'terminated' || changeType === 'deleted';
    if (ended && (terminationReason === 'AppTransferred' || (resultInfo && resultInfo.subcode === 7015))) transfer = 'transferCompleted';
    else if (state === 'transferring') transfer = 'transferring';
    else if (state === 'transferAccepted') transfer = 'transferAccepted';
    else if (state === 'established' && resultInfo && typeof resultInfo.code === 'number' && resultInfo.code >= 400) transfer = 'transferFailed';
  }
  return {
    index,
    kind,
    changeType,
    resourceUrl,
    callId: callIdOf(resourceUrl),
    odataType,
    etag: (obj ? str(obj['@odata.etag']) : null) ?? str(item['@odata.etag']),
    state,
    terminationReason,
    resultInfo,
    clientContext: obj ? str(obj.clientContext) : null,
    operationStatus,
    tone: obj && obj.toneInfo ? str(obj.toneInfo.tone) : null,
    transfer,
    resourceData: rd ?? null,
  };
}

/** JSON.parse + the normalizer: one plain object per notification. */
export function referenceNormalize(text) {
  const body = JSON.parse(text);
  const value = body.value;
  const out = new Array(value.length);
  for (let i = 0; i < value.length; i++) out[i] = normalize(value[i], i);
  return out;
}

/** The reference entries in the shape of Notification.toJSON() (for compact JSON input). */
export function referenceParse(text) {
  return referenceNormalize(text).map(({ resourceData, ...rest }) => ({
    ...rest,
    resourceDataText: resourceData === null ? null : JSON.stringify(resourceData),
  }));
}
