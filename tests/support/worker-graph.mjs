// A small Graph stand-in for the worker tests, on 127.0.0.1: it answers transfer requests the way
// Graph does (202, or 200 with a commsOperation for the 2018 beta), records them, and produces
// the notification bodies Graph would POST back, which the tests sign and deliver.
import { createServer } from 'node:http';

/**
 * Starts the stand-in. `token` is the Graph bearer token the worker must send; `jwks`, when
 * given, is served at GET /keys (counted in `keyFetches`).
 */
export async function startGraph({ token, jwks }) {
  let keyFetches = 0;
  const requests = [];
  const answers = new Map(); // callId -> { status, body }
  const server = createServer((req, res) => {
    const chunks = [];
    let size = 0;
    req.on('data', (c) => {
      size += c.length;
      if (size <= 1 << 20) chunks.push(c);
    });
    req.on('end', () => {
      const url = new URL(req.url, 'http://127.0.0.1');
      const m = /^\/(v1\.0|beta)\/(communications|app)\/calls\/([^/]+)\/transfer$/.exec(url.pathname);
      if (req.method === 'GET' && url.pathname === '/keys' && jwks !== undefined) {
        keyFetches++;
        res.writeHead(200, { 'content-type': 'application/json' });
        res.end(JSON.stringify(jwks));
        return;
      }
      const bodyText = Buffer.concat(chunks).toString('utf8');
      const record = { method: req.method, path: url.pathname, headers: req.headers, bodyText };
      requests.push(record);
      const send = (status, body, headers = {}) => {
        res.writeHead(status, { 'content-type': 'application/json', 'request-id': `req-${requests.length}`, ...headers });
        res.end(body === undefined ? '' : JSON.stringify(body));
      };
      if (req.method !== 'POST' || m === null) return send(404, { error: { code: 'NotFound', message: 'no such route' } });
      if (req.headers.authorization !== `Bearer ${token}`) {
        return send(401, { error: { code: 'InvalidAuthenticationToken', message: 'bad token' } });
      }
      const callId = decodeURIComponent(m[3]);
      record.callId = callId;
      const planned = answers.get(callId);
      if (planned !== undefined) return send(planned.status, planned.body, planned.headers);
      if (m[2] === 'app') {
        // The 2018 beta answers 200 with a commsOperation.
        let clientContext = null;
        try {
          clientContext = JSON.parse(bodyText).clientContext ?? null;
        } catch {}
        return send(200, {
          '@odata.type': '#microsoft.graph.commsOperation',
          id: `op-${callId}`,
          status: 'running',
          clientContext,
          createdDateTime: new Date().toISOString(),
          lastActionDateTime: new Date().toISOString(),
        });
      }
      return send(202);
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    baseUrl: `http://127.0.0.1:${server.address().port}`,
    requests,
    get keyFetches() {
      return keyFetches;
    },
    /** Makes Graph answer transfers of `callId` with this status and error body. */
    answer(callId, status, body, headers) {
      answers.set(callId, { status, body, headers });
    },
    close: () => new Promise((resolve) => server.close(resolve)),
  };
}

function envelope(items) {
  return JSON.stringify({ '@odata.type': '#microsoft.graph.commsNotifications', value: items });
}

function callItem(callId, changeType, resourceData) {
  return {
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType,
    resourceUrl: `/communications/calls/${callId}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', ...resourceData },
  };
}

function item2018(callId, changeType, resourceData) {
  return {
    changeType,
    resource: `/app/calls/${callId}`,
    resourceData: { '@odata.type': '#microsoft.graph.call', '@odata.id': `/app/calls/${callId}`, '@odata.etag': 'W/"5445"', ...resourceData },
  };
}

/** A participants update: about the call, irrelevant to the transfer. */
export function participantsBody(callId, n) {
  return envelope([{
    '@odata.type': '#microsoft.graph.commsNotification',
    changeType: 'updated',
    resourceUrl: `/communications/calls/${callId}/participants`,
    resourceData: [{ '@odata.type': '#microsoft.graph.participant', id: `p-${n}`, info: { identity: { user: { id: `u-${n}` } } }, isMuted: n % 2 === 0 }],
  }]);
}

/**
 * The notification bodies Graph sends for a transfer of `callId`, in order:
 * outcome "completed" or "failed", dialect "v1.0" or "beta-2018".
 */
export function transferBodies(callId, outcome, dialect = 'v1.0') {
  if (dialect === 'beta-2018') {
    const bodies = [envelope([item2018(callId, 'updated', { callState: 'transferring' })])];
    if (outcome === 'completed') {
      bodies.push(envelope([item2018(callId, 'updated', { callState: 'transfer-accepted' })]));
      bodies.push(envelope([item2018(callId, 'updated', { callState: 'terminated', terminationReason: 'AppTransferred' })]));
      bodies.push(envelope([item2018(callId, 'deleted', { callState: 'terminated', terminationReason: 'AppTransferred' })]));
    } else {
      bodies.push(envelope([item2018(callId, 'updated', {
        callState: 'established',
        resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: '500', subcode: '7000', message: 'TransferFailed' },
      })]));
    }
    return bodies;
  }
  const bodies = [envelope([callItem(callId, 'updated', { state: 'transferring' })])];
  if (outcome === 'completed') {
    bodies.push(envelope([callItem(callId, 'updated', { state: 'transferAccepted' })]));
    bodies.push(envelope([callItem(callId, 'deleted', {
      state: 'terminated',
      resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 0, subcode: 7015, message: 'GracefulTransferCompleted' },
    })]));
  } else {
    bodies.push(envelope([callItem(callId, 'updated', {
      state: 'established',
      resultInfo: { '@odata.type': '#microsoft.graph.resultInfo', code: 500, subCode: 7000, message: '<message>' },
    })]));
  }
  return bodies;
}

/** One body carrying notifications about several calls (Graph batches them). */
export function batchBody(items) {
  return envelope(items.map(([callId, state]) => callItem(callId, 'updated', { state })));
}

export { envelope, callItem };
