// `npm run bench`: runs every benchmark in benches/ (each prints a markdown table) in turn.
import { readdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';

const dir = new URL('.', import.meta.url);
const only = process.argv.slice(2);
const files = readdirSync(dir).filter((f) => f.endsWith('.mjs') && !['run.mjs', 'harness.mjs'].includes(f)).filter((f) => only.length === 0 || only.some((o) => f.includes(o))).sort();
console.log(`node ${process.version}, ${new Date().toISOString()}\n`);
for (const f of files) {
  execFileSync(process.execPath, [new URL(f, dir).pathname], { stdio: 'inherit' });
  console.log('');
}
