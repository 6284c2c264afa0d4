// Transport: sends a transfer with fetch and interprets the answer, driving the sans-IO decisions
// of the wasm core (parseTransferResponseRaw, decideRetryRaw). See docs/transport.md for why the
// sending loop is JavaScript rather than an async wasm export: a caller-supplied fetch, timeouts
// via AbortController, and no gloo-net / web-sys / futures glue in the wasm.
import * as raw from '../pkg/graph_call_transfer.js';
import { buildTransferRequest, TransferRequest } from './request.js';
import { bytesOf, describe, makeError, utf8Then } from './internal.js';

const EMPTY = new Uint8Array(0);
/** Response headers the core reads; the rest never cross into wasm. */
const RESPONSE_HEADERS = ['request-id', 'client-request-id', 'date', 'retry-after'];
const SEND_OPTIONS = new Set(['token', 'fetch', 'timeoutMs', 'retry', 'signal']);
/** setTimeout's largest delay. */
const MAX_TIMEOUT_MS = 2_147_483_647;
export const DEFAULT_TIMEOUT_MS = 30_000;
/** A hard bound on the send loop, above the core's own limit of 10 attempts. */
const LOOP_LIMIT = 10;

/** An error answer from Graph: `kind` is "graph". Thrown by sendTransfer, returned by parseTransferResponse. */
export class GraphError extends Error {
  constructor(fields) {
    super(fields.message);
    this.name = 'GraphError';
    this.kind = 'graph';
    this.status = fields.status;
    this.code = fields.code;
    this.requestId = fields.requestId;
    this.clientRequestId = fields.clientRequestId;
    this.date = fields.date;
    this.retryAfterMs = fields.retryAfterMs;
    this.innerError = fields.innerError;
  }
}

/** A transfer that got no HTTP answer: `kind` is "timeout", "network" or "aborted". */
export class TransportError extends Error {
  constructor(kind, message, cause) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'TransportError';
    this.kind = kind;
  }
}

/** Whether `value` is a {@link GraphError}. */
export function isGraphError(value) {
  return value instanceof Error && value.name === 'GraphError' && value.kind === 'graph';
}

/** Whether `value` is a {@link TransportError}. */
export function isTransportError(value) {
  return value instanceof Error && value.name === 'TransportError' && typeof value.kind === 'string';
}

function wrongType(path, expected, value) {
  return makeError('invalidType', path, `wrong type: expected ${expected}, found ${describe(value)}`);
}

/** Picks the headers the core reads from a Headers object, a Map, [name, value] pairs or a plain object. */
function packHeaders(headers) {
  if (headers === undefined || headers === null) return '';
  const out = [];
  if (typeof headers.get === 'function' && !(headers instanceof Map)) {
    for (const name of RESPONSE_HEADERS) {
      const value = headers.get(name);
      if (typeof value === 'string') out.push(name, value);
    }
  } else if (typeof headers === 'object') {
    const entries = headers instanceof Map || Array.isArray(headers) ? headers : Object.entries(headers);
    for (const entry of entries) {
      if (!Array.isArray(entry) || entry.length !== 2) {
        throw makeError('invalidType', 'headers', 'expected a Headers object, a plain object or [name, value] pairs');
      }
      const [name, value] = entry;
      if (typeof name === 'string' && RESPONSE_HEADERS.includes(name.toLowerCase())) {
        out.push(name, String(value));
      }
    }
  } else {
    throw wrongType('headers', 'a Headers object, a plain object or [name, value] pairs', headers);
  }
  // A header value never holds a newline (fetch refuses them); drop any that would break the packing.
  for (let i = 1; i < out.length; i += 2) out[i] = out[i].replace(/[\r\n]/g, ' ');
  return out.join('\n');
}

function bodyBytes(body) {
  if (body === undefined || body === null) return EMPTY;
  try {
    return bytesOf(body, 'the body');
  } catch {
    throw wrongType('body', 'a string, a Uint8Array or an ArrayBuffer', body);
  }
}

/**
 * Interprets Graph's answer to a transfer: `{ ok: true, status, operation?, requestId?,
 * clientRequestId? }` for 202 (or 200 with a commsOperation), otherwise `{ ok: false, error }` with
 * a {@link GraphError}. `now` (ms since the epoch) turns a Retry-After date into a delay.
 */
export function parseTransferResponse(status, headers, body, now = Date.now()) {
  if (!Number.isInteger(status) || status < 100 || status > 599) {
    throw makeError('outOfRange', 'status', 'is out of range: expected an integer HTTP status from 100 to 599');
  }
  if (typeof now !== 'number' || !Number.isFinite(now) || now < 0) {
    throw makeError('outOfRange', 'now', 'is out of range: expected milliseconds since the epoch');
  }
  const input = utf8Then(packHeaders(headers), typeof body === 'string' ? body : bodyBytes(body));
  const summary = JSON.parse(raw.parseTransferResponseRaw(status, input.bytes, input.split, now));
  if (!summary.accepted) return { ok: false, error: new GraphError(summary) };
  const result = { ok: true, status: summary.status };
  if (summary.operation !== undefined) result.operation = summary.operation;
  if (summary.requestId !== undefined) result.requestId = summary.requestId;
  if (summary.clientRequestId !== undefined) result.clientRequestId = summary.clientRequestId;
  return result;
}

const RETRY_NUMBERS = ['maxAttempts', 'baseDelayMs', 'maxDelayMs', 'maxRetryAfterMs', 'deadlineMs'];
const STOP_REASONS = ['succeeded', 'notRetryable', 'mayHaveRun', 'aborted', 'attemptsExhausted', 'retryAfterTooLong', 'deadlineExceeded'];
const OUTCOME_KINDS = { timeout: 1, network: 2, aborted: 3 };

/** Writes retry options into slots 0-5 of `slots` (NaN = default), checking names and types. */
function packRetryOptions(retry, path, slots) {
  slots.fill(NaN, 0, 6);
  if (retry === undefined || retry === null || retry === true) return slots;
  if (retry === false) {
    slots[0] = 1;
    return slots;
  }
  if (typeof retry !== 'object' || Array.isArray(retry)) throw wrongType(path, 'a boolean or an object', retry);
  for (const [key, value] of Object.entries(retry)) {
    const at = (path ? `${path}.` : '') + key;
    if (value === undefined) continue;
    const index = RETRY_NUMBERS.indexOf(key);
    if (index >= 0) {
      if (typeof value !== 'number') throw wrongType(at, 'a number', value);
      slots[index] = value;
    } else if (key === 'retryUnsafe') {
      if (typeof value !== 'boolean') throw wrongType(at, 'a boolean', value);
      slots[5] = value ? 1 : 0;
    } else {
      throw makeError('unknownOption', at, 'is not a known option');
    }
  }
  return slots;
}

function optionalNumber(value, path) {
  if (value === undefined || value === null) return NaN;
  if (typeof value !== 'number') throw wrongType(path, 'a number', value);
  // NaN means "not given" to the core; a NaN the caller passed is out of range, not absent.
  return Number.isNaN(value) ? -1 : value;
}

function requiredNumber(value, path) {
  if (typeof value !== 'number') throw wrongType(path, 'a number', value);
  return Number.isNaN(value) ? -1 : value;
}

/** Runs the core decision over packed numbers and decodes it. */
function decide(slots, attempt) {
  const code = raw.decideRetryRaw(...slots);
  if (code >= 0) return { retry: true, delayMs: code, attempt: attempt + 1, retryAttempt: attempt };
  return { retry: false, reason: STOP_REASONS[-1 - code] };
}

/**
 * The sans-IO retry decision, for callers who bring their own HTTP client. `outcome` is
 * `{ status, retryAfterMs? }`, `{ kind: 'timeout' | 'network' | 'aborted' }`, or an error thrown
 * by sendTransfer. `now` defaults to Date.now() and `jitter` to Math.random().
 */
export function decideRetry(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw wrongType('', 'an object', input);
  }
  const { outcome } = input;
  if (outcome === null || typeof outcome !== 'object') throw wrongType('outcome', 'an object', outcome);
  const slots = packRetryOptions(input.policy, 'policy', new Float64Array(13));
  slots[6] = requiredNumber(input.attempt, 'attempt');
  slots[7] = optionalNumber(outcome.status, 'outcome.status');
  slots[8] = typeof outcome.kind === 'string' ? (OUTCOME_KINDS[outcome.kind] ?? 4) : NaN;
  slots[9] = optionalNumber(outcome.retryAfterMs, 'outcome.retryAfterMs');
  slots[10] = optionalNumber(input.startedAt, 'startedAt');
  slots[11] = requiredNumber(input.now ?? Date.now(), 'now');
  slots[12] = requiredNumber(input.jitter ?? Math.random(), 'jitter');
  return decide(slots, input.attempt);
}

function isLoopback(hostname) {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** A TransferRequest, a request-shaped object ({ url, headers, bodyText }), or builder options. */
function toRequest(value) {
  if (value instanceof TransferRequest) return value;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw wrongType('', 'a TransferRequest or transfer options', value);
  }
  if (!('url' in value)) return buildTransferRequest(value);
  const { method = 'POST', url, headers = {}, bodyText } = value;
  if (method !== 'POST') throw makeError('outOfRange', 'method', 'is out of range: expected "POST"');
  if (typeof url !== 'string') throw wrongType('url', 'a string', url);
  let parsed;
  try {
    parsed = new URL(url);
  } catch {
    throw makeError('invalidBaseUrl', 'url', 'invalid base URL: expected an absolute URL such as https://graph.microsoft.com');
  }
  if (parsed.protocol !== 'https:' && !(parsed.protocol === 'http:' && isLoopback(parsed.hostname))) {
    throw makeError('invalidBaseUrl', 'url', 'invalid base URL: the scheme must be https (or http to a loopback host)');
  }
  if (parsed.username || parsed.password) {
    throw makeError('invalidBaseUrl', 'url', 'invalid base URL: credentials in the URL are not allowed; send a bearer token instead');
  }
  if (headers === null || typeof headers !== 'object' || Array.isArray(headers)) throw wrongType('headers', 'an object', headers);
  for (const [name, v] of Object.entries(headers)) {
    if (typeof v !== 'string') throw wrongType(`headers.${name}`, 'a string', v);
  }
  if (typeof bodyText !== 'string') throw wrongType('bodyText', 'a string', bodyText);
  return { url, headers, bodyText };
}

function checkSendOptions(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw wrongType('', 'an object with a token', options);
  }
  for (const key of Object.keys(options)) {
    if (!SEND_OPTIONS.has(key)) throw makeError('unknownOption', key, 'is not a known option');
  }
  const { token, timeoutMs = DEFAULT_TIMEOUT_MS, signal } = options;
  if (token === undefined || token === null) throw makeError('missingField', 'token', 'is required');
  if (typeof token === 'string') checkToken(token);
  else if (typeof token !== 'function') throw wrongType('token', 'a string or a function returning one', token);
  const fetchFn = options.fetch ?? globalThis.fetch;
  if (typeof fetchFn !== 'function') {
    throw options.fetch === undefined
      ? makeError('missingField', 'fetch', 'is required: this runtime has no global fetch')
      : wrongType('fetch', 'a function', options.fetch);
  }
  if (typeof timeoutMs !== 'number' || !Number.isFinite(timeoutMs) || timeoutMs <= 0 || timeoutMs > MAX_TIMEOUT_MS) {
    throw makeError('outOfRange', 'timeoutMs', `is out of range: expected a number of milliseconds from 1 to ${MAX_TIMEOUT_MS}`);
  }
  if (signal !== undefined && (signal === null || typeof signal !== 'object' || typeof signal.addEventListener !== 'function')) {
    throw wrongType('signal', 'an AbortSignal', signal);
  }
  const retry = packRetryOptions(options.retry, 'retry', new Float64Array(13));
  // Validate the policy now, so bad retry options fail before anything is sent.
  retry[6] = 1;
  retry[7] = 202;
  retry[11] = 0;
  retry[12] = 0;
  try {
    raw.decideRetryRaw(...retry);
  } catch (error) {
    throw error.path?.startsWith('policy') ? makeError(error.kind, `retry${error.path.slice(6)}`, error.reason) : error;
  }
  return { token, fetchFn, timeoutMs, signal, retry };
}

function checkToken(token) {
  if (token.trim() === '') throw makeError('emptyValue', 'token', 'must not be empty');
  if (/^bearer\s/i.test(token)) {
    throw makeError('invalidHeaderValue', 'token', "must be the bare token, without 'Bearer '");
  }
  if (!/^[\x21-\x7e]+$/.test(token)) {
    throw makeError('invalidHeaderValue', 'token', 'contains characters that are not allowed in an HTTP header');
  }
  return token;
}

/** Gets the bearer token; a token function is bounded by the attempt timeout and the signal. */
async function resolveToken(token, timeoutMs, signal, attempts) {
  if (typeof token === 'string') return token;
  let timer;
  let onAbort;
  let value;
  try {
    value = await new Promise((resolve, reject) => {
      timer = setTimeout(() => {
        reject(makeError('tokenUnavailable', 'token', `the token function did not settle within ${timeoutMs} ms`));
      }, timeoutMs);
      onAbort = () => reject(abortError(attempts));
      signal?.addEventListener('abort', onAbort, { once: true });
      Promise.resolve()
        .then(token)
        .then(resolve, (cause) => {
          const error = makeError('tokenUnavailable', 'token', `the token function failed: ${cause?.message ?? String(cause)}`);
          error.cause = cause;
          reject(error);
        });
    });
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
  if (typeof value !== 'string') throw wrongType('token', 'the token function to return a string', value);
  return checkToken(value);
}

function randomId() {
  const c = globalThis.crypto;
  if (c && typeof c.randomUUID === 'function') return c.randomUUID();
  throw makeError('outOfRange', 'clientRequestId', 'crypto.randomUUID is not available here; build the request with a clientRequestId');
}

function abortError(attempts) {
  const error = new TransportError('aborted', 'the transfer was aborted by the caller');
  error.attempts = attempts;
  return error;
}

/** One attempt under a timeout: resolves with { status, headers, body } or throws a TransportError. */
async function attemptOnce(fetchFn, url, init, timeoutMs, signal) {
  const controller = new AbortController();
  let timedOut = false;
  let stop;
  // A race keeps the bound even when a caller's fetch ignores the signal.
  const stopped = new Promise((_, reject) => {
    stop = reject;
  });
  const onAbort = () => {
    controller.abort(signal.reason);
    stop(new Error('aborted'));
  };
  const timer = setTimeout(() => {
    timedOut = true;
    controller.abort();
    stop(new Error('timeout'));
  }, timeoutMs);
  signal?.addEventListener('abort', onAbort, { once: true });
  try {
    const exchange = (async () => {
      const response = await fetchFn(url, { ...init, signal: controller.signal });
      if (response === null || typeof response !== 'object' || typeof response.arrayBuffer !== 'function') {
        throw new TypeError(`fetch returned ${describe(response)}, not a Response`);
      }
      const body = new Uint8Array(await response.arrayBuffer());
      return { status: response.status, headers: response.headers, body };
    })();
    exchange.catch(() => {});
    return await Promise.race([exchange, stopped]);
  } catch (cause) {
    if (timedOut) {
      throw new TransportError('timeout', `no answer within ${timeoutMs} ms; the transfer may have reached Graph`, cause);
    }
    if (signal?.aborted) throw new TransportError('aborted', 'the transfer was aborted by the caller', cause);
    const detail = cause?.cause?.code ?? cause?.message ?? String(cause);
    throw new TransportError('network', `the request failed (${detail}); the transfer may have reached Graph`, cause);
  } finally {
    clearTimeout(timer);
    signal?.removeEventListener('abort', onAbort);
  }
}

/** Fills the per-attempt slots of the packed retry input (the policy slots are already set). */
function packAttempt(slots, attempt, error, startedAt) {
  slots[6] = attempt;
  slots[7] = error.kind === 'graph' ? error.status : NaN;
  slots[8] = OUTCOME_KINDS[error.kind] ?? 4;
  slots[9] = error.retryAfterMs ?? NaN;
  slots[10] = startedAt;
  slots[11] = Date.now();
  slots[12] = Math.random();
  return slots;
}

function sleep(ms, signal, attempts) {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(abortError(attempts));
    const onAbort = () => {
      clearTimeout(timer);
      reject(abortError(attempts));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

/**
 * Sends a transfer. `requestOrOptions` is a TransferRequest (from buildTransferRequest) or the
 * options to build one. Resolves with `{ status, operation?, requestId, clientRequestId, attempts }`;
 * throws a GraphError, a TransportError (`timeout`, `network`, `aborted`) or, before anything is
 * sent, a GraphCallTransferError for bad input.
 */
export async function sendTransfer(requestOrOptions, options) {
  const { token, fetchFn, timeoutMs, signal, retry } = checkSendOptions(options);
  const request = toRequest(requestOrOptions);
  const headers = {};
  let clientRequestId;
  for (const [name, value] of Object.entries(request.headers)) {
    const lower = name.toLowerCase();
    if (lower === 'authorization' || lower === 'retry-attempt') continue;
    if (lower === 'client-request-id') clientRequestId = value;
    else headers[lower] = value;
  }
  clientRequestId ??= randomId();
  headers['client-request-id'] = clientRequestId;
  headers['content-type'] ??= 'application/json';
  if (signal?.aborted) throw abortError(0);

  const startedAt = Date.now();
  for (let attempt = 1; ; attempt++) {
    const bearer = await resolveToken(token, timeoutMs, signal, attempt - 1);
    if (signal?.aborted) throw abortError(attempt - 1);
    const sent = { ...headers, authorization: `Bearer ${bearer}` };
    if (attempt > 1) sent['retry-attempt'] = String(attempt - 1);
    let error;
    try {
      const answer = await attemptOnce(fetchFn, request.url, { method: 'POST', headers: sent, body: request.bodyText }, timeoutMs, signal);
      if (!Number.isInteger(answer.status) || answer.status < 100 || answer.status > 599) {
        throw new TransportError('network', `fetch returned an unusable status (${answer.status})`);
      }
      const parsed = parseTransferResponse(answer.status, answer.headers, answer.body, Date.now());
      if (parsed.ok) {
        const result = { status: parsed.status, requestId: parsed.requestId, clientRequestId, attempts: attempt };
        if (parsed.operation !== undefined) result.operation = parsed.operation;
        return result;
      }
      error = parsed.error;
      error.clientRequestId ??= clientRequestId;
    } catch (caught) {
      if (!isTransportError(caught)) throw caught;
      error = caught;
      error.clientRequestId = clientRequestId;
    }
    error.attempts = attempt;
    const decision = attempt >= LOOP_LIMIT
      ? { retry: false, reason: 'attemptsExhausted' }
      : decide(packAttempt(retry, attempt, error, startedAt), attempt);
    if (!decision.retry) {
      error.stopReason = decision.reason;
      throw error;
    }
    await sleep(decision.delayMs, signal, attempt);
  }
}
