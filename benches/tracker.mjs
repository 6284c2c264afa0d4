// TransferTracker feeding speed: `node benches/tracker.mjs [OTHER_BUILD_DIST_NODE_JS]`. 200
// registered calls, each fed transferring, accepted and completed (one notification per body, its
// own message id); each timed pass creates the tracker, registers the calls, feeds the 600 bodies
// and writes the state (JSON.stringify), so the figures per body include a share of those. The
// same-run baseline is JSON.parse of each body (the least a callback handler pays to read it);
// given the dist/node.js of another build (say a checkout of main after `bash
// scripts/build.sh`), it is compared too, after checking both give the same transitions and state.
import { existsSync } from 'node:fs';
import { pathToFileURL } from 'node:url';
import { compare } from './harness.mjs';
import * as ours from '../dist/node.js';

const basePath = process.argv[2];
if (basePath !== undefined && !existsSync(basePath)) {
  console.error(`no build at ${basePath}: pass the dist/node.js of a build`);
  process.exit(2);
}
const base = basePath === undefined ? null : await import(pathToFileURL(basePath).href);

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
const b = base === null ? null : cases(base);
if (b !== null) {
  for (const name of Object.keys(a)) {
    const [x, y] = [a[name](), b[name]()];
    if (x[0] !== 600 || JSON.stringify(x) !== JSON.stringify(y)) throw new Error(`${name}: results differ from ${basePath}`);
  }
}
let sink = 0;
const fns = { 'JSON.parse(text)': () => { for (const body of bodies) sink += JSON.parse(body).value.length; } };
for (const name of Object.keys(a)) {
  fns[`${name} this`] = a[name];
  if (b !== null) fns[`${name} base`] = b[name];
}
const t = compare(fns, { unit: bodies.length, rounds: 5, ms: 200 });
const parse = t['JSON.parse(text)'];
console.log(`node ${process.version}; ns per body (1 notification), medians${b === null ? '' : `; other build ${basePath}`}\n`);
console.log(`| case | ns per body | vs JSON.parse (${parse.toFixed(0)} ns) |${b === null ? '' : ' other build | ratio |'}`);
console.log(`|---|---:|---:|${b === null ? '' : '---:|---:|'}`);
for (const name of Object.keys(a)) {
  const x = t[`${name} this`];
  const other = b === null ? '' : ` ${t[`${name} base`].toFixed(0)} | ${(x / t[`${name} base`]).toFixed(2)}x |`;
  console.log(`| ${name} | ${x.toFixed(0)} | ${(x / parse).toFixed(2)}x |${other}`);
}
if (sink === 42) console.log('');
