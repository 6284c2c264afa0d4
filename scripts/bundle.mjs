// Bundles and minifies the package's entry points (js/*.js sources + the wasm-bindgen glue in pkg/)
// into dist/, which is what package.json `exports` point at and what every test loads.
// `node scripts/bundle.mjs` (run by scripts/build.sh after the wasm is built).
//
// The .wasm files stay separate: the entries reach them by `new URL('../pkg/…', import.meta.url)`
// or, for workerd, by importing the .wasm as a module; dist/ sits beside js/ so those relative
// paths are unchanged. node:fs (Node entry, simulator) stays external.
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const root = fileURLToPath(new URL('..', import.meta.url));
const entries = ['node', 'browser', 'workerd', 'manual', 'simulator'];

rmSync(`${root}/dist`, { recursive: true, force: true });
await build({
  absWorkingDir: root,
  entryPoints: entries.map((name) => `js/${name}.js`),
  outdir: 'dist',
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
});
