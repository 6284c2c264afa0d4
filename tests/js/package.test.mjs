// The npm package itself: `exports` resolve per runtime, the shipped files exist, the public types
// have no `any`, and Node loads the package by name with no flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ROOT } from '../harness/portable.mjs';

const pkgJson = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));

function resolveWith(conditions, specifier = 'graph-call-transfer') {
  const args = conditions.flatMap((c) => ['--conditions', c]);
  return execFileSync(process.execPath, [...args, '--input-type=module', '-e', `console.log(import.meta.resolve(${JSON.stringify(specifier)}))`], { cwd: ROOT, encoding: 'utf8' }).trim();
}

test('exports resolve to the right entry for Node, workerd and browsers', () => {
  assert.match(resolveWith([]), /\/dist\/node\.js$/);
  assert.match(resolveWith(['workerd']), /\/dist\/workerd\.js$/);
  assert.match(resolveWith(['browser']), /\/dist\/(node|browser)\.js$/);
  assert.equal(pkgJson.exports['.'].browser, './dist/browser.js');
  assert.equal(pkgJson.exports['.'].default, './dist/browser.js');
  assert.equal(pkgJson.exports['.'].types, './js/index.d.ts');
});

test('every file the package exports or ships exists after the build', () => {
  const targets = [];
  const walk = (v) => (typeof v === 'string' ? targets.push(v) : Object.values(v).forEach(walk));
  walk(pkgJson.exports);
  for (const t of targets) assert.ok(existsSync(`${ROOT}/${t}`), t);
  for (const f of pkgJson.files) assert.ok(existsSync(`${ROOT}/${f}`), f);
});

test('Node 20 loads the package by name, synchronously usable, with no flags', () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', "import { buildTransferRequest, teamsUser } from 'graph-call-transfer'; console.log(buildTransferRequest({ callId: 'c1', transferTarget: teamsUser('u1') }).url)"], { cwd: ROOT, encoding: 'utf8' }).trim();
  assert.equal(out, 'https://graph.microsoft.com/v1.0/communications/calls/c1/transfer');
});

test('the simulator is its own entry with its own wasm, outside the main one', () => {
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', "const main = await import('graph-call-transfer'); const sim = await import('graph-call-transfer/simulator'); console.log(JSON.stringify(['simulateTransfer' in main, sim.simulateTransfer({ callId: 'c1', body: { transferTarget: { identity: { user: { id: 'u1' } } } } }).status]))"], { cwd: ROOT, encoding: 'utf8' }).trim();
  assert.deepEqual(JSON.parse(out), [false, 202]);
  assert.equal(pkgJson.exports['./simulator'].default, './dist/simulator.js');
});

test('the public type declarations never use `any`', () => {
  for (const file of ['js/index.d.ts', 'pkg/graph_call_transfer.d.ts', 'pkg/send/graph_call_transfer.d.ts', 'pkg/receive/graph_call_transfer.d.ts', ...readdirDts()]) {
    const text = readFileSync(`${ROOT}/${file}`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(text, /\bany\b/, file);
  }
});

test('the send and receive subpaths resolve per runtime, like the root entry', () => {
  for (const half of ['send', 'receive']) {
    const spec = `graph-call-transfer/${half}`;
    assert.match(resolveWith([], spec), new RegExp(`/dist/${half}/node\\.js$`));
    assert.match(resolveWith(['workerd'], spec), new RegExp(`/dist/${half}/workerd\\.js$`));
    assert.match(resolveWith([], `${spec}/manual`), new RegExp(`/dist/${half}/manual\\.js$`));
    const conditions = pkgJson.exports[`./${half}`];
    assert.deepEqual(Object.keys(conditions), Object.keys(pkgJson.exports['.']));
    assert.equal(conditions.browser, `./dist/${half}/browser.js`);
    assert.equal(conditions.types, `./js/${half}.d.ts`);
  }
});

test('Node loads each side by name; each has its own wasm and only its half of the API', () => {
  const script = `
    const send = await import('graph-call-transfer/send');
    const receive = await import('graph-call-transfer/receive');
    const request = send.buildTransferRequest({ callId: 'c1', transferTarget: send.teamsUser('u1') });
    const parsed = receive.parseNotifications('{"value":[{"changeType":"updated","resourceUrl":"/communications/calls/c1","resourceData":{"@odata.type":"#microsoft.graph.call","state":"transferring"}}]}');
    console.log(JSON.stringify([request.url, parsed.notifications[0].transfer, 'parseNotifications' in send, 'buildTransferRequest' in receive]));`;
  const out = execFileSync(process.execPath, ['--input-type=module', '-e', script], { cwd: ROOT, encoding: 'utf8' }).trim();
  assert.deepEqual(JSON.parse(out), ['https://graph.microsoft.com/v1.0/communications/calls/c1/transfer', 'transferring', false, false]);
  // Each side's wasm is its own build, smaller than the whole package's.
  const whole = readFileSync(`${ROOT}/pkg/graph_call_transfer_bg.wasm`).length;
  for (const half of ['send', 'receive']) {
    const size = readFileSync(`${ROOT}/pkg/${half}/graph_call_transfer_bg.wasm`).length;
    assert.ok(size < whole, `pkg/${half} (${size} bytes) is smaller than the whole wasm (${whole} bytes)`);
  }
});

test('npm pack includes both sides\' entries, wasm and types', () => {
  const [report] = JSON.parse(execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: ROOT, encoding: 'utf8' }));
  const packed = new Set(report.files.map((f) => f.path));
  for (const half of ['send', 'receive']) {
    for (const f of [`dist/${half}/node.js`, `dist/${half}/browser.js`, `dist/${half}/workerd.js`, `dist/${half}/manual.js`, `pkg/${half}/graph_call_transfer_bg.wasm`, `pkg/${half}/graph_call_transfer.d.ts`, `js/${half}.js`, `js/${half}.d.ts`, `js/${half}-manual.d.ts`]) {
      assert.ok(packed.has(f), f);
    }
  }
});

function readdirDts() {
  return execFileSync('ls', ['js'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.d.ts')).map((f) => `js/${f}`);
}
