// The npm package itself: `exports` resolve per runtime, the shipped files exist, the public types
// have no `any`, and Node loads the package by name with no flags.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { ROOT } from '../harness/portable.mjs';

const pkgJson = JSON.parse(readFileSync(`${ROOT}/package.json`, 'utf8'));

function resolveWith(conditions) {
  const args = conditions.flatMap((c) => ['--conditions', c]);
  return execFileSync(process.execPath, [...args, '--input-type=module', '-e', "console.log(import.meta.resolve('graph-call-transfer'))"], { cwd: ROOT, encoding: 'utf8' }).trim();
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
  for (const file of ['js/index.d.ts', 'pkg/graph_call_transfer.d.ts', ...readdirDts()]) {
    const text = readFileSync(`${ROOT}/${file}`, 'utf8').replace(/\/\*[\s\S]*?\*\//g, '').replace(/\/\/.*$/gm, '');
    assert.doesNotMatch(text, /\bany\b/, file);
  }
});

function readdirDts() {
  return execFileSync('ls', ['js'], { cwd: ROOT, encoding: 'utf8' }).split('\n').filter((f) => f.endsWith('.d.ts')).map((f) => `js/${f}`);
}
