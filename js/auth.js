// Callback authentication: verifies the `Authorization: Bearer <JWT>` Graph sends with every
// notification. The token checks (base64url, header, claims, JWKS reading) run in the wasm core;
// the RS256 signature is verified with WebCrypto (`crypto.subtle`), which browsers, Node 20 and
// workerd all have. Imported CryptoKeys and fetched key sets are cached here, in JavaScript; the
// clock is read here and passed to the core.
import * as raw from '../pkg/graph_call_transfer.js';
import { utf8, makeError, describe, toJson } from './internal.js';

/** Microsoft's OpenID configuration for the keys that sign Graph calling callbacks. */
export const GRAPH_CALLBACK_OPENID_CONFIGURATION_URL = 'https://api.aps.skype.com/v1/.well-known/OpenIdConfiguration';

const RSA = { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' };
const DEFAULT_TTL_SECONDS = 3600;
const DEFAULT_COOLDOWN_SECONDS = 60;
const DEFAULT_TIMEOUT_SECONDS = 5;
const MAX_KEY_DOCUMENT_BYTES = 1 << 20;
const MAX_STALE_MS = 86_400_000;

const POLICY_OPTIONS = ['appId', 'issuers', 'cloud', 'allowedTenants', 'clockSkewSeconds'];
const KEY_OPTIONS = ['jwks', 'jwksUrl', 'openIdConfigurationUrl', 'fetch', 'cacheTtlSeconds', 'cooldownSeconds', 'timeoutSeconds', 'clock'];
const OTHER_OPTIONS = ['keySet', 'parse'];
const KNOWN_OPTIONS = new Set([...POLICY_OPTIONS, ...KEY_OPTIONS, ...OTHER_OPTIONS]);
const WARM_KEY = Symbol('warmKey');
const decoder = new TextDecoder();

function subtle() {
  const s = globalThis.crypto && globalThis.crypto.subtle;
  if (!s) throw makeError('keyFetchFailed', '', 'WebCrypto (crypto.subtle) is not available here; in a browser it needs a secure context');
  return s;
}

function seconds(options, name, fallback, max) {
  const value = options[name];
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0 || value > max) {
    throw makeError('outOfRange', name, `is out of range: expected a number of seconds from 0 to ${max}, found ${typeof value === 'number' ? value : describe(value)}`);
  }
  return value;
}

function checkFunction(options, name) {
  const value = options[name];
  if (value !== undefined && typeof value !== 'function') {
    throw makeError('invalidType', name, `wrong type: expected a function, found ${describe(value)}`);
  }
  return value;
}

function checkUrl(options, name) {
  const value = options[name];
  if (value === undefined) return undefined;
  if (typeof value !== 'string') throw makeError('invalidType', name, `wrong type: expected a string, found ${describe(value)}`);
  try {
    raw.authKeys(2, utf8(value));
  } catch (e) {
    throw makeError('invalidBaseUrl', name, e.reason || String(e));
  }
  return value;
}

/** Runs `promise` with a deadline: rejects with a `keyFetchFailed` error after `ms`. */
function withDeadline(promise, ms, controller, what) {
  let timer;
  const deadline = new Promise((_, reject) => {
    timer = setTimeout(() => {
      controller.abort();
      reject(makeError('keyFetchFailed', '', `${what} did not answer within ${ms / 1000} s`));
    }, ms);
  });
  return Promise.race([promise, deadline]).finally(() => clearTimeout(timer));
}

/** GETs `url` without following redirects, within `timeoutMs` (headers and body), and returns the body bytes. */
async function fetchDocument(fetchFn, url, timeoutMs) {
  const controller = new AbortController();
  const work = (async () => {
    let response;
    try {
      response = await fetchFn(url, {
        method: 'GET',
        redirect: 'manual',
        signal: controller.signal,
        headers: { accept: 'application/json' },
      });
    } catch (cause) {
      const error = makeError('keyFetchFailed', '', `GET ${url} failed: ${cause && cause.message ? cause.message : String(cause)}`);
      error.cause = cause;
      throw error;
    }
    if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
      throw makeError('keyFetchFailed', '', `GET ${url} answered with a redirect; key URLs must not redirect`);
    }
    if (response.status < 200 || response.status > 299) {
      throw makeError('keyFetchFailed', '', `GET ${url} answered ${response.status}`);
    }
    const length = Number(response.headers.get('content-length'));
    if (length > MAX_KEY_DOCUMENT_BYTES) {
      throw makeError('keyFetchFailed', '', `GET ${url}: the document is larger than 1 MiB`);
    }
    const body = new Uint8Array(await response.arrayBuffer());
    if (body.length > MAX_KEY_DOCUMENT_BYTES) {
      throw makeError('keyFetchFailed', '', `GET ${url}: the document is larger than 1 MiB`);
    }
    return body;
  })();
  return withDeadline(work, timeoutMs, controller, `GET ${url}`);
}

function readKeys(bytes, where) {
  let flat;
  try {
    flat = JSON.parse(raw.authKeys(0, bytes));
  } catch (e) {
    if (where && e && e.kind === 'keyFetchFailed') {
      e.reason = `${where}: ${e.reason}`;
      e.message = e.path ? `${e.path}: ${e.reason}` : e.reason;
    }
    throw e;
  }
  // Four strings per key: kid, n, e, why-unusable ('' when usable). Usable keys come first, so
  // the first entry for a kid wins.
  const keys = new Map();
  for (let i = 0; i + 3 < flat.length; i += 4) {
    const kid = flat[i];
    if (keys.has(kid)) continue;
    keys.set(kid, flat[i + 3] ? { kid, unusable: flat[i + 3] } : { kid, n: flat[i + 1], e: flat[i + 2] });
  }
  return keys;
}

/**
 * A cache of the keys that sign callback tokens: a JWKS given directly, or fetched from a JWKS URL
 * or an OpenID configuration URL (5 s timeout, no redirects), kept for `cacheTtlSeconds` and
 * refetched at most once per `cooldownSeconds` when a token names an unknown `kid`. Imported
 * CryptoKeys are cached per `kid`. Share one instance between verifications.
 */
export class CallbackKeySet {
  #static;
  #jwksUrl;
  #configUrl;
  #fetch;
  #ttlMs;
  #cooldownMs;
  #timeoutMs;
  #clock;
  #keys = null; // Map kid -> { kid, n, e } | { kid, unusable }
  #imported = new Map(); // kid -> { entry, promise }
  #fetchedAt = -Infinity;
  #lastAttempt = -Infinity;
  #lastError = null;
  #inflight = null;
  #fetches = 0;

  constructor(options = {}) {
    if (options === null || typeof options !== 'object' || Array.isArray(options)) {
      throw makeError('invalidType', '', `key set options must be an object, not ${describe(options)}`);
    }
    const given = ['jwks', 'jwksUrl', 'openIdConfigurationUrl'].filter((k) => options[k] !== undefined);
    if (given.length > 1) {
      throw makeError('conflictingOptions', given[0], `cannot be combined with ${given[1]}; give one key source`);
    }
    this.#fetch = checkFunction(options, 'fetch');
    this.#clock = checkFunction(options, 'clock') ?? Date.now;
    this.#ttlMs = seconds(options, 'cacheTtlSeconds', DEFAULT_TTL_SECONDS, 7 * 86400) * 1000;
    this.#cooldownMs = seconds(options, 'cooldownSeconds', DEFAULT_COOLDOWN_SECONDS, 86400) * 1000;
    this.#timeoutMs = seconds(options, 'timeoutSeconds', DEFAULT_TIMEOUT_SECONDS, 60) * 1000;
    if (options.jwks !== undefined) {
      const jwks = options.jwks;
      if (jwks === null || typeof jwks !== 'object' || Array.isArray(jwks)) {
        throw makeError('invalidType', 'jwks', `wrong type: expected a JWKS object ({ keys: [...] }), found ${describe(jwks)}`);
      }
      this.#static = readKeys(utf8(toJson(jwks, 'the JWKS')), 'jwks');
      this.#keys = this.#static;
    } else {
      this.#jwksUrl = checkUrl(options, 'jwksUrl');
      this.#configUrl = checkUrl(options, 'openIdConfigurationUrl');
      if (this.#jwksUrl === undefined && this.#configUrl === undefined) this.#configUrl = GRAPH_CALLBACK_OPENID_CONFIGURATION_URL;
    }
  }

  /** How many times the key documents were fetched (an OpenID configuration and its JWKS count as one). */
  get fetchCount() {
    return this.#fetches;
  }

  /** The `kid`s of the usable keys currently cached. */
  get kids() {
    if (!this.#keys) return [];
    return [...this.#keys.values()].filter((k) => !k.unusable).map((k) => k.kid);
  }

  async #download() {
    const fetchFn = this.#fetch ?? globalThis.fetch;
    if (typeof fetchFn !== 'function') throw makeError('keyFetchFailed', '', 'fetch is not available here; pass options.fetch');
    this.#fetches += 1;
    let jwksUrl = this.#jwksUrl;
    if (jwksUrl === undefined) {
      const config = await fetchDocument(fetchFn, this.#configUrl, this.#timeoutMs);
      jwksUrl = raw.authKeys(1, config);
    }
    return readKeys(await fetchDocument(fetchFn, jwksUrl, this.#timeoutMs), jwksUrl);
  }

  /** Fetches the keys now (sharing a fetch already under way). Resolves to whether it worked. */
  #refresh() {
    if (this.#inflight) return this.#inflight;
    this.#lastAttempt = this.#clock();
    this.#inflight = this.#download().then(
      (keys) => {
        this.#keys = keys;
        for (const kid of this.#imported.keys()) if (!keys.has(kid)) this.#imported.delete(kid);
        this.#fetchedAt = this.#clock();
        this.#lastError = null;
        return true;
      },
      (error) => {
        this.#lastError = error;
        return false;
      },
    ).finally(() => {
      this.#inflight = null;
    });
    return this.#inflight;
  }

  #failure() {
    const error = this.#lastError ?? makeError('keyFetchFailed', '', 'the keys have not been fetched');
    const copy = makeError('keyFetchFailed', error.path || '', error.reason || error.message);
    if (error.cause) copy.cause = error.cause;
    return copy;
  }

  /**
   * Fetches the keys now, whatever the TTL and cooldown say (for a warm-up at start-up). Rejects
   * with `keyFetchFailed`. Does nothing for a JWKS given directly.
   */
  async refresh() {
    if (this.#static) return;
    if (!(await this.#refresh())) throw this.#failure();
  }

  /**
   * The CryptoKey for `kid`. Rejects with `unknownKey` (no such key even after an allowed refetch,
   * or the key cannot verify RS256) or `keyFetchFailed` (no keys could be fetched).
   */
  async key(kid) {
    let entry;
    if (this.#static) {
      entry = this.#static.get(kid);
    } else {
      const now = this.#clock();
      const stale = this.#keys === null || now - this.#fetchedAt >= this.#ttlMs;
      if (stale && (this.#inflight || now - this.#lastAttempt >= this.#cooldownMs)) await this.#refresh();
      // A failed refresh keeps serving the previous keys until a later attempt works, for at most
      // a day past their TTL.
      if (this.#keys === null || this.#clock() - this.#fetchedAt >= this.#ttlMs + MAX_STALE_MS) throw this.#failure();
      entry = this.#keys.get(kid);
      if (entry === undefined && (this.#inflight || this.#clock() - this.#lastAttempt >= this.#cooldownMs)) {
        await this.#refresh();
        if (this.#keys !== null) entry = this.#keys.get(kid);
      }
    }
    if (entry === undefined) {
      throw makeError('unknownKey', 'header.kid', `no signing key has kid ${JSON.stringify(kid)}`);
    }
    if (entry.unusable) {
      throw makeError('unknownKey', 'header.kid', `the key with kid ${JSON.stringify(kid)} cannot verify RS256: ${entry.unusable}`);
    }
    return this.#import(entry);
  }

  /** The already imported key for `kid` when the cache is warm and fresh, else undefined (no await needed). */
  [WARM_KEY](kid) {
    const keys = this.#keys;
    if (keys === null || (!this.#static && this.#clock() - this.#fetchedAt >= this.#ttlMs)) return undefined;
    const entry = keys.get(kid);
    const cached = entry && this.#imported.get(kid);
    return cached && cached.entry === entry ? cached.key : undefined;
  }

  #import(entry) {
    const cached = this.#imported.get(entry.kid);
    if (cached && cached.entry === entry) return cached.promise;
    const slot = { entry, promise: undefined, key: undefined };
    const promise = subtle()
      .importKey('jwk', { kty: 'RSA', n: entry.n, e: entry.e, alg: 'RS256', ext: true }, RSA, false, ['verify'])
      .then((key) => {
        slot.key = key;
        return key;
      })
      .catch((cause) => {
        this.#imported.delete(entry.kid);
        const error = makeError('unknownKey', 'header.kid', `the key with kid ${JSON.stringify(entry.kid)} could not be imported: ${cause && cause.message}`);
        error.cause = cause;
        throw error;
      });
    slot.promise = promise;
    this.#imported.set(entry.kid, slot);
    return promise;
  }
}

// Key sets for URL sources are shared between calls that pass fresh options objects, so that a
// handler written `verifyCallbackToken(h, { appId, jwksUrl })` still caches and rate-limits.
const sharedKeySets = new Map(); // "source\nurl\nttl\ncooldown\ntimeout" -> [{ fetch, clock, keySet }]
const MAX_SHARED = 32;
const jwksKeySets = new WeakMap(); // JWKS object -> CallbackKeySet
const contexts = new WeakMap(); // options object -> { policy, keySet, clock, parse }

function keySetFor(options) {
  if (options.keySet !== undefined) {
    if (!(options.keySet instanceof CallbackKeySet)) {
      throw makeError('invalidType', 'keySet', `wrong type: expected a CallbackKeySet, found ${describe(options.keySet)}`);
    }
    const extra = KEY_OPTIONS.filter((k) => k !== 'clock' && options[k] !== undefined);
    if (extra.length) throw makeError('conflictingOptions', 'keySet', `cannot be combined with ${extra[0]}; configure the CallbackKeySet instead`);
    return options.keySet;
  }
  if (options.jwks !== undefined && options.jwks !== null && typeof options.jwks === 'object') {
    let set = jwksKeySets.get(options.jwks);
    if (!set) {
      set = new CallbackKeySet(pick(options, KEY_OPTIONS));
      jwksKeySets.set(options.jwks, set);
    }
    return set;
  }
  const settings = pick(options, KEY_OPTIONS);
  const probe = new CallbackKeySet(settings); // validates the options
  const source = options.jwksUrl !== undefined ? `jwks\n${options.jwksUrl}` : `openid\n${options.openIdConfigurationUrl ?? GRAPH_CALLBACK_OPENID_CONFIGURATION_URL}`;
  const id = `${source}\n${options.cacheTtlSeconds}\n${options.cooldownSeconds}\n${options.timeoutSeconds}`;
  let list = sharedKeySets.get(id);
  if (!list) {
    if (sharedKeySets.size >= MAX_SHARED) sharedKeySets.delete(sharedKeySets.keys().next().value);
    list = [];
    sharedKeySets.set(id, list);
  }
  const found = list.find((e) => e.fetch === options.fetch && e.clock === options.clock);
  if (found) return found.keySet;
  if (list.length >= 8) list.shift();
  list.push({ fetch: options.fetch, clock: options.clock, keySet: probe });
  return probe;
}

function pick(options, names) {
  const out = {};
  for (const name of names) if (options[name] !== undefined) out[name] = options[name];
  return out;
}

function contextFor(options) {
  if (options === null || typeof options !== 'object' || Array.isArray(options)) {
    throw makeError('invalidType', '', `options must be an object, not ${describe(options)}`);
  }
  let context = contexts.get(options);
  if (context) return context;
  for (const name of Object.keys(options)) {
    if (!KNOWN_OPTIONS.has(name)) throw makeError('unknownOption', name, 'is not a known option');
  }
  // The claim policy stays here as the bytes of its JSON, checked once now and passed to the
  // core with each token (no wasm object to free).
  const policy = utf8(toJson(pick(options, POLICY_OPTIONS), 'options')).slice();
  raw.authClaims(policy); // no payload: checks the options only
  const keySet = keySetFor(options);
  const clock = checkFunction(options, 'clock') ?? Date.now;
  const parse = checkFunction(options, 'parse');
  context = { policy, keySet, clock, parse };
  contexts.set(options, context);
  return context;
}

/**
 * Verifies the bearer token of a Graph callback: `authorization` is the `Authorization` header
 * value (`"Bearer <jwt>"`). Resolves to the token's claims, or rejects with a
 * `GraphCallTransferError` whose `kind` says why (`missingToken`, `malformed`,
 * `unsupportedAlgorithm`, `unknownKey`, `badSignature`, `expired`, `notYetValid`, `wrongAudience`,
 * `wrongIssuer`, `missingTenant`, `tenantNotAllowed`, `keyFetchFailed`).
 *
 * Options are read once per options object; reuse one object (or a `keySet`) across requests.
 */
export async function verifyCallbackToken(authorization, options) {
  const context = contextFor(options);
  if (typeof authorization !== 'string') {
    if (authorization === null || authorization === undefined) {
      throw makeError('missingToken', 'authorization', 'no bearer token: the Authorization header is missing');
    }
    throw makeError('invalidType', 'authorization', `wrong type: expected the header value as a string, found ${describe(authorization)}`);
  }
  // One buffer: the lengths of the kid, signature and signing input (u32 LE), then those three
  // and the decoded payload.
  const opened = raw.authOpen(utf8(authorization));
  const lengths = new DataView(opened.buffer, opened.byteOffset);
  let at = 12;
  const kid = decoder.decode(opened.subarray(at, (at += lengths.getUint32(0, true))));
  const signature = opened.subarray(at, (at += lengths.getUint32(4, true)));
  const signingInput = opened.subarray(at, (at += lengths.getUint32(8, true)));
  const payload = opened.subarray(at);
  const key = context.keySet[WARM_KEY](kid) ?? (await context.keySet.key(kid));
  let valid = false;
  try {
    valid = await subtle().verify(RSA, key, signature, signingInput);
  } catch {
    valid = false;
  }
  if (!valid) throw makeError('badSignature', 'signature', 'the RS256 signature does not verify');
  const now = context.clock();
  if (typeof now !== 'number' || !Number.isFinite(now)) {
    throw makeError('invalidType', 'clock', `the clock must return milliseconds since the epoch as a finite number, not ${typeof now === 'number' ? now : describe(now)}`);
  }
  raw.authClaims(context.policy, payload, now / 1000);
  return JSON.parse(decoder.decode(payload));
}

let parserLookup;
function findParser() {
  parserLookup ??= import('./notify.js').then(
    (api) => (typeof api.parseNotifications === 'function' ? api.parseNotifications : null),
    () => null,
  );
  return parserLookup;
}

/**
 * Verifies a whole callback `Request` (a fetch `Request`, or anything with `headers.get()` and
 * `arrayBuffer()`): checks the bearer token first, then reads the body as bytes and parses it with
 * `options.parse` or the package's `parseNotifications` when it has one. Resolves to
 * `{ claims, body, notifications }` (`notifications` is `undefined` when there is no parser).
 */
export async function verifyCallbackRequest(request, options) {
  const context = contextFor(options);
  if (request === null || typeof request !== 'object' || !request.headers || typeof request.headers.get !== 'function' || typeof request.arrayBuffer !== 'function') {
    throw makeError('invalidType', 'request', `wrong type: expected a Request, found ${describe(request)}`);
  }
  const claims = await verifyCallbackToken(request.headers.get('authorization'), options);
  const body = new Uint8Array(await request.arrayBuffer());
  const parse = context.parse ?? (await findParser());
  const notifications = parse ? await parse(body) : undefined;
  return { claims, body, notifications };
}
