// Call notifications: parseNotifications (Graph callback bodies -> typed entries with a transfer
// event) and TransferTracker (one phase per transfer), over the sans-IO core in src/notify.
//
// Speed (PERFORMANCE.md): the body is written straight into a reused buffer in wasm memory
// (TextEncoder.encodeInto for text, set() for bytes), and wasm writes a table of integers into a
// reused buffer that this file reads in place: enum-like fields are small integers mapped through
// name tables read once, strings are byte offsets that this file slices out of the caller's own
// text. resourceDataText is sliced lazily.
import * as raw from '../pkg/graph_call_transfer.js';
import { describe, makeError, utf8 } from './internal.js';

export const DEFAULT_MAX_BYTES = 1 << 20;
export const DEFAULT_MAX_DEPTH = 64;
export const DEFAULT_MAX_ITEMS = 1000;
const STRIDE = 31;
// The wasm side releases input buffers above this size after each parse (src/wasm/notify.rs).
const KEEP_INPUT = 64 * 1024;

const encoder = new TextEncoder();
const decoder = new TextDecoder();

// Bodies are written straight into a reused buffer in wasm memory and the table is read in
// place: no allocation, copy or typed-array creation per call beyond what the caller needs.
let memory = null;
let u8 = new Uint8Array(0);
let u32 = new Uint32Array(0);
let inPtr = 0;
let inCap = 0;
let inView = new Uint8Array(0);

function views() {
  if (memory === null) {
    // The memory arrives as the thrown value (see notifyMemory in src/wasm/notify.rs).
    try {
      raw.notifyMemory();
    } catch (m) {
      memory = m;
    }
  }
  // Growing wasm memory detaches the old buffer (length 0), which is cheaper to test than
  // reading memory.buffer.
  if (u8.length === 0) {
    u8 = new Uint8Array(memory.buffer);
    u32 = new Uint32Array(memory.buffer);
    inView = u8.subarray(inPtr, inPtr + inCap);
  }
}

function reserve(len) {
  if (len > inCap) {
    inPtr = raw.notifyInput(len);
    inCap = len;
    views();
    inView = u8.subarray(inPtr, inPtr + inCap);
  } else {
    views();
  }
}

function released() {
  if (inCap > KEEP_INPUT) inCap = 0;
}

function tooLarge(len, max) {
  return makeError('tooLarge', '', `is ${len} bytes long; the limit is ${max} bytes`);
}

let names;
/** The names behind the table's small integers, in the core's order (read once). */
function enumNames() {
  if (names === undefined) {
    const g = raw.notifyEnumNames().split('\n').map((line) => line.split(','));
    names = { kind: g[0], change: g[1], state: g[2], transfer: g[3], status: g[4], phase: g[5] };
  }
  return names;
}

function limit(options, name, fallback) {
  const value = options[name];
  if (value === undefined) return fallback;
  if (!Number.isInteger(value) || value < 0 || value > 0xffffffff) {
    throw makeError('outOfRange', name, `is out of range: expected an integer from 0 to 4294967295`);
  }
  return value;
}

const DEFAULT_LIMITS = [DEFAULT_MAX_BYTES, DEFAULT_MAX_DEPTH, DEFAULT_MAX_ITEMS];

function limits(options) {
  if (options === undefined) return DEFAULT_LIMITS;
  if (options === null || typeof options !== 'object') {
    throw makeError('invalidType', '', `options must be an object, not ${describe(options)}`);
  }
  return [
    limit(options, 'maxBytes', DEFAULT_MAX_BYTES),
    limit(options, 'maxDepth', DEFAULT_MAX_DEPTH),
    limit(options, 'maxItems', DEFAULT_MAX_ITEMS),
  ];
}

function utf8Length(text) {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00 && i + 1 < text.length) { n += 4; i++; }
    else n += 3;
  }
  return n;
}

// Where the strings come from: the caller's text when it is ASCII (byte offsets are then
// string offsets), otherwise the UTF-8 bytes, decoded per string.
let srcText = '';
let srcBytes = null;

function str(t, at) {
  const s = t[at];
  if (s === 0) return null;
  const w = t[at + 1];
  const start = s - 1;
  const end = start + (w >>> 1);
  const v = srcBytes === null ? srcText.slice(start, end) : decoder.decode(srcBytes.subarray(start, end));
  return (w & 1) === 0 ? v : JSON.parse('"' + v + '"');
}

function code(t, tag, at) {
  if (tag === 0) return null;
  const v = str(t, at);
  return tag === 1 ? +v || 0 : v;
}

/** The size of the package's wasm memory in bytes (diagnostics: it must stay flat under load). */
export function wasmMemoryBytes() {
  views();
  return memory.buffer.byteLength;
}

/** The call id in a resource URL: the path segment after the first `/calls/`. */
export function callIdOf(url) {
  const at = url.indexOf('/calls/');
  if (at < 0) return null;
  const rest = url.slice(at + 7);
  const m = /[/?#]/.exec(rest);
  const id = m === null ? rest : rest.slice(0, m.index);
  return id === '' ? null : id;
}

/**
 * One parsed notification. Fields mirror the Rust `Notification`; `resourceDataText` is the
 * untouched JSON text of `resourceData`, `resourceData` the same parsed (both lazy).
 */
export class Notification {
  #text;
  #start;
  #end;
  #value;
  constructor(t, base, n) {
    const packed = t[base + 1];
    const packed2 = t[base + 2];
    const ch = (packed >>> 8) & 255;
    const st = (packed >>> 16) & 255;
    const tr = packed >>> 24;
    const os = packed2 & 255;
    const flags = packed2 >>> 24;
    /** Position of the item in the body's `value` array. */
    this.index = t[base];
    /** What the notification is about. */
    this.kind = n.kind[packed & 255];
    this.changeType = ch === 0 ? null : ch === 255 ? str(t, base + 3) : n.change[ch - 1];
    this.resourceUrl = str(t, base + 5);
    this.callId = (flags & 2) === 0 ? str(t, base + 7) : callIdOf(this.resourceUrl);
    this.odataType = str(t, base + 9);
    this.etag = str(t, base + 11);
    this.state = st === 0 ? null : st === 255 ? str(t, base + 13) : n.state[st - 1];
    this.terminationReason = str(t, base + 15);
    this.resultInfo = (flags & 1) === 0 ? null : {
      code: code(t, (packed2 >>> 8) & 255, base + 23),
      subcode: code(t, (packed2 >>> 16) & 255, base + 25),
      message: str(t, base + 27),
    };
    this.clientContext = str(t, base + 17);
    this.operationStatus = os === 0 ? null : os === 255 ? str(t, base + 19) : n.status[os - 1];
    this.tone = str(t, base + 21);
    this.transfer = tr === 0 ? null : n.transfer[tr - 1];
    if ((flags & 4) === 0) {
      this.#text = null;
    } else if (srcBytes === null) {
      this.#text = srcText;
      this.#start = t[base + 29] - 1;
      this.#end = this.#start + (t[base + 30] >>> 1);
    } else {
      // The bytes may be a reused buffer: decode now.
      this.#text = str(t, base + 29);
      this.#start = -1;
    }
  }

  /** `resourceData` exactly as sent (JSON text), or null when absent. */
  get resourceDataText() {
    if (this.#text === null || this.#start === -1) return this.#text;
    const text = this.#text.slice(this.#start, this.#end);
    this.#text = text;
    this.#start = -1;
    return text;
  }

  /** `resourceData` parsed (cached), or null when absent. */
  get resourceData() {
    if (this.#value === undefined) {
      const text = this.resourceDataText;
      this.#value = text === null ? null : JSON.parse(text);
    }
    return this.#value;
  }

  /** A plain object with every field and `resourceDataText`. */
  toJSON() {
    return {
      index: this.index,
      kind: this.kind,
      changeType: this.changeType,
      resourceUrl: this.resourceUrl,
      callId: this.callId,
      odataType: this.odataType,
      etag: this.etag,
      state: this.state,
      terminationReason: this.terminationReason,
      resultInfo: this.resultInfo,
      clientContext: this.clientContext,
      operationStatus: this.operationStatus,
      tone: this.tone,
      transfer: this.transfer,
      resourceDataText: this.resourceDataText,
    };
  }
}

/**
 * Writes the body into the wasm input buffer; returns its length in bytes. Sets srcText (ASCII
 * text, whose offsets are byte offsets) or srcBytes (bytes to decode strings from).
 */
function writeInput(input, maxBytes) {
  srcText = '';
  srcBytes = null;
  if (typeof input === 'string') {
    const n = input.length;
    if (n > maxBytes) throw tooLarge(utf8Length(input), maxBytes);
    // encodeInto writes at most 3 bytes per UTF-16 unit; one more than the limit is enough to
    // tell a body that is too large.
    reserve(Math.min(n * 3, maxBytes + 1));
    const { read, written } = encoder.encodeInto(input, inView);
    if (read < n || written > maxBytes) throw tooLarge(utf8Length(input), maxBytes);
    if (written === n) srcText = input;
    // Not ASCII: copy, since wasm memory may grow (and detach views) while parsing.
    else srcBytes = inView.slice(0, written);
    return written;
  }
  let bytes;
  if (input instanceof Uint8Array) bytes = input;
  else if (input instanceof ArrayBuffer) bytes = new Uint8Array(input);
  else if (ArrayBuffer.isView(input)) bytes = new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  else {
    throw makeError('invalidType', '', `the body must be a string, a Uint8Array or an ArrayBuffer, not ${describe(input)}`);
  }
  const len = bytes.length;
  if (len > maxBytes) throw tooLarge(len, maxBytes);
  reserve(len);
  inView.set(bytes);
  srcBytes = bytes;
  return len;
}

/**
 * Parses a Graph callback body (string, Uint8Array or ArrayBuffer) into
 * `{ notifications, errors }`: one Notification per good item, one GraphCallTransferError (with
 * `index` and a `path` such as "value[3].resourceData.state") per bad item. Throws a
 * GraphCallTransferError for a bad body (invalidJson, invalidUtf8, invalidEnvelope, tooDeep,
 * tooLarge, tooManyItems). `options`: `{ maxBytes = 1 MiB, maxDepth = 64, maxItems = 1000 }`.
 */
export function parseNotifications(input, options) {
  const [maxBytes, maxDepth, maxItems] = limits(options);
  const len = writeInput(input, maxBytes);
  let ptr;
  try {
    ptr = raw.notifyParseInput(len, maxBytes, maxDepth, maxItems);
  } finally {
    released();
  }
  if (srcBytes !== null && typeof input !== 'string') {
    // Bytes in: decode once; when that is ASCII, offsets are string offsets.
    const text = decoder.decode(srcBytes);
    if (text.length === len) {
      srcText = text;
      srcBytes = null;
    }
  }
  views();
  const t = u32;
  const base0 = ptr >>> 2;
  const n = enumNames();
  const count = t[base0];
  const errorCount = t[base0 + 1];
  const notifications = new Array(count);
  for (let i = 0, base = base0 + 2; i < count; i++, base += STRIDE) {
    notifications[i] = new Notification(t, base, n);
  }
  srcText = '';
  srcBytes = null;
  const errors = errorCount === 0 ? [] : JSON.parse(raw.notifyTakeErrors()).map(([index, kind, path, reason]) => {
    const error = makeError(kind, path, reason);
    error.index = index;
    return error;
  });
  return { notifications, errors };
}

// ---------------------------------------------------------------------------------------------

function time(now, path = 'now') {
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    throw makeError('outOfRange', path, 'is out of range: expected a finite, non-negative number of milliseconds');
  }
  return now;
}

function optionsObject(options, what) {
  if (options === undefined) return {};
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw makeError('invalidType', '', `${what} must be an object, not ${describe(options)}`);
  }
  return options;
}

function optionalString(value, path) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') {
    throw makeError('invalidType', path, `wrong type: expected a string, found ${describe(value)}`);
  }
  return value;
}

// A lone surrogate becomes U+FFFD, as when the core decodes a body (JSON would refuse it).
const wellFormed = (_, v) => (typeof v === 'string' ? v.toWellFormed() : v);

/**
 * Feeds the tracker `h` the notifications of `list` (all, or only those that can matter to a
 * transfer) in one wasm call, as JSON in the input buffer; returns the transitions. Entries
 * before one that is not a Notification are fed before throwing.
 */
function feed(h, list, messageId, now, all) {
  const n = enumNames();
  const items = [messageId ?? null];
  let bad = false;
  for (const e of list) {
    if (!(e instanceof Notification)) {
      bad = true;
      break;
    }
    if (all || e.transfer !== null || e.state !== null || e.changeType === 'deleted') {
      items.push([e.index, e.callId, e.clientContext, e.changeType, e.state, e.terminationReason,
        e.transfer === null ? 0 : n.transfer.indexOf(e.transfer) + 1, e.resultInfo]);
    }
  }
  const out = all || items.length > 1 ? run(h, items, now) : [];
  if (bad) throw makeError('invalidType', '', 'expected Notification objects from parseNotifications');
  return out;
}

/** Runs a feed (see trackerQuery in src/wasm/notify.rs) on tracker `h`; returns the transitions. */
function run(h, items, now) {
  let text = JSON.stringify(items);
  // JSON.stringify escapes only lone surrogates as \udXXX (rare: redo with the replacer).
  if (text.includes('\\ud')) text = JSON.stringify(items, wellFormed);
  const json = query(h, 6, text, now);
  return json === undefined ? [] : JSON.parse(json);
}

/** Tracker operation `op` on `h` with `text` (a call id or a feed) in the input buffer. */
function query(h, op, text, now = 0) {
  const len = writeInput(text, Infinity);
  srcText = '';
  srcBytes = null;
  try {
    return raw.trackerQuery(h, op, len, now);
  } finally {
    released();
  }
}

let restoring = 0;
// Frees the wasm side of trackers that were garbage-collected without free().
const registry = typeof FinalizationRegistry === 'function' ? new FinalizationRegistry((h) => raw.trackerFree(h)) : null;

/**
 * Tracks transfers: register each transfer, feed parsed notifications (with the callback's
 * X-Microsoft-Skype-Message-ID as `messageId`), read phases. Time is always passed in (`now`, in
 * milliseconds). Serialize with `JSON.stringify(tracker)` / `TransferTracker.fromJSON(state)`.
 */
export class TransferTracker {
  #h;

  /** `options`: `{ stallAfterMs = 60000, maxMessageIds = 4096, maxEarlyPerCall = 8, maxEarlyCalls = 256 }`. */
  constructor(options = undefined) {
    if (restoring !== 0) {
      this.#h = restoring;
      restoring = 0;
    } else {
      const o = optionsObject(options, 'options');
      const json = {};
      for (const name of ['stallAfterMs', 'maxMessageIds', 'maxEarlyPerCall', 'maxEarlyCalls']) {
        if (o[name] !== undefined) {
          if (!Number.isSafeInteger(o[name]) || o[name] < 0) {
            throw makeError('outOfRange', name, 'is out of range: expected a non-negative integer');
          }
          json[name] = o[name];
        }
      }
      this.#h = raw.trackerNew(utf8(JSON.stringify(json)), false);
    }
    if (registry !== null) registry.register(this, this.#h, this);
  }

  /** Restores a tracker from `toJSON()` output (an object or its JSON text). */
  static fromJSON(state) {
    const text = typeof state === 'string' ? state : JSON.stringify(state);
    restoring = raw.trackerNew(utf8(text), true);
    return new TransferTracker();
  }

  /** The whole state as a plain JSON-compatible object. */
  toJSON() {
    return JSON.parse(query(this.#h, 5, ''));
  }

  /** Starts tracking a transfer; returns transitions of notifications that arrived earlier. */
  register(callId, { clientContext, now } = {}) {
    if (typeof callId !== 'string') {
      throw makeError('invalidType', 'callId', `wrong type: expected a string, found ${describe(callId)}`);
    }
    const ctx = optionalString(clientContext, 'clientContext');
    return run(this.#h, [null, [callId, ctx ?? null]], time(now));
  }

  /**
   * Feeds notifications: one Notification, an array of them, or a `parseNotifications` result.
   * Returns the transitions they caused.
   */
  observe(input, { messageId, now } = {}) {
    const list = input instanceof Notification ? [input]
      : Array.isArray(input) ? input
        : input !== null && typeof input === 'object' && Array.isArray(input.notifications) ? input.notifications
          : null;
    if (list === null) {
      throw makeError('invalidType', '', `expected a Notification, an array of them or a parseNotifications result, not ${describe(input)}`);
    }
    return feed(this.#h, list, optionalString(messageId, 'messageId'), time(now), false);
  }

  /**
   * Parses a body and feeds every notification in it (not only those that can matter, as
   * observe does) in one step: returns `{ transitions, errorCount }`. Throws like
   * parseNotifications for a bad body.
   */
  observeBody(input, { messageId, now, maxBytes, maxDepth, maxItems } = {}) {
    const [mb, md, mi] = limits({ maxBytes, maxDepth, maxItems });
    const mid = optionalString(messageId, 'messageId');
    time(now);
    const { notifications, errors } = parseNotifications(input, { maxBytes: mb, maxDepth: md, maxItems: mi });
    return { transitions: feed(this.#h, notifications, mid, now, true), errorCount: errors.length };
  }

  /** Marks transfers without progress for `stallAfterMs` as stalled; returns those transitions. */
  tick(now) {
    return JSON.parse(query(this.#h, 4, '', time(now)));
  }

  /** The phase of `callId`'s transfer, or null when it is not tracked. */
  phase(callId) {
    return query(this.#h, 0, String(callId)) ?? null;
  }

  /** Everything known about `callId`'s transfer, or null. */
  get(callId) {
    const json = query(this.#h, 1, String(callId));
    return json === undefined ? null : JSON.parse(json);
  }

  /** Every tracked transfer, ordered by call id. */
  transfers() {
    return JSON.parse(query(this.#h, 2, ''));
  }

  /** Stops tracking `callId`; whether it was tracked. */
  remove(callId) {
    return query(this.#h, 3, String(callId)) !== undefined;
  }

  /** Frees the wasm memory now (otherwise freed when garbage-collected). */
  free() {
    if (this.#h !== 0) {
      if (registry !== null) registry.unregister(this);
      raw.trackerFree(this.#h);
      this.#h = 0;
    }
  }
}
