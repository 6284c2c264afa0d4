// TransferTracker feeding speed against a baseline build of the package, in one process:
// `node benches/tracker.mjs [BASELINE_DIST_NODE_JS]` (default /tmp/wt-main/dist/node.js, a
// checkout of main after `bash scripts/build.sh`). 200 registered calls, each fed
// transferring, accepted and completed (one notification per body, its own message id); each
// timed pass creates the tracker, registers the calls, feeds the 600 bodies and writes the state
// (JSON.stringify), so the figures per body include a share of those. Checks first that both builds give the same transitions and the same final state.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { compare } from './harness.mjs';
import * as ours from '../dist/node.js';

const basePath = process.argv[2] ?? '/tmp/wt-main/dist/node.js';
if (!existsSync(basePath)) {
  console.error(`no baseline at ${basePath}: pass the dist/node.js of a build of main`);
  process.exit(2);
}
const base = await import(pathToFileURL(basePath).href);

const today = (call, change, data) => `{"value":[{"changeType":"${change}","resourceUrl":"/communications/calls/${call}","resourceData":{"@odata.type":"#microsoft.graph.call",${data}}}]}`;
const bodies = [];
for (let c = 0; c < 200; c++) {
  bodies.push(today(`call-${c}`, 'updated', '"state":"transferring"'));
  bodies.push(today(`call-${c}`, 'updated', '"state":"transferAccepted"'));
  bodies.push(today(`call-${c}`, 'deleted', '"state":"terminated","resultInfo":{"code":0,"subcode":7015,"message":"GracefulTransferCompleted"}'));
}

function cases(pkg) {
  const parsed = bodies.map((b) => pkg.parseNotifications(b));
  const run = (feed) => () => {
    const tr = new pkg.TransferTracker();
    for (let c = 0; c < 200; c++) tr.register(`call-${c}`, { now: 0 });
    let n = 0;
    for (let i = 0; i < bodies.length; i++) n += feed(tr, i).length;
    const state = JSON.stringify(tr);
    tr.free();
    return [n, state];
  };
  return {
    'observe(parsed)': run((tr, i) => tr.observe(parsed[i], { messageId: `m${i}`, now: i })),
    'observe(parseNotifications(text))': run((tr, i) => tr.observe(pkg.parseNotifications(bodies[i]), { messageId: `m${i}`, now: i })),
    'observeBody(text)': run((tr, i) => tr.observeBody(bodies[i], { messageId: `m${i}`, now: i }).transitions),
  };
}

const a = cases(ours);
const b = cases(base);
for (const name of Object.keys(a)) {
  const [x, y] = [a[name](), b[name]()];
  if (x[0] !== 600 || JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`${name}: results differ from the baseline`);
}
const fns = {};
for (const name of Object.keys(a)) {
  fns[`${name} this`] = a[name];
  fns[`${name} base`] = b[name];
}
const t = compare(fns, { unit: bodies.length, rounds: 5, ms: 200 });
console.log(`node ${process.version}; baseline ${basePath}; ns per body (1 notification), medians\n`);
console.log('| case | this build | baseline | ratio |\n|---|---:|---:|---:|');
for (const name of Object.keys(a)) {
  const [x, y] = [t[`${name} this`], t[`${name} base`]];
  console.log(`| ${name} | ${x.toFixed(0)} | ${y.toFixed(0)} | ${(x / y).toFixed(2)}x |`);
}
