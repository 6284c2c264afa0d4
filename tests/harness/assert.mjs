// A tiny assertion library that runs unchanged in Node, workerd and browsers (node:assert does not
// exist in browsers). Failures throw an Error with a readable message.

function fail(message, details) {
  const error = new Error(details === undefined ? message : `${message}\n${details}`);
  error.name = 'AssertionError';
  throw error;
}

function show(value) {
  try {
    return JSON.stringify(value, (_, v) => (typeof v === 'bigint' ? `${v}n` : v));
  } catch {
    return String(value);
  }
}

function isDeepEqual(a, b) {
  if (Object.is(a, b)) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (a instanceof Uint8Array || b instanceof Uint8Array) {
    if (!(a instanceof Uint8Array && b instanceof Uint8Array) || a.length !== b.length) return false;
    return a.every((x, i) => x === b[i]);
  }
  const ka = Object.keys(a).filter((k) => a[k] !== undefined);
  const kb = Object.keys(b).filter((k) => b[k] !== undefined);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => Object.prototype.hasOwnProperty.call(b, k) && isDeepEqual(a[k], b[k]));
}

function matches(error, expected) {
  if (expected === undefined) return true;
  if (expected instanceof RegExp) return expected.test(String(error && error.message));
  if (typeof expected === 'function') return expected(error) !== false;
  return Object.entries(expected).every(([k, v]) =>
    v instanceof RegExp ? v.test(String(error && error[k])) : isDeepEqual(error && error[k], v),
  );
}

export const assert = {
  ok(value, message = 'expected a truthy value') {
    if (!value) fail(message, `got ${show(value)}`);
  },
  equal(actual, expected, message = 'values differ') {
    if (!Object.is(actual, expected)) fail(message, `actual:   ${show(actual)}\nexpected: ${show(expected)}`);
  },
  notEqual(actual, expected, message = 'values are equal') {
    if (Object.is(actual, expected)) fail(message, `both: ${show(actual)}`);
  },
  deepEqual(actual, expected, message = 'values differ') {
    if (!isDeepEqual(actual, expected)) fail(message, `actual:   ${show(actual)}\nexpected: ${show(expected)}`);
  },
  match(text, regex, message = 'no match') {
    if (!regex.test(String(text))) fail(message, `${show(text)} does not match ${regex}`);
  },
  /** `expected`: a RegExp for the message, an object of expected properties, or a predicate. */
  throws(fn, expected, message = 'expected a throw') {
    let threw = false;
    let error;
    try {
      fn();
    } catch (e) {
      threw = true;
      error = e;
    }
    if (!threw) fail(message, 'nothing was thrown');
    if (!matches(error, expected)) fail(message, `thrown: ${show({ name: error?.name, message: error?.message, kind: error?.kind, path: error?.path })}\nexpected: ${show(expected instanceof RegExp ? String(expected) : expected)}`);
    return error;
  },
  async rejects(fnOrPromise, expected, message = 'expected a rejection') {
    let rejected = false;
    let error;
    try {
      await (typeof fnOrPromise === 'function' ? fnOrPromise() : fnOrPromise);
    } catch (e) {
      rejected = true;
      error = e;
    }
    if (!rejected) fail(message, 'the promise resolved');
    if (!matches(error, expected)) fail(message, `rejected with: ${show({ name: error?.name, message: error?.message, kind: error?.kind, path: error?.path })}\nexpected: ${show(expected instanceof RegExp ? String(expected) : expected)}`);
    return error;
  },
};
