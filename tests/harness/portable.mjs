// Runs one portable test suite in Node, workerd (miniflare) and headless Chromium (playwright-core
// with Debian's chromium), registering one node:test test per suite test per runtime.
//
// A portable suite is an ES module: `export default function (t) { t.test('name', async (ctx) => {...}) }`
// with ctx = { pkg, assert, runtime, params }. `pkg` is the graph-call-transfer module loaded through
// the runtime's own entry point (dist/node.js, dist/workerd.js, dist/browser.js), so each runtime tests the
// package the way users load it there. With `entry: 'send'` (or 'receive') the suite loads that
// subpath's entries instead (dist/send/node.js, ...: `graph-call-transfer/send`).
import { describe, it, before, after } from 'node:test';
import { createServer } from 'node:http';
import { readFile, mkdir, writeFile } from 'node:fs/promises';
import { fileURLToPath, pathToFileURL } from 'node:url';
import path from 'node:path';
import { assert } from './assert.mjs';

export const ROOT = path.resolve(fileURLToPath(new URL('../..', import.meta.url)));
export const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
export const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-quic', '--no-first-run', '--disable-component-update', '--disable-sync'];

async function collect(suiteFile) {
  const suite = (await import(pathToFileURL(suiteFile).href)).default;
  const tests = [];
  suite({ test: (name, fn) => tests.push({ name, fn }) });
  const names = new Set();
  for (const { name } of tests) {
    if (names.has(name)) throw new Error(`duplicate portable test name ${JSON.stringify(name)} in ${suiteFile}`);
    names.add(name);
  }
  return tests;
}

function rel(from, to) {
  const r = path.relative(path.dirname(from), to).split(path.sep).join('/');
  return r.startsWith('.') ? r : `./${r}`;
}

/** The runner source shared by workerd and the browser page: returns {ok, message, stack}. */
function runnerSource(suiteImport, assertImport) {
  return `
import suite from ${JSON.stringify(suiteImport)};
import { assert } from ${JSON.stringify(assertImport)};
const tests = new Map();
suite({ test: (name, fn) => tests.set(name, fn) });
export async function runOne(pkg, runtime, name, params) {
  const fn = tests.get(name);
  if (!fn) return { ok: false, message: 'no portable test named ' + name };
  try {
    await fn({ pkg, assert, runtime, params });
    return { ok: true };
  } catch (e) {
    return { ok: false, message: String(e && e.message || e), stack: String(e && e.stack || '') };
  }
}`;
}

function check(result, runtime) {
  if (!result.ok) {
    const error = new Error(`[${runtime}] ${result.message}`);
    error.stack = `${error.message}\n${result.stack || ''}`;
    throw error;
  }
}

const MIME = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm', '.html': 'text/html', '.json': 'application/json', '.css': 'text/css' };

/** A static file server for the repository root on 127.0.0.1 (plus generated pages). */
export async function serveRoot(extra = {}) {
  const server = createServer(async (req, res) => {
    const url = new URL(req.url, 'http://x');
    const generated = extra[url.pathname];
    if (generated !== undefined) {
      const { type, body } = typeof generated === 'string' ? { type: 'text/html', body: generated } : generated;
      res.writeHead(200, { 'content-type': type });
      res.end(body);
      return;
    }
    const file = path.join(ROOT, decodeURIComponent(url.pathname));
    if (!file.startsWith(ROOT + path.sep)) {
      res.writeHead(403).end();
      return;
    }
    try {
      const body = await readFile(file);
      res.writeHead(200, { 'content-type': MIME[path.extname(file)] || 'application/octet-stream' });
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, origin: `http://127.0.0.1:${server.address().port}`, close: () => new Promise((r) => server.close(r)) };
}

const runtimes = {
  async node(suiteFile, dist) {
    const pkg = await import(pathToFileURL(path.join(ROOT, dist, 'node.js')).href);
    const tests = new Map((await collect(suiteFile)).map((t) => [t.name, t.fn]));
    return {
      run: async (name, params) => {
        await tests.get(name)({ pkg, assert, runtime: 'node', params });
      },
      close: async () => {},
    };
  },

  async workerd(suiteFile, dist) {
    const { Miniflare } = await import('miniflare');
    const dir = path.join(ROOT, 'test-output', 'harness');
    await mkdir(dir, { recursive: true });
    const base = path.basename(suiteFile, '.mjs') + (dist === 'dist' ? '' : `-${path.basename(dist)}`);
    const runner = path.join(dir, `${base}.workerd-runner.mjs`);
    const worker = path.join(dir, `${base}.workerd-worker.mjs`);
    await writeFile(runner, runnerSource(rel(runner, suiteFile), rel(runner, path.join(ROOT, 'tests/harness/assert.mjs'))));
    await writeFile(worker, `
import * as pkg from ${JSON.stringify(rel(worker, path.join(ROOT, dist, 'workerd.js')))};
import { runOne } from ${JSON.stringify(rel(worker, runner))};
export default {
  async fetch(request) {
    const { name, params } = await request.json();
    return Response.json(await runOne(pkg, 'workerd', name, params));
  },
};`);
    const mf = new Miniflare({
      modules: true,
      scriptPath: worker,
      modulesRoot: ROOT,
      modulesRules: [
        { type: 'ESModule', include: ['**/*.js', '**/*.mjs'] },
        { type: 'CompiledWasm', include: ['**/*.wasm'] },
      ],
      compatibilityDate: '2025-09-01',
    });
    await mf.ready;
    return {
      run: async (name, params) => {
        const res = await mf.dispatchFetch('http://portable.test/run', { method: 'POST', body: JSON.stringify({ name, params }) });
        check(await res.json(), 'workerd');
      },
      close: () => mf.dispose(),
    };
  },

  async chromium(suiteFile, dist) {
    const { chromium } = await import('playwright-core');
    const page = '/__portable.html';
    const runnerPath = '/__portable-runner.mjs';
    const suiteUrl = '/' + path.relative(ROOT, suiteFile).split(path.sep).join('/');
    const html = `<!doctype html><meta charset="utf-8"><title>portable</title><script type="module">
import * as pkg from '/${dist}/browser.js';
import { runOne } from '${runnerPath}';
window.__run = (name, params) => runOne(pkg, 'chromium', name, params);
window.__ready = true;
</script>`;
    const web = await serveRoot({
      [page]: html,
      [runnerPath]: { type: 'text/javascript', body: runnerSource(suiteUrl, '/tests/harness/assert.mjs') },
    });
    const browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    const tab = await browser.newPage();
    const errors = [];
    tab.on('pageerror', (e) => errors.push(String(e)));
    await tab.goto(web.origin + page);
    await tab.waitForFunction(() => window.__ready === true, null, { timeout: 20000 }).catch(() => {
      throw new Error(`the portable page did not load: ${errors.join('; ')}`);
    });
    return {
      run: async (name, params) => check(await tab.evaluate(([n, p]) => window.__run(n, p), [name, params]), 'chromium'),
      close: async () => {
        await browser.close();
        await web.close();
      },
    };
  },
};

/**
 * Registers the suite's tests under one `describe` per runtime. `params` may be a function called
 * (after `setup` resolves) to get the params object.
 */
export async function runPortable(suite, { runtimes: names = ['node', 'workerd', 'chromium'], params = {}, setup, teardown, entry } = {}) {
  const suiteFile = path.resolve(ROOT, suite);
  const dist = entry === undefined ? 'dist' : `dist/${entry}`;
  const tests = await collect(suiteFile);
  let context;
  before(async () => {
    context = setup ? await setup() : undefined;
  });
  after(async () => {
    if (teardown) await teardown(context);
  });
  for (const runtime of names) {
    describe(`${path.basename(suiteFile)} in ${runtime}${entry === undefined ? '' : ` (graph-call-transfer/${entry})`}`, () => {
      let host;
      before(async () => {
        host = await runtimes[runtime](suiteFile, dist);
      });
      after(async () => {
        if (host) await host.close();
      });
      for (const { name } of tests) {
        it(name, async () => {
          const p = typeof params === 'function' ? await params(context) : params;
          await host.run(name, p);
        });
      }
    });
  }
}
