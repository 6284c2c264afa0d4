// The Graph simulator of the package: what Graph answers to a transfer request and the
// notifications it then POSTs, in the request's dialect. Deterministic (ids from `seed`, dates
// from `now`), so tests can generate realistic notifications. The sequences come from the Rust
// core (src/simulate); this file only moves bytes across the wasm boundary.
import * as raw from '../pkg/simulator/graph_call_transfer.js';
import { utf8, bytesOf, makeError, describe, toJson } from './internal.js';

/** The scenario names, in the order of the Rust `Scenario::ALL`. */
export const SIMULATOR_SCENARIOS = Object.freeze([
  'success',
  'successAppTransferred',
  'successResultInfo',
  'failure',
  'duplicated',
  'outOfOrder',
  'slowTarget',
  'throttled',
  'stalled',
]);

const decoder = new TextDecoder();
const encoder = new TextEncoder();
const VERSIONS = ['v1.0', 'beta', 'beta-2018'];

function utf8Length(text) {
  // ASCII (every id in practice) is one byte per unit.
  return /^[\x00-\x7f]*$/.test(text) ? text.length : encoder.encode(text).length;
}
const INPUT_NAMES = new Set(['scenario', 'callId', 'apiVersion', 'body', 'seed', 'now', 'stepMs', 'attempt', 'clientRequestId']);

function uint(value, path, max) {
  if (value === undefined) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0 || value > max) {
    throw makeError('outOfRange', path, `is out of range: expected an integer from 0 to ${max}, found ${typeof value === 'number' ? value : describe(value)}`);
  }
  return value;
}

/**
 * Simulates Graph's handling of one transfer request.
 *
 * `input`: `{ scenario = 'success', callId, apiVersion = 'v1.0', body, seed = 0, now = 0,
 * stepMs = 300, attempt = 1, clientRequestId }`; `body` is the request body as received (a string,
 * bytes, or an object that is serialized with JSON.stringify).
 *
 * Returns `{ status, headers, bodyText, notifications }`: `headers` a plain object, `bodyText`
 * the response body ('' for 202), and `notifications` `[{ delayMs, messageId, event, redelivery,
 * bodyText }]` in delivery order. A body Graph would refuse is answered 400 with an error
 * envelope (data, not an exception); bad simulator input throws a GraphCallTransferError.
 */
export function simulateTransfer(input) {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    throw makeError('invalidType', '', `expected an input object, found ${describe(input)}`);
  }
  for (const key in input) {
    if (!INPUT_NAMES.has(key) && input[key] !== undefined) throw makeError('unknownOption', key, 'is not a known option');
  }
  const { callId, clientRequestId } = input;
  if (typeof callId !== 'string') {
    throw makeError(callId === undefined ? 'missingField' : 'invalidType', 'callId', callId === undefined ? 'is required' : `wrong type: expected a string, found ${describe(callId)}`);
  }
  if (clientRequestId !== undefined && typeof clientRequestId !== 'string') {
    throw makeError('invalidType', 'clientRequestId', `wrong type: expected a string, found ${describe(clientRequestId)}`);
  }
  const scenario = input.scenario ?? 'success';
  const scenarioIndex = SIMULATOR_SCENARIOS.indexOf(scenario);
  if (scenarioIndex < 0) throw makeError('unknownOption', 'scenario', `unknown scenario ${JSON.stringify(String(scenario))}; expected one of ${SIMULATOR_SCENARIOS.join(', ')}`);
  const apiVersion = input.apiVersion ?? 'v1.0';
  const versionIndex = VERSIONS.indexOf(apiVersion);
  if (versionIndex < 0) throw makeError('unknownApiVersion', 'apiVersion', `unknown apiVersion ${JSON.stringify(String(apiVersion))}; expected "v1.0", "beta" or "beta-2018"`);
  let body = input.body;
  if (body === undefined) body = '';
  else if (typeof body !== 'string' && !(body instanceof ArrayBuffer) && !ArrayBuffer.isView(body)) body = toJson(body, 'the body');
  const bodyText = typeof body === 'string' ? body : decoder.decode(bytesOf(body, 'the body'));
  const crid = clientRequestId ?? '';
  const text = callId + crid + bodyText;
  const bytes = utf8(text);
  const out = JSON.parse(raw.simulateTransferRaw(
    bytes,
    utf8Length(callId),
    utf8Length(crid),
    clientRequestId !== undefined,
    scenarioIndex,
    versionIndex,
    uint(input.seed, 'seed', Number.MAX_SAFE_INTEGER) ?? 0,
    uint(input.now, 'now', Number.MAX_SAFE_INTEGER) ?? 0,
    uint(input.stepMs, 'stepMs', 60000) ?? 300,
    uint(input.attempt, 'attempt', 1000) ?? 1,
  ));
  const headers = {};
  for (const [name, value] of out.headers) headers[name] = value;
  return {
    status: out.status,
    headers,
    bodyText: out.body,
    notifications: out.notifications.map((n) => ({
      delayMs: n.delayMs,
      messageId: n.messageId,
      event: n.event,
      redelivery: n.redelivery,
      bodyText: n.body,
    })),
  };
}
