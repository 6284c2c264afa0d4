// Helpers shared by the package's JS modules (not part of the public API).

const encoder = new TextEncoder();
let scratch = new Uint8Array(4096);

/** Grows the reused buffer to at least `need` bytes (at least doubling it). */
function room(need) {
  if (need > scratch.length) scratch = new Uint8Array(Math.max(need, scratch.length * 2));
}

/** Encodes `text` as UTF-8 into a reused buffer and returns a view of the written bytes. */
export function utf8(text) {
  // encodeInto needs at most 3 bytes per UTF-16 unit.
  room(text.length * 3);
  const { written } = encoder.encodeInto(text, scratch);
  return scratch.subarray(0, written);
}

/** Encodes two strings back to back into the reused buffer; `split` is the byte length of the first. */
export function utf8Pair(first, second) {
  room((first.length + second.length) * 3);
  const split = encoder.encodeInto(first, scratch).written;
  const { written } = encoder.encodeInto(second, scratch.subarray(split));
  return { bytes: scratch.subarray(0, split + written), split };
}

/**
 * `text` as UTF-8 then `body` (a string, encoded too, or bytes that are not a view of the reused
 * buffer), back to back in the reused buffer; `split` is the byte length of the text.
 */
export function utf8Then(text, body) {
  if (typeof body === 'string') return utf8Pair(text, body);
  room(text.length * 3 + body.length);
  const split = encoder.encodeInto(text, scratch).written;
  scratch.set(body, split);
  return { bytes: scratch.subarray(0, split + body.length), split };
}

/** Makes an error shaped like the ones the wasm core throws. */
export function makeError(kind, path, reason) {
  const error = new Error(path ? `${path}: ${reason}` : reason);
  error.name = 'GraphCallTransferError';
  error.kind = kind;
  error.path = path;
  error.reason = reason;
  return error;
}

/** Whether `value` is an error thrown by this package (it has a stable `kind` and a `path`). */
export function isGraphCallTransferError(value) {
  return value instanceof Error && value.name === 'GraphCallTransferError' && typeof value.kind === 'string';
}

export function describe(value) {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  return typeof value === 'object' ? 'an object' : `a ${typeof value}`;
}

export function toJson(value, what) {
  try {
    return JSON.stringify(value);
  } catch (cause) {
    // BigInt values and cycles cannot be JSON.
    const error = makeError('invalidType', '', `${what} cannot be turned into JSON: ${cause.message}`);
    error.cause = cause;
    throw error;
  }
}

/** Bytes of a string (UTF-8, in the reused scratch buffer: use before the next call) or of binary input. */
export function bytesOf(input, what) {
  if (typeof input === 'string') return utf8(input);
  if (input instanceof Uint8Array) return input;
  if (input instanceof ArrayBuffer) return new Uint8Array(input);
  if (ArrayBuffer.isView(input)) return new Uint8Array(input.buffer, input.byteOffset, input.byteLength);
  throw makeError('invalidType', '', `${what} must be a string, a Uint8Array or an ArrayBuffer, not ${describe(input)}`);
}

