// The send side of the API (`graph-call-transfer/send`): build a transfer request, send it, parse
// Graph's response, decide retries. Its wasm (pkg/send/) has only these exports.
export * from './request.js';
export * from './transport.js';
