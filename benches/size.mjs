// Package size: what a runtime loads for the package, raw and gzip (level 9): the wasm plus the one
// bundled, minified entry file of dist/ (scripts/bundle.mjs). `node benches/size.mjs` after
// `npm run build`. The send and receive subpaths (each its own wasm + browser entry) are listed
// after the whole package. The simulator entry (graph-call-transfer/simulator, a separate wasm for tests and
// the playground) is listed apart: apps do not load it.
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { table, fmt } from './harness.mjs';

const root = new URL('..', import.meta.url);
const file = (p) => {
  const bytes = readFileSync(new URL(p, root));
  return { raw: bytes.length, gz: gzipSync(bytes, { level: 9 }).length };
};
const kib = (n) => fmt(n / 1024, 1);

const rows = [];
// The whole package (graph-call-transfer: both sides)
const app = { raw: 0, gz: 0 };
for (const [name, p] of [['wasm', 'pkg/graph_call_transfer_bg.wasm'], ['JS (browser entry: wasm-bindgen glue + wrappers, bundled and minified)', 'dist/browser.js']]) {
  const s = file(p);
  app.raw += s.raw;
  app.gz += s.gz;
  rows.push([`${name} (${p})`, kib(s.raw), kib(s.gz)]);
}
rows.push(['**total: what graph-call-transfer (both sides) loads**', `**${kib(app.raw)}**`, `**${kib(app.gz)}**`]);
for (const entry of ['node', 'workerd', 'manual']) {
  const s = file(`dist/${entry}.js`);
  rows.push([`JS of the ${entry} entry instead (dist/${entry}.js)`, kib(s.raw), kib(s.gz)]);
}
// The two halves (graph-call-transfer/send and /receive): what an app that uses only one side loads.
for (const half of ['send', 'receive']) {
  const [wasm, js] = [file(`pkg/${half}/graph_call_transfer_bg.wasm`), file(`dist/${half}/browser.js`)];
  rows.push([`graph-call-transfer/${half}: wasm (pkg/${half}/)`, kib(wasm.raw), kib(wasm.gz)]);
  rows.push([`graph-call-transfer/${half}: JS (dist/${half}/browser.js)`, kib(js.raw), kib(js.gz)]);
  rows.push([`**total: what graph-call-transfer/${half} loads**`, `**${kib(wasm.raw + js.raw)}**`, `**${kib(wasm.gz + js.gz)}**`]);
}
const sim = [file('pkg/simulator/graph_call_transfer_bg.wasm'), file('dist/simulator.js')];
rows.push(['simulator entry, not loaded by apps (pkg/simulator wasm + dist/simulator.js)', kib(sim[0].raw + sim[1].raw), kib(sim[0].gz + sim[1].gz)]);
console.log('### Package size (KiB; target <= 60 KiB gzip, goal <= 30 KiB)\n');
console.log(table(['part', 'raw', 'gzip'], rows));
