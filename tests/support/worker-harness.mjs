// Runs worker/src/index.js in workerd through miniflare, the way wrangler would: the worker's
// compatibility date and Durable Object class come from worker/wrangler.toml, modules resolve from
// the repository root (the worker imports ../../dist/workerd.js, which imports the .wasm as a
// CompiledWasm module), and Durable Object storage persists in a directory under test-output/ so a
// new Miniflare on the same directory is a restarted worker.
import { readFileSync } from 'node:fs';
import http from 'node:http';
import { mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const WORKER_DIR = path.join(ROOT, 'worker');

/** The few wrangler.toml settings miniflare needs (a line-based read of this file's simple TOML). */
export function wranglerSettings() {
  const toml = readFileSync(path.join(WORKER_DIR, 'wrangler.toml'), 'utf8');
  const get = (key) => {
    const m = new RegExp(`^${key}\\s*=\\s*"([^"]*)"`, 'm').exec(toml);
    if (m === null) throw new Error(`worker/wrangler.toml has no ${key}`);
    return m[1];
  };
  const binding = /\[\[durable_objects\.bindings\]\]\s*\nname\s*=\s*"([^"]+)"\s*\nclass_name\s*=\s*"([^"]+)"/m.exec(toml);
  if (binding === null) throw new Error('worker/wrangler.toml has no durable_objects binding');
  return { main: get('main'), compatibilityDate: get('compatibility_date'), doBinding: binding[1], doClass: binding[2] };
}

/** A fresh, empty persistence directory under test-output/worker/. */
export async function freshDir(name) {
  const dir = path.join(ROOT, 'test-output', 'worker', `${name}-${process.pid}`);
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * One HTTP request on a connection of its own (no keep-alive): under a burst of 1,000 concurrent
 * requests, reusing pooled connections races with workerd closing idle ones (ECONNRESET), which
 * would test the client's pool rather than the worker. Returns a fetch-like response
 * `{ status, headers: { get(name) }, text(), json() }`.
 */
export function request(url, { method = 'GET', headers = {}, body, signal, timeoutMs = 60_000 } = {}) {
  return new Promise((resolve, reject) => {
    const payload = body === undefined || body === null ? null : typeof body === 'string' ? Buffer.from(body) : Buffer.from(body);
    const h = { ...headers };
    if (payload !== null) h['content-length'] = String(payload.length);
    const req = http.request(url, { method, headers: h, agent: false, signal, timeout: timeoutMs }, (res) => {
      const chunks = [];
      res.on('data', (c) => chunks.push(c));
      res.on('error', reject);
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({
          status: res.statusCode,
          headers: { get: (name) => res.headers[name.toLowerCase()] ?? null },
          text: async () => text,
          json: async () => JSON.parse(text),
        });
      });
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(payload ?? undefined);
  });
}

/**
 * Starts the worker on 127.0.0.1 (a free port). `bindings` are its vars and secrets.
 * Returns `{ url, fetch(path, init), dispose() }`.
 */
export async function startWorker({ persistDir, bindings }) {
  const { Miniflare } = await import('miniflare');
  const s = wranglerSettings();
  const mf = new Miniflare({
    modules: true,
    scriptPath: path.join(WORKER_DIR, s.main),
    modulesRoot: ROOT,
    modulesRules: [
      { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
      { type: 'CompiledWasm', include: ['**/*.wasm'] },
    ],
    compatibilityDate: s.compatibilityDate,
    durableObjects: { [s.doBinding]: { className: s.doClass, useSQLite: true } },
    durableObjectsPersist: persistDir,
    bindings,
    host: '127.0.0.1',
    port: 0,
  });
  const url = (await mf.ready).toString().replace(/\/$/, '');
  if (!/^http:\/\/127\.0\.0\.1:\d+$/.test(url)) throw new Error(`the worker listens on ${url}, not on 127.0.0.1`);
  return {
    url,
    mf,
    /** A request on a fresh connection (see `request`). */
    fetch: (p, init) => request(url + p, init),
    dispose: () => mf.dispose(),
  };
}
