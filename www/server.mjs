// The playground server: one node:http server on 127.0.0.1 that serves the page (www/), the
// package files it imports (/js, /pkg) and the offline Graph simulator (www/simulator.mjs).
//
//   npm start                      # builds, then runs this file; prints the URL
//   PORT=9000 node www/server.mjs  # a fixed port
//
// Programmatic use (tests, other tools): `const { url, close } = await startPlayground({ port: 0 })`.
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { createSimulator, CORS_HEADERS } from './simulator.mjs';

export const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
export const DEFAULT_PORT = 8787;

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.wasm': 'application/wasm',
  '.ts': 'text/plain; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.md': 'text/plain; charset=utf-8',
};

// URL prefix -> folder. Only these folders are served, and only files inside them.
const MOUNTS = [
  ['/dist/', path.join(ROOT, 'dist')],
  // The sources of dist/ (its source maps point here).
  ['/js/', path.join(ROOT, 'js')],
  ['/pkg/', path.join(ROOT, 'pkg')],
  ['/', path.join(ROOT, 'www')],
];
const HIDDEN = new Set(['server.mjs', 'simulator.mjs']);

async function serveStatic(res, pathname) {
  if (pathname === '/') pathname = '/index.html';
  let decoded;
  try {
    decoded = decodeURIComponent(pathname);
  } catch {
    return false;
  }
  if (decoded.includes('\0')) return false;
  for (const [prefix, dir] of MOUNTS) {
    if (!decoded.startsWith(prefix)) continue;
    const file = path.resolve(dir, `.${decoded.slice(prefix.length - 1)}`);
    if (!file.startsWith(dir + path.sep)) return false;
    if (dir.endsWith('www') && HIDDEN.has(path.basename(file))) return false;
    try {
      const body = await readFile(file);
      res.writeHead(200, {
        'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
        'cache-control': 'no-cache',
        'x-content-type-options': 'nosniff',
        ...CORS_HEADERS,
      });
      res.end(body);
      return true;
    } catch {
      return false;
    }
  }
  return false;
}

/**
 * Starts the playground: the page, the package files and the Graph simulator on one port.
 * Options: `port` (default 0: an ephemeral port), `host` (default 127.0.0.1; only loopback
 * hosts are accepted), plus the simulator's options (`appId`, `tenantId`, `callbackUrl`,
 * `stepMs`, `defaultScenario`, `token`, `seed`). Resolves to `{ url, port, close, simulator }`.
 */
export async function startPlayground(options = {}) {
  const { port = 0, host = '127.0.0.1', ...simulatorOptions } = options;
  if (!['127.0.0.1', 'localhost', '::1'].includes(host)) throw new TypeError('the playground only listens on a loopback host (127.0.0.1, ::1, localhost)');
  // The simulator is the package's separate `graph-call-transfer/simulator` entry (its own wasm).
  const pkg = { ...(await import(pathToFileURL(path.join(ROOT, 'dist', 'node.js')).href)), ...(await import(pathToFileURL(path.join(ROOT, 'dist', 'simulator.js')).href)) };
  const simulator = createSimulator(pkg, simulatorOptions);
  let origin = '';
  const server = createServer(async (req, res) => {
    try {
      const url = new URL(req.url, origin);
      if (await simulator.handle(req, res, url, origin)) return;
      if ((req.method === 'GET' || req.method === 'HEAD') && (await serveStatic(res, url.pathname))) return;
      if (url.pathname === '/favicon.ico') {
        res.writeHead(204).end();
        return;
      }
      res.writeHead(404, { 'content-type': 'text/plain; charset=utf-8', ...CORS_HEADERS }).end(`not found: ${url.pathname}\n`);
    } catch (error) {
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain; charset=utf-8', ...CORS_HEADERS });
      res.end(`internal error: ${error && error.message}\n`);
    }
  });
  await new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const hostPart = address.family === 'IPv6' || address.family === 6 ? `[${address.address}]` : address.address;
  origin = `http://${hostPart}:${address.port}`;
  let closing;
  return {
    url: `${origin}/`,
    port: address.port,
    simulator,
    close() {
      closing ??= new Promise((resolve) => {
        simulator.close();
        server.close(() => resolve());
        server.closeAllConnections?.();
      });
      return closing;
    },
  };
}

async function main() {
  const fixed = process.env.PORT !== undefined && process.env.PORT !== '';
  const port = fixed ? Number(process.env.PORT) : DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT must be a number from 0 to 65535, not ${process.env.PORT}`);
  let playground;
  try {
    playground = await startPlayground({ port });
  } catch (error) {
    if (fixed || error.code !== 'EADDRINUSE') throw error;
    // The default port is taken: use any free one rather than fail.
    playground = await startPlayground({ port: 0 });
  }
  console.log(`graph-call-transfer playground: ${playground.url}`);
  console.log(`Graph simulator base URL:       ${playground.url}sim/<scenario>  (scenarios: ${(await import('../dist/simulator.js')).SIMULATOR_SCENARIOS.join(', ')})`);
  console.log(`Callback token keys (JWKS):     ${playground.url}simulator/jwks`);
  const stop = () => playground.close().then(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  main().catch((error) => {
    console.error(error);
    process.exit(1);
  });
}
