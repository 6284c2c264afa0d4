// The request builder of the public JavaScript API (buildTransferRequest, the target helpers,
// parseTransferBody): a thin wrapper over the raw wasm-bindgen exports in ../pkg. Part of the send
// side (./send.js) and of the whole API (./api.js).
//
// Why a wrapper: ../shared/PERFORMANCE.md measured that passing a string to wasm costs as much as
// JSON.parse (wasm-bindgen copies ASCII one character at a time), while bytes cross almost free.
// So options go in as UTF-8 bytes written by the native TextEncoder.encodeInto, and the request
// comes back as one newline-separated string decoded natively. The runtime entry points
// (node.js, browser.js, workerd.js) initialise the wasm and re-export ./api.js (everything),
// or ./send.js or ./receive.js for the two halves (scripts/bundle.mjs).
import * as raw from '../pkg/graph_call_transfer.js';
import { utf8, utf8Pair, utf8Then, bytesOf, makeError, describe, toJson } from './internal.js';

export { makeError, isGraphCallTransferError } from './internal.js';

function randomUuid() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  throw makeError('outOfRange', 'clientRequestId', 'crypto.randomUUID is not available here; pass a clientRequestId string');
}

/** The first option name that is not known and whose value is not `undefined`, if any. */
function unknownOption(options) {
  for (const key in options) {
    // A switch on constant strings compares interned strings: cheaper than a Set lookup.
    switch (key) {
      case 'callId':
      case 'transferTarget':
      case 'transferee':
      case 'clientContext':
      case 'operationContext':
      case 'apiVersion':
      case 'cloud':
      case 'baseUrl':
      case 'clientRequestId':
        continue;
      default:
        // for...in also lists inherited enumerable members (a polluted Object.prototype).
        if (options[key] !== undefined && Object.hasOwn(options, key)) return key;
    }
  }
  return undefined;
}

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

// The fast path writes the body's JSON here instead of calling JSON.stringify: for plain objects
// of strings, numbers, booleans and null it is about 3x cheaper, because strings are put between
// quotes without looking for characters to escape. The core then checks the text has exactly two
// quotes per string and no backslash or control character (request::no_escapes_needed), which
// proves no string needed an escape, so the text is exactly JSON.stringify's; otherwise, and for
// anything else (arrays, toJSON, class instances, BigInt, lone surrogates, deep nesting), the
// body goes through JSON.stringify.
const MAX_WRITE_DEPTH = 32;
const objectProto = Object.prototype;
const protoOf = Object.getPrototypeOf;
// How many strings (member names and string values) the last writeObject call wrote.
let strings = 0;

/** Whether Object.prototype has an enumerable member (for...in would list it; JSON.stringify would not). */
function prototypeIsPolluted() {
  for (const _ in objectProto) return true;
  return false;
}

// The text before a member's value (`"key":`, `"key":"`, `"key":{`, and the same after a comma),
// cached per key as flat strings: appending one flat piece instead of three or four leaves
// encodeInto fewer rope nodes to flatten (about 60-80 ns less on the smallest body, docs/perf.md
// "Session 4"). Bounded, so that arbitrary member names cannot grow it without limit.
const MAX_CACHED_KEYS = 1024;
let cachedKeys = 0;
const prefixCache = new Map();

function prefixesOf(key) {
  let p = prefixCache.get(key);
  if (p === undefined) {
    // join returns a flat string; a + b + c of 13 or more characters would be a rope.
    p = [['"', key, '":'].join(''), ['"', key, '":"'].join(''), ['"', key, '":{'].join(''), [',"', key, '":'].join(''), [',"', key, '":"'].join(''), [',"', key, '":{'].join('')];
    if (cachedKeys < MAX_CACHED_KEYS) {
      prefixCache.set(key, p);
      cachedKeys += 1;
    }
  }
  return p;
}

/**
 * `out` + the member `key`: `value` as JSON.stringify writes it, but with strings unescaped (see
 * above); `out` unchanged for members JSON.stringify leaves out; undefined for what only
 * JSON.stringify writes exactly. `open` is the length of `out` right after its object's `{` (no
 * comma before the first member). Pieces are appended to one string: cheaper to build and to
 * flatten than nested concatenations.
 */
function writeMember(out, open, key, value, depth) {
  const type = typeof value;
  // JSON.stringify leaves these members out.
  if (type === 'undefined' || type === 'function' || type === 'symbol') return out;
  const p = prefixesOf(key);
  const at = out.length === open ? 0 : 3;
  switch (type) {
    case 'string': out += p[at + 1]; out += value; out += '"'; strings += 2; return out;
    case 'object':
      strings += 1;
      return value === null ? out + p[at] + 'null' : writeObject(value, depth + 1, out, p[at + 2]);
    case 'boolean': strings += 1; out += p[at]; return out + (value ? 'true' : 'false');
    // String(number) is JSON.stringify's text for finite numbers (-0 included).
    case 'number': strings += 1; out += p[at]; return out + (Number.isFinite(value) ? String(value) : 'null');
    default: return undefined; // bigint: JSON.stringify throws
  }
}

/** `out` + `before` (the text up to and including its `{`) + a plain object's JSON (see writeMember), or undefined. */
function writeObject(object, depth, out, before) {
  if (depth === MAX_WRITE_DEPTH || typeof object.toJSON === 'function') return undefined;
  const proto = protoOf(object);
  if (proto !== objectProto && proto !== null) return undefined;
  out += before;
  const open = out.length;
  for (const key in object) {
    out = writeMember(out, open, key, object[key], depth);
    if (out === undefined) return undefined;
  }
  return out + '}';
}

/**
 * The body, members in the order each dialect documents; members a dialect lacks are still
 * written so that the core names them in its error (undefined ones are left out by JSON).
 */
function bodyFor(apiVersion, transferTarget, transferee, clientContext, operationContext) {
  if (apiVersion === 'beta-2018') return { clientContext, operationContext, transferee, target: transferTarget };
  if (transferee === undefined && clientContext === undefined && operationContext === undefined) return { transferTarget };
  return { transferTarget, transferee, clientContext, operationContext };
}

/**
 * `head` + the body's JSON with unescaped strings (see writeMember), or undefined. One string, so
 * that it is flattened once (by encodeInto). The body is bodyFor's, as JSON.stringify is given it.
 */
function writeBody(head, apiVersion, transferTarget, transferee, clientContext, operationContext) {
  strings = 0;
  if (prototypeIsPolluted()) return undefined;
  try {
    return writeObject(bodyFor(apiVersion, transferTarget, transferee, clientContext, operationContext), 0, head, '{');
  } catch {
    return undefined; // a throwing getter or proxy: JSON.stringify reports it
  }
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
 * The body's JSON is exactly what JSON.stringify writes (written here without escapes when the
 * core confirms none was needed, else by JSON.stringify) and the core validates that text byte
 * for byte, so what is validated is exactly what is sent. The head strings and the body cross in
 * one buffer written by one encodeInto, and nothing but a status comes back (docs/perf.md,
 * benches/request.mjs). Getters in the options may be read twice (once more by JSON.stringify
 * when the body has a string to escape or something only JSON.stringify writes).
 */
export function buildTransferRequest(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw makeError('invalidType', '', `expected an options object, found ${describe(options)}`);
  }
  const unknown = unknownOption(options);
  if (unknown !== undefined) throw makeError('unknownOption', unknown, 'is not a known option');
  const { callId, transferTarget, transferee, clientContext, operationContext, apiVersion, cloud, baseUrl } = options;
  let clientRequestId = options.clientRequestId;
  if (clientRequestId === true) clientRequestId = randomUuid();
  else if (clientRequestId === false) clientRequestId = undefined;
  let bodyText;
  if (typeof callId === 'string' && isText(apiVersion) && isText(cloud) && isText(clientRequestId) && isText(baseUrl)) {
    // The head as plain strings (the core checks them exactly as it checks JSON) and the body
    // cross in one buffer: first the body as written here, then (when a string needs an escape,
    // or for what only JSON.stringify writes exactly) as JSON.stringify writes it.
    const head = callId + (apiVersion ?? '') + (cloud ?? '') + (baseUrl ?? '') + (clientRequestId ?? '');
    const written = writeBody(head, apiVersion, transferTarget, transferee, clientContext, operationContext);
    let built = written === undefined ? undefined : checkBuffered(written, head.length, strings, callId, apiVersion, cloud, baseUrl, clientRequestId);
    if (built !== undefined) return built;
    bodyText = toJson(bodyFor(apiVersion, transferTarget, transferee, clientContext, operationContext), 'options');
    built = checkBuffered(head + bodyText, head.length, -1, callId, apiVersion, cloud, baseUrl, clientRequestId);
    if (built !== undefined) return built;
  } else {
    bodyText = toJson(bodyFor(apiVersion, transferTarget, transferee, clientContext, operationContext), 'options');
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
 * Checks `text` (the head strings, `headLength` UTF-16 units, then the body) in wasm (one
 * encodeInto into wasm memory, one call) and returns the request, or undefined when the text is
 * not well-formed UTF-16 or when the unescaped body (`unescaped` >= 0 strings) needed an escape.
 */
function checkBuffered(text, headLength, unescaped, callId, apiVersion, cloud, baseUrl, clientRequestId) {
  // A lone surrogate would be encoded as U+FFFD. JSON.stringify escapes it in the body; in
  // baseUrl it could pass as a host character, so such a URL goes through the JSON head, which
  // refuses it; in the other head strings U+FFFD is refused as they are checked.
  if (unescaped >= 0 ? !text.isWellFormed() : baseUrl !== undefined && !baseUrl.isWellFormed()) return undefined;
  // encodeInto needs at most 3 bytes per UTF-16 unit.
  const { written } = encoder.encodeInto(text, inputView(text.length * 3));
  const status = raw.checkTransferRequestBufferedRaw(written, unescaped, callId.length, units(apiVersion), units(cloud), units(baseUrl), units(clientRequestId));
  if (status === 1) throwRequestError();
  return status === 0 ? finish(callId, apiVersion, cloud, baseUrl, clientRequestId, text.slice(headLength)) : undefined;
}

function throwRequestError() {
  // Throws the core's error (kind, path, reason); the check has just kept it.
  raw.throwRequestErrorRaw();
  throw makeError('invalidJson', '', 'the request was refused without a reason');
}

function finish(callId, apiVersion, cloud, baseUrl, clientRequestId, bodyText) {
  const u = urlParts(apiVersion, cloud, baseUrl);
  const headers = clientRequestId === undefined ? { 'content-type': 'application/json' } : { 'content-type': 'application/json', 'client-request-id': clientRequestId };
  return new TransferRequest('POST', u.before + callId + u.after, headers, bodyText);
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
  const bytes = typeof body === 'string' ? body : bytesOf(body, 'the body');
  const input = utf8Then(apiVersion, bytes);
  raw.validateTransferBodyRaw(input.bytes, input.split);
  return JSON.parse(typeof body === 'string' ? body : new TextDecoder().decode(bytes));
}
