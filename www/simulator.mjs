// The offline Microsoft Graph simulator behind the playground: answers transfer requests with the
// package's own `simulateTransfer` (the Rust core decides the answer and the notifications), then
// streams each notification to the page (Server-Sent Events) and, when a callback URL is
// configured, POSTs it there as Graph does, with a bearer JWT signed by the simulator's own RSA key
// (JWKS and OpenID configuration served under /simulator/).
//
// Plain node:http handlers; no framework. Only loopback addresses are ever contacted.
import { generateKeyPairSync, createHash, sign as rsaSign } from 'node:crypto';

export const GRAPH_ISSUER = 'https://graph.microsoft.com';
/** The app id (token audience) used when none is configured. */
export const DEFAULT_APP_ID = '11111111-2222-4333-8444-555555555555';
/** The tenant id (`tid` claim) used when none is configured. */
export const DEFAULT_TENANT_ID = '66666666-7777-4888-9999-000000000000';
/** The callback token flavours: a valid token, or one a correct verifier must refuse. */
export const TOKEN_FLAVOURS = ['valid', 'expired', 'wrongAudience', 'wrongIssuer', 'missingTenant', 'badSignature', 'none'];

const MAX_BODY = 1 << 20;
const HISTORY = 500;
const CALLBACK_TIMEOUT_MS = 5000;

export const CORS_HEADERS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, client-request-id, retry-attempt, x-simulator-scenario',
  'access-control-expose-headers': 'request-id, client-request-id, retry-after, date',
  'access-control-max-age': '600',
};

const TRANSFER_ROUTES = [
  // /sim/{scenario} prefix (optional) so that any client can pick a scenario through its base URL.
  { re: /^(?:\/sim\/([A-Za-z]+))?\/(v1\.0|beta)\/communications\/calls\/([^/]+)\/transfer$/, version: (m) => m[2], id: (m) => m[3] },
  { re: /^(?:\/sim\/([A-Za-z]+))?\/beta\/app\/calls\/([^/]+)\/transfer$/, version: () => 'beta-2018', id: (m) => m[2] },
];

const b64url = (input) => Buffer.from(input).toString('base64url');

/** Whether `url` is an http(s) URL to a loopback host (the only kind the simulator calls). */
export function isLoopbackUrl(url) {
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.protocol !== 'http:' && parsed.protocol !== 'https:') return false;
  const host = parsed.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

function graphError(status, code, message, extraHeaders = {}) {
  const date = new Date().toISOString().replace(/\.\d+Z$/, 'Z');
  return {
    status,
    headers: { 'content-type': 'application/json', ...extraHeaders },
    body: JSON.stringify({ error: { code, message, innerError: { date, 'request-id': crypto.randomUUID() } } }),
  };
}

async function readBody(req, limit) {
  const chunks = [];
  let size = 0;
  for await (const chunk of req) {
    size += chunk.length;
    if (size > limit) return null;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks);
}

/**
 * Creates the simulator. `pkg` is the graph-call-transfer module (js/node.js).
 * Options: `appId`, `tenantId`, `callbackUrl`, `stepMs` (delay unit, default 300),
 * `defaultScenario` ('success'), `token` (a TOKEN_FLAVOURS value), `seed` (first seed, 1).
 */
export function createSimulator(pkg, options = {}) {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const publicJwk = publicKey.export({ format: 'jwk' });
  const kid = createHash('sha256').update(`${publicJwk.n}.${publicJwk.e}`).digest('base64url').slice(0, 16);
  // A second key, never published: tokens "signed by someone else" for the badSignature flavour.
  const { privateKey: strangerKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const jwks = { keys: [{ kty: 'RSA', use: 'sig', alg: 'RS256', kid, n: publicJwk.n, e: publicJwk.e }] };

  const config = {
    appId: DEFAULT_APP_ID,
    tenantId: DEFAULT_TENANT_ID,
    callbackUrl: null,
    stepMs: 300,
    defaultScenario: 'success',
    token: 'valid',
  };
  let seed = Number.isInteger(options.seed) ? options.seed : 1;
  const timers = new Set();
  const clients = new Set();
  const history = [];
  const listeners = new Set();
  const throttled = new Set();
  let eventId = 0;
  let transferCount = 0;
  let closed = false;

  function setConfig(patch) {
    if (patch === null || typeof patch !== 'object' || Array.isArray(patch)) throw new TypeError('config must be an object');
    const next = { ...config };
    for (const [key, value] of Object.entries(patch)) {
      if (!(key in config)) throw new TypeError(`unknown config key ${JSON.stringify(key)}`);
      next[key] = value;
    }
    if (next.callbackUrl !== null && next.callbackUrl !== '' && !isLoopbackUrl(next.callbackUrl)) {
      throw new TypeError('callbackUrl must be an http(s) URL to 127.0.0.1, ::1 or localhost');
    }
    if (next.callbackUrl === '') next.callbackUrl = null;
    if (!Number.isInteger(next.stepMs) || next.stepMs < 0 || next.stepMs > 60000) throw new TypeError('stepMs must be an integer from 0 to 60000');
    if (!pkg.SIMULATOR_SCENARIOS.includes(next.defaultScenario)) throw new TypeError(`defaultScenario must be one of ${pkg.SIMULATOR_SCENARIOS.join(', ')}`);
    if (!TOKEN_FLAVOURS.includes(next.token)) throw new TypeError(`token must be one of ${TOKEN_FLAVOURS.join(', ')}`);
    for (const key of ['appId', 'tenantId']) if (typeof next[key] !== 'string' || !next[key]) throw new TypeError(`${key} must be a non-empty string`);
    Object.assign(config, next);
    return { ...config };
  }
  const { pkg: _ignored, ...initial } = options;
  delete initial.seed;
  setConfig(initial);

  /** Signs a callback token as Graph does (RS256, kid, iss graph, aud app id, tid, exp +300 s). */
  function signToken({ flavour = config.token, now = Date.now(), claims = {} } = {}) {
    if (flavour === 'none') return null;
    const secs = Math.floor(now / 1000);
    const payload = {
      iss: flavour === 'wrongIssuer' ? 'https://evil.example' : GRAPH_ISSUER,
      aud: flavour === 'wrongAudience' ? '00000000-0000-4000-8000-000000000000' : config.appId,
      tid: config.tenantId,
      nbf: flavour === 'expired' ? secs - 900 : secs,
      exp: flavour === 'expired' ? secs - 600 : secs + 300,
      ...claims,
    };
    if (flavour === 'missingTenant') delete payload.tid;
    const header = { alg: 'RS256', typ: 'JWT', kid };
    const input = `${b64url(JSON.stringify(header))}.${b64url(JSON.stringify(payload))}`;
    const signature = rsaSign('sha256', Buffer.from(input), flavour === 'badSignature' ? strangerKey : privateKey);
    return `${input}.${signature.toString('base64url')}`;
  }

  function broadcast(type, data) {
    const event = { id: ++eventId, type, data };
    history.push(event);
    if (history.length > HISTORY) history.shift();
    const frame = `id: ${event.id}\nevent: ${type}\ndata: ${JSON.stringify(data)}\n\n`;
    for (const res of clients) res.write(frame);
    for (const listener of listeners) listener(event);
  }

  function later(ms, fn) {
    const timer = setTimeout(() => {
      timers.delete(timer);
      if (!closed) fn();
    }, ms);
    timers.add(timer);
  }

  async function postCallback(url, n, meta) {
    const token = signToken();
    const headers = {
      'content-type': 'application/json',
      'x-microsoft-skype-message-id': n.messageId,
      'x-microsoft-skype-chain-id': meta.transferId,
      'user-agent': 'graph-call-transfer-simulator',
    };
    if (token) headers.authorization = `Bearer ${token}`;
    try {
      const response = await fetch(url, { method: 'POST', headers, body: n.bodyText, redirect: 'manual', signal: AbortSignal.timeout(CALLBACK_TIMEOUT_MS) });
      await response.arrayBuffer().catch(() => {});
      return { status: response.status };
    } catch (error) {
      return { error: String(error && error.message || error) };
    }
  }

  function deliver(n, meta) {
    const data = { ...meta, messageId: n.messageId, event: n.event, redelivery: n.redelivery, delayMs: n.delayMs, bodyText: n.bodyText, at: Date.now() };
    broadcast('notification', data);
    const url = config.callbackUrl;
    if (url) {
      postCallback(url, n, meta).then((result) => {
        if (!closed) broadcast('callback', { transferId: meta.transferId, callId: meta.callId, messageId: n.messageId, url, ...result });
      });
    }
  }

  /** Handles a transfer request; returns the HTTP answer `{ status, headers, body }`. */
  async function transfer(req, match, route) {
    const apiVersion = route.version(match);
    const callId = decodeURIComponent(route.id(match));
    const scenario = match[1] || req.headers['x-simulator-scenario'] || config.defaultScenario;
    if (!pkg.SIMULATOR_SCENARIOS.includes(scenario)) {
      return graphError(400, 'BadRequest', `unknown simulator scenario ${JSON.stringify(scenario)}; expected one of ${pkg.SIMULATOR_SCENARIOS.join(', ')}`);
    }
    const body = await readBody(req, MAX_BODY);
    if (body === null) return graphError(413, 'RequestEntityTooLarge', `the body is larger than ${MAX_BODY} bytes`);
    const clientRequestId = typeof req.headers['client-request-id'] === 'string' ? req.headers['client-request-id'] : undefined;
    const retryAttempt = Number.parseInt(req.headers['retry-attempt'] ?? '', 10);
    let attempt = Number.isInteger(retryAttempt) && retryAttempt >= 0 ? Math.min(retryAttempt + 1, 1000) : 1;
    if (attempt === 1 && clientRequestId && throttled.has(clientRequestId)) attempt = 2;
    const sim = pkg.simulateTransfer({
      scenario, callId, apiVersion, body, clientRequestId, attempt,
      seed: seed++, now: Date.now(), stepMs: config.stepMs,
    });
    if (sim.status === 429 && clientRequestId) {
      throttled.add(clientRequestId);
      if (throttled.size > 1000) throttled.delete(throttled.values().next().value);
    }
    const transferId = `t${++transferCount}`;
    const meta = { transferId, callId, scenario, apiVersion };
    broadcast('request', {
      ...meta, method: 'POST', path: req.url, status: sim.status, attempt,
      clientRequestId: clientRequestId ?? null, requestId: sim.headers['request-id'],
      responseText: sim.bodyText, notifications: sim.notifications.length, at: Date.now(),
    });
    for (const n of sim.notifications) later(n.delayMs, () => deliver(n, meta));
    return { status: sim.status, headers: sim.headers, body: sim.bodyText };
  }

  /**
   * A sample bot callback endpoint (POST /bot/callback) built on the package: verifies the bearer
   * token with verifyCallbackToken against the simulator's JWKS and the configured app id, parses
   * the body with parseNotifications, answers 202 (or 401/403), and reports what it saw as a `bot`
   * event. Point the callback URL at it to watch callback authentication end to end.
   */
  async function sampleBot(req) {
    const body = await readBody(req, MAX_BODY);
    const messageId = req.headers['x-microsoft-skype-message-id'] ?? null;
    const report = { messageId, transferId: req.headers['x-microsoft-skype-chain-id'] ?? null };
    let status = 202;
    try {
      const claims = await pkg.verifyCallbackToken(req.headers.authorization, { appId: config.appId, jwks });
      report.verified = true;
      report.claims = { iss: claims.iss, aud: claims.aud, tid: claims.tid, exp: claims.exp };
    } catch (error) {
      report.verified = false;
      report.kind = error.kind ?? 'error';
      report.reason = String(error.message);
      status = error.kind === 'missingToken' ? 401 : 403;
    }
    if (status === 202 && body !== null) {
      try {
        const parsed = pkg.parseNotifications(body);
        report.callIds = [...new Set(parsed.notifications.map((n) => n.callId).filter(Boolean))];
        report.events = parsed.notifications.map((n) => n.transfer);
      } catch (error) {
        report.parseError = String(error.message);
      }
    }
    report.status = status;
    broadcast('bot', report);
    return status === 202 ? { status } : graphError(status, status === 401 ? 'Unauthorized' : 'Forbidden', report.reason);
  }

  function send(res, { status, headers = {}, body = '' }) {
    res.writeHead(status, { ...CORS_HEADERS, 'cache-control': 'no-store', ...headers });
    res.end(body);
  }
  const json = (res, status, value) => send(res, { status, headers: { 'content-type': 'application/json' }, body: JSON.stringify(value) });

  function events(req, res) {
    res.writeHead(200, { ...CORS_HEADERS, 'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive' });
    res.write(`retry: 1000\nevent: hello\ndata: ${JSON.stringify({ config: { ...config }, scenarios: pkg.SIMULATOR_SCENARIOS })}\n\n`);
    const last = Number.parseInt(req.headers['last-event-id'] ?? '', 10);
    if (Number.isInteger(last)) {
      for (const e of history) if (e.id > last) res.write(`id: ${e.id}\nevent: ${e.type}\ndata: ${JSON.stringify(e.data)}\n\n`);
    }
    clients.add(res);
    const keepAlive = setInterval(() => res.write(': keep-alive\n\n'), 15000);
    req.on('close', () => {
      clearInterval(keepAlive);
      clients.delete(res);
    });
  }

  /**
   * The request handler: returns true when it answered (a transfer or a /simulator/ route).
   * `origin` is the server's own origin, for the OpenID configuration's jwks_uri.
   */
  async function handle(req, res, url, origin) {
    const path = url.pathname;
    if (req.method === 'OPTIONS' && (path.startsWith('/simulator/') || TRANSFER_ROUTES.some((r) => r.re.test(path)))) {
      send(res, { status: 204 });
      return true;
    }
    for (const route of TRANSFER_ROUTES) {
      const match = route.re.exec(path);
      if (!match) continue;
      if (req.method !== 'POST') {
        send(res, graphError(405, 'MethodNotAllowed', 'transfer takes POST', { allow: 'POST, OPTIONS' }));
        return true;
      }
      send(res, await transfer(req, match, route));
      return true;
    }
    if (path === '/bot/callback' && req.method === 'POST') {
      send(res, await sampleBot(req));
      return true;
    }
    if (!path.startsWith('/simulator/')) return false;
    const route = `${req.method} ${path}`;
    switch (route) {
      case 'GET /simulator/events':
        events(req, res);
        return true;
      case 'GET /simulator/jwks':
        json(res, 200, jwks);
        return true;
      case 'GET /simulator/.well-known/openid-configuration':
        json(res, 200, {
          issuer: GRAPH_ISSUER,
          jwks_uri: `${origin}/simulator/jwks`,
          id_token_signing_alg_values_supported: ['RS256'],
          token_endpoint_auth_signing_alg_values_supported: ['RS256'],
        });
        return true;
      case 'GET /simulator/config':
        json(res, 200, { ...config, scenarios: pkg.SIMULATOR_SCENARIOS, tokenFlavours: TOKEN_FLAVOURS });
        return true;
      case 'POST /simulator/config': {
        const body = await readBody(req, 64 * 1024);
        let patch;
        try {
          patch = JSON.parse(body === null ? '' : body.toString('utf8'));
          json(res, 200, setConfig(patch));
          broadcast('config', { ...config });
        } catch (error) {
          json(res, 400, { error: { code: 'BadRequest', message: String(error.message) } });
        }
        return true;
      }
      case 'GET /simulator/scenarios':
        json(res, 200, pkg.SIMULATOR_SCENARIOS);
        return true;
      default:
        json(res, 404, { error: { code: 'NotFound', message: `no simulator route ${route}` } });
        return true;
    }
  }

  function close() {
    closed = true;
    for (const timer of timers) clearTimeout(timer);
    timers.clear();
    for (const res of clients) res.end();
    clients.clear();
    listeners.clear();
  }

  return {
    handle,
    close,
    signToken,
    setConfig,
    get config() {
      return { ...config };
    },
    jwks,
    kid,
    /** Calls `listener({ id, type, data })` for every event the page would see; returns an unsubscribe function. */
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
}
