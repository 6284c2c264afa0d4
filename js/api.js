// The public JavaScript API: both sides. The runtime entry points (node.js, browser.js, workerd.js,
// manual.js) initialise the wasm and re-export this; scripts/bundle.mjs builds the same entries a
// second and third time with ./send.js or ./receive.js in place of this file and the matching
// wasm (pkg/send/, pkg/receive/), for `graph-call-transfer/send` and `graph-call-transfer/receive`.
export * from './send.js';
export * from './receive.js';
