// Package size: the wasm and the JS that a runtime loads, raw and gzip (level 9).
// `node benches/size.mjs` after `npm run build`.
import { readFileSync, readdirSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { table, fmt } from './harness.mjs';

const root = new URL('..', import.meta.url);
const read = (p) => readFileSync(new URL(p, root));
const js = ['pkg/graph_call_transfer.js', ...readdirSync(new URL('js/', root)).filter((f) => f.endsWith('.js') && !['node.js', 'workerd.js', 'manual.js'].includes(f)).map((f) => `js/${f}`)];
const parts = { 'wasm (pkg/graph_call_transfer_bg.wasm)': [read('pkg/graph_call_transfer_bg.wasm')], [`JS glue + wrappers (${js.length} files, browser entry)`]: js.map(read) };
const rows = [];
let rawTotal = 0;
let gzTotal = 0;
for (const [name, buffers] of Object.entries(parts)) {
  const raw = buffers.reduce((n, b) => n + b.length, 0);
  const gz = buffers.reduce((n, b) => n + gzipSync(b, { level: 9 }).length, 0);
  rawTotal += raw;
  gzTotal += gz;
  rows.push([name, fmt(raw / 1024, 1), fmt(gz / 1024, 1)]);
}
rows.push(['**total**', `**${fmt(rawTotal / 1024, 1)}**`, `**${fmt(gzTotal / 1024, 1)}**`]);
console.log('### Package size (KiB; target <= 60 KiB gzip, goal <= 30 KiB)\n');
console.log(table(['part', 'raw', 'gzip'], rows));
