// A fault-injecting fake of Graph's transfer endpoint on 127.0.0.1, scripted per test over HTTP so
// that a test running in Node, workerd or Chromium can drive it the same way.
//
//   PUT  /_script/<run>     body: JSON array of steps, one per attempt (the last one repeats)
//   POST /r/<run>/...       an attempt: recorded, then answered by the next step
//   GET  /_seen/<run>       JSON array of the attempts received: { method, path, headers, body, at }
//
// A step: { status, headers?, json?, body?, delayMs?, reset?, retryAfter?, retryAfterInMs? }
//   json         a JSON body (content-type application/json)
//   body         a raw text body (give `headers['content-type']` yourself)
//   delayMs      wait this long before answering (a slow Graph)
//   reset        destroy the connection instead of answering (a dropped connection)
//   retryAfter   the Retry-After header as given (seconds or a date string)
//   retryAfterInMs  Retry-After as an HTTP date this many ms after the attempt arrived
//   hideRetryAfter  leave Retry-After out of access-control-expose-headers, as Graph does
//
// Every response carries CORS headers (Chromium pages are on another 127.0.0.1 port) and
// `connection: close`, so that each attempt uses a fresh connection: a browser transparently
// resends a request whose *reused* keep-alive connection is reset, which would blur what the
// server sees from one fetch.
import { createServer } from 'node:http';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'POST, PUT, GET',
  'access-control-allow-headers': 'authorization, content-type, client-request-id, retry-attempt',
  'access-control-expose-headers': 'request-id, client-request-id, retry-after, date',
  'access-control-max-age': '600',
};
const RECORDED_HEADERS = ['authorization', 'content-type', 'client-request-id', 'retry-attempt'];
const MAX_BODY = 1 << 20;
const MAX_DELAY_MS = 30_000;

function readBody(req) {
  return new Promise((resolve, reject) => {
    const chunks = [];
    let size = 0;
    req.on('data', (chunk) => {
      size += chunk.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

/** Starts the fake on an ephemeral 127.0.0.1 port. */
export async function startFakeGraph() {
  const scripts = new Map();
  const seen = new Map();
  const timers = new Set();

  const send = (res, status, headers, body = '') => {
    if (res.destroyed || res.headersSent) return;
    res.writeHead(status, { ...CORS, connection: 'close', ...headers });
    res.end(body);
  };

  const answer = (req, res, step, attempt, run) => {
    if (step.reset) {
      req.socket.destroy();
      return;
    }
    const headers = {
      'request-id': `req-${run.slice(0, 8)}-${attempt}`,
      ...(req.headers['client-request-id'] ? { 'client-request-id': req.headers['client-request-id'] } : {}),
    };
    if (step.retryAfter !== undefined) headers['retry-after'] = String(step.retryAfter);
    if (step.retryAfterInMs !== undefined) headers['retry-after'] = new Date(Date.now() + step.retryAfterInMs).toUTCString();
    let body = '';
    if (step.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(step.json);
    } else if (step.body !== undefined) {
      body = step.body;
    }
    if (step.hideRetryAfter) headers['access-control-expose-headers'] = 'request-id, client-request-id, date';
    Object.assign(headers, step.headers);
    send(res, step.status ?? 202, headers, body);
  };

  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, 'http://127.0.0.1');
      const [, area, run] = url.pathname.split('/');
      if (req.method === 'OPTIONS') return send(res, 204, {});
      if (area === '_script' && req.method === 'PUT' && run) {
        const steps = JSON.parse(await readBody(req));
        if (!Array.isArray(steps) || steps.length === 0) return send(res, 400, {}, 'a script is a non-empty array');
        scripts.set(run, steps);
        seen.set(run, []);
        return send(res, 204, {});
      }
      if (area === '_seen' && req.method === 'GET' && run) {
        return send(res, 200, { 'content-type': 'application/json' }, JSON.stringify(seen.get(run) ?? []));
      }
      if (area === 'r' && run && scripts.has(run)) {
        const body = await readBody(req);
        const attempts = seen.get(run);
        const headers = {};
        for (const name of RECORDED_HEADERS) {
          if (req.headers[name] !== undefined) headers[name] = req.headers[name];
        }
        attempts.push({ method: req.method, path: url.pathname, headers, body, at: Date.now() });
        const steps = scripts.get(run);
        const step = steps[Math.min(attempts.length, steps.length) - 1];
        const delay = Math.min(step.delayMs ?? 0, MAX_DELAY_MS);
        if (delay > 0) {
          const timer = setTimeout(() => {
            timers.delete(timer);
            answer(req, res, step, attempts.length, run);
          }, delay);
          timers.add(timer);
        } else {
          answer(req, res, step, attempts.length, run);
        }
        return;
      }
      send(res, 404, { 'content-type': 'text/plain' }, 'no such script');
    } catch (error) {
      send(res, 500, { 'content-type': 'text/plain' }, String(error?.message ?? error));
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    /** What the server received for `run` (for Node-side assertions). */
    seen: (run) => seen.get(run) ?? [],
    close: () =>
      new Promise((resolve) => {
        for (const timer of timers) clearTimeout(timer);
        timers.clear();
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
