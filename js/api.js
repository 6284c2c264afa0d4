// The public JavaScript API: a thin wrapper over the raw wasm-bindgen exports in ../pkg.
//
// Why a wrapper: ../shared/PERFORMANCE.md measured that passing a string to wasm costs as much as
// JSON.parse (wasm-bindgen copies ASCII one character at a time), while bytes cross almost free.
// So options go in as UTF-8 bytes written by the native TextEncoder.encodeInto, and the request
// comes back as one newline-separated string decoded natively. The runtime entry points
// (node.js, browser.js, workerd.js) initialise the wasm and re-export everything here.
import * as raw from '../pkg/graph_call_transfer.js';
import { utf8, utf8Pair, bytesOf, makeError, describe, toJson } from './internal.js';

export { makeError, isGraphCallTransferError } from './internal.js';

function randomUuid() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  throw makeError('outOfRange', 'clientRequestId', 'crypto.randomUUID is not available here; pass a clientRequestId string');
}

const OPTION_NAMES = new Set(['callId', 'transferTarget', 'transferee', 'clientContext', 'operationContext', 'apiVersion', 'cloud', 'baseUrl', 'clientRequestId']);

const encoder = new TextEncoder();
const isText = (value) => value === undefined || typeof value === 'string';
const units = (value) => (value === undefined ? -1 : value.length);

// The URL around the call id for the last (apiVersion, cloud, baseUrl) seen, as the core computed
// it (`transferUrlPartsRaw`); the core checks the call id of every request.
let urlFor = { apiVersion: null, cloud: null, baseUrl: null, before: '', after: '' };

// A view of the wasm module's reusable input buffer (see inputBufferRaw in src/wasm/mod.rs): the
// request is encoded straight into wasm memory, with no allocation and no copy per call.
let input = null;

function inputView(need) {
  // A view goes stale (length 0) when the wasm memory grows.
  if (input === null || input.byteLength < need) {
    const size = Math.max(need, 4096);
    const ptr = raw.inputBufferRaw(size);
    // Once the module is initialised, initSync() only returns its exports (and `memory`).
    input = new Uint8Array(raw.initSync().memory.buffer, ptr, size);
  }
  return input;
}

function urlParts(apiVersion, cloud, baseUrl) {
  const u = urlFor;
  if (u.apiVersion === apiVersion && u.cloud === cloud && u.baseUrl === baseUrl) return u;
  const bytes = utf8((apiVersion ?? '') + (cloud ?? '') + (baseUrl ?? ''));
  const parts = raw.transferUrlPartsRaw(bytes, units(apiVersion), units(cloud), units(baseUrl)).split('\n');
  urlFor = { apiVersion, cloud, baseUrl, before: parts[0], after: parts[1] };
  return urlFor;
}

/**
 * Builds and validates a Graph call-transfer request. Throws a `GraphCallTransferError` with a
 * stable `kind` and the JSON path of the offending value.
 *
 * The body is serialized here by the native JSON.stringify and validated byte for byte in wasm,
 * so what is validated is exactly what is sent (see benches/request.mjs for the cost). The head
 * strings and the body cross in one buffer written by one encodeInto, and nothing but success or
 * an error comes back (docs/perf.md).
 */
export function buildTransferRequest(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw makeError('invalidType', '', `expected an options object, found ${describe(options)}`);
  }
  for (const key in options) {
    if (!OPTION_NAMES.has(key) && options[key] !== undefined) throw makeError('unknownOption', key, 'is not a known option');
  }
  const { callId, transferTarget, transferee, clientContext, operationContext, apiVersion, cloud, baseUrl } = options;
  let clientRequestId = options.clientRequestId;
  if (clientRequestId === true) clientRequestId = randomUuid();
  else if (clientRequestId === false) clientRequestId = undefined;
  // The body in the member order each dialect documents; members a dialect lacks are still
  // written so that the core names them in its error.
  let body;
  if (apiVersion === 'beta-2018') body = { clientContext, operationContext, transferee, target: transferTarget };
  else if (transferee === undefined && clientContext === undefined && operationContext === undefined) body = { transferTarget };
  else body = { transferTarget, transferee, clientContext, operationContext };
  const bodyText = toJson(body, 'options');
  // A lone surrogate in baseUrl would be encoded as U+FFFD and could pass as a host character, so
  // such a URL goes through the JSON head, which refuses it.
  if (typeof callId === 'string' && isText(apiVersion) && isText(cloud) && isText(clientRequestId) && (baseUrl === undefined || (typeof baseUrl === 'string' && baseUrl.isWellFormed()))) {
    // Fast path: the head as plain strings (the core checks them exactly as it checks JSON).
    const text = callId + (apiVersion ?? '') + (cloud ?? '') + (baseUrl ?? '') + (clientRequestId ?? '') + bodyText;
    // encodeInto needs at most 3 bytes per UTF-16 unit.
    const { written } = encoder.encodeInto(text, inputView(text.length * 3));
    raw.checkTransferRequestBufferedRaw(written, callId.length, units(apiVersion), units(cloud), units(baseUrl), units(clientRequestId));
    const u = urlParts(apiVersion, cloud, baseUrl);
    const headers = clientRequestId === undefined ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'client-request-id': clientRequestId };
    return new TransferRequest('POST', u.before + callId + u.after, headers, bodyText);
  }
  // Any other head value (missing callId, a number, null...): the JSON head reports it exactly.
  const head = toJson({ callId, apiVersion, cloud, baseUrl, clientRequestId }, 'options');
  const { bytes, split } = utf8Pair(head, bodyText);
  const parts = raw.buildTransferRequestRaw(bytes, split).split('\n');
  const headers = {};
  for (let i = 2; i < parts.length; i += 2) headers[parts[i]] = parts[i + 1];
  return new TransferRequest(parts[0], parts[1], headers, bodyText);
}

/**
 * A built request: `method`, `url`, `headers` (a plain object for `fetch`), `bodyText` (the exact
 * JSON to send) and `body` (the same as a plain object, parsed on first use).
 */
export class TransferRequest {
  #body;
  constructor(method, url, headers, bodyText) {
    this.method = method;
    this.url = url;
    this.headers = headers;
    this.bodyText = bodyText;
  }
  /** The body as a plain object (parsed from `bodyText` once, on first access). */
  get body() {
    if (this.#body === undefined) this.#body = JSON.parse(this.bodyText);
    return this.#body;
  }
  /** `{ method, url, headers, body }`: what `JSON.stringify(request)` shows. */
  toJSON() {
    return { method: this.method, url: this.url, headers: this.headers, body: this.body };
  }
  /** Options for `fetch(request.url, request.toFetchInit(token))`. */
  toFetchInit(token) {
    const headers = { ...this.headers };
    if (token !== undefined) headers.authorization = `Bearer ${token}`;
    return { method: this.method, headers, body: this.bodyText };
  }
}

function checkedTarget(target) {
  raw.validateTargetRaw(utf8(toJson(target, 'the target')));
  return target;
}

function requireString(value, path) {
  if (typeof value !== 'string') {
    throw makeError('invalidType', path, `wrong type: expected a string, found ${describe(value)}`);
  }
}

function checkExtras(extras) {
  if (extras !== undefined && (extras === null || typeof extras !== 'object' || Array.isArray(extras))) {
    throw makeError('invalidType', '', `wrong type: extra target fields must be an object, not ${describe(extras)}`);
  }
  return extras ?? {};
}

function withExtras(target, extras) {
  return extras === undefined ? target : { ...target, ...extras };
}

/**
 * A Teams user as a transfer target. `extras` may add `displayName` (on the identity),
 * `endpointType`, `replacesCallId` and other invitationParticipantInfo fields.
 */
export function teamsUser(userId, extras = undefined) {
  requireString(userId, 'identity.user.id');
  const { displayName, tenantId, ...rest } = checkExtras(extras);
  const user = { id: userId };
  if (displayName !== undefined) user.displayName = displayName;
  if (tenantId !== undefined) user.tenantId = tenantId;
  return checkedTarget(withExtras({ identity: { user } }, extras === undefined ? undefined : rest));
}

/** A PSTN phone number (E.164, such as "+12345678901") as a transfer target. */
export function phoneNumber(e164, extras = undefined) {
  requireString(e164, 'identity.phone.id');
  const target = { identity: { phone: { '@odata.type': '#microsoft.graph.identity', id: e164 } } };
  return checkedTarget(withExtras(target, checkExtras(extras) && extras));
}

/** An application instance (resource account) as a transfer target. */
export function applicationInstance(id, extras = undefined) {
  requireString(id, 'identity.applicationInstance.id');
  const { displayName, ...rest } = checkExtras(extras);
  const instance = { id };
  if (displayName !== undefined) instance.displayName = displayName;
  return checkedTarget(withExtras({ identity: { applicationInstance: instance } }, extras === undefined ? undefined : rest));
}

/**
 * Parses and validates a transfer request *body* as Graph receives it (for simulators, proxies and
 * tests), in the dialect of `apiVersion` ("v1.0", "beta" or "beta-2018"). Returns it as a plain object.
 */
export function parseTransferBody(body, apiVersion = 'v1.0') {
  if (typeof apiVersion !== 'string') {
    throw makeError('invalidType', 'apiVersion', `wrong type: expected a string, found ${describe(apiVersion)}`);
  }
  const bytes = bytesOf(body, 'the body');
  raw.validateTransferBodyRaw(bytes, apiVersion);
  return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(bytes));
}
export * from './auth.js';
export * from './transport.js';
export * from './notify.js';
