// A Graph calling-bot callback endpoint for Cloudflare Workers / workerd, with one Durable Object
// per call holding that call's transfer tracker.
//
//   POST /callback              Graph's notifications: bearer token verified, body size-limited,
//                               parsed, de-duplicated by X-Microsoft-Skype-Message-ID and routed to
//                               the Durable Object of each call id; 202 once they are persisted.
//   POST /calls/{id}/transfer   builds a transfer, sends it to GRAPH_BASE_URL and registers it with
//                               the call's Durable Object (admin token).
//   GET  /calls/{id}            the call's phase, history and last resultInfo (admin token).
//   GET  /inbox                 payloads kept for inspection: unparseable bodies, bad items and
//                               notifications without a call id (admin token).
//
// Only the default handler and the Durable Object class may be exported (workerd treats every
// export as an entry point).
//
// The package is imported by relative path so the worker runs unbundled in workerd (miniflare
// with modulesRoot = the repository root); dist/workerd.js imports the .wasm as a module, as workerd
// requires. In a project of your own write `from 'graph-call-transfer'`: bundlers that know the
// `workerd` export condition (wrangler does) resolve it to the same file. See docs/worker.md.
import { DurableObject } from 'cloudflare:workers';
import {
  parseNotifications,
  TransferTracker,
  buildTransferRequest,
  sendTransfer,
  isGraphError,
  isTransportError,
  isGraphCallTransferError,
  verifyCallbackToken,
  CallbackKeySet,
} from '../../dist/workerd.js';

/** Default body limit for /callback: 1 MiB. */
const DEFAULT_MAX_BODY_BYTES = 1 << 20;
/** Message ids remembered per call (and in the inbox) for de-duplication (SEEN_MESSAGE_IDS). */
const DEFAULT_SEEN_MESSAGE_IDS = 1024;
/** Deliveries listed per call in `GET /calls/{id}` (`deliveries`), oldest dropped first. */
const MAX_DELIVERY_LOG = 512;
/** Payloads kept in the inbox, oldest dropped first. */
const MAX_INBOX_ENTRIES = 100;
/** The most of a kept body's text stored, in bytes. */
const MAX_KEPT_BODY_BYTES = 64 * 1024;
/** Notifications kept for a call whose transfer is not registered yet. */
const MAX_EARLY_PER_CALL = 64;
/** The Durable Object name of the inbox (call objects are named "call:<id>", so no clash). */
const INBOX = 'inbox';

const MESSAGE_ID_HEADER = 'x-microsoft-skype-message-id';
const utf8Decoder = new TextDecoder('utf-8', { fatal: false });

// ---------------------------------------------------------------------------------------------
// Configuration

/**
 * The worker's settings, read from its bindings once per distinct configuration (so the key
 * cache of verifyCallbackToken is shared by all requests of an isolate).
 */
function config(env) {
  const key = [
    env.BOT_APP_ID, env.JWKS, env.JWKS_URL, env.OPENID_CONFIGURATION_URL, env.ALLOWED_TENANTS,
    env.CALLBACK_ISSUERS, env.CLOCK_SKEW_SECONDS, env.MAX_BODY_BYTES,
  ].map((v) => (v === undefined ? '' : String(v))).join('\u0000');
  if (configCache !== null && configCache.key === key) return configCache.value;
  configCache = { key, value: readConfig(env) };
  return configCache.value;
}
let configCache = null;

function list(value) {
  if (value === undefined || value === null || value === '') return undefined;
  if (Array.isArray(value)) return value.map(String);
  return String(value).split(',').map((s) => s.trim()).filter((s) => s !== '');
}

function readConfig(env) {
  const problems = [];
  const appId = typeof env.BOT_APP_ID === 'string' && env.BOT_APP_ID !== '' ? env.BOT_APP_ID : null;
  if (appId === null) problems.push('BOT_APP_ID is not set');
  let maxBodyBytes = DEFAULT_MAX_BODY_BYTES;
  if (env.MAX_BODY_BYTES !== undefined && env.MAX_BODY_BYTES !== '') {
    const n = Number(env.MAX_BODY_BYTES);
    if (Number.isSafeInteger(n) && n > 0) maxBodyBytes = n;
    else problems.push('MAX_BODY_BYTES must be a positive integer');
  }
  const keySource = {};
  if (env.JWKS !== undefined && env.JWKS !== '') {
    try {
      keySource.jwks = typeof env.JWKS === 'string' ? JSON.parse(env.JWKS) : env.JWKS;
    } catch {
      problems.push('JWKS is not JSON');
    }
  } else if (env.JWKS_URL) {
    keySource.jwksUrl = env.JWKS_URL;
  } else if (env.OPENID_CONFIGURATION_URL) {
    keySource.openIdConfigurationUrl = env.OPENID_CONFIGURATION_URL;
  }
  let keySet = null;
  try {
    keySet = new CallbackKeySet(keySource);
  } catch (e) {
    problems.push(`bad key source: ${e.message}`);
  }
  const auth = { appId, keySet };
  const tenants = list(env.ALLOWED_TENANTS);
  if (tenants !== undefined) auth.allowedTenants = tenants;
  const issuers = list(env.CALLBACK_ISSUERS);
  if (issuers !== undefined) auth.issuers = issuers;
  if (env.CLOCK_SKEW_SECONDS !== undefined && env.CLOCK_SKEW_SECONDS !== '') auth.clockSkewSeconds = Number(env.CLOCK_SKEW_SECONDS);
  return { problems, auth, maxBodyBytes };
}

// ---------------------------------------------------------------------------------------------
// HTTP helpers

function json(status, value, headers = {}) {
  return new Response(JSON.stringify(value), {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', ...headers },
  });
}

function problem(status, error, reason, extra = {}, headers = {}) {
  return json(status, { error, reason, ...extra }, headers);
}

/**
 * Reads at most `limit` bytes of the body. Returns the bytes, or null when the body is longer
 * (the rest is not read).
 */
async function readLimited(request, limit) {
  if (request.body === null) return new Uint8Array(0);
  const reader = request.body.getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > limit) {
      await reader.cancel().catch(() => {});
      return null;
    }
    chunks.push(value);
  }
  if (chunks.length === 1) return chunks[0];
  const bytes = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) {
    bytes.set(c, at);
    at += c.byteLength;
  }
  return bytes;
}

/**
 * Disposes of a body that will not be used: a small one is read (so the client's keep-alive
 * connection stays usable), a large or unknown-length one is cancelled.
 */
async function discardBody(request) {
  if (request.body === null || request.bodyUsed) return;
  const declared = Number(request.headers.get('content-length'));
  if (Number.isFinite(declared) && declared <= 64 * 1024) await readLimited(request, 64 * 1024).catch(() => {});
  else await request.body.cancel().catch(() => {});
}

async function sha256Hex(bytes) {
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  let hex = '';
  for (const b of digest) hex += b.toString(16).padStart(2, '0');
  return hex;
}

/** Constant-time comparison of two strings (for the admin token). */
function sameSecret(a, b) {
  const x = new TextEncoder().encode(a);
  const y = new TextEncoder().encode(b);
  let diff = x.length ^ y.length;
  for (let i = 0; i < Math.max(x.length, y.length); i++) diff |= (x[i] ?? 0) ^ (y[i] ?? 0);
  return diff === 0;
}

/** The admin routes need `Authorization: Bearer <ADMIN_TOKEN>`; without ADMIN_TOKEN they are closed. */
function checkAdmin(request, env) {
  if (typeof env.ADMIN_TOKEN !== 'string' || env.ADMIN_TOKEN === '') {
    return problem(403, 'adminDisabled', 'ADMIN_TOKEN is not configured, so the /calls and /inbox routes are closed');
  }
  const header = request.headers.get('authorization') ?? '';
  const m = /^Bearer\s+(.+)$/i.exec(header);
  if (m === null || !sameSecret(m[1].trim(), env.ADMIN_TOKEN)) {
    return problem(401, 'unauthorized', 'an admin bearer token is required', {}, { 'www-authenticate': 'Bearer' });
  }
  return null;
}

function callStub(env, callId) {
  return env.CALLS.get(env.CALLS.idFromName(`call:${callId}`));
}

function inboxStub(env) {
  return env.CALLS.get(env.CALLS.idFromName(INBOX));
}

// ---------------------------------------------------------------------------------------------
// POST /callback

const AUTH_STATUS_503 = new Set(['keyFetchFailed']);

async function handleCallback(request, env) {
  const { problems, auth, maxBodyBytes } = config(env);
  if (problems.length > 0) return problem(500, 'misconfigured', problems.join('; '));

  // A declared length over the limit is refused before anything else is read.
  const declared = request.headers.get('content-length');
  if (declared !== null && Number(declared) > maxBodyBytes) {
    return problem(413, 'tooLarge', `the body is ${declared} bytes; the limit is ${maxBodyBytes}`);
  }

  let claims;
  try {
    claims = await verifyCallbackToken(request.headers.get('authorization'), auth);
  } catch (e) {
    if (isGraphCallTransferError(e) && AUTH_STATUS_503.has(e.kind)) {
      // Our problem, not the caller's: Graph retries a 5xx.
      await discardBody(request);
      return problem(503, e.kind, e.reason ?? e.message, {}, { 'retry-after': '5' });
    }
    await discardBody(request);
    const kind = isGraphCallTransferError(e) ? e.kind : 'unauthorized';
    return problem(401, kind, isGraphCallTransferError(e) ? e.reason : 'the token could not be verified', isGraphCallTransferError(e) ? { path: e.path } : {}, {
      'www-authenticate': `Bearer error="invalid_token"`,
    });
  }

  const bytes = await readLimited(request, maxBodyBytes);
  if (bytes === null) return problem(413, 'tooLarge', `the body is over the limit of ${maxBodyBytes} bytes`);

  const headerId = request.headers.get(MESSAGE_ID_HEADER);
  // Without the header, identical bodies are the same message (a redelivery).
  // An id that is too long to keep is replaced by its hash.
  const trimmed = headerId === null ? '' : headerId.trim();
  const messageId = trimmed === '' ? `sha256:${await sha256Hex(bytes)}`
    : trimmed.length > 256 ? `sha256:${await sha256Hex(new TextEncoder().encode(trimmed))}` : trimmed;
  const now = Date.now();
  const tenant = typeof claims.tid === 'string' ? claims.tid : null;

  let parsed;
  try {
    parsed = parseNotifications(bytes, { maxBytes: maxBodyBytes });
  } catch (e) {
    // Not JSON or not an envelope: acknowledged all the same (a 4xx would not make the sender's
    // payload any better) and kept for inspection.
    const reason = isGraphCallTransferError(e) ? { kind: e.kind, path: e.path, reason: e.reason } : { kind: 'unknown', path: '', reason: String(e) };
    return deliverAll(env, [[inboxStub(env), 'keep', [{ messageId, at: now, tenant, why: 'unparseable', errors: [reason], body: keptBody(bytes) }]]], { messageId, notifications: 0, calls: 0, kept: true });
  }

  const calls = new Map();
  let unrouted = 0;
  for (const n of parsed.notifications) {
    if (n.callId === null) unrouted++;
    else calls.set(n.callId, (calls.get(n.callId) ?? 0) + 1);
  }
  const jobs = [];
  for (const callId of calls.keys()) jobs.push([callStub(env, callId), 'deliver', [callId, messageId, bytes, now, maxBodyBytes]]);
  const kept = parsed.errors.length > 0 || unrouted > 0;
  if (kept) {
    const errors = parsed.errors.map((e) => ({ index: e.index, kind: e.kind, path: e.path, reason: e.reason }));
    const why = parsed.errors.length > 0 ? 'badItems' : 'noCallId';
    jobs.push([inboxStub(env), 'keep', [{ messageId, at: now, tenant, why, errors, unrouted, body: keptBody(bytes) }]]);
  }
  return deliverAll(env, jobs, { messageId, notifications: parsed.notifications.length, calls: calls.size, kept });
}

function keptBody(bytes) {
  const truncated = bytes.byteLength > MAX_KEPT_BODY_BYTES;
  return { bytes: bytes.byteLength, truncated, text: utf8Decoder.decode(truncated ? bytes.subarray(0, MAX_KEPT_BODY_BYTES) : bytes) };
}

/**
 * Runs the Durable Object deliveries in parallel and answers 202 only when every one of them
 * has persisted; otherwise 503, so that Graph delivers the body again (the objects that did
 * persist recognise the message id and do not apply it twice).
 */
async function deliverAll(env, jobs, summary) {
  const results = await Promise.allSettled(jobs.map(([stub, method, args]) => stub[method](...args)));
  const failed = results.filter((r) => r.status === 'rejected');
  if (failed.length > 0) {
    console.error('callback not persisted', summary.messageId, String(failed[0].reason));
    return problem(503, 'notPersisted', 'the notifications could not be stored; deliver them again', { messageId: summary.messageId }, { 'retry-after': '1' });
  }
  const duplicate = results.length > 0 && results.every((r) => r.value && r.value.duplicate === true);
  return json(202, { ...summary, duplicate, transitions: results.reduce((n, r) => n + (r.value?.transitions?.length ?? 0), 0) });
}

// ---------------------------------------------------------------------------------------------
// /calls routes

const CALL_ID = /^[A-Za-z0-9._~-]{1,256}$/;

async function handleTransfer(request, env, callId) {
  const bytes = await readLimited(request, 64 * 1024);
  if (bytes === null) return problem(413, 'tooLarge', 'the transfer options are over 64 KiB');
  let input;
  try {
    input = JSON.parse(utf8Decoder.decode(bytes));
  } catch {
    return problem(400, 'invalidJson', 'the body must be a JSON object of transfer options');
  }
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return problem(400, 'invalidType', 'the body must be a JSON object of transfer options');
  }
  if (typeof env.GRAPH_BASE_URL !== 'string' || env.GRAPH_BASE_URL === '') {
    return problem(500, 'misconfigured', 'GRAPH_BASE_URL is not set');
  }
  if (typeof env.GRAPH_TOKEN !== 'string' || env.GRAPH_TOKEN === '') {
    return problem(500, 'misconfigured', 'GRAPH_TOKEN is not set');
  }
  const { transferTarget, transferee, clientContext, operationContext } = input;
  const apiVersion = input.apiVersion ?? env.GRAPH_API_VERSION ?? 'v1.0';
  let built;
  try {
    built = buildTransferRequest({
      callId, transferTarget, transferee, clientContext, operationContext, apiVersion,
      baseUrl: env.GRAPH_BASE_URL, clientRequestId: true,
    });
  } catch (e) {
    if (isGraphCallTransferError(e)) return problem(400, e.kind, e.reason, { path: e.path });
    throw e;
  }
  const requestLike = { url: built.url, headers: built.headers, bodyText: built.bodyText };
  const out = await callStub(env, callId).transfer(callId, requestLike, { clientContext: clientContext ?? null, apiVersion });
  return json(out.status, out.body);
}

async function handleCall(env, callId) {
  const snapshot = await callStub(env, callId).snapshot(callId);
  if (snapshot === null) return problem(404, 'notFound', `nothing is known about call ${callId}`);
  return json(200, snapshot);
}

// ---------------------------------------------------------------------------------------------
// The worker

export default {
  async fetch(request, env) {
    const url = new URL(request.url);
    const path = url.pathname;
    try {
      if (path === '/callback') {
        if (request.method !== 'POST') return problem(405, 'methodNotAllowed', 'use POST', {}, { allow: 'POST' });
        return await handleCallback(request, env);
      }
      if (path === '/inbox') {
        if (request.method !== 'GET') return problem(405, 'methodNotAllowed', 'use GET', {}, { allow: 'GET' });
        return checkAdmin(request, env) ?? json(200, await inboxStub(env).inbox());
      }
      const m = /^\/calls\/([^/]+)(\/transfer)?$/.exec(path);
      if (m !== null) {
        let callId;
        try {
          callId = decodeURIComponent(m[1]);
        } catch {
          return problem(404, 'notFound', 'no such resource');
        }
        if (!CALL_ID.test(callId)) return problem(404, 'notFound', 'not a call id');
        const denied = checkAdmin(request, env);
        if (denied !== null) return denied;
        if (m[2] !== undefined) {
          if (request.method !== 'POST') return problem(405, 'methodNotAllowed', 'use POST', {}, { allow: 'POST' });
          return await handleTransfer(request, env, callId);
        }
        if (request.method !== 'GET') return problem(405, 'methodNotAllowed', 'use GET', {}, { allow: 'GET' });
        return await handleCall(env, callId);
      }
      return problem(404, 'notFound', 'no such resource');
    } catch (e) {
      console.error('unhandled', e && e.stack || String(e));
      return problem(500, 'internal', 'the request could not be handled');
    }
  },
};

// ---------------------------------------------------------------------------------------------
// The Durable Object: one per call (named "call:<id>"), plus the inbox.
//
// Storage keys, all small so that a write costs the same on the 1st and the 1000th notification:
//   "tracker"      the TransferTracker state (JSON text: this call's transfer and its history)
//   "d:<seq>"      one record per applied delivery { messageId, at, items, transitions }; the last
//                  SEEN_MESSAGE_IDS (default 1024) are kept and are the de-duplication memory
//   "seq"          the last delivery sequence number
//   "send"         the last transfer sent { at, url, status, clientRequestId, ... }
//   "callId"       the call id (for the stall alarm)
//   "inbox:<seq>"  kept payloads (the inbox object only), the last MAX_INBOX_ENTRIES
// Everything a request changes is written in one batch (workerd coalesces the un-awaited
// writes of one event into one atomic transaction), after the in-memory change and before the
// answer; a failed write reloads the stored state and fails the request (5xx: Graph retries).

function seqKey(prefix, seq) {
  return `${prefix}${String(seq).padStart(12, '0')}`;
}

export class CallState extends DurableObject {
  constructor(ctx, env) {
    super(ctx, env);
    this.tracker = null;
    this.sending = false;
    ctx.blockConcurrencyWhile(() => this.load());
  }

  async load() {
    const storage = this.ctx.storage;
    const [stored, records, alarmAt] = await Promise.all([
      storage.get(['tracker', 'seq', 'send', 'callId']),
      storage.list({ prefix: 'd:' }),
      storage.getAlarm(),
    ]);
    const text = stored.get('tracker');
    if (this.tracker !== null) this.tracker.free();
    // The tracker's own message-id memory is left small: this object's delivery records are the
    // de-duplication memory (a whole body is applied or skipped, before the tracker sees it).
    this.tracker = text === undefined
      ? new TransferTracker({ maxMessageIds: 16, maxEarlyPerCall: MAX_EARLY_PER_CALL, maxEarlyCalls: 4, stallAfterMs: stallAfter(this.env) })
      : TransferTracker.fromJSON(text);
    this.deliveries = [...records.values()];
    this.seen = new Set(this.deliveries.map((d) => d.messageId));
    this.seq = stored.get('seq') ?? 0;
    this.send = stored.get('send') ?? null;
    this.callId = stored.get('callId') ?? null;
    this.alarmAt = alarmAt;
  }

  /**
   * Writes `entries` and deletes `deletions` as one batch; on failure reloads the last stored
   * state (so memory never runs ahead of storage) and rethrows.
   */
  async persist(entries, deletions = []) {
    try {
      const writes = [this.ctx.storage.put(entries)];
      if (deletions.length > 0) writes.push(this.ctx.storage.delete(deletions));
      await Promise.all(writes);
    } catch (e) {
      await this.load();
      throw e;
    }
  }

  /** Records a delivery in memory; returns the storage writes and deletions for it. */
  record(entry) {
    const seq = ++this.seq;
    this.deliveries.push(entry);
    this.seen.add(entry.messageId);
    const deletions = [];
    const limit = numberOr(this.env.SEEN_MESSAGE_IDS, DEFAULT_SEEN_MESSAGE_IDS);
    while (this.deliveries.length > limit) {
      this.seen.delete(this.deliveries.shift().messageId);
      deletions.push(seqKey('d:', seq - this.deliveries.length));
    }
    return { writes: { [seqKey('d:', seq)]: entry, seq }, deletions };
  }

  /**
   * Applies the notifications of `bytes` about `callId`, once per message id. Resolves when the
   * result is stored: `{ duplicate, transitions }`.
   */
  async deliver(callId, messageId, bytes, now, maxBytes) {
    if (this.seen.has(messageId)) return { duplicate: true, transitions: [] };
    // Parsed again here: Notification objects do not cross the RPC boundary, the bytes do.
    const parsed = parseNotifications(bytes, { maxBytes });
    const mine = parsed.notifications.filter((n) => n.callId === callId);
    const transitions = this.tracker.observe(mine, { messageId, now });
    const { writes, deletions } = this.record({ messageId, at: now, items: mine.length, transitions: transitions.length });
    writes.tracker = JSON.stringify(this.tracker);
    if (this.callId !== callId) writes.callId = callId;
    await this.persist(writes, deletions);
    this.callId = callId;
    await this.scheduleAlarm(callId);
    return { duplicate: false, transitions };
  }

  /**
   * Sends the transfer (one at a time per call) and registers it. Returns `{ status, body }`
   * for the HTTP answer.
   */
  async transfer(callId, request, { clientContext, apiVersion }) {
    const phase = this.tracker.phase(callId);
    if (this.sending || phase === 'requested' || phase === 'transferring' || phase === 'accepted' || phase === 'completed') {
      return { status: 409, body: { error: 'conflict', reason: this.sending ? 'a transfer of this call is being sent' : `the call's transfer is ${phase}`, phase: this.sending ? null : phase } };
    }
    this.sending = true;
    let result;
    try {
      result = await sendTransfer(request, {
        token: this.env.GRAPH_TOKEN,
        timeoutMs: numberOr(this.env.GRAPH_TIMEOUT_MS, 10_000),
        retry: { maxAttempts: 3, deadlineMs: 20_000 },
      });
    } catch (e) {
      this.sending = false;
      if (isGraphError(e)) {
        return { status: 502, body: { error: 'graph', reason: e.message, graph: { status: e.status, code: e.code, requestId: e.requestId ?? null, clientRequestId: e.clientRequestId ?? null, attempts: e.attempts ?? null, stopReason: e.stopReason ?? null } } };
      }
      if (isTransportError(e)) {
        return { status: e.kind === 'timeout' ? 504 : 502, body: { error: e.kind, reason: e.message, clientRequestId: e.clientRequestId ?? null, mayHaveRun: e.kind !== 'aborted' } };
      }
      if (isGraphCallTransferError(e)) return { status: 400, body: { error: e.kind, path: e.path, reason: e.reason } };
      throw e;
    }
    const now = Date.now();
    let transitions;
    try {
      transitions = this.tracker.register(callId, { clientContext, now });
      this.send = {
        at: now, apiVersion, url: request.url, status: result.status, attempts: result.attempts,
        requestId: result.requestId ?? null, clientRequestId: result.clientRequestId, operation: result.operation ?? null,
      };
      await this.persist({ tracker: JSON.stringify(this.tracker), send: this.send, callId });
      this.callId = callId;
    } finally {
      this.sending = false;
    }
    await this.scheduleAlarm(callId);
    return { status: 202, body: { callId, phase: this.tracker.phase(callId), transitions, send: this.send } };
  }

  /** The time of the last thing that happened to this call (ms), or null when nothing did. */
  lastActivity(t) {
    const times = [t?.lastProgressAt, this.deliveries.at(-1)?.at, this.send?.at].filter((x) => typeof x === 'number');
    return times.length === 0 ? null : Math.max(...times);
  }

  /**
   * Sets the alarm: the stall check while a transfer is in progress; otherwise (no transfer, or a
   * completed, failed or stalled one) the end of the retention period, when the object deletes
   * its storage.
   */
  async scheduleAlarm(callId) {
    const t = this.tracker.get(callId);
    let at;
    if (t !== null && (t.phase === 'requested' || t.phase === 'transferring' || t.phase === 'accepted')) {
      at = t.lastProgressAt + stallAfter(this.env) + 1;
    } else {
      const last = this.lastActivity(t);
      if (last === null) return;
      at = last + retainFor(this.env);
    }
    if (this.alarmAt !== null && this.alarmAt <= at) return;
    await this.ctx.storage.setAlarm(at);
    this.alarmAt = at;
  }

  async alarm() {
    this.alarmAt = null;
    const callId = this.callId;
    if (typeof callId !== 'string') return;
    const now = Date.now();
    const transitions = this.tracker.tick(now);
    if (transitions.length > 0) await this.persist({ tracker: JSON.stringify(this.tracker) });
    const t = this.tracker.get(callId);
    const active = t !== null && (t.phase === 'requested' || t.phase === 'transferring' || t.phase === 'accepted');
    const last = this.lastActivity(t);
    if (!active && last !== null && now >= last + retainFor(this.env)) {
      // Idle past the retention period: forget the call (a very late redelivery would start afresh).
      await this.ctx.blockConcurrencyWhile(async () => {
        await this.ctx.storage.deleteAll();
        await this.load();
      });
      return;
    }
    await this.scheduleAlarm(callId);
  }

  /** What `GET /calls/{id}` shows, or null when nothing is known about the call. */
  snapshot(callId) {
    const t = this.tracker.get(callId);
    if (t === null && this.deliveries.length === 0) return null;
    return {
      callId,
      registered: t !== null,
      phase: t?.phase ?? null,
      resultInfo: t?.resultInfo ?? null,
      lastState: t?.lastState ?? null,
      terminationReason: t?.terminationReason ?? null,
      callEnded: t?.callEnded ?? false,
      unknownStates: t?.unknownStates ?? [],
      duplicates: t?.duplicates ?? 0,
      late: t?.late ?? 0,
      history: t?.history ?? [],
      deliveries: this.deliveries.slice(-MAX_DELIVERY_LOG),
      send: this.send,
    };
  }

  /** Keeps a payload for inspection (the inbox object), once per message id. */
  async keep(entry) {
    if (this.seen.has(entry.messageId)) return { duplicate: true, transitions: [] };
    const { writes, deletions } = this.record({ messageId: entry.messageId, at: entry.at });
    writes[seqKey('inbox:', this.seq)] = entry;
    if (this.seq > MAX_INBOX_ENTRIES) deletions.push(seqKey('inbox:', this.seq - MAX_INBOX_ENTRIES));
    await this.persist(writes, deletions);
    return { duplicate: false, transitions: [] };
  }

  /** The kept payloads, oldest first. */
  async inbox() {
    const entries = await this.ctx.storage.list({ prefix: 'inbox:', limit: MAX_INBOX_ENTRIES });
    return { entries: [...entries.values()] };
  }
}

function numberOr(value, fallback) {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isFinite(n) && n > 0 ? n : fallback;
}

/** How long an idle call's object keeps its storage (RETAIN_MS, default 7 days). */
function retainFor(env) {
  return numberOr(env.RETAIN_MS, 7 * 24 * 3600 * 1000);
}

function stallAfter(env) {
  return numberOr(env.STALL_AFTER_MS, 60_000);
}
