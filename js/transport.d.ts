// TypeScript signatures of js/transport.js. `CommsOperation` is generated from the Rust type (tsify)
// into ../pkg/graph_call_transfer.d.ts. `RetryOptions` is written here: on the Rust side it is a
// plain struct of numbers (crossing as a Float64Array), not a serde type tsify could describe.
import type { CommsOperation } from '../pkg/graph_call_transfer.js';
import type { TransferOptions, TransferRequest } from './index.js';

/** Retry options; each is optional and has a default. */
export interface RetryOptions {
  /** The most attempts, the first included: 1 to 10 (default 3). */
  maxAttempts?: number;
  /** The backoff base in ms: retry n waits between b/2 and b, b = min(maxDelayMs, baseDelayMs * 2^(n-1)) (default 500). */
  baseDelayMs?: number;
  /** The cap on a computed backoff in ms (default 8000). */
  maxDelayMs?: number;
  /** The longest Retry-After waited for, in ms; a longer one stops instead (default 30000). */
  maxRetryAfterMs?: number;
  /** No retry starts later than this after the first attempt, in ms (default 60000). */
  deadlineMs?: number;
  /** Also retry a 502, a 504, a 503 without Retry-After, a timeout or a dropped connection, at the risk of transferring twice (default false). */
  retryUnsafe?: boolean;
}

/** The default per-attempt timeout of {@link sendTransfer}, in milliseconds (30 s). */
export const DEFAULT_TIMEOUT_MS: number;

/** Why {@link sendTransfer} stopped sending, as decided by {@link decideRetry}. */
export type RetryStopReason =
  | 'succeeded'
  | 'notRetryable'
  | 'mayHaveRun'
  | 'aborted'
  | 'attemptsExhausted'
  | 'retryAfterTooLong'
  | 'deadlineExceeded';

/** An error answer from Graph (or from a gateway in front of it). */
export class GraphError extends Error {
  private constructor();
  readonly name: 'GraphError';
  readonly kind: 'graph';
  /** The HTTP status. */
  readonly status: number;
  /** Graph's error code, or a camelCase name of the status ("badGateway", "http418") when the body has none. */
  readonly code: string;
  /** `innerError["request-id"]` or the `request-id` header. */
  readonly requestId?: string;
  /** `innerError["client-request-id"]`, the header, or (from sendTransfer) the id that was sent. */
  clientRequestId?: string;
  /** `innerError.date`, or the `Date` header. */
  readonly date?: string;
  /** The delay `Retry-After` asked for, in milliseconds (absent when the header was missing, invalid or hidden by CORS). */
  readonly retryAfterMs?: number;
  /** Graph's `innerError` (or `innererror`) object as sent. */
  readonly innerError?: Record<string, unknown>;
  /** Set by sendTransfer: how many requests were sent. */
  attempts?: number;
  /** Set by sendTransfer: why it did not send again. */
  stopReason?: RetryStopReason;
}

/** A transfer that got no HTTP answer. After `timeout` and `network` the transfer may still have reached Graph. */
export class TransportError extends Error {
  private constructor();
  readonly name: 'TransportError';
  readonly kind: 'timeout' | 'network' | 'aborted';
  /** How many requests were sent. */
  attempts?: number;
  /** The client-request-id that was sent (search Graph's logs or notifications with it). */
  clientRequestId?: string;
  /** Why sendTransfer did not send again. */
  stopReason?: RetryStopReason;
}

/** Whether `value` is a {@link GraphError}. */
export function isGraphError(value: unknown): value is GraphError;
/** Whether `value` is a {@link TransportError}. */
export function isTransportError(value: unknown): value is TransportError;

/** A transfer Graph accepted. */
export interface TransferAccepted {
  /** 202, or 200 for the 2018 beta. */
  status: number;
  /** The commsOperation of a 2018-beta answer. */
  operation?: CommsOperation;
  /** The `request-id` response header (hidden in browsers unless the server exposes it). */
  requestId?: string;
  /** The `client-request-id` response header. */
  clientRequestId?: string;
}

/** Response headers: a fetch `Headers`, a plain object, a Map or `[name, value]` pairs. */
export type ResponseHeaders =
  | { get(name: string): string | null }
  | Record<string, string>
  | ReadonlyMap<string, string>
  | ReadonlyArray<readonly [string, string]>;

/**
 * Interprets Graph's answer to a transfer, without IO: success for 202 or 200 with a
 * commsOperation, otherwise a {@link GraphError} (returned, not thrown). `now` (default Date.now())
 * turns a Retry-After date into a delay. Throws a GraphCallTransferError for a status outside 100-599.
 */
export function parseTransferResponse(
  status: number,
  headers: ResponseHeaders | null | undefined,
  body: string | Uint8Array | ArrayBuffer | ArrayBufferView | null | undefined,
  now?: number,
): ({ ok: true } & TransferAccepted) | { ok: false; error: GraphError };

/** What happened on an attempt, for {@link decideRetry}. A thrown GraphError or TransportError fits. */
export type RetryOutcome =
  | { status: number; retryAfterMs?: number }
  | { kind: 'timeout' | 'network' | 'aborted' };

/** The input of {@link decideRetry}. */
export interface DecideRetryInput {
  /** The number of the attempt that just ended (1 for the first). */
  attempt: number;
  /** How it ended. */
  outcome: RetryOutcome;
  /** When the first attempt started, in ms (default `now`). */
  startedAt?: number;
  /** Now, in ms (default Date.now()). */
  now?: number;
  /** A value in [0, 1] spreading the backoff (default Math.random()). */
  jitter?: number;
  /** The policy: options, `true`/omitted for the defaults, `false` for no retry. */
  policy?: RetryOptions | boolean | null;
}

/** The retry decision. */
export type RetryDecision =
  | { retry: true; delayMs: number; attempt: number; retryAttempt: number }
  | { retry: false; reason: RetryStopReason };

/**
 * The sans-IO retry decision, for your own HTTP client: retries 429 (after Retry-After) and 503
 * with Retry-After; never 502/504/timeouts/dropped connections unless `policy.retryUnsafe`.
 * Send the same client-request-id again with `Retry-Attempt: retryAttempt`.
 */
export function decideRetry(input: DecideRetryInput): RetryDecision;

/** Options of {@link sendTransfer}. */
export interface SendTransferOptions {
  /** The bearer token (without "Bearer "), or a function returning one; called before every attempt, bounded by `timeoutMs`. */
  token: string | (() => string | Promise<string>);
  /** The fetch to use (default the global fetch). */
  fetch?: (input: string, init: RequestInit) => Promise<Response>;
  /** The per-attempt timeout in ms, covering the response body (default 30000). */
  timeoutMs?: number;
  /** Retry options; `false` sends once. */
  retry?: RetryOptions | boolean;
  /** Cancels the transfer (and any wait between attempts). */
  signal?: AbortSignal;
}

/** What {@link sendTransfer} resolves with. */
export interface SendTransferResult {
  /** 202, or 200 for the 2018 beta. */
  status: number;
  /** The commsOperation of a 2018-beta answer. */
  operation?: CommsOperation;
  /** The `request-id` response header, when visible. */
  requestId: string | undefined;
  /** The client-request-id sent with every attempt. */
  clientRequestId: string;
  /** How many requests were sent. */
  attempts: number;
}

/** A request-shaped object, such as a TransferRequest serialized and revived. */
export interface TransferRequestLike {
  method?: 'POST';
  url: string;
  headers?: Record<string, string>;
  bodyText: string;
}

/**
 * Sends a transfer with fetch, retrying only when Graph signals it did not process the request.
 * Rejects with a {@link GraphError}, a {@link TransportError}, or (before sending anything) a
 * GraphCallTransferError for bad input.
 */
export function sendTransfer(
  requestOrOptions: TransferRequest | TransferRequestLike | TransferOptions,
  options: SendTransferOptions,
): Promise<SendTransferResult>;
