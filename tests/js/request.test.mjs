// The request builder's JS API in Node, workerd (miniflare) and headless Chromium.
import { readdirSync, readFileSync } from 'node:fs';
import { runPortable, ROOT } from '../harness/portable.mjs';

const dir = `${ROOT}/tests/fixtures/requests`;
const fixtures = readdirSync(dir)
  .filter((f) => f.endsWith('.json'))
  .map((name) => ({ name, ...JSON.parse(readFileSync(`${dir}/${name}`, 'utf8')) }))
  .filter((f) => f.body || f.correctedBody);

await runPortable('tests/portable/request.mjs', { params: { fixtures } });
