// Bundles and minifies the package's entry points (js/*.js sources + the wasm-bindgen glue in pkg/)
// into dist/, which is what package.json `exports` point at and what every test loads.
// `node scripts/bundle.mjs` (run by scripts/build.sh after the wasm is built).
//
// The .wasm files stay separate: the entries reach them by `new URL('../pkg/…', import.meta.url)`
// or, for workerd, by importing the .wasm as a module; dist/ sits beside js/ so those relative
// paths are unchanged. node:fs (Node entry, simulator) stays external.
//
// The same runtime entries are built twice more for the two halves of the API, each with its own
// wasm (scripts/build.sh): dist/send/ (`graph-call-transfer/send`: js/send.js + pkg/send/) and
// dist/receive/ (`graph-call-transfer/receive`: js/receive.js + pkg/receive/). A plugin rewrites, as
// the sources are loaded, the entries' `./api.js` to `./send.js` (or `./receive.js`), every import of
// `../pkg/graph_call_transfer.js` to that half's glue, and the .wasm paths (relative to the output
// file, one folder deeper) to that half's wasm. A missing export of the half's glue fails the build.
import { build } from 'esbuild';
import { readFile, rm } from 'node:fs/promises';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = ['node', 'browser', 'workerd', 'manual', 'simulator'];
const runtimeEntries = ['node', 'browser', 'workerd', 'manual'];
const halves = ['send', 'receive'];

const options = {
  absWorkingDir: root,
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  // Node 20, current browsers and workerd all run ES2022 (top-level await, private fields).
  target: 'es2022',
  minify: true,
  sourcemap: 'linked',
  // The maps point at js/ and pkg/, which the package ships, so they need not embed the sources.
  sourcesContent: false,
  legalComments: 'none',
  external: ['node:*', '*.wasm'],
  logLevel: 'warning',
};

/** The plugin that points a runtime entry at one half of the API and its wasm. */
function half(name) {
  const replaceOnce = (text, from, to, path) => {
    if (!text.includes(from)) throw new Error(`bundle ${name}: ${path} no longer contains ${from}`);
    return text.replaceAll(from, to);
  };
  return {
    name: `half-${name}`,
    setup(b) {
      b.onLoad({ filter: /[\\/]js[\\/][^\\/]+\.js$/ }, async ({ path }) => {
        let text = await readFile(path, 'utf8');
        if (runtimeEntries.includes(basename(path, '.js'))) {
          text = replaceOnce(text, "from './api.js'", `from './${name}.js'`, path);
          text = replaceOnce(text, "'../pkg/graph_call_transfer_bg.wasm'", `'../../pkg/${name}/graph_call_transfer_bg.wasm'`, path);
        }
        text = text.replaceAll("'../pkg/graph_call_transfer.js'", `'../pkg/${name}/graph_call_transfer.js'`);
        return { contents: text, loader: 'js', resolveDir: dirname(path) };
      });
      // Only the entries may reach the whole API; anything else importing it would pull in both halves.
      b.onResolve({ filter: /^\.\/api\.js$/ }, ({ importer }) => ({
        errors: [{ text: `${importer} imports ./api.js, which would bundle both halves into dist/${name}/` }],
      }));
    },
  };
}

await rm(`${root}/dist`, { recursive: true, force: true });
const results = [
  await build({ ...options, entryPoints: entries.map((e) => `js/${e}.js`), outdir: 'dist' }),
];
for (const name of halves) {
  results.push(await build({ ...options, entryPoints: runtimeEntries.map((e) => `js/${e}.js`), outdir: `dist/${name}`, plugins: [half(name)] }));
}
// A warning here is most likely a raw export a half's wasm lacks ("will always be undefined").
const warnings = results.flatMap((r) => r.warnings);
if (warnings.length > 0) {
  console.error(`bundle: ${warnings.length} warning(s), see above`);
  process.exit(1);
}
