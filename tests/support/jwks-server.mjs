// A JWKS / OpenID configuration server on 127.0.0.1 for the callback authentication tests. It
// serves key sets by name, counts the requests for each, and has routes that fail in the ways a
// key endpoint can fail (status, not JSON, redirect, too slow). Every response carries CORS headers
// so a Chromium page on another 127.0.0.1 port can fetch it.
//
//   GET  /sets/<name>/jwks              the key set (404 until one is PUT)
//   PUT  /sets/<name>/jwks              replaces the key set (JSON body)
//   GET  /sets/<name>/openid            an OpenID configuration whose jwks_uri is /sets/<name>/jwks
//   GET  /sets/<name>/stats             { jwks, openid }: how many GETs each route had
//   GET  /redirect/<name>               302 to /sets/<name>/jwks
//   GET  /openid-redirect/<name>        an OpenID configuration whose jwks_uri is /redirect/<name>
//   GET  /openid-foreign                an OpenID configuration whose jwks_uri is not loopback
//   GET  /status/<code>                 that status, empty body
//   GET  /garbage                       200 with a body that is not JSON
//   GET  /slow                          answers after 10 s (tests time out long before)
import { createServer } from 'node:http';

const CORS = {
  'access-control-allow-origin': '*',
  'access-control-allow-methods': 'GET, PUT, POST, OPTIONS',
  'access-control-allow-headers': 'authorization, content-type, client-request-id, retry-attempt, accept',
  'access-control-expose-headers': 'request-id, client-request-id, retry-after, date',
  'access-control-max-age': '600',
};

const MAX_BODY = 1 << 20;

/** Starts the server on an ephemeral 127.0.0.1 port. `sets` maps names to initial key sets. */
export async function startJwksServer(sets = {}) {
  const keys = new Map(Object.entries(sets));
  const stats = new Map();
  const timers = new Set();
  const count = (name, route) => {
    const s = stats.get(name) ?? { jwks: 0, openid: 0 };
    s[route] += 1;
    stats.set(name, s);
  };
  const server = createServer((req, res) => {
    const send = (status, body, headers = {}) => {
      const text = body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body);
      res.writeHead(status, { ...CORS, 'content-type': 'application/json', 'cache-control': 'no-store', ...headers });
      res.end(text);
    };
    const url = new URL(req.url, 'http://127.0.0.1');
    const origin = `http://127.0.0.1:${server.address().port}`;
    const parts = url.pathname.split('/').filter(Boolean).map(decodeURIComponent);
    if (req.method === 'OPTIONS') return send(204);
    if (parts[0] === 'sets' && parts.length === 3) {
      const [, name, route] = parts;
      if (route === 'jwks' && req.method === 'PUT') {
        const chunks = [];
        let size = 0;
        req.on('data', (c) => {
          size += c.length;
          if (size <= MAX_BODY) chunks.push(c);
        });
        req.on('end', () => {
          try {
            keys.set(name, JSON.parse(Buffer.concat(chunks).toString('utf8')));
            send(204);
          } catch {
            send(400, { error: 'not JSON' });
          }
        });
        return undefined;
      }
      if (req.method !== 'GET') return send(405);
      if (route === 'jwks') {
        count(name, 'jwks');
        return keys.has(name) ? send(200, keys.get(name)) : send(404, { error: 'no such set' });
      }
      if (route === 'openid') {
        count(name, 'openid');
        return send(200, { issuer: 'https://graph.microsoft.com', jwks_uri: `${origin}/sets/${encodeURIComponent(name)}/jwks` });
      }
      if (route === 'stats') return send(200, stats.get(name) ?? { jwks: 0, openid: 0 });
    }
    if (parts[0] === 'redirect' && parts.length === 2) {
      return send(302, undefined, { location: `${origin}/sets/${encodeURIComponent(parts[1])}/jwks` });
    }
    if (parts[0] === 'openid-redirect' && parts.length === 2) {
      return send(200, { jwks_uri: `${origin}/redirect/${encodeURIComponent(parts[1])}` });
    }
    if (parts[0] === 'openid-foreign') return send(200, { jwks_uri: 'http://192.0.2.1/keys' });
    if (parts[0] === 'status' && parts.length === 2) return send(Number(parts[1]) || 500);
    if (parts[0] === 'garbage') return send(200, '<html>not json</html>', { 'content-type': 'text/html' });
    if (parts[0] === 'slow') {
      const timer = setTimeout(() => {
        timers.delete(timer);
        send(200, { keys: [] });
      }, 10_000);
      timers.add(timer);
      req.on('close', () => {
        clearTimeout(timer);
        timers.delete(timer);
      });
      return undefined;
    }
    return send(404, { error: 'not found' });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const origin = `http://127.0.0.1:${server.address().port}`;
  return {
    origin,
    setKeys: (name, jwks) => keys.set(name, jwks),
    stats: (name) => stats.get(name) ?? { jwks: 0, openid: 0 },
    close: () =>
      new Promise((resolve) => {
        for (const t of timers) clearTimeout(t);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
